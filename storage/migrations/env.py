"""Alembic environment: our SQLModel metadata, on the connection we are given or DATABASE_URL.

`storage.migrate.upgrade(engine)` passes its connection (the bot at start, the tests); the
`alembic` command line (developers writing a migration) uses DATABASE_URL from the settings.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers the tables)
from storage.models.base import UTCDateTime

target_metadata = SQLModel.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Autogenerate writes our UTCDateTime as plain sa.DateTime(timezone=True): the
    migration then needs no import of storage (the conversion is Python-side only)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_item=_render_item,
                      render_as_batch=connection.dialect.name == "sqlite",  # ALTER on SQLite
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from bot.settings import Settings
    from storage.db import make_engine

    engine = make_engine(Settings().database_url)
    with engine.begin() as conn:
        _run(conn)


main()
