"""Achievement models against the examples of the customer achievement endpoints."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from talon_async import TalonDecodeError, from_json, to_json
from talon_async.models import (
    AchievementProgress,
    GetCustomerAchievementHistory200Response,
    GetCustomerAchievements200Response,
    TimePoint,
)

from ..wire import assert_every_member_known

PLUS_7 = timezone(timedelta(hours=7))


def progress_json(moments: dict[str, str]) -> dict[str, Any]:
    return {"status": "completed", "progress": 10, **moments}


def entry_json(moments: dict[str, str], progress: dict[str, str]) -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2020-06-10T09:05:27.993483+00:00",
        "name": "Order50Discount",
        "title": "50% off on 50th purchase.",
        "description": "50% off for every 50th purchase in a year.",
        "target": 50,
        "period": "1Y",
        "periodEndOverride": {
            "month": 11,
            "dayOfMonth": 23,
            "hour": 23,
            "minute": 59,
            "second": 59,
        },
        "recurrencePolicy": "no_recurrence",
        "activationPolicy": "fixed_schedule",
        "allowRollbackAfterCompletion": False,
        "campaignId": 1,
        "status": "active",
        "currentProgress": progress_json(progress),
        **moments,
    }


# The spec gives these timestamps as examples of date-time fields; they are Go's layout
# string ("Z07:00" is where Go puts the offset), not RFC 3339 timestamps, so they
# contradict the schema and a strict decode refuses them.
SPEC_ENTRY_MOMENTS = {
    "fixedStartDate": "2024-01-15T15:04:05Z07:00",
    "endDate": "2024-02-15T15:04:05Z07:00",
}
SPEC_PROGRESS_MOMENTS = {
    "startDate": "2024-01-01T15:04:05Z07:00",
    "completionDate": "2024-01-15T15:04:05Z07:00",
    "endDate": "2024-02-01T15:04:05Z07:00",
}
# The same moments written as the schema says.
ENTRY_MOMENTS = {
    "fixedStartDate": "2024-01-15T15:04:05+07:00",
    "endDate": "2024-02-15T15:04:05+07:00",
}
PROGRESS_MOMENTS = {
    "startDate": "2024-01-01T15:04:05+07:00",
    "completionDate": "2024-01-15T15:04:05+07:00",
    "endDate": "2024-02-01T15:04:05+07:00",
}


def test_customer_achievements_page() -> None:
    data = {"totalResultSize": 1, "data": [entry_json(ENTRY_MOMENTS, PROGRESS_MOMENTS)]}
    page = from_json(GetCustomerAchievements200Response, data, strict=True)
    assert_every_member_known(page)
    (entry,) = page.data
    assert entry.period_end_override == TimePoint(
        month=11, day_of_month=23, hour=23, minute=59, second=59
    )
    assert entry.fixed_start_date == datetime(2024, 1, 15, 15, 4, 5, tzinfo=PLUS_7)
    assert entry.current_progress == AchievementProgress(
        status="completed",
        progress=10.0,
        start_date=datetime(2024, 1, 1, 15, 4, 5, tzinfo=PLUS_7),
        completion_date=datetime(2024, 1, 15, 15, 4, 5, tzinfo=PLUS_7),
        end_date=datetime(2024, 2, 1, 15, 4, 5, tzinfo=PLUS_7),
    )
    assert json.loads(to_json(page)) == data


def test_achievement_entry_with_only_the_required_members() -> None:
    data = {
        "id": 7,
        "created": "2024-01-01T00:00:00+00:00",
        "name": "FirstOrder",
        "title": "First order",
        "description": "Place a first order.",
        "target": 1,
    }
    page = from_json(
        GetCustomerAchievements200Response, {"totalResultSize": 1, "data": [data]}, strict=True
    )
    assert page.data[0].current_progress is None
    assert json.loads(to_json(page.data[0])) == data


def test_achievement_history_page() -> None:
    data = {
        "totalResultSize": 2,
        "data": [progress_json(PROGRESS_MOMENTS), {"status": "inprogress", "progress": 2.5}],
    }
    page = from_json(GetCustomerAchievementHistory200Response, data, strict=True)
    assert_every_member_known(page)
    assert [p.status for p in page.data] == ["completed", "inprogress"]
    assert json.loads(to_json(page)) == data


@pytest.mark.parametrize("field", list(SPEC_PROGRESS_MOMENTS))
def test_the_specs_progress_timestamps_contradict_its_schema(field: str) -> None:
    data = {"totalResultSize": 1, "data": [progress_json({field: SPEC_PROGRESS_MOMENTS[field]})]}
    with pytest.raises(TalonDecodeError, match="expected an RFC 3339 timestamp"):
        from_json(GetCustomerAchievementHistory200Response, data, strict=True)


@pytest.mark.parametrize("field", list(SPEC_ENTRY_MOMENTS))
def test_the_specs_achievement_timestamps_contradict_its_schema(field: str) -> None:
    entry = entry_json({field: SPEC_ENTRY_MOMENTS[field]}, PROGRESS_MOMENTS)
    with pytest.raises(TalonDecodeError, match="expected an RFC 3339 timestamp"):
        from_json(
            GetCustomerAchievements200Response, {"totalResultSize": 1, "data": [entry]}, strict=True
        )
