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

from knowledge.profile import (
    MAX_MEMBERS,
    MAX_SCHOOL_AGE,
    MIN_SCHOOL_AGE,
    Member,
    Profile,
    complete,
    implied,
)
from knowledge.quantities import Parsed, Reading, Unreadable, parse_age, parse_income
from knowledge.text import compact
from knowledge.vocabulary import (
    BOARDING_STAGES,
    CATEGORIES,
    HIGHER_STAGES,
    HOUSING,
    NOT_IN_SCHOOL,
    SAFE_HOUSING,
    SCHOOL_STAGES,
)

Draft = dict[str, Any]  # {"region_id", "schools", "household", "members", "step", ...}
UNKNOWN = "unknown"
YES_NO = (("yes", "是"), ("no", "否"), (UNKNOWN, "不清楚"))


@dataclass(frozen=True)
class Step:
    """One question: its options (value, label), or typed input parsed by `parse`."""

    key: str
    options: tuple[tuple[str, str], ...] = ()
    multi: bool = False
    parse: Callable[[str], Parsed] | None = None  # typed answers; None = buttons only
    applies: Callable[[Draft], bool] = field(default=lambda d: True)
    member: bool = False  # answers go to the current (last) member


def _member(d: Draft) -> dict[str, Any]:
    return d["members"][-1] if d["members"] else {}


def _asks_school(d: Draft) -> bool:
    age = _member(d).get("age")
    return age is None or MIN_SCHOOL_AGE <= age <= MAX_SCHOOL_AGE


def _stage_in(stages: tuple[str, ...]) -> Callable[[Draft], bool]:
    return lambda d: _member(d).get("school_stage") in stages


STEPS: tuple[Step, ...] = (
    Step("categories", tuple((c, c) for c in CATEGORIES) + (("none", "都不是"),
                                                             (UNKNOWN, "不清楚")), multi=True),
    Step("area", (("rural", "农村"), ("urban", "城镇"), (UNKNOWN, "不清楚"))),
    Step("income", ((UNKNOWN, "跳过"),), parse=parse_income),
    Step("age", ((UNKNOWN, "跳过"),), parse=parse_age, member=True),
    Step("school_stage", tuple((s, s) for s in SCHOOL_STAGES)
         + ((NOT_IN_SCHOOL, NOT_IN_SCHOOL), (UNKNOWN, "不清楚")), member=True,
         applies=_asks_school),
    Step("boarding", (("yes", "住校（寄宿）"), ("no", "走读"), (UNKNOWN, "不清楚")), member=True,
         applies=_stage_in(BOARDING_STAGES)),
    Step("new_entrant", (("yes", "是，今年新考入"), ("no", "不是"), (UNKNOWN, "不清楚")),
         member=True, applies=_stage_in(HIGHER_STAGES)),
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
    Step("housing", tuple((h, h) for h in HOUSING)
         + ((SAFE_HOUSING, "住房安全"), (UNKNOWN, "不清楚"))),
    Step("single_mother", YES_NO),
    Step("relocated", YES_NO),
)
BY_KEY = {s.key: s for s in STEPS}
FIRST_MEMBER_STEP = "age"
DONE = "done"
TIMEOUT = 30 * 60  # seconds without an answer after which the screener has ended
_NOT_UNDONE = ("history", "seen")  # 返回 restores answers, not the undo stack or the clock
Answered = Literal["ok", "stale", "empty", "unticked", "full"]


def new_draft(region_id: str | None, schools: tuple[str, ...], now: float) -> Draft:
    """An empty questionnaire for a region (schools: those its documents name); without a
    region it waits for one (see `set_region`) before the first question."""
    return {"region_id": region_id, "schools": list(schools), "household": {}, "members": [],
            "step": STEPS[0].key, "history": [], "selected": [], "seen": now}


def set_region(d: Draft, region_id: str, schools: tuple[str, ...]) -> None:
    """The region chosen while the questionnaire is open: the answers so far stay; a school
    answered for the old region's list is asked again if it is not on the new one."""
    d["region_id"], d["schools"] = region_id, list(schools)
    for m in d["members"]:
        if m.get("school") not in (None, "其他", *schools):
            m.pop("school")


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
    """The step's options; the school step lists the region's named schools; "another member"
    is gone once the household has as many members as a profile holds."""
    if step.key == "school":
        return tuple((s, s) for s in d["schools"]) + (("其他", "其他学校"), (UNKNOWN, "不清楚"))
    if step.key == "more" and len(d["members"]) >= MAX_MEMBERS:
        return tuple(o for o in step.options if o[0] != "yes")
    return step.options


def _advance(d: Draft, after: str) -> None:
    keys = [s.key for s in STEPS]
    i = keys.index(after) + 1
    while i < len(keys) and not STEPS[i].applies(d):
        if STEPS[i].member:  # a question not asked because the answers so far decide it
            _member(d).update(implied(_as_member(_member(d))))
        i += 1
    d["step"] = keys[i] if i < len(keys) else DONE
    if d["step"] == FIRST_MEMBER_STEP and not d["members"]:
        d["members"].append({})


def _as_member(m: dict[str, Any]) -> Member:
    return Member(**{k: v for k, v in m.items() if k in Member.model_fields})


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
        return "full" if step.key == "more" and raw == "yes" else "stale"
    d.pop("confirm", None)
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


# Typed text that is a question, not an answer: a question word and a few characters
# (补助多少, 低保标准是每月650吗). Long statements without one (在县一中上高二，住校的) are
# answers in the wrong place: they get the hint, so no answer is lost. Talk about the screener
# itself (选哪个) gets the hint too.
_QUESTION = re.compile(r"[?？]|吗|呢|多少|怎么|怎样|咋|什么|啥|哪|如何|能不能|可不可以|有没有"
                       r"|是不是")
_ABOUT_SCREENER = re.compile(r"选|按钮|点哪|填")
QUESTION_MIN_CHARS = 4
NOT_AN_ANSWER = "not_an_answer"
CHOSEN = "chosen"
SKIPPED = "skipped"  # 不知道 typed: the step's 跳过 / 不清楚
# 不知道, 我也不清楚, 说不清: the resident does not know; the step's 不清楚/跳过 says so.
_DONT_KNOW = re.compile(r"^(?:我|俺|也|都|真|还)*(?:不知道|不清楚|不晓得|不太清楚|不太知道|说不清|"
                        r"说不好|不记得|记不清|没数|不确定)(?:了|啊|呀|哦|哈|呢)*$")


def _looks_like_question(text: str) -> bool:
    t = compact(text)
    if _ABOUT_SCREENER.search(t):
        return False
    return len(t) >= QUESTION_MIN_CHARS and _QUESTION.search(t) is not None


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
    if value is None and _DONT_KNOW.match(compact(text)) and UNKNOWN in dict(options(d, step)):
        return SKIPPED if answer(d, UNKNOWN) == "ok" else Unreadable("stale")
    if value is not None:
        result = answer(d, value)
        return Unreadable(result) if result in ("stale", "empty") else CHOSEN
    if region_name:
        return NOT_AN_ANSWER
    if step.parse is None:
        return NOT_AN_ANSWER if _looks_like_question(text) else Unreadable("buttons")
    if _looks_like_question(text):
        return NOT_AN_ANSWER  # 低保标准是每月650吗: a question, even with a number in it
    parsed = step.parse(text)
    d.pop("confirm", None)
    if isinstance(parsed, Reading) and parsed.between is not None:
        # 三四千: the middle (3500) only once the resident has said yes (see `confirm`)
        d["confirm"] = {"step": step.key, "value": parsed.value}
        return replace(parsed, step=step.key)
    if isinstance(parsed, Reading):
        d["history"].append(_snapshot(d))
        _store(d, step, parsed.value)
        _advance(d, step.key)
        return replace(parsed, step=step.key)
    return parsed


def confirm(d: Draft, yes: bool) -> Reading | None:
    """The answer to "按3500元记录？": yes records the pending value (its Reading, to say what
    was recorded), no drops it and the question is asked again; None when nothing is pending."""
    pending = d.pop("confirm", None)
    step = current(d)
    if not pending or step is None or pending["step"] != step.key or not yes:
        return None
    d["history"].append(_snapshot(d))
    _store(d, step, pending["value"])
    _advance(d, step.key)
    return Reading(pending["value"], step=step.key)


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
    """The finished draft as the eligibility engine's Profile (completed, like every door's)."""
    h = d["household"]
    members = [_as_member(m) for m in d["members"]]
    return complete(Profile(
        region_id=d["region_id"], area=h.get("area"), categories=h.get("categories"),
        income_per_capita_yearly=h.get("income"), housing=h.get("housing"),
        single_mother=h.get("single_mother"), relocated=h.get("relocated"), members=members))
