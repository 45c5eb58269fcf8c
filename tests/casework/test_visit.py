"""/visit through the real Application: the whole form, back and cancel at every step,
dates, restart mid-form on another process, double taps, deactivation, two at once."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import time_machine
from sqlmodel import select

from bot.app import build_application
from storage.models import FollowUp, Household, Member, Visit, VisitDraft
from storage.repo import audit, staff
from tests.casework.conftest import SUPERVISOR, WORKER, Team, texts
from tests.fakes import OfflineChat

PHOTO = b"\xff\xd8\xff\xe0 jpeg"


async def fill(chat: OfflineChat, *, followup: str = "下周三") -> str:
    """From the choice of household to the summary, answering every step."""
    await chat.send("/visit")
    await chat.press("张小明")
    await chat.press("入户走访")
    await chat.send("孩子今年上初中了，住校")
    await chat.press("教育")
    await chat.press("完成")
    await chat.send_photo(PHOTO)
    await chat.send_location(42.28, 123.85)
    await chat.press("完成")
    await chat.press("上学/升学")
    await chat.press("张小红")
    await chat.press("初中住校")
    await chat.press("没有了")
    await chat.send("帮忙申请寄宿生生活补助")
    return texts(await chat.send(followup))


def _visits(team: Team) -> list[Visit]:
    with team.svc.db() as s:
        return list(s.exec(select(Visit)).all())


async def test_a_whole_visit_is_saved_with_its_changes_followup_and_gaps(team: Team) -> None:
    summary = await fill(team.worker)
    assert "请核对" in summary and "初中住校" in summary and "12月9日" in summary
    assert "照片：1张" in summary and "已附位置" in summary
    saved = texts(await team.worker.press("保存"))
    assert "已保存" in saved and "帮忙申请寄宿生生活补助" in saved
    history = texts(team.worker.history[-3:])
    assert "之前的跟进事项" in history and "帮忙申请慢病卡" in str(team.worker.history[-2])
    assert "应享未享" in history and "寄宿生" in history  # the change made her a boarder
    with team.svc.db() as s:
        visit = s.exec(select(Visit).where(Visit.notes == "孩子今年上初中了，住校")).one()
        assert visit.author_id == WORKER and visit.needs == ["教育"] and len(visit.photos) == 1
        assert visit.latitude == pytest.approx(42.28)
        child = s.exec(select(Member).where(Member.name == "张小红")).one()
        assert (child.school_stage, child.boarding) == ("初中", True)
        due = s.exec(select(FollowUp).where(FollowUp.visit_id == visit.id)).one()
        assert due.due_on == dt.date(2026, 12, 9) and due.owner_id == WORKER
        assert s.get(VisitDraft, WORKER) is None
        actions = {e.action for e in audit.entries(session=s, actor_id=WORKER)}
    assert {"visit.add", "member.update", "followup.add"} <= actions


@pytest.mark.parametrize("answered", range(1, 7))
async def test_back_undoes_one_answer_at_every_step(team: Team, answered: int) -> None:
    answers = [("press", "入户走访"), ("send", "情况"), ("press", "完成"), ("press", "跳过"),
               ("press", "没有了"), ("press", "不需要跟进")]
    await team.worker.send("/visit")
    prompts = [texts(await team.worker.press("李大爷"))]
    assert "返回" not in str(team.worker.buttons())  # the first step has nothing to undo
    for action, value in answers[:answered]:
        prompts.append(texts(await (team.worker.press(value) if action == "press"
                                    else team.worker.send(value))))
    assert texts(await team.worker.press("返回")) == prompts[-2]
    with team.svc.db() as s:
        assert s.get(VisitDraft, WORKER) is not None  # 返回 keeps the form


@pytest.mark.parametrize("steps_before", range(0, 7))
async def test_cancel_at_every_step_saves_nothing(team: Team, steps_before: int) -> None:
    answers = [("press", "入户走访"), ("send", "情况"), ("press", "完成"), ("press", "跳过"),
               ("press", "没有了"), ("send", "送药")]
    await team.worker.send("/visit")
    await team.worker.press("李大爷")
    for action, value in answers[:steps_before]:
        await (team.worker.press(value) if action == "press" else team.worker.send(value))
    assert "没有保存" in texts(await team.worker.press("取消"))
    with team.svc.db() as s:
        assert s.get(VisitDraft, WORKER) is None
    assert len(_visits(team)) == 2  # the two seeded visits only


async def test_a_past_or_unreadable_due_date_is_refused_and_the_form_kept(team: Team) -> None:
    assert "已经过去了" in await fill(team.worker, followup="2026-11-30")
    assert "没看懂这个日期" in texts(await team.worker.send("下辈子"))
    assert "请核对" in texts(await team.worker.send("月底"))


async def test_the_form_resumes_after_a_restart_on_another_process(team: Team) -> None:
    await team.worker.send("/visit")
    await team.worker.press("张小明")
    await team.worker.press("电话回访")
    old_keyboard = team.worker.keyboard_message
    second = OfflineChat(build_application(team.svc, request=team.api), team.api,
                         user_id=WORKER)  # another process (or a restart), same database
    async with second.app:
        assert old_keyboard is not None
        prompt = texts(await second.press("跳过", on=old_keyboard))
        assert "发现了哪些方面的需求" in prompt
        await second.press("完成")
        await second.press("跳过")
        await second.press("没有了")
        await second.press("不需要跟进")
        assert "已保存" in texts(await second.press("保存"))
    assert any(v.kind == "电话回访" for v in _visits(team))


async def test_a_double_tap_on_save_saves_once(team: Team) -> None:
    await fill(team.worker)
    confirm = copy.deepcopy(team.worker.keyboard_message)  # the phone still shows it
    assert confirm is not None
    await team.worker.press("保存", on=confirm)
    second = texts(await team.worker.press("保存", on=confirm))
    assert "已经结束" in second
    assert len(_visits(team)) == 3


async def test_another_command_pauses_the_form_and_visit_resumes_it(team: Team) -> None:
    await team.worker.send("/visit")
    await team.worker.press("张小明")
    await team.worker.press("入户走访")
    assert "已暂停走访记录" in texts(await team.worker.send("/help"))
    assert "您有一份还没保存的走访记录" in texts(await team.worker.send("/visit"))
    assert "请输入这次了解到的情况" in texts(await team.worker.press("继续填写"))


async def test_a_deactivated_caseworker_is_stopped_mid_form(team: Team) -> None:
    await team.worker.send("/visit")
    await team.worker.press("张小明")
    with team.svc.transaction() as s:
        staff.deactivate(session=s, telegram_id=WORKER, by="cli", now=dt.datetime.now(dt.UTC))
    await team.worker.press("入户走访")
    assert any("已停用" in n for n in team.worker.notices)
    with team.svc.db() as s:
        assert s.get(VisitDraft, WORKER) is None
    assert len(_visits(team)) == 2


async def test_two_caseworkers_fill_forms_at_the_same_time(team: Team) -> None:
    other = team.other
    await team.worker.send("/visit")
    await other.send("/visit")
    await team.worker.press("张小明")
    await other.press("赵四")
    for chat, kind in ((team.worker, "入户走访"), (other, "政策宣讲")):
        await chat.press(kind)
    for chat in (other, team.worker):
        await chat.press("跳过")
        await chat.press("完成")
        await chat.press("跳过")
        await chat.press("没有了")
        await chat.press("不需要跟进")
    assert "已保存" in texts(await other.press("保存"))
    assert "已保存" in texts(await team.worker.press("保存"))
    kinds = {(v.household_id, v.kind) for v in _visits(team)}
    assert (team.mine[0].id, "入户走访") in kinds and (team.others.id, "政策宣讲") in kinds


async def test_a_caseworker_cannot_start_a_visit_for_someone_elses_household(
        team: Team) -> None:
    forged = {"message_id": 1, "date": 0, "chat": {"id": WORKER, "type": "private"},
              "text": "x", "reply_markup": {"inline_keyboard": [[
                  {"text": "走访", "callback_data": f"vh:{team.others.id}"}]]}}
    team.api.messages[(WORKER, 1)] = forged
    await team.worker.press("走访", on=forged)
    assert any("不是分配给您的帮扶户" in n for n in team.worker.notices)
    with team.svc.db() as s:
        assert s.get(VisitDraft, WORKER) is None


async def test_the_author_edits_within_24_hours_then_only_a_supervisor(
        team: Team, clock: time_machine.Traveller) -> None:
    await fill(team.worker)
    await team.worker.press("保存")
    await team.worker.send("/household 张小明")
    await team.worker.press("修改/删除")
    await team.worker.press("修改记录")
    assert "已修改" in texts(await team.worker.send("补充：已联系学校"))
    clock.shift(dt.timedelta(hours=25))
    page = texts(await team.worker.send("/household 张小明"))
    assert "补充：已联系学校" in page and "修改/删除" not in str(team.worker.buttons())
    await team.supervisor.send("/household 张小明")
    await team.supervisor.press("修改/删除")
    await team.supervisor.press("删除")
    assert "已删除" in texts(await team.supervisor.press("确认删除"))
    with team.svc.db() as s:
        assert audit.entries(session=s, actor_id=SUPERVISOR)[0].action == "visit.delete"


async def test_household_changes_update_housing_and_categories(team: Team) -> None:
    await team.worker.send("/visit")
    await team.worker.press("王芳")
    await team.worker.press("危房鉴定")
    await team.worker.press("跳过")
    await team.worker.press("完成")
    await team.worker.press("跳过")
    await team.worker.press("住房情况")
    await team.worker.press("危房D级")
    await team.worker.press("家庭类别")
    await team.worker.press("低保户")  # ticks it; 建档立卡贫困户 stays ticked
    summary = texts(await team.worker.press("完成"))
    assert "已登记2项变化" in summary
    await team.worker.press("没有了")
    confirm = texts(await team.worker.press("不需要跟进"))
    assert "住房 → 危房D级" in confirm and "建档立卡贫困户、低保户" in confirm
    await team.worker.press("保存")
    with team.svc.db() as s:
        h = s.get(Household, team.mine[2].id)
        assert h is not None and h.housing == "危房D级"
        assert h.categories == ["建档立卡贫困户", "低保户"]
        assert audit.entries(session=s, object_type="household",
                             object_id=h.code)[0].action == "household.update"


def _last_visit(team: Team, name: str) -> dt.datetime | None:
    with team.svc.db() as s:
        return s.exec(select(Household).where(Household.head_name == name)).one().last_visited_at


async def _stale_line(team: Team) -> str:
    shown = texts(await team.supervisor.send("/report 本月"))
    return next(line for line in shown.splitlines() if "30天没有走访" in line)


async def test_the_last_visit_time_follows_save_edit_and_delete(
        team: Team, clock: time_machine.Traveller) -> None:
    """households.last_visited_at (what coverage and the digest read) after each change."""
    start = dt.datetime.now(dt.UTC)
    assert _last_visit(team, "张小明") is None
    assert "30天没有走访：3户" in await _stale_line(team)  # 张小明, 李大爷 (40 days), 赵四
    await fill(team.worker)
    await team.worker.press("保存")
    assert _last_visit(team, "张小明") == start
    assert "30天没有走访：2户" in await _stale_line(team)
    clock.shift(dt.timedelta(hours=2))
    await fill(team.worker, followup="下周五")
    await team.worker.press("保存")
    assert _last_visit(team, "张小明") == start + dt.timedelta(hours=2)
    await team.worker.send("/household 张小明")
    await team.worker.press("修改/删除")
    await team.worker.press("修改记录")
    assert "已修改" in texts(await team.worker.send("补充：已联系学校"))
    assert _last_visit(team, "张小明") == start + dt.timedelta(hours=2)  # an edit keeps it
    for left in (start, None):  # delete the latest: the one before; then none at all
        await team.supervisor.send("/household 张小明")
        await team.supervisor.press("修改/删除")
        await team.supervisor.press("删除")
        assert "已删除" in texts(await team.supervisor.press("确认删除"))
        assert _last_visit(team, "张小明") == left
    assert _last_visit(team, "王芳") == start - dt.timedelta(days=3)  # others untouched
    assert "30天没有走访：3户" in await _stale_line(team)
