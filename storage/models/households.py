"""Households and their members, the villages they live in, and what they receive.

Personal data (PIPL): an ID number is never stored, only its keyed hash (to recognise the
person on re-import) and a masked form for display. Phone numbers are shown only to the
assigned caseworker and their supervisors (storage/access.py).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, names, timestamp, utcnow


class Village(SQLModel, table=True):
    """A 行政村/社区, created by the roster import below a town of regions.yaml."""

    __tablename__ = "villages"
    __table_args__ = (UniqueConstraint("town_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    town_id: str = Field(max_length=60, index=True)  # a regions.yaml id (镇/乡/街道)
    name: str = Field(max_length=40)
    path: str = Field(max_length=300, index=True)  # "liaoning/tieling/qinghe/qinghe-zx/v12/"
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class HouseholdStatus(StrEnum):
    """Active households show in lists; archived ones are kept; erased ones keep no
    personal data."""

    ACTIVE = "active"
    ARCHIVED = "archived"  # moved away, case closed
    ERASED = "erased"  # personal data removed on request


class Household(SQLModel, table=True):
    """One household of the roster (户), as the national system lists it."""

    __tablename__ = "households"
    __table_args__ = (Index("ix_households_caseworker_status", "caseworker_id", "status"),
                      # covering index of the reports' coverage and stale-household figures
                      Index("ix_households_report", "path", "status", "village_id",
                            "last_visited_at"))

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)  # 户编号
    head_name: str = Field(max_length=40)  # 户主姓名
    village_id: int = Field(foreign_key="villages.id", index=True)
    region_id: str = Field(max_length=60)  # the town (regions.yaml): what the documents see
    path: str = Field(max_length=300, index=True)  # the village's path: scope queries
    area: str | None = Field(default=None, max_length=10)  # rural / urban
    categories: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    income_per_capita_yearly: float | None = None
    housing: str | None = Field(default=None, max_length=10)
    single_mother: bool | None = None
    relocated: bool | None = None
    phone: str | None = Field(default=None, max_length=20)  # 联系电话: restricted
    caseworker_id: int | None = Field(default=None, sa_column=Column(
        BigInteger, ForeignKey("users.telegram_id"), nullable=True))
    caseworker_name: str | None = Field(default=None, max_length=40)  # 帮扶责任人 as imported
    status: HouseholdStatus = Field(default=HouseholdStatus.ACTIVE, sa_type=names(HouseholdStatus))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    # The latest live visit's visited_at, kept by storage.repo.casework in the transaction
    # that adds or deletes a visit (denormalised so reports read one indexed column).
    last_visited_at: dt.datetime | None = Field(default=None,
                                                sa_column=timestamp(nullable=True))


class Member(SQLModel, table=True):
    """One person of a household. The ID number is kept only as hash and masked form."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("household_id", "id_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    id_hash: str = Field(max_length=64, index=True)  # HMAC-SHA256 of the ID number
    id_masked: str = Field(max_length=20)  # 211204********1234
    name: str = Field(max_length=40)
    relation: str = Field(max_length=20)  # 户主, 配偶, 之子 ...
    sex: str | None = Field(default=None, max_length=2)
    birth_date: dt.date | None = None
    school_stage: str | None = Field(default=None, max_length=10)  # vocabulary stages, 不上学
    boarding: bool | None = None
    disability_level: int | None = None  # 0 none, 1-4
    health: str | None = Field(default=None, max_length=10)  # 健康, 长期慢性病, 患有大病, 残疾
    present: bool = Field(default=True)  # False: no longer in the household's latest roster
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class Received(SQLModel, table=True):
    """An entitlement a household (or one member) is recorded as receiving (已享受)."""

    __tablename__ = "received"
    __table_args__ = (UniqueConstraint("household_id", "entry_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    entry_id: str = Field(max_length=80)
    member_id: int | None = Field(default=None, foreign_key="members.id")
    marked_by: int | None = Field(default=None, sa_type=BigInteger)
    marked_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class Gap(SQLModel, table=True):
    """应享未享: an entitlement the engine found for a household that it does not receive.
    Open until marked received (or it no longer applies); the digest and reports count them."""

    __tablename__ = "entitlement_gaps"
    __table_args__ = (UniqueConstraint("household_id", "entry_id", "member_id"),
                      Index("ix_entitlement_gaps_open", "household_id", "resolved_at"))

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id")
    entry_id: str = Field(max_length=80)
    member_id: int | None = Field(default=None, foreign_key="members.id")
    found_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
    resolved_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    resolution: str | None = Field(default=None, max_length=20)  # received / not_applicable


