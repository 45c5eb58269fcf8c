"""The SQL of the roster import: villages, households and members read and written in batches
(Core executemany: one statement per batch, not one ORM flush per row), and their audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlmodel import Session, col

from storage.models import AuditEvent, Household, Member, Role, User, Village
from storage.repo.audit import Ref, record

HOUSEHOLD_FIELDS = ("head_name", "village_id", "region_id", "path", "area", "categories",
                    "income_per_capita_yearly", "housing", "phone", "caseworker_id",
                    "caseworker_name")
MEMBER_FIELDS = ("id_masked", "name", "relation", "sex", "birth_date", "school_stage",
                 "boarding", "disability_level", "health", "present")
ACTOR = "import"


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def caseworkers(*, session: Session) -> list[tuple[int, str, str | None]]:
    """(Telegram id, display name, home region) of every active caseworker."""
    stmt = (select(col(User.telegram_id), col(User.display_name), col(User.home_region_id))
            .where(col(User.role) == Role.CASEWORKER, col(User.active).is_(True),
                   col(User.display_name).is_not(None)))
    return [(tid, name or "", home) for tid, name, home in session.connection().execute(stmt)]


def villages(*, session: Session, town_id: str) -> dict[str, tuple[int, str]]:
    """name -> (id, path) of the villages below a town."""
    stmt = (select(col(Village.name), col(Village.id), col(Village.path))
            .where(col(Village.town_id) == town_id))
    return {name: (int(vid or 0), path)
            for name, vid, path in session.connection().execute(stmt)}


def add_village(*, session: Session, town_id: str, name: str, town_path: str,
                now: dt.datetime) -> tuple[int, str]:
    """Create a village below a town (path = town path + "v<id>/"), audited."""
    village = Village(town_id=town_id, name=name, path="", created_at=now)
    session.add(village)
    session.flush()
    assert village.id is not None
    village.path = f"{town_path}v{village.id}/"
    session.flush()
    record(session=session, actor=ACTOR, action="village.create",
           target=Ref("village", str(village.id)),
           after={"town_id": town_id, "name": name, "path": village.path}, at=now)
    return village.id, village.path


def households_by_code(*, session: Session, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """code -> the stored household's columns, for the codes that exist."""
    table = _table(Household)
    stmt = select(table).where(table.c.code.in_(list(codes)))
    return {row["code"]: dict(row) for row in session.connection().execute(stmt).mappings()}


def members_of(*, session: Session,
               household_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """household id -> its stored members' columns."""
    table = _table(Member)
    out: dict[int, list[dict[str, Any]]] = {h: [] for h in household_ids}
    if household_ids:
        stmt = select(table).where(table.c.household_id.in_(list(household_ids)))
        for row in session.connection().execute(stmt).mappings():
            out[row["household_id"]].append(dict(row))
    return out


def insert_rows(*, session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows in one executemany. No RETURNING: SQLite would then send one statement
    per row to keep ids in order; callers read the ids back by their unique keys."""
    if rows:
        session.connection().execute(insert(_table(model)), rows)


def household_ids(*, session: Session, codes: Sequence[str]) -> dict[str, int]:
    """code -> id of the households with these codes."""
    table = _table(Household)
    stmt = select(table.c.code, table.c.id).where(table.c.code.in_(list(codes)))
    return {code: row_id for code, row_id in session.connection().execute(stmt)}


def member_ids(*, session: Session, household_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """(household id, ID hash) -> member id, for the members of these households."""
    table = _table(Member)
    stmt = (select(table.c.household_id, table.c.id_hash, table.c.id)
            .where(table.c.household_id.in_(list(household_ids))))
    return {(h, key): row_id for h, key, row_id in session.connection().execute(stmt)}


def update_rows(*, session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Update rows by "row_id" in one executemany; every row sets the same columns."""
    if not rows:
        return
    table = _table(model)
    stmt = update(table).where(table.c.id == bindparam("row_id"))
    session.connection().execute(stmt, rows)


def add_audit(*, session: Session, at: dt.datetime,
              events: Iterable[tuple[str, Ref, dict[str, Any] | None, dict[str, Any] | None]]
              ) -> None:
    """Audit rows (action, target, before, after) by the import, in one executemany: the same
    rows storage/repo/audit.record writes, without a flush per row."""
    rows = [{"at": at, "actor_id": None, "actor": ACTOR, "action": action,
             "object_type": target.kind, "object_id": target.id, "before": before,
             "after": after} for action, target, before, after in events]
    if rows:
        session.connection().execute(insert(_table(AuditEvent)), rows)
