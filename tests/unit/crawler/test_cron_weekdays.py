"""Cron expressions mean what crontab means: weekday 0 (and 7) is Sunday, 1-5 is Monday to
Friday (APScheduler 3 alone numbers from Monday = 0, which shifted every weekday by one)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.schedule import cron_trigger

EASTERN = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 12, 7, 3, 0, tzinfo=EASTERN)


def _fire_days(expression: str) -> list[str]:
    trigger = cron_trigger(expression, "America/New_York")
    days, moment = [], MONDAY
    for _ in range(7):
        fired = trigger.get_next_fire_time(None, moment)
        assert fired is not None
        days.append(fired.strftime("%a"))
        moment = fired.replace(hour=23, minute=59) + timedelta(minutes=1)
    return days


@pytest.mark.parametrize(
    ("expression", "days"),
    [
        ("* 6-21 * * 1-5", ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon", "Tue"]),
        ("0 7 * * 0", ["Sun"] * 7),
        ("0 7 * * 7", ["Sun"] * 7),
        ("0 7 * * mon-fri", ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon", "Tue"]),
        ("0 7 * * 0,6", ["Sat", "Sun", "Sat", "Sun", "Sat", "Sun", "Sat"]),
        ("0 7 * * 1-5/2", ["Mon", "Wed", "Fri", "Mon", "Wed", "Fri", "Mon"]),
        ("0 7 * * */3", ["Wed", "Sat", "Sun", "Wed", "Sat", "Sun", "Wed"]),
        ("30 1,6,12 * * *", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
    ],
)
def test_weekdays_are_crontab_weekdays(expression: str, days: list[str]) -> None:
    assert _fire_days(expression) == days


def test_the_default_feed_poll_starts_on_monday_morning() -> None:
    fired = cron_trigger("* 6-21 * * 1-5", "America/New_York").get_next_fire_time(None, MONDAY)
    assert fired == datetime(2026, 12, 7, 6, 0, tzinfo=EASTERN)


@pytest.mark.parametrize("expression", ["* * * *", "61 * * * *", "* * * * 8", "* * * * funday"])
def test_bad_expressions_are_value_errors(expression: str) -> None:
    with pytest.raises(ValueError):
        cron_trigger(expression, "America/New_York")
