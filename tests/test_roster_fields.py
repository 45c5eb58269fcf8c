"""Roster cells to values, as the national system and county offices write them, and the
header variants that are recognised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest

from knowledge.loader import KnowledgeBase
from knowledge.vocabulary import CATEGORIES, NOT_IN_SCHOOL, SCHOOL_STAGES
from storage.roster import fields
from storage.roster.columns import HEADERS, VARIANTS, find_header, read_header
from storage.roster.fields import FieldError
from storage.roster.rows import town_of

SCHOOL = {
    "学前教育": "学前", "幼儿园": "学前", "小学三年级": "小学", "七年级": "初中", "九年级": "初中",
    "初二": "初中", "高中一年级": "普通高中", "普通高中": "普通高中", "中职二年级": "中职",
    "中专": "中职", "大专": "专科", "高职一年级": "专科", "本科": "本科", "本科及以上": "本科",
    "研究生": "研究生", "非在校生": NOT_IN_SCHOOL, "学龄前儿童": NOT_IN_SCHOOL,
}


@pytest.mark.parametrize(("text", "stage"), SCHOOL.items())
def test_school_states_map_to_the_vocabularys_stages(text: str, stage: str) -> None:
    assert fields.school_stage(text) == stage
    assert stage in (*SCHOOL_STAGES, NOT_IN_SCHOOL)


@pytest.mark.parametrize(("text", "expected"), [
    ("低保户", ("低保户",)), ("低保户、建档立卡贫困户", ("低保户", "建档立卡贫困户")),
    ("五保户，低保边缘", ("特困供养", "低保边缘户")), ("特困人员;孤儿", ("特困供养", "孤儿")),
    ("低保/低收入户", ("低保户", "低收入户")), ("低保贫困户", ("建档立卡贫困户", "低保户")),
    ("建档立卡 , 低保户,低保户", ("建档立卡贫困户", "低保户")), ("", None),
])
def test_several_categories_with_any_separator(text: str, expected: tuple[str, ...] | None
                                               ) -> None:
    assert fields.categories(text) == expected
    assert set(expected or ()) <= set(CATEGORIES)


def test_an_unknown_category_is_named() -> None:
    with pytest.raises(FieldError, match="富裕户"):
        fields.categories("低保户、富裕户")


@pytest.mark.parametrize(("parse", "text", "value"), [
    (fields.housing, "C级危房", "危房C级"), (fields.housing, "d级危房", "危房D级"),
    (fields.housing, "住房安全", "安全"), (fields.housing, "无房", "无房"),
    (fields.disability_level, "二级", 2), (fields.disability_level, "4级", 4),
    (fields.disability_level, "残疾一级", 1), (fields.disability_level, "无", 0),
    (fields.health, "慢性病", "长期慢性病"), (fields.health, "患有大病", "患有大病"),
    (fields.area, "农村", "rural"), (fields.area, "城镇", "urban"),
    (fields.yes_no, "住校", True), (fields.yes_no, "走读", False),
    (fields.income, "4,500.50元", 4500.5), (fields.age, "35岁", 35),
    (fields.birth_date, "1980年1月2日", dt.date(1980, 1, 2)),
    (fields.birth_date, "1980/1/2", dt.date(1980, 1, 2)),
    (fields.birth_date, "19800102", dt.date(1980, 1, 2)),
    (fields.relation, "本人", "户主"), (fields.phone, "138 0000 0000", "13800000000"),
])
def test_cells_read_in_the_spellings_offices_use(parse: Callable[[str], object], text: str,
                                                 value: object) -> None:
    assert parse(text) == value
    assert parse is fields.relation or parse("") is None  # a blank cell is "not given"


@pytest.mark.parametrize(("parse", "text"), [
    (fields.housing, "很好"), (fields.disability_level, "五级"), (fields.health, "还行"),
    (fields.area, "郊区"), (fields.yes_no, "有时"), (fields.income, "很多"),
    (fields.age, "200"), (fields.birth_date, "1980-02-30"), (fields.phone, "电话坏了"),
    (fields.school_stage, "在家"), (fields.relation, ""), (fields.sex, "未知"),
])
def test_unreadable_cells_raise_field_errors(parse: Callable[[str], object], text: str) -> None:
    with pytest.raises(FieldError):
        parse(text)


def test_full_width_digits_and_dates_from_excel_are_read_as_text() -> None:
    assert fields.cell_text("２０２０") == "2020"
    assert fields.cell_text(dt.datetime(1980, 1, 2, 0, 0)) == "1980-01-02"
    assert fields.cell_text(4500.0) == "4500" and fields.cell_text(None) == ""


@pytest.mark.parametrize("field", sorted(VARIANTS))
def test_every_header_variant_is_recognised(field: str) -> None:
    for variant in VARIANTS[field]:
        assert read_header(1, [variant]).index == {field: 0}, variant
    assert read_header(1, [f" {HEADERS[field]}（元）*"]).index == {field: 0}


def test_the_header_is_found_below_a_title_and_a_repeated_column_is_unrecognised() -> None:
    rows: list[tuple[int, Sequence[object]]] = [
        (1, ["花名册", None]), (2, []), (3, ["户编号", "身份证号", "证件号码", "姓名"]),
        (4, ["x", "y"])]
    sheet = iter(rows)
    columns = find_header(sheet)
    assert columns is not None and columns.row == 3
    assert columns.index == {"code": 0, "id_number": 1, "name": 3}
    assert columns.unrecognised == ("证件号码",)
    assert next(sheet) == (4, ["x", "y"])  # the caller reads on from the first data row
    assert set(columns.missing) == {"与户主关系", "县区", "乡镇", "行政村"}


@pytest.mark.parametrize(("county", "town", "expected"), [
    ("qinghe", "张相镇", "qinghe-zhangxiang"), ("qinghe", "张相", "qinghe-zhangxiang"),
    ("qinghe", "向阳街", "qinghe-xiangyang"), ("qinghe", "向阳街道办事处", "qinghe-xiangyang"),
    ("qinghe", "聂家乡", "qinghe-niejia"), ("doumen", "白藤街道", "doumen-baiteng"),
    ("doumen", "张相镇", None), ("qinghe", "井岸镇", None),
])
def test_towns_are_found_only_in_their_own_county(kb: KnowledgeBase, county: str, town: str,
                                                  expected: str | None) -> None:
    found = town_of(kb.regions, kb.regions.get(county), town)
    assert (found.id if found else None) == expected
