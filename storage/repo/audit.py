"""The audit log: `record` in the same transaction as the change; `entries` to read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEvent, utcnow

REFUSED = "refused:"  # prefix of the action of an attempt the access rules turned down


@dataclass(frozen=True)
class Ref:
    """What an audit row is about: ("household", "HH0001"), ("user", "42")."""

    kind: str
    id: str


Actor = int | str  # a Telegram id, or who else acted: "cli", "scheduler", "import"


def record(*, session: Session, actor: Actor, action: str, target: Ref,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           at: dt.datetime | None = None) -> AuditEvent:
    """Add one audit row to the caller's transaction (flushed, not committed)."""
    row = AuditEvent(
        at=at or utcnow(), actor_id=actor if isinstance(actor, int) else None,
        actor=f"tg:{actor}" if isinstance(actor, int) else actor, action=action,
        object_type=target.kind, object_id=target.id, before=before, after=after)
    session.add(row)
    session.flush()
    return row


def refused(*, session: Session, actor: Actor, action: str, target: Ref,
            reason: str, at: dt.datetime | None = None) -> AuditEvent:
    """Record an attempt the access rules refused (the reply to the user is the caller's)."""
    return record(session=session, actor=actor, action=REFUSED + action, target=target,
                  after={"reason": reason}, at=at)


def entries(*, session: Session, object_type: str | None = None, object_id: str | None = None,
            actor_id: int | None = None, limit: int = 100) -> list[AuditEvent]:
    """The newest audit rows first, optionally for one object or one actor."""
    stmt = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
    if object_type is not None:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    return list(session.exec(stmt).all())
