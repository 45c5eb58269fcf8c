"""A consistent copy of a live SQLite database (SQLite's online backup API: readers and the
bot's writes go on while it copies). PostgreSQL is backed up with pg_dump (README)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine


class BackupError(Exception):
    """The database cannot be backed up this way; the message says what to do."""


def backup_sqlite(engine: Engine, target: Path) -> int:
    """Copy the database to `target` (a new file); the number of pages copied."""
    if engine.dialect.name != "sqlite":
        raise BackupError("PostgreSQL 请用 pg_dump 备份（见 README）/ use pg_dump for PostgreSQL")
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("内存数据库无法备份 / an in-memory database cannot be backed up")
    if target.exists():
        raise BackupError(f"{target} 已存在，不会覆盖 / already exists, not overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy, pages=1024, progress=progress)
    return pages
