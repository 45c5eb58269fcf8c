"""Conversation states and user data rows behind storage.persistence.SQLPersistence.

These run around every update, so they take a Core `Connection` (not an ORM session) and use
statements compiled once: an ORM session read cost ~600 µs here, a Core read ~140 µs.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, null, select, union_all
from sqlalchemy.engine import Connection
from sqlmodel import col

from storage.db import upsert_insert
from storage.fast import FastStatement
from storage.models import AskedQuestion, ConversationState, UserState, utcnow

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


@lru_cache(maxsize=8)
def _chat_state_statement(count: int) -> FastStatement:
    """The states of `count` named conversations for one key, then the user's data (a row
    whose name is NULL): one statement, and each state found through the (name, key) primary
    key instead of a scan of every stored conversation."""
    states = select(col(ConversationState.name), col(ConversationState.state)).where(
        col(ConversationState.name).in_([bindparam(f"name{i}") for i in range(count)]),
        col(ConversationState.key) == bindparam("key"))
    data = select(null().label("name"), col(UserState.data)).where(
        col(UserState.telegram_id) == bindparam("user"))
    return FastStatement(union_all(states, data))


def chat_state(*, conn: Connection, names: tuple[str, ...], key: str,
               telegram_id: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Before an update: (name -> state of the named conversations stored for the key, the
    user's data or None when nothing is stored), read in one statement."""
    params: dict[str, Any] = {f"name{i}": name for i, name in enumerate(names)}
    params.update(key=key, user=telegram_id)
    states: dict[str, Any] = {}
    data: dict[str, Any] | None = None
    for name, value in _chat_state_statement(len(names)).rows(conn, params):
        if name is None:
            data = dict(value)
        else:
            states[name] = value
    return states, data


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
