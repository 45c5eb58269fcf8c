"""Fixtures: the knowledge base, and the real Application over the fake Bot API."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.services import Services, build_services
from bot.settings import PROJECT_ROOT, Settings
from handlers.ui.render import render
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher
from tests.fakes import FakeBotAPI, OfflineChat
from tests.pg_server import find_bindir, postgres_server

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, telegram_bot_token=None,  # type: ignore[call-arg]
                    database_url=f"sqlite:///{tmp_path / 'bangfu.db'}", seeds_dir=SEEDS)


@pytest.fixture
def services(settings: Settings, kb: KnowledgeBase) -> Iterator[Services]:
    """Services over a fresh SQLite database (migrated), with the session's knowledge base."""
    svc = build_services(settings, kb=kb)
    yield svc
    svc.engine.dispose()


@pytest.fixture
def make_chat(services: Services,
              request: pytest.FixtureRequest) -> Iterator[Callable[..., OfflineChat]]:
    """Build a fresh Application (same database) and a chat to drive it.

    Pass the previous chat's `api` to simulate a bot restart: Telegram keeps the messages.
    Afterwards, no chat may have received the error handler's apology (a handler that raised
    midway can still leave the text a test looks for), unless the test is marked
    `allow_handler_errors`.
    """
    apis: list[FakeBotAPI] = []

    def factory(api: FakeBotAPI | None = None) -> OfflineChat:
        api = api or FakeBotAPI()
        apis.append(api)
        return OfflineChat(build_application(services, request=api), api)

    yield factory
    if request.node.get_closest_marker("allow_handler_errors") is None:
        apology = render("error")
        failed = [c.params.get("text") for api in apis for c in api.calls
                  if c.method == "sendMessage" and c.params.get("text") == apology]
        assert not failed, "a handler raised (see the captured log for its traceback)"


@pytest.fixture
async def chat(make_chat: Callable[[], OfflineChat]) -> AsyncIterator[OfflineChat]:
    c = make_chat()
    async with c.app:
        yield c


_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server for the session (see tests/pg_server.py); its admin URL."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL binaries not found (install postgresql or set PG_BIN)"
        if os.environ.get("BANGFU_REQUIRE_POSTGRES") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with postgres_server(bindir) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    from sqlalchemy import create_engine, text

    admin_url: str = request.getfixturevalue("pg_server")
    name = f"bangfu_test_{next(_databases)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
