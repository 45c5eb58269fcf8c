"""Schema migrations (alembic): the database schema is whatever `upgrade` makes it.

`bangfu run` (through bot.services.build_services) upgrades at start, so a deployment only
ever runs `make run` or `bangfu run`. A database created before migrations existed (tables
made by `create_all`) is stamped as the baseline revision first, then upgraded. Developers add
a revision with `.venv/bin/alembic revision --autogenerate -m "..."` (alembic.ini at the
repository root).

Importing alembic costs ~0.1 s, a tenth of a restart, and almost every start finds the
database already at the newest revision: so `upgrade` first compares the revision stamped in
the database (one SELECT) with the heads named in the revision files (read as text), and
imports alembic only when they differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from storage.locks import migration_check, migration_transaction

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # users and query events, as create_all made them before alembic
VERSION_TABLE = "alembic_version"  # alembic's default, which env.py keeps
# `revision: str = '0007'` and `down_revision: str | None = '0006'` (or a tuple of parents
# for a merge) as alembic's template writes them; tests check the result against alembic.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


def file_heads() -> frozenset[str]:
    """The revisions in storage/migrations/versions that no other revision builds on, read
    from the files as text (what alembic's ScriptDirectory finds, without importing it)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).update(_QUOTED.findall(value))
    return frozenset(revisions - parents)


def stamped_revisions(conn: Connection) -> frozenset[str]:
    """The revisions stamped in the database; empty when it has no version table (a new
    database, or one made by create_all before migrations)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return frozenset()
    return frozenset(conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision: nothing to migrate."""
    with engine.connect() as conn:
        stamped = stamped_revisions(conn)
    return bool(stamped) and stamped == file_heads()


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection  # env.py migrates on it
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (idempotent; safe at every start, also when
    several processes start at once: they take turns: storage.locks.migration_transaction).

    The check only reads (on SQLite under the lock file: storage.locks.migration_check). A
    process that sees the newest stamp sees the finished schema (alembic writes each
    revision's stamp after its changes); any other takes the lock and lets alembic decide."""
    with migration_check(engine):
        if is_current(engine):
            return
    from alembic import command  # only now: a migration is due

    with migration_transaction(engine) as conn:
        cfg = _config(conn)
        tables = set(inspect(conn).get_table_names())
        if tables - {VERSION_TABLE} and VERSION_TABLE not in tables:
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in storage/migrations/versions."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()
