"""The bot's dependencies, reached from handlers through one typed accessor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import CallbackContext

from bot.settings import Settings
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher
from storage.db import session

SERVICES_KEY = "bangfu.services"


@dataclass(frozen=True)
class Services:
    """Settings, knowledge and database, built once in build_application."""

    settings: Settings
    kb: KnowledgeBase
    matcher: Matcher
    engine: Engine

    def db(self) -> Session:
        """A short-lived session: open it, use it, close it before the next await."""
        return session(self.engine)


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The Services of the running Application."""
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
