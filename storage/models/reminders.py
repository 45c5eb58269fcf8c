"""Reminders: offices' own deadlines, what is done for which period, the outbox of every
reminder occurrence (the source of truth of delivery), personal reminders, and the bot
processes that sweep the outbox (which one is the scheduler, and when it last swept)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, names, timestamp, utcnow


class Deadline(SQLModel, table=True):
    """A deadline an office added for its region (the documents' own are in the YAML)."""

    __tablename__ = "deadlines"

    id: int | None = Field(default=None, primary_key=True)
    region_id: str = Field(max_length=60, index=True)
    title: str = Field(max_length=100)
    rule: dict[str, Any] = Field(sa_column=json_column(nullable=False))  # knowledge.calendar.Rule
    level: str = Field(default="county", max_length=10)  # who acts: city, county, town
    office: str | None = Field(default=None, max_length=60)  # e.g. 区住建局
    remind_days: list[int] | None = Field(default=None, sa_column=json_column())
    created_by: str = Field(max_length=40)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    ended_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class DeadlineDone(SQLModel, table=True):
    """已完成: a deadline's occurrence done for one region and period (stops its reminders)."""

    __tablename__ = "deadline_done"
    __table_args__ = (UniqueConstraint("deadline_key", "region_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_key: str = Field(max_length=100)  # "kb:<item id>" or "db:<deadline id>"
    region_id: str = Field(max_length=60)
    period: str = Field(max_length=20)
    done_by: int | None = Field(default=None, sa_type=BigInteger)
    done_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class ReminderStatus(StrEnum):
    """Where one reminder occurrence is on its way to the user."""

    PENDING = "pending"  # due at due_at (or next_attempt_at after a failure)
    SENDING = "sending"  # claimed by the scheduler: the send is under way
    SENT = "sent"
    SKIPPED = "skipped"  # no longer relevant when its time came (closed, done, deactivated)
    BLOCKED = "blocked"  # the user blocked the bot (403)
    FAILED = "failed"  # gave up after repeated errors (recorded in last_error)


class Reminder(SQLModel, table=True):
    """One reminder occurrence. `key` names it uniquely (what, to whom, which occurrence,
    which step), so materialising it twice inserts it once and it is sent at most once
    per key (at least once: see README on the send window)."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    user_id: int = Field(sa_type=BigInteger, index=True)
    kind: str = Field(max_length=20)  # deadline, followup, escalation, personal, digest
    subject: str = Field(max_length=100)  # kb:<item>, db:<id>, followup:<id>, personal:<id>
    period: str = Field(default="", max_length=20)
    step: str = Field(max_length=20)  # d7, d1, d0, due, overdue, escalation, snooze ...
    due_at: dt.datetime = Field(sa_column=timestamp())
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    status: ReminderStatus = Field(default=ReminderStatus.PENDING, sa_type=names(ReminderStatus))
    attempts: int = 0
    next_attempt_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    last_error: str | None = Field(default=None, max_length=300)
    sent_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class PersonalReminder(SQLModel, table=True):
    """/remind 下周三 给李大爷送药."""

    __tablename__ = "personal_reminders"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_type=BigInteger, index=True)
    text: str = Field(max_length=200)
    due_on: dt.date
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    cancelled_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class SchedulerProcess(SQLModel, table=True):
    """A running bot process as `bangfu status` shows it (written by its heartbeat)."""

    __tablename__ = "scheduler_processes"

    id: str = Field(primary_key=True, max_length=80)  # host:pid:random
    is_leader: bool = False
    started_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    heartbeat_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    last_sweep_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    last_materialize_at: dt.datetime | None = Field(default=None,
                                                    sa_column=timestamp(nullable=True))
