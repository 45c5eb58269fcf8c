"""Locks between processes that share one database: PostgreSQL advisory locks, and on SQLite
(one machine) a lock file beside the database file."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

# Advisory lock keys: any 64-bit numbers, fixed so that every Bangfu process agrees.
MIGRATION_LOCK = 0x62616E6766750001  # "bangfu" 0001


def lock_file_for(database: str | None) -> Path | None:
    """The lock file of a SQLite database file; None for an in-memory database."""
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".lock")


@contextmanager
def file_lock(path: Path | None) -> Iterator[None]:
    """Hold an exclusive flock on `path` (blocking) for the block; no-op for None."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction in which only one process at a time migrates the schema.

    PostgreSQL: a transaction-level advisory lock, released when the transaction commits (so
    the next process sees the committed schema, and a crashed migrator never leaves it held).
    SQLite: a lock file held around the whole transaction, commit included. The second
    process waits, then finds the schema current and does nothing.
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            yield conn
        return
    with file_lock(lock_file_for(engine.url.database)), engine.begin() as conn:
        yield conn
