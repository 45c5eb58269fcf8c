"""/deadlines, adding and ending an office's deadline in the chat, /remind, /settings, and
the calendar and status commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
import yaml
from sqlmodel import select

from bot.main import main
from handlers.deadline_new import DRAFT
from handlers.jobs.scheduler import scheduler, tick
from handlers.jobs.throttle import Throttle
from storage.models import Deadline, User
from storage.repo import audit
from tests.casework.conftest import SUPERVISOR, WORKER, Team, texts
from tests.casework.test_reminders import received
from tests.clocks import FakeTime, at


async def test_deadlines_shows_the_documents_calendar_with_status(team: Team) -> None:
    reply = texts(await team.supervisor.send("/deadlines"))
    assert "清河区的工作期限" in reply and "危房改造" in reply  # 每月 duties of the 2020 plan
    assert "新增本单位期限" in str(team.supervisor.buttons())
    past = texts(await team.supervisor.press("往年的期限"))
    assert "3月20日前完成建档立卡贫困户危房鉴定" in past and "不再提醒" in past
    await team.worker.send("/deadlines")
    assert "新增本单位期限" not in str(team.worker.buttons())  # caseworkers only read it


async def test_a_supervisor_adds_a_monthly_deadline_and_it_is_reminded(
        team: Team, clock: time_machine.Traveller) -> None:
    fake = FakeTime()
    scheduler(team.worker.app).throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    await team.supervisor.send("/deadlines")
    await team.supervisor.press("新增本单位期限")
    await team.supervisor.send("上报月度台账")
    await team.supervisor.press("每月")
    assert "没看懂" in texts(await team.supervisor.send("大概月中"))
    await team.supervisor.send("20号")
    await team.supervisor.press("本级（清河区）")
    confirm = texts(await team.supervisor.press("提前3天和1天"))
    assert "每月20日前" in confirm and "提前3天和1天" in confirm
    assert "已保存" in texts(await team.supervisor.press("保存"))
    with team.svc.db() as s:
        rows = list(s.exec(select(Deadline)))
        assert [(d.title, d.rule, d.remind_days, d.created_by) for d in rows] == [
            ("上报月度台账", {"recurrence": "monthly", "day": 20}, [3, 1], f"tg:{SUPERVISOR}")]
        assert audit.entries(session=s, actor_id=SUPERVISOR)[0].action == "deadline.add"
    at(clock, dt.date(2026, 12, 17), 9)
    await tick(team.worker.app)
    assert any("上报月度台账" in t and "还有3天" in t for t in received(team.supervisor))
    await team.supervisor.send("/deadlines")
    await team.supervisor.press("管理本单位期限")
    await team.supervisor.press("结束：上报月度台账")
    with team.svc.db() as s:
        assert rows[0].id is not None
        ended = s.get(Deadline, rows[0].id)
        assert ended is not None and ended.ended_at is not None


async def test_caseworkers_cannot_add_deadlines(team: Team) -> None:
    forged = {"message_id": 1, "date": 0, "chat": {"id": WORKER, "type": "private"},
              "text": "x", "reply_markup": {"inline_keyboard": [[
                  {"text": "新增", "callback_data": "dn:start"}]]}}
    team.api.messages[(WORKER, 1)] = forged
    await team.worker.press("新增", on=forged)
    with team.svc.db() as s:
        assert audit.entries(session=s, actor_id=WORKER)[0].action.startswith("refused:")


async def test_remind_sets_a_personal_reminder_and_sends_it(
        team: Team, clock: time_machine.Traveller) -> None:
    fake = FakeTime()
    scheduler(team.worker.app).throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    reply = texts(await team.worker.send("/remind 下周三 给李大爷送药"))
    assert "12月9日" in reply and "08:30" in reply
    assert "用法" in texts(await team.worker.send("/remind 给李大爷送药"))
    at(clock, dt.date(2026, 12, 9), 9)
    await tick(team.worker.app)
    assert any("提醒" in t and "给李大爷送药" in t for t in received(team.worker))


async def test_settings_change_the_days_before_a_deadline(team: Team) -> None:
    assert "7天、1天前" in texts(await team.supervisor.send("/settings"))
    assert "已保存" in texts(await team.supervisor.press("提前3天和1天"))
    with team.svc.db() as s:
        user = s.get(User, SUPERVISOR)
        assert user is not None and user.remind_days == [3, 1]
    assert "/region" in texts(await team.resident.send("/settings"))


@pytest.fixture
def cli(team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> object:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", team.svc.settings.database_url)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_calendar_export_and_import_round_trip(team: Team, cli: object, tmp_path: Path) -> None:
    run = cli
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump({"offices": [
        {"region": "清河区", "title": "季度联席会议", "rule": {"recurrence": "quarterly"}},
        {"region": "张相镇", "title": "每月28日前报送", "level": "town",
         "rule": {"recurrence": "monthly", "day": 28}, "remind_days": [3]}]},
        allow_unicode=True), encoding="utf-8")
    code, out, _ = run("calendar", "import", str(new))  # type: ignore[operator]
    assert code == 0 and "新增 2 条" in out
    code, text, _ = run("calendar", "export")  # type: ignore[operator]
    exported = yaml.safe_load(text)
    assert code == 0 and len(exported["documents"]) >= 40
    assert any(d["historical"] for d in exported["documents"])
    assert [o["title"] for o in exported["offices"]] == ["季度联席会议", "每月28日前报送"]
    exported["offices"][0]["ended"] = True
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(exported, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("calendar", "import", str(again))  # type: ignore[operator]
    assert code == 0 and "修改 2 条" in out


def test_calendar_import_refuses_a_bad_file_whole(team: Team, cli: object,
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"offices": [
        {"region": "清河区", "title": "好的", "rule": {"recurrence": "monthly", "day": 5}},
        {"region": "火星区", "title": "坏的", "rule": {"recurrence": "monthly", "day": 5}},
        {"region": "清河区", "title": "也坏", "rule": {"recurrence": "yearly"}}]},
        allow_unicode=True), encoding="utf-8")
    code, _, err = cli("calendar", "import", str(bad))  # type: ignore[operator]
    assert code == 2 and "第2条" in err and "第3条" in err and "没有导入任何内容" in err
    code, text, _ = cli("calendar", "export")  # type: ignore[operator]
    assert yaml.safe_load(text)["offices"] == []


async def test_status_reports_the_scheduler(team: Team, cli: object,
                                            clock: time_machine.Traveller) -> None:
    code, out, _ = cli("status", "--json")  # type: ignore[operator]
    assert code == 1 and json.loads(out)["scheduler"] is None  # nobody has ticked yet
    await tick(team.worker.app)
    code, out, _ = cli("status", "--json")  # type: ignore[operator]
    report = json.loads(out)
    assert code == 0 and report["scheduler"] == scheduler(team.worker.app).process
    clock.shift(dt.timedelta(minutes=3))  # the leader stops sweeping
    code, out, _ = cli("status")  # type: ignore[operator]
    assert code == 1 and "调度进程" in out


async def test_cancel_in_a_new_deadline_saves_nothing(team: Team) -> None:
    await team.supervisor.send("/deadlines")
    await team.supervisor.press("新增本单位期限")
    await team.supervisor.send("上报月度台账")
    assert DRAFT in team.supervisor.app.user_data[SUPERVISOR]  # a draft to drop
    assert "已取消，没有保存" in texts(await team.supervisor.press("✖ 取消"))
    assert DRAFT not in team.supervisor.app.user_data[SUPERVISOR]
    with team.svc.db() as s:
        assert not list(s.exec(select(Deadline)))
