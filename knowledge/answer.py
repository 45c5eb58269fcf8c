"""Decide what to reply to a question: an answer, a clarification, or an honest 'not found'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.eligibility import named_schools, select_amounts
from knowledge.loader import Entry, KnowledgeBase
from knowledge.matcher import Match, Matcher
from knowledge.privacy import mask_personal
from knowledge.profile import Profile
from knowledge.schema import Amount
from knowledge.situation import read_situation
from knowledge.text import compact

# Thresholds on Matcher scores, measured on tests/cases/questions.yaml (benchmarks/ask.py):
# the best out-of-scope question (天气, 护照, 驾照 ...) scored 0.257 and in-domain questions
# the documents do not answer (养老保险缴费档次) 0.293; 90% of right answers score above 0.30.
FLOOR = 0.26  # below: nothing in the KB is about the question -> an honest "没有找到"
ANSWER_FLOOR = 0.30  # between FLOOR and this: related, but not sure -> "您是想问"
MARGIN = 0.05  # top two closer than this -> "您是想问" (no wrong direct answer at 0.05)
CLARIFY_WINDOW = 0.15  # options shown are within this of the top score
CLARIFY_MAX = 3
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
class Answer:
    """The decision and everything a template needs to render it."""

    outcome: Outcome
    region_id: str
    matches: tuple[Match, ...] = ()
    amounts: tuple[AmountView, ...] = ()
    situation: Profile | None = field(default=None, compare=False)
    ranked: tuple[Match, ...] = field(default=(), compare=False)  # the ranking it came from

    @property
    def answered(self) -> bool:
        return self.outcome == Outcome.ANSWERED

    @property
    def stated(self) -> tuple[Entry, ...]:
        """The entries the reply states (none unless it answers)."""
        return (self.matches[0].entry,) if self.answered else ()

    @property
    def unstated_amounts(self) -> tuple[Entry, ...]:
        """Stated entries asked for an amount the document does not give (not yet read)."""
        return ()

    @property
    def entry(self) -> Entry | None:
        return self.matches[0].entry if self.answered else None


def decide(matches: list[Match]) -> Outcome:
    """Apply the named thresholds to a ranked list."""
    if not matches or matches[0].score < FLOOR:
        return Outcome.NOT_FOUND
    top = matches[0].score
    gap = top - matches[1].score if len(matches) > 1 else top
    if top < ANSWER_FLOOR or gap < MARGIN:
        return Outcome.CLARIFY
    return Outcome.ANSWERED


def amounts_for(entry: Entry, situation: Profile, question: str) -> tuple[AmountView, ...]:
    """Every figure of the entry, marking those the question's situation or words point at."""
    member = situation.members[0] if situation.members else None
    sure, _ = select_amounts(entry.item.amounts, situation, member)
    asked = compact(question)
    labels = [a for a in entry.item.amounts
              if a.label and a.when is None and compact(a.label) in asked]
    chosen = {id(a) for a in sure if a.when is not None} | {id(a) for a in labels}
    return tuple(AmountView(a, id(a) in chosen) for a in entry.item.amounts)


_SCHOOLS: dict[tuple[int, str], frozenset[str]] = {}


def _schools(kb: KnowledgeBase, region_id: str) -> frozenset[str]:
    """Schools named by the region's documents (cached: the KB never changes while running)."""
    key = (id(kb), region_id)
    if key not in _SCHOOLS:
        _SCHOOLS[key] = named_schools(kb.entries_for(region_id))
    return _SCHOOLS[key]


def answer(question: str, *, region_id: str, kb: KnowledgeBase, matcher: Matcher) -> Answer:
    """The reply decision for one question from a resident of region_id."""
    text = question.strip()
    if not compact(text):
        return Answer(Outcome.EMPTY, region_id)
    if len(text) > MAX_QUESTION_CHARS:
        return Answer(Outcome.TOO_LONG, region_id)
    if not kb.has_data_for(region_id):
        return Answer(Outcome.NO_REGION_DATA, region_id)
    said = {compact(text), _SMALL_TALK_TAIL.sub("", compact(text))}
    if said & GREETINGS:
        return Answer(Outcome.GREETING, region_id)
    if said & THANKS:
        return Answer(Outcome.THANKS, region_id)
    text = mask_personal(text)  # a phone number or a name only adds noise to the match
    matches = [m for m in matcher.match(text, region=region_id, limit=CLARIFY_MAX + 2)
               if m.worded]  # scattered characters alone are no evidence
    outcome = decide(matches)
    ranked = tuple(matches)
    if outcome == Outcome.NOT_FOUND:
        return Answer(outcome, region_id, ranked=ranked)
    if outcome == Outcome.CLARIFY:
        top = matches[0].score
        options = tuple(m for m in matches[:CLARIFY_MAX] if top - m.score < CLARIFY_WINDOW)
        return Answer(outcome, region_id, options if len(options) > 1 else tuple(matches[:2]),
                      ranked=ranked)
    schools = _schools(kb, region_id)
    situation = read_situation(text, region_id, schools)
    return Answer(outcome, region_id, (matches[0],), amounts_for(matches[0].entry, situation, text),
                  situation, ranked)


def answer_entry(entry: Entry, *, region_id: str, question: str, kb: KnowledgeBase) -> Answer:
    """An answer for an entry the user picked from a clarification."""
    schools = _schools(kb, region_id)
    situation = read_situation(question, region_id, schools)
    return Answer(Outcome.ANSWERED, region_id, (Match(entry, 1.0),),
                  amounts_for(entry, situation, question), situation)
