"""Path parameters arrive at a real server as exactly the string given, as one segment."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from talon_async import TalonClient
from talon_async.models.coupons import CouponReservations
from talon_async.models.sessions import IntegrationRequest, NewCustomerSessionV2

from .conftest import RecordingServer

TRICKY = ["a/b", "../x", "..", ".", "?q=1", "#frag", "100%", "a b", "ü€😀", "%2F", "a;b=c", "+"]


def _segments(raw_path: str) -> list[str]:
    return [unquote(part) for part in raw_path.split("/")]


@pytest.mark.parametrize("value", TRICKY)
async def test_tricky_values_are_one_segment(
    server: RecordingServer, client: TalonClient, value: str
) -> None:
    await client.customer_data.delete(value)
    assert _segments(server.last.raw_path) == ["", "v1", "customer_data", value]
    assert server.last.query == {}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(min_size=1).filter(lambda s: "\x00" not in s))
async def test_any_unicode_arrives_unchanged(
    server: RecordingServer, client: TalonClient, value: str
) -> None:
    server.respond(204)
    await client.coupon_reservations.delete(value, CouponReservations(integration_ids=["p"]))
    assert _segments(server.last.raw_path) == ["", "v1", "coupon_reservations", value]


async def test_empty_path_parameter_fails_before_io(
    server: RecordingServer, client: TalonClient
) -> None:
    with pytest.raises(ValueError, match="integration_id must not be empty"):
        await client.customer_data.delete("")
    assert server.received == []


@pytest.mark.parametrize("bad", [None, 12, b"bytes"])
async def test_non_string_path_parameter_is_a_type_error_before_io(
    server: RecordingServer, client: TalonClient, bad: object
) -> None:
    with pytest.raises(TypeError, match="integration_id must be a str, got"):
        await client.customer_data.delete(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="customer_session_id must be a str, got int"):
        await client.sessions.update_v2(
            7,  # type: ignore[arg-type]
            IntegrationRequest(customer_session=NewCustomerSessionV2()),
        )
    assert server.received == []
