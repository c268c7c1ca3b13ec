"""Every operation: exact method, path, query, auth and JSON body on the wire, and a
realistic answer decoded into the right model. Also the seed-named aliases."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

from talon_async import ApiKeyV1, Bearer, TalonClient
from talon_async._convert import encode
from talon_async.models import (
    CartItem,
    Coupon,
    CouponList,
    CouponReservations,
    CustomerInventory,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    CustomerProfileList,
    IntegrationRequest,
    IntegrationState,
    IntegrationStateV2,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    MultipleCustomerProfileIntegrationResponseV2,
    NewCustomerProfile,
    NewCustomerSession,
    NewCustomerSessionV2,
    NewEvent,
    NewReferral,
    NewReferralsForMultipleAdvocates,
    Referral,
    ReferralList,
)
from talon_async.operations import OPERATIONS

from .conftest import API_KEY, RecordingServer

STATE_V2 = json.loads((Path(__file__).parent / "data" / "integration_state_v2.json").read_text())
PROFILE = STATE_V2["customerProfile"]
COUPON = {
    "id": 4928,
    "created": "2024-05-02T09:30:00+00:00",
    "campaignId": 211,
    "value": "SUMMER-2024",
    "usageLimit": 100,
    "usageCounter": 3,
    "reservation": True,
    "limits": [{"action": "setDiscount", "limit": 1000, "entities": ["Coupon"]}],
}
REFERRAL = {
    "id": 6,
    "created": "2024-05-02T09:30:00+00:00",
    "campaignId": 78,
    "advocateProfileIntegrationId": "URNGV8294NV",
    "code": "27G47Y54VH9L",
    "usageCounter": 0,
    "usageLimit": 1,
}
EVENT = {
    "id": 9,
    "created": "2024-05-02T09:30:00+00:00",
    "applicationId": 322,
    "type": "pageViewed",
    "attributes": {"page": "/cart"},
    "effects": [],
    "profileId": PROFILE["integrationId"],
    "sessionId": "s-1",
}
LEGACY_SESSION = {
    "integrationId": "s-1",
    "created": "2024-05-02T09:30:00+00:00",
    "applicationId": 322,
    "profileId": PROFILE["integrationId"],
    "firstSession": True,
    "discounts": {"10% off": 7.5},
    "state": "open",
}
LEGACY_STATE = {"session": LEGACY_SESSION, "profile": PROFILE, "event": EVENT}
WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)

Call = Callable[[TalonClient], Awaitable[Any]]


@attrs.frozen
class Case:
    call: Call
    method: str
    path: str
    query: dict[str, str]
    body: Any  # the JSON expected on the wire, or None for no body
    status: int
    answer: Any  # JSON the server answers with, or None for no body
    returns: type | None
    auth: str = f"ApiKey-v1 {API_KEY}"


CASES: dict[str, Case] = {
    "createCouponReservation": Case(
        lambda c: c.coupon_reservations.create(
            "SUMMER-2024", CouponReservations(integration_ids=["p1", "p2"])
        ),
        "POST", "/v1/coupon_reservations/SUMMER-2024", {},
        {"integrationIDs": ["p1", "p2"]}, 201, COUPON, Coupon,
    ),
    "deleteCouponReservation": Case(
        lambda c: c.coupon_reservations.delete(
            "SUMMER-2024", CouponReservations(integration_ids=["p1"])
        ),
        "DELETE", "/v1/coupon_reservations/SUMMER-2024", {},
        {"integrationIDs": ["p1"]}, 204, None, None,
    ),
    "getReservedCoupons": Case(
        lambda c: c.coupon_reservations.list_coupons("p1"),
        "GET", "/v1/coupon_reservations/coupons/p1", {},
        None, 200, {"totalResultSize": 1, "data": [COUPON]}, CouponList,
    ),
    "getReservedCustomers": Case(
        lambda c: c.coupon_reservations.list_customers("SUMMER-2024"),
        "GET", "/v1/coupon_reservations/customerprofiles/SUMMER-2024", {},
        None, 200, {"totalResultSize": 1, "data": [PROFILE]}, CustomerProfileList,
    ),
    "createReferral": Case(
        lambda c: c.referrals.create(
            NewReferral(campaign_id=78, advocate_profile_integration_id="URNGV8294NV",
                        start_date=WHEN)
        ),
        "POST", "/v1/referrals", {},
        {"campaignId": 78, "advocateProfileIntegrationId": "URNGV8294NV",
         "startDate": "2024-05-02T09:30:00+00:00"},
        201, REFERRAL, Referral,
    ),
    "createReferralsForMultipleAdvocates": Case(
        lambda c: c.referrals.create_for_multiple_advocates(
            NewReferralsForMultipleAdvocates(
                campaign_id=78, advocate_profile_integration_ids=["a1", "a2"], usage_limit=1
            )
        ),
        "POST", "/v1/referrals_for_multiple_advocates", {"silent": "no"},
        {"campaignId": 78, "advocateProfileIntegrationIds": ["a1", "a2"], "usageLimit": 1},
        201, {"totalResultSize": 1, "data": [REFERRAL]}, ReferralList,
    ),
    "createReferralsForMultipleAdvocates-silent": Case(
        lambda c: c.referrals.create_for_multiple_advocates(
            NewReferralsForMultipleAdvocates(
                campaign_id=78, advocate_profile_integration_ids=["a1"], usage_limit=1
            ),
            silent=True,
        ),
        "POST", "/v1/referrals_for_multiple_advocates", {"silent": "yes"},
        {"campaignId": 78, "advocateProfileIntegrationIds": ["a1"], "usageLimit": 1},
        204, None, None,
    ),
    "deleteCustomerData": Case(
        lambda c: c.customer_data.delete("p1"),
        "DELETE", "/v1/customer_data/p1", {}, None, 204, None, None,
    ),
    "getCustomerInventory": Case(
        lambda c: c.profiles.get_inventory("p1", profile=True, coupons=True, loyalty=False),
        "GET", "/v1/customer_profiles/p1/inventory", {"profile": "true", "coupons": "true"},
        None, 200,
        {"profile": PROFILE, "coupons": [{**COUPON, "state": "active",
                                          "profileRedemptionCount": 1}]},
        CustomerInventory,
    ),
    "trackEvent": Case(
        lambda c: c.events.track(
            NewEvent(type="pageViewed", attributes={"page": "/cart"}, session_id="s-1",
                     profile_id="p1"),
            dry=True,
        ),
        "POST", "/v1/events", {"dry": "true"},
        {"type": "pageViewed", "attributes": {"page": "/cart"}, "sessionId": "s-1",
         "profileId": "p1"},
        201, LEGACY_STATE, IntegrationState,
    ),
    "updateCustomerProfile": Case(
        lambda c: c.profiles.update("p1", NewCustomerProfile(attributes={"tier": "gold"})),
        "PUT", "/v1/customer_profiles/p1", {}, {"attributes": {"tier": "gold"}},
        200, LEGACY_STATE, IntegrationState,
    ),
    "updateCustomerProfileV2": Case(
        lambda c: c.profiles.update_v2(
            "p1",
            CustomerProfileIntegrationRequestV2(attributes={"tier": "gold"},
                                                response_content=["customerProfile"]),
            run_rule_engine=True,
            dry=True,
        ),
        "PUT", "/v2/customer_profiles/p1", {"runRuleEngine": "true", "dry": "true"},
        {"attributes": {"tier": "gold"}, "responseContent": ["customerProfile"]},
        200, STATE_V2, IntegrationStateV2,
    ),
    "updateCustomerProfilesV2": Case(
        lambda c: c.profiles.update_many_v2(
            MultipleCustomerProfileIntegrationRequest(
                customer_profiles=[
                    MultipleCustomerProfileIntegrationRequestItem(integration_id="p1"),
                    MultipleCustomerProfileIntegrationRequestItem(
                        integration_id="p2", attributes={"a": 1}
                    ),
                ]
            )
        ),
        "PUT", "/v2/customer_profiles", {"silent": "no"},
        {"customerProfiles": [{"integrationId": "p1"},
                              {"integrationId": "p2", "attributes": {"a": 1}}]},
        200, {"integrationStates": [{"customerProfile": PROFILE}]},
        MultipleCustomerProfileIntegrationResponseV2,
    ),
    "updateCustomerProfilesV2-silent": Case(
        lambda c: c.profiles.update_many_v2(
            MultipleCustomerProfileIntegrationRequest(customer_profiles=[]), silent=True
        ),
        "PUT", "/v2/customer_profiles", {"silent": "yes"}, {"customerProfiles": []},
        204, None, None,
    ),
    "updateCustomerProfileAudiences": Case(
        lambda c: c.profiles.update_audiences(
            CustomerProfileAudienceRequest(
                data=[CustomerProfileAudienceRequestItem(
                    action="add", profile_integration_id="p1", audience_id=7
                )]
            )
        ),
        "POST", "/v2/customer_audiences", {},
        {"data": [{"action": "add", "profileIntegrationId": "p1", "audienceId": 7}]},
        204, None, None, auth="Bearer mgr-token",
    ),
    "updateCustomerSession": Case(
        lambda c: c.sessions.update(
            "s-1",
            NewCustomerSession(profile_id="p1", coupon="SUMMER-2024", state="open",
                               cart_items=[CartItem(sku="SKU1", quantity=1, price=75.0)]),
        ),
        "PUT", "/v1/customer_sessions/s-1", {},
        {"profileId": "p1", "coupon": "SUMMER-2024", "state": "open",
         "cartItems": [{"sku": "SKU1", "quantity": 1, "price": 75.0}]},
        200, LEGACY_STATE, IntegrationState,
    ),
    "updateCustomerSessionV2": Case(
        lambda c: c.sessions.update_v2(
            "s-1",
            IntegrationRequest(
                customer_session=NewCustomerSessionV2(
                    profile_id="p1",
                    coupon_codes=["SUMMER-2024"],
                    cart_items=[CartItem(sku="SKU1", quantity=2, price=25, catalog_item_id=5)],
                ),
                response_content=["customerSession", "customerProfile"],
            ),
            dry=True,
            now=WHEN,
        ),
        "PUT", "/v2/customer_sessions/s-1", {"dry": "true", "now": "2024-05-02T09:30:00+00:00"},
        {"customerSession": {"profileId": "p1", "couponCodes": ["SUMMER-2024"],
                             "cartItems": [{"sku": "SKU1", "quantity": 2, "price": 25,
                                            "catalogItemID": 5}]},
         "responseContent": ["customerSession", "customerProfile"]},
        200, STATE_V2, IntegrationStateV2,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
async def test_operation_on_the_wire(server: RecordingServer, name: str) -> None:
    case = CASES[name]
    server.respond(case.status, b"" if case.answer is None else json.dumps(case.answer))
    async with TalonClient(server.url, auth=[Bearer("mgr-token"), ApiKeyV1(API_KEY)]) as client:
        if OPERATIONS[name.split("-")[0]].deprecated is not None:  # the table says which warn
            with pytest.deprecated_call():
                result = await case.call(client)
        else:
            result = await case.call(client)
    (received,) = server.received
    assert received.method == case.method
    assert received.raw_path == case.path
    assert received.query == case.query
    assert received.headers["Authorization"] == case.auth
    assert received.headers["Accept"] == "application/json"
    if case.body is None:
        assert received.body == b""
        assert "Content-Type" not in received.headers
    else:
        assert received.headers["Content-Type"] == "application/json"
        assert json.loads(received.body) == case.body
    if case.returns is None:
        assert result is None
    else:
        assert type(result) is case.returns
        # Nothing the server said is lost: re-encoding the model gives the answer back.
        assert json.loads(encode(result)) == case.answer


async def test_seed_name_call_with_seed_argument_order(server: RecordingServer) -> None:
    server.respond(200, json.dumps(STATE_V2))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY)) as client:
        state = await client.update_customer_session_v2(
            "s-9",
            IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id="p")),
            dry=True,
        )
        assert isinstance(state, IntegrationStateV2)
        server.respond(201, json.dumps(COUPON))
        coupon = await client.create_coupon_reservation(
            "C-1", CouponReservations(integration_ids=["p"])
        )
    assert coupon.value == "SUMMER-2024"
    assert [r.raw_path for r in server.received] == [
        "/v2/customer_sessions/s-9",
        "/v1/coupon_reservations/C-1",
    ]


async def test_dry_without_rule_engine_is_refused(
    server: RecordingServer, client: TalonClient
) -> None:
    with pytest.raises(ValueError, match="run_rule_engine"):
        await client.profiles.update_v2("p1", CustomerProfileIntegrationRequestV2(), dry=True)
    assert server.received == []


async def test_naive_datetime_is_refused_before_io(
    server: RecordingServer, client: TalonClient
) -> None:
    with pytest.raises(ValueError, match="no timezone"):
        await client.referrals.create(
            NewReferral(
                campaign_id=1, advocate_profile_integration_id="a", start_date=datetime(2024, 1, 1)
            )
        )
    assert server.received == []


async def test_now_without_dry_is_refused(server: RecordingServer, client: TalonClient) -> None:
    request = IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id="p"))
    with pytest.raises(ValueError, match="dry=True"):
        await client.sessions.update_v2("s-1", request, now=WHEN)
    assert server.received == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
async def test_non_finite_number_is_refused_before_io(
    server: RecordingServer, client: TalonClient, bad: float
) -> None:
    cart = [CartItem(sku="A", quantity=1, price=bad)]
    with pytest.raises(ValueError, match="finite"):
        await client.sessions.update_v2(
            "s-1", IntegrationRequest(customer_session=NewCustomerSessionV2(cart_items=cart))
        )
    with pytest.raises(ValueError, match="finite"):
        await client.profiles.update_v2(
            "p-1", CustomerProfileIntegrationRequestV2(attributes={"score": [1.5, bad]})
        )
    assert server.received == []
