"""Quiet hours across midnight (the default) and within one day (a lunch break)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from storage.reminders import Policy

TZ = ZoneInfo("Asia/Shanghai")


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, 2, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


@pytest.mark.parametrize(("hour", "minute", "quiet", "sent_at"), [
    (20, 59, False, (2, 20, 59)), (21, 0, True, (3, 7, 30)), (23, 30, True, (3, 7, 30)),
    (3, 0, True, (2, 7, 30)), (7, 30, False, (2, 7, 30)), (12, 0, False, (2, 12, 0)),
])
def test_quiet_hours_across_midnight(hour: int, minute: int, quiet: bool,
                                     sent_at: tuple[int, int, int]) -> None:
    policy = Policy(tz=TZ, quiet_start=dt.time(21, 0), quiet_end=dt.time(7, 30))
    assert policy.quiet(_at(hour, minute)) is quiet
    day, h, m = sent_at
    assert policy.out_of_quiet(_at(hour, minute)) == \
        dt.datetime(2026, 12, day, h, m, tzinfo=TZ).astimezone(dt.UTC)


@pytest.mark.parametrize(("hour", "quiet", "sent_hour"), [
    (11, False, 11), (12, True, 14), (13, True, 14), (14, False, 14), (22, False, 22),
    (3, False, 3),
])
def test_quiet_hours_within_one_day(hour: int, quiet: bool, sent_hour: int) -> None:
    policy = Policy(tz=TZ, quiet_start=dt.time(12, 0), quiet_end=dt.time(14, 0))
    assert policy.quiet(_at(hour)) is quiet
    assert policy.out_of_quiet(_at(hour)) == _at(sent_hour)
