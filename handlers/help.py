"""/help: what each kind of user can do."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from handlers.ui.render import render


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What each kind of user can do."""
    assert update.effective_message
    await update.effective_message.reply_text(render("help"))


def register(app: Application) -> None:
    """Install /help."""
    app.add_handler(CommandHandler("help", show_help))
