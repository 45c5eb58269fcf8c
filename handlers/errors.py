"""Last-resort error handler: log it, and tell the user in Chinese instead of going silent."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ContextTypes

from handlers.ui.render import render

log = logging.getLogger(__name__)


async def report_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with its traceback; apologise to the user if there is one."""
    log.error("handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, render("error"))
        except Exception:
            log.exception("could not send the error message")


def register(app: Application) -> None:
    """Install the error handler."""
    app.add_error_handler(report_error)
