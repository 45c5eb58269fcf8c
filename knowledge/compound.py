"""Questions that ask several things: split into parts, and find every item each part asks.

A part is a clause that asks something, together with the clauses that only set the scene
(孩子在读高中，住宿费跟课本费都能免吗 -> one part with its context). Inside a part that
enumerates (A和B, X、Y、Z, 各多少) the items are found by explaining away: the best item covers
the words it shares with the part, and what is left must be explained by another item, which
needs words of its own and a confident score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.intent import is_question_clause, wants_each
from knowledge.matcher import Match, Matcher, entry_words
from knowledge.text import compact, normalize

_CLAUSES = re.compile(r"[,，。.?？!！;；\s]+|还有|另外|以及|同时|此外|再问|顺便问一下|顺便问")
# Words joining the members of an enumeration (及 and 同 are left out: 及时, 同学, 不同).
ENUMERATORS = ("和", "跟", "与", "、", "或者", "还是", "加上")
_ENUMERATOR = re.compile("|".join(ENUMERATORS))
# Where the last member of an enumeration ends and the shared rest begins: 的, or a word of
# the question (初中的生活补助各多少 -> 初中 | 的生活补助各多少; 课本费都能免吗 -> 课本费 |
# 都能免吗).
_MEMBER_END = re.compile(r"的|各|分别|都|多少|几|吗|么|什么|怎么|能|可以|要|是|有没有|一年|每年|"
                         r"每月|一个月|谁|哪|免不|补不|给不|有啥|啥")
PART_MAX = 4  # items one part can ask for (X、Y、Z各多少)


@dataclass(frozen=True)
class Part:
    """One thing the question asks: the words to match, and the clause's own words."""

    text: str  # the clause with the scene-setting clauses before it
    own: str  # the clause itself: an item must share words with it
    several: bool  # it enumerates or says 各/分别: it may ask for more than one item
    members: tuple[Part, ...] = ()  # A和B的X: one part per member (A的X, B的X)


def split(text: str, matcher: Matcher) -> list[Part]:
    """The parts of a (normalised) question, in order; one part for a simple question."""
    clauses = [c for c in _CLAUSES.split(normalize(text)) if c]
    context: list[str] = []
    asked: list[str] = []
    for clause in clauses:
        if not is_question_clause(clause) and matcher.knows(clause):
            context.append(clause)  # 孩子在读高中: the scene for the questions after it
        elif matcher.knows(clause) or not asked:
            asked.append(clause)
        else:
            asked[-1] += clause  # 各免多少, 一年多少: continues the question before it
    if len(asked) > 1 and not matcher.knows(asked[0]):
        asked[1] = asked[0] + asked[1]
        del asked[0]
    if not asked:
        return [Part(text, text, _several(text))]
    scene = "".join(context)
    return [Part(scene + a, a, _several(a), _members(scene, a, matcher)) for a in asked]


def _members(scene: str, clause: str, matcher: Matcher) -> tuple[Part, ...]:
    """A clause that enumerates, as one part per member: prefix + member + the shared rest."""
    pieces = _ENUMERATOR.split(clause)
    if len(pieces) < 2:
        return ()
    head, *middle, last = pieces
    cut = head.rfind("的") + 1  # 高中的住宿费和课本费: 高中的 belongs to every member
    prefix, first = head[:cut], head[cut:]
    end = _MEMBER_END.search(last)
    rest = last[end.start():] if end else ""
    members = [first, *middle, last[:end.start()] if end else last]
    if not all(members) or sum(matcher.knows(m) for m in members) < 2:
        return ()
    return tuple(Part(scene + prefix + m + rest, m + rest, False) for m in members)


def _several(clause: str) -> bool:
    return wants_each(clause) or any(e in clause for e in ENUMERATORS)


def residual(pieces: list[str], match: Match, matcher: Matcher) -> list[str]:
    """What an item leaves unexplained: the pieces without the words it shares (or its alias),
    keeping only pieces with content (斗门, 分别是 would only dilute the next match)."""
    words = entry_words(match.entry)
    out: list[str] = []
    for piece in map(compact, pieces):
        covered = [False] * len(piece)
        for i in range(len(piece) - 1):
            if piece[i:i + 2] in words:
                covered[i] = covered[i + 1] = True
        if match.alias and match.alias in piece:
            start = piece.index(match.alias)
            covered[start:start + len(match.alias)] = [True] * len(match.alias)
        run = ""
        for ch, done in zip(piece, covered, strict=True):
            if done:
                if run:
                    out.append(run)
                run = ""
            else:
                run += ch
        if run:
            out.append(run)
    return [p for p in out if p not in matcher.region_names and matcher.knows(p)]
