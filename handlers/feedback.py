"""有用/没用 votes and the 您是想问 choices; both are logged anonymously."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.render import render
from bot.services import services
from handlers.replies import question_for, send_answer, user_region
from knowledge.answer import answer_entry
from storage import repo
from storage.models import QueryEventKind


def _entry(context: ContextTypes.DEFAULT_TYPE, raw: str) -> str | None:
    entries = services(context).kb.entries
    return entries[int(raw)].id if raw.isdigit() and int(raw) < len(entries) else None


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fb:<1|0>:<entry index>: thank the user, log the vote, drop the buttons."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    _, helpful, raw = query.data.split(":")
    entry_id = _entry(context, raw)
    region_id = user_region(svc, update.effective_user.id)
    question = question_for(context.user_data, query.message.message_id if query.message else None)
    if entry_id and region_id:
        kind = QueryEventKind.HELPFUL if helpful == "1" else QueryEventKind.UNHELPFUL
        with svc.db() as session:
            repo.log_event(session=session, kind=kind, region_id=region_id, question=question,
                           entry_id=entry_id)
    await query.answer(render("feedback_thanks", helpful=helpful == "1"))
    await query.edit_message_reply_markup(reply_markup=None)


async def pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pk:<entry index>: answer the chosen entry; pk:none: say how to ask better."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    region_id = user_region(svc, update.effective_user.id)
    entry_id = _entry(context, query.data.split(":")[1])
    question = question_for(context.user_data, query.message.message_id if query.message else None)
    if region_id is None or entry_id is None:
        assert update.effective_message
        await update.effective_message.reply_text(render("clarify_none"))
        return
    with svc.db() as session:
        repo.log_event(session=session, kind=QueryEventKind.CLARIFIED, region_id=region_id,
                       question=question, entry_id=entry_id)
    ans = answer_entry(svc.kb.by_id[entry_id], region_id=region_id, question=question, kb=svc.kb)
    await send_answer(update, context, ans, question)


def register(app: Application) -> None:
    """Install the vote and pick buttons."""
    app.add_handler(CallbackQueryHandler(vote, pattern=r"^fb:[01]:\d+$"))
    app.add_handler(CallbackQueryHandler(pick, pattern=r"^pk:"))
