"""A supervisor's morning digest, computed when it is sent: overdue follow-ups by caseworker,
households not visited in 30 / 60 days (and the villages with most), open 应享未享, and
deadlines in the next 14 days. Empty means nothing is sent (the outbox row says why)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from knowledge.loader import KnowledgeBase
from storage.reminders import Upcoming, upcoming
from storage.reports import (
    Coverage,
    Named,
    Span,
    coverage,
    open_gaps,
    overdue_by_caseworker,
    stale_by_village,
)

DEADLINE_DAYS = 14


@dataclass(frozen=True)
class Digest:
    """What one supervisor's region needs attention for this morning."""

    region: str  # the region's name
    today: dt.date  # the local day it is for
    overdue: list[Named]  # (count,) per caseworker
    coverage: Coverage
    villages: list[Named]  # (not visited 30, 60) per village, the worst first
    open_gaps: int
    deadlines: list[Upcoming]

    @property
    def empty(self) -> bool:
        """Nothing worth a message."""
        return not (self.overdue or self.coverage.stale30 or self.open_gaps or self.deadlines)


def digest(*, session: Session, kb: KnowledgeBase, region_id: str, now: dt.datetime,
           today: dt.date) -> Digest:
    """The digest of a supervisor whose home region is `region_id`."""
    path = kb.regions.path(region_id)
    span = Span(now, now, today)  # coverage and gaps "now": the period counts are not used
    soon = [u for u in upcoming(session=session, kb=kb, region_id=region_id, today=today,
                                days=DEADLINE_DAYS) if u.status == "open"]
    return Digest(
        region=kb.regions.get(region_id).name, today=today,
        overdue=overdue_by_caseworker(session=session, path=path, today=today),
        coverage=coverage(session=session, path=path, span=span, now=now),
        villages=stale_by_village(session=session, path=path, now=now, regions=kb.regions),
        open_gaps=open_gaps(session=session, path=path),
        deadlines=soon)
