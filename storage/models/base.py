"""Column types every table shares: aware UTC timestamps and enums stored by name."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Enum
from sqlalchemy.types import TypeDecorator


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


def timestamp(*, nullable: bool = False, index: bool = False) -> Column[dt.datetime]:
    """An aware-UTC timestamp column."""
    return Column(UTCDateTime(), nullable=nullable, index=index)


def names(enum: type[StrEnum]) -> Enum:
    """An enum stored as its member name in a plain VARCHAR: adding a member later (a new
    role) needs no migration, unlike a PostgreSQL ENUM type."""
    return Enum(enum, native_enum=False, create_constraint=False, length=20)


def json_column(*, nullable: bool = True) -> Column[Any]:
    """A JSON document (JSON on PostgreSQL, TEXT holding JSON on SQLite)."""
    return Column(JSON(), nullable=nullable)
