"""README.md as a newcomer reads it: every Python example runs, in order, in one session
with top-level await (as in ``python -m asyncio``), starting from nothing: the README's
first block starts and seeds the fake. The test functions it defines then run, with the
plugin's fixtures given as pytest would; the worker recipe, which has no test of its own,
is driven here. All the examples together also pass ``mypy --strict``.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import re
import subprocess
import sys
import textwrap
import types
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from talon_async.testing import FakeTalon

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)
TEXT = README.read_text()
BLOCKS = [
    (TEXT.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in FENCE.finditer(TEXT)
]


async def _run_examples(namespace: dict[str, Any]) -> None:
    for line, source in BLOCKS:
        code = compile(
            "\n" * (line - 1) + source,
            str(README),
            "exec",
            flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
        )
        result = eval(code, namespace)
        if asyncio.iscoroutine(result):
            await result


async def _run_tests(namespace: dict[str, Any]) -> list[str]:
    """Run the README's test functions, giving them the fixtures they name."""
    names = [
        name
        for name, value in namespace.items()
        if name.startswith("test_") and inspect.isfunction(value)
    ]
    for name in names:
        test = namespace[name]
        wanted = inspect.signature(test).parameters
        async with AsyncExitStack() as stack:
            fixtures: dict[str, Any] = {}
            if "talon_fake_server" in wanted:
                fixtures["talon_fake_server"] = stack.enter_context(FakeTalon.in_thread())
            if "talon_fake" in wanted or "talon_client" in wanted:
                fake = fixtures["talon_fake"] = await stack.enter_async_context(FakeTalon())
                fixtures["talon_client"] = await stack.enter_async_context(fake.client())
            arguments = {parameter: fixtures[parameter] for parameter in wanted}
            if inspect.iscoroutinefunction(test):
                await test(**arguments)
            else:
                await asyncio.to_thread(test, **arguments)
    return names


async def test_readme_examples_and_tests_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(BLOCKS) >= 20
    # A real module, as pydantic resolves the annotations of the README's models by module.
    module = types.ModuleType("readme")
    monkeypatch.setitem(sys.modules, "readme", module)
    namespace = module.__dict__
    try:
        await _run_examples(namespace)
        assert await _run_tests(namespace) == [
            "test_a_cart_gets_its_discount",
            "test_a_customer_sees_the_coupons_reserved_for_them",
            "test_the_client_retries_a_503",
            "test_a_profile_update_is_stored",
            "test_discount_from_synchronous_code",
        ]
        await _drive_worker(namespace)
    finally:
        await namespace["client"].aclose()
        await namespace["fake"].close()
    printed = capsys.readouterr().out
    assert "coupon accepted: WELCOME10" in printed and "referral code:" in printed


async def _drive_worker(namespace: dict[str, Any]) -> None:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    update = namespace["CartUpdate"]
    request = namespace["IntegrationRequest"]
    session = namespace["NewCustomerSessionV2"]
    for n in range(30):
        queue.put_nowait(
            update(
                f"worker-{n % 3}",
                request(customer_session=session(profile_id="w", attributes={"n": n})),
            )
        )
    async with FakeTalon() as fake, fake.client() as client:
        worker = asyncio.ensure_future(namespace["cart_worker"](queue, client))
        await asyncio.wait_for(queue.join(), 10)
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    assert worker.cancelled()
    for session_id in ("worker-0", "worker-1", "worker-2"):
        assert fake.sessions[session_id]["attributes"]["n"] == max(
            n for n in range(30) if f"worker-{n % 3}" == session_id
        )


def test_readme_examples_pass_mypy_strict() -> None:
    # One function holds the examples, so that their top-level awaits are legal; each
    # problem is reported at its line in README.md.
    lines = ["async def readme() -> None:"]
    origin = [0]
    for first, source in BLOCKS:
        for offset, text in enumerate(source.splitlines()):
            lines.append(textwrap.indent(text, "    ") if text else "")
            origin.append(first + offset)
    # In a process of its own: mypy's memory would slow down every later gc.collect().
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--strict",
            "-c",
            "\n".join(lines),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    located = re.sub(
        r"^<string>:(\d+):",
        lambda match: f"README.md:{origin[int(match[1]) - 1]}:",
        run.stdout,
        flags=re.M,
    )
    assert run.returncode == 0, located + run.stderr


async def test_loyalty_examples_run_on_their_own() -> None:
    """Each example of the Loyalty section sets up its own fake: none needs another."""
    text = README.read_text()
    section = text[text.index("\n## Loyalty\n") : text.index("\n## Models and decoding\n")]
    examples = [source for _, source in BLOCKS if source in section]
    assert len(examples) == 3
    for number, source in enumerate(examples, 1):
        code = compile(
            source, f"Loyalty example {number}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        )
        result = eval(code, {})
        if asyncio.iscoroutine(result):
            await result


def test_readme_seed_file_loads() -> None:
    [seed] = re.findall(r"^```json\n(.*?)^```", TEXT, flags=re.S | re.M)
    fake = FakeTalon()
    fake.seed(json.loads(seed))
    assert "WELCOME10" in fake.coupons and "customer-1" in fake.profiles
