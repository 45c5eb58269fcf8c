"""Why a household profile was refused, in Chinese, with the field's path and, for a
misspelt field, the closest real one (`chronic_illness` -> `chronic_disease`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from knowledge.profile import MAX_AGE, MAX_MEMBERS, Member, Profile

# Every field a profile file may hold, with what it means (README lists the same).
HOUSEHOLD_FIELDS: dict[str, str] = {
    "region": "所在地区（名称或简称，如 清河区、斗门）",
    "area": "农村 rural 或城镇 urban",
    "categories": "家庭类别列表（低保户、低保边缘户、特困供养、建档立卡贫困户、低收入户、孤儿、"
                  "困难家庭；[] 表示都不是）",
    "income_per_capita_yearly": "家庭年人均收入（元）",
    "housing": "住房：危房C级、危房D级、无房、住房困难 或 安全",
    "single_mother": "是否单亲母亲家庭 true/false",
    "relocated": "是否易地扶贫搬迁户 true/false",
    "members": f"家庭成员列表（最多{MAX_MEMBERS}人）",
}
MEMBER_FIELDS: dict[str, str] = {
    "label": "称呼（可选，如 老大）",
    "age": f"周岁年龄（0–{MAX_AGE}的整数）",
    "school_stage": "上学阶段：学前、小学、初中、普通高中、中职、专科、本科、研究生 或 不上学",
    "boarding": "是否住校 true/false",
    "new_entrant": "是否今年新考入 true/false",
    "school": "就读学校名称",
    "disability_level": "残疾等级 0–4（0 表示没有残疾）",
    "needs_long_term_care": "是否需要长期照护 true/false",
    "chronic_disease": "是否有慢性病 true/false",
    "major_illness": "是否有重大疾病 true/false",
    "mental_illness": "精神疾病：inpatient 住院治疗、home 在家治疗、none 没有",
}
assert set(MEMBER_FIELDS) == set(Member.model_fields)
assert set(HOUSEHOLD_FIELDS) == set(Profile.model_fields) - {"region_id"} | {"region"}

_MESSAGES = {
    "missing": "缺少这一项",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能有小数）",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "string_type": "应为文字（加引号）",
    "list_type": "应为列表 [...]",
    "model_type": "应为对象 {...}",
    "dict_type": "应为对象 {...}",
    "model_attributes_type": "应为对象 {...}",
    "string_pattern_mismatch": "格式不对",
}


def _path(loc: Sequence[int | str]) -> str:
    """("members", 0, "age") -> members[0].age"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（整个档案）"


def _allowed_here(loc: Sequence[int | str]) -> Iterable[str]:
    return MEMBER_FIELDS if len(loc) >= 2 and loc[0] == "members" else HOUSEHOLD_FIELDS


def _expected(text: str) -> list[str]:
    """pydantic's "'rural' or 'urban'" -> ["rural", "urban"]."""
    return [v.strip(" '") for v in text.replace(" or ", ", ").split(",") if v.strip(" '")]


def _reason(error: Any) -> str:
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    if kind == "extra_forbidden":
        allowed = list(_allowed_here(loc))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
        hint = f"，您是不是想写 {close[0]}？" if close else ""
        return f"没有这一项{hint}（可用：{'、'.join(allowed)}）"
    if kind == "value_error" and "bool_as_number" in error["msg"]:
        return "应为数字，不能写 true/false"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    if kind == "literal_error":
        return "只能是：" + "、".join(_expected(str(ctx.get("expected", ""))))
    if kind in ("too_long", "string_too_long"):
        return f"太长了（最多 {ctx.get('max_length')}）"
    return _MESSAGES.get(kind, error["msg"])


_UNION_TAG = re.compile(r"^(?:literal\[.*\]|bool|str|int|float)$")


def _field_path(error: Any) -> list[int | str]:
    """The fields of an error's location, without pydantic's union tags (literal[...], bool);
    a key the user wrote (the last part of an extra_forbidden error) is always kept."""
    loc = list(error["loc"])
    keep_last = error["type"] == "extra_forbidden" and loc
    tail = [loc.pop()] if keep_last else []
    fields = [p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p))] + tail
    return ["region" if p == "region_id" else p for p in fields]


def describe(exc: ValidationError) -> list[str]:
    """One line per problem: `members[0].age: 不能大于 120`; for a union (school_stage,
    mental_illness) only the first alternative's complaint, so the line stays readable."""
    lines: dict[str, str] = {}
    choices: dict[str, list[str]] = {}  # a union of literals: every alternative's values
    for error in exc.errors():
        loc = _field_path(error)
        path = _path(loc)
        if error["type"] == "literal_error":
            choices.setdefault(path, []).extend(_expected(str(error["ctx"]["expected"])))
            lines[path] = f"{path}: 只能是：{'、'.join(dict.fromkeys(choices[path]))}"
            continue
        if error["type"] == "missing" and path == "region":
            lines.setdefault(path, f"{path}: 缺少这一项（{HOUSEHOLD_FIELDS['region']}）")
        lines.setdefault(path, f"{path}: {_reason({**error, 'loc': loc})}")
    return list(lines.values())
