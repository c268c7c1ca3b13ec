"""Catalog sync and best prior price models against the examples of their endpoints."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from talon_async import TalonDecodeError, from_json, to_json
from talon_async.models import (
    CATALOG_ACTION_PAYLOAD_TYPES,
    AddItemCatalogAction,
    AddPriceAdjustmentCatalogAction,
    AdjustmentDetails,
    AudienceReference,
    BestPriorPrice,
    BestPriorPriceRequest,
    BestPriorTarget,
    Catalog,
    CatalogAction,
    CatalogActionFilter,
    CatalogActionPayload,
    CatalogSyncRequest,
    InfluencingCampaignDetails,
    LabelTargetAudience,
    LabelTargetNone,
    NewPriceAdjustment,
    PatchItemCatalogAction,
    PatchManyItemsCatalogAction,
    Product,
    RemoveItemCatalogAction,
    RemoveManyItemsCatalogAction,
)

from ..wire import assert_every_member_known

UTC = timezone.utc

# The spec's example of an action (given for ADD), and one action of each other type put
# together from the property examples of its payload.
ACTION_EXAMPLES: dict[str, dict[str, Any]] = {
    "ADD": {
        "type": "ADD",
        "payload": {
            "sku": "T123",
            "attributes": {"type": "shoes", "color": "blue"},
            "replaceIfExists": True,
        },
    },
    "PATCH": {
        "type": "PATCH",
        "payload": {
            "sku": "SKU1241028",
            "price": 99.99,
            "attributes": {"origin": "germany"},
            "product": {"name": "sample_product"},
            "createIfNotExists": False,
        },
    },
    "PATCH_MANY": {
        "type": "PATCH_MANY",
        "payload": {
            "price": 99.99,
            "filters": [{"attr": "origin", "op": "EQ", "value": "germany"}],
            "attributes": {"color": "blue"},
        },
    },
    "REMOVE": {"type": "REMOVE", "payload": {"sku": "SKU1241028"}},
    "REMOVE_MANY": {
        "type": "REMOVE_MANY",
        "payload": {"filters": [{"attr": "price", "op": "GE", "value": 100}]},
    },
    "ADD_PRICE_ADJUSTMENT": {
        "type": "ADD_PRICE_ADJUSTMENT",
        "payload": {
            "sku": "SKU1241028",
            "adjustments": [
                {
                    "priceType": "member",
                    "price": 100,
                    "referenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                    "calculatedAt": "2021-09-12T10:12:42Z",
                    "effectiveFrom": "2021-09-12T10:12:42Z",
                    "effectiveUntil": "2021-09-12T10:12:42Z",
                    "contextId": "Summer2025",
                }
            ],
        },
    },
}
MOMENT = datetime(2021, 9, 12, 10, 12, 42, tzinfo=UTC)
TYPED_PAYLOADS: dict[str, CatalogActionPayload] = {
    "ADD": AddItemCatalogAction(
        sku="T123", attributes={"type": "shoes", "color": "blue"}, replace_if_exists=True
    ),
    "PATCH": PatchItemCatalogAction(
        sku="SKU1241028",
        price=99.99,
        attributes={"origin": "germany"},
        product=Product(name="sample_product"),
        create_if_not_exists=False,
    ),
    "PATCH_MANY": PatchManyItemsCatalogAction(
        price=99.99,
        filters=[CatalogActionFilter(attr="origin", op="EQ", value="germany")],
        attributes={"color": "blue"},
    ),
    "REMOVE": RemoveItemCatalogAction(sku="SKU1241028"),
    "REMOVE_MANY": RemoveManyItemsCatalogAction(
        filters=[CatalogActionFilter(attr="price", op="GE", value=100)]
    ),
    "ADD_PRICE_ADJUSTMENT": AddPriceAdjustmentCatalogAction(
        sku="SKU1241028",
        adjustments=[
            NewPriceAdjustment(
                price_type="member",
                price=100.0,
                reference_id="68851723-e6fa-488f-ace9-112581e6c19b",
                calculated_at=MOMENT,
                effective_from=MOMENT,
                effective_until=MOMENT,
                context_id="Summer2025",
            )
        ],
    ),
}


@pytest.mark.parametrize("action_type", list(ACTION_EXAMPLES))
def test_action_example_decodes_into_its_typed_payload(action_type: str) -> None:
    action = from_json(CatalogAction, ACTION_EXAMPLES[action_type], strict=True)
    assert action.type == action_type
    assert type(action.payload) is CATALOG_ACTION_PAYLOAD_TYPES[action.type]
    assert_every_member_known(action.payload)
    assert action.payload == TYPED_PAYLOADS[action_type]


def test_an_action_of_a_new_type_keeps_its_payload_as_received() -> None:
    data = {"type": "ARCHIVE", "payload": {"sku": "S", "until": 3}}
    action = from_json(CatalogAction, data, strict=True)
    assert action.payload == {"sku": "S", "until": 3}
    assert json.loads(to_json(action)) == data


def test_a_payload_that_does_not_go_with_its_type_is_refused() -> None:
    action = CatalogAction(type="ADD", payload=TYPED_PAYLOADS["REMOVE"])
    with pytest.raises(TypeError, match="does not go with type='ADD'"):
        to_json(action)
    with pytest.raises(TypeError, match="a model or a mapping"):
        to_json(CatalogAction(type="ADD", payload=["sku"]))  # type: ignore[arg-type]


@pytest.mark.parametrize("action_type", list(TYPED_PAYLOADS))
def test_action_of_a_payload_writes_its_type(action_type: str) -> None:
    action = CatalogAction.of(TYPED_PAYLOADS[action_type])
    assert action.type == action_type
    sent = json.loads(to_json(action))
    assert sent["type"] == action_type
    # The same JSON as the example, timestamps aside (written with an offset).
    expected = json.loads(
        json.dumps(ACTION_EXAMPLES[action_type]).replace("10:12:42Z", "10:12:42+00:00")
    )
    assert sent == expected


def test_every_payload_model_has_one_type() -> None:
    assert sorted(CATALOG_ACTION_PAYLOAD_TYPES) == sorted(TYPED_PAYLOADS)
    assert len(set(CATALOG_ACTION_PAYLOAD_TYPES.values())) == len(CATALOG_ACTION_PAYLOAD_TYPES)


def test_an_action_type_this_version_does_not_know_still_decodes() -> None:
    data = {"type": "ADD_BUNDLE", "payload": {"skus": ["A", "B"]}}
    action = from_json(CatalogAction, data, strict=True)
    assert action.payload == {"skus": ["A", "B"]}
    assert action.type not in CATALOG_ACTION_PAYLOAD_TYPES
    assert json.loads(to_json(action)) == data


def test_sync_request_round_trips() -> None:
    data = {"actions": list(ACTION_EXAMPLES.values())[:2], "version": 244}
    request = from_json(CatalogSyncRequest, data, strict=True)
    assert request.version == 244
    assert [a.type for a in request.actions] == ["ADD", "PATCH"]
    assert json.loads(to_json(request)) == data


def test_price_adjustment_can_send_a_null_price() -> None:
    # null ends the price type for the item; None fields are left out, so it goes as an
    # extra member.
    adjustment = NewPriceAdjustment(
        price_type="member", reference_id="r-1", extra_fields={"price": None}
    )
    assert json.loads(to_json(adjustment)) == {
        "priceType": "member",
        "referenceId": "r-1",
        "price": None,
    }


def test_catalog_from_the_property_examples() -> None:
    catalog = from_json(
        Catalog,
        {
            "id": 6,
            "created": "2020-06-10T09:05:27.993483Z",
            "accountId": 3886,
            "modified": "2021-09-12T10:12:42Z",
            "name": "seafood",
            "description": "seafood catalog",
            "subscribedApplicationsIds": [1, 2, 3],
            "version": 6,
            "createdBy": 6,
        },
        strict=True,
    )
    assert_every_member_known(catalog)
    assert (catalog.version, catalog.created_by, catalog.modified) == (6, 6, MOMENT)


def test_best_prior_price_request_from_the_property_examples() -> None:
    data = {
        "skus": ["comma", "period"],
        "timeframeEndDate": "2020-11-10T23:00:00Z",
        "timeframe": "30",
        "timeframeEndDateType": "sale",
        "target": {"targetType": "AUDIENCE", "audienceID": 4},
    }
    request = from_json(BestPriorPriceRequest, data, strict=True)
    assert_every_member_known(request)
    assert request.target == BestPriorTarget(target_type="AUDIENCE", audience_id=4)
    assert request.timeframe_end_date == datetime(2020, 11, 10, 23, tzinfo=UTC)
    assert json.loads(to_json(request)) == {**data, "timeframeEndDate": "2020-11-10T23:00:00+00:00"}


def best_prior_price(target: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": 1,
        "sku": "NVR-GN-GV-UUP",
        "observedAt": "2025-11-10T23:00:00Z",
        "contextIds": ["SpringSale", "SummerSale2025"],
        "contextId": "",
        "price": 99.99,
        "metadata": {
            "influencingCampaignDetails": [{"campaignId": 3, "discountValue": 5}],
            "adjustmentDetails": {
                "referenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                "selectedPriceType": "member",
                "value": 104.99,
            },
        },
        "target": target,
    }


def test_best_prior_price_for_an_audience() -> None:
    target = {
        "type": "AUDIENCE",
        "audience": {"id": 4, "integration": "mparticle", "integrationId": "382370BKDB946"},
    }
    (price,) = from_json(list[BestPriorPrice], [best_prior_price(target)], strict=True)
    assert_every_member_known(price)
    assert price.target == LabelTargetAudience(
        type="AUDIENCE",
        audience=AudienceReference(id=4, integration="mparticle", integration_id="382370BKDB946"),
    )
    assert price.metadata.influencing_campaign_details == [
        InfluencingCampaignDetails(campaign_id=3, discount_value=5.0)
    ]
    assert price.metadata.adjustment_details == AdjustmentDetails(
        reference_id="68851723-e6fa-488f-ace9-112581e6c19b",
        selected_price_type="member",
        value=104.99,
    )
    assert json.loads(to_json(price))["target"] == target


def test_best_prior_price_for_no_target() -> None:
    price = from_json(BestPriorPrice, best_prior_price({"type": "NONE"}), strict=True)
    assert price.target == LabelTargetNone(type="NONE")
    assert price.context_id == ""


def test_best_prior_price_target_of_a_new_kind_keeps_its_members() -> None:
    target = {"type": "STORE", "store": {"id": 9}}
    price = from_json(BestPriorPrice, best_prior_price(target), strict=True)
    assert price.target == target
    assert json.loads(to_json(price))["target"] == target


def test_best_prior_price_needs_its_metadata() -> None:
    data = best_prior_price({"type": "NONE"})
    del data["metadata"]
    with pytest.raises(TalonDecodeError, match="metadata"):
        from_json(BestPriorPrice, data, strict=True)
