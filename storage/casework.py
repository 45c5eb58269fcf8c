"""Casework operations that span several tables, each in the caller's one transaction:
saving a visit form (visit, household changes, follow-up, 应享未享) and finding gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from knowledge import casework
from knowledge.eligibility import Finding, Status, screen
from knowledge.loader import KnowledgeBase
from knowledge.schema import Amount
from storage.models import Gap, Household, Member, Visit
from storage.repo import casework as visits
from storage.repo import drafts, gaps, households


@dataclass(frozen=True)
class GapView:
    """One open 应享未享 item with what the template shows."""

    gap: Gap
    finding: Finding
    member: Member | None
    amounts: tuple[Amount, ...]  # the figures for this household or member


@dataclass
class Entitlements:
    """What a household is entitled to and not receiving, and what cannot be told yet."""

    open: list[GapView] = field(default_factory=list)
    unknown: list[Finding] = field(default_factory=list)  # "cannot tell": a fact decides

    def by_entry(self) -> list[list[GapView]]:
        """Open gaps grouped by entitlement (one line for several members), those with a
        figure first: what a caseworker should raise first."""
        groups: dict[str, list[GapView]] = {}
        for g in self.open:
            groups.setdefault(g.gap.entry_id, []).append(g)
        return sorted(groups.values(), key=lambda gs: (not any(g.amounts for g in gs),
                                                       gs[0].finding.entry.item.topic))


def find_gaps(*, session: Session, kb: KnowledgeBase, household: Household,
              today: dt.date, now: dt.datetime) -> Entitlements:
    """Screen the household as recorded, subtract what it receives, and keep the open gaps
    in the database (found and resolved), so the digest and reports can count them."""
    assert household.id is not None
    people = households.members(session=session, household_id=household.id)
    findings = screen(kb, households.profile_of(household, people, today))
    have = gaps.received(session=session, household_id=household.id)
    found: dict[tuple[str, int | None], tuple[Finding, Member | None, tuple[Amount, ...]]] = {}
    result = Entitlements()
    for f in findings:
        if f.people:
            for p in f.people:
                member = people[p.index]
                if p.verdict.value is True and (f.entry.id, member.id) not in have:
                    found[(f.entry.id, member.id)] = (f, member, p.amounts)
        elif f.status == Status.APPLIES and (f.entry.id, None) not in have:
            found[(f.entry.id, None)] = (f, None, f.amounts)
        if f.status == Status.UNKNOWN:
            result.unknown.append(f)
    for gap in gaps.refresh(session=session, household_id=household.id, found=set(found),
                            now=now):
        finding, person, amounts = found[(gap.entry_id, gap.member_id)]
        result.open.append(GapView(gap, finding, person, amounts))
    return result


def _apply_changes(session: Session, household: Household, changes: dict[str, Any],
                   by: int, now: dt.datetime) -> None:
    values: dict[str, Any] = {}
    for key, value in changes.get("household", {}).items():
        values.update(casework.household_fields(key, value))
    if values:
        households.update_fields(session=session, household=household, values=values, by=by,
                                 now=now)
    by_id = {m.id: m for m in households.members(session=session,
                                                 household_id=household.id or 0)}
    for member_id, fields in changes.get("members", {}).items():
        member = by_id.get(int(member_id))
        if member is None:
            continue  # left the household since the form was started
        update: dict[str, Any] = {}
        for key, value in fields.items():
            update.update(casework.member_fields(key, value))
        households.update_member(session=session, member=member, values=update, by=by,
                                 now=now)


def save_visit(*, session: Session, draft: dict[str, Any], household: Household, by: int,
               now: dt.datetime) -> Visit | None:
    """The confirmed form: the visit, the changes it found, its follow-up. The draft is
    claimed first: None when it was already saved (a double tap, or another process)."""
    assert household.id is not None
    if not drafts.drop_draft(session=session, user_id=by):
        return None
    location = draft.get("location") or [None, None]
    visit = visits.add_visit(session=session, by=by, now=now, data=visits.VisitCreate(
        household_id=household.id, kind=draft["kind"], visited_at=now, notes=draft["notes"],
        needs=tuple(draft["needs"]), changes=draft["changes"], photos=tuple(draft["photos"]),
        latitude=location[0], longitude=location[1]))
    _apply_changes(session, household, draft["changes"], by, now)
    followup = draft.get("followup")
    if followup and followup.get("due"):
        owner = household.caseworker_id or by
        visits.add_followup(session=session, household_id=household.id,
                            action=followup["action"], due_on=dt.date.fromisoformat(
                                followup["due"]), owner_id=owner, by=by, now=now,
                            visit_id=visit.id)
    return visit
