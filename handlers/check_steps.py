"""The /check questionnaire as data: steps, options, when each applies, and the draft it fills.

No Telegram here: the handler asks `current`, feeds answers to `answer`, goes `back`, and
finally turns the draft into a `Profile` for the eligibility engine.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from knowledge.profile import Member, Profile
from knowledge.schema import CATEGORIES, HOUSING, SCHOOL_STAGES
from knowledge.text import cn_to_int, normalize

Draft = dict[str, Any]  # {"region", "schools", "household", "members", "step", "history"}
UNKNOWN = "unknown"
YES_NO = (("yes", "是"), ("no", "否"), (UNKNOWN, "不清楚"))
BOARDING_STAGES = ("小学", "初中", "普通高中", "中职")
HIGHER_STAGES = ("专科", "本科", "研究生")


@dataclass(frozen=True)
class Step:
    """One question: its options (value, label), or typed input parsed by `parse`."""

    key: str
    options: tuple[tuple[str, str], ...] = ()
    multi: bool = False
    parse: Callable[[str], Any] | None = None  # typed answers; None = buttons only
    applies: Callable[[Draft], bool] = field(default=lambda d: True)
    member: bool = False  # answers go to the current (last) member


def _member(d: Draft) -> dict[str, Any]:
    return d["members"][-1] if d["members"] else {}


def parse_age(text: str) -> int | None:
    """'13', '13岁', '十三岁' -> 13; None when it is not an age."""
    found = re.search(r"\d+", normalize(text))
    value = int(found.group()) if found else cn_to_int(text.strip().rstrip("岁周"))
    return value if value is not None and 0 <= value <= 120 else None


def parse_income(text: str) -> float | None:
    """'4000', '4000元', '1.2万', '四千' -> yuan per person per year."""
    t = normalize(text).replace(",", "").replace("，", "")
    found = re.search(r"\d+(?:\.\d+)?", t)
    if found:
        value = float(found.group())
    else:
        n = cn_to_int(re.sub(r"[元块万每年人/]", "", t))
        if n is None:
            return None
        value = float(n)
    if "万" in t:
        value *= 10000
    return value if 0 <= value <= 10_000_000 else None


STEPS: tuple[Step, ...] = (
    Step("categories", tuple((c, c) for c in CATEGORIES) + (("none", "都不是"),
                                                             (UNKNOWN, "不清楚")), multi=True),
    Step("area", (("rural", "农村"), ("urban", "城镇"), (UNKNOWN, "不清楚"))),
    Step("income", ((UNKNOWN, "跳过"),), parse=parse_income),
    Step("age", ((UNKNOWN, "跳过"),), parse=parse_age, member=True),
    Step("school_stage", tuple((s, s) for s in SCHOOL_STAGES)
         + (("不上学", "不上学"), (UNKNOWN, "不清楚")), member=True,
         applies=lambda d: (_member(d).get("age") or 0) <= 35),
    Step("boarding", (("yes", "住校（寄宿）"), ("no", "走读"), (UNKNOWN, "不清楚")), member=True,
         applies=lambda d: _member(d).get("school_stage") in BOARDING_STAGES),
    Step("new_entrant", (("yes", "是，今年新考入"), ("no", "不是"), (UNKNOWN, "不清楚")),
         member=True, applies=lambda d: _member(d).get("school_stage") in HIGHER_STAGES),
    Step("school", (), member=True,
         applies=lambda d: _member(d).get("school_stage") == "普通高中" and bool(d["schools"])),
    Step("disability_level", (("0", "没有残疾"), ("1", "一级"), ("2", "二级"), ("3", "三级"),
                              ("4", "四级"), (UNKNOWN, "不清楚")), member=True),
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


def new_draft(region: str, schools: tuple[str, ...]) -> Draft:
    """An empty questionnaire for a region (schools: those its documents name)."""
    return {"region": region, "schools": list(schools), "household": {}, "members": [],
            "step": STEPS[0].key, "history": [], "selected": []}


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


def answer(d: Draft, raw: str) -> bool:
    """Apply a button value (or 'done' for multi-select); False when it is not an option."""
    step = current(d)
    if step is None:
        return False
    if step.multi:
        return _answer_multi(d, step, raw)
    if raw not in dict(options(d, step)):
        return False
    d["history"].append(_snapshot(d))
    if step.key == "more":
        if raw == "yes":
            d["members"].append({})
            d["step"] = FIRST_MEMBER_STEP
        else:
            _advance(d, "more")
        return True
    _store(d, step, _convert(step, raw))
    _advance(d, step.key)
    return True


def _answer_multi(d: Draft, step: Step, raw: str) -> bool:
    selected: list[str] = d["selected"]
    if raw in ("none", UNKNOWN, "done"):
        d["history"].append(_snapshot(d))
        value = None if raw == UNKNOWN else ([] if raw == "none" else list(selected))
        if raw == "done" and not selected:
            d["history"].pop()
            return False
        _store(d, step, value)
        d["selected"] = []
        _advance(d, step.key)
        return True
    if raw not in dict(step.options):
        return False
    if raw in selected:
        selected.remove(raw)
    else:
        selected.append(raw)
    return True


def answer_text(d: Draft, text: str) -> bool:
    """A typed answer for steps that take one (age, income); False if it does not parse."""
    step = current(d)
    if step is None or step.parse is None:
        return False
    value = step.parse(text)
    if value is None:
        return False
    d["history"].append(_snapshot(d))
    _store(d, step, value)
    _advance(d, step.key)
    return True


def back(d: Draft) -> bool:
    """Undo the last answer; False when already at the first question."""
    if not d["history"]:
        return False
    previous = d["history"].pop()
    history = d["history"]
    d.clear()
    d.update(previous)
    d["history"] = history
    return True


def _snapshot(d: Draft) -> Draft:
    return copy.deepcopy({k: v for k, v in d.items() if k != "history"})


def to_profile(d: Draft) -> Profile:
    """The finished draft as the eligibility engine's Profile."""
    h = d["household"]
    members = [Member(**{k: v for k, v in m.items() if k in Member.model_fields})
               for m in d["members"]]
    return Profile(region=d["region"], area=h.get("area"), categories=h.get("categories"),
                   income_per_capita_yearly=h.get("income"), housing=h.get("housing"),
                   single_mother=h.get("single_mother"), relocated=h.get("relocated"),
                   members=members)
