"""The current OpenAPI description of the Integration API, for checking answers against it.

The spec is kept in this repository, under ``tests/openapi/`` (where it comes from, its
date and how to refresh it: ``tests/openapi/README.md``), one YAML file per path with
every schema inlined. ``validate_answer`` checks a body with
jsonschema (draft 2020-12, as OpenAPI 3.1 uses), formats included, and returns the
problems found, so that tests can say exactly what broke the schema.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent / "openapi"
SPEC = ROOT / "paths"
METHODS = ("get", "put", "post", "delete", "patch")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Operations = dict[str, tuple[str, str, dict[str, Any]]]
"""operationId -> (HTTP method, path template, the operation's description)."""


def path_operations(path: str, item: dict[str, Any], found: Operations) -> None:
    """Add the operations of one path item (every ``$ref`` inlined) to ``found``; the
    parameters the item gives all its operations are added to each one's."""
    shared = item.get("parameters", [])
    for method, operation in item.items():
        if method in METHODS:
            own = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            inherited = [p for p in shared if (p["in"], p["name"]) not in own]
            if inherited:
                operation = {
                    **operation,
                    "parameters": [*operation.get("parameters", []), *inherited],
                }
            found[operation["operationId"]] = (method.upper(), path, operation)


@functools.cache
def operations(root: Path = ROOT) -> Operations:
    """The operations of the spec kept under ``root`` (by default, the repository's)."""
    found: Operations = {}
    for file in sorted((root / "paths").glob("*.yaml")):
        text = file.read_text("utf-8")
        path = text.split("\n", 1)[0].removeprefix("# path:").strip()
        path_operations(path, yaml.load(text, Loader=LOADER), found)
    return found


def security(root: Path = ROOT) -> list[dict[str, Any]]:
    """The security requirements of the document kept under ``root``, which apply to every
    operation that lists none of its own."""
    document = yaml.load((root / "openapi.yaml").read_text("utf-8"), Loader=LOADER)
    return list(document.get("security", []))


def json_schema(part: dict[str, Any] | None) -> dict[str, Any] | None:
    """The JSON schema of a request body or an answer (None when it has no content)."""
    content = (part or {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    return None if media is None else media.get("schema")


def request_schema(operation_id: str) -> dict[str, Any] | None:
    """The JSON schema of the operation's request body (None when it takes none)."""
    return json_schema(operations()[operation_id][2].get("requestBody"))


def response_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    """The JSON schema of the answer with ``status`` (None when the spec gives no body);
    KeyError when the spec does not document that status for the operation."""
    responses = operations()[operation_id][2]["responses"]
    return json_schema(responses[str(status)])


@functools.cache
def _validator(operation_id: str, status: int) -> jsonschema.Draft202012Validator | None:
    schema = response_schema(operation_id, status)
    if schema is None:
        return None
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate_answer(operation_id: str, status: int, body: Any) -> list[str]:
    """Every way ``body`` breaks the spec's schema for this answer (empty when it fits)."""
    try:
        validator = _validator(operation_id, status)
    except KeyError:
        return [f"{operation_id} does not document the status {status}"]
    if validator is None:
        return [] if body is None else [f"{operation_id} answers {status} without a body"]
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:300]}"
        for error in validator.iter_errors(body)
    ]
