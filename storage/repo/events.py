"""Anonymous question signals: log one, list the most frequent misses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, col, select

from knowledge.privacy import mask_personal
from storage.models import QueryEvent, QueryEventKind


def log_event(*, session: Session, kind: QueryEventKind, region_id: str, question: str,
              entry_id: str | None = None) -> None:
    """Record an anonymous signal (no user id); numbers and names are masked."""
    text = mask_personal(question)
    session.add(QueryEvent(kind=kind, region_id=region_id, question=text, entry_id=entry_id))
    session.flush()


def top_misses(*, session: Session, since: dt.datetime | None = None,
               limit: int = 30) -> list[tuple[str, str, str, int]]:
    """(kind, region, question, count) of unanswered, clarified and unhelpful questions."""
    kinds = [QueryEventKind.UNANSWERED, QueryEventKind.CLARIFIED, QueryEventKind.UNHELPFUL]
    n = func.count().label("n")
    stmt = (select(QueryEvent.kind, QueryEvent.region_id, QueryEvent.question, n)
            .where(col(QueryEvent.kind).in_(kinds))
            .group_by(QueryEvent.kind, QueryEvent.region_id, QueryEvent.question)
            .order_by(n.desc(), QueryEvent.question).limit(limit))
    if since is not None:
        stmt = stmt.where(col(QueryEvent.created_at) >= since)
    return [(str(k), r, q, int(c)) for k, r, q, c in session.exec(stmt).all()]


def top_rejections(*, session: Session, since: dt.datetime | None = None,
                   limit: int = 30) -> list[tuple[str, str, str, int]]:
    """(region, question, offered entry keys, count) of 都不是 presses, most frequent first."""
    n = func.count().label("n")
    stmt = (select(QueryEvent.region_id, QueryEvent.question, QueryEvent.entry_id, n)
            .where(col(QueryEvent.kind) == QueryEventKind.REJECTED)
            .group_by(QueryEvent.region_id, QueryEvent.question, col(QueryEvent.entry_id))
            .order_by(n.desc(), QueryEvent.question).limit(limit))
    if since is not None:
        stmt = stmt.where(col(QueryEvent.created_at) >= since)
    return [(r, q, e or "", int(c)) for r, q, e, c in session.exec(stmt).all()]
