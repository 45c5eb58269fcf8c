"""The audit log: who changed which case data when, before and after; and every refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, timestamp, utcnow


class AuditEvent(SQLModel, table=True):
    """One change (or one refused attempt), written in the transaction that made it."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(index=True))
    actor_id: int | None = Field(default=None, sa_type=BigInteger, index=True)  # Telegram id
    actor: str = Field(max_length=40)  # "tg:<id>", "cli", "scheduler", "import"
    action: str = Field(max_length=40, index=True)  # "household.update", "refused:visit.add"
    object_type: str = Field(max_length=30)
    object_id: str = Field(max_length=80)
    before: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    after: dict[str, Any] | None = Field(default=None, sa_column=json_column())
