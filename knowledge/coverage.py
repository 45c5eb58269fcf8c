"""Which figures of a source document no item carries: `bangfu kb coverage`.

A figure is a number with what it counts (39户, 1250元, 90%, 36种, 每月至少两次), a date
(3月20日, 3月底) or a year a target is set for (到2020年, 2019年12月前). It is carried when an
item of the same document quotes the passage it stands in and holds its value in a structured
field: an amount, a condition (income, age), a schedule or an effective date. A maintainer who
adds next year's document runs this to see what the new items leave out; figures left out on
purpose are listed in data/coverage_exceptions.yaml with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge.citations import squeeze
from knowledge.loader import DATA_DIR, Entry, KnowledgeBase
from knowledge.schema import walk
from knowledge.text import cn_to_int

EXCEPTIONS_FILE = DATA_DIR / "coverage_exceptions.yaml"
_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = ("万元|亿元|元|%|户|人次|人|名|个月|个|次|种|项|类|期|场|家|所|间|岁|周岁|倍|亩|平方米|"
          "公里|批|台|套|天|小时|周|年级")
# One pattern per kind of figure; the first group is what the figure says.
_FIGURES = re.compile(
    rf"(?P<date>(?:{_NUMBER}年)?\d{{1,2}}月(?:\d{{1,2}}日|底|份|中旬|上旬|下旬)?)(?=前|底|之前|以前|起|份|$|[^年\d])"
    rf"|(?P<target>(?:到|至|于)\d{{4}}年)"
    rf"|(?P<often>每(?:年|月|季度|周|半年)(?:至少|不少于)?[一二两三四五六七八九十\d]+次)"
    rf"|(?<!专栏)(?<!第)(?<![\d.])(?P<amount>{_NUMBER}(?:万|亿)?(?:{_UNITS}))")
_DATE_PARTS = re.compile(r"(?:(\d+)年)?(\d{1,2})月(?:(\d{1,2})日)?")
# Headings: 一、 （一） 1. 专栏4 附件
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|"
                      r"专栏\d+|附件\d*)")


class Exception_(BaseModel):
    """A figure left out on purpose."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    document: str  # document id
    figure: str  # the figure as normalised text, e.g. 到2020年
    near: str = ""  # the figure with a few characters around it, when it occurs more than once
    reason: str = Field(min_length=4)


class ExceptionsFile(BaseModel):
    """coverage_exceptions.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    exceptions: tuple[Exception_, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One figure found in a source document."""

    document: str
    section: str
    text: str  # as written (normalised)
    context: str  # the characters around it (12 each side)
    near: tuple[str, str]  # the figure with 2 characters before, and after: the same statement
    readings: tuple[frozenset[float], ...]  # an item must hold every number of one reading
    start: int
    end: int


def _readings(kind: str, text: str) -> tuple[frozenset[float], ...]:
    """The ways a structured field can hold the figure: every number of one reading
    (a date needs its month and day; 2万元 is 20000 or 2 with the unit 万元)."""
    if kind == "date":
        year, month, day = _DATE_PARTS.search(text).groups()  # type: ignore[union-attr]
        return (frozenset(float(v) for v in (year, month, day) if v),)
    if kind == "target":
        return (frozenset({float(re.search(r"\d{4}", text).group())}),)  # type: ignore[union-attr]
    if kind == "often":
        count = re.search(r"[一二两三四五六七八九十\d]+(?=次)", text).group()  # type: ignore[union-attr]
        value = int(count) if count.isdigit() else cn_to_int(count)
        return (frozenset({float(value or 0)}),)
    number = float(re.match(_NUMBER, text).group())  # type: ignore[union-attr]
    if "万" in text:
        return (frozenset({number * 10_000}), frozenset({number}))
    if "亿" in text:
        return (frozenset({number * 100_000_000}), frozenset({number}))
    return (frozenset({number}),)


def find_figures(document: str, source: str) -> list[Figure]:
    """Every figure of a source text, with the section it stands in (三(一)2)."""
    out: list[Figure] = []
    offset = 0
    path: list[str] = []
    full = squeeze(source)
    for raw in source.splitlines():
        line = squeeze(raw)
        heading = _HEADING.match(line)
        if heading:
            path = _section(path, heading.group().rstrip("、.．"))
        for m in _FIGURES.finditer(line):
            kind = m.lastgroup or "amount"
            start = offset + m.start()
            end = start + len(m.group())
            out.append(Figure(document, "".join(path) or "正文前", m.group(),
                              full[max(0, start - 12):end + 12],
                              (full[max(0, start - 2):end], full[start:end + 2]),
                              _readings(kind, m.group()), start, start + len(m.group())))
        offset += len(line)
    return out


def _section(path: list[str], label: str) -> list[str]:
    """The section path after a heading: 二 -> 二(一) -> 二(一)3."""
    if label.endswith("、") or re.fullmatch(r"[一二三四五六七八九十]+", label):
        return [label]
    if label.startswith("（"):
        return path[:1] + [f"({label.strip('（）')})"]
    if label.startswith(("专栏", "附件")):
        return [label]
    return path[:2] + [label]


def carried_values(entry: Entry) -> frozenset[float]:
    """Every number an item holds in a structured field."""
    item = entry.item
    values: set[float] = set()
    for a in item.amounts:
        values.update(v for v in (a.value, a.value_max) if v is not None)
    for root in (item.eligibility, *(a.when for a in item.amounts)):
        for c in walk(root):
            if c.household and c.household.income_below is not None:
                values.add(c.household.income_below)
            if c.member:
                values.update(v for v in (c.member.age_min, c.member.age_max) if v is not None)
    for d in (item.effective, item.schedule.date if item.schedule else None):
        if d is not None:
            values.update((d.year, d.month, d.day))
    if item.schedule:
        values.update(v for v in (item.schedule.month, item.schedule.day) if v)
    return frozenset(values)


def _spans(entry: Entry, source: str) -> Iterator[tuple[int, int]]:
    quote = squeeze(entry.item.source.quote)
    start = source.find(quote)
    while start >= 0 and quote:
        yield start, start + len(quote)
        start = source.find(quote, start + 1)


COUNT_UNITS = ("人", "户", "名", "个")  # a count repeated (body and annex table) is one figure


@dataclass(frozen=True)
class _Held:
    """What one item holds: where its quote stands, the quote, its numbers, its counts."""

    spans: list[tuple[int, int]]
    quote: str
    values: frozenset[float]
    counts: frozenset[tuple[float, str]]  # (value, unit) of its amounts: (1274, 人)


def _carried(f: Figure, held: list[_Held]) -> bool:
    for h in held:
        if not any(r <= h.values for r in f.readings):
            continue
        if any(s <= f.start and f.end <= e for s, e in h.spans) or any(
                n in h.quote for n in f.near):
            return True  # the item quotes this passage, or the same statement elsewhere
        unit = f.text[-1]
        if unit in COUNT_UNITS and any((v, unit) in h.counts for r in f.readings for v in r):
            return True
    return False


def missing_figures(kb: KnowledgeBase, seeds_dir: Path) -> list[Figure]:
    """Figures of every document that no item quoting their passage carries."""
    missing: list[Figure] = []
    for doc in kb.documents:
        path = seeds_dir / doc.source_file
        if not path.exists():
            continue
        raw = path.read_text(encoding="utf-8")
        source = squeeze(raw)
        held = [_Held(list(_spans(e, source)), squeeze(e.item.source.quote),
                      carried_values(e), frozenset((a.value, a.unit[:1]) for a in e.item.amounts))
                for e in kb.entries if e.document.id == doc.id]
        dated = doc.published
        for f in find_figures(doc.id, raw):
            if dated and any(r <= {dated.year, dated.month, dated.day} for r in f.readings) \
                    and f.section == "正文前":
                continue  # the document's own date
            if not _carried(f, held):
                missing.append(f)
    return missing


def load_exceptions(path: Path = EXCEPTIONS_FILE) -> ExceptionsFile:
    """The figures left out on purpose (an empty list when the file is absent)."""
    if not path.exists():
        return ExceptionsFile()
    return ExceptionsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def excused(figure: Figure, exceptions: ExceptionsFile) -> Exception_ | None:
    """The exception that covers a missing figure, if any."""
    return next((x for x in exceptions.exceptions if x.document == figure.document
                 and x.figure == figure.text and squeeze(x.near) in figure.context), None)
