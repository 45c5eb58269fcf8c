"""What the journeys leave over: another command ends an open journey (or pauses it: /help);
an unknown command gets the list of commands; photos, stickers and voice get a hint; a button
no handler took is still answered; updates the bot does not serve are dropped. Registered
last, because it has to know every command and every journey registered before it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.common import journeys
from handlers.ui.menus import commands_for
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from storage.models import Role

GUARD_GROUP = -100  # before everything: updates no journey is written for stop here
LEAVE_GROUP = -1  # before every journey: the command itself then runs in group 0 as usual
UNKNOWN_GROUP = 10  # after group 0, so a command some handler took is never "unknown"
PAUSED_GROUP = 20  # after the pausing command (/help) has answered: offer to go on


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


async def drop_unserved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Channel posts (should the bot ever be a channel's admin), and anything without a user
    to answer, are not for this bot: no handler below is written for them."""
    if update.channel_post or update.edited_channel_post or update.effective_user is None:
        raise ApplicationHandlerStop


async def leave_journeys(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command that does not belong to an open journey ends it (its draft is dropped and
    the journey notices at its next update), unless it pauses the journey; the command itself
    then runs as usual."""
    message, user = update.effective_message, update.effective_user
    assert message and user
    command = _command(message.text)
    for journey in journeys(context.application):
        if command in journey.commands or command in journey.pauses:
            continue
        if journey.leave(context, user.id):
            await message.reply_text(render("journey_left", journey=journey.name,
                                            restart=journey.restart, paused=journey.keeps_draft))


async def offer_to_go_on(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After a pausing command has answered: each journey still open offers a 继续 button."""
    command = _command(update.effective_message.text if update.effective_message else "")
    for journey in journeys(context.application):
        if command in journey.pauses and journey.paused is not None:
            await journey.paused(update, context)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command gets the list of known ones."""
    assert update.effective_message
    await update.effective_message.reply_text(
        render("unknown_command", commands=commands_for(Role.RESIDENT)))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice outside any journey that takes them: say what works."""
    assert update.effective_message
    await update.effective_message.reply_text(render("only_text"))


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data no handler takes (forged, or from an older version): answer it, so
    the phone stops spinning, and say the button is no longer valid."""
    assert update.callback_query
    await answer_query(update.callback_query, render("button_gone"))


def _command_pattern(names: Iterable[str]) -> str:
    """/help, /HELP, /help@any_bot, /help args: the command as PTB's CommandHandler reads it."""
    return rf"(?i)^/({'|'.join(sorted(names))})(@\w+)?(\s|$)"


def register(app: Application) -> None:
    """Install the guard, the leave and pause rules, the unknown-command hint and the
    catch-alls for other messages and buttons."""
    app.add_handler(TypeHandler(Update, drop_unserved), group=GUARD_GROUP)
    app.add_handler(MessageHandler(filters.COMMAND, leave_journeys), group=LEAVE_GROUP)
    pausing = set(chain.from_iterable(j.pauses for j in journeys(app)))
    if pausing:
        app.add_handler(MessageHandler(filters.Regex(_command_pattern(pausing)), offer_to_go_on),
                        group=PAUSED_GROUP)
    known = command_names(chain.from_iterable(app.handlers.values()))
    app.add_handler(MessageHandler(filters.COMMAND & ~filters.Regex(_command_pattern(known)),
                                   unknown_command), group=UNKNOWN_GROUP)
    # Group 0, after every journey: a visit form that takes photos or a location is
    # registered before this and wins; here only what no journey wanted arrives.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.TEXT,
                                   not_text))
    app.add_handler(CallbackQueryHandler(unknown_button))  # last in group 0: nothing else took it
