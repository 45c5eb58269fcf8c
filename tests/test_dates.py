"""The date language of follow-ups and /remind."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.dates import month_end, parse_date, shortcut

TODAY = dt.date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(("text", "expected"), [
    ("明天", dt.date(2026, 12, 3)), ("后天", dt.date(2026, 12, 4)), ("今天", TODAY),
    ("3天后", dt.date(2026, 12, 5)), ("三天后", dt.date(2026, 12, 5)),
    ("2周后", dt.date(2026, 12, 16)), ("一个月后", dt.date(2027, 1, 2)),
    ("下周三", dt.date(2026, 12, 9)), ("周五", dt.date(2026, 12, 4)),
    ("星期三", TODAY), ("这周日", dt.date(2026, 12, 6)), ("下星期一", dt.date(2026, 12, 7)),
    ("12月20日", dt.date(2026, 12, 20)), ("3月20日", dt.date(2027, 3, 20)),
    ("3月20日前", dt.date(2027, 3, 20)), ("三月二十号", dt.date(2027, 3, 20)),
    ("15号", dt.date(2026, 12, 15)), ("1号", dt.date(2027, 1, 1)),
    ("下个月15号", dt.date(2027, 1, 15)), ("月底", dt.date(2026, 12, 31)),
    ("下月底", dt.date(2027, 1, 31)), ("2026-12-20", dt.date(2026, 12, 20)),
    ("2027/1/5", dt.date(2027, 1, 5)), ("2027年2月28日", dt.date(2027, 2, 28)),
    (" 下周三 ", dt.date(2026, 12, 9)),
])
def test_dates_people_type(text: str, expected: dt.date) -> None:
    assert parse_date(text, TODAY).date == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("2026-11-30", "past"), ("昨天", "past"), ("2月30日", "unreadable"),
    ("下辈子", "unreadable"), ("", "unreadable"), ("2030-01-01", "too_far"),
    ("给李大爷送药", "unreadable"), ("13月1日", "unreadable"),
])
def test_dates_that_cannot_be_used_say_why(text: str, problem: str) -> None:
    assert parse_date(text, TODAY).problem == problem


def test_month_end_knows_february() -> None:
    assert month_end(2027, 2) == dt.date(2027, 2, 28)
    assert month_end(2028, 2) == dt.date(2028, 2, 29)


def test_buttons() -> None:
    assert shortcut("3d", TODAY) == dt.date(2026, 12, 5)
    assert shortcut("1m", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert shortcut("eom", TODAY) == dt.date(2026, 12, 31)
