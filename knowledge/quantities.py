"""Ages and incomes as residents type them (8个月, 六十多岁, 每月500, 一万二, 3千, 1.2w).

Pure text to numbers, no Telegram: the /check screener uses it, and caseworkers' household
records will too. A reading keeps what was converted so the bot can say what it recorded;
anything that cannot be read safely is refused with a reason that picks the hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import normalize, numeral_value


@dataclass(frozen=True)
class Reading:
    """A typed value as understood, with what was converted so the bot can say so."""

    value: float
    per_month: float | None = None  # income typed per month (value is yearly)
    months: int | None = None  # age typed in months or days (value is whole years)
    step: str = ""  # the step it answered (set by read_text)


@dataclass(frozen=True)
class Unreadable:
    """A typed answer refused: `reason` picks the hint (see check_hint.html.j2)."""

    # unreadable | several | per_day | household | tiny | range | birth_year (typed values);
    # buttons | stale | empty (button steps)
    reason: str
    value: float | None = None


Parsed = Reading | Unreadable

# One number as people type it: 4000, 1.2万, 1万2, 3千, 5k, 一万二, 两千五, 十三.
_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十])"
                     r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万kw])*")
def _numbers(text: str) -> list[re.Match[str]]:
    return list(_NUMBER.finditer(text))


# 一 as a word, not a quantity (normalize has already written 一个月 as 1个月)
_NOT_A_NUMBER = re.compile(r"(?<![\d.])[一1](?:个月|年|人|个人|口)|一共|一家|一般")
_HOUSEHOLD = re.compile(r"全家|一家|家里|总共|一共|合计")
_PER_PERSON = re.compile(r"人均|每人|每个人|一人|一个人|每口")
_PER_DAY = re.compile(r"天|日|周|星期|季")
_NO_INCOME = re.compile(r"(没有|没|无|零)收入")
MAX_INCOME = 10_000_000
IMPLAUSIBLE_INCOME = 100  # yuan a year: "3" almost surely meant 3千 or 3万


def parse_income(text: str) -> Parsed:
    """Yuan per person per year: '4000', '1.2万', '3千', '5k', '一万二', '每月500' (x12)."""
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", normalize(text))  # 4,000
    if _NO_INCOME.search(t) and not _numbers(t):
        return Reading(0.0)
    runs = _numbers(_NOT_A_NUMBER.sub(" ", t))
    if len(runs) != 1:
        return Unreadable("several" if runs else "unreadable")
    value = numeral_value(runs[0].group())
    monthly, yearly = "月" in t, "年" in t
    if value is None or (monthly and yearly):
        return Unreadable("unreadable")
    if _PER_DAY.search(t):
        return Unreadable("per_day")
    if _HOUSEHOLD.search(t) and not _PER_PERSON.search(t):
        return Unreadable("household")
    per_year = value * 12 if monthly else value
    if per_year > MAX_INCOME:
        return Unreadable("range")
    if 0 < per_year < IMPLAUSIBLE_INCOME:
        return Unreadable("tiny", per_year)
    return Reading(per_year, per_month=value if monthly else None)


_YEARS_AFTER = re.compile(r"多?(?:周岁|岁|周|年)")
_MONTHS_AFTER = re.compile(r"个?[多半]?个?月")  # 8个月, 两个多月, 一个半月
_DAYS_AFTER = re.compile(r"多?(?:天|个星期|星期)")
MAX_AGE = 120


def parse_age(text: str) -> Parsed:
    """Whole years: '13', '13岁', '十三岁', '六十多岁'; '8个月' -> 0, '18个月' -> 1, '3天' -> 0."""
    t = normalize(text)
    runs = _numbers(t)
    if not runs:
        return Reading(0, months=6) if "半岁" in t else Unreadable("unreadable")
    value = numeral_value(runs[0].group())
    if value is None:
        return Unreadable("unreadable")
    rest = t[runs[0].end():]
    if 1900 <= value <= 2100:
        return Unreadable("birth_year")
    if _MONTHS_AFTER.match(rest):
        return Reading(int(value) // 12, months=int(value))
    if _DAYS_AFTER.match(rest):
        return Reading(0, months=0)
    if not _YEARS_AFTER.match(rest) and len(runs) > 1:
        return Unreadable("several")
    return Reading(int(value)) if value <= MAX_AGE else Unreadable("range")
