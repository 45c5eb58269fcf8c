"""Telegram users (their region, role and place in the team) and invites."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, names, timestamp, utcnow


class Role(StrEnum):
    """What a user may do; residents need no registration."""

    RESIDENT = "resident"
    CASEWORKER = "caseworker"  # 帮扶干部
    SUPERVISOR = "supervisor"  # 镇/街道, 区县 or 市 level, by home region
    ADMIN = "admin"


STAFF = (Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN)


class User(SQLModel, table=True):
    """A Telegram user. Residents have only a question region; staff also a name, a home
    region (their scope, which they cannot change from the chat) and a supervisor."""

    __tablename__ = "users"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    region_id: str | None = Field(default=None, max_length=40)  # where questions are answered
    role: Role = Field(default=Role.RESIDENT, sa_type=names(Role))
    display_name: str | None = Field(default=None, max_length=40)
    home_region_id: str | None = Field(default=None, max_length=60, index=True)
    supervisor_id: int | None = Field(default=None, sa_column=Column(
        BigInteger, ForeignKey("users.telegram_id"), nullable=True, index=True))
    active: bool = Field(default=True)
    remind_days: list[int] | None = Field(default=None, sa_column=json_column())  # /settings
    blocked_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())

    @property
    def is_staff(self) -> bool:
        return self.active and self.role in STAFF


class Invite(SQLModel, table=True):
    """A one-time registration code: `/start <code>` gives its user the role and region."""

    __tablename__ = "invites"

    code: str = Field(primary_key=True, max_length=24)
    role: Role = Field(sa_type=names(Role))
    region_id: str = Field(max_length=60)
    display_name: str = Field(max_length=40)
    supervisor_id: int | None = Field(default=None, sa_type=BigInteger)
    created_by: str = Field(max_length=40)  # "tg:<id>" or "cli"
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    expires_at: dt.datetime = Field(sa_column=timestamp())
    used_by: int | None = Field(default=None, sa_type=BigInteger)
    used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
