"""List replies: every item for the group, stage or topic a "what is there for X" question names.

"残疾人都有哪些帮扶", "读高中有什么资助", "看病方面有哪些优惠": the answer is each item of the
asker's region and its ancestors that fits every facet the question names (the group of people,
the school stage, the topic), ranked by the matcher, not a choice of three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from knowledge.groups import SUBJECT_TOPICS, TOPIC_WORDS, groups_in_question, groups_of
from knowledge.intent import asks_list, kinds_asked
from knowledge.loader import Entry
from knowledge.matcher import Match, Matcher
from knowledge.schema import Kind, walk
from knowledge.text import compact
from knowledge.vocabulary import STAGE_WORDS, stages_named, without_stages_not_entered

LIST_POOL = 40  # candidates considered
LIST_MAX = 10  # items shown; the rest are counted ("还有 N 项")
LIST_RATIO = 0.3  # an item scoring under this share of the best one is not about the subject
LIST_FLOOR = 0.08  # nor one under this absolute score: the facets, not the score, select
# Household categories a list question can name (特困人员都有啥待遇), and the words an item
# uses for them (in its title, aliases, who or summary).
CATEGORY_FACETS: dict[str, tuple[str, ...]] = {
    "低保": ("低保",), "特困": ("特困", "五保"), "五保": ("特困", "五保"),
    "低保边缘": ("低保边缘",), "孤儿": ("孤儿",),
}
# ... and words that contain one without naming it: 单亲特困母亲 are no 特困人员 (五保)
_NOT_A_CATEGORY = re.compile(r"单亲特困(?:母亲|妈妈)|特困(?:女)?职工")
# Words for the programmes' whole target population (nearly every item is for them): they make
# a list question (贫困户都有啥政策) but select nothing; the ranking does.
EVERYONE = ("贫困户", "建档立卡", "低收入", "困难家庭", "困难户")
# ... and a household saying it is of that population (家里是低保户也是建档立卡户)
_CLAIMED = re.compile(r"(?<!不)(?:是|属于|系)(?:" + "|".join(EVERYONE) + ")")
_FINISHED = re.compile(r"(小学|初中|中学|高中|中职|中专|大学|本科|专科)毕业")

SCHOOLS = ("小学", "初中", "中学", "高中")  # finished one of these: going on to the next
MODES = ("报销",)  # a topic word that can say how something is given (免费的或者能报销的)
GRADUATES = "毕业生"
NOT_GOING_ON = ("没考上", "未升学", "落榜", "不读了", "不上了")
FRESHMEN = "新生"  # the group of those just admitted (考上大学)
STUDYING = ("在读", "在校")  # ... and the words for those already studying
INCLUDING = ("包括", "包含", "连同")
ASPECT = "方面"  # 看病方面, 养老医保低保这些方面: what comes before it are subjects
SAFETY_NET_TOPIC = "兜底"  # the topic of 低保 and 特困 items
SOCIAL_TOPIC = "社会帮扶"  # the topic (and the documents' section name) of what society does
SOCIAL_FORCES = ("工会", "团委", "共青团", "社会方面")  # ... and who does it
LIST_KINDS = (Kind.ENTITLEMENT, Kind.STANDARD)  # what residents get; counts and dates are asked
ASKED_KINDS = frozenset({Kind.FIGURE, Kind.DEADLINE})  # ... and listed when the question asks
MILESTONES = "节点"  # 时间节点: the dated steps of a measure
# 计划 and 任务 ask for a figure elsewhere (今年的任务是多少户), but 有哪些培训计划 lists the
# courses: they do not make a list of figures only
_PLANS = re.compile(r"计划|任务(?!数)")


_CLAUSE_BREAK = re.compile(r"[\s，,。！!？?；;]+")
_WEAK_TOPIC_WORDS = ("资助", "读")  # any aid, any schooling: no subject of their own


@dataclass(frozen=True)
class Listing:
    """The items of a list reply and how many more fit."""

    matches: tuple[Match, ...]
    more: int


def _stage_words(stage: str) -> tuple[str, ...]:
    compulsory = ("义务教育",) if stage in ("小学", "初中") else ()
    return next((words for s, words in STAGE_WORDS if s == stage), ()) + (stage, *compulsory)


def _fits(entry: Entry, groups: frozenset[str], stages: list[str], topics: set[str],
          categories: tuple[str, ...] = (), helpers: frozenset[str] = frozenset(),
          everyone: bool = False) -> bool:
    """The item fits every facet the question names; `helpers` are groups named as who helps
    (工会团委这些社会上搞的助学活动): their items are not kept apart, nor asked for alone;
    `everyone`: the household is also said to be of the whole target population (低保户也是
    建档立卡户), so its items count besides the category's."""
    item = entry.item
    text = item.title + " ".join(item.aliases) + (item.who or "")
    said = _NOT_A_CATEGORY.sub("", text + item.summary)
    named = any(w in said for c in categories for w in CATEGORY_FACETS[c])
    if groups and groups_of(entry).isdisjoint(groups) and not any(g in text for g in groups) \
            and not (named and item.topic == SAFETY_NET_TOPIC):
        return False  # not about the group asked for (特困老人: the 特困 support is theirs)
    if categories and not named and (groups or everyone) and any(w in text for w in EVERYONE) \
            and not _NOT_A_CATEGORY.search(text + item.summary):
        named = True  # 低保户家里有残疾人: the disabled of the whole 低收入 population count too
    if categories and not named:
        return False  # 特困人员都有啥待遇: only items that name 特困
    apart = groups_of(entry, apart_only=True)
    if apart and apart.isdisjoint(groups | helpers) and not named:
        return False  # 残疾学生学前资助 is not in the list for any pupil (but is for 低保户)
    if stages and not _has_stage(entry, stages, text):
        return False
    # 残疾人就业有哪些扶持: 残疾 items on work (topic 残疾) name 就业 in their own words
    return not topics or item.topic in topics or any(
        w in text for t in topics for w in TOPIC_WORDS[t])


def _has_stage(entry: Entry, stages: list[str], text: str) -> bool:
    """The item is for one of the stages: its conditions say so, or (when they name no stage)
    its words do. 中职 grants for 一、二年级 students are not for 小学."""
    roots = [entry.item.eligibility, *(a.when for a in entry.item.amounts)]
    named = {s for r in roots for c in walk(r) if c.member and c.member.school_stage
             for s in c.member.school_stage}
    if named:
        return not named.isdisjoint(stages)
    return any(w in text for s in stages for w in _stage_words(s))


def listing(subject: str, *, region: str, matcher: Matcher) -> Listing:
    """The items a list question asks for (possibly none or one)."""
    social = _social_listing(subject, region, matcher)
    if social is not None:
        return social
    groups = groups_in_question(without_stages_not_entered(subject))  # (没考上高中: no freshman)
    household = _household(subject, matcher)
    found = _listing(subject, region, matcher, groups, household)
    staged = bool(stages_named(without_stages_not_entered(subject)))
    # (the household's category, when a school stage is asked about and nothing is for both:
    # 家里低保，孩子在读中职 — no 中职 item names 低保)
    by_category = not groups and staged and bool(household.categories)
    if not found.matches and (groups or by_category) and _names_what(subject):
        # 我和老伴都七十多了 … 住房上都有啥帮扶: no housing item is for the elderly; the group
        # (or the category) says who is asking, the topic is what they ask about
        again = _listing(subject, region, matcher, frozenset(),
                         replace(household, categories=()) if by_category else household,
                         topic_only=True)
        if len(again.matches) > 1 or (by_category and again.matches):
            return again  # (the category's items are no answer to the stage asked about)
        if again.matches and staged and groups:
            # 单亲妈妈，儿子读小学，有什么可以领: no item is for both; the group's items and
            # the stage's are the household's
            theirs = _listing(subject, region, matcher, groups, household, stageless=True)
            seen = {m.entry.id for m in theirs.matches}
            both = (*theirs.matches, *(m for m in again.matches if m.entry.id not in seen))
            if theirs.matches:
                return Listing(both[:LIST_MAX], max(0, len(both) - LIST_MAX))
    return found


def _social_listing(subject: str, region: str, matcher: Matcher) -> Listing | None:
    """What social forces do on a subject (工会团委这些社会上搞的助学活动都有哪些): the items of
    the region's documents' 社会帮扶 sections on that subject (工会金秋助学, 中学“五年资助行动”,
    希望工程“圆梦大学”行动 are 教育 items there), not every 教育 item nor only the union's;
    None when the question names no social force or no subject."""
    if not any(w in subject for w in (*TOPIC_WORDS[SOCIAL_TOPIC], *SOCIAL_FORCES)):
        return None
    subjects = {t for t in SUBJECT_TOPICS if any(w in subject for w in TOPIC_WORDS[t])}
    if not subjects:
        return None
    names = matcher.kb.section_names
    helpers = groups_in_question(subject)  # 工会 here says who helps: its items stay in
    scores = {m.entry.id: m for m in matcher.match(subject, region=region, limit=LIST_POOL)}
    fitting = sorted((scores.get(e.id) or Match(e, 0.0) for e in matcher.kb.entries_for(region)
                      if SOCIAL_TOPIC in names.get((e.document.id, e.item.source.section), ())
                      and e.item.kind in LIST_KINDS
                      and _fits(e, frozenset(), [], subjects, helpers=helpers)),
                     key=lambda m: -m.score)
    if len(fitting) < 2:
        return None
    return Listing(tuple(fitting[:LIST_MAX]), max(0, len(fitting) - LIST_MAX))


def _categories(subject: str) -> tuple[str, ...]:
    """The household categories the question names (低保, 特困 …)."""
    return tuple(c for c in CATEGORY_FACETS if c in _NOT_A_CATEGORY.sub("", subject))


_HEARSAY = re.compile(r"听说|据说|听人说|听别人说|听人讲|好像说")


@dataclass(frozen=True)
class _Household:
    """What a list question says the household is, read once per question."""

    categories: tuple[str, ...]  # claimed: not denied (不是特困户) nor heard of (听说低保户…)
    everyone: bool  # of the whole target population too (低保户也是建档立卡户; not 不是…)


def _household(subject: str, matcher: Matcher) -> _Household:
    said = "".join(c for c in _CLAUSE_BREAK.split(subject) if not _HEARSAY.search(c))
    return _Household(_categories(matcher.negated(compact(said))[0]),
                      _CLAIMED.search(matcher.negated(compact(subject))[0]) is not None)


def _names_what(subject: str) -> bool:
    """The list question's asking clause names no group but a subject (住房上都有啥帮扶), or
    the question names a school stage: then a group named elsewhere says who asks. (有啥资助
    or 能享受啥 names nothing: 单亲妈妈…有咩资助 asks what there is for single mothers.)"""
    asking = [c for c in _CLAUSE_BREAK.split(subject) if asks_list(c)]
    if not asking or groups_in_question(asking[-1]):
        return False
    if stages_named(subject):
        return True
    return any(w in asking[-1] and w not in _WEAK_TOPIC_WORDS
               for t in SUBJECT_TOPICS for w in TOPIC_WORDS[t])


def _listing(subject: str, region: str, matcher: Matcher, groups: frozenset[str],
             household: _Household, topic_only: bool = False,
             stageless: bool = False) -> Listing:
    asked = kinds_asked(subject) & ASKED_KINDS
    if MILESTONES in subject:  # 入住率分几个节点: the dates are listed, whatever else is asked
        asked |= {Kind.DEADLINE}
    if Kind.FIGURE in kinds_asked(_PLANS.sub("", subject)):
        # 医疗这块有哪些目标, 就业的几个百分比指标: the figures of the subject are the list, when
        # it has two or more; the subject's entitlements only when it has fewer
        figures = _kind_listing(subject, region, matcher, groups, household, topic_only,
                                (Kind.FIGURE,), stageless)
        if len(figures.matches) > 1:
            return figures
    # 住房改造的时间节点有哪些, 人居环境的量化指标都有哪些: the targets and dates are the list
    return _kind_listing(subject, region, matcher, groups, household, topic_only,
                         (*LIST_KINDS, *sorted(asked)), stageless)


def _kind_listing(subject: str, region: str, matcher: Matcher, groups: frozenset[str],
                  household: _Household, topic_only: bool, kinds: tuple[Kind, ...],
                  stageless: bool = False) -> Listing:
    finished = {found.group(1) for found in _FINISHED.finditer(subject)}
    if (GRADUATES in groups and not finished.isdisjoint(SCHOOLS)
            and not any(w in subject for w in NOT_GOING_ON)):
        groups -= {GRADUATES}  # 初中毕业了上高中: a pupil going on, not a graduate seeking work
    if FRESHMEN in groups and any(w in subject for w in STUDYING):
        groups -= {FRESHMEN}  # 从入学到在读都有哪些补助: the students already there too
    # 残疾人都有哪些补贴，包括残疾小孩上幼儿园: the stage widens the list, it does not narrow it
    # 初中毕业了，上高中或者中职: the stage finished is not asked about
    stages = [] if stageless or any(w in subject for w in INCLUDING) else sorted(
        stages_named(without_stages_not_entered(_FINISHED.sub("", subject))))
    groups_named = bool(groups)
    # a topic that only says who (妇女儿童 from 妇女) does not narrow a list for named groups:
    # 留守的老人、孩子、妇女有啥关爱 keeps the care for left-behind elderly (topic 养老)
    # (养老医保这些方面: a topic named as an aspect is a subject, whoever else is named)
    # (准备要孩子，有哪些免费的或者能报销的: for a named group 报销 is how, not what, is given)
    topics = {t for t, words in TOPIC_WORDS.items()
              if any(w in subject for w in words if not (groups_named and w in MODES))
              and (t in SUBJECT_TOPICS or not groups_named or ASPECT in subject)}
    if stageless:
        topics = set()  # (the group's items, whatever the words of the stage: 读 is 教育's)
    # (唔系低保户，个仔读高中: a category denied or heard of selects nothing)
    categories = household.categories
    if categories and topics and ASPECT in subject:
        # 养老医保低保这些方面都有啥: 低保 is one of the subjects listed, not who asks
        topics.add(SAFETY_NET_TOPIC)
        categories = ()
    if stages:
        topics.add("教育")
    if topic_only and not topics:
        return Listing((), 0)
    if not (groups or stages or topics or categories or any(w in subject for w in EVERYONE)):
        return Listing((), 0)  # 都有啥帮扶 with no subject: the single-answer path asks back
    # 没住校的小学生: no boarding subsidy in the list; 住校的初中生: no 非寄宿 subsidy
    negated = matcher.ruled_out(subject) | matcher.opposites(subject)
    ranked = [m for m in matcher.match(subject, region=region, limit=LIST_POOL)
              if m.worded and m.entry.item.kind in kinds and m.entry.id not in negated]
    if not ranked and (groups or stages or categories):
        return Listing((), 0)
    if not (stages or categories) and not (groups and topics):
        # 住房方面有啥帮扶: the topic alone selects, best scores first; 三留守人员有哪些关爱:
        # so does a group alone (every item for it, not only those sharing the question's words)
        scores = {m.entry.id: m for m in ranked}
        fitting = sorted((scores.get(e.id) or Match(e, 0.0)
                          for e in matcher.kb.entries_for(region)
                          if e.item.kind in kinds and e.id not in negated
                          and _fits(e, groups, stages, topics)),
                         key=lambda m: -m.score)
        return Listing(tuple(fitting[:LIST_MAX]), max(0, len(fitting) - LIST_MAX))
    # (低保户也是建档立卡户: the household says it is one; not 听说困难家庭…, nor 不是建档立卡户)
    fitting = [m for m in ranked if _fits(m.entry, groups, stages, topics, categories,
                                          everyone=household.everyone)]
    # (the best item that fits sets the floor: one about something else may lead the ranking)
    floor = max(LIST_FLOOR, LIST_RATIO * fitting[0].score) if fitting else 0.0
    fitting = [m for m in fitting if m.score >= floor]
    return Listing(tuple(fitting[:LIST_MAX]), max(0, len(fitting) - LIST_MAX))
