"""Every Python example of README.md runs, in order, against the fake API.

The examples share one namespace, as in a notebook, with ``BASE_URL`` and ``API_KEY``
pointing at a FakeTalon that knows the coupon WELCOME10, gives 10% off with it, and has
audience 7. The recipes (FastAPI, aiohttp web, worker) are then driven for real.
"""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
from aiohttp.test_utils import TestClient, TestServer

from talon_async.testing import FakeTalon, coupon_codes

README = Path(__file__).parent.parent / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)


async def _run_examples(namespace: dict[str, Any]) -> None:
    for number, source in enumerate(BLOCKS, 1):
        code = compile(
            source, f"README.md example {number}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        result = eval(code, namespace)
        if asyncio.iscoroutine(result):
            await result


async def test_readme_examples_and_recipes_run(capsys: Any) -> None:
    assert len(BLOCKS) >= 12
    async with FakeTalon() as fake:
        fake.add_coupon("WELCOME10")
        fake.add_rule(coupon_codes(percent=10))
        fake.add_audience(7)
        namespace: dict[str, Any] = {
            "__name__": "readme",
            "BASE_URL": fake.url,
            "API_KEY": fake.api_key,
        }
        try:
            await _run_examples(namespace)
            await _drive_fastapi(namespace)
            await _drive_aiohttp(namespace, fake)
            await _drive_worker(namespace, fake)
        finally:
            await namespace["client"].aclose()
    printed = capsys.readouterr().out
    assert "acceptCoupon" in printed and "referral code:" in printed


async def _drive_fastapi(namespace: dict[str, Any]) -> None:
    app = namespace["app"]
    async with (
        namespace["lifespan"](app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app") as http,
    ):
        answer = await http.put(
            "/carts/web-1",
            json={
                "customer": "customer-9",
                "items": [{"sku": "A", "qty": 1, "price": 10.0}],
            },
        )
    assert answer.status_code == 200
    assert answer.json() == {"effects": []}
    assert app.state.talon.closed


async def _drive_aiohttp(namespace: dict[str, Any], fake: FakeTalon) -> None:
    fake.add_coupon("AIOHTTP")
    fake.add_profile("customer-web")
    async with TestClient(TestServer(namespace["make_app"]())) as http:
        answer = await http.get("/customers/customer-web/inventory")
        assert answer.status == 200
        assert await answer.json() == {"coupons": []}


async def _drive_worker(namespace: dict[str, Any], fake: FakeTalon) -> None:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    request_type = namespace["IntegrationRequest"]
    session_type = namespace["NewCustomerSessionV2"]
    for n in range(30):
        queue.put_nowait(
            {
                "session": f"worker-{n % 3}",
                "request": request_type(
                    customer_session=session_type(profile_id="w", attributes={"n": n})
                ),
            }
        )
    worker = asyncio.ensure_future(namespace["cart_worker"](queue, namespace["client"]))
    await asyncio.wait_for(queue.join(), 10)
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)
    assert worker.cancelled()
    for session in ("worker-0", "worker-1", "worker-2"):
        assert fake.sessions[session]["attributes"]["n"] == max(
            n for n in range(30) if f"worker-{n % 3}" == session
        )
