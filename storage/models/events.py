"""Anonymous signals about questions (misses, votes, clarifications)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlmodel import Field, SQLModel

from storage.models.base import names, timestamp, utcnow


class QueryEventKind(StrEnum):
    """Signals that tell us where the knowledge base or synonyms fall short."""

    UNANSWERED = "unanswered"  # 没有找到
    CLARIFIED = "clarified"  # the user picked an option from 您是想问
    UNHELPFUL = "unhelpful"  # 没用
    HELPFUL = "helpful"  # 有用
    REJECTED = "rejected"  # 都不是 under 您是想问: entry_id holds the offered entries' keys


class QueryEvent(SQLModel, table=True):
    """One signal about a question; anonymous: no user id; phone, ID and bank numbers and
    names are masked before it is stored."""

    __tablename__ = "query_events"

    id: int | None = Field(default=None, primary_key=True)
    kind: QueryEventKind = Field(index=True, sa_type=names(QueryEventKind))
    region_id: str = Field(max_length=40)
    question: str = Field(max_length=300)
    entry_id: str | None = Field(default=None, max_length=80)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
