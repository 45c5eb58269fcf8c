"""Decide what to reply to a question: one or several items, a clarification, or an honest
'not found'.

The question is read in Mandarin first (dialect phrases rewritten, traditional characters
simplified), then: a region it names is answered for itself; "what is there for X" gets a list;
a question asking several things gets every item it asks for; anything else gets the best item,
"您是想问" when unsure, or "没有找到".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from knowledge.asked_region import asked_region
from knowledge.calendar import Rule, occurrences
from knowledge.compound import PART_MAX, Part, residual, split, without_asides
from knowledge.dates import month_end
from knowledge.eligibility import named_schools, select_amounts, situation_items
from knowledge.intent import (
    asks_amount,
    asks_by_member,
    asks_list,
    asks_money,
    due_asked,
    figure_years,
    gives_no_amount,
    gives_no_date,
    kinds_asked,
    without_indefinites,
)
from knowledge.listing import LIST_FLOOR, LIST_KINDS, LIST_MAX, listing
from knowledge.loader import Entry, KnowledgeBase
from knowledge.matcher import Match, Matcher, of_other_stages
from knowledge.privacy import mask_personal
from knowledge.profile import Profile
from knowledge.schema import Amount, Kind
from knowledge.scope import answers_detail, out_of_scope, practical_detail
from knowledge.situation import read_situation
from knowledge.text import compact
from knowledge.vocabulary import stages_named, without_stages_not_entered

# Thresholds on Matcher scores, measured on tests/cases/questions.yaml (benchmarks/ask.py):
# the best out-of-scope question (明天正安下雨吗, through the place name alone) scored 0.257 and
# in-domain questions the documents do not answer (养老保险缴费档次) 0.293; 90% of right answers
# score above 0.30.
FLOOR = 0.26  # an item below this is no evidence for a part, a member, or a direct reply
# Below this the reply is an honest "没有找到"; from it up to FLOOR "您是想问" offers only the
# items near themselves and near without a place name (a near miss: 初中 without 住校/走读, a
# clause of noise around the question). Chosen on the dev sets, where the right item first but
# declined scored 0.17-0.26 and questions to decline 0.19-0.26 (the scope guard declines the
# clear ones before this).
CLARIFY_FLOOR = 0.20
ANSWER_FLOOR = 0.30  # between CLARIFY_FLOOR and this: related, but not sure -> "您是想问"
STORY_CHARS = 28  # a question this long tells a story around what it asks
STORY_FLOOR = 0.14  # ... and an item this near, STORY_LEAD times the next one, is what it asks
STORY_LEAD = 1.9
CLAUSE_STORY_FLOOR = 0.10  # the least a whole question scores for its asking clause to decide
MARGIN = 0.05  # top two closer than this -> "您是想问" (no wrong direct answer at 0.05)
DUE_SHARE = 0.45  # a deadline item this near the top answers a by-when question (_due_reply)
_YEAR = re.compile(r"(?<!\d)(20\d\d)年")
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6}  # how often a duty recurs
# These words ask when the work is to be done (a section's deadline answers them), the others
# when a resident may act (申请, 领): a task's deadline is no answer to those
TASK_DUE_CUES = ("完成", "时限", "期限", "截止", "销号", "上报", "报送")
RESIDENT_ACTS = ("申请", "领", "发放", "到账", "办理", "报名")
CLARIFY_WINDOW = 0.15  # options shown are within this of the top score
CLARIFY_MAX = 3
PART_FLOOR = 0.26  # each part of a compound question must reach this (and lead by MARGIN)
# ... or, in a question asking several things, this with a lead of PART_LEAD times the next
# item: a short clause (收益能保证几成) scores low, but only one item is about it
PART_LEAD_FLOOR = 0.18
PART_LEAD = 1.7
RESIDUAL_FLOOR = 0.40  # an extra item: mean of its score on what is left and on the whole
RANK_POOL = 8  # candidates ranked per question or part
MAX_QUESTION_CHARS = 300  # longer text is not a question; ask for a short one


class Outcome(StrEnum):
    """What kind of reply the question gets."""

    ANSWERED = "answered"
    CLARIFY = "clarify"
    NOT_FOUND = "not_found"
    NO_REGION_DATA = "no_region_data"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    GREETING = "greeting"  # 你好, 在吗: not a question, not a miss
    THANKS = "thanks"  # 谢谢, 好的


# Whole messages (after compacting) that are conversation, not policy questions.
GREETINGS = frozenset({"你好", "您好", "在吗", "在不在", "有人吗", "哈喽", "hi", "hello", "喂",
                       "早上好", "晚上好", "下午好", "你好啊", "您好啊"})
THANKS = frozenset({"谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "好的", "好", "知道了", "明白了",
                    "收到", "ok", "嗯", "嗯嗯", "行", "再见", "拜拜", "谢了", "没有了", "不用了",
                    "没事了", "好的谢谢", "好谢谢", "谢谢了", "知道了谢谢", "明白了谢谢", "懂了"})
_SMALL_TALK_TAIL = re.compile(r"(啦|呀|哈|哦|噢|了)+$")  # 谢谢啦, 好的呀


@dataclass(frozen=True)
class AmountView:
    """A figure of the answered item and whether it fits the asker's situation."""

    amount: Amount
    for_you: bool


@dataclass(frozen=True)
class Stated:
    """One item a reply states, with its figures."""

    match: Match
    amounts: tuple[AmountView, ...]
    no_amount: bool = False  # the question asks how much; the document gives no figure
    no_date: bool = False  # the question asks by when; the document gives no date for it

    @property
    def entry(self) -> Entry:
        return self.match.entry


@dataclass(frozen=True)
class Answer:
    """The decision and everything a template needs to render it."""

    outcome: Outcome
    region_id: str  # the region the reply is for (a region the question named, or the user's)
    matches: tuple[Match, ...] = ()  # the stated items' matches, or the options of 您是想问
    items: tuple[Stated, ...] = ()
    situation: Profile | None = field(default=None, compare=False)
    ranked: tuple[Match, ...] = field(default=(), compare=False)  # the ranking it came from
    asked_region: str | None = None  # the user's own region, when the question named another
    listing: bool = False  # a "what is there for X" reply
    more: int = 0  # list items left out
    missing: tuple[str, ...] = ()  # parts of a compound question nothing was found for
    detail: str = ""  # NOT_FOUND: the practical detail asked that no document gives (联系电话)
    related: Entry | None = None  # ... and the item it is about, when the question is clear

    @property
    def answered(self) -> bool:
        return self.outcome == Outcome.ANSWERED

    @property
    def entry(self) -> Entry | None:
        return self.items[0].entry if self.answered and self.items else None

    @property
    def amounts(self) -> tuple[AmountView, ...]:
        return self.items[0].amounts if self.answered and self.items else ()

    @property
    def stated(self) -> tuple[Entry, ...]:
        """The entries the reply states (none unless it answers)."""
        return tuple(s.entry for s in self.items) if self.answered else ()

    @property
    def unstated_amounts(self) -> tuple[Entry, ...]:
        """Stated entries asked for an amount the document does not give."""
        return tuple(s.entry for s in self.items if s.no_amount) if self.answered else ()


def decide(matches: list[Match]) -> Outcome:
    """Apply the named thresholds to a ranked list."""
    if not matches or matches[0].score < CLARIFY_FLOOR:
        return Outcome.NOT_FOUND
    top = matches[0].score
    gap = top - matches[1].score if len(matches) > 1 else top
    if top < ANSWER_FLOOR or gap < MARGIN or matches[0].by_sound or matches[0].negated:
        return Outcome.CLARIFY
    return Outcome.ANSWERED


def amounts_for(entry: Entry, situation: Profile, question: str,
                home: frozenset[str] = frozenset()) -> tuple[AmountView, ...]:
    """Every figure of the entry, marking those the question's situation or words point at,
    and those labelled with the asker's own region or one above it (`home`, compacted names:
    a 双台子区 resident asking 有多少低保户 sees 双台子区's count beside 全市's)."""
    sure: list[Amount] = []
    for member in situation.members or [None]:  # type: ignore[list-item]
        sure.extend(select_amounts(entry.item.amounts, situation, member)[0])
    asked = compact(question)
    labels = [a for a in entry.item.amounts
              if a.label and a.when is None
              and (compact(a.label) in asked or compact(a.label) in home)]
    chosen = {id(a) for a in sure if a.when is not None} | {id(a) for a in labels}
    return tuple(AmountView(a, id(a) in chosen) for a in entry.item.amounts)


_HOMES: dict[tuple[int, str], frozenset[str]] = {}


def _home(kb: KnowledgeBase, region_id: str) -> frozenset[str]:
    """The compacted names (and aliases) of the region and its ancestors (cached)."""
    key = (id(kb), region_id)
    if key not in _HOMES:
        nodes = [kb.regions.get(r) for r in kb.regions.lineage(region_id)]
        _HOMES[key] = frozenset(compact(n) for node in nodes
                                for n in (node.name, *node.aliases))
    return _HOMES[key]


_SCHOOLS: dict[tuple[int, str], frozenset[str]] = {}


def _schools(kb: KnowledgeBase, region_id: str) -> frozenset[str]:
    """Schools named by the region's documents (cached: the KB never changes while running)."""
    key = (id(kb), region_id)
    if key not in _SCHOOLS:
        _SCHOOLS[key] = named_schools(kb.entries_for(region_id))
    return _SCHOOLS[key]


class _Ranker:
    """The matcher for one question: its region, and the items the question says it already
    knows (除了X…), which no ranking of it offers. (Rankings themselves are the matcher's to
    remember: they depend on the text and the region only, never on an earlier question.)"""

    def __init__(self, matcher: Matcher, region_id: str,
                 besides: frozenset[str] = frozenset()) -> None:
        self.matcher, self.region_id, self.besides = matcher, region_id, besides

    def rank(self, pieces: list[str], limit: int) -> list[Match]:
        return [m for m in self.matcher.match_pieces(pieces, region=self.region_id, limit=limit)
                if m.entry.id not in self.besides]


@dataclass(frozen=True)
class _Asked:
    """A question read once: the Mandarin text, the region, the situation it describes."""

    text: str
    region_id: str
    asked_region: str | None
    situation: Profile
    home: frozenset[str] = frozenset()  # the region's names and its ancestors', compacted

    def stated(self, match: Match, words: str | None = None) -> Stated:
        said = words if words is not None else self.text
        return Stated(match, amounts_for(match.entry, self.situation, self.text, self.home),
                      _no_amount(said, match.entry), _no_date(said, match.entry))

    def reply(self, outcome: Outcome, matches: tuple[Match, ...] = (), **kw: object) -> Answer:
        return Answer(outcome, self.region_id, matches, situation=self.situation,
                      asked_region=self.asked_region, **kw)  # type: ignore[arg-type]


# 除了康乃馨补助 还有没有其他服务: what the asker already knows, and asks past
# ... and what follows a word in a title that names who an item is for, not what it is:
# 低保户优先危房改造 and 低保特困大病保险 are not 低保 itself (低保标准, 低保渐退 are)
_FOR_WHOM = r"(?!户|对象|家庭|人员|边缘|特困|学生|老人|儿童|[、和及或与等的])"
_BESIDES = re.compile(r"(?:除了|除开)([^，,。？?！!\s]{2,12}?)(?:以外|之外)?"
                      r"(?=[，,。\s]|还|也|另外)")


def _besides(said: str, matcher: Matcher, region_id: str) -> tuple[str, frozenset[str]]:
    """The question without what it says it already knows (除了X…还有…) and the item X names
    clearly; unchanged when X names no item for sure."""
    found = _BESIDES.search(said)
    if found is None:
        return said, frozenset()
    named = [m for m in matcher.match(found.group(1), region=region_id) if m.worded]
    rest = (said[:found.start()] + " " + said[found.end():]).strip()
    sure = bool(named) and decide(named) == Outcome.ANSWERED
    if named and rest and asks_list(rest):
        # 除了低保还能领些啥子补贴: a list of what else there is leaves out every item named
        # after what the asker already has
        about = re.compile(re.escape(compact(found.group(1))) + _FOR_WHOM)
        ids = {e.id for e in matcher.kb.entries_for(region_id)
               if about.search(compact(e.item.title))}
        if sure:
            ids.add(named[0].entry.id)
        if ids:
            return rest, frozenset(ids)
    if not sure:
        return said, frozenset()
    return (rest or said), frozenset({named[0].entry.id})


def _small_talk(text: str) -> Outcome | None:
    said = {compact(text), _SMALL_TALK_TAIL.sub("", compact(text))}
    if said & GREETINGS:
        return Outcome.GREETING
    if said & THANKS:
        return Outcome.THANKS
    return None


def answer(question: str, *, region_id: str, kb: KnowledgeBase, matcher: Matcher) -> Answer:
    """The reply decision for one question from a resident of region_id."""
    text = question.strip()
    if len(text) > MAX_QUESTION_CHARS:  # checked before any normalisation: a 20 MB line
        return Answer(Outcome.TOO_LONG, region_id)
    if not compact(text):
        return Answer(Outcome.EMPTY, region_id)
    said = kb.dialects.rewrite(mask_personal(text))  # a phone number or a name is only noise
    where = asked_region(kb, region_id, said)
    mine = None if not where.named else region_id
    if not kb.has_data_for(where.region_id):
        return Answer(Outcome.NO_REGION_DATA, where.region_id, asked_region=mine)
    talk = _small_talk(text)
    if talk is not None:
        return Answer(talk, region_id)
    said = without_asides(said)  # 我是村头的网格员 … 我要切跟老百姓讲清楚
    said, besides = _besides(said, matcher, where.region_id)
    asked = _Asked(said, where.region_id, mine,
                   read_situation(said, where.region_id, _schools(kb, where.region_id)),
                   _home(kb, where.region_id))
    ranker = _Ranker(matcher, where.region_id, besides)
    # 我在正安打工 老家是铁岭清河区的 那边…: the places named chose the region; as words they
    # only dilute the match
    plain = matcher.without_places(said) if where.named else said
    ranked = [m for m in ranker.rank([plain or said], RANK_POOL)[:CLARIFY_MAX + 2]
              if m.worded]  # scattered characters alone are no evidence
    detail = practical_detail(said) or _unwritten_year(said, ranked)
    related = ranked[0].entry if ranked and decide(ranked) == Outcome.ANSWERED else None
    if detail is not None and not out_of_scope(said, where.region_id, matcher) and \
            not any(answers_detail(item, detail) for item in (
                [related.item] if related is not None else
                [m.entry.item for m in _close(ranked)] if ranked else [])):
        # 临时救助申请了几天能批: the documents never say; name the item and who runs it
        return asked.reply(Outcome.NOT_FOUND, ranked=tuple(ranked), detail=detail,
                           related=related)
    dated = _dated_reply(asked, kb, ranked)
    if dated is not None:
        return dated
    bundled = _bundle_reply(asked, matcher, ranked)
    if bundled is not None:
        return bundled
    parts = split(said, matcher)
    sectioned = _section_reply(asked, kb, matcher, ranker, ranked, parts)
    if sectioned is not None:
        return sectioned
    if len(parts) > 1 or parts[0].of_each or (parts[0].members and asks_by_member(parts[0].own)):
        # 临时救助给多少？就业有啥保障: the list cue is one clause's, not all; 女儿考上本科，
        # 儿子读专科，各有什么补助: each member's items, not one list for both; 住院的和在家治疗的
        # 分别有什么补助: each member's item
        found = _compound_reply(asked, ranker, ranked, parts)
        listed = _list_reply(asked, matcher, ranked, ranker.besides) if found is None or \
            len(found.items) == 1 else None
        if listed is not None and (found is None or found.matches[0].entry.id in {
                m.entry.id for m in listed.matches}):
            # 读普高的 能免哪些费用 有啥资助: two list clauses about one subject; the one item
            # a clause found is among the subject's list
            found = listed
    else:
        found = _list_reply(asked, matcher, ranked, ranker.besides) or \
            _compound_reply(asked, ranker, ranked, parts)
    if (found is None or len(found.items) == 1) and out_of_scope(said, where.region_id,
                                                                 matcher):
        # 斗门 has no 护理补贴; 医保卡丢了怎么补办 is no question about the premium subsidy
        return asked.reply(Outcome.NOT_FOUND, ranked=tuple(ranked))
    reply = found or _single_reply(asked, ranked, ranker, parts)
    if reply.outcome == Outcome.CLARIFY and len(reply.matches) > 1 and asks_list(asked.text) \
            and all(m.score >= CLARIFY_FLOOR and not m.by_sound and not m.negated
                    and m.entry.item.kind in LIST_KINDS
                    and m.entry.item.topic == reply.matches[0].entry.item.topic
                    for m in reply.matches):
        # 种大棚技术不行，有啥技术上的帮扶没: the user asked for all there is, and no group or
        # topic chose a list; the items close enough to be offered are that list when they are
        # entitlements or standards on one subject (not counts or deadlines, not items of
        # several subjects: 老人有啥 offers 上海务工 and 残疾儿童康复; not those offered for a
        # typo or a denial, which are never stated)
        reply = _list_answer(asked, reply.matches, ranked, 0)
    # (a question of several parts keeps them: 残疾人医保补贴是谁出钱 康复救助的完成时限…)
    return (_due_reply(asked, reply, ranked, kb) if len(parts) == 1 else None) or reply


def _due_reply(asked: _Asked, reply: Answer, ranked: list[Match],
               kb: KnowledgeBase) -> Answer | None:
    """A question asking by when, or how often, a task is done gets the task's deadline item,
    not the entitlements the task is named after: 残疾人医保补贴和康复救助这块工作的完成时限是
    什么时候 (the subsidies rank first; the answer is 医疗卫生保障及残疾人帮扶完成 2017年6月底
    之前, the deadline of the document section that sets out those subsidies). Only when the
    reply states no deadline item; the deadlines are those near the top of the ranking and,
    when the question asks about finishing the work (完成, 时限, 上报 …), those of the stated
    items' sections."""
    text = asked.text
    if not reply.answered or Kind.DEADLINE not in kinds_asked(text) or asks_money(text) or \
            any(s.entry.item.kind == Kind.DEADLINE for s in reply.items) or \
            any(c in text for c in RESIDENT_ACTS):
        return None
    top = ranked[0].score if ranked else 0.0
    due = [m for m in ranked if m.entry.item.kind == Kind.DEADLINE and not m.negated
           and m.score >= max(FLOOR, DUE_SHARE * top)]
    if any(c in text for c in TASK_DUE_CUES):
        sections = {(s.entry.document.id, s.entry.item.source.section) for s in reply.items}
        scores = {m.entry.id: m.score for m in ranked}
        seen = {m.entry.id for m in due}
        due += sorted((Match(e, scores.get(e.id, 0.0)) for key in sorted(sections)
                       for e in kb.by_section.get(key, ())
                       if e.item.kind == Kind.DEADLINE and e.id not in seen),
                      key=lambda m: -m.score)
    if not due:
        return None
    if len(due) > 1 and due[0].score - due[1].score < MARGIN:
        return _ask_which(asked, due, tuple(ranked))
    return asked.reply(Outcome.ANSWERED, (due[0],), items=(asked.stated(due[0]),),
                       ranked=tuple(ranked))


def _single_reply(asked: _Asked, matches: list[Match], ranker: _Ranker,
                  parts: list[Part]) -> Answer:
    outcome = decide(matches)
    ranked = tuple(matches)
    if outcome == Outcome.ANSWERED:
        return asked.reply(outcome, (matches[0],), items=(asked.stated(matches[0]),),
                           ranked=ranked)
    if outcome == Outcome.CLARIFY:
        if matches[0].score >= FLOOR:
            return _ask_which(asked, matches, ranked)
        near = _near(asked, _close(matches), ranker)
        if near:
            return asked.reply(outcome, near, ranked=ranked)
    # declined as it stands; a long story may still name its item
    return _clause_reply(asked, matches, ranker, parts) or _story_reply(asked, matches) or \
        asked.reply(Outcome.NOT_FOUND, ranked=ranked)


def _close(matches: list[Match]) -> tuple[Match, ...]:
    """The best items within CLARIFY_WINDOW of the first."""
    top = matches[0].score
    return tuple(m for m in matches[:CLARIFY_MAX] if top - m.score < CLARIFY_WINDOW)


def _ask_which(asked: _Asked, matches: list[Match], ranked: tuple[Match, ...]) -> Answer:
    """您是想问 with the items close to the best one (at least two to choose from)."""
    options = _close(matches)
    return asked.reply(Outcome.CLARIFY, options if len(options) > 1 else tuple(matches[:2]),
                       ranked=ranked)


def _clause_reply(asked: _Asked, matches: list[Match], ranker: _Ranker,
                  parts: list[Part]) -> Answer | None:
    """A long question whose asking clause, alone, names the item the whole question ranks
    first: 我家孩子争气中考考上县里高中了 他爸身体不好… 高中学费还用交不. The story around
    the clause dilutes every score below the floor; the clause decides, and only when both
    readings agree (and nothing in the story rules the item out: 不住校 … 有没有生活费补助)."""
    if len(parts) != 1:
        return None
    clause = parts[0].own
    if len(compact(clause)) * 2 > len(compact(asked.text)):
        return None  # the clause is most of the question: its score is the question's
    found = _clause_agrees(matches, clause, ranker)
    if found is None:
        return None
    if decide(found) == Outcome.ANSWERED:
        return asked.reply(Outcome.ANSWERED, (found[0],), items=(asked.stated(found[0]),),
                           ranked=tuple(matches))
    return _ask_which(asked, found, tuple(matches))  # close to another item, or by sound only


def _clause_agrees(whole: list[Match], clause: str, ranker: _Ranker) -> list[Match] | None:
    """The asking clause's own ranking, when its first item is the one the whole text ranks
    first at CLAUSE_STORY_FLOOR or more (nothing in the story ruling it out, no match by sound
    only); None when they disagree. (乳腺宫颈的两癌筛查 免费不: the story shares nothing with
    免学杂费, the clause alone's item.)"""
    if not whole or whole[0].negated or whole[0].by_sound or whole[0].score < CLAUSE_STORY_FLOOR:
        return None
    found = [m for m in ranker.rank([clause], RANK_POOL)[:CLARIFY_MAX + 2] if m.worded]
    if not found or found[0].entry.id != whole[0].entry.id or found[0].score < FLOOR:
        return None
    return found


def _story_reply(asked: _Asked, matches: list[Match]) -> Answer | None:
    """您是想问 for a long story in which one item stands well clear of every other: 孩子上小学
    不住校 每天放学都回家 听屯里人说… 到底有没有 给多少. The story's words lower every score
    below the floor, but not the lead of the item it is about. Asked, never stated."""
    if len(compact(asked.text)) < STORY_CHARS or not matches or matches[0].negated:
        return None
    top = matches[0].score
    second = matches[1].score if len(matches) > 1 else 0.0
    if top < STORY_FLOOR or second * STORY_LEAD > top:
        return None
    return asked.reply(Outcome.CLARIFY, tuple(matches[:2]), ranked=tuple(matches))


def _near(asked: _Asked, options: tuple[Match, ...], ranker: _Ranker) -> tuple[Match, ...]:
    """Of a near miss's options, those near themselves, and near without the place names the
    question has: 明天正安下雨吗 is near an item only through 正安, which is no evidence."""
    near = tuple(m for m in options if m.score >= CLARIFY_FLOOR)
    bare = ranker.matcher.without_places(asked.text)
    if near and bare != asked.text:
        again = {m.entry.id: m.score for m in ranker.rank([bare], RANK_POOL)}
        near = tuple(m for m in near if again.get(m.entry.id, 0.0) >= CLARIFY_FLOOR)
    return near


# 三个一批是哪三个, 两免一补包括什么, 五个一批具体指啥: what a named bundle is made of
_WHICH = re.compile(r"哪[一二两三四五六七八九十几些]|包括|包含|指的|是指|指什么|指啥|什么|啥|"
                    r"内容|具体")


def _unwritten_year(said: str, ranked: list[Match]) -> str | None:
    """The figures of a year the item's document does not give, when the question asks for
    them (2021年盘锦的低保标准是多少: the 2019 document gives 2019's): named so that the reply
    says the document has no such figure instead of giving another year's as if it were."""
    asked = set(figure_years(said))
    if not ranked or len(asked) != 1 or not (asks_amount(said)
                                             or Kind.STANDARD in kinds_asked(said)):
        return None  # (two years name two parts: 2017年底前…，2019年底呢)
    year = int(asked.pop())
    for m in ranked[:CLARIFY_MAX]:  # 到2020年农村要到多少: an item near the top gives that year
        if year == m.entry.document.year or str(year) in _YEAR.findall(m.entry.item.wording):
            return None
    return f"{year}年的标准和金额"


def _dated_reply(asked: _Asked, kb: KnowledgeBase, ranked: list[Match]) -> Answer | None:
    """The duties due in the month, half year or recurrence a list question names (6月底之前必须
    完成的有哪几项, 镇农办每个月要做的事有哪些): every deadline item of the region's documents
    falling due then (knowledge/calendar.py's occurrences: 每季度 is due on 3月31日 and 6月30日
    too), soonest first. Not for a yes-no question, and only when two or more fall due (one is
    the by-when question _due_reply answers)."""
    text = compact(asked.text)
    due = due_asked(text)
    if due is None or not (asks_list(text) or _CONTENTS.search(text)) or \
            _YES_NO_END.search(text):
        return None
    found: list[tuple[bool, dt.date, Entry]] = []  # (a routine duty, its due date, the item)
    for e in kb.entries_for(asked.region_id):
        if e.item.schedule is None:
            continue
        rule = Rule.from_schedule(e.item.schedule)
        year = due.year or e.document.year
        if due.recurrence is not None:
            if rule.recurrence == due.recurrence:
                found.append((False, occurrences(rule, dt.date(year, 1, 1),
                                                 dt.date(year, 12, 31))[0].due, e))
            continue
        if PERIOD_MONTHS.get(rule.recurrence, 12) < due.last - due.first + 1:
            continue  # 上半年的时间节点: its milestones, not the monthly routine within it
        falling = occurrences(rule, dt.date(year, due.first, 1), month_end(year, due.last))
        if falling:  # 6月底之前必须完成的: the milestones first, then the routine due then too
            found.append((rule.recurrence in PERIOD_MONTHS, falling[0].due, e))
    if len(found) < 2:
        return None
    return _listed(asked, [e for *_, e in sorted(found, key=lambda f: f[:2])], ranked)


def _bundle_reply(asked: _Asked, matcher: Matcher, ranked: list[Match]) -> Answer | None:
    """Every item of a bundle the documents name (“三个一批”) when the question asks what it
    is made of and two or more of the region's items carry its name."""
    if not _WHICH.search(without_indefinites(asked.text)):  # (not 眼睛什么也看不清了)
        return None
    named = [(t, ids) for t, ids in matcher.bundles(asked.region_id).items()
             if t in asked.text and len(ids) > 1]
    if len(named) != 1:  # none, or two bundles at once: the other paths decide
        return None
    return _listed(asked, [matcher.kb.by_id[i] for i in named[0][1]], ranked)


def _listed(asked: _Asked, entries: list[Entry], ranked: list[Match]) -> Answer:
    """A list reply of these entries, in their order (the first LIST_MAX, the rest counted)."""
    matches = tuple(Match(e, 1.0) for e in entries[:LIST_MAX])
    return _list_answer(asked, matches, ranked, max(0, len(entries) - LIST_MAX))


def _list_answer(asked: _Asked, matches: tuple[Match, ...], ranked: list[Match],
                 more: int) -> Answer:
    # a list's by-when question is the list's: one undated item is no "没有写明" when others
    # in the same reply give the dates
    items = tuple(replace(asked.stated(m), no_date=False) for m in matches)
    return asked.reply(Outcome.ANSWERED, matches, items=items, ranked=tuple(ranked),
                       listing=True, more=more)


_CONTENTS = re.compile(r"包括|包含|内容|哪几[项件个条]")  # what a section is made of
_DONE_UNDER = re.compile(r"(?:搞|做|干)(?:些|了)?(?:什么|啥)$")  # 就业保障扶贫主要搞些什么
_YES_NO_END = re.compile(r"(?:吗|(?<![什怎这那多])么|不|没有)$")  # … 包括住房吗


def _in_section(kb: KnowledgeBase, entry: Entry, name: str, found: list[Entry]) -> bool:
    """The entry is in the section listed, or in a section of the same name in another of the
    region's documents (盘锦市's 社会帮扶 for a 双台子区 question about its own)."""
    return entry in found or name in kb.section_names.get(
        (entry.document.id, entry.item.source.section), ())


def _section_reply(asked: _Asked, kb: KnowledgeBase, matcher: Matcher, ranker: _Ranker,
                   ranked: list[Match], parts: list[Part]) -> Answer | None:
    """Every item of the document section the question names (东西部劳务协作今年有哪些任务,
    残疾人康复保障工程具体包括哪些内容: the sections' names are data) when it asks what the
    section holds. Not for a question naming two sections, asking yes or no (目标任务包括贫困户
    住房吗), asking a date (教育帮扶几时要做完: _due_reply's) or about a service outside the
    programmes; an item the question already knows (除了…) is left out."""
    text = compact(asked.text)
    named = {id(found): (name, found) for name, found in kb.sections_for(asked.region_id).items()
             if name in text}
    # 就业帮扶行动那个专栏: the district's 专栏, not the city's 就业帮扶 inside its name
    named = {k: (name, found) for k, (name, found) in named.items()
             if not any(name != other and name in other for other, _ in named.values())}
    if len(named) != 1 or not (asks_list(text) or _CONTENTS.search(text)
                               or _DONE_UNDER.search(text)) or \
            _YES_NO_END.search(text) or Kind.DEADLINE in kinds_asked(text) or \
            out_of_scope(asked.text, asked.region_id, matcher):
        return None
    ((name, entries),) = named.values()
    found = [e for e in entries if e.id not in ranker.besides]
    if not found or (ranked and ranked[0].score >= CLARIFY_FLOOR
                     and not _in_section(kb, ranked[0].entry, name, found)):
        # 社会帮扶 精神帮扶都有啥: the question asks beyond the section (a top item scoring
        # below CLARIFY_FLOOR is no evidence: 健康扶贫工程那个专栏里都列了哪些项目)
        return None
    for part in parts[1:] if len(parts) > 1 else ():
        # 住房改造帮扶的时间节点有哪些 每个节点要完成多少 asks the section twice; 教育帮扶有哪些
        # 护理补贴能领吗 asks something else as well
        top = [m for m in ranker.rank([part.before + part.text], RANK_POOL) if m.worded][:1]
        if top and not _in_section(kb, top[0].entry, name, found):
            return None
    return _listed(asked, found, ranked)


def _list_reply(asked: _Asked, matcher: Matcher, ranked: list[Match],
                besides: frozenset[str] = frozenset()) -> Answer | None:
    """Every item for the group or topic of a "what is there for X" question (two or more)."""
    if not asks_list(asked.text):
        return None
    found = listing(asked.text, region=asked.region_id, matcher=matcher)
    if besides:
        kept = tuple(m for m in found.matches if m.entry.id not in besides)
        found = replace(found, matches=kept)
    if not found.matches:
        return None
    if len(found.matches) == 1 and found.matches[0].score < LIST_FLOOR:
        return None  # one item fits every facet named; its score only has to be real
    # 孩子五岁了，二级残疾…准备上幼儿园了，都能领点啥: the items for each fact told (the
    # disability subsidies too), not only those fitting every facet at once
    shown = {m.entry.id for m in found.matches} | besides
    extra = tuple(Match(e, 0.0) for e in situation_items(matcher.kb, asked.situation)
                  if e.id not in shown)
    matches = (*found.matches, *extra)
    if len(matches) == 1 and ranked and ranked[0].entry.id == matches[0].entry.id:
        # 孩子确诊脑瘫…治病康复这块能享受哪些政策: the one item the facets chose, when it is the
        # ranking's first, and any ranked nearly as high (the 残疾儿童康复 item, 0.27 against
        # 0.31) of the kinds a list states and of no other school stage than the question names
        top = ranked[0].score
        stages = stages_named(asked.text)
        matches += tuple(
            m for m in ranked[1:] if top - m.score < MARGIN and m.score >= CLARIFY_FLOOR
            and not m.by_sound and not m.negated and m.entry.id not in besides
            and m.entry.item.kind in LIST_KINDS and not of_other_stages(m.entry, stages))
    if len(matches) == 1:  # 细路读小学有咩资助: one item fits, and it is the whole list
        only = matches[0]
        return asked.reply(Outcome.ANSWERED, (only,), items=(asked.stated(only),),
                           ranked=tuple(ranked))
    return _list_answer(asked, matches[:LIST_MAX], ranked,
                        found.more + max(0, len(matches) - LIST_MAX))


def _compound_reply(asked: _Asked, ranker: _Ranker, ranked: list[Match],
                    parts: list[Part]) -> Answer | None:
    """Every item a question asking several things asks for (two or more), or the one item
    its parts agree on (两个孩子一个读小学一个读初中: one subsidy covers both)."""
    if len(parts) == 1 and not parts[0].several:
        return None
    chosen: list[tuple[Match, str, str]] = []  # (item, the part's own words, its text)
    missing: list[str] = []
    sure = False  # a part found its item on its own evidence (answer it even if alone)
    each_lacking = False  # a member of 大的…，小的… found nothing, another its item for sure
    for part in parts:
        got, confident, lacking = _part_answer(part, ranker, chosen,
                                               part.several or len(parts) > 1)
        chosen.extend(got)
        sure = sure or confident
        missing.extend(lacking)
        each_lacking = each_lacking or bool(lacking)
        if not got:
            missing.append(part.own)
    for part in parts if chosen else ():
        if part.own in missing and not part.members:  # another part was found: rescue this
            rescued = _rescued(part, ranker, {m.entry.id for m, _, _ in chosen})
            chosen.extend((m, part.own, part.own) for m in rescued)
            if rescued:
                missing.remove(part.own)
    if not chosen:
        # 阿妈六十五，屋企系低保户，医保个人嗰份政府包唔包？有冇意外保险买: the shared scene
        # dilutes both parts below the floor; each asking clause decides, as in _clause_reply
        chosen = _clauses_decide(parts, ranker)
        missing = [] if chosen else missing
    if ranked and any(m.entry.id == ranked[0].entry.id for m, _, _ in chosen):
        # the item the whole question points at first is shown first
        chosen.sort(key=lambda c: c[0].entry.id != ranked[0].entry.id)
    if len(chosen) < 2 and not (chosen and sure and (each_lacking or (
            ranked and chosen[0][0].entry.id == ranked[0].entry.id))):
        return None
    items = tuple(asked.stated(m, own) for m, own, _ in chosen)
    return asked.reply(Outcome.ANSWERED, tuple(m for m, _, _ in chosen), items=items,
                       ranked=tuple(ranked), missing=tuple(missing))


def _clauses_decide(parts: list[Part], ranker: _Ranker) -> list[tuple[Match, str, str]]:
    """Every part's item by its asking clause alone, when each clause names clearly the item
    its whole part ranks first (scene included, at CLAUSE_STORY_FLOOR at least); nothing
    unless every part (two or more, none enumerating) is decided so, by distinct items."""
    out: list[tuple[Match, str, str]] = []
    for part in parts if len(parts) > 1 else ():
        if part.members or part.own == part.text:
            return []
        whole = [m for m in ranker.rank([part.text], RANK_POOL) if m.worded]
        found = _clause_agrees(whole, part.own, ranker)
        if found is None or decide(found) != Outcome.ANSWERED \
                or any(found[0].entry.id == m.entry.id for m, _, _ in out):
            return []
        out.append((found[0], part.own, part.text))
    return out


def _part_answer(part: Part, ranker: _Ranker, chosen: list[tuple[Match, str, str]],
                 several: bool) -> tuple[list[tuple[Match, str, str]], bool, list[str]]:
    """The items one part asks for, whether the part alone is sure of a single one (its
    members agree on it, or it scores as a direct answer would), and the members of a
    大的…，小的… question that found nothing when another found its item for sure."""
    got: list[tuple[Match, str, str]] = []
    lacking: list[str] = []
    for member in part.members:  # A和B: each member on its own first
        seen = {m.entry.id for m, _, _ in chosen + got}
        found = _part_items(member, ranker, seen, True)
        got += [(m, member.own, member.text) for m in found]
        if not found:
            lacking.append(member.own)
    for member in [m for m in part.members if m.own in lacking] if got else ():
        # 家里两个孩子 我们是建档立卡户 小的在村小住校 大的读高一 各补多少: the shared scene's
        # 建档立卡 drowns the younger one's own words; beside a brother found, they alone
        rescued = _rescued(member, ranker, {m.entry.id for m, _, _ in chosen + got})
        got += [(m, member.own, member.text) for m in rescued]
        if rescued:
            lacking.remove(member.own)
    if len(got) >= 2:
        # (a member found nothing is said so, though another found two: 我父亲是特困，我母亲是
        # 低保，每月各领好多 must not read as one item each)
        return got, True, lacking
    seen = {m.entry.id for m, _, _ in chosen}
    agreed = _agreed(part, ranker, seen)
    if agreed is not None:
        return [(agreed, part.own, part.text)], True, []
    if part.of_each and len(got) == 1 and got[0][0].score >= ANSWER_FLOOR:
        # 老大初中住校，老二考上一中，分别补多少: one child's item is sure; say the other
        # was not found rather than nothing for both
        return got, True, lacking
    told = replace(part, text=part.before + part.text)  # what the clause before says
    tries = [told, part] if part.elliptic else [part, told] if part.before else [part]
    for tried in tries:
        found = _part_items(tried, ranker, seen, several)
        if found:
            return [(m, part.own, tried.text) for m in found], \
                len(found) == 1 and found[0].score >= ANSWER_FLOOR, []
    return [], False, []


def _agreed(part: Part, ranker: _Ranker, seen: set[str]) -> Match | None:
    """The one item every member of an enumeration points at: each with a clear lead, or
    each first with a real score (一个读小学一个读初中: the one subsidy names both stages,
    though 读小学 alone is nearly as close to 读大学's)."""
    if len(part.members) < 2:
        return None
    tops = [_part_items(member, ranker, seen, False)[:1] for member in part.members]
    if not all(tops):
        tops = [_first(member, ranker, seen)[:1] for member in part.members]
        if not all(t and t[0].score >= FLOOR for t in tops):
            return None
    if len({t[0].entry.id for t in tops}) > 1:
        return None
    return max((t[0] for t in tops), key=lambda m: m.score)


def _first(part: Part, ranker: _Ranker, seen: set[str]) -> list[Match]:
    """The part's best items that its own words point at, best first."""
    matcher = ranker.matcher
    formal = " ".join(matcher.expand(part.own)[1])  # the documents' words for its own
    # (老大不住校，读初中补多少: no item of another school stage answers a pupil's part)
    stages = stages_named(without_stages_not_entered(part.own))
    return [m for m in ranker.rank([part.text], RANK_POOL)
            if m.worded and not m.by_sound and not m.negated and m.entry.id not in seen
            and _evidenced(m, part, matcher, formal)
            and not of_other_stages(m.entry, stages)]


def _evidenced(m: Match, part: Part, matcher: Matcher, formal: str) -> bool:
    """The part's own words (not only the scene before it) point at the item, or `formal`,
    the documents' words for them (天天回家: 走读)."""
    return (matcher.shares_words(m.entry, part.own) or bool(m.alias and m.alias in part.own)
            or matcher.shares_words(m.entry, formal))


def _part_items(part: Part, ranker: _Ranker, seen: set[str], several: bool) -> list[Match]:
    """The items one part asks for: the best one, then (if it enumerates) those explaining
    what the first leaves over."""
    matcher = ranker.matcher
    if matcher.foreign_benefit(part.own, ranker.region_id):
        return []  # a benefit only other regions have: nothing of this region is its answer
    whole = ranker.rank([part.text], RANK_POOL)
    # what an earlier part stated is not this part's answer
    ranked = _first(part, ranker, seen)[:CLARIFY_MAX + 2]
    if not ranked or (ranked[0].score < PART_FLOOR and not (
            several and ranked[0].score >= PART_LEAD_FLOOR
            and (len(ranked) == 1 or ranked[0].score >= PART_LEAD * ranked[1].score))):
        return []
    first = ranked[0]
    out = [first]
    if len(ranked) > 1 and first.score - ranked[1].score < MARGIN:
        # two items fit about equally: in a question asking several things, state both
        if not (several and ranked[1].score >= ANSWER_FLOOR):
            return []
        out.append(ranked[1])
    pieces = [part.text]
    for m in out:
        pieces = residual(pieces, m, matcher)
    taken = {m.entry.id for m in out} | seen
    scores = {m.entry.id: m.score for m in whole}
    while part.several and pieces and len(out) < PART_MAX:
        # the next item explains what is left, and fits the whole part too: 残疾人生活补贴
        # after 残疾人护理补贴 has only 生活 left, which alone fits a student subsidy better
        left = [m for m in ranker.rank(pieces, RANK_POOL)
                if m.worded and not m.by_sound and m.entry.id not in taken
                and m.score >= FLOOR and matcher.shares_words(m.entry, "".join(pieces))]
        if not left:
            break
        best = max(left, key=lambda m: m.score + scores.get(m.entry.id, 0.0))
        if (best.score + scores.get(best.entry.id, 0.0)) / 2 < RESIDUAL_FLOOR:
            break
        out.append(best)
        taken.add(best.entry.id)
        pieces = residual(pieces, best, matcher)
    return out


def _rescued(part: Part, ranker: _Ranker, seen: set[str]) -> list[Match]:
    """A part (or member) found nothing beside one that did: its own clause's item, if any."""
    return _own_item(part, ranker, _first(part, ranker, seen))


def _own_item(part: Part, ranker: _Ranker, ranked: list[Match]) -> list[Match]:
    """A part whose scene drowns its own words (家里着火了 房子烧了一半 … 能不能给吃上低保:
    the scene's 房子 ranks housing first): its own clause alone, when that names clearly an
    item the whole part also points at. Only beside a part found on its own: a clause alone
    is too little to answer a question with (要做鉴定吗 is no question about 危房鉴定)."""
    if part.own == part.text or not ranked:
        return []
    alone = [m for m in ranker.rank([part.own], RANK_POOL)[:CLARIFY_MAX + 2]
             if m.worded and not m.by_sound and not m.negated]
    if not alone or decide(alone) != Outcome.ANSWERED or \
            alone[0].entry.id not in {m.entry.id for m in ranked}:
        return []
    return [alone[0]]


def _no_amount(question: str, entry: Entry) -> bool:
    """The question asks how much and the document gives no such figure for the item."""
    return gives_no_amount(question, [a.unit for a in entry.item.amounts])


def _no_date(question: str, entry: Entry) -> bool:
    """The question asks by when and the document gives no date for the item: a year other
    than the document's own (到2020年 in a 2018 plan) is a date."""
    item = entry.item
    years = {int(y) for y in _YEAR.findall(item.wording)}
    return not years - {entry.document.year} and \
        gives_no_date(question, item.wording, item.schedule is not None)


def answer_entry(entry: Entry, *, region_id: str, question: str, kb: KnowledgeBase) -> Answer:
    """An answer for an entry the user picked from a clarification."""
    said = kb.dialects.rewrite(question) if question else question
    situation = read_situation(said, region_id, _schools(kb, region_id))
    match = Match(entry, 1.0)
    stated = Stated(match, amounts_for(entry, situation, said), _no_amount(said, entry),
                    _no_date(said, entry))
    return Answer(Outcome.ANSWERED, region_id, (match,), (stated,), situation)
