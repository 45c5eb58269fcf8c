"""Reminders from rule or follow-up row to sendMessage at the fake Bot API, with a controlled
clock: morning due dates, overdue, escalation, quiet hours, downtime catch-up (（补发）),
closing during downtime, blocked users, 429 with retry_after, 已完成 and 明天再提醒,
deadline rules, and two schedulers on one database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from sqlmodel import col, select

from bot.app import build_application
from bot.offline import ApiError
from handlers.jobs.scheduler import scheduler, tick
from handlers.jobs.throttle import Throttle
from storage.models import FollowUp, FollowUpStatus, Reminder, ReminderStatus, Role, User
from storage.repo import casework
from tests import factories
from tests.casework.conftest import DOUMEN_SUPERVISOR, OTHER_WORKER, SUPERVISOR, WORKER, Team
from tests.clocks import FakeTime, at
from tests.fakes import OfflineChat


@pytest.fixture(autouse=True)
def no_waiting(team: Team) -> Iterator[FakeTime]:
    fake = FakeTime()
    scheduler(team.worker.app).throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    yield fake


def received(chat: OfflineChat) -> list[str]:
    """Reminders the user got (the daily digest, which lists deadlines too, is
    tests/casework/test_digest.py's)."""
    return [str(m["text"]) for m in chat.history if "每日简报" not in str(m["text"])]


def _followup(team: Team, due: dt.date, action: str = "给李大爷送药") -> int:
    with team.svc.transaction() as s:
        return factories.followup(s, team.mine[1], WORKER, action, due).id or 0


async def test_a_follow_up_is_sent_on_its_morning_once(team: Team,
                                                      clock: time_machine.Traveller) -> None:
    _followup(team, dt.date(2026, 12, 4))
    app = team.worker.app
    at(clock, dt.date(2026, 12, 4), 8, 29)
    await tick(app)
    assert not [t for t in received(team.worker) if "给李大爷送药" in t]
    at(clock, dt.date(2026, 12, 4), 8, 31)
    await tick(app)
    await tick(app)
    sent = [t for t in received(team.worker) if "给李大爷送药" in t]
    assert len(sent) == 1 and "今天到期的跟进" in sent[0] and "（补发）" not in sent[0]
    assert "✅ 完成" in str(team.worker.history[-1]["reply_markup"])


async def test_overdue_then_escalated_to_the_supervisor_once(
        team: Team, clock: time_machine.Traveller) -> None:
    _followup(team, dt.date(2026, 12, 4))
    app = team.worker.app
    for day in (4, 5, 6, 7, 8):
        at(clock, dt.date(2026, 12, day), 9)
        await tick(app)
    mine = [t for t in received(team.worker) if "给李大爷送药" in t]
    assert [("今天到期" in t, "已逾期" in t) for t in mine] == [(True, False), (False, True)]
    boss = [t for t in received(team.supervisor) if "给李大爷送药" in t]
    assert len(boss) == 1 and "团队跟进逾期3天" in boss[0] and "张干部" in boss[0]


async def test_closing_a_follow_up_stops_its_reminders(team: Team,
                                                       clock: time_machine.Traveller) -> None:
    item = _followup(team, dt.date(2026, 12, 4))
    at(clock, dt.date(2026, 12, 3), 9)
    await tick(team.worker.app)  # materialised for the coming days
    with team.svc.transaction() as s:
        row = casework.get_followup(session=s, followup_id=item)
        assert row is not None
        casework.close_followup(session=s, item=row, status=FollowUpStatus.DONE, note=None,
                                by=WORKER, now=factories.NOW)
    at(clock, dt.date(2026, 12, 4), 9)
    await tick(team.worker.app)
    assert not [t for t in received(team.worker) if "给李大爷送药" in t]
    with team.svc.db() as s:
        skipped = s.exec(select(Reminder).where(Reminder.status == ReminderStatus.SKIPPED,
                                                Reminder.subject == f"followup:{item}")).all()
    assert skipped and skipped[0].last_error == "follow-up closed"


async def test_after_downtime_the_latest_step_is_sent_once_marked_late(
        team: Team, clock: time_machine.Traveller) -> None:
    _followup(team, dt.date(2026, 12, 4))
    at(clock, dt.date(2026, 12, 3), 9)
    await tick(team.worker.app)
    at(clock, dt.date(2026, 12, 5), 15)  # down from the 3rd to the 5th in the afternoon
    await tick(team.worker.app)
    mine = [t for t in received(team.worker) if "给李大爷送药" in t]
    assert len(mine) == 1 and "已逾期" in mine[0] and "（补发）" in mine[0]


async def test_a_follow_up_closed_during_downtime_is_not_sent(
        team: Team, clock: time_machine.Traveller) -> None:
    item = _followup(team, dt.date(2026, 12, 4))
    at(clock, dt.date(2026, 12, 3), 9)
    await tick(team.worker.app)
    with team.svc.transaction() as s:
        row = casework.get_followup(session=s, followup_id=item)
        assert row is not None
        casework.close_followup(session=s, item=row, status=FollowUpStatus.CANCELLED,
                                note="不需要了", by=WORKER, now=factories.NOW)
    at(clock, dt.date(2026, 12, 6), 10)
    await tick(team.worker.app)
    assert not [t for t in received(team.worker) if "给李大爷送药" in t]


async def test_nothing_is_sent_in_quiet_hours_and_it_waits_for_the_morning(
        team: Team, clock: time_machine.Traveller) -> None:
    _followup(team, dt.date(2026, 12, 4))
    at(clock, dt.date(2026, 12, 4), 6, 0)
    await tick(team.worker.app)  # materialised at 08:30; nothing is due yet
    at(clock, dt.date(2026, 12, 4), 22, 30)  # the bot was down all day: now it is night
    await tick(team.worker.app)
    assert not [t for t in received(team.worker) if "给李大爷送药" in t]
    at(clock, dt.date(2026, 12, 5), 7, 31)
    await tick(team.worker.app)
    assert [t for t in received(team.worker) if "给李大爷送药" in t]


async def test_a_user_who_blocked_the_bot_is_marked_and_skipped(
        team: Team, clock: time_machine.Traveller) -> None:
    _followup(team, dt.date(2026, 12, 4))
    _followup(team, dt.date(2026, 12, 5), "第二件事")
    team.api.fail = lambda method, p: (ApiError(403, "Forbidden: bot was blocked by the user")
                                       if method == "sendMessage" and p["chat_id"] == WORKER
                                       else None)
    at(clock, dt.date(2026, 12, 4), 9)
    await tick(team.worker.app)
    team.api.fail = None
    at(clock, dt.date(2026, 12, 5), 9)
    await tick(team.worker.app)
    assert not [t for t in received(team.worker) if "第二件事" in t]
    with team.svc.db() as s:
        user = s.get(User, WORKER)
        assert user is not None and user.blocked_at is not None
        statuses = {r.status for r in s.exec(select(Reminder).where(Reminder.user_id == WORKER))}
    assert ReminderStatus.BLOCKED in statuses and ReminderStatus.SENT not in statuses


async def test_429_waits_retry_after_and_sends_once(team: Team, clock: time_machine.Traveller,
                                                    no_waiting: FakeTime) -> None:
    item = _followup(team, dt.date(2026, 12, 4))
    calls = {"n": 0}

    def flood(method: str, params: dict[str, object]) -> ApiError | None:
        if method == "sendMessage" and params["chat_id"] == WORKER:
            calls["n"] += 1
            if calls["n"] == 1:
                return ApiError(429, "Too Many Requests: retry after 5", retry_after=5)
        return None

    team.api.fail = flood
    at(clock, dt.date(2026, 12, 4), 9)
    await tick(team.worker.app)
    assert not [t for t in received(team.worker) if "给李大爷送药" in t]
    with team.svc.db() as s:
        row = s.exec(select(Reminder).where(Reminder.subject == f"followup:{item}",
                                            Reminder.step == "due")).one()
        assert row.status == ReminderStatus.PENDING and "429" in (row.last_error or "")
    at(clock, dt.date(2026, 12, 4), 9, 1)
    await tick(team.worker.app)
    assert len([t for t in received(team.worker) if "给李大爷送药" in t]) == 1


async def test_a_user_with_several_reminders_does_not_hold_up_the_others(
        team: Team, clock: time_machine.Traveller, no_waiting: FakeTime) -> None:
    """Key order puts 张干部's three reminders first; 王干部's goes out while 张干部's chat
    waits its second, and 张干部's stay in their own order."""
    from storage.repo import reminders

    with team.svc.transaction() as s:
        for text, user in (("第一件", WORKER), ("第二件", WORKER), ("第三件", WORKER),
                           ("王的事", OTHER_WORKER)):
            reminders.add_personal(session=s, user_id=user, text=text,
                                   due_on=dt.date(2026, 12, 4), now=factories.NOW)
    at(clock, dt.date(2026, 12, 4), 9)
    start = no_waiting.now
    await tick(team.worker.app)
    mine = ("第一件", "第二件", "第三件", "王的事")
    order = [t for c in team.api.calls if c.method == "sendMessage"
             for t in mine if t in str(c.params["text"])]
    assert order == ["第一件", "王的事", "第二件", "第三件"]
    assert no_waiting.now - start < 2.2  # two gaps of 张干部's chat, nothing more


async def test_an_office_deadline_reminds_7_and_1_days_before_and_on_the_day(
        team: Team, clock: time_machine.Traveller) -> None:
    from storage.models import Deadline

    with team.svc.transaction() as s:
        s.add(Deadline(region_id="qinghe", title="报送月度帮扶台账", created_by="cli",
                       rule={"recurrence": "monthly", "day": 28}))
    sent = []
    for day in range(20, 29):
        at(clock, dt.date(2026, 12, day), 9)
        await tick(team.worker.app)
    sent = [t for t in received(team.supervisor) if "报送月度帮扶台账" in t]
    assert [("还有7天" in t, "还有1天" in t, "就是今天" in t) for t in sent] == [
        (True, False, False), (False, True, False), (False, False, True)]
    assert not [t for t in received(team.doumen_supervisor) if "报送月度帮扶台账" in t]


async def test_done_stops_this_period_and_tomorrow_reminds_again(
        team: Team, clock: time_machine.Traveller) -> None:
    from storage.models import Deadline

    with team.svc.transaction() as s:
        s.add(Deadline(region_id="qinghe", title="召开联席会议", created_by="cli",
                       rule={"recurrence": "monthly", "day": 28}))
    at(clock, dt.date(2026, 12, 21), 9)
    await tick(team.worker.app)
    await team.supervisor.press("明天再提醒")
    assert any("明天" in n for n in team.supervisor.notices)
    at(clock, dt.date(2026, 12, 22), 9)
    await tick(team.worker.app)
    again = [t for t in received(team.supervisor) if "召开联席会议" in t]
    assert len(again) == 2
    await team.supervisor.press("已完成")
    for day in range(23, 29):
        at(clock, dt.date(2026, 12, day), 9)
        await tick(team.worker.app)
    assert len([t for t in received(team.supervisor) if "召开联席会议" in t]) == 2
    at(clock, dt.date(2027, 1, 21), 9)  # the next period reminds again
    await tick(team.worker.app)
    assert len([t for t in received(team.supervisor) if "召开联席会议" in t]) == 3


async def test_document_duties_reach_the_level_that_must_act(
        team: Team, clock: time_machine.Traveller) -> None:
    """斗门区 2017: 各镇农办 report by the 28th every month (towns); the 2020 清河 appraisal
    by 3月20日 is historical and is never reminded."""
    with team.svc.transaction() as s:
        factories.user(s, 401, Role.SUPERVISOR, name="井岸镇主任", home="doumen-jingan")
    town = team.chat(401)
    at(clock, dt.date(2026, 12, 21), 9)
    await tick(team.worker.app)
    assert any("每月28日之前上报当月帮扶情况" in t for t in received(town))
    assert not any("每月28日之前上报" in t for t in received(team.doumen_supervisor))
    for month in (2, 3):
        at(clock, dt.date(2027, month, 13), 9)
        await tick(team.worker.app)
    everyone = received(team.supervisor) + received(town) + received(team.doumen_supervisor)
    assert not any("危房鉴定" in t for t in everyone)


async def test_two_schedulers_on_one_database_send_once(
        team: Team, clock: time_machine.Traveller, no_waiting: FakeTime) -> None:
    _followup(team, dt.date(2026, 12, 4))
    second = build_application(team.svc, request=team.api)
    async with second:
        scheduler(second).throttle = Throttle(clock=no_waiting.clock, sleep=no_waiting.sleep)
        at(clock, dt.date(2026, 12, 4), 9)
        await tick(team.worker.app)
        await tick(second)
        assert scheduler(team.worker.app).leading != scheduler(second).leading
        sent = [t for t in received(team.worker) if "给李大爷送药" in t]
        assert len(sent) == 1
        scheduler(team.worker.app).lock.release()  # the leader dies
        scheduler(team.worker.app).leading = False
        await tick(second)
        assert scheduler(second).leading  # the follower takes over at its next tick
    with team.svc.db() as s:
        assert s.exec(select(FollowUp)).first() is not None


async def test_a_new_leader_sends_at_once_what_a_crashed_leader_left_mid_send(
        team: Team, clock: time_machine.Traveller, no_waiting: FakeTime) -> None:
    """The leader claimed a follow-up reminder and died before recording it: the process that
    takes over sends it at its first tick (not STALE_SENDING later), once."""
    from sqlalchemy import update

    _followup(team, dt.date(2026, 12, 4))
    at(clock, dt.date(2026, 12, 4), 8)
    await tick(team.worker.app)  # the first process leads and materialises
    at(clock, dt.date(2026, 12, 4), 9)  # it claims the reminder at 09:00 ...
    with team.svc.transaction() as s:
        s.execute(update(Reminder).where(col(Reminder.step) == "due")
                  .values(status=ReminderStatus.SENDING, claimed_at=dt.datetime.now(dt.UTC),
                          claimed_by=scheduler(team.worker.app).process))
    scheduler(team.worker.app).lock.release()  # ... and is killed
    second = build_application(team.svc, request=team.api)
    async with second:
        scheduler(second).throttle = Throttle(clock=no_waiting.clock, sleep=no_waiting.sleep)
        await tick(second)  # still 09:00: a claim this fresh is not stale yet
        await tick(second)
    assert len([t for t in received(team.worker) if "给李大爷送药" in t]) == 1


__all__ = ["DOUMEN_SUPERVISOR", "SUPERVISOR"]
