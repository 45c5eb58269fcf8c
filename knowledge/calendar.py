"""The programme calendar: when each deadline or recurring duty falls due, interpreted in
Asia/Shanghai calendar days. Rules are data (a document's `schedule`, or an office's own
deadline); this module turns them into dated occurrences, each with a period key
(2027-03, 2027-Q1, 2027-H1, 2027) that says which occurrence a 已完成 belongs to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.dates import month_end, parse_date
from knowledge.schema import Schedule
from knowledge.text import numeral_value

Recurrence = Literal["once", "yearly", "half_yearly", "quarterly", "monthly"]
Level = Literal["city", "county", "town"]
# 每季度 / 每半年 without a day in the text: by default the last day of the period's last
# month (the duty is done "within the quarter"); an office can set its own month and day.
DEFAULT_IN_PERIOD_MONTH = {"quarterly": 3, "half_yearly": 6}


class Rule(BaseModel):
    """When a duty falls due. `month_in_period` counts from the period's first month
    (1-3 for quarters, 1-6 for half-years); `day` None with end_of_month means 月底."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recurrence: Recurrence
    date: dt.date | None = None  # once
    month: int | None = Field(default=None, ge=1, le=12)  # yearly
    month_in_period: int | None = Field(default=None, ge=1, le=6)  # quarterly, half-yearly
    day: int | None = Field(default=None, ge=1, le=31)
    end_of_month: bool = False
    yearly_duty: bool = False  # a once-date the document means to repeat every year

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.recurrence == "once" and self.date is None:
            raise ValueError("a one-off deadline needs a date")
        if self.recurrence == "yearly" and self.month is None:
            raise ValueError("a yearly deadline needs a month")
        if self.recurrence == "quarterly" and (self.month_in_period or 1) > 3:
            raise ValueError("a quarter has three months")
        return self

    @classmethod
    def from_schedule(cls, s: Schedule) -> Rule:
        """A document's schedule as a rule (the defaults fill what the text leaves open)."""
        return cls(recurrence=s.recurrence, date=s.date, month=s.month, day=s.day,
                   end_of_month=s.end_of_month or (s.day is None and s.recurrence != "once"),
                   month_in_period=s.month_in_period, yearly_duty=s.yearly_duty)


@dataclass(frozen=True)
class Occurrence:
    """One due date of a rule and the period it closes."""

    due: dt.date
    period: str


def _day_in(year: int, month: int, rule: Rule) -> dt.date:
    last = month_end(year, month)
    if rule.end_of_month or rule.day is None:
        return last
    return last.replace(day=min(rule.day, last.day))  # 31日 in a 30-day month: its last day


def historical(rule: Rule, today: dt.date) -> bool:
    """A one-off date already past (from an earlier year's document): shown, never reminded."""
    return rule.recurrence == "once" and not rule.yearly_duty and rule.date is not None \
        and rule.date < today


def _periods(rule: Rule, year: int) -> Iterator[Occurrence]:
    if rule.recurrence == "once":
        assert rule.date is not None
        if rule.yearly_duty:
            yield Occurrence(_safe_date(year, rule.date.month, rule.date.day), str(year))
        elif rule.date.year == year:
            yield Occurrence(rule.date, rule.date.isoformat())
    elif rule.recurrence == "yearly":
        assert rule.month is not None
        yield Occurrence(_day_in(year, rule.month, rule), str(year))
    elif rule.recurrence == "monthly":
        for month in range(1, 13):
            yield Occurrence(_day_in(year, month, rule), f"{year}-{month:02d}")
    else:
        size = 3 if rule.recurrence == "quarterly" else 6
        offset = rule.month_in_period or DEFAULT_IN_PERIOD_MONTH[rule.recurrence]
        for n, first in enumerate(range(1, 13, size), 1):
            label = f"{year}-Q{n}" if size == 3 else f"{year}-H{n}"
            yield Occurrence(_day_in(year, first + offset - 1, rule), label)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, month_end(year, month).day))


def occurrences(rule: Rule, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every due date of the rule from `start` to `end` inclusive."""
    found = [o for year in range(start.year, end.year + 1) for o in _periods(rule, year)]
    return [o for o in found if start <= o.due <= end]


def current(rule: Rule, today: dt.date) -> Occurrence | None:
    """The occurrence this period is working towards: the next due date from today (or
    today's), within 13 months; None for a past one-off."""
    upcoming = occurrences(rule, today, today + dt.timedelta(days=400))
    return upcoming[0] if upcoming else None


def describe(rule: Rule) -> str:
    """A rule in Chinese: 每月28日前, 每季度末, 2027年3月20日前, 每年12月底前."""
    day = "底" if rule.end_of_month or rule.day is None else f"{rule.day}日"
    if rule.recurrence == "once":
        assert rule.date is not None
        prefix = "每年" if rule.yearly_duty else f"{rule.date.year}年"
        return f"{prefix}{rule.date.month}月{rule.date.day}日前"
    if rule.recurrence == "yearly":
        return f"每年{rule.month}月{day}前"
    if rule.recurrence == "monthly":
        return f"每月{day}前"
    size = "季度" if rule.recurrence == "quarterly" else "半年"
    offset = rule.month_in_period or DEFAULT_IN_PERIOD_MONTH[rule.recurrence]
    last = offset == DEFAULT_IN_PERIOD_MONTH[rule.recurrence]
    if last and (rule.end_of_month or rule.day is None):
        return f"每{size}末"
    return f"每{size}第{offset}个月{day}前"


_N = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_DAY = re.compile(rf"^{_N}[日号]?$")
_DAY_OR_END = r"(\d{1,2}|[一二三四五六七八九十]{1,3}|底)"
_IN_PERIOD = re.compile(rf"^第?(\d|[一二三四五六])个?月{_DAY_OR_END}[日号]?$")
_MONTH_DAY = re.compile(rf"^{_N}月{_DAY_OR_END}[日号]?$")
PERIOD_END = ("月底", "月末", "季末", "季度末", "半年末", "期末", "底")


def _n(text: str) -> int | None:
    value = numeral_value(text)
    return int(value) if value is not None and value.is_integer() else None


def rule_from_text(recurrence: Recurrence, text: str, today: dt.date) -> Rule | None:
    """An office's typed 'when' for a rule kind: 28 / 月底 (monthly), 季末 / 第2个月15日
    (quarterly, half-yearly), 12月31日 / 3月底 (yearly), a date (once). None: unreadable."""
    t = re.sub(r"\s+", "", text).removesuffix("前").removesuffix("之前")
    try:
        if recurrence == "once":
            reading = parse_date(t, today)
            return Rule(recurrence="once", date=reading.date) if reading.problem is None \
                else None
        if recurrence == "monthly":
            if t in PERIOD_END:
                return Rule(recurrence="monthly", end_of_month=True)
            m = _DAY.match(t)
            return Rule(recurrence="monthly", day=_n(m[1])) if m else None
        if recurrence in ("quarterly", "half_yearly"):
            if t in PERIOD_END:
                return Rule(recurrence=recurrence)
            m = _IN_PERIOD.match(t)
            if not m:
                return None
            end = m[2] == "底"
            return Rule(recurrence=recurrence, month_in_period=_n(m[1]),
                        day=None if end else _n(m[2]), end_of_month=end)
        m = _MONTH_DAY.match(t)
        if not m:
            return None
        end = m[2] == "底"
        return Rule(recurrence="yearly", month=_n(m[1]), day=None if end else _n(m[2]),
                    end_of_month=end)
    except ValueError:  # 13月, 第5个月 of a quarter: the model refuses it
        return None
