"""Clocks for tests: a local time in Asia/Shanghai for time-machine, and a monotonic clock
that the reminder throttle sleeps on without waiting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(clock: time_machine.Traveller, day: dt.date, hour: int, minute: int = 0) -> None:
    """Move the clock to a local time in Asia/Shanghai."""
    clock.move_to(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI))


class FakeTime:
    """A monotonic clock the throttle sleeps on without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
