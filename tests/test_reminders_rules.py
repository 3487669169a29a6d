"""shared/core/reminders.py: which day, 9:00 local, daylight saving, midnight, Twilio's window, the words."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.core.reminders import Kind, add_months, plan, schedulable, utc_iso, zone

NEW_YORK = ZoneInfo("America/New_York")


def at(*args: int, tz: ZoneInfo = NEW_YORK) -> datetime:
    return datetime(*args, tzinfo=tz)


@pytest.mark.parametrize("activity, days, due", [
    ("makeup", None, date(2026, 6, 11)), ("foundation", "0", date(2026, 6, 11)),   # 1 day
    ("retinol", None, date(2026, 6, 15)), ("retinol", "2", date(2026, 6, 13)),     # upper end: 5 days
    ("glycolic acid", "1", date(2026, 6, 14)), ("next session", None, date(2026, 7, 10)),
])
def test_the_first_day_the_wait_is_over_at_nine(content, activity, days, due):
    outcome = plan(content, activity, int(days) if days else None, at(2026, 6, 10, 20, 0))
    assert outcome.kind is Kind.DUE and outcome.plan.at == at(due.year, due.month, due.day, 9, 0)
    assert outcome.plan.at.tzinfo is NEW_YORK


def test_words_name_the_clinic_the_activity_and_the_day(content):
    outcome = plan(content, "retinoids", None, at(2026, 11, 25, 18, 0))
    assert outcome.speech == "Okay. I'll remind you about retinol on Monday morning, November 30."
    assert outcome.plan.text.startswith(content.clinic_name) and "retinol" in outcome.plan.text and "3 to 5 days" in outcome.plan.text


@pytest.mark.parametrize("said, kind", [(None, Kind.ASK), ("exercise", Kind.NO_WAIT), ("sunscreen", Kind.NO_WAIT),
                                        ("stretch mark cream", Kind.NO_WAIT)])
def test_nothing_is_planned_without_a_wait_from_the_article(content, said, kind):
    outcome = plan(content, said, None, at(2026, 6, 10, 12, 0))
    assert outcome.kind is kind and outcome.plan is None


def test_a_wait_already_over(content):
    assert plan(content, "retinol", 5, at(2026, 6, 10, 12, 0)).kind is Kind.PASSED
    assert plan(content, "retinol", 5, at(2026, 6, 10, 8, 0)).kind is Kind.DUE  # 9:00 today is still ahead


def test_daylight_saving_changes_move_utc_not_nine_local(content):
    spring = plan(content, "makeup", None, at(2026, 3, 7, 15, 0)).plan.at      # clocks go forward on 8 March
    assert utc_iso(spring) == "2026-03-08T13:00:00Z"
    autumn = plan(content, "retinol", None, at(2026, 10, 30, 15, 0)).plan.at   # and back on 1 November
    assert utc_iso(autumn) == "2026-11-04T14:00:00Z"
    assert utc_iso(plan(content, "makeup", None, at(2026, 10, 30, 15, 0)).plan.at) == "2026-10-31T13:00:00Z"


def test_either_side_of_midnight(content):
    before = plan(content, "makeup", None, at(2026, 6, 10, 23, 59)).plan.at
    after = plan(content, "makeup", None, at(2026, 6, 11, 0, 1)).plan.at
    assert (before.date(), after.date()) == (date(2026, 6, 11), date(2026, 6, 12))


def test_twilio_window_15_minutes_to_35_days():
    now = at(2026, 6, 10, 8, 0)
    assert not schedulable(now + timedelta(minutes=14), now)
    assert schedulable(now + timedelta(minutes=15), now) and schedulable(now + timedelta(days=35), now)
    assert not schedulable(now + timedelta(days=35, minutes=1), now)


def test_months_end_on_the_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_an_unknown_zone_falls_back():
    assert zone("Mars/Olympus_Mons", "America/New_York") == NEW_YORK
    assert zone(None, "Nowhere/Else").key == "UTC"
