"""Every Python example of README.md runs, in order, against the fake API.

The examples share one namespace, as in a notebook, with ``BASE_URL`` and ``API_KEY``
pointing at a FakeTalon that knows the coupon WELCOME10, gives 10% off with it, and has
audience 7. The test functions the README defines run too, and the recipes without one
(aiohttp web, worker) are driven for real.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
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


async def _run_tests(namespace: dict[str, Any]) -> list[str]:
    """Run the test functions the README defines (synchronous ones in a worker thread)."""
    names = [
        name
        for name, value in namespace.items()
        if name.startswith("test_") and inspect.isfunction(value)
    ]
    for name in names:
        test = namespace[name]
        if inspect.iscoroutinefunction(test):
            await test()
        else:
            await asyncio.to_thread(test)
    return names


async def test_readme_examples_and_recipes_run(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(BLOCKS) >= 12
    # A real module, as pydantic resolves the annotations of the README's models by module.
    module = types.ModuleType("readme")
    monkeypatch.setitem(sys.modules, "readme", module)
    async with FakeTalon() as fake:
        fake.add_coupon("WELCOME10")
        fake.add_rule(coupon_codes(percent=10))
        fake.add_audience(7)
        namespace = module.__dict__
        namespace.update(BASE_URL=fake.url, API_KEY=fake.api_key)
        try:
            await _run_examples(namespace)
            assert await _run_tests(namespace) == [
                "test_a_cart_gets_its_discount",
                "test_discount_from_synchronous_code",
            ]
            await _drive_aiohttp(namespace, fake)
            await _drive_worker(namespace, fake)
        finally:
            await namespace["client"].aclose()
    printed = capsys.readouterr().out
    assert "acceptCoupon" in printed and "referral code:" in printed


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


async def test_loyalty_examples_run_on_their_own() -> None:
    """Each example of the Loyalty section sets up its own fake: none needs another."""
    text = README.read_text()
    section = text[text.index("\n## Loyalty\n") : text.index("\n## Models and decoding\n")]
    examples = [block for block in BLOCKS if block in section]
    assert len(examples) == 3
    for number, source in enumerate(examples, 1):
        code = compile(
            source, f"Loyalty example {number}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        result = eval(code, {})
        if asyncio.iscoroutine(result):
            await result


def test_readme_seed_file_loads() -> None:
    [seed] = re.findall(r"^```json\n(.*?)^```", README.read_text(), flags=re.S | re.M)
    fake = FakeTalon()
    fake.seed(json.loads(seed))
    assert "WELCOME10" in fake.coupons and "customer-1" in fake.profiles
