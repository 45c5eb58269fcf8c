"""Occurrence rules in calendar days: quarters, the 28th, month ends in February, half-years,
year ends, and one-off dates from an earlier year's document (historical)."""

from __future__ import annotations

import datetime as dt

from knowledge.calendar import Rule, current, describe, historical, occurrences
from knowledge.loader import KnowledgeBase

D = dt.date


def test_monthly_on_the_28th() -> None:
    rule = Rule(recurrence="monthly", day=28)
    assert [o.due for o in occurrences(rule, D(2027, 1, 1), D(2027, 3, 31))] == [
        D(2027, 1, 28), D(2027, 2, 28), D(2027, 3, 28)]
    assert current(rule, D(2027, 1, 29)).period == "2027-02"  # type: ignore[union-attr]


def test_month_end_knows_february_and_leap_years() -> None:
    rule = Rule(recurrence="monthly", end_of_month=True)
    assert [o.due for o in occurrences(rule, D(2028, 2, 1), D(2028, 3, 31))] == [
        D(2028, 2, 29), D(2028, 3, 31)]
    assert Rule(recurrence="monthly", day=31).model_copy() and [
        o.due for o in occurrences(Rule(recurrence="monthly", day=31), D(2027, 4, 1),
                                   D(2027, 4, 30))] == [D(2027, 4, 30)]


def test_quarterly_defaults_to_the_quarters_end_and_takes_a_month_and_day() -> None:
    rule = Rule(recurrence="quarterly")
    assert [(o.due, o.period) for o in occurrences(rule, D(2027, 1, 1), D(2027, 12, 31))] == [
        (D(2027, 3, 31), "2027-Q1"), (D(2027, 6, 30), "2027-Q2"),
        (D(2027, 9, 30), "2027-Q3"), (D(2027, 12, 31), "2027-Q4")]
    second_month = Rule(recurrence="quarterly", month_in_period=2, day=15)
    assert occurrences(second_month, D(2027, 1, 1), D(2027, 3, 31))[0].due == D(2027, 2, 15)
    assert describe(rule) == "每季度末" and describe(second_month) == "每季度第2个月15日前"


def test_half_yearly_and_year_end() -> None:
    half = Rule(recurrence="half_yearly")
    assert [o.due for o in occurrences(half, D(2027, 1, 1), D(2027, 12, 31))] == [
        D(2027, 6, 30), D(2027, 12, 31)]
    year_end = Rule(recurrence="yearly", month=12, end_of_month=True)
    assert occurrences(year_end, D(2027, 1, 1), D(2027, 12, 31))[0].period == "2027"


def test_a_one_off_date_of_an_earlier_year_is_historical() -> None:
    appraisal = Rule(recurrence="once", date=D(2020, 3, 20))
    assert historical(appraisal, D(2026, 12, 2)) and current(appraisal, D(2026, 12, 2)) is None
    yearly = Rule(recurrence="once", date=D(2020, 3, 20), yearly_duty=True)
    assert not historical(yearly, D(2026, 12, 2))
    assert current(yearly, D(2026, 12, 2)).due == D(2027, 3, 20)  # type: ignore[union-attr]
    assert describe(yearly) == "每年3月20日前"


def test_every_document_schedule_is_a_valid_rule(kb: KnowledgeBase) -> None:
    schedules = [e.item.schedule for e in kb.entries if e.item.schedule is not None]
    assert len(schedules) >= 40
    for s in schedules:
        rule = Rule.from_schedule(s)
        assert describe(rule)
        if s.recurrence != "once":
            assert occurrences(rule, D(2027, 1, 1), D(2027, 12, 31))


def test_an_offices_typed_when_becomes_a_rule() -> None:
    today = D(2026, 12, 2)
    from knowledge.calendar import rule_from_text

    assert rule_from_text("monthly", "28号", today) == Rule(recurrence="monthly", day=28)
    assert rule_from_text("monthly", "月底", today) == Rule(recurrence="monthly",
                                                          end_of_month=True)
    assert rule_from_text("quarterly", "季末", today) == Rule(recurrence="quarterly")
    assert rule_from_text("quarterly", "第2个月15日", today) == Rule(
        recurrence="quarterly", month_in_period=2, day=15)
    assert rule_from_text("quarterly", "第5个月1日", today) is None
    assert rule_from_text("yearly", "3月底", today) == Rule(recurrence="yearly", month=3,
                                                          end_of_month=True)
    assert rule_from_text("once", "2027年3月20日前", today) == Rule(recurrence="once",
                                                                date=D(2027, 3, 20))
    assert rule_from_text("once", "2026-11-01", today) is None  # past
    assert rule_from_text("monthly", "随便", today) is None
