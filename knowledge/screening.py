"""The /check result as a report: one entry per benefit, what each figure is, the household's
own standard, the yearly estimate, and what is still open, grouped by the deciding question.

Pure code over `eligibility.screen`'s findings; handlers/ui/messages.py renders it (the phone
gets the money first, the rest behind buttons; `bangfu eligible` prints all of it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.eligibility import (
    Finding,
    Status,
    evaluate,
    figure_kind,
    once_value,
    yearly_value,
)
from knowledge.loader import Entry, KnowledgeBase
from knowledge.profile import Member, Profile, complete
from knowledge.schema import Amount, Kind

# Order of topics in the result: money for daily needs first, programmes last.
TOPIC_ORDER = ("兜底", "教育", "医疗", "残疾", "住房", "养老", "妇女儿童", "就业", "产业", "金融",
               "社会帮扶", "工作机制", "统计")
MONEY_UNITS = ("元", "%", "倍")  # payments, rates and multiples of a standard


def is_money(a: Amount) -> bool:
    """A figure that is money for the household: not a count (30个病种, 3次/年) and not an
    income threshold that decided eligibility (收入难以达到4400元)."""
    return any(u in a.unit for u in MONEY_UNITS) and "收入" not in a.text


@dataclass(frozen=True)
class Line:
    """The figures of one benefit for some members (all with the same figures) or the household."""

    members: tuple[int, ...]  # member indices; () = the household as a whole
    amounts: tuple[Amount, ...]
    by_case: bool = False  # the figure depends on details not asked (按具体情况)


@dataclass(frozen=True)
class Benefit:
    """One benefit: the findings of every document that describes it (the one with the most
    specific figure first), and the items of a package it includes."""

    findings: tuple[Finding, ...]
    included: tuple[Finding, ...] = ()

    @property
    def entry(self) -> Entry:
        return self.findings[0].entry

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(f.entry for f in self.findings)

    def members(self) -> tuple[int, ...]:
        """The members it applies to (() for a household benefit)."""
        return tuple(sorted({p.index for f in self.findings for p in f.people
                             if p.verdict.value is True}))

    @property
    def title(self) -> str:
        """The title of the item that names the whole benefit (one whose `same_as` lists every
        other), else the one with the most specific figure."""
        ids = {e.id for e in self.entries}
        umbrella = next((e for e in self.entries if len(ids) > 2
                         and ids - {e.id} <= set(e.item.same_as)), self.entry)
        return umbrella.item.title

    def lines(self, *, every_document: bool = True) -> tuple[Line, ...]:
        """Its figures, members with the same figures on one line: every document's figures
        (they may state different parts of the benefit), or only the most specific one's (for
        the estimate, so that one payment is never counted twice)."""
        sources = self.findings if every_document else self.findings[:1]
        if not self.findings[0].people:
            amounts = _unique(a for f in sources for a in _money(f.amounts))
            return (Line((), amounts),) if amounts else ()
        grouped: dict[tuple[tuple[Amount, ...], bool], list[int]] = {}
        for index in self.members():
            amounts, by_case = self._for_member(index, sources)
            grouped.setdefault((amounts, by_case), []).append(index)
        return tuple(Line(tuple(ms), amounts, by_case)
                     for (amounts, by_case), ms in grouped.items() if amounts)

    def _for_member(self, index: int, sources: tuple[Finding, ...]
                    ) -> tuple[tuple[Amount, ...], bool]:
        people = [p for f in sources for p in f.people
                  if p.index == index and p.verdict.value is True]
        sure = _unique(a for p in people for a in _money(p.amounts))
        if sure:
            return sure, False
        return _unique(a for p in people for a in _money(p.maybe_amounts)), True

    @property
    def has_figure(self) -> bool:
        return bool(self.lines())

    @property
    def is_cash(self) -> bool:
        return any(figure_kind(a) == "cash" for line in self.lines() if not line.by_case
                   for a in line.amounts)

    def citations(self) -> tuple[Entry, ...]:
        """One entry per cited place (two items of one section are one citation)."""
        seen: dict[tuple[str, str], Entry] = {}
        for e in self.entries:
            seen.setdefault((e.document.id, e.item.source.section), e)
        return tuple(seen.values())


def _money(amounts: Iterable[Amount]) -> tuple[Amount, ...]:
    return tuple(a for a in amounts if is_money(a))


def _unique(amounts: Iterable[Amount]) -> tuple[Amount, ...]:
    return tuple(dict.fromkeys(amounts))


def _applies(f: Finding) -> bool:
    return f.status == Status.APPLIES


def _components(findings: list[Finding]) -> list[list[Finding]]:
    """Findings linked by `same_as` (either way, transitively) in groups; order kept."""
    by_id = {f.entry.id: f for f in findings}
    parent = {i: i for i in by_id}

    def root(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    for f in findings:
        for other in f.entry.item.same_as:
            if other in by_id:
                parent[root(f.entry.id)] = root(other)
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(root(f.entry.id), []).append(f)
    return list(groups.values())


def _specific_first(group: list[Finding], depth: dict[str, int]) -> tuple[Finding, ...]:
    """The finding with a figure first; between equals, the smaller jurisdiction's."""
    def has_figure(f: Finding) -> bool:
        return bool(_money(f.amounts)) or any(_money(p.amounts) for p in f.people)

    return tuple(sorted(group, key=lambda f: (not has_figure(f),
                                              -depth.get(f.entry.document.jurisdiction, 0))))


def benefits(kb: KnowledgeBase, findings: Iterable[Finding]) -> list[Benefit]:
    """The findings that apply, one Benefit per benefit, in topic order; a package's
    included items sit inside it instead of beside it."""
    applying = [f for f in findings if _applies(f)]
    inside = {i for f in applying for i in f.entry.item.includes}
    depth = {r.id: len(kb.regions.lineage(r.id)) for r in kb.regions}
    by_id = {f.entry.id: f for f in applying}
    out = []
    for group in _components([f for f in applying if f.entry.id not in inside]):
        ordered = _specific_first(group, depth)
        included = tuple(by_id[i] for f in ordered for i in f.entry.item.includes if i in by_id)
        out.append(Benefit(ordered, included))
    return sorted(out, key=lambda b: _topic_rank(b.entry.item.topic))


def _topic_rank(topic: str) -> int:
    return TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else len(TOPIC_ORDER)


def estimate(found: Iterable[Benefit]) -> tuple[float, float]:
    """(yuan per year, yuan once) in cash over these benefits, each counted once: a benefit
    described by two documents, or included in a package, is not added twice."""
    yearly = once = 0.0
    for b in found:
        for line in b.lines(every_document=False):
            if line.by_case:
                continue
            people = max(len(line.members), 1)
            yearly += people * sum(v for a in line.amounts if (v := yearly_value(a)) is not None)
            once += people * sum(v for a in line.amounts if (v := once_value(a)) is not None)
    return yearly, once


def totals(kb: KnowledgeBase, findings: Iterable[Finding]) -> tuple[float, float]:
    """The estimate over every benefit that surely applies (see `estimate`)."""
    return estimate(benefits(kb, findings))


def core_standards(kb: KnowledgeBase, profile: Profile) -> list[Entry]:
    """The standards a 低保户 or 特困 household's monthly payment is measured against: the
    region's (and its city's) standards whose `eligibility` the household surely meets."""
    p = complete(profile)
    return [e for e in kb.entries_for(p.region_id)
            if e.item.kind == Kind.STANDARD and e.item.eligibility is not None
            and evaluate(e.item.eligibility, p, None).value is True]


# (deciding keys, [(benefit title, member indices it is open for; empty = household)])
OpenGroups = list[tuple[list[str], list[tuple[str, list[int]]]]]


def open_questions(findings: list[Finding]) -> OpenGroups:
    """What could still apply, grouped by what decides it: questions /check can ask (profile
    fields) first, then facts the documents require that no profile records. A per-person
    benefit that applies to one member can still be open for another (寄宿 for 成员2); a
    benefit two documents describe is listed once."""
    groups: dict[tuple[str, ...], dict[str, list[int]]] = {}
    decided = {f.entry.id for f in findings if _applies(f)}
    listed: set[str] = set()

    def add(f: Finding, fields: frozenset[str], member: int | None = None) -> None:
        twins = set(f.entry.item.same_as) | {t.entry.id for t in findings
                                              if f.entry.id in t.entry.item.same_as}
        if twins & (decided | listed) and not f.people:
            return
        listed.add(f.entry.id)
        members = groups.setdefault(tuple(sorted(fields)), {}).setdefault(f.entry.item.title, [])
        if member is not None and member not in members:
            members.append(member)

    for f in findings:
        if f.people and f.status in (Status.APPLIES, Status.UNKNOWN):
            for p in f.people:
                if p.verdict.value is None:
                    add(f, p.verdict.unknown, p.index)
        elif f.status == Status.UNKNOWN:
            add(f, f.verdict.unknown)
    fields = set(Profile.model_fields) | set(Member.model_fields)
    ordered = sorted(groups.items(), key=lambda kv: (not set(kv[0]) <= fields, -len(kv[1])))
    return [(list(k), list(v.items())) for k, v in ordered]


@dataclass(frozen=True)
class Report:
    """Everything the /check result says, in the order it says it."""

    profile: Profile
    region: str
    standards: tuple[Entry, ...]  # the household's own 低保/特困 standard
    cash: tuple[Benefit, ...]  # paid in cash: counted in the yearly estimate
    figures: tuple[Benefit, ...]  # rates, waivers, ceilings, project money, package values
    services: tuple[Benefit, ...]  # no figure for this household
    open: OpenGroups
    yearly: float
    once: float

    @property
    def count(self) -> int:
        return len(self.cash) + len(self.figures) + len(self.services)

    @property
    def open_count(self) -> int:
        return sum(len(group) for _, group in self.open)


def report(kb: KnowledgeBase, profile: Profile, findings: list[Finding]) -> Report:
    """The result for a screened household."""
    found = benefits(kb, findings)
    cash = tuple(b for b in found if b.is_cash)
    yearly, once = estimate(cash)
    return Report(profile=complete(profile), region=kb.regions.get(profile.region_id).name,
                  standards=tuple(core_standards(kb, profile)), cash=cash,
                  figures=tuple(b for b in found if b.has_figure and not b.is_cash),
                  services=tuple(b for b in found if not b.has_figure),
                  open=open_questions(findings), yearly=yearly, once=once)
