"""Last-resort error handler: log it, answer a pressed button, and tell the user in Chinese
instead of going silent. A network failure is one log line and no apology: the apology could
not be delivered either, and the request has already said the network is down. A BadRequest
(a NetworkError subclass in PTB) is not the network: Telegram refused what the handler sent,
so the handler stopped half-way; that is a handler failure, logged with its traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import Application, ContextTypes

from handlers.ui.queries import answer_query
from handlers.ui.render import render

log = logging.getLogger(__name__)


async def report_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with its traceback; apologise to the user if there is one."""
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        log.warning("reply not delivered: %s", context.error)
        return
    log.error("handler failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:  # the phone stops spinning, whatever failed
        try:
            await answer_query(update.callback_query)
        except Exception:
            log.debug("could not answer the callback query", exc_info=True)
    if update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, render("error"))
        except Exception:
            log.exception("could not send the error message")


def register(app: Application) -> None:
    """Install the error handler."""
    app.add_error_handler(report_error)
