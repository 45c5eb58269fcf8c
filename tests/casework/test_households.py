"""/mine, /household, a household's page, 应享未享 and 已享受, archiving; each scoped."""

from __future__ import annotations

from storage.models import Household, HouseholdStatus
from storage.repo import audit, gaps
from tests.casework.conftest import OTHER_WORKER, WORKER, Team, texts


async def test_mine_lists_my_households_most_urgent_first(team: Team) -> None:
    reply = texts(await team.worker.send("/mine"))
    order = [reply.index(name) for name in ("张小明", "李大爷", "王芳")]
    assert order == sorted(order), reply  # overdue follow-up, then 40 days, then 3 days
    assert "1项跟进已逾期" in reply and "赵四" not in reply and "陈阿婆" not in reply


async def test_a_supervisor_sees_the_region_and_not_another(team: Team) -> None:
    reply = texts(await team.supervisor.send("/mine"))
    assert "赵四" in reply and "张小明" in reply and "陈阿婆" not in reply
    assert "陈阿婆" in texts(await team.doumen_supervisor.send("/mine"))


async def test_household_search_by_name_code_and_initials(team: Team) -> None:
    first = team.mine[0]
    for query in ("张小明", "小明", first.code, "zxm", "张小红"):  # 张小红 is a member
        reply = texts(await team.worker.send(f"/household {query}"))
        assert "张小明户" in reply and "张小红" in reply, query
    assert "没有找到" in texts(await team.worker.send("/household 赵四"))  # not mine


async def test_the_page_masks_ids_and_shows_the_phone_only_to_whom_it_may(team: Team) -> None:
    mine = texts(await team.worker.send("/household 张小明"))
    assert "13800001111" in mine and "211204********" in mine
    assert "帮忙申请慢病卡" in mine and "已逾期" in mine
    assert "13800001111" in texts(await team.supervisor.send("/household 张小明"))


async def test_someone_elses_household_is_refused_and_audited(team: Team) -> None:
    other = team.others
    forged = {"message_id": 1, "date": 0, "chat": {"id": WORKER, "type": "private"},
              "text": "x", "reply_markup": {"inline_keyboard": [[
                  {"text": "看", "callback_data": f"hh:{other.id}"}]]}}
    team.api.messages[(WORKER, 1)] = forged
    await team.worker.press("看", on=forged)
    assert any("不是分配给您的帮扶户" in n for n in team.worker.notices)
    with team.svc.db() as s:
        rows = audit.entries(session=s, actor_id=WORKER)
    assert rows[0].action == "refused:household.view" and rows[0].object_id == other.code
    assert OTHER_WORKER != WORKER


async def test_gaps_list_entitlements_not_received_and_mark_them(team: Team) -> None:
    await team.worker.send("/household 张小明")
    reply = texts(await team.worker.press("应享未享"))
    assert "应享未享" in reply and "出处" in reply
    buttons = [label for label, _ in team.worker.buttons() if label.startswith("✅ 已享受")]
    assert buttons, reply
    household = team.mine[0].id or 0
    with team.svc.db() as s:
        open_before = len(gaps.open_gaps(session=s, household_id=household))
    await team.worker.press(buttons[0])
    assert any("已登记为已享受" in n for n in team.worker.notices)
    with team.svc.db() as s:
        assert len(gaps.open_gaps(session=s, household_id=household)) == open_before - 1
        assert audit.entries(session=s, actor_id=WORKER)[0].action == "received.mark"


async def test_only_a_supervisor_archives_and_the_household_leaves_lists(team: Team) -> None:
    await team.worker.send("/household 李大爷")
    assert "归档" not in str(team.worker.buttons())
    await team.supervisor.send("/household 李大爷")
    await team.supervisor.press("归档")
    await team.supervisor.press("确认归档")
    with team.svc.db() as s:
        h = s.get(Household, team.mine[1].id)
        assert h is not None and h.status == HouseholdStatus.ARCHIVED
    assert "李大爷" not in texts(await team.worker.send("/mine"))
