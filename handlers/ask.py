"""Free text: a region name sets the region; anything else is a question for the matcher."""

from __future__ import annotations

from telegram.ext import Application, MessageHandler, filters

from handlers.common import answer_text


def register(app: Application) -> None:
    """Install the text handler (after every journey that takes typed answers)."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, answer_text))
