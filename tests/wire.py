"""One operation call checked on the wire: what was sent, exactly, and what it decoded to."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from talon_async import NO_RETRY, ApiKeyV1, TalonClient, from_json, to_json
from talon_async.models import Model

from .conftest import API_KEY, RecordingServer

Call = Callable[[TalonClient], Awaitable[Any]]


@attrs.frozen
class WireCase:
    call: Call
    method: str
    path: str  # exactly as sent, percent-encoding included
    query: str  # the query string exactly as sent, "" for none
    body: Any  # the JSON expected on the wire, or None for no body
    status: int
    answer: Any  # JSON the server answers with, or None for no body
    returns: Any  # the type the answer decodes into, or None


async def check_on_the_wire(server: RecordingServer, case: WireCase) -> None:
    """Make the call against ``server`` and check the request and the decoded answer."""
    server.respond(case.status, b"" if case.answer is None else json.dumps(case.answer))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY), retry=NO_RETRY) as client:
        result = await case.call(client)
    (received,) = server.received
    assert received.method == case.method
    assert received.raw_path == case.path
    assert received.query_string == case.query
    assert received.headers["Authorization"] == f"ApiKey-v1 {API_KEY}"
    assert received.headers["Accept"] == "application/json"
    if case.body is None:
        assert received.body == b""
        assert "Content-Type" not in received.headers
    else:
        assert received.headers["Content-Type"] == "application/json"
        assert json.loads(received.body) == case.body
    if case.returns is None:
        assert result is None
    else:
        assert result == from_json(case.returns, case.answer, strict=True)
        assert_every_member_known(result)
        assert from_json(case.returns, to_json(result), strict=True) == result


def assert_every_member_known(value: Any, where: str = "") -> None:
    """No model inside ``value`` kept a JSON member it has no field for: the models cover
    everything in the example."""
    if isinstance(value, Model):
        assert value.extra_fields == {}, f"{where or type(value).__name__}: unknown members"
        for field in attrs.fields(type(value)):
            assert_every_member_known(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_every_member_known(item, f"{where}[{index}]")
