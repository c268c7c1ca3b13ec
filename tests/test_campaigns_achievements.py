"""Campaign and achievement lists on the wire, their pagination, and input refused before
I/O."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from aiohttp import web

from talon_async import TalonClient
from talon_async.models import (
    AchievementProgress,
    GetCustomerAchievementHistory200Response,
    GetCustomerAchievements200Response,
    IntegrationCampaign,
    IntegrationGetAllCampaigns200Response,
)

from .conftest import RecordingServer
from .wire import WireCase, check_on_the_wire

# The answers are the spec's property examples put together. The spec's examples of the
# achievement timestamps ("2024-01-15T15:04:05Z07:00") are Go's layout string, not RFC 3339
# timestamps as the schema says (see tests/models/test_achievements.py); these use the
# same moments written as valid timestamps.
CAMPAIGN = {
    "applicationId": 322,
    "id": 4,
    "name": "Summer promotions",
    "description": "Campaign for all summer 2021 promotions",
    "startTime": "2021-07-20T22:00:00Z",
    "endTime": "2021-09-22T22:00:00Z",
    "attributes": {"region": "EU"},
    "state": "enabled",
    "tags": ["summer"],
    "features": ["coupons", "referrals"],
    "rules": [
        {
            "title": "Give discount via coupon",
            "displayName": "20% off all shoes!",
            "displayDescription": "Get a 20% discount on all shoes during Thanksgiving!",
            "relatedData": "https://example.com/discounts/20-off-shoes.png",
        }
    ],
}
PROGRESS = {
    "status": "completed",
    "progress": 10,
    "startDate": "2024-01-01T15:04:05+07:00",
    "completionDate": "2024-01-15T15:04:05+07:00",
    "endDate": "2024-02-01T15:04:05+07:00",
}
ACHIEVEMENT = {
    "id": 6,
    "created": "2020-06-10T09:05:27.993483Z",
    "name": "Order50Discount",
    "title": "50% off on 50th purchase.",
    "description": "50% off for every 50th purchase in a year.",
    "target": 50,
    "period": "1Y",
    "periodEndOverride": {"month": 11, "dayOfMonth": 23, "hour": 23, "minute": 59, "second": 59},
    "recurrencePolicy": "no_recurrence",
    "activationPolicy": "fixed_schedule",
    "fixedStartDate": "2024-01-15T15:04:05+07:00",
    "endDate": "2024-02-15T15:04:05+07:00",
    "allowRollbackAfterCompletion": False,
    "campaignId": 1,
    "status": "active",
    "currentProgress": PROGRESS,
}
PLUS_7 = timezone(timedelta(hours=7))
MOMENT = datetime(2024, 5, 29, 15, 4, 5, tzinfo=PLUS_7)
MOMENT_IN_QUERY = "2024-05-29T15%3A04%3A05%2B07%3A00"


CASES: dict[str, WireCase] = {
    "integrationGetAllCampaigns": WireCase(
        lambda c: c.campaigns.get_all(
            page_size=50,
            skip=100,
            campaign_ids=[11, 20],
            start_after=MOMENT,
            start_before=MOMENT + timedelta(days=1),
            end_after=MOMENT + timedelta(days=2),
            end_before=datetime(2024, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
        ),
        "GET", "/v1/integration/campaigns",
        "pageSize=50&skip=100&campaignIds=11,20"
        f"&startAfter={MOMENT_IN_QUERY}"
        "&startBefore=2024-05-30T15%3A04%3A05%2B07%3A00"
        "&endAfter=2024-05-31T15%3A04%3A05%2B07%3A00"
        "&endBefore=2024-12-31T23%3A59%3A59%2B00%3A00",
        None, 200, {"hasMore": False, "data": [CAMPAIGN]}, IntegrationGetAllCampaigns200Response,
    ),
    "integrationGetAllCampaigns-no-options": WireCase(
        lambda c: c.campaigns.get_all(),
        "GET", "/v1/integration/campaigns", "",
        None, 200, {"hasMore": True, "data": []}, IntegrationGetAllCampaigns200Response,
    ),
    "getCustomerAchievements": WireCase(
        lambda c: c.achievements.get_for_customer(
            "customer 1/ü",
            campaign_ids=[11, 20],
            achievement_ids=[6],
            achievement_status=["active", "scheduled"],
            current_progress_status=["inprogress", "completed"],
            page_size=1000,
            skip=0,
        ),
        "GET", "/v1/customer_profiles/customer%201%2F%C3%BC/achievements",
        "campaignIds=11,20&achievementIds=6&achievementStatus=active,scheduled"
        "&currentProgressStatus=inprogress,completed&pageSize=1000&skip=0",
        None, 200, {"totalResultSize": 1, "data": [ACHIEVEMENT]},
        GetCustomerAchievements200Response,
    ),
    "getCustomerAchievementHistory": WireCase(
        lambda c: c.achievements.get_history(
            "customer1",
            321,
            progress_status=["inprogress", "completed"],
            start_date=MOMENT,
            end_date=MOMENT + timedelta(days=30),
            page_size=10,
            skip=20,
        ),
        "GET", "/v1/customer_profiles/customer1/achievements/321",
        f"progressStatus=inprogress,completed&startDate={MOMENT_IN_QUERY}"
        "&endDate=2024-06-28T15%3A04%3A05%2B07%3A00&pageSize=10&skip=20",
        None, 200, {"totalResultSize": 21, "data": [PROGRESS]},
        GetCustomerAchievementHistory200Response,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
async def test_operation_on_the_wire(server: RecordingServer, name: str) -> None:
    await check_on_the_wire(server, CASES[name])


async def test_official_name_takes_the_official_argument_order(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, json.dumps({"totalResultSize": 0, "data": []}))
    page = await client.get_customer_achievement_history("customer1", 321, skip=5)
    assert page.total_result_size == 0
    assert server.last.raw_path == "/v1/customer_profiles/customer1/achievements/321"
    assert server.last.query_string == "skip=5"


def serve_pages(server: RecordingServer, items: list[dict[str, Any]], *, total: bool) -> None:
    """Answer list requests with the slice of ``items`` that ``skip`` and ``pageSize``
    select, telling ``hasMore`` (or, with ``total``, ``totalResultSize``)."""

    async def handler(request: web.Request) -> web.Response:
        skip, size = int(request.query["skip"]), int(request.query["pageSize"])
        page: dict[str, Any] = {"data": items[skip : skip + size]}
        if total:
            page["totalResultSize"] = len(items)
        else:
            page["hasMore"] = skip + size < len(items)
        return web.json_response(page)

    server.handle(handler)


def campaign(n: int) -> dict[str, Any]:
    return {**CAMPAIGN, "id": n, "name": f"Campaign {n}"}


async def test_campaign_pages_are_fetched_as_they_are_needed(
    server: RecordingServer, client: TalonClient
) -> None:
    serve_pages(server, [campaign(n) for n in range(1, 6)], total=False)
    seen: list[int] = []
    async for item in client.campaigns.iter_all(page_size=2, campaign_ids=[1, 2, 3, 4, 5]):
        assert isinstance(item, IntegrationCampaign)
        seen.append(item.id)
        if len(seen) == 3:
            break
    assert seen == [1, 2, 3]
    # The third item is on the second page; the third page is never asked for.
    assert [r.query_string for r in server.received] == [
        "pageSize=2&skip=0&campaignIds=1,2,3,4,5",
        "pageSize=2&skip=2&campaignIds=1,2,3,4,5",
    ]


async def test_campaign_pages_until_has_more_is_false(
    server: RecordingServer, client: TalonClient
) -> None:
    serve_pages(server, [campaign(n) for n in range(1, 6)], total=False)
    ids = [item.id async for item in client.campaigns.iter_all(page_size=2)]
    assert ids == [1, 2, 3, 4, 5]
    assert [r.query["skip"] for r in server.received] == ["0", "2", "4"]


async def test_achievement_history_pages_by_total_and_limit(
    server: RecordingServer, client: TalonClient
) -> None:
    records = [{**PROGRESS, "progress": n} for n in range(7)]
    serve_pages(server, records, total=True)
    every = [r.progress async for r in client.achievements.iter_history("p1", 321, page_size=3)]
    assert every == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert [r.query_string for r in server.received] == [
        "pageSize=3&skip=0",
        "pageSize=3&skip=3",
        "pageSize=3&skip=6",
    ]
    server.received.clear()
    pager = client.achievements.iter_history(
        "p1", 321, progress_status=["completed"], page_size=3, limit=4
    )
    first = [r async for r in pager]
    assert all(isinstance(r, AchievementProgress) for r in first)
    assert [r.progress for r in first] == [0.0, 1.0, 2.0, 3.0]
    assert [r.query_string for r in server.received] == [
        "progressStatus=completed&pageSize=3&skip=0",
        "progressStatus=completed&pageSize=1&skip=3",
    ]


async def test_customer_achievements_iterate_with_default_page_size(
    server: RecordingServer, client: TalonClient
) -> None:
    serve_pages(server, [{**ACHIEVEMENT, "id": n} for n in range(3)], total=True)
    ids = [e.id async for e in client.achievements.iter_for_customer("p1", achievement_ids=[1])]
    assert ids == [0, 1, 2]
    assert [r.query_string for r in server.received] == ["achievementIds=1&pageSize=1000&skip=0"]


BAD_CALLS: dict[str, tuple[Any, type[Exception], str]] = {
    "page size 0": (lambda c: c.campaigns.get_all(page_size=0), ValueError, "page_size"),
    "page size too big": (
        lambda c: c.achievements.get_for_customer("p1", page_size=1001), ValueError,
        "page_size must be between 1 and 1000",
    ),
    "negative skip": (lambda c: c.campaigns.get_all(skip=-1), ValueError, "skip must be >= 0"),
    "page size not int": (
        lambda c: c.achievements.get_history("p1", 1, page_size=2.0), TypeError, "page_size",
    ),
    "ids as one str": (
        lambda c: c.campaigns.get_all(campaign_ids="11,20"), TypeError, "campaign_ids",
    ),
    "id with a comma": (
        lambda c: c.achievements.get_for_customer("p1", achievement_status=["active,x"]),
        ValueError, "achievement_status must not contain a comma",
    ),
    "empty status": (
        lambda c: c.achievements.get_history("p1", 1, progress_status=[""]), TypeError,
        "progress_status",
    ),
    "naive moment": (
        lambda c: c.campaigns.get_all(start_after=datetime(2024, 1, 1)), ValueError,
        "start_after must be timezone-aware",
    ),
    "moment as str": (
        lambda c: c.achievements.get_history("p1", 1, end_date="2024-01-01"), TypeError,
        "end_date",
    ),
    "achievement id as str": (
        lambda c: c.achievements.get_history("p1", "321"), TypeError, "achievement_id",
    ),
    "empty integration id": (
        lambda c: c.achievements.get_for_customer(""), ValueError, "integration_id",
    ),
    "pager page size too big": (
        lambda c: anext(aiter(c.campaigns.iter_all(page_size=5000))), ValueError,
        "page_size must be between 1 and 1000",
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


def test_pager_page_size_is_checked_at_once(client: TalonClient) -> None:
    with pytest.raises(ValueError, match="page_size"):
        client.achievements.iter_for_customer("p1", page_size=0)
