"""有用/没用 votes and the 您是想问 choices; both are logged anonymously."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.services import services
from handlers.common import question_for, send_answer, user_region
from handlers.ui.render import render
from knowledge.answer import answer_entry
from knowledge.loader import Entry
from storage.models import QueryEventKind
from storage.repo import events


def _entry(context: ContextTypes.DEFAULT_TYPE, key: str) -> Entry | None:
    """The entry a button names; None for stale or forged data."""
    return services(context).kb.by_key.get(key)


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fb:<1|0>:<entry key>: thank the user, log the vote, drop the buttons."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    _, helpful, key = query.data.split(":")
    entry = _entry(context, key)
    region_id = user_region(svc, update.effective_user.id)
    question = question_for(context.user_data, query.message.message_id if query.message else None)
    if entry and region_id:
        kind = QueryEventKind.HELPFUL if helpful == "1" else QueryEventKind.UNHELPFUL
        with svc.transaction() as session:
            events.log_event(session=session, kind=kind, region_id=region_id, question=question,
                             entry_id=entry.id)
    await query.answer(render("feedback_thanks", helpful=helpful == "1"))
    await query.edit_message_reply_markup(reply_markup=None)


async def pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pk:<entry key>: answer the chosen entry; pk:none: say how to ask better."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    region_id = user_region(svc, update.effective_user.id)
    entry = _entry(context, query.data.split(":")[1])
    question = question_for(context.user_data, query.message.message_id if query.message else None)
    if region_id is None or entry is None:
        assert update.effective_message
        await update.effective_message.reply_text(render("clarify_none"))
        return
    with svc.transaction() as session:
        events.log_event(session=session, kind=QueryEventKind.CLARIFIED, region_id=region_id,
                         question=question, entry_id=entry.id)
    ans = answer_entry(entry, region_id=region_id, question=question, kb=svc.kb)
    await send_answer(update, context, ans, question)


def register(app: Application) -> None:
    """Install the vote and pick buttons."""
    app.add_handler(CallbackQueryHandler(vote, pattern=r"^fb:[01]:[0-9a-f]+$"))
    app.add_handler(CallbackQueryHandler(pick, pattern=r"^pk:"))
