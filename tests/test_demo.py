"""`python -m talon_async demo`, against the built-in fake and in dry-run mode."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from talon_async import __version__
from talon_async.__main__ import demo, main
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
    assert "seeded: coupon WELCOME10" in out
    assert "seeded: rule '10% off the cart with a valid coupon' (campaign 1)" in out
    assert "seeded: rule '1 loyalty point per euro in program 1' (campaign 2)" in out
    assert "coupon WELCOME10 accepted" in out
    assert "coupon NOPE-123 rejected (CouponNotFound)" in out
    assert "referral code:" in out
    # 89.90 + 2 x 12.50 + 15.00, and 10% off with the coupon
    assert "session closed: total 129.90, discounts 12.99, to pay 116.91" in out
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
    # No deprecated v1 operation; no discount is "0.00", not "-0.00".
    assert [r.path for r in fake.requests if r.path.startswith("/v1/events")] == []
    assert "/v2/events" in [r.path for r in fake.requests]
    assert "discounts 0.00, to pay" in out and "-0.00" not in out


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["demo", "--base-url", "htp://x"], "demo: error: argument --base-url: base_url htp://x"),
        (["demo", "--no-dry-run"], "demo: error: --no-dry-run needs --base-url (see --help)"),
        (["demo", "--dry"], "talon_async: error: unrecognized arguments: --dry (see --help)"),
        ([], "talon_async: error: the following arguments are required: command"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("python -m talon_async") and error in captured.err
    assert captured.err.count("\n") == 1


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"talon_async {__version__}\n"
