"""The fake's campaign list and achievements: answers as the spec says, filters and pages,
progress from seeding and from rule effects, and talon_async's client on top."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

import pytest

from talon_async import BadRequestError, NotFoundError
from talon_async.models.effects import (
    IncreaseAchievementProgressEffectProps,
    RollbackIncreasedAchievementProgressEffectProps,
)
from talon_async.models.sessions import CartItem, IntegrationRequest, NewCustomerSessionV2
from talon_async.testing import FakeTalon, SeedError, achievement_progress, percent_off_cart

from .conformance import answer_problems
from .conftest import Raw

NOW = datetime.now(timezone.utc)


def days(count: float) -> datetime:
    """A moment ``count`` days from now (in the past when negative)."""
    return NOW + timedelta(days=count)


def at(moment: datetime) -> str:
    """A query parameter's moment (whole seconds)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(moment: datetime) -> str:
    """A moment as the fake writes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seed(fake: FakeTalon) -> None:
    """Campaigns 1-5 (4 disabled), achievements 1-3, and alice's progress."""
    fake.add_campaign(1, name="Spring", start_time=days(-30), end_time=days(30), tags=["season"])
    fake.add_campaign(2, name="Always")
    fake.add_campaign(3, name="Next year", start_time=days(300), end_time=days(400))
    fake.add_campaign(4, name="Paused", state="disabled")
    fake.add_campaign(5, name="Over", start_time=days(-60), end_time=days(-10))
    fake.add_rule(percent_off_cart(10), campaign_id=1, name="Ten off")
    fake.add_achievement("TenOrders", 10, campaign_id=1, title="Ten orders", description="10")
    fake.add_achievement("BigSpender", 500, campaign_id=2, period="30D")
    fake.add_achievement(
        "Weekly",
        3,
        campaign_id=2,
        period="1W",
        activation_policy="fixed_schedule",
        fixed_start_date=days(7),
    )
    fake.add_achievement_progress("alice", 1, 4)
    fake.add_achievement_progress("alice", 2, 600)


class Case(NamedTuple):
    operation: str
    path: str
    status: int


CAMPAIGNS = "/v1/integration/campaigns"
ACHIEVEMENTS = "/v1/customer_profiles/alice/achievements"
CASES = {
    "campaigns": Case("integrationGetAllCampaigns", CAMPAIGNS, 200),
    "campaigns-page": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?pageSize=1&skip=1", 200),
    "campaigns-ids": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?campaignIds=1,3,4", 200),
    "campaigns-dates": Case(
        "integrationGetAllCampaigns",
        f"{CAMPAIGNS}?startAfter=2020-01-01&startBefore={at(days(1))}"
        f"&endAfter={at(days(1))}&endBefore=2100-01-01T00:00:00%2B02:00",
        200,
    ),
    "campaigns-page-0": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?pageSize=0", 400),
    "campaigns-page-1001": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?pageSize=1001", 400),
    "campaigns-skip-negative": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?skip=-1", 400),
    "campaigns-bad-id": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?campaignIds=1,x", 400),
    "campaigns-bad-date": Case("integrationGetAllCampaigns", f"{CAMPAIGNS}?startAfter=soon", 400),
    "achievements": Case("getCustomerAchievements", ACHIEVEMENTS, 200),
    "achievements-filtered": Case(
        "getCustomerAchievements",
        f"{ACHIEVEMENTS}?campaignIds=1,2&achievementIds=1,2,3&achievementStatus=active,scheduled"
        "&currentProgressStatus=inprogress,completed,not_started&pageSize=2&skip=1",
        200,
    ),
    "achievements-scheduled": Case(
        "getCustomerAchievements", f"{ACHIEVEMENTS}?achievementStatus=scheduled", 200
    ),
    "achievements-not-started": Case(
        "getCustomerAchievements", f"{ACHIEVEMENTS}?currentProgressStatus=not_started", 200
    ),
    "achievements-unknown-profile": Case(
        "getCustomerAchievements", "/v1/customer_profiles/nobody/achievements", 404
    ),
    "achievements-bad-status": Case(
        "getCustomerAchievements", f"{ACHIEVEMENTS}?achievementStatus=ended", 400
    ),
    "achievements-bad-progress": Case(
        "getCustomerAchievements", f"{ACHIEVEMENTS}?currentProgressStatus=expired", 400
    ),
    "achievements-bad-id": Case("getCustomerAchievements", f"{ACHIEVEMENTS}?achievementIds=x", 400),
    "achievements-page-0": Case("getCustomerAchievements", f"{ACHIEVEMENTS}?pageSize=0", 400),
    "history": Case("getCustomerAchievementHistory", f"{ACHIEVEMENTS}/1", 200),
    "history-filtered": Case(
        "getCustomerAchievementHistory",
        f"{ACHIEVEMENTS}/2?progressStatus=inprogress,completed,expired"
        f"&startDate={at(days(-1))}&endDate={at(days(1))}&pageSize=1&skip=0",
        200,
    ),
    "history-unknown-profile": Case(
        "getCustomerAchievementHistory", "/v1/customer_profiles/nobody/achievements/1", 404
    ),
    "history-unknown-achievement": Case("getCustomerAchievementHistory", f"{ACHIEVEMENTS}/99", 404),
    "history-not-an-id": Case("getCustomerAchievementHistory", f"{ACHIEVEMENTS}/first", 400),
    "history-bad-status": Case(
        "getCustomerAchievementHistory", f"{ACHIEVEMENTS}/1?progressStatus=not_started", 400
    ),
    "history-bad-date": Case(
        "getCustomerAchievementHistory", f"{ACHIEVEMENTS}/1?startDate=yesterday", 400
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
async def test_every_answer_fits_the_spec(raw: Raw, talon_fake: FakeTalon, case: Case) -> None:
    seed(talon_fake)
    reply = await raw("GET", case.path)
    assert reply.status == case.status, reply.body
    assert answer_problems(case.operation, reply.status, reply.body) == []
    anonymous = await raw("GET", case.path, auth=False)
    assert anonymous.status == 401
    assert answer_problems(case.operation, anonymous.status, anonymous.body) == []


# -- campaigns ---------------------------------------------------------------------------


async def listed(raw: Raw, query: str = "") -> list[int]:
    reply = await raw("GET", f"{CAMPAIGNS}{query}")
    assert reply.status == 200, reply.body
    return [campaign["id"] for campaign in reply.json["data"]]


async def test_enabled_campaigns_are_listed_with_their_rules(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    seed(talon_fake)
    spring, always = (await raw("GET", f"{CAMPAIGNS}?campaignIds=1,2")).json["data"]
    assert spring == {
        "applicationId": 1,
        "id": 1,
        "name": "Spring",
        "description": "",
        "startTime": talon_fake.campaigns[1]["startTime"],
        "endTime": talon_fake.campaigns[1]["endTime"],
        "state": "enabled",
        "tags": ["season"],
        "features": ["coupons", "referrals", "loyalty", "achievements"],
        "rules": [{"title": "Ten off"}],
    }
    assert (always["name"], always["rules"]) == ("Always", [])
    assert await listed(raw) == [1, 2, 3, 5]  # 4 is disabled
    assert await listed(raw, "?campaignIds=4") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"?startAfter={at(days(-70))}", [1, 3, 5]),  # 2 has no start
        (f"?startAfter={at(days(-30))}", [1, 3]),  # on or after
        (f"?startBefore={at(days(0))}", [1, 2, 5]),
        (f"?endAfter={at(days(0))}", [1, 2, 3]),  # 2 never ends
        (f"?endBefore={at(days(31))}", [1, 5]),
        (f"?endBefore={at(days(29))}", [5]),
        (f"?startBefore={at(days(0))}&endAfter={at(days(0))}", [1, 2]),
        (f"?campaignIds=5,3&endBefore={at(days(0))}", [5]),
        ("?startAfter=2100-01-01", []),
    ],
    ids=[  # not the queries: they hold the time of collection, which differs between workers
        "startAfter -70d",
        "startAfter -30d",
        "startBefore now",
        "endAfter now",
        "endBefore +31d",
        "endBefore +29d",
        "startBefore and endAfter now",
        "campaignIds and endBefore now",
        "startAfter 2100",
    ],
)
async def test_campaign_date_filters(
    raw: Raw, talon_fake: FakeTalon, query: str, expected: list[int]
) -> None:
    seed(talon_fake)
    assert await listed(raw, query) == expected


async def test_campaign_pages(raw: Raw, talon_fake: FakeTalon) -> None:
    for _ in range(5):
        talon_fake.add_campaign()
    pages = [((await raw("GET", f"{CAMPAIGNS}?pageSize=2&skip={skip}")).json) for skip in (0, 2, 4)]
    assert [([c["id"] for c in page["data"]], page["hasMore"]) for page in pages] == [
        ([1, 2], True),
        ([3, 4], True),
        ([5], False),
    ]
    assert len(await listed(raw)) == 5  # the default page holds 50


async def test_only_running_campaigns_evaluate_their_rules(talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    for campaign_id in (2, 3, 4, 5):
        talon_fake.add_rule(percent_off_cart(campaign_id), campaign_id=campaign_id)
    request = IntegrationRequest(
        customer_session=NewCustomerSessionV2(cart_items=[CartItem(sku="A", quantity=1, price=100)])
    )
    async with talon_fake.client(strict_responses=True) as talon:
        state = await talon.sessions.update_v2("s-1", request)
        assert [effect.campaign_id for effect in state.effects] == [1, 2]
        later = await talon.sessions.update_v2("s-2", request, dry=True, now=days(350))
        assert [effect.campaign_id for effect in later.effects] == [2, 3]


async def test_campaigns_through_the_client(talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    for n in range(6, 13):
        talon_fake.add_campaign(n, tags=[f"t{n}"], attributes={"n": n})
    async with talon_fake.client(strict_responses=True) as talon:
        everything = [c.id async for c in talon.campaigns.iter_all(page_size=3)]
        assert everything == [1, 2, 3, 5, *range(6, 13)]
        started = [
            c.name
            async for c in talon.campaigns.iter_all(
                page_size=1, start_before=NOW, campaign_ids=[1, 2, 3, 5]
            )
        ]
        assert started == ["Spring", "Always", "Over"]
        page = await talon.campaigns.get_all(page_size=2, skip=8, end_after=NOW)
        assert page.has_more is False
        assert [(c.id, c.tags, c.attributes) for c in page.data] == [
            (11, ["t11"], {"n": 11}),
            (12, ["t12"], {"n": 12}),
        ]
        (spring,) = (await talon.campaigns.get_all(campaign_ids=[1])).data
        assert (spring.start_time, spring.end_time) == (days(-30), days(30))
        assert [rule.title for rule in spring.rules] == ["Ten off"]


def test_add_campaign_checks_what_it_is_given() -> None:
    fake = FakeTalon()
    with pytest.raises(ValueError, match="state must be one of"):
        fake.add_campaign(state="running")
    with pytest.raises(ValueError, match="unknown feature 'cashback'"):
        fake.add_campaign(features=["coupons", "cashback"])
    with pytest.raises(ValueError, match="at most 50 tags"):
        fake.add_campaign(tags=[""])
    campaign = fake.add_campaign(7, start_time=days(1))
    assert (campaign["id"], campaign["frontendState"]) == (7, "scheduled")
    fake.add_rule(percent_off_cart(5), campaign_id=7)
    replaced = fake.add_campaign(7, name="Seven", end_time=days(-1))
    assert (replaced["name"], replaced["frontendState"], len(fake._rules)) == (
        "Seven",
        "expired",
        1,
    )
    assert fake.add_campaign()["id"] == 8


# -- achievements --------------------------------------------------------------------------


async def entries(raw: Raw, query: str = "", profile: str = "alice") -> list[Any]:
    reply = await raw("GET", f"/v1/customer_profiles/{profile}/achievements{query}")
    assert reply.status == 200, reply.body
    return [
        (entry["id"], entry["status"], entry["currentProgress"]["status"])
        for entry in reply.json["data"]
    ]


async def test_achievements_and_progress_of_a_customer(raw: Raw, talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    talon_fake.add_profile("bob")
    assert await entries(raw) == [(1, "active", "inprogress"), (2, "active", "completed")]
    assert await entries(raw, profile="bob") == [
        (1, "active", "not_started"),
        (2, "active", "not_started"),
    ]
    assert await entries(raw, "?achievementStatus=scheduled") == [(3, "scheduled", "not_started")]
    assert await entries(raw, "?achievementStatus=active,scheduled&campaignIds=2") == [
        (2, "active", "completed"),
        (3, "scheduled", "not_started"),
    ]
    assert await entries(raw, "?achievementIds=1,3") == [(1, "active", "inprogress")]
    assert await entries(raw, "?currentProgressStatus=completed,not_started") == [
        (2, "active", "completed")
    ]
    reply = await raw("GET", f"{ACHIEVEMENTS}?pageSize=1&skip=1")
    assert reply.json["totalResultSize"] == 2
    (entry,) = reply.json["data"]
    assert {k: entry[k] for k in ("name", "title", "target", "period", "campaignId")} == {
        "name": "BigSpender",
        "title": "BigSpender",
        "target": 500,
        "period": "30D",
        "campaignId": 2,
    }
    progress = entry["currentProgress"]
    assert (progress["progress"], progress["status"]) == (600, "completed")
    assert progress["completionDate"] >= progress["startDate"]
    assert progress["endDate"] > progress["startDate"]


async def test_periods_expire_and_recur(raw: Raw, talon_fake: FakeTalon) -> None:
    once = talon_fake.add_achievement("Once", 5, period="1D")["id"]
    again = talon_fake.add_achievement("Again", 5, period="1D", recurrence_policy="on_expiration")
    repeat = talon_fake.add_achievement("Repeat", 2, recurrence_policy="on_completion")["id"]
    for achievement_id in (once, again["id"]):
        talon_fake.add_achievement_progress("carol", achievement_id, 2, at=days(-3))
        talon_fake.add_achievement_progress("carol", achievement_id, 1, at=days(-2.5))
    with pytest.raises(ValueError, match="cannot progress in achievement 1"):
        talon_fake.add_achievement_progress("carol", once, 1)
    talon_fake.add_achievement_progress("carol", again["id"], 1)
    for _ in range(3):
        talon_fake.add_achievement_progress("carol", repeat, 2)
    talon_fake.add_achievement_progress("carol", repeat, 1)

    async def history(achievement_id: int, query: str = "") -> list[tuple[str, float]]:
        reply = await raw(
            "GET", f"/v1/customer_profiles/carol/achievements/{achievement_id}{query}"
        )
        assert reply.status == 200, reply.body
        assert reply.json["totalResultSize"] == len(reply.json["data"]) or "pageSize" in query
        return [(record["status"], record["progress"]) for record in reply.json["data"]]

    assert await history(once) == [("expired", 3)]
    assert await history(again["id"]) == [("inprogress", 1), ("expired", 3)]
    assert await history(repeat) == [
        ("inprogress", 1),
        ("completed", 2),
        ("completed", 2),
        ("completed", 2),
    ]
    assert await history(repeat, "?progressStatus=inprogress") == [("inprogress", 1)]
    assert await history(again["id"], f"?endDate={at(days(-1))}") == [("expired", 3)]
    assert await history(again["id"], f"?startDate={at(days(-1))}") == [("inprogress", 1)]
    assert await history(repeat, "?pageSize=2&skip=1") == [("completed", 2), ("completed", 2)]
    (expired,) = talon_fake.achievement_progress["carol"][once]
    assert (expired["startDate"], expired["endDate"]) == (stamp(days(-3)), stamp(days(-2)))
    # The inventory shows the latest record of each, with the achievement's settings.
    reply = await raw("GET", "/v1/customer_profiles/carol/inventory?achievements=true")
    assert answer_problems("getCustomerInventory", 200, reply.body) == []
    assert [
        (
            held["achievementId"],
            held["status"],
            held["progress"],
            held["achievementRecurrencePolicy"],
        )
        for held in reply.json["achievements"]
    ] == [
        (once, "expired", 3, "no_recurrence"),
        (again["id"], "inprogress", 1, "on_expiration"),
        (repeat, "inprogress", 1, "on_completion"),
    ]


async def test_fixed_schedules_and_end_dates(raw: Raw, talon_fake: FakeTalon) -> None:
    weekly = talon_fake.add_achievement(
        "Weekly", 3, period="1W", activation_policy="fixed_schedule", fixed_start_date=days(-10)
    )
    ended = talon_fake.add_achievement("Ended", 3, end_date=days(-1))
    ending = talon_fake.add_achievement("Ending", 3, end_date=days(2))
    record = talon_fake.add_achievement_progress("dave", weekly["id"], 1)
    # The week now falls in began 3 days ago (the schedule started 10 days ago).
    assert (record["startDate"], record["endDate"]) == (stamp(days(-3)), stamp(days(4)))
    with pytest.raises(ValueError, match="not active"):
        talon_fake.add_achievement_progress("dave", ended["id"], 1)
    assert (
        talon_fake.add_achievement_progress("dave", ending["id"], 1)["endDate"][:16]
        == (at(days(2))[:16])
    )
    assert [entry[0] for entry in await entries(raw, profile="dave")] == [1, 3]


BAD_ACHIEVEMENTS: list[tuple[str, dict[str, Any], str]] = [
    ("1st", {}, "name must be a letter"),
    ("A", {}, "name must be a letter"),
    ("Good", {"recurrence_policy": "daily"}, "recurrence_policy must be one of"),
    ("Good", {"activation_policy": "manual"}, "activation_policy must be one of"),
    ("Good", {"activation_policy": "fixed_schedule"}, "fixed_start_date goes with"),
    ("Good", {"fixed_start_date": NOW}, "fixed_start_date goes with"),
    ("Good", {"period": "1 week"}, "period must be a positive number"),
    ("Good", {"period": "0D"}, "period must be a positive number"),
]


@pytest.mark.parametrize(("name", "options", "problem"), BAD_ACHIEVEMENTS)
def test_add_achievement_refuses_what_the_api_would(
    name: str, options: dict[str, Any], problem: str
) -> None:
    fake = FakeTalon()
    with pytest.raises(ValueError, match=problem):
        fake.add_achievement(name, 1, **options)
    assert fake.achievements == {}


def test_achievements_make_their_campaign_and_take_positive_progress() -> None:
    fake = FakeTalon()
    with pytest.raises(ValueError, match="no achievement 5"):
        fake.add_achievement_progress("alice", 5, 1)
    fake.add_achievement("Good", 1, achievement_id=5, campaign_id=9)
    assert 9 in fake.campaigns and "achievements" in fake.campaigns[9]["features"]
    with pytest.raises(ValueError, match="progress must be positive"):
        fake.add_achievement_progress("alice", 5, 0)


async def test_rules_make_progress_when_sessions_close(talon_fake: FakeTalon) -> None:
    orders = talon_fake.add_achievement("ThreeOrders", 3, allow_rollback_after_completion=True)
    talon_fake.add_rule(achievement_progress(orders["id"]), campaign_id=orders["campaignId"])
    talon_fake.add_achievement_progress("erin", orders["id"], 1)

    def session(state: str) -> IntegrationRequest:
        return IntegrationRequest(
            customer_session=NewCustomerSessionV2(profile_id="erin", state=state)
        )

    async with talon_fake.client(strict_responses=True) as talon:
        opened = await talon.sessions.update_v2("o-1", session("open"))
        closed = await talon.sessions.update_v2("o-1", session("closed"))
        second = await talon.sessions.update_v2("o-2", session("closed"))
        (record,) = (await talon.achievements.get_history("erin", orders["id"])).data
        assert (record.status, record.progress) == ("completed", 3)
        cancelled = await talon.sessions.update_v2("o-2", session("cancelled"))
        (record,) = (await talon.achievements.get_history("erin", orders["id"])).data
        assert (record.status, record.progress, record.completion_date) == ("inprogress", 2, None)
        inventory = await talon.profiles.get_inventory("erin", achievements=True)
    props = [state.effects[0].props for state in (opened, closed, second)]
    assert all(isinstance(p, IncreaseAchievementProgressEffectProps) for p in props)
    assert [(p.value, p.is_just_completed) for p in props] == [  # type: ignore[union-attr]
        (2, False),
        (2, False),  # the open session's progress never counted
        (3, True),
    ]
    (rollback,) = cancelled.effects
    assert isinstance(rollback.props, RollbackIncreasedAchievementProgressEffectProps)
    assert (rollback.props.decrease_progress_by, rollback.props.current_progress) == (1, 2)
    (held,) = inventory.achievements or []
    assert (held.achievement_id, held.name, held.progress, held.target) == (
        orders["id"],
        "ThreeOrders",
        2,
        3,
    )


async def test_a_completed_achievement_is_kept_unless_rollback_is_allowed(
    talon_fake: FakeTalon,
) -> None:
    done = talon_fake.add_achievement("Once", 1)
    talon_fake.add_rule(achievement_progress(done["id"], 2))
    request = IntegrationRequest(
        customer_session=NewCustomerSessionV2(profile_id="finn", state="closed")
    )
    async with talon_fake.client(strict_responses=True) as talon:
        await talon.sessions.update_v2("f-1", request)
        again = await talon.sessions.update_v2("f-2", request)
        assert again.effects == []  # done for good: the rule has nothing to add
        await talon.sessions.update_v2(
            "f-1",
            IntegrationRequest(customer_session=NewCustomerSessionV2(state="cancelled")),
        )
        (record,) = (await talon.achievements.get_history("finn", done["id"])).data
    assert (record.status, record.progress) == ("completed", 2)


async def test_achievements_through_the_client(talon_fake: FakeTalon) -> None:
    seed(talon_fake)
    for n in range(4, 9):
        talon_fake.add_achievement(f"Step{n}", n, campaign_id=5 if n % 2 else 2)
        talon_fake.add_achievement_progress("alice", n, n - 3)
    for _ in range(2):
        talon_fake.add_achievement_progress("alice", 1, 3)
    async with talon_fake.client(strict_responses=True) as talon:
        ids = [e.id async for e in talon.achievements.iter_for_customer("alice", page_size=2)]
        assert ids == [1, 2, 4, 5, 6, 7, 8]
        page = await talon.achievements.get_for_customer(
            "alice", campaign_ids=[2], current_progress_status=["inprogress"], page_size=1
        )
        assert page.total_result_size == 3 and [e.name for e in page.data] == ["Step4"]
        first = page.data[0]
        assert first.current_progress is not None and first.current_progress.progress == 1
        scheduled = await talon.achievements.get_for_customer(
            "alice", achievement_status=["scheduled"]
        )
        assert [(e.name, e.status, e.activation_policy) for e in scheduled.data] == [
            ("Weekly", "scheduled", "fixed_schedule")
        ]
        records = [r async for r in talon.achievements.iter_history("alice", 1, page_size=1)]
        assert [(r.status, r.progress) for r in records] == [("completed", 10)]
        done = await talon.achievements.get_history(
            "alice", 2, progress_status=["completed"], start_date=days(-1), end_date=days(1)
        )
        assert [r.progress for r in done.data] == [600]
        with pytest.raises(NotFoundError):
            await talon.achievements.get_history("alice", 99)
        with pytest.raises(NotFoundError):
            await talon.achievements.get_for_customer("nobody")
        with pytest.raises(BadRequestError):
            await talon.achievements.get_for_customer("alice", achievement_status=["ended"])
        await talon.customer_data.delete("alice")
    assert "alice" not in talon_fake.achievement_progress


def test_campaigns_and_achievements_seed() -> None:
    fake = FakeTalon()
    fake.seed(
        {
            "campaigns": [
                {"id": 3, "name": "Summer", "startTime": "2030-06-01T00:00:00Z", "tags": ["s"]}
            ],
            "rules": [{"rule": "achievement_progress", "achievementId": 1, "campaignId": 3}],
            "achievements": [
                {"id": 1, "name": "Hat", "target": 3, "campaignId": 3, "progress": {"gil": 2}},
                {"name": "Trick", "target": 1, "period": "1Y", "recurrencePolicy": "on_expiration"},
            ],
        }
    )
    assert (fake.campaigns[3]["name"], fake.campaigns[3]["frontendState"]) == (
        "Summer",
        "scheduled",
    )
    assert fake.achievements[2]["campaignId"] == 4 and fake.achievements[2]["period"] == "1Y"
    assert [r["progress"] for r in fake.achievement_progress["gil"][1]] == [2]
    assert "gil" in fake.profiles


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"campaigns": [{"id": 1, "state": "on"}]}, "campaigns[0].state must be one of"),
        ({"achievements": [{"name": "A1"}]}, "achievements[0].target is required"),
        (
            {"achievements": [{"name": "A1", "target": 1, "progress": {"gil": "2"}}]},
            "achievements[0].progress.gil must be a number",
        ),
        ({"rules": [{"rule": "achievement_progress"}]}, "rules[0].achievementId is required"),
    ],
)
def test_bad_seeds_say_where(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SeedError) as error:
        FakeTalon().seed(data)
    assert str(error.value).startswith(message)
