"""Read the asker's situation out of a question (初中, 住校, 农村, 一级残疾, 65岁 ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.profile import Member, Profile
from knowledge.text import normalize

_STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("研究生", ("研究生", "读研", "硕士", "博士")),
    ("本科", ("本科",)),
    ("专科", ("专科", "大专", "高职")),
    ("中职", ("中职", "中专", "技校", "职高", "技工", "职业学校")),
    ("普通高中", ("高中", "高一", "高二", "高三")),
    ("初中", ("初中", "初一", "初二", "初三", "中学")),
    ("小学", ("小学", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级")),
    ("学前", ("学前", "幼儿园", "入园", "上园")),
)
_LEVELS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CATEGORIES = (("低保边缘", "低保边缘户"), ("低保", "低保户"), ("五保", "特困供养"),
               ("特困", "特困供养"), ("建档立卡", "建档立卡贫困户"), ("贫困户", "建档立卡贫困户"),
               ("低收入", "低收入户"), ("孤儿", "孤儿"), ("困难家庭", "困难家庭"))


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    return next((value for value, words in table if any(w in text for w in words)), None)


def read_situation(question: str, region: str, schools: Iterable[str] = ()) -> Profile:
    """A partial profile: only what the question states; everything else stays unknown."""
    text = normalize(question)
    stage = _first(text, _STAGES)
    boarding: bool | None = None
    if any(w in text for w in ("不住校", "走读", "非寄宿", "不寄宿", "不住宿")):
        boarding = False
    elif any(w in text for w in ("住校", "寄宿", "住宿")):
        boarding = True
    level = re.search(r"([一二三四1-4])级", text)
    age = re.search(r"(\d{1,3})(?:周?岁)", text)
    mental = None
    if "精神" in text:
        mental = "inpatient" if "住院" in text else "home" if "在家" in text else None
    member = Member(
        age=int(age.group(1)) if age and int(age.group(1)) <= 120 else None,
        school_stage=stage,  # type: ignore[arg-type]
        boarding=boarding,
        new_entrant=True if any(w in text for w in ("新生", "考上", "考入", "刚考")) else None,
        school=next((s for s in schools if s in text), None),
        disability_level=_LEVELS[level.group(1)] if level and "残" in text else None,
        mental_illness=mental,  # type: ignore[arg-type]
    )
    area = "rural" if any(w in text for w in ("农村", "村里", "乡下")) else (
        "urban" if any(w in text for w in ("城市", "城里", "城镇", "市区", "县城")) else None)
    cats = [c for w, c in _CATEGORIES if w in text]
    if "低保边缘户" in cats and "低保户" in cats and "低保边缘" in text and text.count("低保") == 1:
        cats.remove("低保户")
    return Profile(region=region, area=area, categories=cats or None,  # type: ignore[arg-type]
                   members=[member])
