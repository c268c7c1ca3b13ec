"""`python -m talon_async demo`, against the built-in fake and in dry-run mode."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from talon_async.__main__ import demo
from talon_async.testing import FakeTalon


def test_demo_runs_against_the_built_in_fake() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "talon_async", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "built-in fake API at http://127.0.0.1:" in out
    assert "coupon WELCOME10 accepted" in out
    assert "coupon NOPE-123 rejected (CouponNotFound)" in out
    assert "referral code:" in out
    assert "session closed" in out
    assert "7 steps in" in out and "0 failed" in out
    assert run.stderr == ""


def test_demo_against_a_deployment_only_sends_dry_runs(capsys: pytest.CaptureFixture[str]) -> None:
    async def scenario() -> tuple[int, FakeTalon]:
        async with FakeTalon() as fake:
            code = await demo(fake.url, fake.api_key, dry=True)
            return code, fake

    code, fake = asyncio.run(scenario())
    assert code == 0
    out = capsys.readouterr().out
    assert "(dry run)" in out and "skipped (no dry run for this call)" in out
    writes = [r for r in fake.requests if r.method in ("PUT", "POST", "DELETE")]
    assert writes
    for request in writes:
        assert request.query.get("dry") == "true", request.path
    assert fake.sessions == {} and fake.coupons == {} and fake.referrals == {}
