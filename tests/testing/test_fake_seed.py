"""Seeding from data and from JSON or TOML files: every key, and clear errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from talon_async.testing import FakeTalon, SeedError

from .conftest import Raw

SEED: dict[str, Any] = {
    "coupons": [
        {"value": "WELCOME10", "usageLimit": 5, "expiryDate": "2099-01-01T00:00:00Z"},
        {"value": "VIP", "campaignId": 2, "isReservationMandatory": True, "attributes": {"a": 1}},
    ],
    "rules": [
        {"rule": "coupon_codes", "percent": 10, "name": "Welcome"},
        {"rule": "percent_off_cart", "percent": 5, "campaignId": 1},
        {"rule": "loyalty_points", "programId": 3, "pointsPerCurrencyUnit": 0.5},
    ],
    "profiles": [{"integrationId": "alice", "attributes": {"tier": "gold"}}],
    "audiences": [{"id": 7, "name": "VIP"}, {"id": 8}],
    "referrals": [{"code": "FRIEND1", "advocateProfileIntegrationId": "alice", "usageLimit": 2}],
    "loyaltyPrograms": [
        {"id": 3, "title": "Coffee club", "tiers": [{"name": "Gold", "minPoints": 40}]}
    ],
}

TOML = """
[[coupons]]
value = "WELCOME10"
usageLimit = 5
expiryDate = 2099-01-01T00:00:00Z

[[rules]]
rule = "coupon_codes"
percent = 10

[[profiles]]
integrationId = "alice"
attributes = { tier = "gold" }
"""


async def test_a_seed_sets_up_every_area(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.seed(SEED)
    welcome, vip = talon_fake.coupons["WELCOME10"], talon_fake.coupons["VIP"]
    assert (welcome["usageLimit"], welcome["expiryDate"]) == (5, "2099-01-01T00:00:00.000000Z")
    assert (vip["campaignId"], vip["isReservationMandatory"], vip["attributes"]) == (
        2,
        True,
        {"a": 1},
    )
    assert talon_fake.profiles["alice"]["attributes"] == {"tier": "gold"}
    assert {key: audience["name"] for key, audience in talon_fake.audiences.items()} == {
        7: "VIP",
        8: "Audience 8",
    }
    referral = talon_fake.referrals["FRIEND1"]
    assert (referral["advocateProfileIntegrationId"], referral["usageLimit"]) == ("alice", 2)
    assert sorted(talon_fake.campaigns) == [1, 2]
    reply = await raw(
        "PUT",
        "/v2/customer_sessions/s-1",
        {
            "customerSession": {
                "profileId": "alice",
                "couponCodes": ["WELCOME10"],
                "cartItems": [{"sku": "A", "quantity": 1, "price": 100.0}],
            }
        },
    )
    effects = [
        (e["campaignId"], e["ruleName"], e["effectType"], e["props"].get("value"))
        for e in reply.json["effects"]
    ]
    assert effects == [
        (1, "Welcome", "acceptCoupon", "WELCOME10"),
        (1, "Welcome", "setDiscount", 10.0),
        (1, "5% off the cart", "setDiscount", 5.0),
        (2, "Loyalty points", "addLoyaltyPoints", 50.0),
    ]
    await raw("PUT", "/v2/customer_sessions/s-1", {"customerSession": {"state": "closed"}})
    balances = await raw("GET", "/v1/loyalty_programs/3/profile/alice/balances?includeTiers=true")
    assert balances.json["balance"]["activePoints"] == 50.0
    assert balances.json["balance"]["currentTier"]["name"] == "Gold"
    assert talon_fake.loyalty_programs[3]["title"] == "Coffee club"


def test_json_and_toml_seed_files(tmp_path: Path) -> None:
    fake = FakeTalon()
    json_file = tmp_path / "seed.json"
    json_file.write_text(json.dumps(SEED))
    assert fake.seed_file(json_file) == SEED
    assert len(fake.coupons) == 2 and len(fake._rules) == 3
    toml_file = tmp_path / "seed.toml"
    toml_file.write_text(TOML)
    fake.reset()
    if sys.version_info >= (3, 11):
        fake.seed_file(toml_file)
        assert fake.coupons["WELCOME10"]["expiryDate"] == "2099-01-01T00:00:00.000000Z"
        assert fake.profiles["alice"]["attributes"] == {"tier": "gold"}
        assert len(fake._rules) == 1
    else:
        with pytest.raises(SeedError) as error:
            fake.seed_file(toml_file)
        message = f"{toml_file}: a TOML seed needs Python 3.11 or later (tomllib); use a JSON seed"
        assert str(error.value) == message


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ({"coupon": []}, "unknown key 'coupon' (a seed may have achievements, audiences, "),
        ({"coupons": {"value": "X"}}, "coupons must be a list of objects"),
        ({"coupons": ["X"]}, "coupons[0] must be an object"),
        ({"coupons": [{"value": "X", "limit": 1}]}, "coupons[0] has an unknown member 'limit'"),
        ({"coupons": [{"value": "X", "usageLimit": "1"}]}, "coupons[0].usageLimit must be an int"),
        ({"coupons": [{"usageLimit": 1}]}, "coupons[0].value is required"),
        ({"coupons": [{"value": "X", "expiryDate": "soon"}]}, "coupons[0].expiryDate must be an"),
        ({"coupons": [{"value": "X", "expiryDate": None}]}, "coupons[0].expiryDate must not be"),
        ({"rules": [{"rule": "free_lunch"}]}, "rules[0].rule must be one of percent_off_cart, "),
        ({"rules": [{"rule": "percent_off_cart"}]}, "rules[0].percent is required"),
        ({"rules": [{"rule": "coupon_codes", "programId": 1}]}, "rules[0] has an unknown member"),
        ({"audiences": [{"id": "7"}]}, "audiences[0].id must be an integer"),
        ({"referrals": [{"code": "R"}]}, "referrals[0].advocateProfileIntegrationId is required"),
        ({"loyaltyPrograms": [{"id": 3, "cardBased": 1}]}, "loyaltyPrograms[0].cardBased must"),
    ],
)
def test_a_bad_seed_says_where_and_why(seed: dict[str, Any], message: str) -> None:
    with pytest.raises(SeedError) as error:
        FakeTalon().seed(seed)
    assert str(error.value).startswith(message)


def test_a_bad_seed_file_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "seed.json"
    for content, problem in [("[]", "the seed must be an object of lists"), ("{", "Expecting")]:
        file.write_text(content)
        with pytest.raises(SeedError, match=rf"^{file}: {problem}"):
            FakeTalon().seed_file(file)
    with pytest.raises(SeedError, match=r"No such file"):
        FakeTalon().seed_file(tmp_path / "missing.json")
