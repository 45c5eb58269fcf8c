"""Users: look up, and remember the region."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from storage.models import User, utcnow


def get_user(*, session: Session, telegram_id: int) -> User | None:
    """The stored user, or None for someone we have not seen."""
    return session.get(User, telegram_id)


_REGION = select(col(User.region_id)).where(col(User.telegram_id) == bindparam("user"))


def region_of(*, conn: Connection, telegram_id: int) -> str | None:
    """The user's saved region id. Runs for every message, so a Core read on a connection
    (see storage/repo/state.py for why)."""
    region: str | None = conn.execute(_REGION, {"user": telegram_id}).scalar_one_or_none()
    return region


def set_region(*, session: Session, telegram_id: int, region_id: str) -> User:
    """Remember a user's region (creates the user on first use)."""
    user = session.get(User, telegram_id) or User(telegram_id=telegram_id)
    user.region_id = region_id
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
    return user
