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

SPEC = Path(__file__).resolve().parent / "openapi" / "paths"
METHODS = ("get", "put", "post", "delete", "patch")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (HTTP method, path template, the operation's description)."""
    found = {}
    for file in sorted(SPEC.glob("*.yaml")):
        text = file.read_text("utf-8")
        path = text.split("\n", 1)[0].removeprefix("# path:").strip()
        for method, operation in yaml.load(text, Loader=LOADER).items():
            if method in METHODS:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def _json_schema(part: dict[str, Any] | None) -> dict[str, Any] | None:
    content = (part or {}).get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    return None if media is None else media.get("schema")


def request_schema(operation_id: str) -> dict[str, Any] | None:
    """The JSON schema of the operation's request body (None when it takes none)."""
    return _json_schema(operations()[operation_id][2].get("requestBody"))


def response_schema(operation_id: str, status: int) -> dict[str, Any] | None:
    """The JSON schema of the answer with ``status`` (None when the spec gives no body);
    KeyError when the spec does not document that status for the operation."""
    responses = operations()[operation_id][2]["responses"]
    return _json_schema(responses[str(status)])


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
