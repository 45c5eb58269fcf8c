"""Ages and incomes as residents type them (8个月, 六十多岁, 每月500, 一万二, 3千, 1.2w).

Pure text to numbers, no Telegram: the /check screener uses it, and caseworkers' household
records will too. A reading keeps what was converted so the bot can say what it recorded;
anything that cannot be read safely is refused with a reason that picks the hint.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from knowledge.text import normalize, numeral_value


@dataclass(frozen=True)
class Reading:
    """A typed value as understood, with what was converted so the bot can say so."""

    value: float
    per_month: float | None = None  # income typed per month (value is yearly)
    months: int | None = None  # age typed in months or days (value is whole years)
    step: str = ""  # the step it answered (set by read_text)
    # 三四千, 3000-4000: a range, read as its middle, which the resident must confirm
    between: tuple[float, float] | None = None


@dataclass(frozen=True)
class Unreadable:
    """A typed answer refused: `reason` picks the hint (see check_hint.html.j2)."""

    # unreadable | several | per_day | household | tiny | range | birth_year | negative |
    # income (money typed at the age step) (typed values); buttons | stale | empty | full
    # (button steps)
    reason: str
    value: float | None = None


Parsed = Reading | Unreadable

# One number as people type it: 4000, 1.2万, 1万2, 3千, 5k, 一万二, 两千五, 十三.
_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十])"
                     r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万kw])*")
def _numbers(text: str) -> list[re.Match[str]]:
    return list(_NUMBER.finditer(text))


MAX_DIGITS = 9  # more digits than any age or income: refused before arithmetic overflows
_LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")
# A minus sign that does not join two numbers (-500, 负500; 3000-4000 is a range).
_NEGATIVE = re.compile(r"(?<![\d.])[-−﹣]\s*\d|负\s*[\d一二两三四五六七八九十]")
_SMALL = "一二两三四五六七八九"
_PAIR = {(_SMALL[i], _SMALL[j]) for i in range(len(_SMALL)) for j in range(i + 1, len(_SMALL))
         if 0 < j - i <= 2 and not (_SMALL[i] == "二" and _SMALL[j] == "两")}
# 三四千, 七八百, 两三万 (a pair of numerals and one unit), 十三四, 六十五六 (tens, then a pair)
_CN_PAIR = re.compile(rf"(?:([{_SMALL}])?十)?([{_SMALL}])([{_SMALL}])([十百千万])?")
# 3000-4000, 3千到4千, 3到4千 (the unit of the second number for both), 三千至四千
_TO = re.compile(r"(?P<a>\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万]+)(?P<au>[千万kw]?)\s*"
                 r"(?:-|~|～|—|–|到|至)\s*"
                 r"(?P<b>\d+(?:\.\d+)?[千万kw]?|[〇零一二两三四五六七八九十百千万]+)")
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


def _unconverted(text: str) -> str:
    """The text before normalize() writes numerals as digits: it reads 两三万 as 23万."""
    return unicodedata.normalize("NFKC", text).lower()


def _cn_digit(ch: str) -> int:
    return 2 if ch == "两" else _SMALL.index(ch) + 1 - (1 if _SMALL.index(ch) > 1 else 0)


def _range(text: str) -> tuple[float, float] | None:
    """The bounds of a range typed as one answer (三四千, 十三四, 3000-4000, 3到4千), or None."""
    m = _CN_PAIR.search(text)
    if m and (m.group(2), m.group(3)) in _PAIR and (m.group(4) or "十" in m.group(0)):
        a, b = _cn_digit(m.group(2)), _cn_digit(m.group(3))
        if m.group(4):  # 三四千: both digits carry the unit
            unit = _UNIT_VALUE[m.group(4)]
            if m.group(1) is None and "十" not in m.group(0)[:-1]:
                return a * unit, b * unit
        else:  # 十三四 / 六十五六: tens then a pair of units
            tens = 10 * (_cn_digit(m.group(1)) if m.group(1) else 1)
            return tens + a, tens + b
    m = _TO.search(text)
    if m is None:
        return None
    high = numeral_value(m.group("b"))
    # 3到4千: the first number borrows the second's unit
    shared = re.search(r"[千万kw]$", m.group("b"))
    borrowed = shared.group() if shared and m.group("a")[-1].isdigit() else ""
    first = m.group("a") + (m.group("au") or borrowed)
    low = numeral_value(first)
    if low is None or high is None or not 0 <= low < high:
        return None
    return low, high


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
    if _NEGATIVE.search(t):
        return Unreadable("negative")
    if _LONG_NUMBER.search(t):
        return Unreadable("range")
    bounds = _range(_unconverted(text))
    if bounds is not None:
        return _income_range(t, bounds)
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


def _income_range(t: str, bounds: tuple[float, float]) -> Parsed:
    """An income range (大概三四千, 每月300到500) read as its middle, to be confirmed."""
    if _PER_DAY.search(t):
        return Unreadable("per_day")
    if _HOUSEHOLD.search(t) and not _PER_PERSON.search(t):
        return Unreadable("household")
    months = 12 if "月" in t and "年" not in t else 1
    low, high = bounds[0] * months, bounds[1] * months
    if high > MAX_INCOME:
        return Unreadable("range")
    middle = (low + high) / 2
    return Reading(middle, per_month=middle / 12 if months == 12 else None, between=(low, high))


_YEARS_AFTER = re.compile(r"多?(?:周岁|岁|周|年)")
_MONTHS_AFTER = re.compile(r"个?[多半]?个?月")  # 8个月, 两个多月, 一个半月
_DAYS_AFTER = re.compile(r"多?(?:天|个星期|星期)")
MAX_AGE = 120


# Money words: 一年3千多 at the age step is an income typed one step late, not 1岁.
_MONEY = re.compile(r"[元块千万kw钱]|收入|工资|月入")


def parse_age(text: str) -> Parsed:
    """Whole years: '13', '13岁', '十三岁', '六十多岁'; '8个月' -> 0, '18个月' -> 1, '3天' -> 0."""
    t = normalize(text)
    if _MONEY.search(t):
        return Unreadable("income")
    if _NEGATIVE.search(t):
        return Unreadable("negative")
    if _LONG_NUMBER.search(t):
        return Unreadable("range")
    bounds = _range(_unconverted(text))
    if bounds is not None:
        low, high = bounds
        if high > MAX_AGE:
            return Unreadable("range")
        return Reading(int((low + high) / 2), between=(low, high))
    runs = _numbers(t)
    if not runs:
        return Reading(0, months=6) if "半岁" in t else Unreadable("unreadable")
    value = numeral_value(runs[0].group())
    if value is None:
        return Unreadable("unreadable")
    rest = t[runs[0].end():]
    if _MONTHS_AFTER.match(rest):
        if value // 12 > MAX_AGE:
            return Unreadable("range")
        return Reading(int(value) // 12, months=int(value))
    if 1900 <= value <= 2100:
        return Unreadable("birth_year")
    if _DAYS_AFTER.match(rest):
        return Reading(0, months=0)
    if not _YEARS_AFTER.match(rest) and len(runs) > 1:
        return Unreadable("several")
    return Reading(int(value)) if value <= MAX_AGE else Unreadable("range")
