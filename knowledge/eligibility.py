"""Three-valued eligibility: applies / does not apply / cannot tell (and which answer decides).

Pure code driven by the YAML conditions; reusable on a household a caseworker recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from knowledge.loader import Entry, KnowledgeBase
from knowledge.profile import Member, Profile, complete
from knowledge.schema import (
    Amount,
    Condition,
    HouseholdCondition,
    Item,
    Kind,
    MemberCondition,
    Period,
    walk,
)


class Status(StrEnum):
    """The verdict on one entitlement for one household or person."""

    APPLIES = "applies"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    """True / False / None (unknown) with the profile fields that would decide it."""

    value: bool | None
    unknown: frozenset[str] = frozenset()

    @property
    def status(self) -> Status:
        return {True: Status.APPLIES, False: Status.NO, None: Status.UNKNOWN}[self.value]


TRUE, FALSE = Verdict(True), Verdict(False)


def _all(verdicts: Iterable[Verdict]) -> Verdict:
    vs = list(verdicts)
    if any(v.value is False for v in vs):
        return FALSE
    unknown = [v for v in vs if v.value is None]
    return Verdict(None, frozenset().union(*(v.unknown for v in unknown))) if unknown else TRUE


def _any(verdicts: Iterable[Verdict]) -> Verdict:
    vs = list(verdicts)
    if any(v.value is True for v in vs):
        return TRUE
    unknown = [v for v in vs if v.value is None]
    return Verdict(None, frozenset().union(*(v.unknown for v in unknown))) if unknown else FALSE


def _test(field: str, known: object, check: Callable[[], bool]) -> Verdict:
    if known is None:
        return Verdict(None, frozenset({field}))
    return TRUE if check() else FALSE


def _equals(field: str, have: object, wanted: object) -> Verdict:
    if have is None:
        return Verdict(None, frozenset({field}))
    return TRUE if have == wanted else FALSE


def _household(c: HouseholdCondition, p: Profile) -> Verdict:
    tests: list[Verdict] = []
    if c.categories is not None:
        cats = c.categories
        tests.append(_test("categories", p.categories,
                           lambda: any(x in cats for x in p.categories or ())))
    if c.area is not None:
        tests.append(_test("area", p.area, lambda: p.area == c.area))
    if c.income_below is not None:
        limit = c.income_below
        tests.append(_test("income_per_capita_yearly", p.income_per_capita_yearly,
                           lambda: (p.income_per_capita_yearly or 0) < limit))
    if c.housing is not None:
        housing = c.housing
        tests.append(_test("housing", p.housing, lambda: p.housing in housing))
    for name in ("single_mother", "relocated"):
        wanted = getattr(c, name)
        if wanted is not None:
            tests.append(_equals(name, getattr(p, name), wanted))
    return _all(tests)


def _member(c: MemberCondition, m: Member) -> Verdict:
    tests: list[Verdict] = []
    if c.age_min is not None:
        tests.append(_test("age", m.age, lambda: (m.age or 0) >= (c.age_min or 0)))
    if c.age_max is not None:
        tests.append(_test("age", m.age, lambda: (m.age or 0) <= (c.age_max or 0)))
    if c.school_stage is not None:
        stages = c.school_stage
        tests.append(_test("school_stage", m.school_stage, lambda: m.school_stage in stages))
    if c.school is not None:
        schools = c.school
        # schools arrive canonicalised (see canonical_schools): unnamed ones read "其他"
        tests.append(_test("school", m.school, lambda: m.school in schools))
    if c.disability_level is not None:
        levels = c.disability_level
        tests.append(_test("disability_level", m.disability_level,
                           lambda: m.disability_level in levels))
    if c.mental_illness is not None:
        cares = c.mental_illness
        tests.append(_test("mental_illness", m.mental_care, lambda: m.mental_care in cares))
    if c.disabled is not None:
        tests.append(_test("disability_level", m.disabled, lambda: m.disabled == c.disabled))
    for name in ("boarding", "new_entrant", "needs_long_term_care", "chronic_disease",
                 "major_illness"):
        wanted = getattr(c, name)
        if wanted is not None:
            tests.append(_equals(name, getattr(m, name), wanted))
    return _all(tests)


# The facts about a person or a home that a question can tell and a condition can ask
# (categories and area are left out: nearly every item asks them)
MEMBER_FACETS = {"age": ("age_min", "age_max"), "school_stage": ("school_stage",),
                 "boarding": ("boarding",), "new_entrant": ("new_entrant",),
                 "disability": ("disability_level", "disabled"),
                 "needs_long_term_care": ("needs_long_term_care",),
                 "chronic_disease": ("chronic_disease",), "major_illness": ("major_illness",),
                 "mental_illness": ("mental_illness",)}
HOUSEHOLD_FACETS = ("housing", "single_mother", "relocated")
PROFILE_FIELD = {"disability": "disability_level"}  # a facet's field in a Member, where named apart
# What a question may leave untold and an added item still be the asker's: the household's
# category, income and area, which nearly every item asks. An item the screen cannot decide on
# anything else (残疾 nobody mentioned, a fact such as 工会困难职工身份) was not asked about.
_UNTOLD_OK = frozenset({"categories", "income_per_capita_yearly", "area"})
# Facets that go together: told one, the others may be left unsaid
_FAMILIES = (frozenset({"school_stage", "boarding", "new_entrant"}),
             frozenset({"disability", "needs_long_term_care"}))


def condition_facets(cond: Condition | None) -> frozenset[str]:
    """The facets a condition asks about (残疾 and 学前 of 残疾学生学前教育资助)."""
    found: set[str] = set()
    for c in walk(cond):
        if c.member is not None:
            found.update(f for f, fields in MEMBER_FACETS.items()
                         if any(getattr(c.member, x) is not None for x in fields))
        if c.household is not None:
            found.update(f for f in HOUSEHOLD_FACETS if getattr(c.household, f) is not None)
    return frozenset(found)


# an item's facets by id, with the condition they were read from: a list question screens
# every item of the region, and an item's facets never change (a reloaded knowledge base
# brings new condition objects, which are read again)
_FACETS: dict[str, tuple[Condition | None, frozenset[str]]] = {}


def item_facets(item: Item) -> frozenset[str]:
    """The facets the item's eligibility asks about, read once per item."""
    known = _FACETS.get(item.id)
    if known is None or known[0] is not item.eligibility:
        known = _FACETS[item.id] = (item.eligibility, condition_facets(item.eligibility))
    return known[1]


def profile_facets(p: Profile) -> frozenset[str]:
    """The facets a profile read from a question tells (a member's age, stage, disability …)."""
    found = {f for m in p.members for f in MEMBER_FACETS
             if getattr(m, PROFILE_FIELD.get(f, f)) is not None}
    found.update(f for f in HOUSEHOLD_FACETS if getattr(p, f) is not None)
    return frozenset(found)


def situation_items(kb: KnowledgeBase, p: Profile) -> list[Entry]:
    """The entitlements a household told in a question may have for what it told: not ruled
    out by the screen, and asking about a facet the question gave (孩子五岁，二级残疾: the
    disability subsidies and the preschool aid, not every item for 低保户)."""
    told = profile_facets(p)
    if not told:
        return []
    # 二级残疾: whether someone must care for them goes unsaid as often as not; 上小学初中:
    # whether the pupil boards. An item unknown on another kind of fact (残疾 when nobody said
    # so, 工会困难职工身份) was not asked about.
    # (the verdict names the undecided profile fields)
    allowed = _UNTOLD_OK.union(*({PROFILE_FIELD.get(f, f) for f in family}
                                 for family in _FAMILIES if not told.isdisjoint(family)))
    return [f.entry for f in screen(kb, p, lambda e: not told.isdisjoint(item_facets(e.item)))
            if f.status == Status.APPLIES
            or (f.status == Status.UNKNOWN and f.verdict.unknown <= allowed)]


def named_schools(entries: Iterable[Entry]) -> frozenset[str]:
    """Every school a document names in a condition (other than the catch-all 其他)."""
    names: set[str] = set()
    for e in entries:
        conds = [e.item.eligibility, *(a.when for a in e.item.amounts)]
        for root in conds:
            for c in walk(root):
                if c.member is not None and c.member.school:
                    names.update(s for s in c.member.school if s != "其他")
    return frozenset(names)


def canonical_schools(p: Profile, named: frozenset[str]) -> Profile:
    """A copy whose members' schools are a named school or 其他 (None stays unknown)."""
    def canon(school: str | None) -> str | None:
        if school is None:
            return None
        return next((n for n in named if n in school or school in n), "其他")

    members = [m.model_copy(update={"school": canon(m.school)}) for m in p.members]
    return p.model_copy(update={"members": members})


def evaluate(cond: Condition, p: Profile, member: Member | None) -> Verdict:
    """Kleene logic over the tree; a member leaf without a member means 'some member'."""
    if cond.fact is not None:  # the profile never records it: always cannot tell
        return Verdict(None, frozenset({cond.fact}))
    if cond.all is not None:
        return _all(evaluate(c, p, member) for c in cond.all)
    if cond.any is not None:
        return _any(evaluate(c, p, member) for c in cond.any)
    if cond.not_ is not None:
        v = evaluate(cond.not_, p, member)
        return v if v.value is None else Verdict(not v.value)
    if cond.household is not None:
        return _household(cond.household, p)
    assert cond.member is not None
    if member is not None:
        return _member(cond.member, member)
    if not p.members:
        return Verdict(None, frozenset({"members"}))
    return _any(_member(cond.member, m) for m in p.members)


def select_amounts(amounts: Iterable[Amount], p: Profile,
                   member: Member | None) -> tuple[tuple[Amount, ...], tuple[Amount, ...]]:
    """(amounts that apply, amounts that might apply) for this household or person."""
    sure: list[Amount] = []
    maybe: list[Amount] = []
    for a in amounts:
        v = TRUE if a.when is None else evaluate(a.when, p, member)
        if v.value is True:
            sure.append(a)
        elif v.value is None:
            maybe.append(a)
    return tuple(sure), tuple(maybe)


@dataclass(frozen=True)
class PersonResult:
    """One member's verdict on a per-person entitlement."""

    index: int
    verdict: Verdict
    amounts: tuple[Amount, ...]
    maybe_amounts: tuple[Amount, ...]


@dataclass(frozen=True)
class Finding:
    """One entitlement's verdict on the household (and on each member when per person)."""

    entry: Entry
    verdict: Verdict
    amounts: tuple[Amount, ...] = ()
    people: tuple[PersonResult, ...] = ()

    @property
    def status(self) -> Status:
        return self.verdict.status


def screen(kb: KnowledgeBase, p: Profile,
           wanted: Callable[[Entry], bool] | None = None) -> list[Finding]:
    """Every entitlement of the household's region (and its ancestors) with a stated group,
    judged (only those `wanted` says, when given)."""
    out: list[Finding] = []
    entries = kb.entries_for(p.region_id)
    p = canonical_schools(complete(p), named_schools(entries))
    for entry in entries:
        item = entry.item
        if item.kind != Kind.ENTITLEMENT or item.eligibility is None or \
                (wanted is not None and not wanted(entry)):
            continue
        if item.scope == "member" and p.members:
            people = []
            for i, m in enumerate(p.members):
                v = evaluate(item.eligibility, p, m)
                sure, maybe = select_amounts(item.amounts, p, m)
                people.append(PersonResult(i, v, sure, maybe))
            verdict = _any(pr.verdict for pr in people)
            out.append(Finding(entry, verdict, people=tuple(people)))
        else:
            v = evaluate(item.eligibility, p, None)
            out.append(Finding(entry, v, amounts=select_amounts(item.amounts, p, None)[0]))
    return out


CAP_WORDS = ("最高", "以内", "不超过", "限额", "封顶")  # a ceiling, not a payment
# 免收/免除/免费/两助三免: a fee waived or goods given, worth money but not money paid out.
# Waivers whose text lacks the word (中职、技工300元/人/年) carry period: none in the YAML.
WAIVER_WORDS = ("免",)
# Money put into a project on the household's behalf (人均注入产业扶贫资金2万元以上): worth
# knowing, but never cash in the household's hands.
PROJECT_WORDS = ("注入", "项目资金", "扶贫资金")


def is_cap(a: Amount) -> bool:
    """True when the figure is a ceiling (最高1万元, 8000元以内) rather than a payment."""
    return any(w in a.text for w in CAP_WORDS)


def is_project_money(a: Amount) -> bool:
    """True when the figure is money invested in a project for the household, not paid to it."""
    return any(w in a.text for w in PROJECT_WORDS)


def is_cash(a: Amount) -> bool:
    """True when the figure is yuan paid out to the household, not a rate, cap or waiver."""
    return ("元" in a.unit and "%" not in a.unit and a.value_max is None and not is_cap(a)
            and not any(w in a.text for w in WAIVER_WORDS) and not is_project_money(a))


FigureKind = str  # cash | rate | cap | waiver | project | value (yuan, not a regular payment)


def figure_kind(a: Amount, title: str = "") -> FigureKind:
    """What a money figure is, so the result can say it: cash counts in the yearly estimate,
    the others are shown with what they are (10% of what, a ceiling, a fee waived ...). The
    item's title tells a waiver whose figure does not say so (免学费: 正安二中每生每年1600元)."""
    if is_project_money(a):
        return "project"
    if "%" in a.unit or "倍" in a.unit:
        return "rate"
    if is_cap(a):
        return "cap"
    if any(w in a.text for w in WAIVER_WORDS):
        return "waiver"
    if yearly_value(a) is not None or once_value(a) is not None:
        return "cash"
    return "waiver" if any(w in title for w in WAIVER_WORDS) else "value"


def yearly_value(a: Amount) -> float | None:
    """Yuan per year paid by this figure, or None when it is not a regular cash payment."""
    if not is_cash(a):
        return None
    if a.period == Period.YEAR:
        return a.value
    if a.period == Period.MONTH:
        return a.value * 12
    return None


def once_value(a: Amount) -> float | None:
    """Yuan paid once (一次性) in cash, or None."""
    return a.value if a.period == Period.ONCE and is_cash(a) else None
