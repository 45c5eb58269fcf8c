"""List replies: every item for the group, stage or topic a "what is there for X" question names.

"残疾人都有哪些帮扶", "读高中有什么资助", "看病方面有哪些优惠": the answer is each item of the
asker's region and its ancestors that fits every facet the question names (the group of people,
the school stage, the topic), ranked by the matcher, not a choice of three.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.groups import groups_in_question, groups_of
from knowledge.loader import Entry
from knowledge.matcher import Match, Matcher
from knowledge.schema import Kind
from knowledge.situation import stages_in
from knowledge.vocabulary import STAGE_WORDS

LIST_POOL = 40  # candidates considered
LIST_MAX = 10  # items shown; the rest are counted ("还有 N 项")
LIST_RATIO = 0.45  # an item scoring under this share of the best one is not about the subject
LIST_FLOOR = 0.12  # nor one under this absolute score: the facets, not the score, select
# 大学 names no single school stage: it is 本科 and 专科 (vocabulary.STAGE_WORDS has neither)
COLLEGE_WORDS = ("大学", "高校", "大专")
# Topics a list question can name, and the words that name them.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "教育": ("上学", "读书", "念书", "教育", "学生", "学费", "助学", "资助", "读", "大学"),
    "医疗": ("看病", "医疗", "住院", "医保", "报销", "治病", "生病", "大病", "慢性病", "医药"),
    "住房": ("住房", "房子", "危房", "盖房", "修房", "房屋"),
    "就业": ("就业", "工作", "打工", "找活", "务工", "上班", "岗位", "培训"),
    "养老": ("养老",),
    "产业": ("产业", "种地", "种植", "养殖", "农业"),
    "金融": ("贷款", "信贷", "金融"),
}
LIST_KINDS = (Kind.ENTITLEMENT, Kind.STANDARD)  # what residents get; counts and dates are asked


@dataclass(frozen=True)
class Listing:
    """The items of a list reply and how many more fit."""

    matches: tuple[Match, ...]
    more: int


def _stage_words(stage: str) -> tuple[str, ...]:
    return next((words for s, words in STAGE_WORDS if s == stage), ()) + (stage,)


def _fits(entry: Entry, groups: frozenset[str], stages: list[str], topics: set[str]) -> bool:
    """The item fits every facet the question names."""
    item = entry.item
    text = item.title + " ".join(item.aliases) + (item.who or "")
    limited = groups_of(entry)
    if groups and limited.isdisjoint(groups) and not any(g in text for g in groups):
        return False
    if groups_of(entry, apart_only=True) - groups:
        return False  # 残疾学生学前资助 is not in the list for any pupil
    if stages and not any(w in text for s in stages for w in _stage_words(s)):
        return False
    return not topics or item.topic in topics


def listing(subject: str, *, region: str, matcher: Matcher) -> Listing:
    """The items a list question asks for (possibly none or one)."""
    groups = groups_in_question(subject)
    stages = stages_in(subject)
    if any(w in subject for w in COLLEGE_WORDS):
        stages += [s for s in ("本科", "专科") if s not in stages]
    topics = {t for t, words in TOPIC_WORDS.items() if any(w in subject for w in words)}
    if stages:
        topics.add("教育")
    if not (groups or stages or topics):
        return Listing((), 0)  # 都有啥帮扶 with no subject: the single-answer path asks back
    ranked = [m for m in matcher.match(subject, region=region, limit=LIST_POOL)
              if m.worded and m.entry.item.kind in LIST_KINDS]
    if not ranked and (groups or stages):
        return Listing((), 0)
    if not (groups or stages):  # 住房方面有啥帮扶: the topic alone selects, best scores first
        scores = {m.entry.id: m for m in ranked}
        fitting = sorted((scores.get(e.id) or Match(e, 0.0)
                          for e in matcher.kb.entries_for(region)
                          if e.item.kind in LIST_KINDS and _fits(e, groups, stages, topics)),
                         key=lambda m: -m.score)
        return Listing(tuple(fitting[:LIST_MAX]), max(0, len(fitting) - LIST_MAX))
    floor = max(LIST_FLOOR, LIST_RATIO * ranked[0].score)
    fitting = [m for m in ranked if m.score >= floor and _fits(m.entry, groups, stages, topics)]
    return Listing(tuple(fitting[:LIST_MAX]), max(0, len(fitting) - LIST_MAX))
