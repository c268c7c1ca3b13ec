"""Audience models against the examples of the audience endpoints."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from talon_async import TalonDecodeError, from_json, to_json
from talon_async.models import Audience, NewAudience, UpdateAudience

from ..wire import assert_every_member_known

# The spec's five examples of the createAudienceV2 request.
CREATE_EXAMPLES: dict[str, dict[str, Any]] = {
    "Full request": {
        "name": "Travel audience",
        "sandbox": True,
        "description": "Travel audience 18-27",
        "subscribedApplicationsIds": [3, 13],
        "integration": "mparticle",
        "integrationId": "382370BKDB946",
        "createdIn3rdParty": False,
        "lastUpdate": "2022-04-26T11:02:38Z",
    },
    "eCommerce": {
        "name": "VIP Customers",
        "description": "Customers with high lifetime value and frequent purchases",
        "sandbox": False,
        "createdIn3rdParty": False,
    },
    "QSR & dining": {
        "name": "Breakfast Regulars",
        "description": (
            "Customers who order breakfast items 3+ times per week during weekday mornings"
        ),
        "sandbox": False,
        "createdIn3rdParty": False,
    },
    "Financial services": {
        "name": "New Account Holders",
        "description": "Customers who opened an account within the last 30 days",
        "sandbox": False,
        "createdIn3rdParty": False,
    },
    "Travel & hospitality": {
        "name": "Luxury Seekers",
        "description": (
            "Travelers who consistently book premium accommodations and high-end tour packages"
        ),
        "sandbox": False,
        "createdIn3rdParty": False,
    },
}


@pytest.mark.parametrize("example", list(CREATE_EXAMPLES))
def test_create_examples_decode_and_encode_back(example: str) -> None:
    data = CREATE_EXAMPLES[example]
    audience = from_json(NewAudience, data, strict=True)
    assert_every_member_known(audience)
    assert audience.created_in3rd_party is False
    sent = json.loads(to_json(audience))
    if "lastUpdate" in data:  # sent back in the offset form Python writes
        assert sent.pop("lastUpdate") == "2022-04-26T11:02:38+00:00"
        assert audience.last_update == datetime(2022, 4, 26, 11, 2, 38, tzinfo=timezone.utc)
    assert sent == {k: v for k, v in data.items() if k != "lastUpdate"}


def test_audience_answer_from_the_property_examples() -> None:
    audience = from_json(
        Audience,
        {
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
        },
        strict=True,
    )
    assert_every_member_known(audience)
    assert (audience.account_id, audience.id, audience.integration_id) == (3886, 6, "382370BKDB946")
    assert audience.created == datetime(2020, 6, 10, 9, 5, 27, 993483, tzinfo=timezone.utc)


def test_audience_needs_its_required_members() -> None:
    with pytest.raises(TalonDecodeError, match="accountId"):
        from_json(Audience, {"id": 6, "created": "2020-06-10T09:05:27Z", "name": "a"}, strict=True)


def test_update_audience_sends_only_what_is_set() -> None:
    assert json.loads(to_json(UpdateAudience(name="Travel audience"))) == {
        "name": "Travel audience"
    }
    example = {"name": "Travel audience", "subscribedApplicationsIds": [3, 13]}
    assert json.loads(to_json(from_json(UpdateAudience, example, strict=True))) == example
