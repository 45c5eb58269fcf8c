"""The figures of the monthly 帮扶情况 report for a region: SQL aggregates over the month's
visits, follow-ups and 应享未享 (COUNT / GROUP BY in the database, never a loop over rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, distinct, func, select, true
from sqlmodel import Session, col

from knowledge.regions import RegionTree
from storage.models import (
    FollowUp,
    FollowUpStatus,
    Gap,
    Household,
    HouseholdStatus,
    User,
    Village,
    Visit,
)
from storage.repo.households import under
from storage.reports import village_labels

TOP = 3  # named caseworkers, villages, needs per list: a report line, not a table
MEASURES = "帮扶措施落实"  # the visit kind that records a measure carried out


@dataclass(frozen=True)
class Month:
    """A calendar month in Asia/Shanghai, as UTC bounds and days."""

    year: int
    month: int
    start: dt.datetime  # aware UTC, inclusive
    end: dt.datetime  # aware UTC, exclusive
    first_day: dt.date
    last_day: dt.date

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


def month_of(year: int, month: int, tz: dt.tzinfo) -> Month:
    """The month's bounds."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)
    return Month(year, month, utc(first), utc(following), first,
                 following - dt.timedelta(days=1))


@dataclass(frozen=True)
class Figures:
    """What the draft says, every number computed by the database."""

    households: int  # active households in the region
    visited: int  # of them, visited at least once in the month
    visits: int
    by_kind: list[tuple[str, int]]
    caseworkers: int  # who logged visits
    busiest: list[tuple[str, int]]  # caseworker, visits
    opened: int  # follow-ups created in the month
    done: int  # follow-ups done in the month
    overdue: int  # open and past due on `as_of`
    overdue_villages: list[tuple[str, int]]
    measures: int  # 帮扶措施落实 visits
    changes: int  # visits that recorded a change in the household
    gaps_found: int
    gaps_received: int
    needs: list[tuple[str, int]]


def _one(session: Session, stmt: Any) -> int:
    return int(session.execute(stmt).scalar_one() or 0)


def _pairs(session: Session, stmt: Any) -> list[tuple[str, int]]:
    return [(str(k), int(n)) for k, n in session.execute(stmt)]


def figures(*, session: Session, path: str, month: Month, as_of: dt.date,
            regions: RegionTree) -> Figures:
    """The month's figures for the households at or below `path`."""
    scope = (col(Household.status) != HouseholdStatus.ERASED, under(path))
    in_month = (col(Visit.deleted_at).is_(None), col(Visit.visited_at) >= month.start,
                col(Visit.visited_at) < month.end)
    visits = select(Visit).join(Household, col(Household.id) == Visit.household_id).where(
        *scope, *in_month).subquery()
    count = func.count()
    kinds = (select(visits.c.kind, count).group_by(visits.c.kind)
             .order_by(count.desc(), visits.c.kind))
    busiest = (select(func.coalesce(col(User.display_name), "?"), count)
               .select_from(visits).outerjoin(User, col(User.telegram_id) == visits.c.author_id)
               .group_by(col(User.display_name)).order_by(count.desc(), col(User.display_name))
               .limit(TOP))
    followups = select(FollowUp).join(Household, col(Household.id) == FollowUp.household_id) \
        .where(*scope)
    active = col(Household.status) == HouseholdStatus.ACTIVE  # as /report and the digest
    late = followups.where(active, col(FollowUp.status) == FollowUpStatus.OPEN,
                           col(FollowUp.due_on) < as_of)
    late_villages = (select(col(Village.id), col(Village.name), col(Village.town_id), count)
                     .select_from(FollowUp)
                     .join(Household, col(Household.id) == FollowUp.household_id)
                     .join(Village, col(Village.id) == Household.village_id)
                     .where(*scope, active, col(FollowUp.status) == FollowUpStatus.OPEN,
                            col(FollowUp.due_on) < as_of)
                     .group_by(col(Village.id), col(Village.name), col(Village.town_id))
                     .order_by(count.desc(), col(Village.name)).limit(TOP))
    late_rows = list(session.execute(late_villages))
    labels = village_labels({int(v): (name, town) for v, name, town, _ in late_rows}, regions)
    gaps = select(Gap).join(Household, col(Household.id) == Gap.household_id).where(*scope)
    return Figures(
        households=_one(session, select(count).select_from(Household).where(
            *scope, col(Household.status) == HouseholdStatus.ACTIVE)),
        visited=_one(session, select(func.count(distinct(visits.c.household_id)))  # of those
                     .select_from(visits)  # counted in `households`: coverage stays <= 100%
                     .join(Household, col(Household.id) == visits.c.household_id)
                     .where(col(Household.status) == HouseholdStatus.ACTIVE)),
        visits=_one(session, select(count).select_from(visits)),
        by_kind=_pairs(session, kinds),
        caseworkers=_one(session, select(func.count(distinct(visits.c.author_id)))),
        busiest=_pairs(session, busiest),
        opened=_one(session, select(count).select_from(followups.where(
            col(FollowUp.created_at) >= month.start, col(FollowUp.created_at) < month.end)
            .subquery())),
        done=_one(session, select(count).select_from(followups.where(
            col(FollowUp.status) == FollowUpStatus.DONE, col(FollowUp.closed_at) >= month.start,
            col(FollowUp.closed_at) < month.end).subquery())),
        overdue=_one(session, select(count).select_from(late.subquery())),
        overdue_villages=[(labels[int(v)], int(n)) for v, _, _, n in late_rows],
        measures=_one(session, select(count).select_from(visits).where(
            visits.c.kind == MEASURES)),
        changes=_one(session, select(count).select_from(visits).where(
            func.length(cast(visits.c.changes, Text)) > 2)),  # not "{}" (no change is stored so)
        gaps_found=_one(session, select(count).select_from(gaps.where(
            col(Gap.found_at) >= month.start, col(Gap.found_at) < month.end).subquery())),
        gaps_received=_one(session, select(count).select_from(gaps.where(
            col(Gap.resolution) == "received", col(Gap.resolved_at) >= month.start,
            col(Gap.resolved_at) < month.end).subquery())),
        needs=_needs(session, visits))


def _needs(session: Session, visits: Any) -> list[tuple[str, int]]:
    """The aid topics most often found (a JSON array per visit, unnested in SQL)."""
    unnest = "json_each" if session.get_bind().dialect.name == "sqlite" \
        else "json_array_elements_text"
    topics = getattr(func, unnest)(visits.c.needs).table_valued("value").alias("topic")
    count = func.count()
    stmt = (select(topics.c.value, count).select_from(visits).join(topics, true())
            .group_by(topics.c.value).order_by(count.desc(), topics.c.value).limit(TOP))
    return _pairs(session, stmt)
