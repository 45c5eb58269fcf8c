"""Telegram users: their region and role."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.models.base import names, timestamp, utcnow


class Role(StrEnum):
    """What a user may do; residents need no registration."""

    RESIDENT = "resident"
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(SQLModel, table=True):
    """A Telegram user's settings. No phone or ID number is stored here."""

    __tablename__ = "users"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    region_id: str | None = Field(default=None, max_length=40)
    role: Role = Field(default=Role.RESIDENT, sa_type=names(Role))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
