"""Rank knowledge entries for a colloquial Chinese question (pure: no Telegram, no database).

Hybrid ranker, after the measurements in shared/NOTES.md: BM25 over character unigrams and
bigrams of each entry's title, aliases, who and summary; synonym expansion appended to the
question; an alias bonus (exact substring, or rapidfuzz partial_ratio for typos); and BM25 over
pinyin syllables so that homophone typos (底保 for 低保) still find their entry.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process

from knowledge.bm25 import BM25
from knowledge.loader import Entry, KnowledgeBase
from knowledge.schema import Kind
from knowledge.text import char_ngrams, compact

# Weights of an entry's fields in its BM25 document (title words matter most).
FIELD_WEIGHTS = {"title": 3, "aliases": 2, "who": 1, "summary": 1, "labels": 1}
EXPANSION_WEIGHT = 0.6  # formal synonyms count less than the user's own words
UNKNOWN_TOKEN_WEIGHT = 0.35  # words the KB never uses (天气, 护照) pull the score down
PINYIN_SHARE = 0.25  # share of the final score from pinyin syllables
ALIAS_EXACT_BONUS = 0.22  # an alias typed verbatim is strong evidence
ALIAS_FUZZY_CUTOFF = 80  # partial_ratio below this is noise for 3-6 character aliases
ALIAS_FUZZY_BONUS = 0.12
OWN_REGION_BOOST = 1.06  # a district's own document beats its city's on a near tie
KIND_CUES: dict[Kind, tuple[str, ...]] = {
    Kind.FIGURE: ("多少户", "多少人", "几户", "几个人", "人数", "户数", "目标", "任务", "计划"),
    Kind.DEADLINE: ("什么时候", "截止", "期限", "几号", "哪天", "多久", "之前", "前完成", "每季度",
                    "每月", "时限", "开会"),
    Kind.STANDARD: ("标准是", "标准多少", "收入线", "保障线", "提高到", "涨到"),
}
KIND_CUE_BOOST = 1.25
# Words nearly every entry shares: alone they are no evidence that an entry answers the question
# (残疾人护理补贴 in 清河, which has no such item, shares only 补贴 with its training subsidies).
GENERIC_WORDS = frozenset({"补贴", "补助", "多少", "家庭", "收入", "贫困", "困难", "帮扶", "人口",
                           "政策", "低收", "入家", "给多", "少钱", "一年", "每年", "每月"})
KIND_PRIOR = {Kind.ENTITLEMENT: 1.0, Kind.STANDARD: 0.97, Kind.DEADLINE: 0.9, Kind.FIGURE: 0.88}


@dataclass(frozen=True)
class Match:
    """One ranked entry: the score is comparable across questions (0 .. ~1.3)."""

    entry: Entry
    score: float
    alias: str | None = None
    worded: bool = True  # shares a word (a bigram or an alias) with the question, not only
    # scattered characters: 护照 shares 护 and 照 with 长期照护 but no word


@dataclass(frozen=True)
class _RegionView:
    """What a region may see, precomputed once: entry indices and their aliases."""

    allowed: list[int]
    text: BM25  # the full indexes restricted to allowed entries (same scores, fewer postings)
    pinyin: BM25
    aliases: list[tuple[str, int]]  # (compact alias, entry index) of allowed entries
    fuzzy: list[str]  # aliases long enough for fuzzy matching
    fuzzy_owner: list[int]
    fuzzy_chars: dict[str, list[tuple[int, int]]]  # char -> (fuzzy alias k, occurrences)
    rows: list[tuple[int, float, Kind, bool]]  # (entry index, kind prior, kind, own document)


@dataclass
class _Indexed:
    entries: list[Entry]
    text: BM25
    pinyin: BM25
    aliases: list[tuple[str, int]]  # (compact alias, entry index)
    bigrams: list[frozenset[str]] = field(default_factory=list)  # per entry, all fields
    by_region: dict[str, _RegionView] = field(default_factory=dict)


def _pinyin(text: str) -> list[str]:
    syl = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.isalpha()]
    return syl + [a + b for a, b in pairwise(syl)]


def _entry_tokens(entry: Entry) -> tuple[Counter[str], Counter[str]]:
    item = entry.item
    labels = " ".join(a.label or "" for a in item.amounts) if item.kind == Kind.FIGURE else ""
    fields = {"title": [item.title], "aliases": list(item.aliases), "who": [item.who or ""],
              "summary": [item.summary], "labels": [labels]}
    text: Counter[str] = Counter()
    py: Counter[str] = Counter()
    for name, values in fields.items():
        for value in values:
            c = compact(value)
            for gram in char_ngrams(c):
                text[gram] += FIELD_WEIGHTS[name]
            if name in ("title", "aliases"):
                py.update(_pinyin(c))
    return text, py


class Matcher:
    """Index built once per KnowledgeBase; `match` is cheap (about a millisecond)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        entries = list(kb.entries)
        docs = [_entry_tokens(e) for e in entries]
        aliases = [(compact(a), i) for i, e in enumerate(entries)
                   for a in (e.item.title, *e.item.aliases) if len(compact(a)) >= 2]
        self._idx = _Indexed(entries, BM25([d[0] for d in docs]), BM25([d[1] for d in docs]),
                             aliases, [frozenset(t for t in d[0] if len(t) > 1) for d in docs])
        syn = kb.synonyms.synonyms
        self._synonyms = sorted(((compact(k), v) for k, v in syn.items()),
                                key=lambda kv: -len(kv[0]))
        stops = sorted((compact(s) for s in kb.synonyms.stop_phrases), key=len, reverse=True)
        self._stop_re = re.compile("|".join(map(re.escape, stops))) if stops else None

    def _view(self, region_id: str) -> _RegionView:
        cached = self._idx.by_region.get(region_id)
        if cached is None:
            lineage = set(self.kb.regions.lineage(region_id))
            allowed = [i for i, e in enumerate(self._idx.entries)
                       if e.document.jurisdiction in lineage]
            ok = set(allowed)
            aliases = [(a, i) for a, i in self._idx.aliases if i in ok]
            fuzzy = [(a, i) for a, i in aliases if len(a) >= 3]
            chars: dict[str, list[tuple[int, int]]] = {}
            for k, (a, _) in enumerate(fuzzy):
                for ch, n in Counter(a).items():
                    chars.setdefault(ch, []).append((k, n))
            own = next((r for r in self.kb.regions.lineage(region_id)
                        if r in self.kb.covered_regions), None)
            rows = [(i, KIND_PRIOR[e.item.kind], e.item.kind, e.document.jurisdiction == own)
                    for i in allowed for e in (self._idx.entries[i],)]
            cached = _RegionView(allowed, self._idx.text.subset(ok), self._idx.pinyin.subset(ok),
                                 aliases, [a for a, _ in fuzzy], [i for _, i in fuzzy], chars,
                                 rows)
            self._idx.by_region[region_id] = cached
        return cached

    def expand(self, query: str) -> tuple[str, list[str]]:
        """The query without stop phrases, and the formal terms its colloquial words imply."""
        core = self._stop_re.sub("", query) if self._stop_re else query
        extra: list[str] = []
        rest = query
        for key, formal in self._synonyms:
            if key and key in rest:
                extra.extend(formal)
                rest = rest.replace(key, " ")
        return core or query, extra

    def match(self, question: str, *, region: str, limit: int = 5) -> list[Match]:
        """Entries of the region and its ancestors, best first."""
        query = compact(question)
        view = self._view(region)
        if not query or not view.allowed:
            return []
        return _rank(self, query, view, limit)


# partial_ratio = 2M / (L + w) over windows w <= L of the longer string, M <= w common characters
# and L the shorter length; ratio >= c therefore needs M >= c*L / (2 - c). An alias sharing fewer
# characters with the query cannot reach the cutoff, so it is skipped without calling rapidfuzz.
_FUZZY_NEED = (ALIAS_FUZZY_CUTOFF / 100) / (2 - ALIAS_FUZZY_CUTOFF / 100)


def _fuzzy_candidates(view: _RegionView, query: str) -> list[int]:
    """Fuzzy aliases that share enough characters with the query to possibly pass the cutoff."""
    hits: dict[int, int] = {}
    for ch in set(query):
        for k, n in view.fuzzy_chars.get(ch, ()):
            hits[k] = hits.get(k, 0) + n
    need = _FUZZY_NEED * (1 - 1e-9)
    return sorted(k for k, h in hits.items()  # sorted: ties keep the first alias, as before
                  if h >= need * min(len(view.fuzzy[k]), len(query)))


_NO_BONUS = (0.0, "")


@lru_cache(maxsize=2048)
def _query_pinyin(query: str) -> tuple[str, ...]:
    return tuple(_pinyin(query))


def _rank(m: Matcher, query: str, view: _RegionView, limit: int) -> list[Match]:
    idx = m._idx
    core, extra = m.expand(query)
    tokens = char_ngrams(core)
    extra_tokens = [g for term in extra for g in char_ngrams(compact(term))]
    text = view.text.score(tokens)
    view.text.score(extra_tokens, EXPANSION_WEIGHT, into=text)
    upper = idx.text.upper_bound(tokens, UNKNOWN_TOKEN_WEIGHT) or 1.0
    py_tokens = _query_pinyin(core)
    py = view.pinyin.score(py_tokens)
    py_upper = idx.pinyin.upper_bound(py_tokens, UNKNOWN_TOKEN_WEIGHT) or 1.0
    bonus: dict[int, tuple[float, str]] = {}
    for alias, i in view.aliases:
        if alias in query:
            b = ALIAS_EXACT_BONUS * min(1.0, len(alias) / 4)
            if b > bonus.get(i, (0.0, ""))[0]:
                bonus[i] = (b, alias)
    candidates = _fuzzy_candidates(view, query)
    for alias, ratio, j in process.extract(query, [view.fuzzy[k] for k in candidates],
                                           scorer=fuzz.partial_ratio,
                                           score_cutoff=ALIAS_FUZZY_CUTOFF, limit=None):
        i = view.fuzzy_owner[candidates[j]]
        b = ALIAS_FUZZY_BONUS * (ratio - ALIAS_FUZZY_CUTOFF) / (100 - ALIAS_FUZZY_CUTOFF)
        if b > bonus.get(i, (0.0, ""))[0]:
            bonus[i] = (b, alias)
    cued = {kind for kind, cues in KIND_CUES.items() if any(c in query for c in cues)}
    scored: list[tuple[float, int]] = []
    for i, prior, kind, own in view.rows:
        s = (1 - PINYIN_SHARE) * text[i] / upper + PINYIN_SHARE * py[i] / py_upper
        s = (s + bonus.get(i, _NO_BONUS)[0]) * prior
        if kind in cued:
            s *= KIND_CUE_BOOST
        if own:
            s *= OWN_REGION_BOOST
        scored.append((s, i))
    best = heapq.nlargest(limit, scored, key=itemgetter(0))  # stable: ties keep index order
    words = {t for t in (*tokens, *extra_tokens) if len(t) > 1} - GENERIC_WORDS
    return [Match(idx.entries[i], s, bonus.get(i, _NO_BONUS)[1] or None,
                  i in bonus or not words.isdisjoint(idx.bigrams[i])) for s, i in best]
