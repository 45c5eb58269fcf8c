"""The reminder outbox: insert occurrences once, claim what is due, record each outcome;
offices' deadlines, 已完成 per period, personal reminders, and the scheduler's heartbeat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.db import upsert_insert
from storage.models import (
    Deadline,
    DeadlineDone,
    PersonalReminder,
    Reminder,
    ReminderStatus,
    SchedulerProcess,
    User,
)

STALE_SENDING = dt.timedelta(minutes=2)  # a claim this old belongs to a process that died


def add_occurrences(*, session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert reminder occurrences; a key already there is left as it is (sent or not)."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    result = session.execute(upsert_insert(dialect)(Reminder).values(rows).on_conflict_do_nothing(
        index_elements=["key"]))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def due_query(*, now: dt.datetime, limit: int, dialect: str) -> SelectOfScalar[Reminder]:
    """The sweep's query: due, unsent occurrences in key order (benchmarks/sweep.py times it
    and shows its plan). On PostgreSQL, FOR UPDATE SKIP LOCKED: two workers never take the
    same row."""
    stmt = (select(Reminder)
            .where(Reminder.status == ReminderStatus.PENDING, col(Reminder.due_at) <= now,
                   or_(col(Reminder.next_attempt_at).is_(None),
                       col(Reminder.next_attempt_at) <= now))
            .order_by(col(Reminder.due_at), col(Reminder.key)).limit(limit))
    return stmt.with_for_update(skip_locked=True) if dialect == "postgresql" else stmt


def claim_due(*, session: Session, now: dt.datetime, worker: str, limit: int) -> list[Reminder]:
    """Take the due, unsent occurrences in key order and mark them SENDING for this worker."""
    rows = list(session.exec(due_query(now=now, limit=limit,
                                       dialect=session.get_bind().dialect.name)))
    for r in rows:
        r.status, r.claimed_by, r.claimed_at = ReminderStatus.SENDING, worker, now
        session.add(r)
    session.flush()
    return rows


def release_stale(*, session: Session, now: dt.datetime) -> int:
    """Occurrences left SENDING by a process that died mid-send go back to PENDING: they are
    sent again (at least once; the send window is the only place a duplicate can come from)."""
    result = session.execute(
        update(Reminder).where(col(Reminder.status) == ReminderStatus.SENDING,
                               col(Reminder.claimed_at) < now - STALE_SENDING)
        .values(status=ReminderStatus.PENDING, claimed_by=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def release_others(*, session: Session, worker: str) -> int:
    """A new leader takes back what other processes left SENDING: the leader lock says they
    no longer send (they died, or stop before their next send), so there is no need to wait
    STALE_SENDING; a message accepted just before such a crash is sent again (at least once)."""
    result = session.execute(
        update(Reminder).where(col(Reminder.status) == ReminderStatus.SENDING,
                               or_(col(Reminder.claimed_by).is_(None),
                                   col(Reminder.claimed_by) != worker))
        .values(status=ReminderStatus.PENDING, claimed_by=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def finish(*, session: Session, reminder_id: int, status: ReminderStatus, now: dt.datetime,
           message_id: int | None = None, error: str | None = None) -> None:
    """Record the outcome of one occurrence."""
    values: dict[str, Any] = {"status": status, "last_error": error[:300] if error else None}
    if status == ReminderStatus.SENT:
        values.update(sent_at=now, message_id=message_id)
    session.execute(update(Reminder).where(col(Reminder.id) == reminder_id).values(**values))


def retry_later(*, session: Session, reminder_id: int, at: dt.datetime, error: str,
                max_attempts: int) -> ReminderStatus:
    """Back to PENDING until `at` (429 retry_after, a network error's backoff); FAILED after
    `max_attempts`. Every failure is recorded on the row."""
    row = session.get(Reminder, reminder_id)
    assert row is not None
    row.attempts += 1
    row.last_error = error[:300]
    row.status = ReminderStatus.FAILED if row.attempts >= max_attempts else ReminderStatus.PENDING
    row.next_attempt_at, row.claimed_by = at, None
    session.add(row)
    session.flush()
    return row.status


def block_user(*, session: Session, user_id: int, now: dt.datetime) -> None:
    """The user blocked the bot: marked, and their pending reminders set aside."""
    session.execute(update(User).where(col(User.telegram_id) == user_id).values(blocked_at=now))
    session.execute(update(Reminder).where(col(Reminder.user_id) == user_id,
                                           col(Reminder.status) == ReminderStatus.PENDING)
                    .values(status=ReminderStatus.BLOCKED, last_error="user blocked the bot"))


def unblock_user(*, session: Session, user_id: int) -> None:
    """The user wrote to the bot again: reminders resume."""
    session.execute(update(User).where(col(User.telegram_id) == user_id,
                                       col(User.blocked_at).is_not(None)).values(blocked_at=None))


def get_reminder(*, session: Session, reminder_id: int) -> Reminder | None:
    """One occurrence."""
    return session.get(Reminder, reminder_id)


def later_step_due(*, session: Session, reminder: Reminder, now: dt.datetime) -> bool:
    """True when a later step of the same occurrence is also due (after downtime: the 7-day
    notice is no longer worth sending when the 1-day one goes out too)."""
    stmt = select(func.count()).select_from(Reminder).where(
        Reminder.user_id == reminder.user_id, Reminder.subject == reminder.subject,
        Reminder.period == reminder.period, Reminder.kind == reminder.kind,
        col(Reminder.due_at) > reminder.due_at, col(Reminder.due_at) <= now,
        col(Reminder.status).in_([ReminderStatus.PENDING, ReminderStatus.SENDING,
                                  ReminderStatus.SENT]))
    return bool(session.exec(stmt).one())


def backlog(*, session: Session, now: dt.datetime) -> dict[str, int]:
    """Due but unsent, waiting to retry, and failed or blocked in the last 24 hours."""
    def count(*conditions: Any) -> int:
        return int(session.exec(select(func.count()).select_from(Reminder)
                                .where(*conditions)).one())
    day_ago = now - dt.timedelta(hours=24)
    return {
        "due_unsent": count(col(Reminder.status).in_([ReminderStatus.PENDING,
                                                      ReminderStatus.SENDING]),
                            col(Reminder.due_at) <= now),
        "retrying": count(Reminder.status == ReminderStatus.PENDING,
                          col(Reminder.attempts) > 0),
        "failed_24h": count(Reminder.status == ReminderStatus.FAILED,
                            col(Reminder.created_at) >= day_ago),
        "blocked_24h": count(Reminder.status == ReminderStatus.BLOCKED,
                             col(Reminder.created_at) >= day_ago),
        "sent_24h": count(Reminder.status == ReminderStatus.SENT,
                          col(Reminder.sent_at) >= day_ago),
    }


# -- deadlines -----------------------------------------------------------------------------
def office_deadlines(*, session: Session, region_ids: list[str] | None = None,
                     include_ended: bool = False) -> list[Deadline]:
    """Offices' deadlines (for some regions), oldest first."""
    stmt = select(Deadline).order_by(col(Deadline.id))
    if region_ids is not None:
        stmt = stmt.where(col(Deadline.region_id).in_(region_ids))
    if not include_ended:
        stmt = stmt.where(col(Deadline.ended_at).is_(None))
    return list(session.exec(stmt))


def done_periods(*, session: Session, keys: list[str] | None = None
                 ) -> set[tuple[str, str, str]]:
    """(deadline key, region, period) of every 已完成."""
    stmt = select(DeadlineDone.deadline_key, DeadlineDone.region_id, DeadlineDone.period)
    if keys is not None:
        stmt = stmt.where(col(DeadlineDone.deadline_key).in_(keys))
    return {(k, r, p) for k, r, p in session.exec(stmt)}


def mark_done(*, session: Session, key: str, region_id: str, period: str, by: int,
              now: dt.datetime) -> bool:
    """已完成 for a region and period; False when it was already marked."""
    exists = session.exec(select(DeadlineDone).where(
        DeadlineDone.deadline_key == key, DeadlineDone.region_id == region_id,
        DeadlineDone.period == period)).first()
    if exists is not None:
        return False
    session.add(DeadlineDone(deadline_key=key, region_id=region_id, period=period, done_by=by,
                             done_at=now))
    session.flush()
    return True


# -- personal reminders ----------------------------------------------------------------------
def add_personal(*, session: Session, user_id: int, text: str, due_on: dt.date,
                 now: dt.datetime) -> PersonalReminder:
    """/remind."""
    row = PersonalReminder(user_id=user_id, text=text, due_on=due_on, created_at=now)
    session.add(row)
    session.flush()
    return row


def personal_between(*, session: Session, start: dt.date, end: dt.date) -> list[PersonalReminder]:
    """Personal reminders due in a date range (not cancelled)."""
    stmt = select(PersonalReminder).where(col(PersonalReminder.due_on) >= start,
                                          col(PersonalReminder.due_on) <= end,
                                          col(PersonalReminder.cancelled_at).is_(None))
    return list(session.exec(stmt))


# -- the scheduler's processes ---------------------------------------------------------------
def heartbeat(*, session: Session, process: str, leader: bool, now: dt.datetime,
              swept: bool = False, materialized: bool = False) -> None:
    """Note that this process is alive (and whether it leads, and what it just did)."""
    row = session.get(SchedulerProcess, process) or SchedulerProcess(id=process, started_at=now)
    row.is_leader, row.heartbeat_at = leader, now
    if swept:
        row.last_sweep_at = now
    if materialized:
        row.last_materialize_at = now
    session.add(row)
    session.flush()


def processes(*, session: Session, since: dt.datetime) -> list[SchedulerProcess]:
    """Processes with a heartbeat since `since`, the leader first."""
    stmt = select(SchedulerProcess).where(col(SchedulerProcess.heartbeat_at) >= since)
    return sorted(session.exec(stmt), key=lambda p: (not p.is_leader, p.started_at))


def snooze(*, session: Session, reminder: Reminder, until: dt.datetime) -> bool:
    """明天再提醒: one more occurrence of the same reminder at `until` (once per day)."""
    key = f"{reminder.key}:snooze:{until.date().isoformat()}"
    return bool(add_occurrences(session=session, rows=[{
        "key": key, "user_id": reminder.user_id, "kind": reminder.kind,
        "subject": reminder.subject, "period": reminder.period, "step": "snooze",
        "due_at": until, "payload": reminder.payload, "status": ReminderStatus.PENDING,
        "attempts": 0, "created_at": until}]))


def add_deadline(*, session: Session, region_id: str, title: str, rule: dict[str, Any],
                 level: str, remind_days: list[int] | None, by: str,
                 now: dt.datetime) -> Deadline:
    """An office's own deadline."""
    row = Deadline(region_id=region_id, title=title, rule=rule, level=level,
                   remind_days=remind_days, created_by=by, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def get_deadline(*, session: Session, deadline_id: int) -> Deadline | None:
    """One office deadline."""
    return session.get(Deadline, deadline_id)
