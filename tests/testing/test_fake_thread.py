"""Thread mode: the fake on its own loop in a background thread, driven from any code."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from talon_async.models import CartItem, IntegrationRequest, NewCustomerSessionV2
from talon_async.testing import FakeTalon, coupon_codes

CART = {
    "customerSession": {
        "profileId": "alice",
        "couponCodes": ["WELCOME10"],
        "cartItems": [{"sku": "shoe", "quantity": 1, "price": 80.0}],
    }
}


def put_session(fake: FakeTalon, session_id: str, body: Any = CART) -> tuple[int, Any]:
    """PUT a session with urllib, as any synchronous code could."""
    request = urllib.request.Request(
        f"{fake.url}/v2/customer_sessions/{session_id}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"ApiKey-v1 {fake.api_key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_synchronous_code_seeds_and_drives_the_fake() -> None:
    with FakeTalon.in_thread(api_key="sync-key") as fake:
        assert fake.api_key == "sync-key" and fake.url.startswith("http://127.0.0.1:")
        fake.add_coupon("WELCOME10")
        fake.add_rule(coupon_codes(percent=10))
        status, state = put_session(fake, "s-1")
        assert status == 200
        assert [e["effectType"] for e in state["effects"]] == ["acceptCoupon", "setDiscount"]
        assert fake.sessions["s-1"]["profileId"] == "alice"
        fake.faults.fail_next(503)
        assert put_session(fake, "s-2")[0] == 503
        assert [(r.method, r.status) for r in fake.requests] == [("PUT", 200), ("PUT", 503)]
        fake.reset()
        assert fake.requests == [] and fake.sessions == {} and fake.coupons == {}
        url = fake.url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


async def test_asyncio_code_on_another_loop_uses_the_threaded_fake() -> None:
    with FakeTalon.in_thread() as fake:
        fake.add_coupon("WELCOME10")
        fake.add_rule(coupon_codes(percent=10))
        async with fake.client() as client:
            state = await client.sessions.update_v2(
                "s-1",
                IntegrationRequest(
                    customer_session=NewCustomerSessionV2(
                        profile_id="alice",
                        coupon_codes=["WELCOME10"],
                        cart_items=[CartItem(sku="shoe", quantity=1, price=80.0)],
                    )
                ),
            )
        assert [e.effect_type for e in state.effects] == ["acceptCoupon", "setDiscount"]


def test_requests_wait_for_the_lock_the_seeding_methods_take() -> None:
    with FakeTalon.in_thread() as fake, ThreadPoolExecutor(1) as pool:
        with fake.lock:
            pending = pool.submit(put_session, fake, "s-1")
            deadline = time.monotonic() + 10
            while not fake.requests and time.monotonic() < deadline:
                time.sleep(0.01)
            assert [r.status for r in fake.requests] == [None]
            fake.add_coupon("WELCOME10")  # the lock is re-entrant for the seeding methods
            assert not pending.done() and fake.sessions == {}
        assert pending.result(timeout=10)[0] == 200
        assert fake.sessions["s-1"]["couponCodes"] == ["WELCOME10"]


def test_a_fake_that_cannot_start_raises_in_the_callers_thread() -> None:
    threads = threading.active_count()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError), FakeTalon.in_thread(port=port):
            raise AssertionError("the fake must not start on a port in use")
    assert threading.active_count() == threads
