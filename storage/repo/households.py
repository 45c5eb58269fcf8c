"""Households: a caseworker's list by urgency, lookup, search, the eligibility profile, and
changes (assignment, archive, erase), each audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from knowledge.profile import Member as ProfileMember
from knowledge.profile import Profile
from storage.models import (
    AuditEvent,
    FollowUp,
    FollowUpStatus,
    Household,
    HouseholdStatus,
    Member,
    User,
    Visit,
)
from storage.repo.audit import Actor, Ref, record

HEALTH_CHRONIC, HEALTH_MAJOR, HEALTH_DISABLED, HEALTHY = "长期慢性病", "患有大病", "残疾", "健康"


@dataclass(frozen=True)
class Row:
    """One line of /mine: a household with what makes it urgent."""

    household: Household
    last_visit: dt.datetime | None
    open_followups: int
    overdue: int


def under(path: str) -> Any:
    """Households at or below a region path: a range on the indexed path column."""
    return and_(col(Household.path) >= path, col(Household.path) < path + "\uffff")


def mine(*, session: Session, today: dt.date, caseworker_id: int | None = None,
         path: str | None = None, limit: int = 50) -> list[Row]:
    """Active households, most urgent first (overdue follow-ups, then the longest without a
    visit, never visited first): a caseworker's own, or those below a region path."""
    # The last visit is kept on the household (last_visited_at, updated where visits are
    # saved and deleted); follow-ups are correlated subqueries on (household_id, ...) indexes.
    last = col(Household.last_visited_at)
    open_ = (select(func.count()).where(FollowUp.household_id == Household.id,
                                        FollowUp.status == FollowUpStatus.OPEN)
             .correlate(Household).scalar_subquery())
    overdue = (select(func.count()).where(FollowUp.household_id == Household.id,
                                          FollowUp.status == FollowUpStatus.OPEN,
                                          col(FollowUp.due_on) < today)
               .correlate(Household).scalar_subquery())
    scope = (Household.caseworker_id == caseworker_id if caseworker_id is not None
             else under(path or ""))
    late = overdue.label("late")
    stmt = (select(Household, open_.label("open"), late)
            .where(Household.status == HouseholdStatus.ACTIVE, scope)
            # by label: each subquery runs once per household, not again for the sort
            .order_by(late.desc(), last.is_not(None), last, col(Household.code))
            .limit(limit))
    return [Row(h, h.last_visited_at, int(o or 0), int(d or 0))
            for h, o, d in session.exec(stmt)]


def get(*, session: Session, household_id: int) -> Household | None:
    """One household by id."""
    return session.get(Household, household_id)


def by_code(*, session: Session, code: str) -> Household | None:
    """One household by its 户编号."""
    return session.exec(select(Household).where(Household.code == code)).first()


def members(*, session: Session, household_id: int) -> list[Member]:
    """The household's present members, 户主 first."""
    stmt = select(Member).where(Member.household_id == household_id,
                                col(Member.present).is_(True))
    rows = list(session.exec(stmt.order_by(col(Member.id))).all())
    return sorted(rows, key=lambda m: m.relation != "户主")


def candidates(*, session: Session, caseworker_id: int | None = None,
               path: str | None = None, text: str = "", limit: int = 2000
               ) -> list[tuple[int, str, str, str]]:
    """(id, code, head name, member names) of active households in a scope, for search:
    a caseworker's own, or everything below a region path (prefiltered by the text)."""
    stmt = select(Household.id, Household.code, Household.head_name).where(
        Household.status == HouseholdStatus.ACTIVE)
    if caseworker_id is not None:
        stmt = stmt.where(Household.caseworker_id == caseworker_id)
    if path is not None:
        stmt = stmt.where(under(path))
        if text:  # a region can hold many thousands: let the database narrow it first
            like = f"%{text}%"
            stmt = stmt.where(or_(col(Household.head_name).like(like),
                                  col(Household.code).like(like)))
    rows = list(session.exec(stmt.limit(limit)).all())
    names: dict[int, list[str]] = {}
    if rows:
        ids = [r[0] for r in rows]
        for hid, name in session.exec(select(Member.household_id, Member.name).where(
                col(Member.household_id).in_(ids), col(Member.present).is_(True))):
            names.setdefault(hid, []).append(name)
    return [(int(hid or 0), code, head, " ".join(names.get(int(hid or 0), [])))
            for hid, code, head in rows]


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    """Whole years on `today`."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def profile_of(household: Household, people: list[Member], today: dt.date) -> Profile:
    """The household as the eligibility engine's Profile: the one mapping from roster data."""
    def member(m: Member) -> ProfileMember:
        health = m.health
        disabled_level = m.disability_level
        if health == HEALTH_DISABLED and disabled_level in (None, 0):
            disabled_level = None  # 残疾 without a level: the level decides, so unknown
        return ProfileMember.model_validate({
            "age": age_on(m.birth_date, today), "school_stage": m.school_stage,
            "boarding": m.boarding, "disability_level": disabled_level,
            "chronic_disease": None if health is None else health == HEALTH_CHRONIC,
            "major_illness": None if health is None else health == HEALTH_MAJOR,
        })
    return Profile.model_validate({
        "region_id": household.region_id, "area": household.area,
        "categories": list(household.categories), "housing": household.housing,
        "income_per_capita_yearly": household.income_per_capita_yearly,
        "single_mother": household.single_mother, "relocated": household.relocated,
        "members": [member(m) for m in people]})


def snapshot(h: Household) -> dict[str, Any]:
    """The audited fields of a household (no phone: the audit log is read more widely)."""
    return {"code": h.code, "area": h.area, "categories": list(h.categories),
            "income": h.income_per_capita_yearly, "housing": h.housing,
            "single_mother": h.single_mother, "relocated": h.relocated,
            "caseworker": h.caseworker_id, "status": h.status.value}


def update_fields(*, session: Session, household: Household, values: dict[str, Any],
                  by: Actor, now: dt.datetime, action: str = "household.update") -> None:
    """Change household fields (from a visit's 变化, a reassignment ...), audited."""
    before = snapshot(household)
    for key, value in values.items():
        setattr(household, key, value)
    household.updated_at = now
    session.add(household)
    session.flush()
    record(session=session, actor=by, action=action, target=Ref("household", household.code),
           before=before, after=snapshot(household), at=now)


def update_member(*, session: Session, member: Member, values: dict[str, Any], by: Actor,
                  now: dt.datetime) -> None:
    """Change a member's fields (school stage, health ...), audited (masked ID only)."""
    def state(m: Member) -> dict[str, Any]:
        return {"member": m.id_masked, "school_stage": m.school_stage, "boarding": m.boarding,
                "disability_level": m.disability_level, "health": m.health}
    before = state(member)
    for key, value in values.items():
        setattr(member, key, value)
    member.updated_at = now
    session.add(member)
    session.flush()
    record(session=session, actor=by, action="member.update",
           target=Ref("member", str(member.id)), before=before, after=state(member), at=now)


def archive(*, session: Session, household: Household, reason: str, by: Actor,
            now: dt.datetime) -> None:
    """Hide a household that moved away or whose case closed; it is kept, not deleted."""
    update_fields(session=session, household=household,
                  values={"status": HouseholdStatus.ARCHIVED}, by=by, now=now,
                  action="household.archive")
    record(session=session, actor=by, action="household.archive.reason",
           target=Ref("household", household.code), after={"reason": reason}, at=now)


ERASED = "（已删除）"


def erase(*, session: Session, household: Household, by: Actor, now: dt.datetime) -> None:
    """Remove a household's personal data on a deletion request (PIPL): names, phone, ID
    hashes, visit notes, photos and locations; earlier audit rows lose their before/after.
    What remains is an anonymous trace: that household N existed and was erased."""
    related: list[tuple[str, str]] = [("household", household.code)]
    for m in session.exec(select(Member).where(Member.household_id == household.id)):
        m.name, m.id_hash, m.id_masked, m.birth_date = ERASED, f"erased-{m.id}", "*" * 18, None
        session.add(m)
        related.append(("member", str(m.id)))
    for v in session.exec(select(Visit).where(Visit.household_id == household.id)):
        v.notes, v.photos, v.latitude, v.longitude, v.changes = "", [], None, None, {}
        session.add(v)
        related.append(("visit", str(v.id)))
    for f in session.exec(select(FollowUp).where(FollowUp.household_id == household.id)):
        f.action, f.close_note = ERASED, None
        session.add(f)
        related.append(("followup", str(f.id)))
    for kind, object_id in related:
        for row in session.exec(select(AuditEvent).where(AuditEvent.object_type == kind,
                                                         AuditEvent.object_id == object_id)):
            row.before = row.after = None
            session.add(row)
    anonymous = f"erased-{household.id}"
    household.head_name, household.phone, household.caseworker_name = ERASED, None, None
    household.code, household.status, household.updated_at = anonymous, HouseholdStatus.ERASED, now
    session.add(household)
    session.flush()
    record(session=session, actor=by, action="household.erase",
           target=Ref("household", anonymous), at=now)


def claim_by_name(*, session: Session, name: str, path: str, caseworker_id: int,
                  now: dt.datetime) -> int:
    """Assign the unassigned households below `path` whose roster names this person as
    帮扶责任人 (a caseworker registering after the import); how many were assigned."""
    stmt = select(Household).where(Household.caseworker_name == name,
                                   col(Household.caseworker_id).is_(None),
                                   Household.status == HouseholdStatus.ACTIVE, under(path))
    found = list(session.exec(stmt))
    for h in found:
        update_fields(session=session, household=h, values={"caseworker_id": caseworker_id},
                      by="import", now=now, action="household.assign")
    return len(found)


def reassign(*, session: Session, household: Household, to: User, by: Actor,
             now: dt.datetime) -> list[FollowUp]:
    """Give the household to another caseworker, audited; the previous caseworker's open
    follow-ups for it go along (each audited). Returns the follow-ups moved."""
    previous = household.caseworker_id
    # caseworker_name stays as imported: a re-import of the same roster keeps this choice
    # (storage/roster/writer.py keeps the assignment while the roster's name is unchanged)
    update_fields(session=session, household=household,
                  values={"caseworker_id": to.telegram_id}, by=by, now=now,
                  action="household.reassign")
    moved = list(session.exec(select(FollowUp).where(
        FollowUp.household_id == household.id, FollowUp.status == FollowUpStatus.OPEN,
        FollowUp.owner_id == previous))) if previous is not None else []
    for item in moved:
        item.owner_id = to.telegram_id
        session.add(item)
        record(session=session, actor=by, action="followup.reassign",
               target=Ref("followup", str(item.id)), before={"owner": previous},
               after={"owner": to.telegram_id}, at=now)
    session.flush()
    return moved
