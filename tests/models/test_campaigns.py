"""Campaign list models against the example of the campaign list endpoint."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from talon_async import from_json, to_json
from talon_async.models import IntegrationGetAllCampaigns200Response, RuleMetadata

from ..wire import assert_every_member_known

# Put together from the spec's property examples.
PAGE = {
    "hasMore": True,
    "data": [
        {
            "applicationId": 322,
            "id": 4,
            "name": "Summer promotions",
            "description": "Campaign for all summer 2021 promotions",
            "startTime": "2021-07-20T22:00:00Z",
            "endTime": "2021-09-22T22:00:00Z",
            "attributes": {},
            "state": "enabled",
            "tags": ["summer"],
            "features": ["coupons", "referrals"],
            "rules": [
                {
                    "title": "Give discount via coupon",
                    "displayName": "20% off all shoes!",
                    "displayDescription": (
                        "Get a 20% discount on all shoes during Thanksgiving! "
                        "Offer valid till Dec 5 only."
                    ),
                    "relatedData": "https://example.com/discounts/20-off-shoes.png",
                },
                {"title": "Free shipping"},
            ],
        }
    ],
}


def test_campaign_page_from_the_property_examples() -> None:
    page = from_json(IntegrationGetAllCampaigns200Response, PAGE, strict=True)
    assert_every_member_known(page)
    assert page.has_more is True
    (campaign,) = page.data
    assert (campaign.application_id, campaign.id, campaign.state) == (322, 4, "enabled")
    assert campaign.start_time == datetime(2021, 7, 20, 22, tzinfo=timezone.utc)
    assert campaign.rules[1] == RuleMetadata(title="Free shipping")
    assert campaign.linked_store_ids is None


def test_campaign_members_of_the_official_sdk_are_known() -> None:
    # The official SDK's model also has the stores and audiences a campaign is linked to.
    data = json.loads(json.dumps(PAGE))
    data["data"][0] |= {"linkedStoreIds": [1, 2], "linkedAudienceIds": [7]}
    (campaign,) = from_json(IntegrationGetAllCampaigns200Response, data, strict=True).data
    assert (campaign.linked_store_ids, campaign.linked_audience_ids) == ([1, 2], [7])
    assert campaign.extra_fields == {}
    assert json.loads(to_json(campaign))["linkedAudienceIds"] == [7]
