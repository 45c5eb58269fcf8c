"""Users: look up, and remember the region."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage import read_ahead
from storage.fast import FastStatement
from storage.models import User, utcnow


def get_user(*, session: Session, telegram_id: int) -> User | None:
    """The stored user, or None for someone we have not seen."""
    return session.get(User, telegram_id)


_REGION = FastStatement(
    select(col(User.region_id)).where(col(User.telegram_id) == bindparam("user")))


def region_of(*, conn: Connection, telegram_id: int) -> str | None:
    """The user's saved region id. Runs for every message, so it runs on the driver's cursor
    (storage/fast.py)."""
    rows = _REGION.rows(conn, {"user": telegram_id})
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def set_region(*, session: Session, telegram_id: int, region_id: str) -> User:
    """Remember a user's region (creates the user on first use)."""
    user = session.get(User, telegram_id) or User(telegram_id=telegram_id)
    user.region_id = region_id
    read_ahead.forget_region()  # what this update read before is no longer the region
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
    return user
