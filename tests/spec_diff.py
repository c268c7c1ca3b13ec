"""What differs between the library and an OpenAPI description of the Integration API.

    python -m tests.spec_diff [PATH]

PATH is a newer description: one bundled OpenAPI document (YAML or JSON, as Talon.One
publishes it) or a directory in the layout of ``tests/openapi/``; by default, the spec kept
in the repository. Prints the differences :mod:`tests.spec_check` finds, grouped by
operation (new operations first, then changed ones), one line each; a difference of a
model that recurs in other operations is printed once. The differences accepted in
``tests/test_spec_check.py`` are left out (their number is said). Exits 0 when there are
none, else 1.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from talon_async.operations import OPERATIONS

from . import spec
from .openapi import refresh
from .spec_check import Accepted, Difference, SpecOperations, check, legacy


def load(path: Path | None) -> tuple[SpecOperations, list[dict[str, Any]]]:
    """(the operations, the document's security requirements) of the spec at ``path``."""
    if path is None:
        return spec.operations(), spec.security()
    if path.is_dir():
        return spec.operations(path.resolve()), spec.security(path)
    document = refresh.load(path)
    found: spec.Operations = {}
    for template, item in document.get("paths", {}).items():
        spec.path_operations(template, refresh.inline(item, document), found)
    return found, list(document.get("security", []))


def report(
    differences: Sequence[Difference], accepted: Sequence[Accepted], operations: SpecOperations
) -> tuple[list[str], int]:
    """(the lines to print, how many differences were left out as accepted)."""
    shown = [d for d in differences if not any(a.covers(d) for a in accepted)]
    left_out = len({d.key for d in differences} - {d.key for d in shown})
    first: dict[tuple[str, str], Difference] = {}
    recurs: dict[tuple[str, str], set[str]] = {}
    for difference in shown:
        first.setdefault(difference.key, difference)
        recurs.setdefault(difference.key, set()).add(difference.operation)
    new = [d.operation for d in first.values() if d.operation not in OPERATIONS]
    gone = [d.operation for d in first.values() if d.operation not in operations]
    groups: dict[str, list[str]] = {}
    for difference in first.values():
        if difference.operation in new or difference.operation in gone:
            continue
        line = f"  {difference.where + ': ' if difference.where else ''}{difference.what}"
        more = len(recurs[difference.key]) - 1
        if more:
            line += f" (also in {more} more operation{'s' if more > 1 else ''})"
        groups.setdefault(difference.operation, []).append(line)
    lines = []
    if new:
        described = (f"  {name}: {' '.join(operations[name][:2])}" for name in new)
        lines += ["New operations:", *described, ""]
    for operation, members in groups.items():
        method, path, _ = operations[operation]
        lines += [f"{operation} ({method} {path}):", *members, ""]
    if gone:
        lines += ["Operations of the table the spec lacks:", *(f"  {name}" for name in gone)]
    return lines, left_out


def main(argv: list[str]) -> int:
    if len(argv) > 1 or any(arg.startswith("-") for arg in argv):
        print(__doc__, file=sys.stderr)
        return 2
    from .test_spec_check import ACCEPTED

    path = Path(argv[0]) if argv else None
    if path is not None and not path.exists():
        print(f"{path}: no such file or directory", file=sys.stderr)
        return 2
    operations, security = load(path)
    lines, left_out = report(check(operations, security), ACCEPTED, operations)
    source = path or spec.ROOT
    count = sum(1 for line in lines if line.startswith("  "))
    print(f"{count} difference{'' if count == 1 else 's'} between the library and {source}")
    print(
        f"(left out: {left_out} accepted in tests/test_spec_check.py, and the table's "
        f"deprecated v1 operations the spec lacks: {', '.join(legacy(operations))})"
    )
    if lines:
        print()
        print("\n".join(lines).rstrip())
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
