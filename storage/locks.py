"""Locks between processes that share one database: PostgreSQL advisory locks, and on SQLite
(one machine) a lock file beside the database file."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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


@contextmanager
def migration_check(engine: Engine) -> Iterator[None]:
    """Around the read-only look at the schema revision before any migration.

    SQLite: the lock file, as for migrating. A new file's first connections switch it to WAL,
    and two processes doing that at once fail at once ("database is locked", no busy wait).
    PostgreSQL: nothing; a reader sees the revision a migrator has committed, or the old one.
    """
    if engine.dialect.name == "postgresql":
        yield
        return
    with file_lock(lock_file_for(engine.url.database)):
        yield


SCHEDULER_LOCK = 0x62616E6766750002  # "bangfu" 0002: the one process that sends reminders


class LeaderLock:
    """Who schedules: exactly one process per database holds this, the others serve updates.

    PostgreSQL: a session-level advisory lock on a connection of its own, kept open while
    leading (the lock dies with the connection, so a crashed leader frees it at once and a
    follower's next try takes over). SQLite (one machine): a non-blocking flock on a file
    beside the database, freed by the kernel when the process dies.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        """Lead if nobody does; True when this process leads (also when it already did)."""
        if self.held:
            return self.still_held()
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                               {"key": SCHEDULER_LOCK}).scalar()
            conn.commit()
            if got:
                self._conn = conn
            else:
                conn.close()
            return bool(got)
        path = lock_file_for(self.engine.url.database)
        if path is None:
            return True  # an in-memory database has only this process
        handle = (path.with_name(path.name + ".scheduler")).open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """False (and let go) when the leader's connection broke: someone else may lead now."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
            return True
        except Exception:
            self.release()
            return False

    def release(self) -> None:
        """Stop leading."""
        if self._conn is not None:
            # Unlock explicitly first: closing the connection frees the lock only once the
            # server has noticed the disconnect, which happens after close() returns, so a
            # follower asking at once could still find it held. The connection comes from the
            # pool and would keep the lock if returned as it is (an unlock that failed), so it
            # is invalidated too: that closes the database connection itself.
            with contextlib.suppress(Exception):  # already broken: nothing left to free
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": SCHEDULER_LOCK})
                self._conn.commit()
            with contextlib.suppress(Exception):
                self._conn.invalidate()
                self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
