"""The spec kept in the repository: complete, and rewritten faithfully by its refresh command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .openapi import refresh
from .spec import LOADER, SPEC, operations


def _load(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=LOADER)


def test_the_spec_is_inside_the_repository() -> None:
    root = Path(__file__).resolve().parents[1]
    assert SPEC.is_relative_to(root)
    assert len(operations()) == 38


def test_refresh_writes_back_what_a_bundled_document_holds(tmp_path: Path) -> None:
    top = _load(SPEC.parent / "openapi.yaml")
    bundled = {
        **top,
        "paths": {path: _load(SPEC.parent / ref["$ref"]) for path, ref in top["paths"].items()},
    }
    source = tmp_path / "bundled.yaml"
    source.write_text(yaml.safe_dump(bundled, sort_keys=False), "utf-8")

    written = refresh.write(refresh.load(source), tmp_path / "out")

    assert written == list(top["paths"])
    assert _load(tmp_path / "out" / "openapi.yaml") == top
    for path, ref in top["paths"].items():
        kept, rewritten = SPEC.parent / ref["$ref"], tmp_path / "out" / ref["$ref"]
        assert rewritten.read_text("utf-8").splitlines()[0] == f"# path: {path}"
        assert _load(rewritten) == _load(kept)


def test_refresh_inlines_local_references(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {
            "/v1/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Thing": {"title": "Thing", "type": "object"}}},
    }
    source = tmp_path / "bundled.json"
    source.write_text(yaml.safe_dump(document), "utf-8")

    refresh.write(refresh.load(source), tmp_path)

    item = _load(tmp_path / "paths" / "v1-things-{id}.yaml")
    schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"title": "Thing", "type": "object"}
