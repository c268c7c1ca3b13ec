"""Every failure maps to one typed error that says what came back."""

from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from aiohttp import web

from talon_async import (
    NO_RETRY,
    ApiKeyV1,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TalonClient,
    TalonConnectionError,
    TalonDecodeError,
    TalonError,
    TalonStatusError,
    TalonTimeoutError,
)

from .conftest import RecordingServer

# list_coupons (getReservedCoupons, deprecated by Talon.One) serves here as a plain GET.
pytestmark = pytest.mark.filterwarnings("ignore:getReservedCoupons:DeprecationWarning")

TALON_ERROR = {
    "message": "Invalid request",
    "errors": [
        {
            "title": "required property missing",
            "details": "customerSession.profileId is required",
            "source": {"pointer": "/customerSession/profileId"},
        }
    ],
    "StatusCode": 400,
}
HTML = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (418, TalonStatusError),
        (302, TalonStatusError),
    ],
)
@pytest.mark.parametrize(
    "body",
    [json.dumps(TALON_ERROR), HTML, "", '{"message": "trunc'],
    ids=["talon-json", "html", "empty", "truncated-json"],
)
async def test_status_maps_to_typed_error(
    server: RecordingServer,
    client: TalonClient,
    status: int,
    error_type: type[TalonStatusError],
    body: str,
) -> None:
    server.respond(status, body, headers={"X-Request-Id": "req-77"}, content_type="text/html")
    with pytest.raises(error_type) as info:
        await client.customer_data.delete("profile-1")
    error = info.value
    assert type(error) is error_type
    assert error.status == status
    assert error.method == "DELETE"
    assert error.url == f"{server.url}/v1/customer_data/profile-1"
    assert error.request_id == "req-77"
    assert error.text == body
    assert str(status) in str(error) and "req-77" in str(error)
    if body.startswith('{"message": "Invalid'):
        assert error.body is not None
        assert error.body.message == "Invalid request"
        assert error.body.status_code == 400
        (detail,) = error.body.errors
        assert detail.title == "required property missing"
        assert detail.source is not None and detail.source.pointer == "/customerSession/profileId"
        assert "customerSession.profileId is required" in str(error)
    else:
        assert error.body is None
        assert ("empty body" in str(error)) if body == "" else (body[:20] in str(error))


@pytest.mark.parametrize(
    "body",
    [
        {"message": 5, "errors": "nope"},
        {"errors": [{"source": "x"}, 3, {"title": None}]},
        [],
        "just a string",
    ],
)
async def test_odd_error_bodies_never_break_the_mapping(
    server: RecordingServer, client: TalonClient, body: object
) -> None:
    server.respond(400, json.dumps(body))
    with pytest.raises(BadRequestError) as info:
        await client.customer_data.delete("p")
    assert info.value.text == json.dumps(body)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), ("1.5", 1.5), ("garbage", None), (None, None)],
)
async def test_rate_limit_retry_after_seconds(
    server: RecordingServer, client: TalonClient, header: str | None, expected: float | None
) -> None:
    server.respond(429, "", headers={"Retry-After": header} if header is not None else {})
    with pytest.raises(RateLimitError) as info:
        await client.customer_data.delete("p")
    assert info.value.retry_after == expected


async def test_rate_limit_retry_after_http_date(
    server: RecordingServer, client: TalonClient
) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=30)
    server.respond(429, "", headers={"Retry-After": format_datetime(when, usegmt=True)})
    with pytest.raises(RateLimitError) as info:
        await client.customer_data.delete("p")
    assert info.value.retry_after is not None
    assert 25 <= info.value.retry_after <= 31


BAD_BODIES = [
    ("", "empty body"),
    (HTML, "not JSON"),
    ('{"totalResultSize": 1, "data": [{"id"', "not JSON"),
    ("[1, 2]", "not a CouponList: expected an object, got an array"),
]
DEVIATING_BODIES = [
    (
        '{"data": []}',
        "CouponList.total_result_size: the required member 'totalResultSize' is missing",
    ),
    (
        '{"totalResultSize": "1", "data": []}',
        "CouponList.total_result_size: expected an integer, got a string",
    ),
]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(
    ("body", "reason"), BAD_BODIES, ids=["empty", "html", "truncated", "wrong-shape"]
)
async def test_a_body_that_is_not_the_model_is_a_decode_error_in_both_modes(
    server: RecordingServer, body: str, reason: str, strict: bool
) -> None:
    server.respond(200, body)
    async with TalonClient(
        server.url, auth=ApiKeyV1("k"), retry=NO_RETRY, strict_responses=strict
    ) as client:
        with pytest.raises(TalonDecodeError) as info:
            await client.coupon_reservations.list_coupons("profile-1")
    message = str(info.value)
    assert reason in message
    assert "GET" in message and "/v1/coupon_reservations/coupons/profile-1" in message
    assert (body[:15] in message) if body else "<empty body>" in message
    assert info.value.status == 200
    assert info.value.text == body
    assert info.value.raw == body.encode()
    assert info.value.__cause__ is None and info.value.__context__ is None


@pytest.mark.parametrize(
    ("body", "reason"), DEVIATING_BODIES, ids=["missing-required", "wrong-type"]
)
async def test_a_deviating_body_fails_only_in_strict_mode(
    server: RecordingServer, body: str, reason: str
) -> None:
    server.respond(200, body)
    async with TalonClient(
        server.url, auth=ApiKeyV1("k"), retry=NO_RETRY, strict_responses=True
    ) as client:
        with pytest.raises(TalonDecodeError, match=reason):
            await client.coupon_reservations.list_coupons("profile-1")
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        coupons = await client.coupon_reservations.list_coupons("profile-1")
    assert coupons.data == []
    assert coupons.total_result_size in (None, "1")  # type: ignore[comparison-overlap]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused_is_a_connection_error_not_sent() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with TalonClient(url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        with pytest.raises(TalonConnectionError) as info:
            await client.customer_data.delete("p")
    assert not isinstance(info.value, TalonTimeoutError)
    assert info.value.may_have_reached_server is False
    assert info.value.__cause__ is None  # aiohttp's error holds the request's headers
    assert info.value.cause_type == "ClientConnectorError"
    assert info.value.cause_message and "Cannot connect" in info.value.cause_message


async def test_connection_dropped_mid_request_may_have_reached_server(
    server: RecordingServer, client: TalonClient
) -> None:
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    server.handle(drop)
    with pytest.raises(TalonConnectionError) as info:
        await client.customer_data.delete("p")
    assert info.value.may_have_reached_server is True
    assert len(server.received) == 1


async def test_slow_answer_is_a_timeout(server: RecordingServer) -> None:
    server.hang()
    async with TalonClient(server.url, auth=ApiKeyV1("k"), timeout=0.2, retry=NO_RETRY) as client:
        with pytest.raises(TalonTimeoutError) as info:
            await client.customer_data.delete("p")
    assert info.value.may_have_reached_server is True
    assert isinstance(info.value, TalonError)
