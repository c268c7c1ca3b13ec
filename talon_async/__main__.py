"""The command line: ``python -m talon_async demo`` and ``python -m talon_async fake``.

``demo`` runs a realistic cart flow. With no arguments it starts
:class:`~talon_async.testing.FakeTalon` on 127.0.0.1 and runs everything there. With
``--base-url`` (and ``TALON_API_KEY`` in the environment) it runs against that
deployment, with ``dry=true`` on every call that has it, and skips the calls that cannot
be dry-run, unless ``--no-dry-run`` is given.

``fake`` serves the fake as a standalone server until interrupted (SIGINT or SIGTERM),
optionally seeded from a JSON or TOML file, logging one line per request. Its request
log keeps the last 100 requests, bodies cut at 4 KiB, and nothing of a request without
valid credentials but its method, path, status and duration; without ``--api-key`` it
accepts the fixed, well-known key ``fake-api-key``, and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from . import ApiKeyV1, NotFoundError, TalonClient, TalonError
from ._version import __version__
from .bulk import _cli as bulk_cli
from .models import (
    AcceptCouponEffectProps,
    AddLoyaltyPointsEffectProps,
    CartItem,
    CouponReservations,
    CustomerProfileIntegrationRequestV2,
    Effect,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewCustomerSessionV2,
    NewReferral,
    RejectCouponEffectProps,
    SetDiscountEffectProps,
)

if TYPE_CHECKING:
    from .testing import FakeTalon, RecordedRequest

T = TypeVar("T")

PROFILE_ID = "demo-customer-1"
SESSION_ID = "demo-session-1"
COUPON = "WELCOME10"
CART = [
    CartItem(sku="SHOE-42", name="Running shoe", quantity=1, price=89.90, category="shoes"),
    CartItem(sku="SOCK-3P", name="Socks, 3 pack", quantity=2, price=12.50, category="socks"),
    CartItem(sku="BOTTLE", name="Water bottle", quantity=1, price=15.00, category="gear"),
]


def describe(effect: Effect) -> str:
    """One short line for an effect, using its typed props where we know them."""
    match effect.props:
        case SetDiscountEffectProps(name=name, value=value):
            return f"discount {name!r}: -{value:.2f}"
        case AcceptCouponEffectProps(value=code):
            return f"coupon {code} accepted"
        case RejectCouponEffectProps(value=code, rejection_reason=reason):
            return f"coupon {code} rejected ({reason})"
        case AddLoyaltyPointsEffectProps(value=points, program_id=program):
            return f"+{points:g} loyalty points in program {program}"
        case _:
            return effect.effect_type


class Demo:
    """Runs the steps, timing each and printing one line per step."""

    def __init__(self, client: TalonClient, *, dry: bool) -> None:
        self.client = client
        self.dry = dry
        self.step: int = 0
        self.failures: int = 0

    async def run(self, title: str, call: Callable[[], Awaitable[T]]) -> T | None:
        self.step += 1
        started = time.perf_counter()
        try:
            result = await call()
        except NotFoundError as error:
            if not self.dry:
                raise
            # A dry run stores nothing, so what it would have created is not there to read.
            print(f"{self.step:2}. {title:<44} not found (dry runs store nothing): {error.status}")
            return None
        except TalonError as error:
            self.failures += 1
            print(f"{self.step:2}. {title:<44} FAILED: {error}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{self.step:2}. {title:<44} {elapsed:7.1f} ms")
        return result

    def skip(self, title: str, why: str) -> None:
        self.step += 1
        print(f"{self.step:2}. {title:<44} skipped ({why})")

    async def flow(self) -> None:
        client, dry = self.client, self.dry
        state = await self.run(
            f"update profile {PROFILE_ID}",
            lambda: client.profiles.update_v2(
                PROFILE_ID,
                CustomerProfileIntegrationRequestV2(attributes={"Name": "Ada", "tier": "gold"}),
                run_rule_engine=dry,
                dry=dry,
            ),
        )
        if state is not None and state.customer_profile is not None:
            print(f"      profile attributes: {state.customer_profile.attributes}")
        session = NewCustomerSessionV2(
            profile_id=PROFILE_ID, coupon_codes=[COUPON, "NOPE-123"], cart_items=CART
        )
        opened = await self.run(
            f"open session with {len(CART)} items, 2 coupon codes",
            lambda: client.sessions.update_v2(
                SESSION_ID, IntegrationRequest(customer_session=session), dry=dry
            ),
        )
        if opened is not None:
            for effect in opened.effects:
                print(f"      effect: {describe(effect)}")
        if dry:
            self.skip(f"reserve coupon {COUPON}", "no dry run for this call")
            self.skip("create a referral code", "no dry run for this call")
        else:
            coupon = await self.run(
                f"reserve coupon {COUPON} for {PROFILE_ID}",
                lambda: client.coupon_reservations.create(
                    COUPON, CouponReservations(integration_ids=[PROFILE_ID])
                ),
            )
            if coupon is not None:
                print(f"      reserved: {coupon.value} (used {coupon.usage_counter} times)")
            referral = await self.run(
                "create a referral code",
                lambda: client.referrals.create(
                    NewReferral(campaign_id=1, advocate_profile_integration_id=PROFILE_ID)
                ),
            )
            if referral is not None:
                print(f"      referral code: {referral.code}")
        await self.run(
            "track event 'viewedPromoPage'",
            lambda: client.events.track_v2(
                IntegrationEventV2Request(type="viewedPromoPage", profile_id=PROFILE_ID), dry=dry
            ),
        )
        inventory = await self.run(
            "read the customer's inventory",
            lambda: client.profiles.get_inventory(
                PROFILE_ID, profile=True, coupons=True, loyalty=True, referrals=True
            ),
        )
        if inventory is not None:
            coupons = [c.value for c in inventory.coupons or ()]
            print(f"      coupons: {coupons}, referrals: {len(inventory.referrals or ())}")
        closing = NewCustomerSessionV2(
            profile_id=PROFILE_ID, coupon_codes=[COUPON], cart_items=CART, state="closed"
        )
        closed = await self.run(
            "close the session",
            lambda: client.sessions.update_v2(
                SESSION_ID,
                IntegrationRequest(
                    customer_session=closing, response_content=["customerSession", "loyalty"]
                ),
                dry=dry,
            ),
        )
        if closed is not None and closed.customer_session is not None:
            total = closed.customer_session.total
            discounts = sum(
                effect.props.value
                for effect in closed.effects
                if isinstance(effect.props, SetDiscountEffectProps)
            )
            print(
                f"      session {closed.customer_session.state}: total {total:.2f}, "
                f"discounts {discounts:.2f}, to pay {total - discounts:.2f}"
            )


async def demo(base_url: str | None, api_key: str | None, dry: bool) -> int:
    async with AsyncExitStack() as stack:
        if base_url is None:
            from .testing import FakeTalon, coupon_codes, loyalty_points

            fake = await stack.enter_async_context(FakeTalon())
            print(f"talon_async demo against the built-in fake API at {fake.url}")
            fake.add_coupon(COUPON)
            print(f"      seeded: coupon {COUPON}")
            for rule, name in [
                (coupon_codes(percent=10), "10% off the cart with a valid coupon"),
                (loyalty_points(1, 1.0), "1 loyalty point per euro in program 1"),
            ]:
                campaign = fake.add_rule(rule, name=name)
                print(f"      seeded: rule {name!r} (campaign {campaign})")
            client = fake.client()
        else:
            if not api_key:
                print("set TALON_API_KEY to run the demo against a deployment", file=sys.stderr)
                return 2
            client = TalonClient(base_url, auth=ApiKeyV1(api_key))
            mode = "dry run" if dry else "REAL writes"
            print(f"talon_async demo against {client.base_url} ({mode})")
        await stack.enter_async_context(client)
        runner = Demo(client, dry=dry)
        started = time.perf_counter()
        await runner.flow()
        total = (time.perf_counter() - started) * 1000
        print(f"{runner.step} steps in {total:.1f} ms, {runner.failures} failed")
        return 1 if runner.failures else 0


FAKE_LOG_REQUESTS = 100
FAKE_LOG_BODY_BYTES = 4096
"""The standalone fake's request log: the last 100 requests, bodies cut at 4 KiB."""


def log_request(request: RecordedRequest) -> None:
    """The fake server's log: one line per request."""
    status = "dropped" if request.status is None else request.status
    ms = (request.duration or 0) * 1000
    print(f"{request.method} {request.raw_path} {status} {ms:.1f} ms", flush=True)


async def serve(
    fake: FakeTalon, seeded: dict[str, Any], seed: str | None, defaults: Collection[str] = ()
) -> int:
    """Serve ``fake`` until SIGINT or SIGTERM; ``defaults`` names its credentials left at
    their well-known default (``api_key``, ``application_key``), which it says."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await fake.start()
    except OSError as error:
        where = f"{fake.host}:{fake.port}"
        print(f"python -m talon_async fake: cannot listen on {where}: {error}", file=sys.stderr)
        return 1
    try:
        print(f"fake Talon.One Integration API at {fake.url}")
        note = {
            name: f"; the default, known to anyone (choose one with --{name.replace('_', '-')})"
            for name in defaults
        }
        key, signer, signing_key = fake.api_key, fake.application_id, fake.application_key
        print(f"API key: {key} (header 'Authorization: ApiKey-v1 {key}'){note.get('api_key', '')}")
        print(f"Content-Signature: application {signer}, key {signing_key}", end="")
        print(note.get("application_key", ""))
        token = fake.manager_token
        print(
            f"Customer audiences also take 'Authorization: Bearer {token}' (fixed, known to anyone)"
        )
        if seed is not None:
            counts = ", ".join(f"{key}: {len(items)}" for key, items in seeded.items())
            print(f"seeded from {seed}: {counts or 'nothing'}")
        print("serving until interrupted (Ctrl-C or SIGTERM)", flush=True)
        await stop.wait()
    finally:
        await fake.close()
    print("stopped", flush=True)
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _hex_key(text: str) -> str:
    try:
        bytes.fromhex(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a hexadecimal key") from None
    return text


class _Parser(argparse.ArgumentParser):
    """Reports a usage error in one line, with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _base_url(text: str) -> str:
    from ._transport import normalize_base_url

    try:
        return normalize_base_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m talon_async")
    parser.add_argument("--version", action="version", version=f"talon_async {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("demo", help="run a cart flow against the fake or a deployment")
    run.add_argument(
        "--base-url", type=_base_url, help="a Talon.One deployment (default: the built-in fake)"
    )
    run.add_argument(
        "--no-dry-run",
        action="store_true",
        help="with --base-url: really write to the deployment",
    )
    fake = commands.add_parser(
        "fake",
        help="serve the fake Integration API until interrupted",
        description="Serve the fake Integration API until interrupted (Ctrl-C or SIGTERM), "
        f"logging one line per request. It keeps the last {FAKE_LOG_REQUESTS} requests in "
        f"memory, bodies cut at {FAKE_LOG_BODY_BYTES // 1024} KiB, and of a request without "
        "valid credentials only its method, path and status.",
    )
    fake.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    fake.add_argument("--port", type=_port, default=8080, help="port (8080; 0: any free one)")
    fake.add_argument(
        "--api-key",
        help="the key accepted in 'Authorization: ApiKey-v1 <key>' (default: fake-api-key, "
        "known to anyone)",
    )
    fake.add_argument("--application-id", type=int, help="the signer of a Content-Signature")
    fake.add_argument(
        "--application-key", type=_hex_key, help="the key of a Content-Signature, hex"
    )
    fake.add_argument("--seed", metavar="FILE", help="a JSON or TOML file of what to add first")
    bulk_cli.add_commands(commands)
    args = parser.parse_args(argv)
    if args.command in ("bulk", "worker"):
        return bulk_cli.run_command(parser, args)
    if args.command == "fake":
        return serve_fake(fake, args)
    if args.no_dry_run and args.base_url is None:
        run.error("--no-dry-run needs --base-url")
    dry = args.base_url is not None and not args.no_dry_run
    return asyncio.run(demo(args.base_url, os.environ.get("TALON_API_KEY"), dry))


def serve_fake(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``python -m talon_async fake``: build and seed the fake, then serve it."""
    from .testing import FakeTalon, SeedError

    options = {
        "api_key": args.api_key,
        "application_id": args.application_id,
        "application_key": args.application_key,
    }
    fake = FakeTalon(
        host=args.host,
        port=args.port,
        on_request=log_request,
        max_requests=FAKE_LOG_REQUESTS,
        max_body_bytes=FAKE_LOG_BODY_BYTES,
        **{name: value for name, value in options.items() if value is not None},
    )
    try:
        seeded = fake.seed_file(args.seed) if args.seed is not None else {}
    except SeedError as error:
        parser.error(f"--seed {error}")
    defaults = [name for name in ("api_key", "application_key") if options[name] is None]
    return asyncio.run(serve(fake, seeded, args.seed, defaults))


if __name__ == "__main__":
    sys.exit(main())
