"""Engine, sessions and transactions for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from storage import models  # noqa: F401  (registers the tables on SQLModel.metadata)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: no corruption, far cheaper commits
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def upsert_insert(dialect: str) -> Any:
    """The backend's `insert` construct, which has ON CONFLICT (SQLite and PostgreSQL alike).
    Its module is imported by name here, not at the top: sqlalchemy.dialects.postgresql costs
    ~90 ms to import, which a process on SQLite never needs."""
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert


def session(engine: Engine) -> Session:
    """A new session for reads; callers use it as a context manager and never hold it across
    an await (SQLite has one writer at a time)."""
    return Session(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back if it raises. Repository
    functions only flush, so everything done inside (a change and its audit row) is atomic."""
    with Session(engine, expire_on_commit=False) as s, s.begin():
        yield s
