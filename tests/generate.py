"""Text generated from the table of operations, and the command that writes it.

    python -m tests.generate

rewrites the parts of the repository that repeat facts of ``talon_async.operations`` in a
form the table itself cannot take: the official-name attributes of ``TalonClient``
(type checkers must see them written out). ``tests/test_operations_table.py`` fails when
a generated part is out of date, naming this command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talon_async.operations import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
LINE_LENGTH = 100


def official_names() -> str:
    """The client's official-name attributes, one per operation, in table order."""
    lines = []
    for operation in OPERATIONS.values():
        target = f"lambda c: c.{operation.resource}.{operation.method}"
        line = f"    {operation.name} = _Official({target})"
        if len(line) > LINE_LENGTH:
            line = f"    {operation.name} = _Official(\n        {target}\n    )"
        lines.append(line + "\n")
    return "".join(lines)


PARTS: dict[Path, tuple[str, str, Callable[[], str]]] = {
    ROOT / "talon_async" / "_client.py": (
        "    # BEGIN official names",
        "    # END official names",
        official_names,
    ),
}
"""Each generated part: its file, the lines that open and close it, and its text."""


def current(path: Path) -> tuple[str, str, str]:
    """A file's text before, inside and after its generated part."""
    text = path.read_text("utf-8")
    begin, end, _ = PARTS[path]
    head, found, rest = text.partition(begin)
    opening, newline, rest = rest.partition("\n")
    while newline and rest.startswith("    # ") and not rest.startswith(end):
        line, newline, rest = rest.partition("\n")
        opening += "\n" + line
    inside, found_end, tail = rest.partition(end)
    if not (found and found_end):
        raise SystemExit(f"{path}: the markers {begin!r} / {end!r} are missing")
    return head + found + opening + "\n", inside, found_end + tail


def main() -> None:
    for path, (_, _, generate) in PARTS.items():
        head, _, tail = current(path)
        path.write_text(head + generate() + tail, "utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
