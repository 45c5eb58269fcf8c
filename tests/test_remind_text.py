"""Reading /remind's date and text."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.remind_text import split_reminder

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(("text", "day", "rest"), [
    ("下周三 给李大爷送药", dt.date(2026, 12, 9), "给李大爷送药"),
    ("明天给李大爷送药", dt.date(2026, 12, 3), "给李大爷送药"),
    ("3月20日前 交危房鉴定表", dt.date(2027, 3, 20), "交危房鉴定表"),
    ("12月20日，开会", dt.date(2026, 12, 20), "开会"),
    ("2026-12-30 年终总结", dt.date(2026, 12, 30), "年终总结"),
])
def test_date_then_text(text: str, day: dt.date, rest: str) -> None:
    reading, remaining = split_reminder(text, TODAY)
    assert reading.date == day and remaining == rest


def test_no_date_or_a_past_one() -> None:
    assert split_reminder("给李大爷送药", TODAY)[0].problem == "unreadable"
    assert split_reminder("2026-11-30 过去的事", TODAY)[0].problem == "past"
