"""A caseworker registers with an invite deep link and logs a visit with a follow-up,
through the real `bangfu run` process and the Bot API emulator."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from sqlmodel import select

from bot.services import SystemClock
from storage.db import make_engine, session, transaction
from storage.models import FollowUp, Role, Visit
from storage.repo import staff
from tests import factories
from tests.e2e.client import Resident


def _seed(database: Path) -> str:
    """A supervisor, a village with one household for the newcomer, and an invite."""
    from knowledge.loader import load_knowledge

    regions = load_knowledge().regions
    engine = make_engine(f"sqlite:///{database}")
    with transaction(engine) as s:
        factories.user(s, 9001, Role.SUPERVISOR, name="刘主任", home="qinghe")
        place = factories.village(s, regions, "qinghe-zhangxiang", "前进村")
        factories.household(s, place, "周大山", code="E2E0001", caseworker_name="孙干部")
        code = staff.create_invite(session=s, role=Role.CASEWORKER, region_id="qinghe-zhangxiang",
                                   display_name="孙干部", supervisor_id=9001, by="cli",
                                   now=SystemClock().now()).code
    engine.dispose()
    return code


def test_register_by_deep_link_then_log_a_visit_with_a_follow_up(
        resident: Resident, bot: subprocess.Popen[str], bot_workdir: Path) -> None:
    database = bot_workdir / "e2e.db"
    code = _seed(database)
    welcome = resident.send(f"/start {code}")  # what opening t.me/<bot>?start=<code> sends
    assert "欢迎您，孙干部" in welcome.text and "由您帮扶的 1 户已经分配给您" in welcome.text

    resident.send("/visit")
    resident.press("周大山")
    resident.wait_for("这次是什么类型的走访")
    resident.press("入户走访")
    resident.wait_for("请输入这次了解到的情况")
    resident.send("房屋有裂缝，需要鉴定")
    resident.press("住房")
    resident.press("完成")
    resident.wait_for("可以现在发送照片")
    resident.press("跳过")
    resident.wait_for("有什么情况变化")
    resident.press("🏠 住房情况")
    resident.press("危房C级")
    resident.wait_for("已登记1项变化")
    resident.press("没有了，下一步 ▶")
    resident.wait_for("需要后续跟进吗")
    resident.send("联系住建局做危房鉴定")
    resident.press("1周")
    summary = resident.wait_for("请核对")
    assert "危房C级" in summary.text and "联系住建局做危房鉴定" in summary.text
    resident.press("✅ 保存")
    saved = resident.wait_for("已保存")
    assert "联系住建局做危房鉴定" in saved.text
    resident.wait_for("应享未享")

    engine = make_engine(f"sqlite:///{database}")
    with session(engine) as s:
        visit = s.exec(select(Visit).where(Visit.notes == "房屋有裂缝，需要鉴定")).one()
        followup = s.exec(select(FollowUp).where(FollowUp.visit_id == visit.id)).one()
    engine.dispose()
    assert visit.author_id == resident.user_id
    assert followup.due_on - dt.date.today() <= dt.timedelta(days=8)
