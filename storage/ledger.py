"""The ledger (台账) queries: households with members, visits, follow-ups and 应享未享 of one
scope, each streamed in batches (server-side cursors on PostgreSQL, fetchmany on SQLite), so
an export's memory does not grow with the data.

Each function is a generator: its query runs on the first row asked for, and rows are Core
rows with the labels below (no ORM objects: a million of them would not be cheap).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.models import (
    FollowUp,
    Gap,
    Household,
    HouseholdStatus,
    Member,
    User,
    Village,
    Visit,
)
from storage.repo.households import under

AnySelect = Select[*tuple[Any, ...]]
S = TypeVar("S", bound=AnySelect)
BATCH = 2000  # rows per round trip: big enough to be fast, small enough to stay flat


@dataclass(frozen=True)
class Scope:
    """Whose households the ledger covers: everything below a region path, or (with
    caseworker_id) only the households assigned to one caseworker."""

    path: str = ""
    caseworker_id: int | None = None


@dataclass(frozen=True)
class Period:
    """--from / --to: visits by their time, follow-ups by their due day (either may be open)."""

    start: dt.datetime | None = None  # aware UTC, inclusive
    end: dt.datetime | None = None  # aware UTC, exclusive
    first_day: dt.date | None = None
    last_day: dt.date | None = None


ALL_TIME = Period()


def period_of(first: dt.date | None, last: dt.date | None, tz: dt.tzinfo) -> Period:
    """Local calendar days (Asia/Shanghai) as UTC bounds."""
    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)
    return Period(start=midnight(first) if first else None,
                  end=midnight(last + dt.timedelta(days=1)) if last else None,
                  first_day=first, last_day=last)


def _scoped(stmt: S, scope: Scope) -> S:
    stmt = stmt.where(col(Household.status) != HouseholdStatus.ERASED)
    if scope.caseworker_id is not None:
        return stmt.where(col(Household.caseworker_id) == scope.caseworker_id)
    return stmt.where(under(scope.path)) if scope.path else stmt


def _stream(session: Session, stmt: AnySelect) -> Iterator[Any]:
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:
        result.close()


def households(*, session: Session, scope: Scope) -> Iterator[Any]:
    """One row per present member (a household without members: one row with NULL member
    fields), by 户编号, 户主 first."""
    worker = aliased(User)
    stmt: AnySelect = (select(col(Household.code), col(Household.head_name),
                   col(Household.region_id), col(Village.name).label("village"),
                   col(Household.area),
                   col(Household.categories),
                   col(Household.income_per_capita_yearly).label("income"),
                   col(Household.housing), col(Household.phone),
                   func.coalesce(col(worker.display_name), col(Household.caseworker_name))
                   .label("caseworker"), col(Household.status),
                   col(Member.name).label("member"), col(Member.relation),
                   col(Member.id_masked), col(Member.sex), col(Member.birth_date),
                   col(Member.school_stage), col(Member.boarding),
                   col(Member.disability_level), col(Member.health))
            .join(Village, col(Village.id) == col(Household.village_id))
            .outerjoin(worker, col(worker.telegram_id) == col(Household.caseworker_id))
            .outerjoin(Member, and_(col(Member.household_id) == col(Household.id),
                                    col(Member.present).is_(True)))
            .order_by(col(Household.code), case((col(Member.relation) == "户主", 0), else_=1),
                      col(Member.id)))
    return _stream(session, _scoped(stmt, scope))


def visits(*, session: Session, scope: Scope, period: Period = ALL_TIME) -> Iterator[Any]:
    """Visits not deleted, in time order."""
    author = aliased(User)
    stmt: AnySelect = (select(col(Household.code), col(Household.head_name),
                   col(Village.name).label("village"), col(Visit.visited_at), col(Visit.kind),
                   col(author.display_name).label("author"),
                   col(Visit.notes), col(Visit.needs), col(Visit.changes), col(Visit.photos),
                   col(Visit.latitude))
            .join(Household, col(Household.id) == col(Visit.household_id))
            .join(Village, col(Village.id) == col(Household.village_id))
            .outerjoin(author, col(author.telegram_id) == col(Visit.author_id))
            .where(col(Visit.deleted_at).is_(None))
            .order_by(col(Visit.visited_at), col(Visit.id)))
    if period.start is not None:
        stmt = stmt.where(col(Visit.visited_at) >= period.start)
    if period.end is not None:
        stmt = stmt.where(col(Visit.visited_at) < period.end)
    return _stream(session, _scoped(stmt, scope))


def followups(*, session: Session, scope: Scope, period: Period = ALL_TIME) -> Iterator[Any]:
    """Follow-ups of every status, by due day."""
    owner = aliased(User)
    stmt: AnySelect = (select(col(Household.code), col(Household.head_name),
                   col(Village.name).label("village"), col(FollowUp.action),
                   col(owner.display_name).label("owner"), col(FollowUp.due_on),
                   col(FollowUp.status), col(FollowUp.created_at), col(FollowUp.closed_at),
                   col(FollowUp.close_note))
            .join(Household, col(Household.id) == col(FollowUp.household_id))
            .join(Village, col(Village.id) == col(Household.village_id))
            .outerjoin(owner, col(owner.telegram_id) == col(FollowUp.owner_id))
            .order_by(col(FollowUp.due_on), col(FollowUp.id)))
    if period.first_day is not None:
        stmt = stmt.where(col(FollowUp.due_on) >= period.first_day)
    if period.last_day is not None:
        stmt = stmt.where(col(FollowUp.due_on) <= period.last_day)
    return _stream(session, _scoped(stmt, scope))


def gaps(*, session: Session, scope: Scope) -> Iterator[Any]:
    """应享未享 found: open ones and those since marked received (not those that stopped
    applying), by 户编号."""
    stmt: AnySelect = (select(col(Household.code), col(Household.head_name),
                   col(Village.name).label("village"), col(Member.name).label("member"),
                   col(Gap.entry_id), col(Gap.found_at), col(Gap.resolved_at),
                   col(Gap.resolution))
            .join(Household, col(Household.id) == col(Gap.household_id))
            .join(Village, col(Village.id) == col(Household.village_id))
            .outerjoin(Member, col(Member.id) == col(Gap.member_id))
            .where(func.coalesce(col(Gap.resolution), "") != "not_applicable")
            .order_by(col(Household.code), col(Gap.entry_id), col(Gap.id)))
    return _stream(session, _scoped(stmt, scope))
