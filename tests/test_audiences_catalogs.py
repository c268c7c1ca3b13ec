"""Audiences, catalog sync and best prior price on the wire, and input refused before I/O."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from talon_async import TalonClient, from_json
from talon_async.models import (
    AddItemCatalogAction,
    AddPriceAdjustmentCatalogAction,
    Audience,
    BestPriorPrice,
    BestPriorPriceRequest,
    BestPriorTarget,
    CartItem,
    Catalog,
    CatalogAction,
    CatalogActionFilter,
    CatalogActionPayload,
    CatalogSyncRequest,
    NewAudience,
    NewPriceAdjustment,
    PatchItemCatalogAction,
    PatchManyItemsCatalogAction,
    Product,
    RemoveItemCatalogAction,
    RemoveManyItemsCatalogAction,
    UpdateAudience,
)

from .conftest import RecordingServer
from .wire import WireCase, check_on_the_wire

# The answers are the spec's property examples put together.
AUDIENCE = {
    "accountId": 3886,
    "id": 6,
    "created": "2020-06-10T09:05:27.993483Z",
    "name": "Travel audience",
    "sandbox": True,
    "description": "Travel audience 18-27",
    "subscribedApplicationsIds": [3, 13],
    "integration": "mparticle",
    "integrationId": "382370BKDB946",
    "createdIn3rdParty": False,
    "lastUpdate": "2022-04-26T11:02:38Z",
}
CATALOG = {
    "id": 6,
    "created": "2020-06-10T09:05:27.993483Z",
    "accountId": 3886,
    "modified": "2021-09-12T10:12:42Z",
    "name": "seafood",
    "description": "seafood catalog",
    "subscribedApplicationsIds": [1, 2, 3],
    "version": 6,
    "createdBy": 6,
}
BEST_PRIOR_PRICES = [
    {
        "id": 1,
        "sku": "NVR-GN-GV-UUP",
        "observedAt": "2025-11-10T23:00:00Z",
        "contextIds": ["SpringSale", "SummerSale2025"],
        "contextId": "",
        "price": 99.99,
        "metadata": {
            "influencingCampaignDetails": [{"campaignId": 12, "discountValue": 10.01}],
            "adjustmentDetails": {
                "referenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                "selectedPriceType": "member",
                "value": 110,
            },
        },
        "target": {"type": "AUDIENCE", "audience": {"id": 4, "integrationId": "382370BKDB946"}},
    },
    {
        "id": 2,
        "sku": "comma",
        "observedAt": "2025-10-01T08:00:00Z",
        "contextIds": [],
        "price": 12,
        "metadata": {"influencingCampaignDetails": []},
        "target": {"type": "NONE"},
    },
]
UTC = timezone.utc

# One sync with every kind of action the API documents, and the JSON it must send.
SYNC_ACTIONS: list[CatalogActionPayload] = [
    AddItemCatalogAction(
        sku="T123",
        price=99.99,
        attributes={"type": "shoes", "color": "blue"},
        product=Product(name="sample_product"),
        replace_if_exists=True,
    ),
    PatchItemCatalogAction(sku="T124", price=49.5, create_if_not_exists=True),
    PatchManyItemsCatalogAction(
        filters=[CatalogActionFilter(attr="color", op="IN", value=["blue", "red"])],
        attributes={"onSale": True},
    ),
    RemoveItemCatalogAction(sku="T125"),
    RemoveManyItemsCatalogAction(
        filters=[
            CatalogActionFilter(attr="stock", op="LT", value=1),
            CatalogActionFilter(attr="origin", op="EQ", value="germany"),
        ]
    ),
    AddPriceAdjustmentCatalogAction(
        sku="T123",
        adjustments=[
            NewPriceAdjustment(
                price_type="member",
                reference_id="68851723-e6fa-488f-ace9-112581e6c19b",
                price=89.99,
                effective_from=datetime(2025, 6, 1, tzinfo=UTC),
                context_id="Summer2025",
            )
        ],
    ),
]
SYNC_WIRE = {
    "actions": [
        {
            "type": "ADD",
            "payload": {
                "sku": "T123",
                "price": 99.99,
                "attributes": {"type": "shoes", "color": "blue"},
                "product": {"name": "sample_product"},
                "replaceIfExists": True,
            },
        },
        {"type": "PATCH", "payload": {"sku": "T124", "price": 49.5, "createIfNotExists": True}},
        {
            "type": "PATCH_MANY",
            "payload": {
                "filters": [{"attr": "color", "op": "IN", "value": ["blue", "red"]}],
                "attributes": {"onSale": True},
            },
        },
        {"type": "REMOVE", "payload": {"sku": "T125"}},
        {
            "type": "REMOVE_MANY",
            "payload": {
                "filters": [
                    {"attr": "stock", "op": "LT", "value": 1},
                    {"attr": "origin", "op": "EQ", "value": "germany"},
                ]
            },
        },
        {
            "type": "ADD_PRICE_ADJUSTMENT",
            "payload": {
                "sku": "T123",
                "adjustments": [
                    {
                        "priceType": "member",
                        "referenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                        "price": 89.99,
                        "effectiveFrom": "2025-06-01T00:00:00+00:00",
                        "contextId": "Summer2025",
                    }
                ],
            },
        },
    ],
    "version": 244,
}


CASES: dict[str, WireCase] = {
    "createAudienceV2": WireCase(
        lambda c: c.audiences.create(
            NewAudience(
                name="Travel audience",
                sandbox=True,
                description="Travel audience 18-27",
                subscribed_applications_ids=[3, 13],
                integration="mparticle",
                integration_id="382370BKDB946",
                created_in3rd_party=False,
                last_update=datetime(2022, 4, 26, 11, 2, 38, tzinfo=UTC),
            )
        ),
        "POST", "/v2/audiences", "",
        {"name": "Travel audience", "sandbox": True, "description": "Travel audience 18-27",
         "subscribedApplicationsIds": [3, 13], "integration": "mparticle",
         "integrationId": "382370BKDB946", "createdIn3rdParty": False,
         "lastUpdate": "2022-04-26T11:02:38+00:00"},
        201, AUDIENCE, Audience,
    ),
    "updateAudienceV2": WireCase(
        lambda c: c.audiences.update(
            10, UpdateAudience(name="Travel audience", subscribed_applications_ids=[3, 13])
        ),
        "PUT", "/v2/audiences/10", "",
        {"name": "Travel audience", "subscribedApplicationsIds": [3, 13]},
        200, AUDIENCE, Audience,
    ),
    "deleteAudienceV2": WireCase(
        lambda c: c.audiences.delete(10),
        "DELETE", "/v2/audiences/10", "", None, 204, None, None,
    ),
    "deleteAudienceMembershipsV2": WireCase(
        lambda c: c.audiences.delete_memberships(10),
        "DELETE", "/v2/audiences/10/memberships", "", None, 204, None, None,
    ),
    "updateAudienceCustomersAttributes": WireCase(
        lambda c: c.audiences.update_customers_attributes(
            10, {"my_attribute_1": "some value", "my_attribute_2": "some other value"}
        ),
        "PUT", "/v2/audience_customers/10/attributes", "",
        {"my_attribute_1": "some value", "my_attribute_2": "some other value"},
        204, None, None,
    ),
    "syncCatalog": WireCase(
        lambda c: c.catalogs.sync(
            30,
            CatalogSyncRequest(
                actions=[CatalogAction.of(payload) for payload in SYNC_ACTIONS], version=244
            ),
        ),
        "PUT", "/v1/catalogs/30/sync", "", SYNC_WIRE, 200, CATALOG, Catalog,
    ),
    "bestPriorPrice": WireCase(
        lambda c: c.catalogs.best_prior_price(
            BestPriorPriceRequest(
                skus=["NVR-GN-GV-UUP", "comma"],
                timeframe_end_date=datetime(2025, 11, 30, 23, tzinfo=UTC),
                timeframe="30",
                timeframe_end_date_type="sale",
                target=BestPriorTarget(target_type="AUDIENCE", audience_id=4),
            )
        ),
        "POST", "/v1/best_prior_price", "",
        {"skus": ["NVR-GN-GV-UUP", "comma"], "timeframeEndDate": "2025-11-30T23:00:00+00:00",
         "timeframe": "30", "timeframeEndDateType": "sale",
         "target": {"targetType": "AUDIENCE", "audienceID": 4}},
        200, BEST_PRIOR_PRICES, list[BestPriorPrice],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
async def test_operation_on_the_wire(server: RecordingServer, name: str) -> None:
    await check_on_the_wire(server, CASES[name])


async def test_sync_sent_decodes_back_into_the_typed_payloads(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, json.dumps(CATALOG))
    request = CatalogSyncRequest(actions=[CatalogAction.of(payload) for payload in SYNC_ACTIONS])
    await client.catalogs.sync(30, request)
    received = from_json(CatalogSyncRequest, server.last.body, strict=True)
    assert [action.payload for action in received.actions] == SYNC_ACTIONS
    assert [action.type for action in received.actions] == [
        "ADD",
        "PATCH",
        "PATCH_MANY",
        "REMOVE",
        "REMOVE_MANY",
        "ADD_PRICE_ADJUSTMENT",
    ]


async def test_a_sync_of_many_items_is_one_request(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, json.dumps(CATALOG))
    prices = {f"SKU-{n}": float(n) for n in range(1000)}
    await client.catalogs.sync(
        30,
        CatalogSyncRequest(
            actions=[
                CatalogAction.of(AddItemCatalogAction(sku=sku, price=price, replace_if_exists=True))
                for sku, price in prices.items()
            ]
        ),
    )
    (received,) = server.received
    actions = json.loads(received.body)["actions"]
    assert len(actions) == 1000
    assert actions[999] == {
        "type": "ADD",
        "payload": {"sku": "SKU-999", "price": 999.0, "replaceIfExists": True},
    }


async def test_official_names_take_the_official_argument_order(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, json.dumps(AUDIENCE))
    audience = await client.update_audience_v2(6, UpdateAudience(name="Travel audience"))
    assert audience.id == 6
    server.respond(204)
    await client.update_audience_customers_attributes(6, {"tier": "gold"})
    server.respond(200, json.dumps(CATALOG))
    catalog = await client.sync_catalog(
        30, CatalogSyncRequest(actions=[CatalogAction.of(RemoveItemCatalogAction(sku="A"))])
    )
    assert catalog.version == 6
    assert [(r.method, r.raw_path) for r in server.received] == [
        ("PUT", "/v2/audiences/6"),
        ("PUT", "/v2/audience_customers/6/attributes"),
        ("PUT", "/v1/catalogs/30/sync"),
    ]


def one_action() -> CatalogSyncRequest:
    return CatalogSyncRequest(actions=[CatalogAction.of(RemoveItemCatalogAction(sku="A"))])


BAD_CALLS: dict[str, tuple[Any, type[Exception], str]] = {
    "audience id as str": (
        lambda c: c.audiences.update("10", UpdateAudience(name="a")), TypeError, "audience_id",
    ),
    "audience id bool": (lambda c: c.audiences.delete(True), TypeError, "audience_id"),
    "negative audience id": (
        lambda c: c.audiences.delete_memberships(-1), ValueError, "audience_id",
    ),
    "wrong body model": (
        lambda c: c.audiences.create(UpdateAudience(name="a")), TypeError, "NewAudience",
    ),
    "attributes not a dict": (
        lambda c: c.audiences.update_customers_attributes(10, [("a", 1)]), TypeError, "dict",
    ),
    "attribute not finite": (
        lambda c: c.audiences.update_customers_attributes(10, {"score": float("nan")}),
        ValueError, "finite",
    ),
    "naive datetime in audience": (
        lambda c: c.audiences.create(NewAudience(name="a", last_update=datetime(2024, 1, 1))),
        ValueError, "timezone",
    ),
    "catalog id as str": (lambda c: c.catalogs.sync("30", one_action()), TypeError, "catalog_id"),
    "no actions": (
        lambda c: c.catalogs.sync(30, CatalogSyncRequest(actions=[])), ValueError, "1 to 1000",
    ),
    "too many actions": (
        lambda c: c.catalogs.sync(
            30, CatalogSyncRequest(actions=one_action().actions * 1001)
        ),
        ValueError, "got 1001",
    ),
    "type not matching payload": (
        lambda c: c.catalogs.sync(
            30,
            CatalogSyncRequest(
                actions=[CatalogAction(type="ADD", payload=RemoveItemCatalogAction(sku="A"))]
            ),
        ),
        TypeError, "RemoveItemCatalogAction does not go with type='ADD'",
    ),
    "payload not an object": (
        lambda c: c.catalogs.sync(
            30, CatalogSyncRequest(
                actions=[CatalogAction(type="REMOVE", payload=["A"])]  # type: ignore[arg-type]
            ),
        ),
        TypeError, "CatalogAction.payload: expected a model or a mapping, got list",
    ),
    "action not an action": (
        lambda c: c.catalogs.sync(
            30, CatalogSyncRequest(
                actions=[RemoveItemCatalogAction(sku="A")]  # type: ignore[list-item]
            ),
        ),
        TypeError, "CatalogAction",
    ),
    "filter value not JSON": (
        lambda c: c.catalogs.sync(
            30,
            CatalogSyncRequest(
                actions=[CatalogAction.of(RemoveManyItemsCatalogAction(
                    filters=[CatalogActionFilter(attr="a", op="EQ", value=float("inf"))]
                ))]
            ),
        ),
        ValueError, "finite",
    ),
    "sync body not a request": (
        lambda c: c.catalogs.sync(30, one_action().actions), TypeError, "CatalogSyncRequest",
    ),
    "naive timeframe end": (
        lambda c: c.catalogs.best_prior_price(
            BestPriorPriceRequest(skus=["a"], timeframe_end_date=datetime(2025, 1, 1),
                                  timeframe="30", timeframe_end_date_type="strict")
        ),
        ValueError, "timezone",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_CALLS))
async def test_bad_input_is_refused_before_io(
    server: RecordingServer, client: TalonClient, name: str
) -> None:
    call, error, message = BAD_CALLS[name]
    with pytest.raises(error, match=message):
        await call(client)
    assert server.received == []


def test_only_payload_models_make_actions() -> None:
    with pytest.raises(TypeError, match=r"AddItemCatalogAction, .*got CartItem"):
        CatalogAction.of(CartItem(sku="A", quantity=1))  # type: ignore[arg-type]
