"""The fake's audiences v2, catalog syncs and best prior prices: answers as the spec says,
state as the API keeps it, and talon_async's client on top (strict decoding)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

import pytest

from talon_async import BadRequestError, ConflictError, NotFoundError
from talon_async.models.audiences import NewAudience, UpdateAudience
from talon_async.models.catalogs import (
    AddItemCatalogAction,
    AddPriceAdjustmentCatalogAction,
    BestPriorPriceRequest,
    BestPriorTarget,
    CatalogAction,
    CatalogActionFilter,
    CatalogActionPayload,
    CatalogSyncRequest,
    LabelTargetAudience,
    NewPriceAdjustment,
    PatchItemCatalogAction,
    PatchManyItemsCatalogAction,
    RemoveItemCatalogAction,
    RemoveManyItemsCatalogAction,
)
from talon_async.models.effects import SetDiscountPerItemEffectProps
from talon_async.models.profiles import (
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
)
from talon_async.models.sessions import CartItem, IntegrationRequest, NewCustomerSessionV2
from talon_async.testing import (
    EffectSpec,
    FakeTalon,
    RuleContext,
    SeedError,
    percent_off_catalog_items,
)

from .conformance import answer_problems
from .conftest import Raw

NOW = datetime.now(timezone.utc)
SYNC = "/v1/catalogs/1/sync"


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def seed(fake: FakeTalon) -> None:
    """What every request of the table below runs against."""
    fake.add_audience(7, "VIP", integration="mparticle", integration_id="mp-7")
    fake.add_catalog(
        1,
        [
            {"sku": "A", "price": 10.0, "attributes": {"color": "blue", "size": 42}},
            {"sku": "B", "price": 20.0, "attributes": {"color": "red", "size": 46}},
        ],
    )
    fake.add_price_history("A", [(days_ago(20), 12.0), (days_ago(10), 9.0), (days_ago(1), 11.0)])
    fake.add_price_history("A", [(days_ago(15), 7.5)], audience_id=7)


def action(kind: str, **payload: Any) -> dict[str, Any]:
    return {"type": kind, "payload": payload}


def sync(*actions: dict[str, Any], **members: Any) -> dict[str, Any]:
    return {"actions": list(actions), **members}


def prior(end_type: str = "strict", **members: Any) -> dict[str, Any]:
    return {
        "skus": ["A", "B"],
        "timeframeEndDate": NOW.isoformat(),
        "timeframe": "30",
        "timeframeEndDateType": end_type,
        **members,
    }


class Case(NamedTuple):
    operation: str
    method: str
    path: str
    body: Any
    status: int


BLUE = {"attr": "color", "op": "EQ", "value": "blue"}
ADJUSTMENT = {"priceType": "member", "referenceId": "r-1", "price": 8.0, "contextId": "Spring"}
CASES = {
    "create": Case("createAudienceV2", "POST", "/v2/audiences", {"name": "Travel"}, 201),
    "create-full": Case(
        "createAudienceV2",
        "POST",
        "/v2/audiences",
        {
            "name": "Travel audience",
            "sandbox": True,
            "description": "Travel audience 18-27",
            "subscribedApplicationsIds": [3, 13],
            "integration": "mparticle",
            "integrationId": "382370BKDB946",
            "createdIn3rdParty": False,
            "lastUpdate": "2022-04-26T11:02:38Z",
        },
        201,
    ),
    "create-same-id-elsewhere": Case(
        "createAudienceV2", "POST", "/v2/audiences", {"name": "X", "integrationId": "mp-7"}, 201
    ),
    "create-duplicate": Case(
        "createAudienceV2",
        "POST",
        "/v2/audiences",
        {"name": "X", "integration": "mparticle", "integrationId": "mp-7"},
        409,
    ),
    "create-no-name": Case("createAudienceV2", "POST", "/v2/audiences", {}, 400),
    "create-empty-name": Case("createAudienceV2", "POST", "/v2/audiences", {"name": ""}, 400),
    "create-apps-twice": Case(
        "createAudienceV2",
        "POST",
        "/v2/audiences",
        {"name": "X", "subscribedApplicationsIds": [1, 1]},
        400,
    ),
    "create-integration-alone": Case(
        "createAudienceV2", "POST", "/v2/audiences", {"name": "X", "integration": "segment"}, 400
    ),
    "create-empty-integration-id": Case(
        "createAudienceV2", "POST", "/v2/audiences", {"name": "X", "integrationId": ""}, 400
    ),
    "rename": Case("updateAudienceV2", "PUT", "/v2/audiences/7", {"name": "VIP+"}, 200),
    "rename-with-apps": Case(
        "updateAudienceV2",
        "PUT",
        "/v2/audiences/7",
        {"name": "VIP+", "subscribedApplicationsIds": [1]},
        200,
    ),
    "rename-unknown": Case("updateAudienceV2", "PUT", "/v2/audiences/99", {"name": "X"}, 404),
    "rename-not-an-id": Case("updateAudienceV2", "PUT", "/v2/audiences/vip", {"name": "X"}, 400),
    "rename-no-name": Case("updateAudienceV2", "PUT", "/v2/audiences/7", {}, 400),
    "delete": Case("deleteAudienceV2", "DELETE", "/v2/audiences/7", None, 204),
    "delete-unknown": Case("deleteAudienceV2", "DELETE", "/v2/audiences/99", None, 404),
    "empty": Case(
        "deleteAudienceMembershipsV2", "DELETE", "/v2/audiences/7/memberships", None, 204
    ),
    "empty-unknown": Case(
        "deleteAudienceMembershipsV2", "DELETE", "/v2/audiences/99/memberships", None, 404
    ),
    "attributes": Case(
        "updateAudienceCustomersAttributes",
        "PUT",
        "/v2/audience_customers/7/attributes",
        {"tier": "gold"},
        204,
    ),
    "attributes-unknown": Case(
        "updateAudienceCustomersAttributes",
        "PUT",
        "/v2/audience_customers/99/attributes",
        {"tier": "gold"},
        404,
    ),
    "attributes-not-an-object": Case(
        "updateAudienceCustomersAttributes",
        "PUT",
        "/v2/audience_customers/7/attributes",
        ["tier"],
        400,
    ),
    "add": Case("syncCatalog", "PUT", SYNC, sync(action("ADD", sku="C", price=5)), 200),
    "add-full": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(
            action(
                "ADD",
                sku="C",
                price=100,
                attributes={"color": "Navy blue"},
                product={"name": "sneakers"},
                replaceIfExists=True,
            ),
            action("ADD", sku="D"),
        ),
        200,
    ),
    "add-existing": Case("syncCatalog", "PUT", SYNC, sync(action("ADD", sku="A")), 400),
    "replace": Case(
        "syncCatalog", "PUT", SYNC, sync(action("ADD", sku="A", replaceIfExists=True)), 200
    ),
    "patch": Case("syncCatalog", "PUT", SYNC, sync(action("PATCH", sku="A", price=9.5)), 200),
    "patch-missing": Case("syncCatalog", "PUT", SYNC, sync(action("PATCH", sku="Z")), 404),
    "patch-creates": Case(
        "syncCatalog", "PUT", SYNC, sync(action("PATCH", sku="Z", createIfNotExists=True)), 200
    ),
    "patch-many": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("PATCH_MANY", filters=[BLUE], attributes={"color": "red"})),
        200,
    ),
    "patch-many-bad-number": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("PATCH_MANY", filters=[{"attr": "size", "op": "GT", "value": "big"}])),
        400,
    ),
    "remove": Case("syncCatalog", "PUT", SYNC, sync(action("REMOVE", sku="A")), 200),
    "remove-missing": Case("syncCatalog", "PUT", SYNC, sync(action("REMOVE", sku="Z")), 404),
    "remove-many": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("REMOVE_MANY", filters=[{"attr": "size", "op": "GT", "value": "45"}])),
        200,
    ),
    "adjust": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("ADD_PRICE_ADJUSTMENT", sku="A", adjustments=[ADJUSTMENT])),
        200,
    ),
    "adjust-missing": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("ADD_PRICE_ADJUSTMENT", sku="Z", adjustments=[ADJUSTMENT])),
        404,
    ),
    "adjust-nothing": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("ADD_PRICE_ADJUSTMENT", sku="A", adjustments=[])),
        400,
    ),
    "two-types": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(action("ADD", sku="C"), action("REMOVE", sku="A")),
        400,
    ),
    "sku-twice": Case(
        "syncCatalog", "PUT", SYNC, sync(action("ADD", sku="C"), action("ADD", sku="C")), 400
    ),
    "right-version": Case(
        "syncCatalog", "PUT", SYNC, sync(action("REMOVE", sku="A"), version=1), 200
    ),
    "old-version": Case(
        "syncCatalog", "PUT", SYNC, sync(action("REMOVE", sku="A"), version=2), 400
    ),
    "no-actions": Case("syncCatalog", "PUT", SYNC, sync(), 400),
    "too-many-actions": Case(
        "syncCatalog",
        "PUT",
        SYNC,
        sync(*[action("ADD", sku=f"N{n}") for n in range(1001)]),
        400,
    ),
    "unknown-type": Case("syncCatalog", "PUT", SYNC, sync(action("ADD_ALL", sku="C")), 400),
    "unknown-catalog": Case(
        "syncCatalog", "PUT", "/v1/catalogs/9/sync", sync(action("ADD", sku="C")), 404
    ),
    "prior-strict": Case("bestPriorPrice", "POST", "/v1/best_prior_price", prior(), 200),
    "prior-price": Case("bestPriorPrice", "POST", "/v1/best_prior_price", prior("price"), 200),
    "prior-sale": Case("bestPriorPrice", "POST", "/v1/best_prior_price", prior("sale"), 200),
    "prior-audience": Case(
        "bestPriorPrice",
        "POST",
        "/v1/best_prior_price",
        prior(target={"targetType": "AUDIENCE", "audienceID": 7}),
        200,
    ),
    "prior-audience-without-id": Case(
        "bestPriorPrice",
        "POST",
        "/v1/best_prior_price",
        prior(target={"targetType": "AUDIENCE"}),
        400,
    ),
    "prior-bad-timeframe": Case(
        "bestPriorPrice", "POST", "/v1/best_prior_price", prior(timeframe="a month"), 400
    ),
    "prior-no-skus": Case(
        "bestPriorPrice", "POST", "/v1/best_prior_price", {**prior(), "skus": []}, 400
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
async def test_every_answer_fits_the_spec(raw: Raw, talon_fake: FakeTalon, case: Case) -> None:
    seed(talon_fake)
    await raw("POST", "/v2/customer_audiences", {"data": [membership("alice", 7)]})
    reply = await raw(case.method, case.path, case.body)
    assert reply.status == case.status, reply.body
    assert answer_problems(case.operation, reply.status, reply.body) == []


OPERATIONS = {case.operation: case for case in CASES.values()}


@pytest.mark.parametrize("case", OPERATIONS.values(), ids=OPERATIONS)
async def test_every_operation_needs_credentials(
    raw: Raw, talon_fake: FakeTalon, case: Case
) -> None:
    seed(talon_fake)
    before = (dict(talon_fake.audiences), dict(talon_fake.catalog_items))
    reply = await raw(case.method, case.path, case.body, auth=False)
    assert reply.status == 401
    assert answer_problems(case.operation, reply.status, reply.body) == []
    assert (talon_fake.audiences, talon_fake.catalog_items) == before


def membership(profile: str, audience_id: int, action: str = "add") -> dict[str, Any]:
    return {"action": action, "profileIntegrationId": profile, "audienceId": audience_id}


# -- audiences ----------------------------------------------------------------------------


async def test_audience_changes_reach_their_members(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    talon_fake.add_profile("carol", {"tier": "silver"})
    await raw(
        "POST",
        "/v2/customer_audiences",
        {"data": [membership("alice", 7), membership("bob", 7), membership("carol", 7)]},
    )
    await raw("POST", "/v2/customer_audiences", {"data": [membership("carol", 7, "delete")]})
    await raw("PUT", "/v2/audiences/7", {"name": "Gold"})
    await raw("PUT", "/v2/audience_customers/7/attributes", {"tier": "gold", "since": 2024})
    profiles = talon_fake.profiles
    assert [profiles[p]["audienceMemberships"] for p in ("alice", "bob", "carol")] == [
        [{"id": 7, "name": "Gold"}],
        [{"id": 7, "name": "Gold"}],
        [],
    ]
    assert profiles["alice"]["attributes"] == {"tier": "gold", "since": 2024}
    assert profiles["carol"]["attributes"] == {"tier": "silver"}  # no longer a member
    assert talon_fake.audiences[7]["integrationId"] == "mp-7"  # a rename keeps the rest

    await raw("DELETE", "/v2/audiences/7/memberships")
    assert profiles["alice"]["audienceMemberships"] == []
    assert profiles["alice"]["attributes"]["tier"] == "gold"
    assert 7 in talon_fake.audiences
    await raw("POST", "/v2/customer_audiences", {"data": [membership("alice", 7)]})
    assert (await raw("DELETE", "/v2/audiences/7")).status == 204
    assert profiles["alice"]["audienceMemberships"] == [] and 7 not in talon_fake.audiences
    again = await raw("POST", "/v2/customer_audiences", {"data": [membership("alice", 7)]})
    assert again.status == 404


async def test_created_audiences_get_new_ids_and_keep_what_was_sent(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    seed(talon_fake)
    body = CASES["create-full"].body
    created = (await raw("POST", "/v2/audiences", body)).json
    assert created["id"] == 8 and talon_fake.audiences[8] == created
    assert {key: created[key] for key in body} == body
    assert (created["accountId"], created["created"][-1]) == (1, "Z")
    plain = (await raw("POST", "/v2/audiences", {"name": "Plain"})).json
    assert (plain["id"], plain["sandbox"]) == (9, False)
    assert "integrationId" not in plain and "createdIn3rdParty" not in plain
    mirrored = (await raw("POST", "/v2/audiences", {"name": "M", "integrationId": "ext-1"})).json
    assert mirrored["createdIn3rdParty"] is True
    # The same ID of the same integration is refused, whatever the name.
    duplicate = await raw("POST", "/v2/audiences", {"name": "N", "integrationId": "ext-1"})
    assert duplicate.status == 409
    assert duplicate.json["errors"][0]["source"] == {"pointer": "/integrationId"}
    assert sorted(talon_fake.audiences) == [7, 8, 9, 10]


async def test_audiences_through_the_client(talon_fake: FakeTalon) -> None:
    async with talon_fake.client(strict_responses=True) as talon:
        audience = await talon.audiences.create(
            NewAudience(name="Travel", integration="segment", integration_id="seg-1")
        )
        assert (audience.name, audience.integration_id, audience.created_in3rd_party) == (
            "Travel",
            "seg-1",
            True,
        )
        with pytest.raises(ConflictError):
            await talon.audiences.create(
                NewAudience(name="Again", integration="segment", integration_id="seg-1")
            )
        renamed = await talon.audiences.update(audience.id, UpdateAudience(name="Travellers"))
        assert (renamed.id, renamed.name, renamed.created) == (
            audience.id,
            "Travellers",
            audience.created,
        )
        await talon.profiles.update_audiences(
            CustomerProfileAudienceRequest(
                data=[
                    CustomerProfileAudienceRequestItem(
                        action="add", profile_integration_id=member, audience_id=audience.id
                    )
                    for member in ("alice", "bob")
                ]
            )
        )
        await talon.audiences.update_customers_attributes(audience.id, {"tier": "gold"})
        state = await talon.profiles.update_v2(
            "alice", CustomerProfileIntegrationRequestV2(attributes={"city": "Berlin"})
        )
        profile = state.customer_profile
        assert profile is not None and profile.attributes == {"tier": "gold", "city": "Berlin"}
        assert [(m.id, m.name) for m in profile.audience_memberships or []] == [
            (audience.id, "Travellers")
        ]
        inventory = await talon.profiles.get_inventory("bob", profile=True)
        assert inventory.profile is not None
        assert inventory.profile.attributes == {"tier": "gold"}
        await talon.audiences.delete_memberships(audience.id)
        inventory = await talon.profiles.get_inventory("bob", profile=True)
        assert inventory.profile is not None and inventory.profile.audience_memberships == []
        await talon.audiences.delete(audience.id)
        with pytest.raises(NotFoundError):
            await talon.audiences.update(audience.id, UpdateAudience(name="Gone"))
        with pytest.raises(NotFoundError):
            await talon.audiences.update_customers_attributes(audience.id, {"tier": "x"})


# -- catalogs ---------------------------------------------------------------------------


def items(fake: FakeTalon) -> dict[str, Any]:
    return {
        sku: (item.get("price"), item["attributes"], item.get("product"))
        for sku, item in fake.catalog_items[1].items()
    }


async def test_each_action_kind_changes_the_catalog(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)

    async def syncs(*actions: dict[str, Any]) -> int:
        reply = await raw("PUT", SYNC, sync(*actions))
        assert reply.status == 200, reply.body
        version: int = reply.json["version"]
        return version

    assert await syncs(action("ADD", sku="C", price=5, product={"name": "sock"})) == 2
    assert await syncs(action("ADD", sku="A", attributes={"color": "green"}, replaceIfExists=True))
    assert items(talon_fake)["A"] == (10.0, {"color": "green"}, None)  # the price stays
    await syncs(
        action("PATCH", sku="B", price=19.0, attributes={"size": 45}),
        action("PATCH", sku="E", createIfNotExists=True, attributes={"color": "blue"}),
    )
    assert items(talon_fake)["B"] == (19.0, {"color": "red", "size": 45}, None)
    await syncs(
        action(
            "PATCH_MANY", filters=[{"attr": "color", "op": "IN", "value": "green, blue"}], price=1
        )
    )
    assert [items(talon_fake)[sku][0] for sku in "ABCE"] == [1, 19.0, 5, 1]
    await syncs(action("PATCH_MANY", attributes={"sale": True}))  # no filters: every item
    assert all(attributes["sale"] for _, attributes, _ in items(talon_fake).values())
    await syncs(action("REMOVE", sku="C"))
    assert await syncs(action("REMOVE_MANY", filters=[{"attr": "size", "op": "LE", "value": 45}]))
    assert sorted(talon_fake.catalog_items[1]) == ["A", "E"]
    assert await syncs(action("REMOVE_MANY")) == 9
    assert talon_fake.catalog_items[1] == {}


@pytest.mark.parametrize(
    ("condition", "selected"),
    [
        ({"attr": "color", "op": "EQ", "value": "blue"}, ["A"]),
        ({"attr": "size", "op": "EQ", "value": "46"}, ["B"]),
        ({"attr": "size", "op": "LT", "value": 46}, ["A"]),
        ({"attr": "size", "op": "LE", "value": "46"}, ["A", "B"]),
        ({"attr": "size", "op": "GT", "value": 42}, ["B"]),
        ({"attr": "size", "op": "GE", "value": 42.0}, ["A", "B"]),
        ({"attr": "color", "op": "IN", "value": "red,green"}, ["B"]),
        ({"attr": "color", "op": "LT", "value": 1}, []),
        ({"attr": "brand", "op": "EQ", "value": "acme"}, []),
    ],
)
async def test_filters_select_items(
    raw: Raw, talon_fake: FakeTalon, condition: dict[str, Any], selected: list[str]
) -> None:
    seed(talon_fake)
    reply = await raw("PUT", SYNC, sync(action("REMOVE_MANY", filters=[condition])))
    assert reply.status == 200
    assert sorted({"A", "B"} - set(talon_fake.catalog_items[1])) == selected


async def test_a_failing_action_changes_nothing(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    before = items(talon_fake)
    reply = await raw(
        "PUT", SYNC, sync(action("PATCH", sku="A", price=1), action("PATCH", sku="Z"))
    )
    assert reply.status == 404
    assert reply.json["errors"][0]["source"] == {"pointer": "/actions/1/payload/sku"}
    assert items(talon_fake) == before and talon_fake.catalogs[1]["version"] == 1
    assert talon_fake.price_history.keys() == {"A"}


async def test_price_adjustments_are_set_and_ended(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    member = {**ADJUSTMENT, "effectiveFrom": days_ago(2).isoformat()}
    staff = {"priceType": "staff", "referenceId": "r-2", "price": 6.0}
    await raw(
        "PUT", SYNC, sync(action("ADD_PRICE_ADJUSTMENT", sku="A", adjustments=[member, staff]))
    )
    assert [a["priceType"] for a in talon_fake.catalog_items[1]["A"]["adjustments"]] == [
        "member",
        "staff",
    ]
    ended = {"priceType": "member", "referenceId": "r-3", "price": None}
    await raw("PUT", SYNC, sync(action("ADD_PRICE_ADJUSTMENT", sku="A", adjustments=[ended])))
    assert talon_fake.catalog_items[1]["A"]["adjustments"] == [staff]
    # Both prices were observed: the member price when it took effect, in its context.
    observed = {o["price"]: o for o in talon_fake.price_history["A"]}
    assert observed[8.0]["contextIds"] == ["Spring"]
    assert observed[8.0]["metadata"]["adjustmentDetails"] == {
        "referenceId": "r-1",
        "selectedPriceType": "member",
        "value": 8.0,
    }
    assert observed[8.0]["observedAt"] == days_ago(2).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def catalog_colour(context: RuleContext) -> Iterator[EffectSpec]:
    """A custom rule: 1 off each blue item of the catalog."""
    for position, cart_item in enumerate(context.cart_items):
        item = context.catalog_item(cart_item["sku"])
        if item is not None and item["attributes"].get("color") == "blue":
            yield "setDiscountPerItem", {"name": "blue", "value": 1.0, "position": position}


async def test_rules_read_the_catalog_item_of_a_cart_item(talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    talon_fake.add_catalog(2, [{"sku": "A", "attributes": {"color": "red"}}])  # 1 comes first
    talon_fake.add_rule(catalog_colour)
    talon_fake.add_rule(percent_off_catalog_items(50, where={"color": "red"}))
    request = IntegrationRequest(
        customer_session=NewCustomerSessionV2(
            cart_items=[
                CartItem(sku="A", quantity=1),
                CartItem(sku="B", quantity=2),  # the catalog's price: 20
                CartItem(sku="B", quantity=1, price=10.0),  # the cart's price
                CartItem(sku="Z", quantity=1, price=99.0),  # in no catalog
            ]
        )
    )
    async with talon_fake.client(strict_responses=True) as talon:
        before = await talon.sessions.update_v2("s-1", request)
        await talon.catalogs.sync(
            1,
            CatalogSyncRequest(
                actions=[
                    CatalogAction.of(PatchItemCatalogAction(sku="A", attributes={"color": "red"}))
                ]
            ),
        )
        after = await talon.sessions.update_v2("s-1", request)

    def discounts(effects: list[Any]) -> list[tuple[str, float, float]]:
        props = [effect.props for effect in effects]
        assert all(isinstance(p, SetDiscountPerItemEffectProps) for p in props)
        return [(p.name, p.value, p.position) for p in props]

    assert discounts(before.effects) == [
        ("blue", 1.0, 0),
        ("50% off catalog items", 20.0, 1),
        ("50% off catalog items", 5.0, 2),
    ]
    assert discounts(after.effects) == [
        ("50% off catalog items", 5.0, 0),
        ("50% off catalog items", 20.0, 1),
        ("50% off catalog items", 5.0, 2),
    ]


def sync_request(*payloads: CatalogActionPayload, version: int | None = None) -> CatalogSyncRequest:
    return CatalogSyncRequest(actions=[CatalogAction.of(p) for p in payloads], version=version)


async def test_catalog_sync_through_the_client(talon_fake: FakeTalon) -> None:
    talon_fake.add_catalog(3, name="shoes", description="all the shoes")
    blue = CatalogActionFilter(attr="color", op="EQ", value="blue")
    async with talon_fake.client(strict_responses=True) as talon:
        catalog = await talon.catalogs.sync(
            3,
            sync_request(
                AddItemCatalogAction(sku="S1", price=50.0, attributes={"color": "blue"}),
                AddItemCatalogAction(sku="S2", price=70.0, attributes={"color": "red"}),
                version=1,
            ),
        )
        assert (catalog.id, catalog.name, catalog.description, catalog.version) == (
            3,
            "shoes",
            "all the shoes",
            2,
        )
        assert catalog.modified >= catalog.created
        steps: list[CatalogActionPayload] = [
            PatchItemCatalogAction(sku="S2", price=65.0),
            PatchManyItemsCatalogAction(filters=[blue], attributes={"sale": True}),
            AddPriceAdjustmentCatalogAction(
                sku="S1",
                adjustments=[
                    NewPriceAdjustment(price_type="member", reference_id="m-1", price=45.0)
                ],
            ),
            RemoveItemCatalogAction(sku="S2"),
            AddItemCatalogAction(sku="S3", attributes={"color": "blue"}),
            RemoveManyItemsCatalogAction(filters=[blue]),
        ]
        for payload in steps:
            catalog = await talon.catalogs.sync(3, sync_request(payload))
        assert catalog.version == 8 and talon_fake.catalog_items[3] == {}
        with pytest.raises(BadRequestError):
            await talon.catalogs.sync(3, sync_request(RemoveManyItemsCatalogAction(), version=2))
        with pytest.raises(NotFoundError):
            await talon.catalogs.sync(3, sync_request(RemoveItemCatalogAction(sku="S1")))
    assert [o["price"] for o in talon_fake.price_history["S2"]] == [70.0, 65.0]


# -- best prior price --------------------------------------------------------------------


def best(reply: Any) -> dict[str, tuple[float, list[str]]]:
    return {found["sku"]: (found["price"], found["contextIds"]) for found in reply.json}


async def test_best_prior_price_windows(raw: Raw, talon_fake: FakeTalon) -> None:
    history = [(days_ago(40), 5.0), (days_ago(25), 12.0), (days_ago(12), 8.0), (days_ago(12), 8.0)]
    talon_fake.add_price_history("P", history)
    talon_fake.add_price_history("P", [(days_ago(6), 9.0), (days_ago(3), 9.0)], context_ids=["S"])
    talon_fake.add_price_history("P", [(days_ago(1), 10.0)], context_ids=["S"])

    async def ask(end_type: str, days: int, end: datetime = NOW) -> Any:
        body = {**prior(end_type, timeframe=str(days)), "skus": ["P", "unknown", "P"]}
        reply = await raw(
            "POST", "/v1/best_prior_price", {**body, "timeframeEndDate": end.isoformat()}
        )
        assert (
            reply.status == 200
            and answer_problems("bestPriorPrice", reply.status, reply.body) == []
        )
        return best(reply)

    assert await ask("strict", 30) == {"P": (8.0, [])}
    assert await ask("strict", 50) == {"P": (5.0, [])}
    assert await ask("strict", 20, days_ago(13)) == {"P": (12.0, [])}
    assert await ask("strict", 5) == {"P": (9.0, ["S"])}
    # ``price``: before the current price (10, since a day ago) began.
    assert await ask("price", 3) == {"P": (9.0, ["S"])}
    assert await ask("price", 1) == {}
    # ``sale``: before the current context (S, since 6 days ago) began.
    assert await ask("sale", 10) == {"P": (8.0, [])}
    assert await ask("sale", 3) == {}
    # Among equal prices, the latest observation.
    found = (await raw("POST", "/v1/best_prior_price", prior(skus=["P"]))).json
    assert [o["id"] for o in found] == [talon_fake.price_history["P"][3]["id"]]


async def test_best_prior_price_for_an_audience(talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    talon_fake.add_price_history("A", [(days_ago(3), 5.0)], audience_id=8)
    request = BestPriorPriceRequest(
        skus=["A"],
        timeframe_end_date=NOW,
        timeframe="30",
        timeframe_end_date_type="strict",
        target=BestPriorTarget(target_type="AUDIENCE", audience_id=7),
    )
    async with talon_fake.client(strict_responses=True) as talon:
        (for_vip,) = await talon.catalogs.best_prior_price(request)
        (for_all,) = await talon.catalogs.best_prior_price(
            BestPriorPriceRequest(
                skus=["A"],
                timeframe_end_date=NOW,
                timeframe="30",
                timeframe_end_date_type="strict",
            )
        )
        with pytest.raises(BadRequestError):
            await talon.catalogs.best_prior_price(
                BestPriorPriceRequest(
                    skus=["A"],
                    timeframe_end_date=NOW,
                    timeframe="30 days",
                    timeframe_end_date_type="strict",
                )
            )
    assert (for_vip.price, for_all.price) == (7.5, 9.0)
    assert isinstance(for_vip.target, LabelTargetAudience)
    assert (for_vip.target.audience.id, for_vip.target.audience.integration_id) == (7, "mp-7")
    assert for_vip.metadata.influencing_campaign_details == []
    assert (for_all.observed_at, for_all.context_ids) == (days_ago(10), [])


async def test_synced_prices_enter_the_price_history(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    await raw("PUT", SYNC, sync(action("PATCH", sku="A", price=4.0)))
    await raw("PUT", SYNC, sync(action("PATCH", sku="A", attributes={"new": True})))
    await raw("PUT", SYNC, sync(action("PATCH_MANY", price=3.0, filters=[BLUE])))
    end = datetime.now(timezone.utc).isoformat()
    found = (await raw("POST", "/v1/best_prior_price", prior(timeframeEndDate=end))).json
    assert best_of(found) == {"A": 3.0}
    assert [o["price"] for o in talon_fake.price_history["A"]][-2:] == [4.0, 3.0]


def best_of(found: list[dict[str, Any]]) -> dict[str, float]:
    return {o["sku"]: o["price"] for o in found}


# -- seeding -----------------------------------------------------------------------------


def test_catalogs_prices_and_mirrored_audiences_seed() -> None:
    fake = FakeTalon()
    fake.seed(
        {
            "audiences": [
                {"id": 4, "name": "Club", "integration": "braze", "integrationId": "b-4"}
            ],
            "catalogs": [
                {"id": 2, "name": "food", "items": [{"sku": "F", "price": 3.5, "attributes": {}}]}
            ],
            "priceHistory": [
                {"sku": "F", "observedAt": "2025-01-01T00:00:00Z", "price": 3.0},
                {
                    "sku": "F",
                    "observedAt": "2025-01-05T00:00:00Z",
                    "price": 2.5,
                    "contextIds": ["Winter"],
                    "audienceId": 4,
                },
            ],
        }
    )
    assert (fake.audiences[4]["integration"], fake.audiences[4]["createdIn3rdParty"]) == (
        "braze",
        True,
    )
    assert (fake.catalogs[2]["name"], fake.catalog_items[2]["F"]["price"]) == ("food", 3.5)
    assert [(o["price"], o["contextIds"], o["target"]) for o in fake.price_history["F"]] == [
        (3.0, [], {"type": "NONE"}),
        (2.5, ["Winter"], {"type": "AUDIENCE", "audience": {"id": 4}}),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"catalogs": [{"id": 1, "items": [{"price": 1}]}]},
            "catalogs[0].items[0].sku is required",
        ),
        ({"priceHistory": [{"sku": "F", "price": 1}]}, "priceHistory[0].observedAt is required"),
        ({"audiences": [{"id": 1, "integrationId": ""}]}, "audiences[0].integrationId must have"),
    ],
)
def test_bad_seeds_say_where(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SeedError) as error:
        FakeTalon().seed(data)
    assert str(error.value).startswith(message)


def test_catalog_items_are_checked() -> None:
    with pytest.raises(ValueError, match=r"/items/1/price must be a number"):
        FakeTalon().add_catalog(1, [{"sku": "A"}, {"sku": "B", "price": "1"}])
