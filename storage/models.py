"""SQLModel tables. Timestamps are aware UTC; Telegram ids are BigInteger."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC (SQLModel rejects naive datetimes)."""
    return dt.datetime.now(dt.UTC)


def _ts() -> Column[dt.datetime]:
    return Column(DateTime(timezone=True), nullable=False)


class Role(StrEnum):
    """What a user may do; residents need no registration."""

    RESIDENT = "resident"
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"


class User(SQLModel, table=True):
    """A Telegram user's settings. No name, phone or ID number is stored."""

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    region_id: str | None = Field(default=None, max_length=40)
    role: Role = Field(default=Role.RESIDENT)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class QueryEventKind(StrEnum):
    """Signals that tell us where the knowledge base or synonyms fall short."""

    UNANSWERED = "unanswered"  # 没有找到
    CLARIFIED = "clarified"  # the user picked an option from 您是想问
    UNHELPFUL = "unhelpful"  # 没用
    HELPFUL = "helpful"  # 有用


class QueryEvent(SQLModel, table=True):
    """One signal about a question; anonymous: no user id, digits masked in the text."""

    id: int | None = Field(default=None, primary_key=True)
    kind: QueryEventKind = Field(index=True)
    region_id: str = Field(max_length=40)
    question: str = Field(max_length=300)
    entry_id: str | None = Field(default=None, max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
