"""Error messages are one sentence each, saying every thing once."""

from __future__ import annotations

import json
import socket

import pytest

from talon_async import (
    NO_RETRY,
    ApiKeyV1,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    TalonClient,
    TalonConnectionError,
)
from talon_async.testing import FakeTalon

from .conftest import RecordingServer


async def test_the_fakes_401_says_unauthorized_once() -> None:
    async with FakeTalon() as fake, TalonClient(fake.url, auth=ApiKeyV1("wrong")) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.customer_data.delete("c-1")
        assert str(info.value) == (
            f"401 from DELETE {fake.url}/v1/customer_data/c-1: "
            "Unauthorized: missing or invalid credentials (Authorization)"
        )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            {
                "message": "Invalid request",
                "errors": [
                    {
                        "title": "required property missing",
                        "details": "customerSession.profileId is required",
                        "source": {"pointer": "/customerSession/profileId"},
                    },
                    {"title": "Invalid request", "details": "cartItems[0].quantity < 0"},
                    {"title": "required property missing"},
                ],
            },
            "Invalid request; required property missing: customerSession.profileId is "
            "required (/customerSession/profileId); cartItems[0].quantity < 0",
        ),
        (
            {"message": "Not found.", "errors": [{"title": "not found", "details": "Not found"}]},
            "Not found.",
        ),
        ({"message": "", "errors": [{"details": "bad date"}]}, "bad date"),
        ({"StatusCode": 400}, 'body {"StatusCode": 400}'),
    ],
    ids=["repeated-title", "all-the-same", "details-only", "nothing-said"],
)
async def test_a_status_error_gives_what_the_server_said_once(
    server: RecordingServer, client: TalonClient, body: object, said: str
) -> None:
    server.respond(400, json.dumps(body), headers={"X-Request-Id": "req-77"})
    with pytest.raises(BadRequestError) as info:
        await client.customer_data.delete("p-1")
    assert str(info.value) == (
        f"400 from DELETE {server.url}/v1/customer_data/p-1: {said} (request id req-77)"
    )


async def test_an_empty_error_body_is_said_to_be_empty(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(404, "")
    with pytest.raises(NotFoundError) as info:
        await client.customer_data.delete("p-1")
    assert str(info.value) == f"404 from DELETE {server.url}/v1/customer_data/p-1: empty body"


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_refused_connection_says_so_without_aiohttps_wrapping(scheme: str) -> None:
    with socket.socket() as unused:  # a port of 127.0.0.1 that nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    url = f"{scheme}://127.0.0.1:{port}"
    async with TalonClient(url, auth=ApiKeyV1("secret-key-1"), retry=NO_RETRY) as client:
        with pytest.raises(TalonConnectionError) as info:
            await client.customer_data.delete("p-1")
    message = f"DELETE {url}/v1/customer_data/p-1: cannot connect: Connection refused"
    assert str(info.value) == message
    assert info.value.may_have_reached_server is False
    assert info.value.cause_type == "ClientConnectorError"
