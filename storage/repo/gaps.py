"""应享未享: what the engine finds a household entitled to and not receiving, and 已享受."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from storage.models import Gap, Received
from storage.repo.audit import Actor, Ref, record

Key = tuple[str, int | None]  # (entry id, member id or None for the household)


def received(*, session: Session, household_id: int) -> set[Key]:
    """What the household is recorded as receiving."""
    rows = session.exec(select(Received.entry_id, Received.member_id)
                        .where(Received.household_id == household_id))
    return {(e, m) for e, m in rows}


def refresh(*, session: Session, household_id: int, found: set[Key],
            now: dt.datetime) -> list[Gap]:
    """Make the open gaps match `found` (entitled, not received): new ones open, ones that
    no longer apply are resolved as not_applicable. Returns the open gaps."""
    rows = list(session.exec(select(Gap).where(Gap.household_id == household_id)))
    by_key = {(g.entry_id, g.member_id): g for g in rows}
    for key in found - by_key.keys():
        gap = Gap(household_id=household_id, entry_id=key[0], member_id=key[1], found_at=now)
        session.add(gap)
        by_key[key] = gap
    for key, gap in by_key.items():
        if key in found and gap.resolved_at is not None and gap.resolution == "not_applicable":
            gap.resolved_at, gap.resolution, gap.found_at = None, None, now  # applies again
            session.add(gap)
        elif key not in found and gap.resolved_at is None:
            gap.resolved_at, gap.resolution = now, "not_applicable"
            session.add(gap)
    session.flush()
    return sorted((g for k, g in by_key.items() if k in found and g.resolved_at is None),
                  key=lambda g: (g.entry_id, g.member_id or 0))


def get_gap(*, session: Session, gap_id: int) -> Gap | None:
    """One gap."""
    return session.get(Gap, gap_id)


def open_gaps(*, session: Session, household_id: int) -> list[Gap]:
    """The household's unresolved gaps."""
    stmt = select(Gap).where(Gap.household_id == household_id, col(Gap.resolved_at).is_(None))
    return list(session.exec(stmt.order_by(col(Gap.entry_id), col(Gap.member_id))).all())


def mark_received(*, session: Session, gap: Gap, household_code: str, by: Actor,
                  now: dt.datetime) -> bool:
    """已享受: record it and resolve the gap; False when it was already resolved."""
    if gap.resolved_at is not None:
        return False
    gap.resolved_at, gap.resolution = now, "received"
    session.add(gap)
    session.add(Received(household_id=gap.household_id, entry_id=gap.entry_id,
                         member_id=gap.member_id, marked_by=by if isinstance(by, int) else None,
                         marked_at=now))
    session.flush()
    record(session=session, actor=by, action="received.mark",
           target=Ref("household", household_code),
           after={"entry": gap.entry_id, "member": gap.member_id}, at=now)
    return True
