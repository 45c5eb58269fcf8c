"""Test data: staff users, villages, households with members, visits and follow-ups, written
straight to the database (invented names; ID numbers never appear, only their stand-ins)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlmodel import Session

from knowledge.regions import RegionTree
from storage.models import FollowUp, Household, Member, Role, User, Village, Visit
from storage.repo.casework import visited

_ids = itertools.count(1)
NOW = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai, a Wednesday


def user(session: Session, telegram_id: int, role: Role = Role.CASEWORKER, *,
         name: str = "张干部", home: str | None = "qinghe", supervisor: int | None = None,
         active: bool = True, region: str | None = None) -> User:
    """A registered user (a resident when role is RESIDENT)."""
    row = User(telegram_id=telegram_id, role=role, display_name=name,
               home_region_id=home if role != Role.RESIDENT else None,
               supervisor_id=supervisor, active=active, region_id=region)
    session.add(row)
    session.flush()
    return row


def village(session: Session, regions: RegionTree, town_id: str, name: str) -> Village:
    """A village below a town of regions.yaml, with its path."""
    row = Village(town_id=town_id, name=name, path="")
    session.add(row)
    session.flush()
    row.path = f"{regions.path(town_id)}v{row.id}/"
    session.add(row)
    session.flush()
    return row


def household(session: Session, place: Village, head: str, *, caseworker: int | None = None,
              code: str | None = None, members: list[dict[str, Any]] | None = None,
              **fields: Any) -> Household:
    """A household (户主 first) with members: dicts of Member fields (name, relation ...)."""
    n = next(_ids)
    row = Household(code=code or f"HH{n:05d}", head_name=head, village_id=place.id or 0,
                    region_id=place.town_id, path=place.path, caseworker_id=caseworker,
                    **{"area": "rural", "categories": ["建档立卡贫困户"], **fields})
    session.add(row)
    session.flush()
    people = members if members is not None else [
        {"name": head, "relation": "户主", "birth_date": dt.date(1970, 5, 1)}]
    for i, m in enumerate(people):
        session.add(Member(household_id=row.id or 0, id_hash=f"hash-{n}-{i}",
                           id_masked=f"211204********{n % 10000:04d}", **m))
    session.flush()
    return row


def visit(session: Session, h: Household, author: int, *, at: dt.datetime = NOW,
          kind: str = "入户走访", notes: str = "") -> Visit:
    """A logged visit."""
    row = Visit(household_id=h.id or 0, author_id=author, kind=kind, visited_at=at,
                notes=notes, created_at=at, updated_at=at)
    session.add(row)
    session.flush()
    visited(session=session, household_id=row.household_id, at=at)  # as add_visit does
    return row


def followup(session: Session, h: Household, owner: int, action: str, due: dt.date) -> FollowUp:
    """An open follow-up."""
    row = FollowUp(household_id=h.id or 0, owner_id=owner, action=action, due_on=due,
                   created_at=NOW)
    session.add(row)
    session.flush()
    return row
