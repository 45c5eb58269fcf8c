"""转给其他干部: a supervisor reassigns a household of their region; audited in the same
transaction, both caseworkers told; refused for another region (and audited)."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import select

from storage.models import FollowUp, FollowUpStatus, Household, Role
from storage.repo import audit
from tests import factories
from tests.casework.conftest import (
    DOUMEN_SUPERVISOR,
    OTHER_WORKER,
    SUPERVISOR,
    WORKER,
    Team,
    texts,
)

DOUMEN_WORKER = 103


def _forged(team: Team, user_id: int, data: str) -> dict[str, Any]:
    """A message with one button, as if the bot had sent it to this user."""
    message = {"message_id": 1, "date": 0, "chat": {"id": user_id, "type": "private"},
               "text": "x", "reply_markup": {"inline_keyboard": [[
                   {"text": "按钮", "callback_data": data}]]}}
    team.api.messages[(user_id, 1)] = message
    return message


async def test_a_supervisor_reassigns_and_both_caseworkers_are_told(team: Team) -> None:
    zhang = team.mine[0]
    await team.supervisor.send("/household 张小明")
    reply = texts(await team.supervisor.press("转给其他干部"))
    assert "现在负责：张干部" in reply
    assert [label for label, _ in team.supervisor.buttons()] == ["王干部", "✖ 取消"]
    assert "确认把" in texts(await team.supervisor.press("王干部"))
    team.worker.history.clear()
    team.other.history.clear()
    done = texts(await team.supervisor.press("确认转交"))
    assert "已把 <b>张小明户</b>" in done and "王干部" in done
    to_new, to_old = texts(team.other.history), texts(team.worker.history)
    assert "转给您负责" in to_new and zhang.code in to_new and "1 项待办跟进事项" in to_new
    assert "已把 <b>张小明户</b>" in to_old and "王干部 负责" in to_old
    with team.svc.db() as s:
        h = s.get(Household, zhang.id)
        assert h is not None and h.caseworker_id == OTHER_WORKER
        item = s.exec(select(FollowUp).where(FollowUp.household_id == zhang.id)).one()
        assert item.owner_id == OTHER_WORKER and item.status == FollowUpStatus.OPEN
        rows = audit.entries(session=s, actor_id=SUPERVISOR, limit=5)
    actions = [r.action for r in rows]
    assert actions[:2] == ["followup.reassign", "household.reassign"]
    change = rows[1]
    assert change.before and change.after and change.object_id == zhang.code
    assert (change.before["caseworker"], change.after["caseworker"]) == (WORKER, OTHER_WORKER)
    assert "张小明" not in texts(await team.worker.send("/mine"))
    assert "张小明" in texts(await team.other.send("/mine"))


async def test_a_second_tap_on_confirm_changes_nothing(team: Team) -> None:
    await team.supervisor.send("/household 李大爷")
    await team.supervisor.press("转给其他干部")
    await team.supervisor.press("王干部")
    assert team.supervisor.keyboard_message is not None
    confirm = copy.deepcopy(team.supervisor.keyboard_message)  # the same button, tapped twice
    await team.supervisor.press("确认转交", on=copy.deepcopy(confirm))
    again = texts(await team.supervisor.press("确认转交", on=confirm))
    assert "没有重复改派" in again
    with team.svc.db() as s:
        rows = audit.entries(session=s, actor_id=SUPERVISOR, limit=10)
    assert [r.action for r in rows].count("household.reassign") == 1


async def test_caseworkers_may_not_reassign_and_see_no_button(team: Team) -> None:
    await team.worker.send("/household 张小明")
    assert "转给其他干部" not in str(team.worker.buttons())
    await team.worker.press("按钮", on=_forged(team, WORKER, f"ra:{team.mine[0].id}"))
    assert any("需要主管领导" in n for n in team.worker.notices)
    with team.svc.db() as s:
        assert audit.entries(session=s, actor_id=WORKER)[0].action == \
            "refused:household.reassign"


async def test_another_regions_household_or_caseworker_is_refused_and_audited(
        team: Team) -> None:
    with team.svc.transaction() as s:
        factories.user(s, DOUMEN_WORKER, Role.CASEWORKER, name="斗门干部", home="doumen-jingan",
                       supervisor=DOUMEN_SUPERVISOR)
    doumen = team.doumen
    await team.supervisor.press("按钮", on=_forged(team, SUPERVISOR, f"ra:{doumen.id}"))
    assert any("不在您负责的地区" in n for n in team.supervisor.notices)
    # a 清河区 household given to a 斗门区 caseworker: the caseworker is outside the region
    data = f"ra:{team.mine[1].id}:{DOUMEN_WORKER}:yes"
    await team.supervisor.press("按钮", on=_forged(team, SUPERVISOR, data))
    assert any("不在您负责的地区" in n for n in team.supervisor.notices)
    with team.svc.db() as s:
        rows = audit.entries(session=s, actor_id=SUPERVISOR, limit=2)
        h = s.get(Household, team.mine[1].id)
        assert h is not None and h.caseworker_id == WORKER
    assert [(r.action, r.object_id) for r in rows] == [
        ("refused:household.reassign", str(DOUMEN_WORKER)),
        ("refused:household.reassign", doumen.code)]
    # and the 斗门区 supervisor sees only 斗门区 caseworkers for 陈阿婆
    await team.doumen_supervisor.send("/household 陈阿婆")
    await team.doumen_supervisor.press("转给其他干部")
    assert [label for label, _ in team.doumen_supervisor.buttons()] == ["斗门干部", "✖ 取消"]


async def test_cancel_leaves_the_household_as_it_was(team: Team) -> None:
    await team.supervisor.send("/household 王芳")
    await team.supervisor.press("转给其他干部")
    assert "没有改派" in texts(await team.supervisor.press("取消"))
    with team.svc.db() as s:
        h = s.get(Household, team.mine[2].id)
        assert h is not None and h.caseworker_id == WORKER


async def test_a_long_list_of_caseworkers_comes_in_pages(team: Team) -> None:
    with team.svc.transaction() as s:  # 12 more caseworkers in the town: 13 to choose from
        for i in range(12):
            factories.user(s, 700 + i, name=f"甲{i:02d}干部", home="qinghe-zhangxiang")
    await team.supervisor.send("/household 张小明")
    await team.supervisor.press("转给其他干部")
    first = [label for label, _ in team.supervisor.buttons()]
    assert len(first) == 10 + 2 and first[-2:] == ["下一页 ›", "✖ 取消"]
    assert "王干部" in first and "甲08干部" in first and "甲09干部" not in first  # by name
    await team.supervisor.press("下一页 ›")
    second = [label for label, _ in team.supervisor.buttons()]
    assert second == ["甲09干部", "甲10干部", "甲11干部", "‹ 上一页", "✖ 取消"]
    assert "确认把" in texts(await team.supervisor.press("甲11干部"))
    assert "已把 <b>张小明户</b>" in texts(await team.supervisor.press("确认转交"))
