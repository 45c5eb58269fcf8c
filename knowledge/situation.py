"""Read the asker's situation out of a question (初中, 住校, 农村, 一级残疾, 65岁 ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.profile import Member, Profile
from knowledge.text import normalize
from knowledge.vocabulary import (
    CATEGORY_WORDS,
    stage_of,
    stages_in,
    without_stages_not_entered,
)

_LEVELS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Someone who cannot be left alone (常年卧床得有人伺候, 需要长期照护): 重度残疾人护理补贴 asks it
_CARE = re.compile(r"长期照[护顾料]|有人(?:伺候|照顾|照护|看着|护理)|卧床|瘫痪|离不开人"
                   r"|生活不能自理")
_CHRONIC = re.compile(r"慢性病|慢病|高血压|糖尿病|常年吃药|长期吃药")
_MAJOR = re.compile(r"大病|重病|癌|白血病|尿毒症|先天性心脏病")
# 七十多了, 六十几岁: an age in words (the documents' limits are at 60 and above)
_AGE_WORDS = re.compile(r"([六七八九])十(多|几|来)?(?:岁|了)")
_TENS = {"六": 60, "七": 70, "八": 80, "九": 90}
_NOT_BEFORE = re.compile(r"(?:不是|没有|没得|没|不)$")  # 不是大病，就是高血压
_CATEGORY_CUES = [(re.compile(re.escape(w)), c) for w, c in CATEGORY_WORDS]


def _told(pattern: re.Pattern[str], text: str) -> bool:
    """The cue occurs, not negated just before it."""
    return any(not _NOT_BEFORE.search(text[max(0, m.start() - 2):m.start()])
               for m in pattern.finditer(text))


def _age_in_words(found: re.Match[str]) -> int:
    """七十 = 70; 七十多/几/来 = 71 (over the decade: past 60 is over 60)."""
    return _TENS[found.group(1)] + (1 if found.group(2) else 0)


def read_situation(question: str, region_id: str, schools: Iterable[str] = ()) -> Profile:
    """A partial profile: only what the question states; everything else stays unknown."""
    text = normalize(question)
    staged = without_stages_not_entered(text)  # 没考上高中，想读中职: the pupil's stage is 中职
    stage = stage_of(staged)
    boarding: bool | None = None
    if any(w in text for w in ("不住校", "走读", "非寄宿", "不寄宿", "不住宿")):
        boarding = False
    elif any(w in text for w in ("住校", "寄宿", "住宿")):
        boarding = True
    level = re.search(r"([一二三四1-4])级", text)
    age = re.search(r"(\d{1,3})(?:周?岁)", text)
    aged = _AGE_WORDS.search(text)
    mental = None
    if "精神" in text:
        mental = "inpatient" if "住院" in text else "home" if "在家" in text else None
    member = Member(
        age=int(age.group(1)) if age and int(age.group(1)) <= 120 else (
            _age_in_words(aged) if aged else None),
        school_stage=stage,  # type: ignore[arg-type]
        boarding=boarding,
        new_entrant=True if any(w in staged for w in ("新生", "考上", "考入", "刚考")) else None,
        school=next((s for s in schools if s in text), None),
        disability_level=_LEVELS[level.group(1)] if level and "残" in text else None,
        mental_illness=mental,  # type: ignore[arg-type]
        needs_long_term_care=True if _told(_CARE, text) else None,
        chronic_disease=True if _told(_CHRONIC, text) else None,
        major_illness=True if _told(_MAJOR, text) else None,
    )
    area = "rural" if any(w in text for w in ("农村", "村里", "乡下")) else (
        "urban" if any(w in text for w in ("城市", "城里", "城镇", "市区", "县城")) else None)
    members = [member]
    for other in stages_in(staged):  # 两个孩子一个上小学一个上初中: one member per stage
        if other != stage:
            members.append(member.model_copy(update={"school_stage": other}))
    # (不是建档立卡户: a category the household says it is not is no category of its)
    cats = list(dict.fromkeys(c for cue, c in _CATEGORY_CUES if _told(cue, text)))
    if "低保边缘户" in cats and "低保户" in cats and "低保边缘" in text and text.count("低保") == 1:
        cats.remove("低保户")
    return Profile(region_id=region_id, area=area, categories=cats or None,  # type: ignore[arg-type]
                   members=members)
