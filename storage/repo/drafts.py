"""The half-filled visit form of each user (one per user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.models import VisitDraft


def get_draft(*, session: Session, user_id: int) -> dict[str, Any] | None:
    """The user's visit form in progress, or None."""
    row = session.get(VisitDraft, user_id)
    return None if row is None else dict(row.data)


def save_draft(*, session: Session, user_id: int, draft: dict[str, Any],
               now: dt.datetime) -> None:
    """Store the form after each answer."""
    row = session.get(VisitDraft, user_id) or VisitDraft(user_id=user_id, step="", data={})
    row.step, row.data, row.updated_at = str(draft.get("step", "")), dict(draft), now
    session.add(row)
    session.flush()


def drop_draft(*, session: Session, user_id: int) -> bool:
    """Forget the form; True when this call removed it. One DELETE, so of two taps on 保存
    racing each other (two processes), exactly one sees True: the other saves nothing."""
    session.flush()
    result = session.execute(delete(VisitDraft).where(col(VisitDraft.user_id) == user_id))
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]
