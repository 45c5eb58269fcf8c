"""Users: look up, and remember the region."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import User, utcnow


def get_user(*, session: Session, telegram_id: int) -> User | None:
    """The stored user, or None for someone we have not seen."""
    return session.get(User, telegram_id)


def set_region(*, session: Session, telegram_id: int, region_id: str) -> User:
    """Remember a user's region (creates the user on first use)."""
    user = session.get(User, telegram_id) or User(telegram_id=telegram_id)
    user.region_id = region_id
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
    return user
