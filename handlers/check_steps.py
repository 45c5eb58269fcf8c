"""The /check questionnaire as data: steps, options, when each applies, and the draft it fills.

No Telegram here: the handler asks `current`, feeds button values to `answer` and typed text to
`read_text` (ages and incomes as people write them: 8个月, 每月500, 一万二), goes `back`, checks
the draft's clock with `touch`, and finally turns the draft into a `Profile`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from knowledge.profile import Member, Profile
from knowledge.schema import CATEGORIES, HOUSING, SCHOOL_STAGES
from knowledge.text import compact, normalize

Draft = dict[str, Any]  # {"region", "schools", "household", "members", "step", "history", ...}
UNKNOWN = "unknown"
NOT_IN_SCHOOL = "不上学"
YES_NO = (("yes", "是"), ("no", "否"), (UNKNOWN, "不清楚"))
BOARDING_STAGES = ("小学", "初中", "普通高中", "中职")
HIGHER_STAGES = ("专科", "本科", "研究生")


@dataclass(frozen=True)
class Step:
    """One question: its options (value, label), or typed input parsed by `parse`."""

    key: str
    options: tuple[tuple[str, str], ...] = ()
    multi: bool = False
    parse: Callable[[str], Parsed] | None = None  # typed answers; None = buttons only
    applies: Callable[[Draft], bool] = field(default=lambda d: True)
    member: bool = False  # answers go to the current (last) member
    # The answer a skipped step implies (None: it stays unknown). A question that is not asked
    # because the answer is obvious must not show up as "若确认……" in the result.
    implied: Callable[[Draft], Any] = field(default=lambda d: None)


def _member(d: Draft) -> dict[str, Any]:
    return d["members"][-1] if d["members"] else {}


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
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "k": 1000}
_WAN = ("万", "w")


def _numeral(run: str) -> float | None:
    """A matched number run -> its value; None when malformed (三四千 is a range, not a number)."""
    total = group = 0.0  # total: whole 万s; group: the part below 万
    current: float | None = None
    last_unit, after_zero = 0, False
    for tok in re.findall(r"\d+(?:\.\d+)?|.", run):
        if tok in ("〇", "零"):
            after_zero = True
        elif tok in _WAN:
            if current is None and not group:
                return None
            total += (group + (current or 0)) * 10_000
            group, current, last_unit, after_zero = 0, None, 10_000, False
        elif tok in _UNITS:
            unit = _UNITS[tok]
            if (current is None and unit != 10) or (last_unit and unit >= last_unit):
                return None  # 千 alone, or units that do not go down (五百三千)
            group += (1 if current is None else current) * unit
            current, last_unit, after_zero = None, unit, False
        elif current is not None:
            return None  # two numbers in a row: 三四千, 13 14
        else:
            current = float(tok) if tok[0].isdigit() else float(_DIGITS[tok])
    if current is None:
        return total + group
    # 一千二 = 1200, 1万5 = 15000, 三百五 = 350: a lone digit after a unit counts in the next
    # lower unit; after 零 (一千零五) or 十 (十三) it is just itself.
    abbreviated = last_unit >= 100 and not after_zero and current < 10 and current.is_integer()
    return total + group + current * (last_unit // 10 if abbreviated else 1)


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
    value = _numeral(runs[0].group())
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
_MONTHS_AFTER = re.compile(r"多?个?月")
_DAYS_AFTER = re.compile(r"多?(?:天|个星期|星期)")
MAX_AGE = 120


def parse_age(text: str) -> Parsed:
    """Whole years: '13', '13岁', '十三岁', '六十多岁'; '8个月' -> 0, '18个月' -> 1, '3天' -> 0."""
    t = normalize(text)
    runs = _numbers(t)
    if not runs:
        return Reading(0, months=6) if "半岁" in t else Unreadable("unreadable")
    value = _numeral(runs[0].group())
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


# School-age bounds for asking about school: 学前 starts at 3; past 35 nobody in these
# documents' student subsidies is still studying. Outside them the answer is 不上学.
MIN_SCHOOL_AGE, MAX_SCHOOL_AGE = 3, 35


def _asks_school(d: Draft) -> bool:
    age = _member(d).get("age")
    return age is None or MIN_SCHOOL_AGE <= age <= MAX_SCHOOL_AGE


def _stage_in(stages: tuple[str, ...]) -> Callable[[Draft], bool]:
    return lambda d: _member(d).get("school_stage") in stages


def _false_if_stage_known(d: Draft) -> bool | None:
    """Not a boarder / not a new university entrant when the stage rules it out; else unknown."""
    return False if _member(d).get("school_stage") is not None else None


STEPS: tuple[Step, ...] = (
    Step("categories", tuple((c, c) for c in CATEGORIES) + (("none", "都不是"),
                                                             (UNKNOWN, "不清楚")), multi=True),
    Step("area", (("rural", "农村"), ("urban", "城镇"), (UNKNOWN, "不清楚"))),
    Step("income", ((UNKNOWN, "跳过"),), parse=parse_income),
    Step("age", ((UNKNOWN, "跳过"),), parse=parse_age, member=True),
    Step("school_stage", tuple((s, s) for s in SCHOOL_STAGES)
         + ((NOT_IN_SCHOOL, NOT_IN_SCHOOL), (UNKNOWN, "不清楚")), member=True,
         applies=_asks_school, implied=lambda d: NOT_IN_SCHOOL),
    Step("boarding", (("yes", "住校（寄宿）"), ("no", "走读"), (UNKNOWN, "不清楚")), member=True,
         applies=_stage_in(BOARDING_STAGES), implied=_false_if_stage_known),
    Step("new_entrant", (("yes", "是，今年新考入"), ("no", "不是"), (UNKNOWN, "不清楚")),
         member=True, applies=_stage_in(HIGHER_STAGES), implied=_false_if_stage_known),
    # Only 普通高中 amounts depend on the school: for anyone else it stays unknown, unused.
    Step("school", (), member=True,
         applies=lambda d: _member(d).get("school_stage") == "普通高中" and bool(d["schools"])),
    Step("disability_level", (("0", "没有残疾"), ("1", "一级"), ("2", "二级"), ("3", "三级"),
                              ("4", "四级"), (UNKNOWN, "不清楚")), member=True),
    # Care need is not implied by a lighter (or no) disability, so it stays unknown when
    # skipped; the only condition on it also requires 一级/二级, so it never shows as unknown.
    Step("needs_long_term_care", YES_NO, member=True,
         applies=lambda d: _member(d).get("disability_level") in (1, 2)),
    Step("illness", (("chronic", "慢性病"), ("major", "重大疾病"), ("both", "两种都有"),
                     ("none", "都没有"), (UNKNOWN, "不清楚")), member=True),
    Step("mental_illness", (("none", "没有"), ("inpatient", "住院治疗"), ("home", "在家治疗"),
                            (UNKNOWN, "不清楚")), member=True),
    Step("more", (("yes", "➕ 还有其他家人"), ("no", "没有了，看结果")), member=True),
    Step("housing", tuple((h, h) for h in HOUSING) + (("安全", "住房安全"), (UNKNOWN, "不清楚"))),
    Step("single_mother", YES_NO),
    Step("relocated", YES_NO),
)
BY_KEY = {s.key: s for s in STEPS}
FIRST_MEMBER_STEP = "age"
DONE = "done"
TIMEOUT = 30 * 60  # seconds without an answer after which the screener has ended
_NOT_UNDONE = ("history", "seen")  # 返回 restores answers, not the undo stack or the clock
Answered = Literal["ok", "stale", "empty", "unticked"]


def new_draft(region: str, schools: tuple[str, ...], now: float) -> Draft:
    """An empty questionnaire for a region (schools: those its documents name)."""
    return {"region": region, "schools": list(schools), "household": {}, "members": [],
            "step": STEPS[0].key, "history": [], "selected": [], "seen": now}


def touch(d: Draft, now: float) -> bool:
    """Note activity at `now`; False (and no change) when the draft has already timed out."""
    if now - d.get("seen", float("-inf")) > TIMEOUT:  # drafts from before the clock: ended
        return False
    d["seen"] = now
    return True


def current(d: Draft) -> Step | None:
    """The step to ask now, or None when the questionnaire is finished."""
    return BY_KEY.get(d["step"])


def options(d: Draft, step: Step) -> tuple[tuple[str, str], ...]:
    """The step's options; the school step lists the region's named schools."""
    if step.key == "school":
        return tuple((s, s) for s in d["schools"]) + (("其他", "其他学校"), (UNKNOWN, "不清楚"))
    return step.options


def _advance(d: Draft, after: str) -> None:
    keys = [s.key for s in STEPS]
    i = keys.index(after) + 1
    while i < len(keys) and not STEPS[i].applies(d):
        implied = STEPS[i].implied(d)
        if implied is not None:
            _store(d, STEPS[i], implied)
        i += 1
    d["step"] = keys[i] if i < len(keys) else DONE
    if d["step"] == FIRST_MEMBER_STEP and not d["members"]:
        d["members"].append({})


def _store(d: Draft, step: Step, value: Any) -> None:
    if step.key == "illness":
        _member(d).update(chronic_disease=None if value is None else value in ("chronic", "both"),
                          major_illness=None if value is None else value in ("major", "both"))
        return
    target = _member(d) if step.member else d["household"]
    target[step.key] = value


def _convert(step: Step, raw: str) -> Any:
    if raw == UNKNOWN:
        return None
    if step.key == "disability_level":
        return int(raw)
    if dict(step.options) == dict(YES_NO) or step.key in ("boarding", "new_entrant"):
        return raw == "yes"
    return raw


def answer(d: Draft, raw: str) -> Answered:
    """Apply a button value (or 'done' for multi-select): ok, or why nothing was recorded."""
    step = current(d)
    if step is None:
        return "stale"
    if step.multi:
        return _answer_multi(d, step, raw)
    if raw not in dict(options(d, step)):
        return "stale"
    d["history"].append(_snapshot(d))
    if step.key == "more":
        if raw == "yes":
            d["members"].append({})
            d["step"] = FIRST_MEMBER_STEP
        else:
            _advance(d, "more")
        return "ok"
    _store(d, step, _convert(step, raw))
    _advance(d, step.key)
    return "ok"


def _answer_multi(d: Draft, step: Step, raw: str) -> Answered:
    selected: list[str] = d["selected"]
    d.pop("unticked", None)
    if raw == "done" and not selected:
        return "empty"
    if raw in ("none", UNKNOWN) and selected:
        # 都不是/不清楚 after ticking some: untick them where the resident can see it and let a
        # second tap confirm, rather than silently dropping what was ticked.
        d["unticked"] = {"by": raw, "items": list(selected)}
        selected.clear()
        return "unticked"
    if raw in ("none", UNKNOWN, "done"):
        d["history"].append(_snapshot(d))
        _store(d, step, None if raw == UNKNOWN else ([] if raw == "none" else list(selected)))
        d["selected"] = []
        _advance(d, step.key)
        return "ok"
    if raw not in dict(step.options):
        return "stale"
    if raw in selected:
        selected.remove(raw)
    else:
        selected.append(raw)
    return "ok"


# Typed text on a button step that is a question, not an answer: a question word and a few
# characters (补助多少), or simply long. Talk about the screener itself (选哪个) gets the hint.
_QUESTION = re.compile(r"[?？]|吗|呢|多少|怎么|怎样|咋|什么|啥|哪|如何|能不能|可不可以|有没有"
                       r"|是不是")
_ABOUT_SCREENER = re.compile(r"选|按钮|点哪|填")
QUESTION_MIN_CHARS = 4
STATEMENT_MIN_CHARS = 10
NOT_AN_ANSWER = "not_an_answer"
CHOSEN = "chosen"


def _looks_like_question(text: str) -> bool:
    t = compact(text)
    if _ABOUT_SCREENER.search(t):
        return False
    return len(t) >= STATEMENT_MIN_CHARS or (len(t) >= QUESTION_MIN_CHARS
                                             and _QUESTION.search(t) is not None)


def _typed_label(d: Draft, step: Step, text: str) -> str | None:
    """The option whose label was typed instead of pressed (住校, 否, 完成), if any."""
    typed = compact(text)
    labels = [*options(d, step), *((("done", "完成"),) if step.multi else ())]
    for value, label in labels:
        if typed and typed in (compact(label), compact(re.split(r"[（，]", label)[0])):
            return value
    return None


def read_text(d: Draft, text: str, *, region_name: bool = False) -> Parsed | str:
    """Apply a typed message: a Reading (age, income), CHOSEN (a label typed), Unreadable (hint),
    or NOT_AN_ANSWER: a question or a region name, which ends the screener."""
    step = current(d)
    if step is None:
        return NOT_AN_ANSWER
    value = _typed_label(d, step, text)
    if value is not None:
        result = answer(d, value)
        return Unreadable(result) if result in ("stale", "empty") else CHOSEN
    if region_name:
        return NOT_AN_ANSWER
    if step.parse is None:
        return NOT_AN_ANSWER if _looks_like_question(text) else Unreadable("buttons")
    parsed = step.parse(text)
    if isinstance(parsed, Reading):
        d["history"].append(_snapshot(d))
        _store(d, step, parsed.value)
        _advance(d, step.key)
        return replace(parsed, step=step.key)
    if parsed.reason == "unreadable" and _looks_like_question(text):
        return NOT_AN_ANSWER  # no number in it: a question typed where the income was asked
    return parsed


def back(d: Draft) -> bool:
    """Undo the last answer; False when already at the first question."""
    if not d["history"]:
        return False
    kept = {k: d[k] for k in _NOT_UNDONE if k in d}
    previous = d["history"].pop()
    d.clear()
    d.update(previous)
    d.update(kept)
    return True


def _snapshot(d: Draft) -> Draft:
    return copy.deepcopy({k: v for k, v in d.items() if k not in _NOT_UNDONE})


def to_profile(d: Draft) -> Profile:
    """The finished draft as the eligibility engine's Profile."""
    h = d["household"]
    members = [Member(**{k: v for k, v in m.items() if k in Member.model_fields})
               for m in d["members"]]
    return Profile(region=d["region"], area=h.get("area"), categories=h.get("categories"),
                   income_per_capita_yearly=h.get("income"), housing=h.get("housing"),
                   single_mother=h.get("single_mother"), relocated=h.get("relocated"),
                   members=members)
