"""Supervisors' figures, every one a SQL aggregation (GROUP BY / COUNT) over the households
at or below one region path: visits by caseworker and by week, visit coverage (30 / 60 days),
follow-ups opened / done / overdue by caseworker and by village, and 应享未享 found and
resolved. The caller scopes by the supervisor's home path (storage.access rules)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select
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

STALE_DAYS = (30, 60)  # "not visited in 30 / 60 days"


@dataclass(frozen=True)
class Span:
    """A reporting period: [start, end] (end is now) as aware UTC, and today's local date."""

    start: dt.datetime
    end: dt.datetime
    today: dt.date


@dataclass(frozen=True)
class Named:
    """One row of a per-caseworker or per-village table."""

    id: int
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Coverage:
    """Active households, those visited in the period, and those not visited for long."""

    households: int
    visited: int  # in the period
    stale30: int  # no visit in the last 30 days
    stale60: int


@dataclass(frozen=True)
class GapCounts:
    """应享未享 in the period: found, resolved as received; still open now."""

    found: int
    resolved: int
    open: int


def _scoped(path: str) -> Any:
    return and_(under(path), col(Household.status) == HouseholdStatus.ACTIVE)


def _live_visit() -> Any:
    return col(Visit.deleted_at).is_(None)


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    """Display names of users, looked up once per report rather than joined per row."""
    found: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        stmt = select(col(User.telegram_id), col(User.display_name)).where(
            col(User.telegram_id).in_(ids[i:i + 500]))
        found.update({t: n or str(t) for t, n in session.execute(stmt)})
    return found


def visits(*, session: Session, path: str, span: Span, weeks: list[dt.datetime],
           top: int = 6) -> tuple[list[Named], list[str], list[list[int]]]:
    """Visits to households of the region, in one pass over the visits since the earlier of
    the period's start and the chart's first week: (visits,) per author in the period, most
    first; and the chart's visits per week (weeks: each week's start, ascending; the last
    ends before the period's end) for the `top` authors: (names, counts[author][week])."""
    at = col(Visit.visited_at)
    # before the chart (most rows of a 本年 report) or at the very end: decided first
    bucket = case((or_(at < weeks[0], at >= span.end), literal(-1)),
                  *[(at >= w, literal(i)) for i, w in reversed(list(enumerate(weeks)))],
                  else_=literal(-1))
    stmt = (select(col(Visit.author_id), bucket, func.count(), _count_if(at >= span.start))
            .join(Household, col(Household.id) == col(Visit.household_id))
            .where(_scoped(path), at >= min(span.start, weeks[0]), at <= span.end,
                   _live_visit())
            .group_by(col(Visit.author_id), bucket))
    period: dict[int, int] = {}
    table: dict[int, list[int]] = {}
    for author, week, n, in_period in session.execute(stmt):
        if int(in_period):
            period[author] = period.get(author, 0) + int(in_period)
        if int(week) >= 0:
            table.setdefault(author, [0] * len(weeks))[int(week)] += int(n)
    names = _names(session, sorted(set(period) | set(table)))
    by_author = [Named(a, names.get(a, str(a)), (c,))
                 for a, c in sorted(period.items(), key=lambda x: (-x[1], x[0]))]
    chosen = sorted(table, key=lambda a: (-sum(table[a]), a))[:top]
    return by_author, [names.get(a, str(a)) for a in chosen], [table[a] for a in chosen]


def _stale(last: Any, cut: dt.datetime) -> Any:
    return or_(last.is_(None), last < cut)


def coverage(*, session: Session, path: str, span: Span, now: dt.datetime) -> Coverage:
    """Households of the region: how many, visited in the period, not visited in 30/60 days
    (visits are never in the future, so "visited in the period" is a last visit after its
    start)."""
    last = col(Household.last_visited_at)  # one pass over ix_households_report
    cuts = [now - dt.timedelta(days=d) for d in STALE_DAYS]
    stmt = select(func.count(), _count_if(last >= span.start),
                  _count_if(_stale(last, cuts[0])), _count_if(_stale(last, cuts[1])))
    total, visited, s30, s60 = session.execute(stmt.where(_scoped(path))).one()
    return Coverage(int(total), int(visited), int(s30), int(s60))


def _followup_conditions(span: Span) -> list[Any]:
    """Opened in the period, done in the period, overdue now."""
    opened = and_(col(FollowUp.created_at) >= span.start, col(FollowUp.created_at) <= span.end)
    done = and_(col(FollowUp.status) == FollowUpStatus.DONE, col(FollowUp.closed_at) >= span.start,
                col(FollowUp.closed_at) <= span.end)
    overdue = and_(col(FollowUp.status) == FollowUpStatus.OPEN, col(FollowUp.due_on) < span.today)
    return [opened, done, overdue]


def _followup_columns(span: Span) -> list[Any]:
    return [_count_if(c) for c in _followup_conditions(span)]


def followups(*, session: Session, path: str, span: Span,
              regions: RegionTree) -> tuple[list[Named], list[Named]]:
    """(opened, done, overdue now) per follow-up owner and per village, most overdue first:
    one pass grouped by (owner, village), added up both ways here."""
    stmt = (select(col(FollowUp.owner_id), col(Household.village_id), *_followup_columns(span))
            .join(Household, col(Household.id) == col(FollowUp.household_id))
            .where(_scoped(path), or_(*_followup_conditions(span)))  # rows that count
            .group_by(col(FollowUp.owner_id), col(Household.village_id)))
    by_owner: dict[int, list[int]] = {}
    by_village: dict[int, list[int]] = {}
    for owner, village, *values in session.connection().execute(stmt):  # Core: 10^4+ rows
        for table, key in ((by_owner, owner), (by_village, village)):
            sums = table.setdefault(key, [0, 0, 0])
            for i, v in enumerate(values):
                sums[i] += int(v)
    names = _names(session, list(by_owner))
    owners = sorted((Named(o, names.get(o, str(o)), tuple(v)) for o, v in by_owner.items()
                     if any(v)), key=lambda r: (-r.values[2], r.id))
    villages = _village_names(session, list(by_village), regions)
    places = sorted((Named(v, villages.get(v, str(v)), tuple(x)) for v, x in by_village.items()
                     if any(x)), key=lambda r: (-r.values[2], r.name))
    return owners, places


def _village_names(session: Session, ids: list[int], regions: RegionTree) -> dict[int, str]:
    found: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        stmt = select(col(Village.id), col(Village.name), col(Village.town_id)).where(
            col(Village.id).in_(ids[i:i + 500]))
        found.update({int(v): (n, t) for v, n, t in session.execute(stmt)})
    return village_labels(found, regions)


def village_labels(villages: dict[int, tuple[str, str]], regions: RegionTree) -> dict[int, str]:
    """Village id -> its name, with the town's name where two villages of the list share a
    name (红旗村 is a name in many towns): 红旗村（张相镇）."""
    names = Counter(name for name, _ in villages.values())
    return {v: f"{name}（{regions.get(town).name}）" if names[name] > 1 and town in regions
            else name for v, (name, town) in villages.items()}


def gap_counts(*, session: Session, path: str, span: Span) -> GapCounts:
    """应享未享 found and resolved (received) in the period, and open now."""
    found = and_(col(Gap.found_at) >= span.start, col(Gap.found_at) <= span.end)
    resolved = and_(col(Gap.resolution) == "received", col(Gap.resolved_at) >= span.start,
                    col(Gap.resolved_at) <= span.end)
    stmt = (select(_count_if(found), _count_if(resolved), _count_if(col(Gap.resolved_at).is_(None)))
            .join(Household, col(Household.id) == col(Gap.household_id)).where(_scoped(path)))
    f, r, o = session.execute(stmt).one()
    return GapCounts(int(f), int(r), int(o))


def open_gaps(*, session: Session, path: str) -> int:
    """应享未享 still open in the region (the digest's figure): a count on the covering
    ix_entitlement_gaps_open (household_id, resolved_at)."""
    stmt = (select(func.count()).select_from(Gap)
            .join(Household, col(Household.id) == col(Gap.household_id))
            .where(_scoped(path), col(Gap.resolved_at).is_(None)))
    return int(session.execute(stmt).scalar_one())


def stale_by_village(*, session: Session, path: str, now: dt.datetime, regions: RegionTree,
                     limit: int = 5) -> list[Named]:
    """(not visited in 30 days, in 60 days) per village, the worst first."""
    last = col(Household.last_visited_at)
    cuts = [now - dt.timedelta(days=d) for d in STALE_DAYS]
    s30, s60 = _count_if(_stale(last, cuts[0])), _count_if(_stale(last, cuts[1]))
    # grouped on the covering index first, the few village names joined afterwards
    counts = (select(col(Household.village_id).label("village"), s30.label("s30"),
                     s60.label("s60")).where(_scoped(path))
              .group_by(col(Household.village_id)).subquery())
    stmt = (select(col(Village.id), col(Village.name), col(Village.town_id), counts.c.s30,
                   counts.c.s60)
            .join(counts, counts.c.village == col(Village.id)).where(counts.c.s30 > 0)
            .order_by(counts.c.s60.desc(), counts.c.s30.desc(), col(Village.name)).limit(limit))
    rows = list(session.execute(stmt))
    labels = village_labels({int(v): (name, town) for v, name, town, _, _ in rows}, regions)
    return [Named(int(v), labels[int(v)], (int(a), int(b))) for v, _, _, a, b in rows]


def overdue_by_caseworker(*, session: Session, path: str, today: dt.date) -> list[Named]:
    """Open follow-ups past their date per owner, most first."""
    n = func.count(col(FollowUp.id))
    stmt = (select(col(FollowUp.owner_id), col(User.display_name), n)
            .join(Household, col(Household.id) == col(FollowUp.household_id))
            .outerjoin(User, col(User.telegram_id) == col(FollowUp.owner_id))
            .where(_scoped(path), col(FollowUp.status) == FollowUpStatus.OPEN,
                   col(FollowUp.due_on) < today)
            .group_by(col(FollowUp.owner_id), col(User.display_name))
            .order_by(n.desc(), col(FollowUp.owner_id)))
    return [Named(o, name or str(o), (int(c),)) for o, name, c in session.execute(stmt)]


def overdue_of(*, session: Session, path: str, owner_id: int, today: dt.date,
               limit: int = 20) -> list[tuple[FollowUp, Household]]:
    """One caseworker's overdue follow-ups inside the region, the oldest first."""
    stmt = (select(FollowUp, Household)
            .join(Household, col(Household.id) == col(FollowUp.household_id))
            .where(_scoped(path), col(FollowUp.owner_id) == owner_id,
                   col(FollowUp.status) == FollowUpStatus.OPEN, col(FollowUp.due_on) < today)
            .order_by(col(FollowUp.due_on), col(FollowUp.id)).limit(limit))
    return [(f, h) for f, h in session.execute(stmt)]


def get_village(*, session: Session, village_id: int) -> Village | None:
    """One village."""
    return session.get(Village, village_id)


PERIODS = {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年"}
CHART_WEEKS = 8  # the chart's weeks, ending with this one


def period_span(period: str, now: dt.datetime, tz: ZoneInfo) -> Span:
    """本周 (from Monday), 本月, 本季度 or 本年 up to now, in the bot's time zone."""
    today = now.astimezone(tz).date()
    first = {"week": today - dt.timedelta(days=today.weekday()),
             "month": today.replace(day=1),
             "quarter": today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1),
             "year": today.replace(month=1, day=1)}[period]
    return Span(dt.datetime.combine(first, dt.time(), tz).astimezone(dt.UTC), now, today)


def week_starts(now: dt.datetime, tz: ZoneInfo, weeks: int = CHART_WEEKS) -> list[dt.datetime]:
    """The Mondays (local midnight, as UTC) of the last `weeks` weeks, oldest first."""
    today = now.astimezone(tz).date()
    monday = today - dt.timedelta(days=today.weekday())
    return [dt.datetime.combine(monday - dt.timedelta(weeks=weeks - 1 - i), dt.time(), tz)
            .astimezone(dt.UTC) for i in range(weeks)]


@dataclass(frozen=True)
class Report:
    """/report for one region and period."""

    region: str
    period: str  # 本周 ...
    span: Span
    visits: list[Named]  # (visits,) per caseworker
    coverage: Coverage
    followups: list[Named]  # (opened, done, overdue) per caseworker
    villages: list[Named]  # (opened, done, overdue) per village
    gaps: GapCounts
    weeks: list[dt.datetime]  # the chart's weeks
    weekly_names: list[str]
    weekly: list[list[int]]


def report(*, session: Session, path: str, region: str, period: str, now: dt.datetime,
           tz: ZoneInfo, regions: RegionTree) -> Report:
    """Every figure of /report (and its chart) for the households below `path`."""
    span = period_span(period, now, tz)
    weeks = week_starts(now, tz)
    by_author, names, weekly = visits(session=session, path=path, span=span, weeks=weeks)
    owners, villages = followups(session=session, path=path, span=span, regions=regions)
    return Report(
        region=region, period=PERIODS[period], span=span,
        visits=by_author,
        coverage=coverage(session=session, path=path, span=span, now=now),
        followups=owners, villages=villages,
        gaps=gap_counts(session=session, path=path, span=span),
        weeks=weeks, weekly_names=names, weekly=weekly)
