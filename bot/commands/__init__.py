"""The `bangfu` subcommands, one module each: `register(sub)` adds its parser and sets
`func(args, settings) -> exit code`. Start-up problems end in one Chinese line (CommandFailed)."""

from __future__ import annotations

from bot.settings import Settings
from bot.startup import STARTUP_ERRORS, startup_problem
from knowledge.loader import KnowledgeBase


class CommandFailed(Exception):
    """A command cannot go on; `message` is for the person at the terminal."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base, or CommandFailed naming the broken file."""
    from knowledge.loader import load_knowledge

    try:
        return load_knowledge()
    except STARTUP_ERRORS as exc:
        raise CommandFailed(startup_problem(settings, exc)) from exc
