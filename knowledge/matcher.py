"""Rank knowledge entries for a colloquial Chinese question (pure: no Telegram, no database).

Hybrid ranker, after the measurements in shared/NOTES.md: BM25 over character unigrams and
bigrams of each entry's title, aliases, who and summary; synonym expansion appended to the
question; an alias bonus (exact substring, or rapidfuzz partial_ratio for typos); and BM25 over
pinyin syllables so that homophone typos (底保 for 低保) still find their entry. Negated
phrases (不住校) steer away from what they rule out; an entry limited to a group the question
does not mention (残疾学生) counts less. The index is split into one shard per jurisdiction
(same idf everywhere), so a region scores only its own lineage's entries.
"""

from __future__ import annotations

import gc
import heapq
import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from operator import itemgetter

from rapidfuzz import fuzz, process

from knowledge.bm25 import BM25
from knowledge.groups import SUBJECT_TOPICS, groups_in_question, groups_of, topics_in_question
from knowledge.intent import MONEY_UNITS, asks_money, counted, figure_years, kinds_asked
from knowledge.loader import Entry, KnowledgeBase
from knowledge.schema import Condition, Kind, Period
from knowledge.syllables import syllable
from knowledge.text import char_ngrams, compact, normalize
from knowledge.vocabulary import (
    EXCLUSIVE_CATEGORIES,
    categories_named,
    category_of,
    stages_named,
)

# Weights of an entry's fields in its BM25 document (title words matter most).
FIELD_WEIGHTS = {"title": 3, "period": 3, "aliases": 2, "who": 1, "summary": 1, "labels": 1}
EXPANSION_WEIGHT = 0.6  # formal synonyms count less than the user's own words
UNKNOWN_TOKEN_WEIGHT = 0.35  # words the KB never uses (天气, 护照) pull the score down
PINYIN_SHARE = 0.25  # share of the final score from pinyin syllables
ALIAS_EXACT_BONUS = 0.22  # an alias typed verbatim is strong evidence
ALIAS_FUZZY_CUTOFF = 80  # partial_ratio below this is noise for 3-6 character aliases
ALIAS_FUZZY_BONUS = 0.12
OWN_REGION_BOOST = 1.06  # a district's own document beats its city's on a near tie
KIND_CUE_BOOST = 1.25  # a question asking 多少户/什么时候 is about figures and deadlines
NEGATED_PENALTY = 0.6  # 不住校: an entry about 住校 (and not 走读) is what the user ruled out
GROUP_PENALTY = 0.8  # an entry limited to a group (残疾学生) the question does not mention
# the amount of an entry only for 特困供养 when the question asks what 低保 pays (categories
# that exclude each other: vocabulary.EXCLUSIVE_CATEGORIES); 0.8 still let 低保户每月多少钱 get
# the 特困供养金 (its alias 五保户每月多少钱 shares every word but one)
CATEGORY_PENALTY = 0.5
STAGE_PENALTY = 0.75  # 读小学每年补多少: an entry whose title names only other school stages
TOPIC_PENALTY = 0.75  # 低保户看病能报多少: an entry on another subject (the 低保 standard)
# Words nearly every entry shares, and the verbs of any office errand (申请, 办理, 补办): alone
# they are no evidence that an entry answers the question (残疾人护理补贴 in 清河, which has no
# such item, shares only 补贴 with its training subsidies; 护照怎么申请 shares only 申请).
GENERIC_WORDS = frozenset({
    "补贴", "补助", "多少", "家庭", "收入", "贫困", "困难", "帮扶", "人口", "政策", "低收", "入家",
    "给多", "少钱", "一年", "每年", "每月", "申请", "办理", "补办", "怎么", "如何", "哪里", "手续",
    "材料", "需要", "要求", "条件", "什么", "时候", "可以", "没有", "不是", "一个", "领取", "办法",
    "流程", "政府", "规定", "情况", "现在", "今年", "标准", "提取", "处理", "办证", "证明", "在哪",
    # the scaffold of a how-much question: 一年多少, 每月给多少, 能领多少
    "年多", "月多", "年给", "月给", "能领", "领多", "补多", "能补", "多钱", "一月", "个月", "能给",
    "给我", "我家", "家里", "能拿", "拿多", "有多", "是多", "分别", "别是", "各是", "一共", "都能"})
COUNT_FOR_MONEY_PENALTY = 0.7  # a count (3979户, 90个村) when the question asks for money
RATE_BOOST = 1.15  # an item whose title names the rate a question asks for (入住率, 覆盖率)
_RATE = re.compile(r"[^\W\d]{2}率")
YEAR_BOOST = 1.3  # an item whose title or summary names the year a question asks about
COUNTED_BOOST = 1.08  # a figure item whose title names what a count question counts (残疾人)
RANKED_KEPT = 512  # texts whose ranking is remembered (8 to 40 matches each)
KIND_PRIOR = {Kind.ENTITLEMENT: 1.0, Kind.STANDARD: 0.97, Kind.DEADLINE: 0.9, Kind.FIGURE: 0.88}
# The scaffold of a question (what is asked, not about what): a bigram joining one of these to
# its neighbour is no word. Content-like generic words (低收入, 家庭, 贫困) are not in it:
# 算低 in 怎么才算低收入 is the user's wording of an alias (收入多少算低收入).
SCAFFOLD_WORDS = ("补贴", "补助", "多少", "一年", "每年", "每月", "一个", "个月", "怎么", "什么",
                  "可以", "申请", "办理", "补办", "领取", "没有", "时候")
_GENERIC_RE = re.compile("|".join(sorted(map(re.escape, SCAFFOLD_WORDS), key=len, reverse=True)))


def straddling(text: str) -> set[str]:
    """Bigrams that join a scaffold word to its neighbour (人补 in 老人补贴, 有补 in 有补助吗,
    贴多 in 补贴多少): they are no word of anyone's, so sharing one is no evidence."""
    out: set[str] = set()
    for found in _GENERIC_RE.finditer(text):
        a, b = found.span()
        if a > 0:
            out.add(text[a - 1:a + 1])
        if b < len(text):
            out.add(text[b - 1:b + 1])
    return out - GENERIC_WORDS


# a bigram with one of these is part of the question's frame, not of its subject
_SCAFFOLD_CHARS = re.compile(r"[\d多少个月年几吗么啥什]")


# A negation word and a verb it often comes with: 不住校, 没上学, 不是低保户, 没考上大学.
_NEGATOR = "(?:不是|不在|没在|没有|没得|没|不|非|未|无)(?:是|在|去|读|上|考上|考)?"
# A-not-A asks, it does not negate: 有没有新生儿筛查, 住不住校, 是不是低保户 (read as 有, 住, 是);
# 中考没考上 and 高考没考上 negate (the first 考 is the exam's)
_A_NOT_A = re.compile(r"(?<![中高])(.)(?:不|没)\1")


# A numbered bundle of measures a document names in quotes: “三个一批”, “两免一补”, “五个一”
_BUNDLE = re.compile(r"“([^”]{0,3}[一二两三四五六七八九十][^”]{1,5})”")


# What a benefit's name ends with: the word before it says which benefit (护理补贴, 高龄津贴)
_BENEFIT = re.compile(r"补贴|津贴|补助|救助金|补偿|保险|救济|贷款")
_PRODUCTS = ("贷款",)  # a product by its whole name: 斗门 has 助学金 but no 助学贷款


@dataclass(frozen=True)
class Match:
    """One ranked entry: the score is comparable across questions (0 .. ~1.3)."""

    entry: Entry
    score: float
    alias: str | None = None
    worded: bool = True  # shares a word (a bigram or an alias) with the question, not only
    # scattered characters: 护照 shares 护 and 照 with 长期照护 but no word
    by_sound: bool = False  # the shared word is only a homophone (主校 for 住校): ask, never
    # answer directly
    negated: bool = False  # the question rules it out (不住校, 不是建档立卡户): ask, never
    # answer directly


# The common reading of one character ('' for digits, letters, punctuation). Reading character
# by character is ~50x faster than phrase readings and is the same for the question and the
# index, which is all homophone matching needs; the table spares the start-up pypinyin's import.
_syllable = cache(syllable)  # a dict look-up per character once seen


def _syllables(text: str) -> list[str]:
    return [s for s in map(_syllable, text) if s]


def _pinyin(text: str) -> list[str]:
    syl = _syllables(text)
    return syl + [a + b for a, b in pairwise(syl)]


def _sound_pairs(text: str) -> set[str]:
    return {a + b for a, b in pairwise(_syllables(text))}


_PER = {Period.MONTH: "每月", Period.YEAR: "每年"}  # how a question says a payment's period


def _states(title: str, value: float) -> bool:
    """The title states this number (650 in 650元/月/人; not 20 inside 2019)."""
    return re.search(rf"(?<![\d.]){re.escape(f'{value:g}')}(?![\d.])", title) is not None


def _fields(entry: Entry) -> dict[str, list[str]]:
    item = entry.item
    labels = " ".join(a.label or "" for a in item.amounts) if item.kind == Kind.FIGURE else ""
    # 650元/月/人 is said 每月: the period of an amount the title states counts as title words
    # (once per period)
    per = " ".join(dict.fromkeys(_PER[a.period] for a in item.amounts
                                 if a.period in _PER and _states(item.title, a.value)))
    return {"title": [item.title], "period": [per], "aliases": list(item.aliases),
            "who": [item.who or ""], "summary": [item.summary], "labels": [labels]}


def _entry_tokens(entry: Entry) -> tuple[Counter[str], Counter[str], list[str]]:
    """Weighted text tokens, pinyin tokens, and the compacted title and aliases."""
    text: Counter[str] = Counter()
    py: Counter[str] = Counter()
    names: list[str] = []
    for name, values in _fields(entry).items():
        weight = FIELD_WEIGHTS[name]
        for value in values:
            c = compact(value)
            for gram in char_ngrams(c):
                text[gram] += weight
            if name in ("title", "aliases"):
                py.update(_pinyin(c))
                names.append(c)
    return text, py, names


# Derived from the (immutable) knowledge base on first use, keyed by entry id: hashing an
# Entry would hash its whole pydantic item on every look-up.
_WORDS: dict[str, frozenset[str]] = {}
_SOUNDS: dict[str, frozenset[str]] = {}
_STAGES: dict[str, frozenset[str]] = {}


def entry_words(entry: Entry) -> frozenset[str]:
    """The bigrams of every field of an entry (what counts as a shared word)."""
    key = entry.id + entry.item.title  # a test may rebuild an item under the same id
    found = _WORDS.get(key)
    if found is None:
        found = _WORDS[key] = frozenset(t for values in _fields(entry).values()
                                             for v in values for t in char_ngrams(compact(v))
                                             if len(t) > 1)
    return found


def entry_stages(entry: Entry) -> frozenset[str]:
    """The school stages an entry's title names (普通高中“两助三免”: 普通高中)."""
    key = entry.id + entry.item.title
    found = _STAGES.get(key)
    if found is None:
        found = _STAGES[key] = stages_named(entry.item.title)
    return found


def of_other_stages(entry: Entry, stages: frozenset[str]) -> bool:
    """The entry's title names school stages and none of these (读小学每年补多少: not the
    本科 subsidy); False when either names none."""
    own = entry_stages(entry)
    return bool(stages and own) and own.isdisjoint(stages)


def _entry_sounds(entry: Entry) -> frozenset[str]:
    key = entry.id + entry.item.title
    found = _SOUNDS.get(key)
    if found is None:
        item = entry.item
        found = _SOUNDS[key] = frozenset(p for v in (item.title, *item.aliases)
                                              for p in _sound_pairs(compact(v)))
    return found


@dataclass(frozen=True)
class _Shard:
    """The entries of one jurisdiction: numbers lo..hi-1 in the index, and their aliases."""

    jurisdiction: str
    lo: int
    hi: int
    aliases: list[tuple[str, int]]  # (compact alias, local index)
    fuzzy: list[str]  # aliases long enough for fuzzy matching
    fuzzy_owner: list[int]  # local index of each fuzzy alias
    # char -> fuzzy aliases k, once per occurrence; filled at the region's first question
    # (`_fuzzy_chars`: a tenth of a millisecond for a county, 40 ms for every shard at start-up)
    fuzzy_chars: dict[str, array[int]]
    fuzzy_need: list[float]  # characters a query must share with fuzzy alias k (see below)
    rows: list[tuple[float, Kind]]  # (kind prior, kind) per local index


def _shard(jurisdiction: str, lo: int, hi: int, entries: list[Entry],
           names: list[list[str]]) -> _Shard:
    ids = range(lo, hi)
    aliases = [(a, j) for j, i in enumerate(ids) for a in names[i] if len(a) >= 2]
    fuzzy = [(a, j) for a, j in aliases if len(a) >= 3]
    rows = [(KIND_PRIOR[entries[i].item.kind], entries[i].item.kind) for i in ids]
    need = _FUZZY_NEED * (1 - 1e-9)
    return _Shard(jurisdiction, lo, hi, aliases, [a for a, _ in fuzzy],
                  [j for _, j in fuzzy], {}, [need * len(a) for a, _ in fuzzy], rows)


_Negation = tuple[re.Pattern[str], tuple[str, ...], set[int], re.Pattern[str]]


def _required_categories(cond: Condition | None) -> list[tuple[str, ...]]:
    """The household categories a condition requires (any one of each tuple): those of its
    root and of its `all` branches; an `any` or `not` branch requires nothing for sure."""
    if cond is None:
        return []
    if cond.household is not None and cond.household.categories:
        return [tuple(cond.household.categories)]
    return [c for child in cond.all or () for c in _required_categories(child)]


def _exclusive_category(entry: Entry) -> str | None:
    """The exclusive category (低保户, 特困供养, 低保边缘户) an entry requires, if it requires
    exactly one and no other category would do."""
    for cats in _required_categories(entry.item.eligibility):
        named = {category_of(c) or c for c in cats}
        if len(named) == 1 and named <= EXCLUSIVE_CATEGORIES:
            return named.pop()
    return None


def _negations(kb: KnowledgeBase, entries: list[Entry],
               names: list[list[str]]) -> list[_Negation]:
    """(negated phrase, what it means, entries about what it rules out, the concept itself)
    per negatable concept; names: each entry's compacted title (first) and aliases. An entry
    only for a household category the phrase negates (不是建档立卡户: an aid for 建档立卡
    children) is about it too, whatever its title says."""
    out = []
    for neg in kb.synonyms.negations:
        words = sorted({compact(w) for w in (neg.concept, *neg.also)}, key=len, reverse=True)
        means = tuple(compact(m) for m in neg.means)
        concept = re.compile("|".join(map(re.escape, words)))
        pattern = re.compile(_NEGATOR + "(?:" + concept.pattern + ")")
        about = {i for i, texts in enumerate(names)
                 if any(concept.search(t) for t in texts)
                 and not any(m in texts[0] for m in means)}
        about |= {i for i, e in enumerate(entries)
                  if any(all(concept.search(c) for c in cats)
                         for cats in _required_categories(e.item.eligibility))}
        out.append((pattern, means, about, concept))
    return out


class Matcher:
    """Index built once per KnowledgeBase; `match` is cheap (about a millisecond)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        paused = gc.isenabled()
        gc.disable()  # building allocates millions of small objects and frees none of them:
        try:  # full collections meanwhile would only rescan them (about a third of the time)
            self._build(kb)
        finally:
            if paused:
                gc.enable()

    def state(self) -> dict[str, object]:
        """What the index is, without the knowledge base (for knowledge/cache.py)."""
        state = {k: v for k, v in self.__dict__.items()
                 if k not in ("kb", "entries", "_ranked")}
        state["entry_ids"] = [e.id for e in self.entries]
        return state

    @classmethod
    def restore(cls, kb: KnowledgeBase, state: dict[str, object]) -> Matcher:
        """A matcher from `state()` of one built over the same knowledge base."""
        matcher = cls.__new__(cls)
        ids = state.pop("entry_ids")
        assert isinstance(ids, list)
        matcher.__dict__.update(state)
        matcher.kb, matcher.entries = kb, [kb.by_id[i] for i in ids]
        matcher._ranked = OrderedDict()
        return matcher

    def _build(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # the rankings of the texts ranked lately, with the depth asked: one question ranks
        # the same text several times (to decide, to list, to weigh what is left), and a
        # popular question is asked again and again. The ranking depends on the text and the
        # region only (the index never changes), and the top n of a deeper ranking is the
        # ranking n deep (heapq.nlargest keeps ties in index order); a deeper one is made anew.
        self._ranked: OrderedDict[tuple[tuple[str, ...], str], tuple[int, list[Match]]] = \
            OrderedDict()
        groups: dict[str, list[Entry]] = {}
        for e in kb.entries:  # each jurisdiction's entries numbered contiguously
            groups.setdefault(e.document.jurisdiction, []).append(e)
        self.entries = [e for members in groups.values() for e in members]
        docs = [_entry_tokens(e) for e in self.entries]
        names = [d[2] for d in docs]
        self._text = BM25([d[0] for d in docs])
        self._pinyin = BM25([d[1] for d in docs])
        self._vocabulary = frozenset(t for t in self._text.idf if len(t) > 1)
        del docs
        self._shards: dict[str, _Shard] = {}
        lo = 0
        for jurisdiction, members in groups.items():
            self._shards[jurisdiction] = _shard(jurisdiction, lo, lo + len(members),
                                                self.entries, names)
            lo += len(members)
        self._groups = [groups_of(e) for e in self.entries]
        # the one category of EXCLUSIVE_CATEGORIES an entry is only for (特困供养金: 特困供养)
        self._exclusive = [_exclusive_category(e) for e in self.entries]
        self._stages = [entry_stages(e) for e in self.entries]
        # the title's words, read when a count question meets a figure (a third of the index's
        # memory at province scale when kept for every entry)
        self._title_words: dict[int, frozenset[str]] = {}
        self._topics = [e.item.topic for e in self.entries]
        # figures that count (households, villages), with no sum of money or share of it
        self._counts = frozenset(
            i for i, e in enumerate(self.entries) if e.item.kind == Kind.FIGURE
            and not any(u in a.unit for a in e.item.amounts for u in MONEY_UNITS))
        self._views: dict[str, tuple[tuple[_Shard, bool], ...]] = {}
        syn = kb.synonyms.synonyms
        self._synonyms = sorted(((compact(k), v) for k, v in syn.items()),
                                key=lambda kv: -len(kv[0]))
        stops = sorted((compact(s) for s in kb.synonyms.stop_phrases), key=len, reverse=True)
        self._stop_re = re.compile("|".join(map(re.escape, stops))) if stops else None
        self._negations = _negations(kb, self.entries, names)
        # per negation: the entries about its opposite (走读/非寄宿 for 住校), by index
        self._opposite_ids = [
            (pattern, concept, {i for i, texts in enumerate(names)
                                if means and any(w in texts[0] for w in means)})
            for pattern, means, _, concept in self._negations]
        self._benefits = frozenset(n[max(0, f.start() - 2):f.end()] for texts in names
                                   for n in texts for f in _BENEFIT.finditer(n))
        self._seen_words: dict[str, frozenset[str]] = {}
        self._bundles: dict[str, dict[str, tuple[str, ...]]] = {}
        self.region_names = frozenset(compact(n) for r in kb.regions for n in (r.name, *r.aliases))
        self._places = re.compile("|".join(map(re.escape, sorted(
            (n for n in self.region_names if len(n) > 1), key=len, reverse=True))))
        self._generic_sounds = frozenset(p for w in GENERIC_WORDS for p in _sound_pairs(w))

    def _view(self, region_id: str) -> tuple[tuple[_Shard, bool], ...]:
        """The shards a region may see, each with whether it is the region's own document."""
        cached = self._views.get(region_id)
        if cached is None:
            lineage = self.kb.regions.lineage(region_id)
            own = next((r for r in lineage if r in self._shards), None)
            cached = tuple((self._shards[r], r == own) for r in lineage if r in self._shards)
            self._views[region_id] = cached
        return cached

    def title_words(self, i: int) -> frozenset[str]:
        """The unigrams and bigrams of entry i's title."""
        found = self._title_words.get(i)
        if found is None:
            found = self._title_words[i] = frozenset(
                char_ngrams(compact(self.entries[i].item.title)))
        return found

    def negated(self, query: str) -> tuple[str, list[str], set[int]]:
        """The query without negated phrases (不住校), what they mean in the documents' words
        (走读, 非寄宿), and the entries about what was ruled out."""
        means: list[str] = []
        ruled_out: set[int] = set()
        asked = _A_NOT_A.sub(r"\1", query)
        for k, ((pattern, words, about, concept), (_, _, opposite)) in enumerate(zip(
                self._negations, self._opposite_ids, strict=True)):
            if pattern.search(asked):
                query = pattern.sub(" ", query)
                means.extend(words)
                if not concept.search(query):  # 住校和不住校: both are asked, neither ruled out
                    ruled_out |= about
            elif concept.search(query) and not any(w in query for w in words):
                # 考上大学: not the training for those who were not (unless that is asked too:
                # 新识别贫困人口和已脱贫人口各多少; 农村的城里的都说说 names both sides)
                ruled_out |= opposite - self._named_besides(asked, k)
        return query, means, ruled_out

    def _named_besides(self, query: str, k: int) -> set[int]:
        """The entries about the other side of the k-th concept's pair (农村 and 城里: the
        concept that the k-th one's opposite words name) when the query asks for both sides
        (农村的城里的都说说; not 我是农村户口，在城里打工: one side says who asks)."""
        mine = self._negations[k][3]
        words = self._negations[k][1]
        return set().union(*(about for n, (pattern, _, about, concept)
                             in enumerate(self._negations)
                             if n != k and any(concept.search(w) for w in words)
                             and concept.search(query) and not pattern.search(query)
                             and _both_asked(query, mine, concept)))

    def expand(self, query: str) -> tuple[str, list[str]]:
        """The query without stop phrases, and the formal terms its colloquial words imply."""
        core = self._stop_re.sub("", query) if self._stop_re else query
        extra: list[str] = []
        rest = query
        for key, formal in self._synonyms:
            if key and key in rest:
                extra.extend(formal)
                rest = rest.replace(key, " ")
        return core.replace(" ", "") or query.replace(" ", ""), extra

    def match(self, question: str, *, region: str, limit: int = 5) -> list[Match]:
        """Entries of the region and its ancestors, best first."""
        return self.match_pieces([question], region=region, limit=limit)

    def match_pieces(self, pieces: list[str], *, region: str, limit: int = 5) -> list[Match]:
        """Like `match` for a question given as separate pieces (what is left of a compound
        question once an item has explained part of it): no word spans two pieces."""
        queries = [q for q in map(compact, pieces) if q]
        view = self._view(region)
        if not queries or not view:
            return []
        key = (tuple(queries), region)
        known = self._ranked.get(key)
        # (not thread-safe: answer() runs on the event loop only, handlers/common.py)
        if known is None or (known[0] < limit and len(known[1]) == known[0]):
            # (a shallower ranking that came out short is every candidate there is)
            known = self._ranked[key] = (limit, _rank(self, queries, view, limit))
            if len(self._ranked) > RANKED_KEPT:
                self._ranked.popitem(last=False)
        self._ranked.move_to_end(key)
        return known[1][:limit]

    def forget_questions(self) -> None:
        """Forget the rankings of texts seen (for benchmarks of first-seen questions)."""
        self._ranked.clear()

    def ruled_out(self, text: str) -> frozenset[str]:
        """Ids of the entries about what the text negates (不住校: the boarding subsidies)."""
        return frozenset(self.entries[i].id for i in self.negated(compact(text))[2])

    def opposites(self, text: str) -> frozenset[str]:
        """Ids of the entries about the opposite of what the text asks (住校 asked: the
        非寄宿 subsidy), for lists; nothing when the text also negates it (住校和不住校)."""
        query = compact(text)
        out: set[int] = set()
        for k, (pattern, concept, opposite) in enumerate(self._opposite_ids):
            if opposite and concept.search(query) and not pattern.search(query):
                # (农村的城里的都说说: an item about a side the text names is no opposite)
                out |= opposite - self._named_besides(query, k)
        return frozenset(self.entries[i].id for i in out)

    def foreign_benefit(self, text: str, region: str) -> str | None:
        """A benefit the text names (护理补贴, 高龄津贴) by a word that another region's
        documents use in an item's name but no document the region sees uses at all: the
        region has no such item, so a near item of its own is not the answer."""
        query = compact(text)
        for found in _BENEFIT.finditer(query):
            word = query[max(0, found.start() - 2):found.start()]
            named = word + found.group(0)
            if (len(word) == 2 and word not in GENERIC_WORDS and named in self._benefits
                    and (word not in self._region_words(region)
                         or (found.group(0) in _PRODUCTS
                             and not self.names_mention(region, named)))):
                return named
        return None

    def bundles(self, region: str) -> dict[str, tuple[str, ...]]:
        """The numbered bundles the region's documents name in quotes (“三个一批”, “两免一补”),
        each with the ids of the region's items that mention it, in the documents' order."""
        cached = self._bundles.get(region)
        if cached is None:
            entries = self.kb.entries_for(region)
            texts = [(e.id, e.item.title + e.item.summary + e.item.source.quote) for e in entries]
            terms = {t for _, text in texts for t in _BUNDLE.findall(text)}
            cached = self._bundles[region] = {
                t: tuple(i for i, text in texts if t in text) for t in terms}
        return cached

    def names_mention(self, region: str, phrase: str) -> bool:
        """Some item the region sees has the phrase in its title or an alias (帮扶卡)."""
        return any(phrase in name for e in self.kb.entries_for(region)
                   for name in (e.item.title, *e.item.aliases))

    def without_places(self, text: str) -> str:
        """The text without the region names in it (明天正安下雨吗 -> 明天下雨吗)."""
        return self._places.sub("", text)

    def mentions(self, region: str, word: str) -> bool:
        """Some item the region sees has the word in its title, aliases, summary or who."""
        return any(word in text for e in self.kb.entries_for(region)
                   for text in (e.item.title, *e.item.aliases, e.item.summary, e.item.who or ""))

    def _region_words(self, region: str) -> frozenset[str]:
        cached = self._seen_words.get(region)
        if cached is None:
            cached = self._seen_words[region] = frozenset().union(
                *(entry_words(self.entries[i]) for shard, _ in self._view(region)
                  for i in range(shard.lo, shard.hi)))
        return cached

    def knows(self, text: str) -> bool:
        """The text has a content word (a bigram that is not generic) the knowledge base uses,
        itself or through a synonym (初二: 初中)."""
        def known(words: str) -> bool:
            return any(t in self._vocabulary for t in char_ngrams(compact(words))
                       if len(t) > 1 and t not in GENERIC_WORDS)
        return known(text) or any(known(term) for term in self.expand(text)[1])

    def shares_words(self, entry: Entry, text: str) -> bool:
        """The text has a word (a bigram that is not generic) of the entry."""
        words = {t for t in char_ngrams(compact(text)) if len(t) > 1} - GENERIC_WORDS
        return not words.isdisjoint(entry_words(entry))


# partial_ratio = 2M / (L + w) over windows w <= L of the longer string, M <= w common characters
# and L the shorter length; ratio >= c therefore needs M >= c*L / (2 - c). An alias sharing fewer
# characters with the query cannot reach the cutoff, so it is skipped without calling rapidfuzz.
_FUZZY_NEED = (ALIAS_FUZZY_CUTOFF / 100) / (2 - ALIAS_FUZZY_CUTOFF / 100)


def _fuzzy_chars(shard: _Shard) -> dict[str, array[int]]:
    """Fill shard.fuzzy_chars: each character's fuzzy aliases k, k once per occurrence (built
    aside and added in one step: a thread asking meanwhile sees it empty or whole)."""
    chars: dict[str, array[int]] = {}
    for k, a in enumerate(shard.fuzzy):
        for ch in a:
            found = chars.get(ch)
            if found is None:
                found = chars[ch] = array("I")
            found.append(k)
    shard.fuzzy_chars.update(chars)
    return chars


def _fuzzy_candidates(shard: _Shard, query: str) -> list[int]:
    """Fuzzy aliases that share enough characters with the query to possibly pass the cutoff."""
    hits = [0] * len(shard.fuzzy)
    chars = shard.fuzzy_chars or _fuzzy_chars(shard)
    for ch in set(query):
        for k in chars.get(ch, ()):
            hits[k] += 1
    need = _FUZZY_NEED * (1 - 1e-9)
    cap = need * len(query)
    lengths = shard.fuzzy_need
    # in index order: ties keep the first alias, as before
    return [k for k, h in enumerate(hits) if h and h >= min(lengths[k], cap)]


_NO_BONUS = (0.0, "")
# both sides of a pair asked for: 城里和农村的, or 都/各/分别 after both (农村的城里的都说说);
# not 我是农村户口，和老伴在城里打工 (one side says who asks)
_JOINED = r"的?(?:和|跟|与|、|或者|还是)"
_ALL_OF_THEM = re.compile(r"都|各|分别|两种|两边")


def _both_asked(query: str, one: re.Pattern[str], other: re.Pattern[str]) -> bool:
    a, b = one.search(query), other.search(query)
    if a is None or b is None:
        return False
    first, second = sorted((a, b), key=lambda m: m.start())
    if re.fullmatch(_JOINED, query[first.end():second.start()]):
        return True
    return _ALL_OF_THEM.search(query, second.end()) is not None


@lru_cache(maxsize=2048)
def _query_pinyin(query: str) -> tuple[str, ...]:
    return tuple(_pinyin(query))


def clear_question_caches(kb: KnowledgeBase, matcher: Matcher) -> None:
    """Forget every question seen (normalised text, dialect rewrites, pinyin, the matcher's
    rankings), so that a benchmark measures questions met for the first time; the index
    itself stays."""
    matcher.forget_questions()
    normalize.cache_clear()
    _query_pinyin.cache_clear()
    kb.dialects.clear()


def _bonuses(shard: _Shard, query: str,
             stages: frozenset[str]) -> dict[int, tuple[float, str]]:
    """Alias bonus per local index: an alias typed verbatim, or nearly (a typo); `stages`
    are the school stages the query names."""
    bonus: dict[int, tuple[float, str]] = {}
    for alias, j in shard.aliases:
        if alias in query:
            b = ALIAS_EXACT_BONUS * min(1.0, len(alias) / 4)
            if b > bonus.get(j, _NO_BONUS)[0]:
                bonus[j] = (b, alias)
    candidates = _fuzzy_candidates(shard, query)
    for alias, ratio, k in process.extract(query, [shard.fuzzy[c] for c in candidates],
                                           scorer=fuzz.partial_ratio,
                                           score_cutoff=ALIAS_FUZZY_CUTOFF, limit=None):
        if stages and stages.isdisjoint(stages_named(alias) or stages):
            continue  # 读小学每年补多少 is one character from 读大学每年补多少, and no typo of it
        j = shard.fuzzy_owner[candidates[k]]
        b = ALIAS_FUZZY_BONUS * (ratio - ALIAS_FUZZY_CUTOFF) / (100 - ALIAS_FUZZY_CUTOFF)
        if b > bonus.get(j, _NO_BONUS)[0]:
            bonus[j] = (b, alias)
    return bonus


@dataclass
class _Query:
    """A question's tokens, ready for scoring."""

    typed: str  # what aliases are compared with (stop words kept, negated phrases out)
    core: str  # without stop words
    tokens: list[str]
    extra_tokens: list[str]  # formal synonyms (weighted less)
    mean_tokens: list[str]  # what negated phrases mean in the documents' words
    ruled_out: set[int]
    extra: list[str]
    cores: list[str]  # core of each piece (pinyin is read per piece)


def _prepare(m: Matcher, queries: list[str]) -> _Query:
    q = _Query("", "", [], [], [], set(), [], [])
    for query in queries:
        plain, means, ruled_out = m.negated(query)
        core, extra = m.expand(plain)
        q.typed += plain.replace(" ", "")
        q.core += core
        q.tokens += char_ngrams(core)
        q.extra_tokens += [g for term in extra for g in char_ngrams(compact(term))]
        q.mean_tokens += [g for term in means for g in char_ngrams(term)]
        q.ruled_out |= ruled_out
        q.extra += extra
        q.cores.append(core)
    return q


def _weights(*groups: tuple[Iterable[str], float]) -> dict[str, float]:
    """Query weight per token: each way of asking counts a token at most twice (BM25's
    saturated query term frequency), weighted (synonyms count less than the user's words)."""
    out: dict[str, float] = {}
    for tokens, weight in groups:
        for t, n in Counter(tokens).items():
            out[t] = out.get(t, 0.0) + weight * min(n, 2)
    return out


def _rank(m: Matcher, queries: list[str], view: tuple[tuple[_Shard, bool], ...],
          limit: int) -> list[Match]:
    query = "".join(queries)
    q = _prepare(m, queries)
    typed, tokens, extra_tokens, mean_tokens = q.typed, q.tokens, q.extra_tokens, q.mean_tokens
    ruled_out = q.ruled_out
    upper = m._text.upper_bound([*tokens, *mean_tokens], UNKNOWN_TOKEN_WEIGHT) or 1.0
    py_tokens = tuple(t for c in q.cores for t in _query_pinyin(c))
    py_upper = m._pinyin.upper_bound(py_tokens, UNKNOWN_TOKEN_WEIGHT) or 1.0
    cued = kinds_asked(query)
    money = asks_money(query)
    rates = _RATE.findall(compact(query))
    years = figure_years(query)  # 到2020年农村生活垃圾无害化处理率要达到多少
    head = {t for t in char_ngrams(counted(compact(query))) if len(t) > 1} - GENERIC_WORDS
    asked = groups_in_question(query + "".join(q.extra))
    topics = topics_in_question(q.typed) & SUBJECT_TOPICS  # not in 没考上大学
    stages = stages_named(q.typed)
    exclusive = categories_named(q.typed) & EXCLUSIVE_CATEGORIES
    straddled = {t for c in q.cores for t in straddling(c)}
    words = ({t for t in (*tokens, *extra_tokens, *mean_tokens) if len(t) > 1} - GENERIC_WORDS
             - straddled)
    # what a nearly typed alias must share with the question: 低保1个月多少 is no evidence
    # for 失业金一个月多少 (only 个月 and 多少 are shared)
    content = {t for t in tokens if len(t) > 1 and not _SCAFFOLD_CHARS.search(t)} - straddled
    scored: list[tuple[float, int, str, bool]] = []
    weights = _weights((tokens, 1.0), (extra_tokens, EXPANSION_WEIGHT), (mean_tokens, 1.0))
    py_weights = _weights((py_tokens, 1.0))
    for shard, own in view:
        text = m._text.score_range(weights, shard.lo, shard.hi)
        py = m._pinyin.score_range(py_weights, shard.lo, shard.hi)
        bonus = _bonuses(shard, typed, stages)
        evidenced = {j for w in words for j in m._text.having(w, shard.lo, shard.hi)}
        for j, (prior, kind) in enumerate(shard.rows):
            i = shard.lo + j
            b, alias = bonus.get(j, _NO_BONUS)
            s = (1 - PINYIN_SHARE) * text[j] / upper + PINYIN_SHARE * py[j] / py_upper + b
            if not s:
                continue  # shares nothing with the question
            s *= prior
            if kind in cued:
                s *= KIND_CUE_BOOST
                if head and kind == Kind.FIGURE and not head.isdisjoint(m.title_words(i)):
                    s *= COUNTED_BOOST
            if rates and any(r in m.entries[i].item.title for r in rates):
                s *= RATE_BOOST  # 9月底前入住率要达到多少: the rate's item, not the scene's
            if years and any(y in m.entries[i].item.title or y in m.entries[i].item.summary
                             for y in years):
                s *= YEAR_BOOST  # 到2020年…要达到多少: the 2020 target, not today's rate
            if money and i in m._counts:
                s *= COUNT_FOR_MONEY_PENALTY  # 供养金有多少 is no question of how many people
            if own:
                s *= OWN_REGION_BOOST
            if i in ruled_out:
                s *= NEGATED_PENALTY
            if m._groups[i] and m._groups[i].isdisjoint(asked):
                s *= GROUP_PENALTY
            if money and exclusive and m._exclusive[i] and m._exclusive[i] not in exclusive:
                s *= CATEGORY_PENALTY  # 低保每月多少: not the 特困供养金
            if topics and m._topics[i] in SUBJECT_TOPICS and m._topics[i] not in topics:
                s *= TOPIC_PENALTY
            if stages and m._stages[i] and m._stages[i].isdisjoint(stages):
                s *= STAGE_PENALTY
            scored.append((s, i, alias, j in evidenced or (bool(alias) and (
                alias in typed or not content.isdisjoint(char_ngrams(alias))))))
    best = heapq.nlargest(limit, scored, key=itemgetter(0))  # stable: ties keep index order
    pairs = ({p for c in q.cores for p in _sound_pairs(c)} - m._generic_sounds
             - {p for c in q.cores for t in straddling(c) for p in _sound_pairs(t)})
    out = []
    for s, i, alias, has_word in best:
        sounded = not has_word and not pairs.isdisjoint(_entry_sounds(m.entries[i]))
        out.append(Match(m.entries[i], s, alias or None, has_word or sounded, sounded,
                         i in q.ruled_out))
    return out
