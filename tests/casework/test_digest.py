"""The supervisors' daily digest through the reminder outbox and the fake Bot API with a
controlled clock: sent once at 08:00 with the hand-computed figures, not sent when empty
(the occurrence says why), caught up after downtime （补发）, drill-down buttons that are
checked again, and nothing from outside the supervisor's region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from sqlmodel import select

from handlers.jobs.scheduler import scheduler, tick
from handlers.jobs.throttle import Throttle
from storage.models import Reminder, ReminderStatus
from tests.casework.conftest import Team
from tests.casework.report_data import EMPTY_SUPERVISOR, TOWN_SUPERVISOR, Places, seed
from tests.clocks import FakeTime, at
from tests.fakes import OfflineChat

DEC3 = dt.date(2026, 12, 3)


@pytest.fixture
def places(team: Team) -> Iterator[Places]:
    fake = FakeTime()
    scheduler(team.worker.app).throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    yield seed(team)


def digests(chat: OfflineChat) -> list[dict[str, Any]]:
    return [m for m in chat.history if "每日简报" in str(m["text"])]


async def test_sent_once_at_eight_with_the_hand_computed_figures(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 7, 59)
    await tick(team.worker.app)
    assert not digests(team.supervisor)
    at(clock, DEC3, 8, 0)
    await tick(team.worker.app)
    await tick(team.worker.app)
    sent = digests(team.supervisor)
    assert len(sent) == 1
    text = str(sent[0]["text"])
    assert "清河区每日简报" in text and "（补发）" not in text
    assert "逾期跟进 3项</b>\n• 张干部：2项\n• 向阳干部：1项" in text
    assert "久未走访</b>（共6户）\n30天没有走访：2户；其中60天没有走访：1户" in text
    assert "• 大堡村：30天2户，60天1户" in text
    assert "应享未享</b>：2项尚未落实" in text
    assert "银州" not in text and "斗门" not in text
    assert [d for _, d in team.supervisor.buttons()][:3] == [
        "dg:w:101", "dg:w:105", f"dg:v:{places.dabao}"]
    at(clock, DEC3, 12, 0)
    await tick(team.worker.app)
    assert len(digests(team.supervisor)) == 1  # once a day


async def test_each_level_gets_only_its_region(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 8, 1)
    await tick(team.worker.app)
    # a chat object made now has not seen what was sent before: read the Bot API's record
    town = "\n".join(str(m["text"]) for m in team.api.sent()
                     if int(m["chat_id"]) == TOWN_SUPERVISOR and "每日简报" in m["text"])
    assert "张相镇每日简报" in town and "• 张干部：2项" in town
    assert "向阳" not in town and "逾期跟进 2项" in town
    doumen = str(digests(team.doumen_supervisor)[0]["text"])
    assert "斗门区每日简报" in doumen and "斗门干部：1项" in doumen
    assert "张干部" not in doumen and "大堡村" not in doumen


async def test_nothing_to_report_sends_nothing_and_says_why(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 8, 5)
    await tick(team.worker.app)
    assert not [m for m in team.api.sent() if int(m["chat_id"]) == EMPTY_SUPERVISOR]
    with team.svc.db() as s:
        row = s.exec(select(Reminder).where(Reminder.user_id == EMPTY_SUPERVISOR,
                                            Reminder.period == DEC3.isoformat())).one()
    assert row.status == ReminderStatus.SKIPPED and row.last_error == "nothing to report"


async def test_after_downtime_todays_digest_is_caught_up_once_marked_late(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 7, 0)
    await tick(team.worker.app)  # materialised, then the bot is down from 07:00 to 11:30
    at(clock, DEC3 + dt.timedelta(days=1), 11, 30)  # and all of the 4th's morning too
    await tick(team.worker.app)
    sent = digests(team.supervisor)
    assert len(sent) == 1 and "（补发）" in str(sent[0]["text"])
    with team.svc.db() as s:
        old = s.exec(select(Reminder).where(Reminder.user_id == team.supervisor.user_id,
                                            Reminder.kind == "digest",
                                            Reminder.period == DEC3.isoformat())).one()
    assert old.last_error == "superseded by today's digest"  # the 3rd's is not sent as well


async def test_drill_down_shows_the_overdue_list_and_the_village(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 8, 1)
    await tick(team.worker.app)
    shown = "\n".join(str(m["text"]) for m in await team.supervisor.press("张干部的逾期"))
    assert "张干部的逾期跟进（2项" in shown
    assert "逾期5天：帮忙申请慢病卡" in shown and "逾期3天：送去助学材料" in shown
    await tick(team.worker.app)
    digest = digests(team.supervisor)[0]
    shown = "\n".join(str(m["text"]) for m in await team.supervisor.press("大堡村", on=digest))
    assert "孙大娘" in shown and "李大爷" in shown and "标记" not in shown


async def test_a_forged_button_for_another_region_is_refused_and_audited(
        team: Team, places: Places, clock: time_machine.Traveller) -> None:
    at(clock, DEC3, 8, 1)
    await tick(team.worker.app)
    town = team.chat(TOWN_SUPERVISOR)
    await town.send("/report")  # any message of the bot to press a forged button on
    message = dict(town.history[-1])
    message["reply_markup"] = {"inline_keyboard": [[
        {"text": "向阳村", "callback_data": f"dg:v:{places.xiangyang}"},
        {"text": "向阳干部", "callback_data": "dg:w:105"}]]}
    await town.press("向阳村", on=message)
    refused = [c for c in team.api.calls if c.method == "answerCallbackQuery"
               and "不在您负责的地区" in str(c.params.get("text"))]
    assert refused
    shown = "\n".join(str(m["text"]) for m in await town.press("向阳干部", on=message))
    assert "标记向阳" not in shown and "向阳" not in shown  # not even the caseworker's name
    refused = [c for c in team.api.calls if c.method == "answerCallbackQuery"
               and "不在您负责的地区" in str(c.params.get("text"))]
    assert len(refused) == 2  # the village, then the caseworker: both refused
    from storage.models import AuditEvent

    with team.svc.db() as s:
        audits = s.exec(select(AuditEvent).where(AuditEvent.actor_id == TOWN_SUPERVISOR)).all()
    assert [a.action for a in audits if a.action.endswith("team.view")]
