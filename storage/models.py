"""SQLModel tables. Timestamps are aware UTC; Telegram ids are BigInteger."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Dialect, Enum
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC (SQLModel rejects naive datetimes)."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in and out on every backend: SQLite keeps no time zone and hands back naive
    values, which would break comparisons with aware ones (deadlines, reminders)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC (models.utcnow())")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _ts() -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=False)


def _names(enum: type[StrEnum]) -> Enum:
    """An enum stored as its member name in a plain VARCHAR: adding a member later (a new
    role) needs no migration, unlike a PostgreSQL ENUM type."""
    return Enum(enum, native_enum=False, create_constraint=False, length=20)


class Role(StrEnum):
    """What a user may do; residents need no registration."""

    RESIDENT = "resident"
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"


class User(SQLModel, table=True):
    """A Telegram user's settings. No name, phone or ID number is stored."""

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    region_id: str | None = Field(default=None, max_length=40)
    role: Role = Field(default=Role.RESIDENT, sa_type=_names(Role))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class QueryEventKind(StrEnum):
    """Signals that tell us where the knowledge base or synonyms fall short."""

    UNANSWERED = "unanswered"  # 没有找到
    CLARIFIED = "clarified"  # the user picked an option from 您是想问
    UNHELPFUL = "unhelpful"  # 没用
    HELPFUL = "helpful"  # 有用


class QueryEvent(SQLModel, table=True):
    """One signal about a question; anonymous: no user id, numbers and names masked."""

    id: int | None = Field(default=None, primary_key=True)
    kind: QueryEventKind = Field(index=True, sa_type=_names(QueryEventKind))
    region_id: str = Field(max_length=40)
    question: str = Field(max_length=300)
    entry_id: str | None = Field(default=None, max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
