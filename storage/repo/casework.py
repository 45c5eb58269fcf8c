"""Visits and follow-ups: log, edit, delete, close, postpone; each change audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal, or_, update
from sqlmodel import Session, col, select

from storage.models import FollowUp, FollowUpStatus, Household, HouseholdStatus, Visit
from storage.models.base import UTCDateTime
from storage.repo.audit import Actor, Ref, record


@dataclass(frozen=True)
class VisitCreate:
    """What the visit form collected."""

    household_id: int
    kind: str
    visited_at: dt.datetime
    notes: str = ""
    needs: tuple[str, ...] = ()
    changes: dict[str, Any] = field(default_factory=dict)
    photos: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


def _visit_state(v: Visit) -> dict[str, Any]:
    return {"household": v.household_id, "kind": v.kind, "at": v.visited_at.isoformat(),
            "notes": v.notes, "needs": list(v.needs), "changes": v.changes,
            "photos": len(v.photos), "location": v.latitude is not None,
            "deleted": v.deleted_at is not None}


def add_visit(*, session: Session, data: VisitCreate, by: int, now: dt.datetime) -> Visit:
    """Record a visit (the caller applies its changes to the household in the same
    transaction)."""
    visit = Visit(household_id=data.household_id, author_id=by, kind=data.kind,
                  visited_at=data.visited_at, notes=data.notes, needs=list(data.needs),
                  changes=data.changes if any(data.changes.values()) else {},  # none: {}
                  photos=list(data.photos), latitude=data.latitude,
                  longitude=data.longitude, created_at=now, updated_at=now)
    session.add(visit)
    session.flush()
    visited(session=session, household_id=data.household_id, at=data.visited_at)
    record(session=session, actor=by, action="visit.add", target=Ref("visit", str(visit.id)),
           after=_visit_state(visit), at=now)
    return visit


def edit_visit(*, session: Session, visit: Visit, notes: str, by: Actor,
               now: dt.datetime) -> None:
    """Change a visit's notes."""
    before = _visit_state(visit)
    visit.notes, visit.updated_at = notes, now
    session.add(visit)
    session.flush()
    record(session=session, actor=by, action="visit.edit", target=Ref("visit", str(visit.id)),
           before=before, after=_visit_state(visit), at=now)


def delete_visit(*, session: Session, visit: Visit, by: Actor, now: dt.datetime) -> None:
    """Remove a visit from every list (the row stays for the audit trail)."""
    before = _visit_state(visit)
    visit.deleted_at = visit.updated_at = now
    session.add(visit)
    session.flush()
    recompute_last_visits(session=session, household_ids=[visit.household_id])
    record(session=session, actor=by, action="visit.delete",
           target=Ref("visit", str(visit.id)), before=before, after=_visit_state(visit), at=now)


def visited(*, session: Session, household_id: int, at: dt.datetime) -> None:
    """Raise households.last_visited_at to `at` after a visit is added. One UPDATE whose
    CASE reads the row it writes: on PostgreSQL a concurrent visit to the same household
    waits for the row lock and re-reads it, so the later time wins either way."""
    last = col(Household.last_visited_at)
    when = literal(at, UTCDateTime())
    session.execute(update(Household).where(col(Household.id) == household_id)
                    .values(last_visited_at=case((or_(last.is_(None), last < when), when),
                                                 else_=last))
                    .execution_options(synchronize_session="fetch"))


def recompute_last_visits(*, session: Session, household_ids: list[int] | None = None) -> None:
    """Set households.last_visited_at from their live visits: after a delete (the row is
    locked first, so a concurrent add is seen or waits), and to backfill (all households
    when `household_ids` is None)."""
    ids = col(Household.id)
    if household_ids is not None:
        session.execute(select(ids).where(ids.in_(household_ids)).with_for_update())
    last = (select(func.max(col(Visit.visited_at)))
            .where(col(Visit.household_id) == ids, col(Visit.deleted_at).is_(None))
            .correlate(Household).scalar_subquery())
    stmt = update(Household).values(last_visited_at=last)
    if household_ids is not None:
        stmt = stmt.where(ids.in_(household_ids))
    session.execute(stmt.execution_options(synchronize_session="fetch"))


def visits_of(*, session: Session, household_id: int, limit: int = 10) -> list[Visit]:
    """The household's latest visits."""
    stmt = (select(Visit).where(Visit.household_id == household_id,
                                col(Visit.deleted_at).is_(None))
            .order_by(col(Visit.visited_at).desc(), col(Visit.id).desc()).limit(limit))
    return list(session.exec(stmt).all())


def get_visit(*, session: Session, visit_id: int) -> Visit | None:
    """One visit that has not been deleted."""
    visit = session.get(Visit, visit_id)
    return visit if visit is not None and visit.deleted_at is None else None


def _followup_state(f: FollowUp) -> dict[str, Any]:
    return {"household": f.household_id, "action": f.action, "due": f.due_on.isoformat(),
            "status": f.status.value, "owner": f.owner_id, "note": f.close_note}


def add_followup(*, session: Session, household_id: int, action: str, due_on: dt.date,
                 owner_id: int, by: Actor, now: dt.datetime,
                 visit_id: int | None = None) -> FollowUp:
    """Something to do by a date."""
    item = FollowUp(household_id=household_id, visit_id=visit_id, owner_id=owner_id,
                    action=action, due_on=due_on, created_at=now)
    session.add(item)
    session.flush()
    record(session=session, actor=by, action="followup.add",
           target=Ref("followup", str(item.id)), after=_followup_state(item), at=now)
    return item


def close_followup(*, session: Session, item: FollowUp, status: FollowUpStatus,
                   note: str | None, by: int, now: dt.datetime) -> bool:
    """Mark done or cancelled; False (nothing changed) when it was no longer open."""
    if item.status != FollowUpStatus.OPEN:
        return False
    before = _followup_state(item)
    item.status, item.close_note, item.closed_at, item.closed_by = status, note, now, by
    session.add(item)
    session.flush()
    record(session=session, actor=by, action=f"followup.{status.value}",
           target=Ref("followup", str(item.id)), before=before, after=_followup_state(item),
           at=now)
    return True


def postpone_followup(*, session: Session, item: FollowUp, due_on: dt.date, by: int,
                      now: dt.datetime) -> None:
    """Move the due date."""
    before = _followup_state(item)
    item.due_on = due_on
    session.add(item)
    session.flush()
    record(session=session, actor=by, action="followup.postpone",
           target=Ref("followup", str(item.id)), before=before, after=_followup_state(item),
           at=now)


def get_followup(*, session: Session, followup_id: int) -> FollowUp | None:
    """One follow-up."""
    return session.get(FollowUp, followup_id)


def due_of(*, session: Session, owner_id: int, limit: int = 30
           ) -> list[tuple[FollowUp, Household]]:
    """A user's open follow-ups with their households, the earliest due first (so overdue
    ones lead)."""
    stmt = (select(FollowUp, Household).join(Household, col(Household.id) == FollowUp.household_id)
            .where(FollowUp.owner_id == owner_id, FollowUp.status == FollowUpStatus.OPEN,
                   Household.status == HouseholdStatus.ACTIVE)
            .order_by(col(FollowUp.due_on), col(FollowUp.id)).limit(limit))
    return [(f, h) for f, h in session.exec(stmt)]


def open_followups_of(*, session: Session, household_id: int) -> list[FollowUp]:
    """A household's open follow-ups, earliest first."""
    stmt = (select(FollowUp).where(FollowUp.household_id == household_id,
                                   FollowUp.status == FollowUpStatus.OPEN)
            .order_by(col(FollowUp.due_on), col(FollowUp.id)))
    return list(session.exec(stmt).all())
