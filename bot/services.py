"""The bot's dependencies, built once by `build_services` and shared by the Application, the
command line and the scheduler; handlers reach them through one typed accessor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session
from telegram.ext import Application, CallbackContext

from bot.settings import Settings
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher
from storage.db import make_engine, session, transaction
from storage.migrate import upgrade

SERVICES_KEY = "bangfu.services"


class Clock(Protocol):
    """Where "now" comes from: injected so that tests and benchmarks control time."""

    def now(self) -> dt.datetime:
        """Now, as an aware UTC datetime."""
        ...


class SystemClock:
    """The real clock (time-machine moves it in tests)."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Services:
    """Settings, knowledge, database and clock."""

    settings: Settings
    kb: KnowledgeBase
    matcher: Matcher
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)

    def db(self) -> Session:
        """A short-lived session for reads: open it, use it, close it before the next await."""
        return session(self.engine)

    def connect(self) -> Connection:
        """A Core connection for hot-path reads (a column per message); close it quickly."""
        return self.engine.connect()

    def begin(self) -> AbstractContextManager[Connection]:
        """A Core transaction for a hot-path write (committed when the block ends)."""
        return self.engine.begin()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work (commit at the end, rollback on error); never across an await."""
        with transaction(self.engine) as s:
            yield s


def build_services(settings: Settings, *, kb: KnowledgeBase | None = None,
                   matcher: Matcher | None = None, clock: Clock | None = None,
                   migrate: bool = True) -> Services:
    """Load the knowledge base, open the database and bring its schema up to date (under a
    lock, so processes starting together take turns). Raises KnowledgeError or SQLAlchemyError
    for bot.startup to explain."""
    if kb is None:  # read back the last build when the data and code are unchanged
        from knowledge.cache import load_indexed

        kb, matcher = load_indexed()
    elif matcher is None:
        matcher = Matcher(kb)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)  # imports alembic only when a migration is due
    return Services(settings, kb, matcher, engine, clock or SystemClock())


AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def services(context: CallbackContext[Any, Any, Any, Any] | AnyApplication) -> Services:
    """The Services of the running Application (from a handler's context or the app)."""
    app = context if isinstance(context, Application) else context.application
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
