"""The fake's answers checked against the spec, with the spec's gaps written down narrowly."""

from __future__ import annotations

from typing import Any

from ..spec import validate_answer
from .conftest import Reply

# Statuses the fake answers although the spec does not list them for the operation. Their
# bodies are the Talon error body of every documented error, so they are checked against
# one (createAudienceV2's 400).
UNDOCUMENTED = {
    # The request schema has required and bounded members, yet no 400 is listed.
    ("updateAudienceV2", 400),
    ("updateAudienceCustomersAttributes", 400),
    # The spec lists only 200 (and no security), yet a request can break the schema and
    # the fake, as the API, asks every request for credentials.
    ("bestPriorPrice", 400),
    ("bestPriorPrice", 401),
}


def answer_problems(operation_id: str, reply: Reply) -> list[str]:
    """Every way the reply's body breaks the spec's schema for the operation and status."""
    body: Any = reply.json if reply.body else None
    if (operation_id, reply.status) in UNDOCUMENTED:
        problems = validate_answer("createAudienceV2", 400, body)
    else:
        problems = validate_answer(operation_id, reply.status, body)
    if reply.status >= 400 and body["StatusCode"] != reply.status:
        problems.append(f"StatusCode {body['StatusCode']} in a {reply.status} answer")
    return problems
