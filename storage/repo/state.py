"""Conversation states and user data rows behind storage.persistence.SQLPersistence.

These run around every update, so they take a Core `Connection` (not an ORM session) and use
statements compiled once: an ORM session read cost ~600 µs here, a Core read ~140 µs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, bindparam, delete, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from storage.db import upsert_insert
from storage.fast import FastStatement
from storage.models import AskedQuestion, ConversationState, User, UserState, utcnow

_STATES_OF_KEY = select(col(ConversationState.name), col(ConversationState.state)).where(
    col(ConversationState.key) == bindparam("key"))
_STATES_OF_NAME = select(col(ConversationState.key), col(ConversationState.state)).where(
    col(ConversationState.name) == bindparam("name"))
_END = delete(ConversationState).where(col(ConversationState.name) == bindparam("name"),
                                       col(ConversationState.key) == bindparam("key"))
_USER_DATA = select(col(UserState.data)).where(col(UserState.telegram_id) == bindparam("user"))
_DROP_USER = delete(UserState).where(col(UserState.telegram_id) == bindparam("user"))


@lru_cache(maxsize=8)
def _upsert_statement(dialect: str, table: Any, keys: tuple[str, ...],
                      columns: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE with bound parameters, built once per backend."""
    stmt = upsert_insert(dialect)(table).values({c: bindparam(c) for c in columns})
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in columns if c not in keys})


def _upsert(conn: Connection, table: Any, keys: tuple[str, ...], values: dict[str, Any]) -> None:
    """Insert or update one row (both SQLite and PostgreSQL have ON CONFLICT)."""
    conn.execute(_upsert_statement(conn.dialect.name, table, keys, tuple(values)), values)


def conversations(*, conn: Connection, name: str) -> list[tuple[str, Any]]:
    """(key, state) of every stored conversation of one ConversationHandler."""
    return [(key, state) for key, state in conn.execute(_STATES_OF_NAME, {"name": name})]


def conversations_of(*, conn: Connection, key: str) -> dict[str, Any]:
    """name -> state of every conversation stored for one key (one chat and user)."""
    return {name: state for name, state in conn.execute(_STATES_OF_KEY, {"key": key})}


# Before an update, one statement and one row per stored state (at least one row): the
# user's saved region, the user's data, and the name and state of every conversation stored
# for the key (ix_conversation_states_key: one index range, where naming the conversations
# probed the primary key once per name; with the CPU caches cold between updates, as they are
# after an answer, those probes cost ~15 µs). The region rides along because every message
# needs it (the answer's region), and a read of its own cost as much as this whole statement.
_me = select(bindparam("user", type_=BigInteger).label("telegram_id")).subquery("me")
_CHAT_STATE = FastStatement(
    select(col(User.region_id), col(UserState.data), col(ConversationState.name),
           col(ConversationState.state))
    .select_from(_me)
    .outerjoin(User, col(User.telegram_id) == _me.c.telegram_id)
    .outerjoin(UserState, col(UserState.telegram_id) == _me.c.telegram_id)
    .outerjoin(ConversationState, col(ConversationState.key) == bindparam("key")))


@dataclass(frozen=True)
class ChatState:
    """What is stored for one update's chat and user."""

    states: dict[str, Any]  # conversation name -> state, for the named conversations
    data: dict[str, Any] | None  # the user's data (None: nothing stored)
    region_id: str | None  # the user's saved region (None: no user row or no region yet)


def chat_state(*, conn: Connection, names: tuple[str, ...], key: str,
               telegram_id: int) -> ChatState:
    """Before an update: the states of the named conversations stored for the key, the
    user's data and saved region, read in one statement."""
    rows = _CHAT_STATE.rows(conn, {"key": key, "user": telegram_id})
    region, data = rows[0][0], rows[0][1]
    return ChatState({name: value for _, _, name, value in rows if name in names},
                     None if data is None else dict(data),
                     None if region is None else str(region))


def set_conversation(*, conn: Connection, name: str, key: str, state: Any | None,
                     now: dt.datetime | None = None) -> None:
    """Store a state; None ends the conversation (the row is removed)."""
    if state is None:
        conn.execute(_END, {"name": name, "key": key})
        return
    _upsert(conn, ConversationState, ("name", "key"),
            {"name": name, "key": key, "state": state, "updated_at": now or utcnow()})


def get_user_data(*, conn: Connection, telegram_id: int) -> dict[str, Any] | None:
    """One user's data, or None when nothing is stored."""
    data = conn.execute(_USER_DATA, {"user": telegram_id}).scalar_one_or_none()
    return None if data is None else dict(data)


@lru_cache(maxsize=2)
def _user_data_upsert(dialect: str) -> FastStatement:
    """The user-data upsert of one backend, built at its first use (not for both at import:
    the PostgreSQL statement would import that dialect into every SQLite process)."""
    return FastStatement(_upsert_statement(
        dialect, UserState, ("telegram_id",), ("telegram_id", "data", "updated_at")))


def set_user_data(*, conn: Connection, telegram_id: int, data: dict[str, Any],
                  now: dt.datetime | None = None) -> None:
    """Store one user's data (an empty dict removes the row)."""
    if not data:
        drop_user_data(conn=conn, telegram_id=telegram_id)
        return
    _user_data_upsert(conn.dialect.name).execute(
        conn, {"telegram_id": telegram_id, "data": data, "updated_at": now or utcnow()})


def drop_user_data(*, conn: Connection, telegram_id: int) -> None:
    """Forget one user's data."""
    conn.execute(_DROP_USER, {"user": telegram_id})


@lru_cache(maxsize=2)
def _asked_upsert(dialect: str) -> FastStatement:
    """Built on first use per backend (a SQLite process never imports PostgreSQL's dialect)."""
    return FastStatement(_upsert_statement(
        dialect, AskedQuestion, ("telegram_id", "message_id"),
        ("telegram_id", "message_id", "question", "asked_at")))


# Everything of the user's but the newest `keep` (no row is old enough while there are fewer:
# the subquery is NULL then, and nothing compares below NULL).
_NEWEST_KEPT = (select(col(AskedQuestion.message_id))
                .where(col(AskedQuestion.telegram_id) == bindparam("user"))
                .order_by(col(AskedQuestion.message_id).desc())
                .limit(1).offset(bindparam("skip")).scalar_subquery())
_ASKED_PRUNE = FastStatement(delete(AskedQuestion).where(
    col(AskedQuestion.telegram_id) == bindparam("user"),
    col(AskedQuestion.message_id) < _NEWEST_KEPT))
_ASKED = FastStatement(select(col(AskedQuestion.question)).where(
    col(AskedQuestion.telegram_id) == bindparam("user"),
    col(AskedQuestion.message_id) == bindparam("message")))


def remember_question(*, conn: Connection, telegram_id: int, message_id: int, question: str,
                      keep: int, now: dt.datetime | None = None) -> None:
    """Note which question a bot message answers; only the user's newest `keep` are kept."""
    _asked_upsert(conn.dialect.name).execute(
        conn, {"telegram_id": telegram_id, "message_id": message_id, "question": question,
               "asked_at": now or utcnow()})
    _ASKED_PRUNE.execute(conn, {"user": telegram_id, "skip": keep - 1})


def question_of(*, conn: Connection, telegram_id: int, message_id: int) -> str | None:
    """The question a bot message answered, or None once it has been forgotten."""
    rows = _ASKED.rows(conn, {"user": telegram_id, "message": message_id})
    return str(rows[0][0]) if rows else None
