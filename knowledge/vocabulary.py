"""The one vocabulary of household facts: categories, school stages, housing states, and the
words people use for them. The knowledge schema, the household profile, the question reader,
the /check questionnaire and the roster import all read it from here.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Category = Literal[
    "低保户", "低保边缘户", "特困供养", "建档立卡贫困户", "低收入户", "孤儿", "困难家庭"
]
CATEGORIES: tuple[str, ...] = get_args(Category)

SchoolStage = Literal["学前", "小学", "初中", "普通高中", "中职", "专科", "本科", "研究生"]
SCHOOL_STAGES: tuple[str, ...] = get_args(SchoolStage)
NOT_IN_SCHOOL = "不上学"
BOARDING_STAGES = ("小学", "初中", "普通高中", "中职")  # where 住校/走读 decides a subsidy
HIGHER_STAGES = ("专科", "本科", "研究生")  # where 新考入 decides a subsidy

Housing = Literal["危房C级", "危房D级", "无房", "住房困难"]  # what a condition can require
HOUSING: tuple[str, ...] = get_args(Housing)
SAFE_HOUSING = "安全"
HousingState = Literal["危房C级", "危房D级", "无房", "住房困难", "安全"]  # what a household has

MentalCare = Literal["inpatient", "home"]  # how a mental illness is treated
MentalState = Literal["inpatient", "home", "none"]

# Words for a category, as residents, caseworkers and the national system write them. Longer
# words first: 低保边缘 must win over 低保.
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("低保边缘户", "低保边缘户"), ("低保边缘", "低保边缘户"), ("低保户", "低保户"),
    ("低保", "低保户"), ("五保户", "特困供养"), ("五保", "特困供养"),
    ("特困供养", "特困供养"), ("特困人员", "特困供养"), ("特困", "特困供养"),
    ("建档立卡贫困户", "建档立卡贫困户"), ("建档立卡", "建档立卡贫困户"),
    ("贫困户", "建档立卡贫困户"), ("低收入户", "低收入户"), ("低收入", "低收入户"),
    ("孤儿", "孤儿"), ("困难家庭", "困难家庭"),
)
CATEGORY_ALIASES: dict[str, str] = dict(CATEGORY_WORDS)  # a whole word -> its category

# Words that name a school stage, most specific stage first (研究生 before 本科 ...).
STAGE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("研究生", ("研究生", "读研", "硕士", "博士")),
    ("本科", ("本科",)),
    ("专科", ("专科", "大专", "高职")),
    ("中职", ("中职", "中专", "技校", "职高", "职专", "技工", "职业学校", "中等职业")),
    ("普通高中", ("普通高中", "高中", "普高", "高一", "高二", "高三")),
    ("初中", ("初中", "初一", "初二", "初三", "中学")),
    ("小学", ("小学", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级")),
    ("学前", ("学前", "幼儿园", "幼稚园", "入园", "上园")),
)


def category_of(word: str) -> str | None:
    """The category a whole word names (低保 -> 低保户, 五保户 -> 特困供养), or None."""
    word = word.strip()
    return word if word in CATEGORIES else CATEGORY_ALIASES.get(word)


# Categories no household is in two of at once: 低保 and 特困供养 are separate assistance (a
# person is supported by one of them), and a 低保边缘户 is by definition not in 低保. The others
# overlap (a 建档立卡贫困户 is often in 低保 too; 低收入户 and 困难家庭 cover all of them).
EXCLUSIVE_CATEGORIES = frozenset({"低保户", "特困供养", "低保边缘户"})
# (not 特困难, Northeastern "very hard up": 家里特困难)
_CATEGORY_RE = re.compile("|".join(re.escape(w) + ("(?!难)" if w == "特困" else "")
                                   for w, _ in CATEGORY_WORDS))


def categories_named(text: str) -> frozenset[str]:
    """The household categories a text names (家里低保: 低保户), longest word first."""
    return frozenset(CATEGORY_ALIASES[w] for w in _CATEGORY_RE.findall(text))


# 大学 names no single school stage: it is 本科 or 专科 (STAGE_WORDS has neither word)
COLLEGE_WORDS = ("大学", "高校", "大专")


def _first_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stage) of the first mention of each stage, in the order of the text."""
    found = []
    for stage, words in STAGE_WORDS:
        at = [(text.find(w), text.find(w) + len(w)) for w in words if w in text]
        if at:
            found.append((*min(at), stage))
    return sorted(found)


def stages_in(text: str) -> list[str]:
    """Every school stage a text mentions, in the order of the text (一个上小学一个上初中)."""
    return [stage for _, _, stage in _first_mentions(text)]


RANGE_GAP = 6  # characters between two stages joined by 到: 从幼儿园一直到大学


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """Like _first_mentions, with 大学 as both 本科 and 专科."""
    found = _first_mentions(text)
    for w in COLLEGE_WORDS:
        if w in text:
            found += [(text.find(w), text.find(w) + len(w), s) for s in ("专科", "本科")]
            break
    return sorted(found)


def stages_named(text: str) -> frozenset[str]:
    """Every school stage a text names, 读大学 naming both 本科 and 专科, and every stage
    between two joined by 到 (从幼儿园到大学: 学前 up to 本科)."""
    mentions = _mentions(text)
    found = {stage for _, _, stage in mentions}
    if len(mentions) >= 2:
        first, last = mentions[0], mentions[-1]
        between = text[first[1]:last[0]]
        if len(between) <= RANGE_GAP and ("到" in between or "至" in between):
            ranks = [SCHOOL_STAGES.index(s) for s in found]
            # (研究生 only when named: 到大学 ends at 本科)
            found |= set(SCHOOL_STAGES[min(ranks):max(ranks) + 1]) - {"研究生"}
    return frozenset(found)


# a stage the pupil does not go to (没考上普通高中 想去读中专, 不读高中了): no stage of theirs
_STAGES_ENTERED = r"(?:普通|重点)?(?:小学|初中|中学|高中|中职|中专|大学|本科|专科)"
_NOT_ENTERED = re.compile(r"(?<![读上考念])(?:没有|没|未|不)(?:考上|考取|考|上|读|念)"
                          + _STAGES_ENTERED  # (not 读不读高中, which asks either way)
                          + r"|" + _STAGES_ENTERED + r"(?:没有|没|未)(?:考上|考取)")  # 高中没考上


def without_stages_not_entered(text: str) -> str:
    """The text without the stages it says the pupil does not go to (没考上高中)."""
    return _NOT_ENTERED.sub("", text)


def stage_of(text: str) -> str | None:
    """The school stage a text mentions (读初二 -> 初中), or None."""
    return next((stage for stage, words in STAGE_WORDS if any(w in text for w in words)), None)
