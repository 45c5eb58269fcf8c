"""The household roster import on SQLite and PostgreSQL: valid files, encodings, header
variants, bad rows, --skip-invalid, --dry-run, re-import, audit rows and privacy."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from knowledge import identity
from knowledge.loader import KnowledgeBase
from storage.db import make_engine, session, transaction
from storage.migrate import upgrade
from storage.models import AuditEvent, Household, Member, Role, User, Village
from storage.repo.casework import VisitCreate, add_visit
from storage.roster import files as roster_files
from storage.roster.importer import Options, Report, import_roster
from storage.secrets import id_hash
from storage.synthetic import COLUMNS, rows, write_xlsx

KEY = b"test-key"
NOW = dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 6, 1)
Row = dict[str, str]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def sample(households: int = 12, seed: int = 3) -> list[Row]:
    return list(rows(households=households, seed=seed))


def write(path: Path, data: Sequence[Row], *, encoding: str = "utf-8-sig",
          columns: Sequence[str] = COLUMNS, above: Sequence[Sequence[str]] = ()) -> Path:
    """A CSV with the given header (and title rows above it), or .xlsx by the suffix."""
    if path.suffix == ".xlsx":  # r.ss.xlsx: texts in a shared-string table, as Excel saves
        write_xlsx(path, data, shared_strings=path.name.endswith(".ss.xlsx"))
        return path
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerows(above)
        out.writerow(columns)
        out.writerows([r.get(c, "") for c in COLUMNS] for r in data)
    return path


def run(path: Path, engine: Engine, kb: KnowledgeBase, **options: Any) -> Report:
    return import_roster(path, engine=engine, regions=kb.regions, key=KEY, now=NOW,
                         today=TODAY, options=Options(**options))


def stored(engine: Engine) -> tuple[list[Household], list[Member]]:
    with session(engine) as s:
        return list(s.exec(select(Household))), list(s.exec(select(Member)))


def audit(engine: Engine) -> list[AuditEvent]:
    with session(engine) as s:
        return list(s.exec(select(AuditEvent)))


def every_text(engine: Engine) -> str:
    """Every value of every table, as text: what a privacy check must search."""
    out = []
    with engine.connect() as conn:
        meta = sa.MetaData()
        meta.reflect(conn)
        for table in meta.sorted_tables:
            out += [json.dumps(list(r), default=str, ensure_ascii=False)
                    for r in conn.execute(sa.select(table))]
    return "\n".join(out)


@pytest.mark.parametrize("suffix", [".xlsx", ".ss.xlsx", ".csv"])
def test_a_valid_file_imports_every_household_and_member(
        suffix: str, engine: Engine, kb: KnowledgeBase, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_files, "SPILL_ABOVE", 0)  # the shared strings go to disk
    data = sample()
    report = run(write(tmp_path / f"r{suffix}", data), engine, kb)
    assert report.imported and report.errors == []
    codes = {r["户编号"] for r in data}
    assert report.as_json()["households"] == {"created": len(codes), "updated": 0,
                                              "unchanged": 0}
    assert report.members.created == len(data)
    households, members = stored(engine)
    assert {h.code for h in households} == codes and len(members) == len(data)
    first = next(r for r in data if r["与户主关系"] == "户主")
    household = next(h for h in households if h.code == first["户编号"])
    town = kb.regions.get(household.region_id)
    assert town.name == first["乡镇"] and town.level == "town"
    with session(engine) as s:
        village = s.get(Village, household.village_id)
    assert village is not None and village.name == first["行政村"]
    assert village.path == kb.regions.path(town.id) + f"v{village.id}/" == household.path
    assert household.head_name == first["姓名"] and household.phone == first["联系电话"]
    head = next(m for m in members if m.id_hash == id_hash(KEY, first["证件号码"]))
    assert head.id_masked == first["证件号码"][:6] + "********" + first["证件号码"][-4:]
    assert head.birth_date == dt.date.fromisoformat(first["出生日期"]) and head.present


def test_fields_map_to_the_vocabulary_the_eligibility_engine_reads(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = big_households(1, members=4)
    for row in data:  # household cells are the same on every row
        row.update({"家庭类别": "低保户；建档立卡贫困户", "住房情况": "C级危房", "城乡": "农村",
                    "人均纯收入": "4,500元"})
    for row, stage, boards, health, level in zip(data[1:4], ("七年级", "大专", "非在校生"),
                                                  ("是", "", ""), ("残疾", "健康", "患有大病"),
                                                  ("二级", "", ""), strict=True):
        row.update({"在校生状况": stage, "是否住校": boards, "健康状况": health, "残疾等级": level})
    run(write(tmp_path / "r.csv", data), engine, kb)
    (household,), members = stored(engine)
    assert household.categories == ["低保户", "建档立卡贫困户"]
    assert (household.housing, household.area, household.income_per_capita_yearly) == (
        "危房C级", "rural", 4500.0)
    by_hash = {m.id_hash: m for m in members}
    got = [by_hash[id_hash(KEY, r["证件号码"])] for r in data[1:4]]
    assert [(m.school_stage, m.boarding, m.health, m.disability_level) for m in got] == [
        ("初中", True, "残疾", 2), ("专科", None, "健康", None), ("不上学", None, "患有大病", None)]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_utf8_with_bom_and_plain_utf8(
        encoding: str, engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(4)
    data[0]["姓名"] = "䶮𠀀"  # outside GBK: only GB18030's four-byte codes hold these
    path = write(tmp_path / "r.csv", data, encoding=encoding)
    report = run(path, engine, kb)
    assert report.imported and report.encoding == encoding
    assert "䶮𠀀" in {m.name for m in stored(engine)[1]}


def test_header_variants_a_title_row_and_unknown_columns(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    variants = {"户编号": "户码", "证件号码": "身份证号", "县区": "县（市、区）",
                "乡镇": "乡(镇、街道)", "行政村": "村（社区）", "家庭类别": "贫困户属性",
                "人均纯收入": "人均纯收入（元）", "帮扶责任人": "帮扶责任人 *"}
    columns = [*(variants.get(c, c) for c in COLUMNS), "民族"]  # 民族: a column we do not use
    data = sample(3)
    path = write(tmp_path / "r.csv", data, columns=columns,
                 above=[["清河区建档立卡贫困人口明细表"], []])
    report = run(path, engine, kb)
    assert report.unrecognised_columns == ("民族",)
    assert report.imported and report.members.created == len(data)
    households, _ = stored(engine)
    assert {h.caseworker_name for h in households} == {r["帮扶责任人"] for r in data}
    assert {h.categories[0] for h in households} <= {"建档立卡贫困户", "低保户", "低收入户",
                                                     "低保边缘户", "特困供养"}


def big_households(count: int, *, members: int = 3) -> list[Row]:
    """The rows of the first `count` synthetic households with that many members or more."""
    data = sample(40, seed=5)
    codes = [c for c in dict.fromkeys(r["户编号"] for r in data)
             if sum(r["户编号"] == c for r in data) >= members][:count]
    return [r for r in data if r["户编号"] in codes]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_imported(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = big_households(3)
    heads = [i for i, r in enumerate(data) if r["与户主关系"] == "户主"]
    number = data[heads[0] + 1]["证件号码"]
    data[heads[0] + 1]["证件号码"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    data[heads[1]].update({"年龄": "3", "乡镇": "不存在镇"})
    data[heads[2]]["家庭类别"] = "低保户、富裕户"
    data[heads[2] + 1]["与户主关系"] = "户主"
    data[heads[2] + 2]["行政村"] = "别的村"
    row = [i + 2 for i in heads]  # file rows: the header is row 1
    expected = [(row[0] + 1, "证件号码", "校验位"), (row[1], "年龄", "年龄不一致"),
                (row[1], "乡镇", "没有名为“不存在镇”"), (row[2], "家庭类别", "富裕户"),
                (row[2] + 1, "与户主关系", "已有户主"), (row[2] + 2, "行政村", "不一致")]
    with_age = [*COLUMNS[:6], "年龄", *COLUMNS[6:]]
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(with_age)
        out.writerows([r.get(c, "") for c in with_age] for r in data)
    report = run(path, engine, kb)
    assert not report.imported
    got = [(e.row, e.column, e.message) for e in report.errors]
    for line, column, words in expected:
        assert any(r == line and c == column and words in m for r, c, m in got), (line, column)
    assert len(got) == len(expected)
    assert stored(engine) == ([], []) and audit(engine) == []
    text = json.dumps(report.as_json(), ensure_ascii=False)
    assert not any(r["证件号码"] in text for r in data), "an error message shows a full ID"
    assert report.households.created == 0 and report.members.created == 0


def test_skip_invalid_imports_the_valid_households_and_lists_the_rest(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(5)
    bad_code = data[0]["户编号"]
    data[0]["证件号码"] = "123"
    report = run(write(tmp_path / "r.csv", data), engine, kb, skip_invalid=True)
    assert report.imported and report.skipped == [bad_code]
    assert [(e.row, e.column) for e in report.errors] == [(2, "证件号码")]
    assert {h.code for h in stored(engine)[0]} == {r["户编号"] for r in data} - {bad_code}


def test_a_dry_run_counts_what_would_change_and_writes_nothing(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(6)
    writes: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *_: writes.append(statement)
                    if statement.lstrip().upper().startswith(("INSERT", "UPDATE")) else None)
    report = run(write(tmp_path / "r.csv", data), engine, kb, dry_run=True)
    assert writes == []  # not even rolled back later: a dry run holds no write lock
    assert report.imported and report.households.created == 6
    assert report.members.created == len(data) and report.villages_created > 0
    assert stored(engine) == ([], []) and audit(engine) == []
    with session(engine) as s:
        assert list(s.exec(select(Village))) == []


def test_a_re_import_updates_in_place_and_reports_who_left(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(6)
    run(write(tmp_path / "r.csv", data), engine, kb)
    again = run(write(tmp_path / "r.csv", data), engine, kb)
    assert again.as_json()["households"] == {"created": 0, "updated": 0, "unchanged": 6}
    assert again.members.unchanged == len(data) and audit(engine)[-1].action != "member.update"
    code = data[0]["户编号"]
    left = next(r for r in data[1:] if r["户编号"] == code)
    changed = [dict(r) for r in data if r is not left]
    for r in changed:
        if r["户编号"] == code:
            r["人均纯收入"] = "9990"
    pupil = next(r for r in changed if r["户编号"] != code)
    pupil["在校生状况"] = "高中一年级" if pupil["在校生状况"] != "高中一年级" else "大专"
    born = dt.date(2025, 3, 1)
    newborn = {**changed[0], "姓名": "王小宝", "与户主关系": "之孙子", "出生日期": born.isoformat(),
               "证件号码": identity.make("211204", born, 11), "在校生状况": "学龄前儿童",
               "性别": "男", "是否住校": "", "健康状况": "健康", "残疾等级": ""}
    changed.insert(1, newborn)
    report = run(write(tmp_path / "r2.csv", changed), engine, kb)
    assert report.errors == []
    assert report.as_json()["households"] == {"created": 0, "updated": 1, "unchanged": 5}
    assert report.as_json()["members"] == {"created": 1, "updated": 1,
                                           "unchanged": len(data) - 2, "gone": 1}
    assert [(g.household, g.name) for g in report.gone] == [(code, left["姓名"])]
    households, members = stored(engine)
    assert len(households) == 6 and len(members) == len(data) + 1  # nothing duplicated
    gone = next(m for m in members if m.id_hash == id_hash(KEY, left["证件号码"]))
    assert not gone.present
    assert next(h for h in households if h.code == code).income_per_capita_yearly == 9990
    back = run(write(tmp_path / "r.csv", data), engine, kb)  # the member came back
    assert back.members.updated == 2 and back.members.gone == 1  # and the newborn left


def test_a_re_import_keeps_each_households_last_visit(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(6)
    run(write(tmp_path / "r.csv", data), engine, kb)
    code = data[0]["户编号"]
    first = stored(engine)[0]
    at: dict[str, dt.datetime | None] = {h.code: NOW - dt.timedelta(days=i)
                                         for i, h in enumerate(first[:-1])}
    at[first[-1].code] = None  # never visited
    with transaction(engine) as s:
        s.add(User(telegram_id=7, role=Role.CASEWORKER, display_name="干部"))
        for h in s.exec(select(Household).where(Household.code != first[-1].code)):
            add_visit(session=s, by=7, now=NOW, data=VisitCreate(
                household_id=h.id or 0, kind="入户走访", visited_at=at[h.code] or NOW))
    changed = [dict(r) for r in data]
    for r in changed:
        if r["户编号"] == code:
            r["人均纯收入"] = "9990"
    report = run(write(tmp_path / "r2.csv", changed), engine, kb)
    assert report.as_json()["households"] == {"created": 0, "updated": 1, "unchanged": 5}
    households = {h.code: h for h in stored(engine)[0]}
    assert households[code].income_per_capita_yearly == 9990
    assert {c: h.last_visited_at for c, h in households.items()} == at


def test_every_change_has_an_audit_row_without_a_full_id_number(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(4)
    run(write(tmp_path / "r.csv", data), engine, kb)
    rows_ = audit(engine)
    actions = [r.action for r in rows_]
    assert actions.count("household.create") == 4 and actions.count("member.create") == len(data)
    assert {r.actor for r in rows_} == {"import"}
    _, members = stored(engine)
    created = {r.object_id for r in rows_ if r.action == "member.create"}
    assert created == {str(m.id) for m in members}
    masked = {json.dumps(r.after, ensure_ascii=False) for r in rows_ if r.object_type == "member"}
    assert all("********" in m for m in masked)
    everything = every_text(engine)
    for r in data:
        assert r["证件号码"] not in everything, "a full ID number was stored"


def test_caseworkers_are_matched_by_name_within_the_county(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(27 * 2)  # every village twice; one of two names per village
    qinghe = next(r for r in data if r["县区"] == "清河区")
    name = qinghe["帮扶责任人"]
    for r in data:  # the same name also works in 斗门区
        if r["县区"] == "斗门区" and r["行政村"] == data[-1]["行政村"]:
            r["帮扶责任人"] = name
    with transaction(engine) as s:
        s.add(User(telegram_id=2**40 + 1, role=Role.CASEWORKER, display_name=name,
                   home_region_id="qinghe-zhangxiang"))
    report = run(write(tmp_path / "r.csv", data), engine, kb)
    households, _ = stored(engine)
    mine = {h.code for h in households if h.caseworker_id == 2**40 + 1}
    assert mine == {r["户编号"] for r in data if r["县区"] == "清河区" and r["帮扶责任人"] == name}
    assert all(h.caseworker_name for h in households)
    assert (name, "斗门区") in {(u.name, u.county) for u in report.unassigned}
    other = next(u for u in report.unassigned if u.county == "清河区")
    with transaction(engine) as s:  # registered later: a re-import assigns the households
        s.add(User(telegram_id=77, role=Role.CASEWORKER, display_name=other.name,
                   home_region_id="qinghe"))
    again = run(write(tmp_path / "r.csv", data), engine, kb)
    assert other.name not in {u.name for u in again.unassigned}
    assert sum(h.caseworker_id == 77 for h in stored(engine)[0]) == other.households


def test_a_household_listed_in_two_places_is_one_household(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    data = sample(3)
    first = data[0]["户编号"]
    ordered = [r for r in data if r["户编号"] == first]
    rest = [r for r in data if r["户编号"] != first]
    shuffled = [ordered[0], *rest, *ordered[1:]]  # the head at the top, the family at the end
    report = run(write(tmp_path / "r.csv", shuffled), engine, kb)
    assert report.errors == [] and report.households.created == 3
    assert report.members.created == len(data)
    again = run(write(tmp_path / "r.csv", shuffled), engine, kb)
    assert again.members.gone == 0 and again.members.unchanged == len(data)


def test_a_missing_column_stops_the_import_before_any_row(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c != "乡镇"]
    path = write(tmp_path / "r.csv", sample(2), columns=columns)
    report = run(path, engine, kb, skip_invalid=True)
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(1, "乡镇")]


def test_numbers_excel_would_have_rounded_are_refused(
        engine: Engine, kb: KnowledgeBase, tmp_path: Path) -> None:
    from openpyxl import Workbook

    data = big_households(1)
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    as_numbers = {(0, "证件号码"), (1, "户编号")}  # Excel keeps 15 significant digits
    for i, r in enumerate(data):
        sheet.append([int(r[c]) if (i, c) in as_numbers else r[c] for c in COLUMNS])
    book.save(tmp_path / "r.xlsx")
    report = run(tmp_path / "r.xlsx", engine, kb)
    assert [(e.row, e.column) for e in report.errors] == [(2, "证件号码"), (3, "户编号")]
    assert all("Excel 存成了数字" in e.message for e in report.errors)
