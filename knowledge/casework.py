"""The words of casework: visit types, aid topics of needs found, and the changes a visit
can record (each one a household or member field of the roster, with its options)."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.vocabulary import CATEGORIES, HOUSING, NOT_IN_SCHOOL, SAFE_HOUSING

VISIT_KINDS = ("入户走访", "电话回访", "危房鉴定", "政策宣讲", "帮扶措施落实", "其他")
NEED_TOPICS = ("教育", "医疗", "兜底", "住房", "就业", "产业", "金融", "养老", "残疾",
               "妇女儿童")
HEALTH_STATES = ("健康", "长期慢性病", "患有大病")


@dataclass(frozen=True)
class Change:
    """One kind of change a visit can find: which field, of whom, and its options."""

    key: str
    label: str
    member: bool  # True: asks which member
    options: tuple[tuple[str, str], ...]  # (value, label)
    multi: bool = False  # the options toggle (家庭类别)


# School: the stage and, where it decides a subsidy, boarding, in one press.
_SCHOOL = tuple((v, v) for v in ("学前", "小学走读", "小学住校", "初中走读", "初中住校",
                                 "普通高中走读", "普通高中住校", "中职走读", "中职住校",
                                 "专科", "本科", "研究生")) + ((NOT_IN_SCHOOL, "不上学了"),)
CHANGES: tuple[Change, ...] = (
    Change("school", "🎒 上学/升学", True, _SCHOOL),
    Change("health", "🏥 患病/康复", True, tuple((h, h) for h in HEALTH_STATES)),
    Change("disability", "♿ 残疾等级", True, (("0", "没有残疾"), ("1", "一级"), ("2", "二级"),
                                               ("3", "三级"), ("4", "四级"))),
    Change("housing", "🏠 住房情况", False, tuple((h, h) for h in HOUSING)
           + ((SAFE_HOUSING, "住房安全"),)),
    Change("categories", "📋 家庭类别", False, tuple((c, c) for c in CATEGORIES), multi=True),
)
BY_KEY = {c.key: c for c in CHANGES}


def member_fields(change: str, value: str) -> dict[str, object]:
    """The member fields a change sets (初中住校 -> school_stage 初中, boarding True)."""
    if change == "school":
        for stage in ("小学", "初中", "普通高中", "中职"):
            if value.startswith(stage):
                return {"school_stage": stage, "boarding": value.endswith("住校")}
        return {"school_stage": value, "boarding": None if value != NOT_IN_SCHOOL else False}
    if change == "health":
        return {"health": value}
    if change == "disability":
        level = int(value)
        return {"disability_level": level, **({"health": "残疾"} if level else {})}
    raise KeyError(change)


def household_fields(change: str, value: object) -> dict[str, object]:
    """The household fields a change sets."""
    if change == "housing":
        return {"housing": value}
    if change == "categories":
        return {"categories": list(value) if isinstance(value, list) else []}
    raise KeyError(change)
