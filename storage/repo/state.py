"""Conversation states and user data rows behind storage.persistence.SQLPersistence."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, delete, select

from storage.models import ConversationState, UserState, utcnow


def conversations(*, session: Session, name: str) -> list[tuple[str, Any]]:
    """(key, state) of every stored conversation of one ConversationHandler."""
    rows = session.exec(select(ConversationState).where(ConversationState.name == name))
    return [(r.key, r.state) for r in rows]


def get_conversation(*, session: Session, name: str, key: str) -> Any | None:
    """The stored state of one conversation key, or None."""
    row = session.get(ConversationState, (name, key))
    return None if row is None else row.state


def set_conversation(*, session: Session, name: str, key: str, state: Any | None) -> None:
    """Store a state; None ends the conversation (the row is removed)."""
    row = session.get(ConversationState, (name, key))
    if state is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ConversationState(name=name, key=key, state=state))
    else:
        row.state, row.updated_at = state, utcnow()
        session.add(row)
    session.flush()


def get_user_data(*, session: Session, telegram_id: int) -> dict[str, Any] | None:
    """One user's data, or None when nothing is stored."""
    row = session.get(UserState, telegram_id)
    return None if row is None else dict(row.data)


def set_user_data(*, session: Session, telegram_id: int, data: dict[str, Any]) -> None:
    """Store one user's data (an empty dict removes the row)."""
    row = session.get(UserState, telegram_id)
    if not data:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(UserState(telegram_id=telegram_id, data=data))
    else:
        row.data, row.updated_at = data, utcnow()
        session.add(row)
    session.flush()


def drop_user_data(*, session: Session, telegram_id: int) -> None:
    """Forget one user's data."""
    session.exec(delete(UserState).where(col(UserState.telegram_id) == telegram_id))
    session.flush()
