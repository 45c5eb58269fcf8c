"""Rows grouped into households, and the checks that need the whole household: one 户主,
no person twice, the same household cells on every row.

The national export lists a household's members together, so a household is complete when
the next code starts and only it is held in memory. A code seen again after its household
closed is recorded in `Grouper.split`; the importer then reads the file again with those codes
known, and the grouper holds back just their rows until the end of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from storage.roster.rows import BadRow, Facts, Person, RowError

HEAD = "户主"
Group = tuple[str, list[Person | BadRow]]  # a household code and its rows, in file order
# Household cells that must agree on every row that fills them in. 联系电话 may differ:
# the national export writes each member's own phone; the household keeps the head's.
CONSISTENT = (("town_id", "town"), ("village", "village"), ("categories", "categories"),
              ("area", "area"), ("income", "income"), ("housing", "housing"),
              ("caseworker", "caseworker"))


@dataclass
class Household:
    """A valid household of the file: its merged cells and its members."""

    code: str
    first_row: int
    head_name: str
    facts: Facts
    members: list[Person]


@dataclass
class Grouper:
    """Collects rows into households as they stream past."""

    known_split: frozenset[str] = frozenset()
    split: set[str] = field(default_factory=set)
    _code: str | None = None
    _rows: list[Person | BadRow] = field(default_factory=list)
    _closed: set[str] = field(default_factory=set)
    _held: dict[str, list[Person | BadRow]] = field(default_factory=dict)

    def add(self, item: Person | BadRow) -> list[Group]:
        """Add a row (it has a code); returns the household it closes, if any."""
        code = item.code
        if code in self.known_split:
            self._held.setdefault(code, []).append(item)
            return []
        closed: list[Group] = []
        if code != self._code:
            closed = list(self._close())
            if code in self._closed:
                self.split.add(code)
            self._code = code
        self._rows.append(item)
        return closed

    def finish(self) -> Iterator[Group]:
        """The last household, then the held-back ones."""
        yield from self._close()
        for code in list(self._held):
            yield code, self._held.pop(code)

    def _close(self) -> Iterator[Group]:
        if self._code is not None and self._rows:
            self._closed.add(self._code)
            rows, self._rows = self._rows, []
            yield self._code, rows
        self._code = None


def check(code: str, rows: list[Person | BadRow],
          label: Callable[[str], str]) -> tuple[Household | None, list[RowError]]:
    """The household, or None and every error of its rows and of the household as a whole."""
    errors = [e for r in rows if isinstance(r, BadRow) for e in r.errors]
    people = [r for r in rows if isinstance(r, Person)]
    first_row = min(r.row for r in rows)
    heads = [r for r in rows if r.relation == HEAD]
    if not heads:
        errors.append(RowError(first_row, label("relation"), f"户 {code} 没有户主"))
    for extra in heads[1:]:
        errors.append(RowError(extra.row, label("relation"),
                               f"户 {code} 已有户主（第 {heads[0].row} 行）"))
    seen: dict[str, int] = {}
    for p in people:
        if p.id_hash in seen:
            errors.append(RowError(p.row, label("id_number"),
                                   f"与第 {seen[p.id_hash]} 行是同一个证件号码"))
        seen.setdefault(p.id_hash, p.row)
    facts, conflicts = merge(people, label)
    errors.extend(conflicts)
    if errors or facts is None:
        return None, errors
    head = heads[0]
    assert isinstance(head, Person)  # no errors: every row is a Person
    return Household(code, first_row, head.name, facts, people), []


def merge(people: list[Person],
          label: Callable[[str], str]) -> tuple[Facts | None, list[RowError]]:
    """The household's cells: the first filled-in value of each; a row that fills in a
    different value is an error. The phone is the head's (or the first given)."""
    if not people:
        return None, []
    errors: list[RowError] = []
    merged: dict[str, object] = {}
    where: dict[str, int] = {}
    for p in people:
        for attr, column in CONSISTENT:
            value = getattr(p.facts, attr)
            if value is None:
                continue
            key = frozenset(value) if attr == "categories" else value
            if attr not in merged:
                merged[attr], where[attr] = key, p.row
            elif merged[attr] != key:
                errors.append(RowError(p.row, label(column),
                                       f"与第 {where[attr]} 行（同一户）不一致"))
    first = next((p for p in people if p.relation == HEAD), people[0])
    phones = [first.facts.phone, *(p.facts.phone for p in people)]
    categories = next((p.facts.categories for p in people if p.facts.categories), ())
    facts = Facts(county_id=first.facts.county_id, town_id=first.facts.town_id,
                  village=first.facts.village, categories=categories,
                  area=_first(people, "area"), income=_first(people, "income"),
                  housing=_first(people, "housing"),
                  phone=next((ph for ph in phones if ph), None),
                  caseworker=_first(people, "caseworker"))
    return facts, errors


def _first(people: list[Person], attr: str) -> Any:
    return next((getattr(p.facts, attr) for p in people if getattr(p.facts, attr) is not None),
                None)
