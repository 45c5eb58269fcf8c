"""Chat state that PTB would otherwise keep in memory or a pickle file: conversation states
and per-user data, as rows, so that restarts and several processes share it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from storage.models.base import json_column, timestamp, utcnow


class ConversationState(SQLModel, table=True):
    """The state of one ConversationHandler for one key (chat, user)."""

    __tablename__ = "conversation_states"

    name: str = Field(primary_key=True, max_length=40)
    # JSON of the PTB key, e.g. [42, 42]; indexed for the read before each update (all the
    # conversations of one key: storage.repo.state.chat_state)
    key: str = Field(primary_key=True, max_length=100, index=True)
    state: Any = Field(sa_column=json_column(nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class UserState(SQLModel, table=True):
    """PTB's user_data for one user (drafts of the screener, recent questions)."""

    __tablename__ = "user_states"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    data: dict[str, Any] = Field(sa_column=json_column(nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())


class AskedQuestion(SQLModel, table=True):
    """The (masked) question a bot message with buttons answered, so that a 有用/没用 vote or a
    您是想问 pick on it is logged against the question; the newest few per user are kept.
    A row of its own, not a key of user_data: one small insert per answer, instead of
    rewriting the user's whole data on every question."""

    __tablename__ = "asked_questions"

    telegram_id: int = Field(sa_type=BigInteger, primary_key=True)
    message_id: int = Field(sa_type=BigInteger, primary_key=True)
    question: str
    asked_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp())
