"""/help, and a hint for commands the bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.menu import KNOWN_COMMANDS
from bot.render import render


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What each kind of user can do."""
    assert update.effective_message
    await update.effective_message.reply_text(render("help"))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command gets the list of known ones."""
    assert update.effective_message
    await update.effective_message.reply_text(render("unknown_command"))


def register(app: Application) -> None:
    """Install /help; the unknown-command hint goes in a late group so real commands win."""
    app.add_handler(CommandHandler("help", show_help))
    known = filters.Regex(rf"^/({'|'.join(KNOWN_COMMANDS)})(@\w+)?(\s|$)")
    app.add_handler(MessageHandler(filters.COMMAND & ~known, unknown_command), group=10)
