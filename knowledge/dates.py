"""Dates as caseworkers type them: 明天, 后天, 3天后, 下周三, 周五, 3月20日, 下个月15号,
月底, 下月底, 2026-12-20, 2026年12月20日; and the due-date buttons (3天, 1周, 月底 ...).

Hand-written rather than jionlp: the grammar is small and closed, it must never guess
(an unreadable date is asked again), past dates are refused, and a bare 3月20日 rolls
forward to next year once this year's has passed, which jionlp does not do (NOTES.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from knowledge.text import numeral_value

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
SHORTCUTS = {"3d": "3天", "1w": "1周", "2w": "2周", "1m": "1个月", "eom": "月底"}
MAX_AHEAD = dt.timedelta(days=2 * 366)  # a follow-up further out than two years is a typo


@dataclass(frozen=True)
class DateReading:
    """A date read from text, or why it could not be used."""

    date: dt.date | None
    problem: str | None = None  # unreadable, past, too_far


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month (月底), February included."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (1月31日 + 1个月 = 2月底)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shortcut(key: str, today: dt.date) -> dt.date:
    """The date a due-date button means."""
    return {"3d": today + dt.timedelta(days=3), "1w": today + dt.timedelta(weeks=1),
            "2w": today + dt.timedelta(weeks=2), "1m": add_months(today, 1),
            "eom": month_end(today.year, today.month)}[key]


def _number(text: str) -> int | None:
    value = numeral_value(text)
    return int(value) if value is not None and value.is_integer() else None


_NUM = r"(\d{1,4}|[零〇一二两三四五六七八九十]{1,3})"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_FULL = re.compile(rf"^(\d{{4}})年{_NUM}月{_NUM}[日号]?$")
_MONTH_DAY = re.compile(rf"^(下个?月|本月|这个?月)?(?:{_NUM}月)?{_NUM}[日号]$")
_IN = re.compile(rf"^{_NUM}(天|日|周|个星期|星期|个月|月)(?:后|以后|之后)?$")
_WEEKDAY = re.compile(r"^(下下|下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天七])$")
_BEFORE = re.compile(r"(?:之前|以前|前|之内|以内|为止)$")  # 3月20日前: the date itself
_RELATIVE = {"前天": -2, "昨天": -1, "今天": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}


def _month_day(m: re.Match[str], today: dt.date) -> dt.date | None:
    which, month_text, day_text = m.groups()
    day = _number(day_text)
    if day is None:
        return None
    if month_text is not None:
        month = _number(month_text)
        if month is None:
            return None
        year = today.year
        candidate = _safe(year, month, day)
        if which is None and candidate is not None and candidate < today:
            candidate = _safe(year + 1, month, day)  # 3月20日 in December: next March
        return candidate
    base = add_months(today.replace(day=1), 1) if which and which.startswith("下") else today
    candidate = _safe(base.year, base.month, day)
    if which is None and candidate is not None and candidate < today:  # 15号 after the 15th
        nxt = add_months(today.replace(day=1), 1)
        candidate = _safe(nxt.year, nxt.month, day)
    return candidate


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read(text: str, today: dt.date) -> dt.date | None:
    if text in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[text])
    if text in ("月底", "本月底", "这个月底", "月末"):
        return month_end(today.year, today.month)
    if text in ("下月底", "下个月底", "下月末"):
        nxt = add_months(today.replace(day=1), 1)
        return month_end(nxt.year, nxt.month)
    if m := _ISO.match(text):
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    if m := _FULL.match(text):
        month, day = _number(m[2]), _number(m[3])
        return _safe(int(m[1]), month, day) if month and day else None
    if m := _MONTH_DAY.match(text):
        return _month_day(m, today)
    if m := _IN.match(text):
        n = _number(m[1])
        if n is None:
            return None
        if m[2] in ("天", "日"):
            return today + dt.timedelta(days=n)
        if m[2] in ("周", "个星期", "星期"):
            return today + dt.timedelta(weeks=n)
        return add_months(today, n)
    if m := _WEEKDAY.match(text):
        target = WEEKDAYS[m[2]]
        monday = today - dt.timedelta(days=today.weekday())
        weeks = {"下": 1, "下下": 2}.get(m[1] or "", 0)
        if not m[1]:  # 周三: the next one from today (today's own counts)
            ahead = (target - today.weekday()) % 7
            return today + dt.timedelta(days=ahead)
        return monday + dt.timedelta(weeks=weeks, days=target)
    return None


def parse_date(text: str, today: dt.date) -> DateReading:
    """A due date from typed text: never in the past, never guessed."""
    compact = _BEFORE.sub("", re.sub(r"\s+", "", text))
    found = _read(compact, today)
    if found is None:
        return DateReading(None, "unreadable")
    if found < today:
        return DateReading(found, "past")
    if found - today > MAX_AHEAD:
        return DateReading(found, "too_far")
    return DateReading(found)
