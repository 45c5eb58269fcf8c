"""One roster row validated into a Person: the ID number checked and replaced by its keyed
hash and masked form, the region resolved, every cell read. Errors name row and column."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from knowledge import identity
from knowledge.regions import RegionNode, RegionTree
from storage.roster import fields
from storage.roster.columns import HEADERS, Columns
from storage.roster.fields import FieldError
from storage.secrets import id_hash

T = TypeVar("T")
AGE_TOLERANCE = 1  # 年龄 may be as of the export, up to a year before the import
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number and zeroes the rest


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one cell (column "" for the row or the file as a whole)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class Facts:
    """The household cells of one row; None where the row leaves them blank."""

    county_id: str
    town_id: str
    village: str
    categories: tuple[str, ...] | None
    area: str | None
    income: float | None
    housing: str | None
    phone: str | None
    caseworker: str | None


@dataclass(frozen=True, slots=True)
class Person:
    """A valid row: the person, and the household cells it carries. No full ID number."""

    row: int
    code: str
    facts: Facts
    id_hash: str
    id_masked: str
    name: str
    relation: str
    sex: str
    birth_date: dt.date
    school_stage: str | None
    boarding: bool | None
    disability_level: int | None
    health: str | None


@dataclass(frozen=True, slots=True)
class BadRow:
    """An invalid row: its household code (maybe "") and every error found in it."""

    row: int
    code: str
    errors: tuple[RowError, ...]
    relation: str | None = None  # still counted by the one-户主 check


def _required(limit: int) -> Callable[[str], str | None]:
    return lambda text: fields.short_text(text, limit, required=True)


# (field, Person/Facts attribute, parser) for every cell but 户编号, the ID and the region.
PARSERS: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("name", "name", _required(40)),
    ("relation", "relation", fields.relation), ("sex", "sex", fields.sex),
    ("birth_date", "birth_date", fields.birth_date), ("age", "age", fields.age),
    ("school", "school_stage", fields.school_stage), ("boarding", "boarding", fields.yes_no),
    ("disability", "disability_level", fields.disability_level),
    ("health", "health", fields.health), ("village", "village", _required(40)),
    ("categories", "categories", fields.categories), ("area", "area", fields.area),
    ("income", "income", fields.income), ("housing", "housing", fields.housing),
    ("phone", "phone", fields.phone),
    ("caseworker", "caseworker", lambda text: fields.short_text(text, 40)),
)
HOUSEHOLD_CELLS = ("village", "categories", "area", "income", "housing", "phone", "caseworker")


class RowReader:
    """Reads rows of one file: its columns, the region tree, the hash key and today's date."""

    def __init__(self, columns: Columns, regions: RegionTree, key: bytes, today: dt.date) -> None:
        self.columns, self.regions, self.key, self.today = columns, regions, key, today
        self._towns: dict[tuple[str, str], tuple[str, str] | RowError] = {}
        # every field, absent ones at a position no row reaches (they read as blank)
        self._positions = tuple((f, columns.index.get(f, 1 << 30)) for f in HEADERS)

    def read(self, row: int, cells: Sequence[object]) -> Person | BadRow:
        """The row as a Person, or every error in it."""
        size = len(cells)
        text = {f: fields.cell_text(cells[i]) if i < size else "" for f, i in self._positions}
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        for field, attr, parse in PARSERS:  # inline, not _checked: this runs 17 times a row
            try:
                values[attr] = parse(text[field])
            except FieldError as exc:
                errors.append(RowError(row, self.columns.label(field), str(exc)))
                values[attr] = None
        code = self._checked(row, "code", errors, lambda: self._code(cells, text["code"]))
        person = self._checked(row, "id_number", errors,
                               lambda: self._identity(cells, text["id_number"]))
        region = self._region(row, text["county"], text["town"])
        if isinstance(region, RowError):
            errors.append(region)
        sex, born, age = values.pop("sex"), values.pop("birth_date"), values.pop("age")
        if person is not None:
            errors.extend(self._agrees(row, person, sex, born, age))
        if errors or person is None or code is None or isinstance(region, RowError):
            return BadRow(row, code or "", tuple(errors), values["relation"])
        household = {k: values.pop(k) for k in HOUSEHOLD_CELLS}
        return Person(row=row, code=code, facts=Facts(*region, **household),
                      id_hash=id_hash(self.key, person.number), id_masked=person.masked(),
                      sex=person.sex, birth_date=person.birth_date, **values)

    def _checked(self, row: int, field: str, errors: list[RowError],
                 read: Callable[[], T]) -> T | None:
        """read(), or None with its FieldError added to `errors` under the field's column."""
        try:
            return read()
        except FieldError as exc:
            errors.append(RowError(row, self.columns.label(field), str(exc)))
            return None

    def _code(self, cells: Sequence[object], text: str) -> str:
        code = fields.short_text(text, 40, required=True)
        assert code is not None
        if len(code) > EXCEL_DIGITS and _is_number(cells[self.columns.index["code"]]):
            raise FieldError("被 Excel 存成了数字，超过15位的部分可能已丢失：请把该列设为文本")
        return code

    def _identity(self, cells: Sequence[object], text: str) -> identity.IdNumber:
        position = self.columns.index["id_number"]
        raw = cells[position] if position < len(cells) else None
        if _is_number(raw):  # 18 digits as a number: the last ones are gone, nothing to recover
            raise FieldError("被 Excel 存成了数字（末几位已丢失）：请把该列设为文本后重新填写")
        if not text:
            raise FieldError("不能为空")
        try:
            return identity.parse(text, today=self.today)
        except identity.IdNumberError as exc:
            raise FieldError(f"不是有效的身份证号：{exc}") from exc

    def _agrees(self, row: int, person: identity.IdNumber, sex: str | None,
                born: dt.date | None, age: int | None) -> list[RowError]:
        """性别, 出生日期 and 年龄 must say what the ID number says."""
        label, out = self.columns.label, []
        if sex is not None and sex != person.sex:
            out.append(RowError(row, label("sex"), "与证件号码第17位所示性别不一致"))
        if born is not None and born != person.birth_date:
            out.append(RowError(row, label("birth_date"), "与证件号码中的出生日期不一致"))
        if age is not None and abs(age - person.age_on(self.today)) > AGE_TOLERANCE:
            out.append(RowError(row, label("age"), "与证件号码中的出生日期算出的年龄不一致"))
        return out

    def _region(self, row: int, county: str, town: str) -> tuple[str, str] | RowError:
        """(county id, town id) of a 县区 and 乡镇 of regions.yaml (cached per spelling)."""
        found = self._towns.get((county, town))
        if found is None:
            found = self._towns[(county, town)] = self._resolve(county, town)
        return found if not isinstance(found, RowError) else RowError(row, found.column,
                                                                       found.message)

    def _resolve(self, county_text: str, town_text: str) -> tuple[str, str] | RowError:
        label = self.columns.label
        if not county_text:
            return RowError(0, label("county"), "不能为空")
        county = self.regions.resolve(county_text)
        if county is None or county.level != "county":
            return RowError(0, label("county"), f"未知的县区“{county_text}”")
        if not town_text:
            return RowError(0, label("town"), "不能为空")
        town = town_of(self.regions, county, town_text)
        if town is None:
            known = "、".join(t.name for t in self.regions.children(county.id)) or "无"
            return RowError(0, label("town"), f"{county.name}没有名为“{town_text}”的乡镇或街道"
                            f"（已登记：{known}；新的乡镇请先加入 regions.yaml）")
        return county.id, town.id


def _is_number(cell: object) -> bool:
    """A numeric cell (openpyxl gives int or float) rather than text."""
    return isinstance(cell, int | float) and not isinstance(cell, bool)


_TOWN_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡", "街")


def town_of(regions: RegionTree, county: RegionNode, text: str) -> RegionNode | None:
    """The town of a county a name or alias means (张相镇, 张相, 向阳街道办事处)."""
    wanted = _spellings((text,))
    for town in regions.children(county.id):
        if town.level == "town" and wanted & _spellings((town.name, *town.aliases)):
            return town
    return None


def _spellings(names: Sequence[str]) -> set[str]:
    """Each name normalised, with and without a 镇/乡/街道 suffix."""
    out = {unicodedata.normalize("NFKC", n).replace(" ", "").strip() for n in names}
    out |= {n.removesuffix(s) for n in out for s in _TOWN_SUFFIXES}
    return {n for n in out if n}
