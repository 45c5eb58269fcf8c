"""Registration with invites, the role's command menu, and refusals for everyone else."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlmodel import select

from handlers.register import INVITE
from storage.models import Invite, Role, User
from storage.repo import audit, staff
from tests.casework.conftest import RESIDENT, SUPERVISOR, WORKER, Team, texts
from tests.factories import NOW


def _invite(team: Team, role: Role = Role.CASEWORKER, days: int = 7) -> str:
    with team.svc.transaction() as s:
        return staff.create_invite(session=s, role=role, region_id="qinghe-zhangxiang",
                                   display_name="孙新人", supervisor_id=SUPERVISOR, by="cli",
                                   now=NOW, days=days).code


async def test_an_invite_registers_its_user_once_and_sets_their_menu(team: Team) -> None:
    code = _invite(team)
    newcomer = team.chat(555)
    reply = texts(await newcomer.send(f"/start {code}"))
    assert "欢迎您，<b>孙新人</b>" in reply and "帮扶干部" in reply and "张相镇" in reply
    menus = [c.params for c in team.api.calls if c.method == "setMyCommands"
             and "scope" in c.params]
    assert menus and '"chat_id": 555' in str(menus[-1]["scope"]).replace("'", '"')
    assert "/visit" in str(menus[-1]["commands"]) or "visit" in str(menus[-1]["commands"])
    with team.svc.db() as s:
        user = s.get(User, 555)
        assert user is not None and user.role == Role.CASEWORKER
        assert user.home_region_id == "qinghe-zhangxiang" and user.supervisor_id == SUPERVISOR
        assert [e.action for e in audit.entries(session=s, object_type="user")] == \
            ["user.register"]
    again = team.chat(556)
    assert "已经用过" in texts(await again.send(f"/start {code}"))
    with team.svc.db() as s:
        assert s.get(User, 556) is None  # nothing changed for the second user


async def test_an_expired_or_unknown_code_changes_nothing(
        team: Team, clock: time_machine.Traveller) -> None:
    code = _invite(team, days=1)
    clock.shift(dt.timedelta(days=2))
    newcomer = team.chat(557)
    assert "已经过期" in texts(await newcomer.send(f"/start {code}"))
    assert "没有找到这个邀请码" in texts(await newcomer.send("/start nosuchcode"))
    with team.svc.db() as s:
        assert s.get(User, 557) is None


async def test_a_plain_start_still_welcomes_residents(team: Team) -> None:
    assert "帮扶助手" in texts(await team.resident.send("/start"))


async def test_a_supervisor_invites_a_caseworker_with_buttons(team: Team) -> None:
    await team.supervisor.send("/invite")
    await team.supervisor.press("帮扶干部")
    labels = [label for label, _ in team.supervisor.buttons()]
    assert "清河区" in labels and "张相镇" in labels and "井岸镇" not in labels
    await team.supervisor.press("张相镇")
    reply = texts(await team.supervisor.send("钱多多"))
    assert "钱多多" in reply and "https://t.me/bangfu_bot?start=" in reply
    code = reply.split("start=")[1].split()[0]
    assert "欢迎您，<b>钱多多</b>" in texts(await team.chat(600).send(f"/start {code}"))


async def test_supervisors_invite_supervisors_only_below_them(team: Team) -> None:
    await team.supervisor.send("/invite")
    await team.supervisor.press("下级主管领导")
    labels = [label for label, _ in team.supervisor.buttons()]
    assert "清河区" not in labels and "张相镇" in labels


async def test_caseworkers_and_residents_are_refused_and_audited(team: Team) -> None:
    assert "需要主管领导" in texts(await team.worker.send("/invite"))
    for command in ("/mine", "/visit", "/due", "/household 张"):
        assert "只对帮扶干部和主管领导开放" in texts(await team.resident.send(command))
    with team.svc.db() as s:
        refused = [(e.actor_id, e.action) for e in audit.entries(session=s)
                   if e.action.startswith("refused:")]
    assert (WORKER, "refused:invite.caseworker") in refused
    assert {a for u, a in refused if u == RESIDENT} == {
        "refused:command.mine", "refused:command.visit", "refused:command.due",
        "refused:command.household"}


async def test_cancel_ends_an_invite_without_creating_one(team: Team) -> None:
    await team.supervisor.send("/invite")
    await team.supervisor.press("帮扶干部")
    assert INVITE in team.supervisor.app.user_data[SUPERVISOR]  # a draft to drop
    assert "已取消邀请" in texts(await team.supervisor.send("/cancel"))
    assert INVITE not in team.supervisor.app.user_data[SUPERVISOR]
    assert "已取消" not in texts(await team.supervisor.send("钱多多"))  # no invite step left
    with team.svc.db() as s:
        assert not list(s.exec(select(Invite)))
