"""Replace the spec kept here by a newer OpenAPI description of the Integration API.

    python -m tests.openapi.refresh integration-api.yaml   # or .json

The input is one OpenAPI 3.1 document (YAML or JSON), as Talon.One publishes it. It is
written out in the layout the tests read: ``openapi.yaml`` with each path replaced by a
``$ref`` to ``paths/<path>.yaml``, and one file per path whose first line names the path,
with every local ``$ref`` (``#/components/...``) inlined, so that one file tells all there
is to know about its operations. Run ``python -m tests.spec_diff`` afterwards to see what
changed for the library, then commit the files with a line in ``README.md`` here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def load(path: Path) -> dict[str, Any]:
    """An OpenAPI document from a YAML or JSON file (JSON is YAML)."""
    document = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SystemExit(f"{path}: not an OpenAPI 3 document")
    return document


def inline(node: Any, document: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every local ``$ref`` replaced by (a copy of) what it points to."""
    if isinstance(node, list):
        return [inline(item, document, seen) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        if reference in seen:
            raise SystemExit(f"{reference} refers to itself: cannot be inlined")
        target: Any = document
        for step in reference[2:].split("/"):
            target = target[step.replace("~1", "/").replace("~0", "~")]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        return inline({**target, **siblings}, document, (*seen, reference))
    return {key: inline(value, document, seen) for key, value in node.items()}


def file_name(path: str) -> str:
    """``/v2/customer_sessions/{customerSessionId}`` -> ``v2-customer_sessions-{...}.yaml``."""
    return path.strip("/").replace("/", "-") + ".yaml"


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=80)


def write(document: dict[str, Any], target: Path) -> list[str]:
    """Write ``document`` in the tests' layout under ``target``; the paths written."""
    paths_dir = target / "paths"
    paths_dir.mkdir(parents=True, exist_ok=True)
    for old in paths_dir.glob("*.yaml"):
        old.unlink()
    top = {key: value for key, value in document.items() if key != "paths"}
    top["paths"] = {}
    for path, item in document.get("paths", {}).items():
        name = file_name(path)
        (paths_dir / name).write_text(f"# path: {path}\n" + dump(inline(item, document)), "utf-8")
        top["paths"][path] = {"$ref": f"paths/{name}"}
    (target / "openapi.yaml").write_text(dump(top), "utf-8")
    return list(top["paths"])


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    written = write(load(Path(argv[0])), HERE)
    print(f"{len(written)} paths written to {HERE}")


if __name__ == "__main__":
    main(sys.argv[1:])
