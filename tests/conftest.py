"""Fixtures: the knowledge base, and the real Application over the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import build_application, default_persistence
from bot.settings import PROJECT_ROOT, Settings
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher
from tests.fakes import FakeBotAPI, OfflineChat

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
                    database_url=f"sqlite:///{tmp_path / 'bangfu.db'}",
                    persistence_file=tmp_path / "state.pickle", seeds_dir=SEEDS)


@pytest.fixture
def make_chat(settings: Settings, kb: KnowledgeBase) -> Callable[..., OfflineChat]:
    """Build a fresh Application (same database and persistence file) and a chat to drive it.

    Pass the previous chat's `api` to simulate a bot restart: Telegram keeps the messages.
    """
    def factory(api: FakeBotAPI | None = None) -> OfflineChat:
        api = api or FakeBotAPI()
        persistence = default_persistence(settings, update_interval=3600)
        app = build_application(settings, request=api, kb=kb, persistence=persistence)
        return OfflineChat(app, api)
    return factory


@pytest.fixture
async def chat(make_chat: Callable[[], OfflineChat]) -> AsyncIterator[OfflineChat]:
    c = make_chat()
    async with c.app:
        yield c
