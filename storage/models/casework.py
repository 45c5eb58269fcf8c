"""Visits, follow-ups, and the half-filled visit form (a draft is case data: it is a row)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, names, timestamp, utcnow


class Visit(SQLModel, table=True):
    """One visit (or call) to a household, as the caseworker logged it."""

    __tablename__ = "visits"
    # One index leads with the household: it serves a household's visits and, covering
    # author and deletion, the reports' visits by caseworker and by week. (A second,
    # narrower one made SQLite's planner pick it and read every visit row: 2.0 s vs 0.4 s.)
    __table_args__ = (Index("ix_visits_household", "household_id", "visited_at", "author_id",
                            "deleted_at"),
                      Index("ix_visits_author_at", "author_id", "visited_at"))

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id")
    author_id: int = Field(sa_column=Column(BigInteger, ForeignKey("users.telegram_id"),
                                            nullable=False))
    kind: str = Field(max_length=20)  # 入户走访, 危房鉴定 ... (knowledge/casework.py)
    visited_at: dt.datetime = Field(sa_column=timestamp())
    notes: str = Field(default="", max_length=2000)
    needs: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    photos: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    latitude: float | None = None
    longitude: float | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    deleted_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class FollowUpStatus(StrEnum):
    """A follow-up is open until done or cancelled."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class FollowUp(SQLModel, table=True):
    """Something to do for a household by a date (跟进事项)."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_owner_status_due", "owner_id", "status", "due_on"),
                      Index("ix_followups_household_status", "household_id", "status", "due_on"),
                      # reminders, and (covering) the digest's overdue per caseworker
                      Index("ix_followups_status_due", "status", "due_on", "household_id",
                            "owner_id"),
                      # reports: opened / done / overdue per caseworker and village, covered
                      Index("ix_followups_report", "household_id", "owner_id", "status",
                            "due_on", "created_at", "closed_at"))

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id")
    visit_id: int | None = Field(default=None, foreign_key="visits.id")
    owner_id: int = Field(sa_column=Column(BigInteger, ForeignKey("users.telegram_id"),
                                           nullable=False))
    action: str = Field(max_length=200)
    due_on: dt.date  # a calendar day in Asia/Shanghai
    status: FollowUpStatus = Field(default=FollowUpStatus.OPEN, sa_type=names(FollowUpStatus))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    closed_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    closed_by: int | None = Field(default=None, sa_type=BigInteger)
    close_note: str | None = Field(default=None, max_length=200)


class VisitDraft(SQLModel, table=True):
    """The visit form a user is filling in: resumes after a restart, on any process."""

    __tablename__ = "visit_drafts"

    user_id: int = Field(sa_type=BigInteger, primary_key=True)
    step: str = Field(max_length=20)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
