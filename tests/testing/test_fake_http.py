"""The fake as raw HTTP: auth, validation, errors, session states, dry runs, the log."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import aiohttp
import pytest

from talon_async.operations import INTEGER_PATH_PARAMETERS
from talon_async.testing import FakeTalon
from talon_async.testing._http import Route

from .conftest import Raw, Reply

SESSION = "/v2/customer_sessions/s-1"


def cart(state: str | None = None, profile: str = "alice") -> dict[str, Any]:
    session: dict[str, Any] = {
        "profileId": profile,
        "cartItems": [{"sku": "shoe", "quantity": 2, "price": 50.0}],
    }
    if state is not None:
        session["state"] = state
    return {"customerSession": session, "responseContent": ["customerSession"]}


def assert_talon_error(body: Any, status: int) -> None:
    assert body["StatusCode"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], list)


# -- authentication -------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "ApiKey-v1 wrong-key"},
        {"Authorization": "Bearer fake-api-key"},
        {"Authorization": "Bearer fake-manager-token"},
        {"Content-Signature": "signer=1; signature=00"},
        {"Authorization": "ApiKey-v1 schlüssel"},
    ],
    ids=["missing", "wrong-key", "key-as-bearer", "manager-token", "bad-signature", "non-ascii"],
)
async def test_bad_credentials_get_401_and_change_nothing(
    raw: Raw, talon_fake: FakeTalon, headers: dict[str, str]
) -> None:
    reply = await raw("PUT", SESSION, cart(), headers=headers, auth=False)
    assert reply.status == 401
    assert_talon_error(reply.json, 401)
    assert reply.json["errors"][0]["source"] == {"parameter": "Authorization"}
    assert talon_fake.sessions == {} and talon_fake.profiles == {}
    # Recorded without its credentials or body: method, path and status only.
    (record,) = talon_fake.requests
    assert (record.method, record.path, record.status) == ("PUT", SESSION, 401)
    assert (record.headers, record.body) == ({}, b"")


def signature(fake: FakeTalon, body: bytes, signer: object = None) -> str:
    digest = hmac.new(bytes.fromhex(fake.application_key), body, hashlib.md5).hexdigest()
    return f"signer={fake.application_id if signer is None else signer}; signature={digest}"


async def test_content_signature_is_accepted(raw: Raw, talon_fake: FakeTalon) -> None:
    body = json.dumps(cart()).encode()
    reply = await raw(
        "PUT",
        SESSION,
        data=body,
        headers={"Content-Signature": signature(talon_fake, body)},
        auth=False,
    )
    assert reply.status == 200
    assert "s-1" in talon_fake.sessions


@pytest.mark.parametrize("tamper", ["signer", "body"])
async def test_content_signature_must_match_signer_and_body(
    raw: Raw, talon_fake: FakeTalon, tamper: str
) -> None:
    body = json.dumps(cart()).encode()
    header = signature(talon_fake, body, signer=2 if tamper == "signer" else None)
    sent = body.replace(b"50.0", b"5.0") if tamper == "body" else body
    reply = await raw("PUT", SESSION, data=sent, headers={"Content-Signature": header}, auth=False)
    assert reply.status == 401


async def test_manager_token_is_accepted_only_for_customer_audiences(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.add_audience(7, "VIP")
    body = {"data": [{"action": "add", "profileIntegrationId": "alice", "audienceId": 7}]}
    bearer = {"Authorization": "Bearer fake-manager-token"}
    reply = await raw("POST", "/v2/customer_audiences", body, headers=bearer, auth=False)
    assert reply.status == 204 and reply.body == b""
    assert talon_fake.profiles["alice"]["audienceMemberships"] == [{"id": 7, "name": "VIP"}]
    with_key = await raw("POST", "/v2/customer_audiences", body)
    assert with_key.status == 204


# -- validation and errors ------------------------------------------------------------


@pytest.mark.parametrize("data", [b"{", b"", b"\xff\xfe", b"[1,"])
async def test_malformed_json_is_400(raw: Raw, talon_fake: FakeTalon, data: bytes) -> None:
    reply = await raw("PUT", SESSION, data=data)
    assert reply.status == 400
    assert_talon_error(reply.json, 400)
    assert reply.json["errors"][0]["title"] == "Malformed JSON"
    assert talon_fake.sessions == {}


ITEMS = "/customerSession/cartItems/0"
AUDIENCE_ITEM = {"action": "join", "profileIntegrationId": "a", "audienceId": 1}
REFERRAL = {"campaignId": 1, "advocateProfileIntegrationId": "a", "expiryDate": "soon"}


@pytest.mark.parametrize(
    ("path", "body", "pointer"),
    [
        (SESSION, {}, "/customerSession"),
        (SESSION, [], "/"),
        (SESSION, {"customerSession": {"cartItems": [{"quantity": 1}]}}, f"{ITEMS}/sku"),
        (
            SESSION,
            {"customerSession": {"cartItems": [{"sku": "a", "quantity": "1"}]}},
            f"{ITEMS}/quantity",
        ),
        (SESSION, {"customerSession": {"state": "paid"}}, "/customerSession/state"),
        (SESSION, {"customerSession": {}, "responseContent": ["all"]}, "/responseContent/0"),
        ("/v1/events", {"type": "viewed", "attributes": {}}, "/sessionId"),
        ("/v1/referrals", {"campaignId": 1}, "/advocateProfileIntegrationId"),
        ("/v1/referrals", REFERRAL, "/expiryDate"),
        (
            "/v2/customer_profiles",
            {"customerProfiles": [{"attributes": {}}]},
            "/customerProfiles/0/integrationId",
        ),
        ("/v2/customer_audiences", {"data": [AUDIENCE_ITEM]}, "/data/0/action"),
    ],
)
async def test_invalid_body_is_400_with_a_pointer(
    raw: Raw, talon_fake: FakeTalon, path: str, body: Any, pointer: str
) -> None:
    method = (
        "POST" if path.startswith(("/v1/events", "/v1/referrals", "/v2/customer_aud")) else "PUT"
    )
    reply = await raw(method, path, body)
    assert reply.status == 400
    assert_talon_error(reply.json, 400)
    assert [error["source"]["pointer"] for error in reply.json["errors"]] == [pointer]
    assert talon_fake.sessions == {} and talon_fake.profiles == {} and talon_fake.referrals == {}


async def test_bulk_update_takes_at_most_1000_profiles(raw: Raw, talon_fake: FakeTalon) -> None:
    profiles = [{"integrationId": f"p{i}"} for i in range(1001)]
    reply = await raw("PUT", "/v2/customer_profiles", {"customerProfiles": profiles})
    assert reply.status == 400
    assert reply.json["errors"][0]["source"]["pointer"] == "/customerProfiles"
    assert talon_fake.profiles == {}
    reply = await raw("PUT", "/v2/customer_profiles", {"customerProfiles": profiles[:1000]})
    assert reply.status == 204
    assert len(talon_fake.profiles) == 1000


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("dry=yes", "dry"),
        ("dry=1", "dry"),
        ("now=2099-01-01T00:00:00Z", "now"),
        ("dry=true&now=2020-01-01T00:00:00Z", "now"),
        ("dry=true&now=tomorrow", "now"),
    ],
)
async def test_invalid_query_parameters_are_400(raw: Raw, query: str, parameter: str) -> None:
    reply = await raw("PUT", f"{SESSION}?{query}", cart())
    assert reply.status == 400
    assert reply.json["errors"][0]["source"] == {"parameter": parameter}


async def test_unknown_coupon_is_404(raw: Raw, talon_fake: FakeTalon) -> None:
    body = {"integrationIDs": ["alice"]}
    for method, path in [
        ("POST", "/v1/coupon_reservations/NOPE"),
        ("DELETE", "/v1/coupon_reservations/NOPE"),
        ("GET", "/v1/coupon_reservations/customerprofiles/NOPE"),
    ]:
        reply = await raw(method, path, body if method != "GET" else None)
        assert reply.status == 404, (method, path)
        assert_talon_error(reply.json, 404)
        assert reply.json["errors"][0]["source"] == {"parameter": "couponValue"}
    assert talon_fake.reservations == {} and talon_fake.profiles == {}


async def test_unknown_profile_is_404_for_inventory_and_deletion(raw: Raw) -> None:
    assert (await raw("GET", "/v1/customer_profiles/ghost/inventory?profile=true")).status == 404
    assert (await raw("DELETE", "/v1/customer_data/ghost")).status == 404


async def test_unknown_path_is_404_and_wrong_method_405(raw: Raw) -> None:
    missing = await raw("GET", "/v1/nothing/here")
    assert missing.status == 404
    assert_talon_error(missing.json, 404)
    wrong = await raw("DELETE", SESSION)
    assert wrong.status == 405
    assert wrong.headers["Allow"] == "PUT, GET"


ROUTES_WITH_PARAMETERS = [
    route for route in FakeTalon.all_routes() if any(s.startswith("{") for s in route.pattern)
]


@pytest.mark.parametrize(
    "route",
    ROUTES_WITH_PARAMETERS,
    ids=[f"{r.method} /{'/'.join(r.pattern)}" for r in ROUTES_WITH_PARAMETERS],
)
async def test_any_path_parameter_reaches_the_fakes_routing(
    raw: Raw, talon_fake: FakeTalon, route: Route
) -> None:
    value = "%0Aline%09tab%0D%0Aend"  # aiohttp's own router matches no newline
    path = "/" + "/".join(value if s.startswith("{") else s for s in route.pattern)
    anonymous = await raw(route.method, path, auth=False)
    assert anonymous.status == 401
    assert_talon_error(anonymous.json, 401)
    body = {
        "integrationIDs": ["alice"],
        "customerSession": {},
        "return": {"returnedCartItems": []},
        "name": "n",
        "actions": [{"type": "REMOVE", "payload": {"sku": "s"}}],
    }
    reply = await raw(route.method, path, body)
    # An integer ID cannot be this value: those routes answer 400.
    numeric = set(route.operation.path_parameters) & INTEGER_PATH_PARAMETERS
    assert reply.status in ((400,) if numeric else (200, 201, 204, 404)), reply.body
    if reply.status != 204:
        assert reply.headers["Content-Type"].startswith("application/json")
        assert reply.json
    recorded = [(r.raw_path, r.path, r.status) for r in talon_fake.requests]
    decoded = path.replace("%0A", "\n").replace("%09", "\t").replace("%0D", "\r")
    assert recorded == [(path, decoded, 401), (path, decoded, reply.status)]


async def test_an_unknown_path_with_a_newline_is_the_fakes_404(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    reply = await raw("GET", "/v1/no%0Athing")
    assert reply.status == 404
    assert_talon_error(reply.json, 404)
    assert [(r.path, r.status) for r in talon_fake.requests] == [("/v1/no\nthing", 404)]


# -- sessions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("states", "status"),
    [
        (["open"], 200),
        (["closed"], 200),
        (["cancelled"], 400),
        (["partially_returned"], 400),
        (["open", "open"], 200),
        (["open", "closed"], 200),
        (["open", "cancelled"], 200),
        (["open", "closed", "cancelled"], 200),
        (["open", "closed", "closed"], 200),
        (["open", "closed", "open"], 400),
        (["open", "closed", "partially_returned"], 400),
        (["open", "cancelled", "open"], 400),
        (["open", "cancelled", "closed"], 400),
    ],
)
async def test_session_state_machine(
    raw: Raw, talon_fake: FakeTalon, states: list[str], status: int
) -> None:
    *before, last = states
    for state in before:
        assert (await raw("PUT", SESSION, cart(state))).status == 200
    stored = json.dumps(talon_fake.sessions.get("s-1"))
    reply = await raw("PUT", SESSION, cart(last))
    assert reply.status == status
    if status == 200:
        assert reply.json["customerSession"]["state"] == last
        assert talon_fake.sessions["s-1"]["state"] == last
    else:
        assert_talon_error(reply.json, 400)
        assert reply.json["errors"][0]["source"] == {"pointer": "/customerSession/state"}
        assert json.dumps(talon_fake.sessions.get("s-1")) == stored


async def test_session_keeps_its_state_when_the_update_does_not_name_one(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    await raw("PUT", SESSION, cart("open"))
    reply = await raw("PUT", SESSION, {"customerSession": {"attributes": {"channel": "web"}}})
    session = talon_fake.sessions["s-1"]
    assert reply.status == 200
    assert session["state"] == "open" and session["updateCount"] == 2
    assert session["attributes"] == {"channel": "web"}
    assert session["cartItems"] == [{"sku": "shoe", "quantity": 2, "price": 50.0}]


WRAP = {"wrap": {"price": 1}}


async def test_unknown_session_members_are_ignored(raw: Raw, talon_fake: FakeTalon) -> None:
    body = {"customerSession": {"profileId": "alice", "total": 5, "id": 99, "color": "red"}}
    assert (await raw("PUT", SESSION, body)).status == 200
    session = talon_fake.sessions["s-1"]
    assert (session["total"], session["id"]) == (0, 1) and "color" not in session


async def test_session_totals_and_profile_link(raw: Raw, talon_fake: FakeTalon) -> None:
    body = {
        "customerSession": {
            "profileId": "alice",
            "cartItems": [
                {"sku": "a", "quantity": 2, "price": 10.5, "additionalCosts": WRAP},
                {"sku": "b", "quantity": 1},
            ],
            "additionalCosts": {"shipping": {"price": 4.99}},
        },
        "responseContent": ["customerSession", "customerProfile"],
    }
    reply = await raw("PUT", SESSION, body)
    session = reply.json["customerSession"]
    assert (session["cartItemTotal"], session["cartItemAdditionalCostTotal"]) == (21.0, 2.0)
    assert (session["additionalCostTotal"], session["total"]) == (4.99, 27.99)
    assert session["firstSession"] is True and session["updateCount"] == 1
    assert reply.json["customerProfile"]["integrationId"] == "alice"
    await raw("PUT", "/v2/customer_sessions/s-2", body)
    assert talon_fake.sessions["s-2"]["firstSession"] is False


async def test_closing_a_session_counts_the_sale_on_the_profile(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    await raw("PUT", SESSION, cart())
    assert talon_fake.profiles["alice"]["closedSessions"] == 0
    await raw("PUT", SESSION, cart("closed"))
    assert talon_fake.profiles["alice"]["closedSessions"] == 1
    assert talon_fake.profiles["alice"]["totalSales"] == 100.0
    await raw("PUT", SESSION, cart("closed"))  # repeating the final state changes nothing
    assert talon_fake.profiles["alice"]["closedSessions"] == 1
    await raw("PUT", SESSION, cart("cancelled"))
    assert talon_fake.profiles["alice"]["closedSessions"] == 0
    assert talon_fake.profiles["alice"]["totalSales"] == 0.0


async def test_response_content_selects_the_parts(raw: Raw) -> None:
    bare = await raw("PUT", SESSION, {"customerSession": {"profileId": "alice"}})
    assert set(bare.json) == {"effects", "createdCoupons", "createdReferrals"}
    parts = ["customerProfile", "triggeredCampaigns", "ruleFailureReasons", "event", "loyalty"]
    full = await raw("PUT", SESSION, {"customerSession": {}, "responseContent": parts})
    assert set(full.json) == {"effects", "createdCoupons", "createdReferrals", *parts}
    assert full.json["event"]["type"] == "talon_session_updated"
    assert full.json["loyalty"] == {"programs": {}}


async def test_parallel_updates_of_one_session_get_409(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.faults.delay(0.2, times=1)

    async def later() -> Reply:
        await asyncio.sleep(0.05)
        return await raw("PUT", SESSION, cart())

    first, second = await asyncio.gather(raw("PUT", SESSION, cart()), later())
    assert (first.status, second.status) == (200, 409)
    assert_talon_error(second.json, 409)
    assert talon_fake.sessions["s-1"]["updateCount"] == 1


# -- dry runs and profile creation ----------------------------------------------------


async def test_dry_run_evaluates_without_persisting(raw: Raw, talon_fake: FakeTalon) -> None:
    reply = await raw("PUT", f"{SESSION}?dry=true", cart("closed"))
    assert reply.status == 200
    assert reply.json["customerSession"]["state"] == "closed"
    assert talon_fake.sessions == {} and talon_fake.profiles == {}
    await raw("PUT", SESSION, cart())
    stored = json.dumps([talon_fake.sessions, talon_fake.profiles])
    body = {"customerSession": {"state": "closed"}, "responseContent": ["customerSession"]}
    dry_close = await raw("PUT", f"{SESSION}?dry=true", body)
    assert dry_close.status == 200
    # A dry run considers only its own payload, not the session's earlier updates.
    assert dry_close.json["customerSession"]["cartItems"] == []
    assert json.dumps([talon_fake.sessions, talon_fake.profiles]) == stored


async def test_dry_run_with_now_is_accepted(raw: Raw, talon_fake: FakeTalon) -> None:
    reply = await raw("PUT", f"{SESSION}?dry=true&now=2099-01-01T00:00:00Z", cart())
    assert reply.status == 200
    assert talon_fake.sessions == {}


EVENT = {"type": "t", "attributes": {}, "sessionId": "s", "profileId": "alice"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", SESSION, {"customerSession": {"profileId": "alice"}}),
        ("PUT", "/v1/customer_sessions/s-1", {"profileId": "alice"}),
        ("POST", "/v1/events", EVENT),
        ("PUT", "/v2/customer_profiles/alice", {"attributes": {"tier": "gold"}}),
        ("PUT", "/v1/customer_profiles/alice", {"attributes": {"tier": "gold"}}),
        (
            "PUT",
            "/v2/customer_profiles?silent=no",
            {"customerProfiles": [{"integrationId": "alice"}]},
        ),
        ("POST", "/v1/referrals", {"campaignId": 1, "advocateProfileIntegrationId": "alice"}),
    ],
)
async def test_profiles_are_created_on_first_use(
    raw: Raw, talon_fake: FakeTalon, method: str, path: str, body: Any
) -> None:
    reply = await raw(method, path, body)
    assert reply.status in (200, 201)
    profile = talon_fake.profiles["alice"]
    assert profile["integrationId"] == "alice" and profile["accountId"] == talon_fake.account_id
    assert profile["created"].endswith("Z")


async def test_profile_attributes_are_merged(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_profile("alice", {"tier": "silver", "city": "Berlin"})
    reply = await raw("PUT", "/v2/customer_profiles/alice", {"attributes": {"tier": "gold"}})
    assert reply.json["customerProfile"]["attributes"] == {"tier": "gold", "city": "Berlin"}
    assert reply.json["effects"] == []


@pytest.mark.parametrize(
    ("query", "body"),
    [("dry=true", {}), ("", {"responseContent": ["customerProfile"]})],
)
async def test_profile_v2_options_need_the_rule_engine(
    raw: Raw, talon_fake: FakeTalon, query: str, body: dict[str, Any]
) -> None:
    reply = await raw("PUT", f"/v2/customer_profiles/alice?{query}", body)
    assert reply.status == 400
    assert talon_fake.profiles == {}


# -- silent ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status"), [("", 204), ("?silent=yes", 204), ("?silent=no", 200)]
)
async def test_bulk_profiles_silent(
    raw: Raw, talon_fake: FakeTalon, query: str, status: int
) -> None:
    body = {
        "customerProfiles": [{"integrationId": "a", "attributes": {"x": 1}}, {"integrationId": "b"}]
    }
    reply = await raw("PUT", "/v2/customer_profiles" + query, body)
    assert reply.status == status
    assert sorted(talon_fake.profiles) == ["a", "b"]
    if status == 204:
        assert reply.body == b""
    else:
        states = reply.json["integrationStates"]
        assert [s["customerProfile"]["integrationId"] for s in states] == ["a", "b"]
        assert states[0]["customerProfile"]["attributes"] == {"x": 1}


@pytest.mark.parametrize(
    ("query", "status"), [("", 204), ("?silent=yes", 204), ("?silent=no", 201)]
)
async def test_multiple_referrals_silent(
    raw: Raw, talon_fake: FakeTalon, query: str, status: int
) -> None:
    body = {"campaignId": 3, "advocateProfileIntegrationIds": ["a", "b"], "usageLimit": 2}
    reply = await raw("POST", "/v1/referrals_for_multiple_advocates" + query, body)
    assert reply.status == status
    assert len(talon_fake.referrals) == 2
    if status == 201:
        assert reply.json["totalResultSize"] == 2
        assert {r["advocateProfileIntegrationId"] for r in reply.json["data"]} == {"a", "b"}


async def test_silent_must_be_yes_or_no(raw: Raw, talon_fake: FakeTalon) -> None:
    reply = await raw("PUT", "/v2/customer_profiles?silent=true", {"customerProfiles": []})
    assert reply.status == 400
    assert reply.json["errors"][0]["source"] == {"parameter": "silent"}


async def test_referral_pattern_and_characters(raw: Raw) -> None:
    body = {
        "campaignId": 3,
        "advocateProfileIntegrationIds": ["a"],
        "usageLimit": 1,
        "referralPattern": "REF-###",
        "validCharacters": ["X"],
    }
    reply = await raw("POST", "/v1/referrals_for_multiple_advocates?silent=no", body)
    assert reply.json["data"][0]["code"] == "REF-XXX"
    again = await raw("POST", "/v1/referrals_for_multiple_advocates?silent=no", body)
    assert again.status == 400  # the only code the pattern allows is taken


# -- legacy shapes ----------------------------------------------------------------------


async def test_legacy_session_update_shape(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_coupon("SUMMER10")
    body = {"profileId": "alice", "coupon": "SUMMER10", "referral": "REF1", "total": 12.5}
    reply = await raw("PUT", "/v1/customer_sessions/s-1", body)
    assert reply.status == 200
    state = reply.json
    assert set(state) == {"session", "profile", "event", "coupon"}
    session = state["session"]
    assert (session["coupon"], session["referral"], session["total"]) == ("SUMMER10", "REF1", 12.5)
    assert session["discounts"] == {} and session["integrationId"] == "s-1"
    assert state["coupon"]["value"] == "SUMMER10"
    assert talon_fake.sessions["s-1"]["couponCodes"] == ["SUMMER10"]
    assert talon_fake.sessions["s-1"]["total"] == 12.5


async def test_track_event_records_the_event(raw: Raw, talon_fake: FakeTalon) -> None:
    body = {"type": "viewed", "attributes": {"page": "home"}, "sessionId": "s-1"}
    reply = await raw("POST", "/v1/events", body)
    assert reply.status == 201
    event = reply.json["event"]
    assert (event["type"], event["attributes"], event["sessionId"]) == (
        "viewed",
        {"page": "home"},
        "s-1",
    )
    assert talon_fake.events == [event]
    assert reply.json["profile"]["integrationId"] == ""  # anonymous
    dry = await raw("POST", "/v1/events?dry=true", body)
    assert dry.status == 201 and len(talon_fake.events) == 1


# -- the request log ----------------------------------------------------------------------


async def test_requests_are_recorded(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_coupon("A/B %C")
    await raw("POST", "/v1/coupon_reservations/A%2FB%20%25C?x=1", {"integrationIDs": ["alice"]})
    await raw("GET", "/v1/nowhere", auth=False)
    first, second = talon_fake.requests
    assert first.method == "POST"
    assert first.path == "/v1/coupon_reservations/A/B %C"
    assert first.raw_path == "/v1/coupon_reservations/A%2FB%20%25C"
    assert first.query == {"x": "1"}
    assert first.headers["Authorization"] == "ApiKey-v1 fake-api-key"
    assert first.json == {"integrationIDs": ["alice"]}
    assert first.status == 201
    assert talon_fake.reservations == {"A/B %C": ["alice"]}
    assert (second.status, second.body, second.json) == (404, b"", None)


async def test_the_log_keeps_the_last_requests_and_cuts_bodies() -> None:
    body = {"integrationIDs": ["alice"]}
    async with (
        FakeTalon(max_requests=2, max_body_bytes=10) as fake,
        aiohttp.ClientSession() as session,
    ):
        raw = Raw(session, fake)
        fake.add_coupon("C")
        for path in ("/v1/one", "/v1/two", "/v1/coupon_reservations/C"):
            await raw("POST", path, body)
        assert [(r.path, r.status) for r in fake.requests] == [
            ("/v1/two", 404),
            ("/v1/coupon_reservations/C", 201),
        ]
        kept = fake.requests[-1]
        assert (kept.body, kept.truncated, kept.json) == (b'{"integrat', True, None)
        assert fake.reservations == {"C": ["alice"]}  # handled with its whole body
        await raw("POST", "/v1/coupon_reservations/C", data=b"{}")
        assert (fake.requests[-1].body, fake.requests[-1].truncated) == (b"{}", False)


async def test_the_log_keeps_whole_bodies_by_default(raw: Raw, talon_fake: FakeTalon) -> None:
    attributes = {"note": "x" * 100_000}
    await raw("PUT", "/v1/customer_profiles/alice", {"attributes": attributes})
    assert talon_fake.requests[-1].json == {"attributes": attributes}


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_requests": -1}, ValueError("max_requests must be at least 0, not -1")),
        ({"max_body_bytes": "4k"}, TypeError("max_body_bytes must be an integer or None, not str")),
        ({"max_requests": True}, TypeError("max_requests must be an integer or None, not bool")),
    ],
)
def test_bad_log_bounds_are_refused(options: dict[str, Any], error: Exception) -> None:
    with pytest.raises(type(error)) as raised:
        FakeTalon(**options)
    assert str(raised.value) == str(error)


async def test_reset_forgets_everything(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_coupon("C")
    talon_fake.faults.fail_next(500, path_prefix="/v9")
    await raw("PUT", SESSION, cart())
    talon_fake.reset()
    assert talon_fake.requests == [] and talon_fake.sessions == {} and talon_fake.coupons == {}
    assert talon_fake.profiles == {}
    assert (await raw("GET", "/v9/x")).status == 404  # the fault is gone too
    reply = await raw("PUT", SESSION, cart())
    assert reply.json["customerSession"]["id"] == 1
