"""/due: overdue first; 完成 with or without a note, 延期 by button or typed date, 取消 with
a reason; each audited; someone else's follow-up is refused."""

from __future__ import annotations

import datetime as dt

from storage.models import FollowUp, FollowUpStatus
from storage.repo import audit
from tests import factories
from tests.casework.conftest import WORKER, Team, texts


def _item(team: Team, action: str, due: dt.date, owner: int = WORKER) -> int:
    with team.svc.transaction() as s:
        return factories.followup(s, team.mine[1], owner, action, due).id or 0


def _get(team: Team, item_id: int) -> FollowUp:
    with team.svc.db() as s:
        row = s.get(FollowUp, item_id)
    assert row is not None
    return row


async def test_due_lists_overdue_first_with_buttons(team: Team) -> None:
    _item(team, "送药", dt.date(2026, 12, 20))
    reply = texts(await team.worker.send("/due"))
    assert reply.index("帮忙申请慢病卡") < reply.index("送药")
    assert "已逾期4天" in reply and "12月20日" in reply
    assert [label for label, _ in team.worker.buttons()][:3] == ["1. ✅ 完成", "1. 📅 延期",
                                                                  "1. ✖ 取消"]


async def test_done_with_a_note_and_without(team: Team) -> None:
    first = _item(team, "送药", dt.date(2026, 12, 20))
    await team.worker.send("/due")
    await team.worker.press("2. ✅ 完成")
    assert "已完成" in texts(await team.worker.send("已送到"))
    assert (_get(team, first).status, _get(team, first).close_note) == (FollowUpStatus.DONE,
                                                                          "已送到")
    await team.worker.send("/due")
    await team.worker.press("1. ✅ 完成")
    await team.worker.press("跳过")
    with team.svc.db() as s:
        actions = [e.action for e in audit.entries(session=s, actor_id=WORKER)]
    assert actions[:2] == ["followup.done", "followup.done"]


async def test_postpone_by_button_and_by_typed_date(team: Team) -> None:
    item = _item(team, "送药", dt.date(2026, 12, 20))
    await team.worker.send("/due")
    await team.worker.press("2. 📅 延期")
    assert "已延期" in texts(await team.worker.press("1周"))
    assert _get(team, item).due_on == dt.date(2026, 12, 9)
    await team.worker.send("/due")
    await team.worker.press("2. 📅 延期")
    assert "已经过去了" in texts(await team.worker.send("2026-12-01"))
    assert "已延期" in texts(await team.worker.send("下个月15号"))
    assert _get(team, item).due_on == dt.date(2027, 1, 15)


async def test_cancel_asks_for_a_reason(team: Team) -> None:
    item = _item(team, "送药", dt.date(2026, 12, 20))
    await team.worker.send("/due")
    await team.worker.press("2. ✖ 取消")
    assert "已取消" in texts(await team.worker.send("户主已自行办理"))
    row = _get(team, item)
    assert row.status == FollowUpStatus.CANCELLED and row.close_note == "户主已自行办理"


async def test_a_pressed_button_of_a_closed_item_changes_nothing(team: Team) -> None:
    await team.worker.send("/due")
    old = team.worker.keyboard_message
    await team.worker.press("1. ✅ 完成")
    await team.worker.press("跳过")
    assert old is not None
    await team.worker.press("1. ✖ 取消", on=old)
    assert any("已经处理过了" in n for n in team.worker.notices)


async def test_someone_elses_follow_up_is_refused(team: Team) -> None:
    theirs = _item(team, "他们的事", dt.date(2026, 12, 20), owner=102)
    forged = {"message_id": 1, "date": 0, "chat": {"id": WORKER, "type": "private"},
              "text": "x", "reply_markup": {"inline_keyboard": [[
                  {"text": "完成", "callback_data": f"fu:{theirs}:done:skip"}]]}}
    team.api.messages[(WORKER, 1)] = forged
    await team.worker.press("完成", on=forged)
    assert any("不是分配给您的" in n for n in team.worker.notices)
    assert _get(team, theirs).status == FollowUpStatus.OPEN
