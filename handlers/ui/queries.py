"""Answering a button press. Telegram accepts one answerCallbackQuery per query and refuses a
second with 400 ("query is too old ... or query ID is invalid"); a handler that answered early
and answers again (or is refused after answering) must not be aborted by that."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import BadRequest

log = logging.getLogger(__name__)


async def answer_query(query: CallbackQuery, text: str | None = None, *,
                       show_alert: bool = False) -> bool:
    """Answer `query`; False when it had been answered already (nothing was shown)."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        if "query is too old" not in str(exc).lower():
            raise
        log.debug("callback query %s was answered already", query.id)
        return False
    return True
