"""Pydantic models that validate the knowledge YAML at load time."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.vocabulary import Category, Housing, MentalCare, SchoolStage


class Kind(StrEnum):
    """What an item is: something a resident gets, a standard, a duty, or a statistic."""

    ENTITLEMENT = "entitlement"  # subsidy, exemption, rate, insurance, loan, service, priority
    STANDARD = "standard"  # a line or level the documents set (低保标准, 收入线)
    DEADLINE = "deadline"  # a dated or recurring duty of an office
    FIGURE = "figure"  # counts and targets (户数, 人数, 年度目标)


class Strict(BaseModel):
    """Base model: unknown keys are errors, so typos in YAML fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class HouseholdCondition(Strict):
    """One declarative test on the household; every field set must hold (AND)."""

    categories: tuple[Category, ...] | None = None  # household is in ANY of these
    area: Literal["rural", "urban"] | None = None
    income_below: float | None = None  # per-capita yearly income strictly below (元)
    housing: tuple[Housing, ...] | None = None  # housing situation is ANY of these
    single_mother: bool | None = None
    relocated: bool | None = None  # 易地扶贫搬迁


class MemberCondition(Strict):
    """One declarative test on a household member; every field set must hold (AND)."""

    age_min: int | None = None  # inclusive
    age_max: int | None = None  # inclusive
    school_stage: tuple[SchoolStage, ...] | None = None
    boarding: bool | None = None
    new_entrant: bool | None = None  # 当年新考入 / 新生
    school: tuple[str, ...] | None = None  # named schools; "其他" matches any other school
    disability_level: tuple[int, ...] | None = None  # 1..4; 0 means 有残疾 but level unknown
    disabled: bool | None = None  # any disability at all
    needs_long_term_care: bool | None = None
    chronic_disease: bool | None = None
    major_illness: bool | None = None
    mental_illness: tuple[MentalCare, ...] | None = None


class Condition(Strict):
    """A tree: `all`/`any`/`not` combine; `household`/`member`/`fact` are leaves."""

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    household: HouseholdCondition | None = None
    member: MemberCondition | None = None
    # what the document requires but a profile does not record (劳动能力, 脱贫状态…), in
    # a few words: the screener always answers "cannot tell" and names it
    fact: str | None = Field(default=None, min_length=2, max_length=20)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        parts = [self.all, self.any, self.not_, self.household, self.member, self.fact]
        if sum(p is not None for p in parts) != 1:
            raise ValueError(
                "a condition has exactly one of: all, any, not, household, member, fact")
        return self


class Period(StrEnum):
    """How often a money amount is paid; lets the screener estimate a yearly total."""

    YEAR = "year"
    MONTH = "month"
    ONCE = "once"
    NONE = "none"  # rates, caps, thresholds, counts: not a payment


class Amount(Strict):
    """One figure exactly as written, with the situation it is for."""

    label: str | None = None  # e.g. 小学寄宿生, 一级残疾, 盘山县
    value: float
    value_max: float | None = None  # for ranges such as 10%-30%, 200—24000元
    unit: str  # as written: 元/人/年, %, 户, 人, 倍, 万元
    period: Period = Period.NONE
    text: str  # verbatim fragment of the item's quote that states this figure
    when: Condition | None = None  # the situation this figure is for (member or household)
    of: str | None = None  # what a percentage is of, e.g. 低保标准


class Departments(Strict):
    """Who leads, who implements, who cooperates, exactly as the document names them."""

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()


class Source(Strict):
    """Where in the document the item is stated."""

    section: str  # e.g. 三(一)4 or 专栏5(一)
    quote: str  # short verbatim quote from the document containing every figure


class Schedule(Strict):
    """When a duty falls due: once on a date, or recurring."""

    recurrence: Literal["once", "yearly", "half_yearly", "quarterly", "monthly"]
    date: dt.date | None = None  # for once
    month: int | None = Field(default=None, ge=1, le=12)  # for yearly
    day: int | None = Field(default=None, ge=1, le=31)  # None with end_of_month
    end_of_month: bool = False  # 月底 / 3月底前
    # Who must act, as a supervisor level: the towns (各镇/乡（镇）街 in the text), or the
    # document's own county or city offices. Reminders go to supervisors of that level.
    acts: Literal["city", "county", "town"]
    month_in_period: int | None = Field(default=None, ge=1, le=6)  # 每季度第2个月
    yearly_duty: bool = False  # a dated duty the document means to repeat every year

    @model_validator(mode="after")
    def _complete(self) -> Schedule:
        if self.recurrence == "once" and self.date is None:
            raise ValueError("a one-off schedule needs a date")
        if self.recurrence == "yearly" and self.month is None:
            raise ValueError("a yearly schedule needs a month")
        if self.recurrence in ("yearly", "monthly") and not (self.day or self.end_of_month):
            raise ValueError("a yearly or monthly schedule needs a day or end_of_month")
        return self


class Item(Strict):
    """One concrete promise, standard, duty or figure of one document."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)+$")]
    kind: Kind
    title: str
    topic: Literal[
        "教育", "医疗", "兜底", "住房", "就业", "产业", "金融", "养老", "残疾", "妇女儿童",
        "社会帮扶", "工作机制", "统计",
    ]
    aliases: tuple[str, ...] = ()  # extra phrasings residents use, for the matcher
    summary: str  # one or two plain sentences, taken from the document's wording
    who: str | None = None  # who qualifies, in the document's words
    scope: Literal["household", "member"] = "household"  # per household or per person
    # the same benefit as another document's item (a district carrying out the city's scheme):
    # a /check result shows them as one entry with both citations
    same_as: tuple[str, ...] = ()
    # items this package contains (两助三免 includes 免学费): shown inside it, counted once
    includes: tuple[str, ...] = ()
    eligibility: Condition | None = None  # None: no household condition stated
    amounts: tuple[Amount, ...] = ()
    departments: Departments = Departments()
    how_to_apply: str | None = None  # only when the document says so
    effective: dt.date | None = None
    schedule: Schedule | None = None  # deadlines only
    source: Source

    @model_validator(mode="after")
    def _kind_fields(self) -> Item:
        if self.kind == Kind.DEADLINE and self.schedule is None:
            raise ValueError(f"{self.id}: a deadline needs a schedule")
        if self.kind != Kind.DEADLINE and self.schedule is not None:
            raise ValueError(f"{self.id}: only deadlines have a schedule")
        return self

    @property
    def wording(self) -> str:
        """The item's own words: title, summary, quote and how to apply (what a reply may say
        the document gives or does not give)."""
        return "".join((self.title, self.summary, self.source.quote, self.how_to_apply or ""))


def walk(cond: Condition | None) -> Iterator[Condition]:
    """A condition and every condition inside it (all, any, not), depth first."""
    if cond is not None:
        yield cond
        for child in (*(cond.all or ()), *(cond.any or ()), cond.not_):
            yield from walk(child)


def within(section: str, parent: str) -> bool:
    """Whether an item's section numbering lies in a section: itself, or a subsection of it
    (三(四)4 in 三(四), 专栏4(二) in 专栏4; not 专栏40 in 专栏4)."""
    if section == parent:
        return True
    return section.startswith(parent) and (parent.endswith((")", "）"))
                                           or section[len(parent)] in "(（")


class Section(Strict):
    """A numbered section of the document, as a supervisor names it (东西部劳务协作有哪些任务):
    the heading copied from the document, and the short names a question may use for it."""

    id: str  # the numbering the items' source.section use, e.g. 三(四)4, or their parent's (三(四))
    heading: str  # verbatim from the source text (bangfu kb check)
    names: tuple[Annotated[str, Field(min_length=4)], ...] = ()  # each in the source text too


class Document(Strict):
    """The cited document, once per YAML file."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: str
    doc_no: str | None = None  # 文号
    issuer: str
    year: int
    published: dt.date | None = None
    jurisdiction: str  # region id from regions.yaml
    source_file: str  # file name in shared/seeds
    sections: tuple[Section, ...] = ()  # the sections a list question may name


class KnowledgeFile(Strict):
    """One YAML file: a document and everything concrete it says."""

    document: Document
    items: tuple[Item, ...]

    @field_validator("items")
    @classmethod
    def _prefixed_ids(cls, items: tuple[Item, ...], info: Any) -> tuple[Item, ...]:
        doc = info.data.get("document")
        if doc is not None:
            bad = [i.id for i in items if not i.id.startswith(doc.id + "-")]
            if bad:
                raise ValueError(f"item ids must start with '{doc.id}-': {bad}")
            used = {i.source.section for i in items}
            unused = [s.id for s in doc.sections if not any(within(u, s.id) for u in used)]
            if unused:
                raise ValueError(f"sections no item cites: {unused}")
            given = Counter(x for s in doc.sections for x in (s.id, *s.names))
            twice = sorted(x for x, n in given.items() if n > 1)
            if twice:
                raise ValueError(f"section ids or names given twice: {twice}")
        return items


class Region(Strict):
    """A node of the region tree: province, city, county/district, or town (镇/乡/街道)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    name: str
    level: Literal["province", "city", "county", "town"]
    aliases: tuple[str, ...] = ()
    children: tuple[Region, ...] = ()
    # false: known by name (a question about 大连 is declined honestly, a resident typing 大连 is
    # told there is no document) but not offered as a button in the city list
    offered: bool = True


class RegionsFile(Strict):
    """regions.yaml: the whole tree."""

    regions: tuple[Region, ...]


class Negation(Strict):
    """A concept a question can negate (不住校, 没上学, 不是低保户)."""

    concept: str  # 住校
    also: tuple[str, ...] = ()  # the same concept in other words: 寄宿, 住宿
    means: tuple[str, ...] = ()  # the negated concept in the documents' words: 走读, 非寄宿


class OutsideTopic(Strict):
    """A public service outside the assistance programmes (住房公积金, 驾照): a question about it
    is declined, whatever words it shares with an item, unless the region's documents name it."""

    word: str = Field(min_length=2)
    why: str  # what it is and who handles it


class SynonymsFile(Strict):
    """synonyms.yaml: colloquial phrase -> formal terms appended to a query."""

    synonyms: dict[str, tuple[str, ...]]
    stop_phrases: tuple[str, ...] = ()
    negations: tuple[Negation, ...] = ()  # concepts whose negation steers the match away
    outside: tuple[OutsideTopic, ...] = ()  # services no programme document is about


class DialectRule(Strict):
    """One phrase-level rewrite: a dialect or colloquial phrase and its Mandarin meaning."""

    say: str = Field(min_length=1)  # as typed, after traditional -> simplified
    means: str  # what replaces it ("" drops a particle)
    dialect: Literal["southwest", "cantonese", "northeast", "colloquial"]
    why: str = Field(min_length=4)  # the comment: what the phrase means and why it is safe
    pattern: bool = False  # `say` is a regular expression (`means` may use \1)

    @model_validator(mode="after")
    def _compiles(self) -> DialectRule:
        if self.pattern:
            try:
                re.compile(self.say)
            except re.error as exc:
                raise ValueError(f"{self.say}: not a regular expression: {exc}") from exc
        return self


class DialectsFile(Strict):
    """dialects.yaml: rewrites applied before matching (see knowledge/dialects.py)."""

    rules: tuple[DialectRule, ...]
