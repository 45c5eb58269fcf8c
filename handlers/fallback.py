"""What the journeys leave over: another command ends an open journey; an unknown command
gets the list of commands; photos, stickers and voice get a hint. Registered last, because
it has to know every command and every journey registered before it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.common import journeys
from handlers.ui.menus import commands_for
from handlers.ui.render import render
from storage.models import Role

LEAVE_GROUP = -1  # before every journey: the command itself then runs in group 0 as usual
UNKNOWN_GROUP = 10  # after group 0, so a command some handler took is never "unknown"


def command_names(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> set[str]:
    """Every command of these handlers, inside conversations too."""
    names: set[str] = set()
    for h in handlers:
        if isinstance(h, CommandHandler):
            names |= set(h.commands)
        elif isinstance(h, ConversationHandler):
            names |= command_names(chain(h.entry_points, h.fallbacks,
                                         chain.from_iterable(h.states.values())))
    return names


def _command(text: str | None) -> str:
    """/Help@bangfu_bot args -> help."""
    return (text or "").split()[0].lstrip("/").split("@")[0].lower() if text else ""


async def leave_journeys(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command that does not belong to an open journey ends it (its draft is dropped and
    the journey notices at its next update); the command itself then runs as usual."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    command = _command(message.text)
    for journey in journeys(context.application):
        if command not in journey.commands and journey.leave(context, user.id):
            await message.reply_text(render("journey_left", journey=journey.name,
                                            restart=journey.restart, paused=journey.paused))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command gets the list of known ones."""
    assert update.effective_message
    await update.effective_message.reply_text(
        render("unknown_command", commands=commands_for(Role.RESIDENT)))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice outside any journey that takes them: say what works."""
    assert update.effective_message
    await update.effective_message.reply_text(render("only_text"))


def register(app: Application) -> None:
    """Install the leave rule, the unknown-command hint and the non-text catch-all."""
    app.add_handler(MessageHandler(filters.COMMAND, leave_journeys), group=LEAVE_GROUP)
    known = command_names(chain.from_iterable(app.handlers.values()))
    pattern = rf"(?i)^/({'|'.join(sorted(known))})(@\w+)?(\s|$)"
    app.add_handler(MessageHandler(filters.COMMAND & ~filters.Regex(pattern), unknown_command),
                    group=UNKNOWN_GROUP)
    # Group 0, after every journey: a visit form that takes photos or a location is
    # registered before this and wins; here only what no journey wanted arrives.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.TEXT,
                                   not_text))
