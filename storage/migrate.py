"""Schema migrations (alembic): the database schema is whatever `upgrade` makes it.

`bangfu run` (through bot.services.build_services) upgrades at start, so a deployment only
ever runs `make run` or `bangfu run`. A database created before migrations existed (tables
made by `create_all`) is stamped as the baseline revision first, then upgraded. Developers add
a revision with `.venv/bin/alembic revision --autogenerate -m "..."` (alembic.ini at the
repository root).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from storage.locks import migration_transaction

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # users and query events, as create_all made them before alembic


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection  # env.py migrates on it
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (idempotent; safe at every start, also when
    several processes start at once: they take turns: storage.locks.migration_transaction)."""
    with migration_transaction(engine) as conn:
        cfg = _config(conn)
        tables = set(inspect(conn).get_table_names())
        if tables - {"alembic_version"} and "alembic_version" not in tables:
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision in storage/migrations/versions."""
    return ScriptDirectory.from_config(_config()).get_current_head()
