"""有用/没用 votes and the 您是想问 choices; all are logged anonymously. 没用 and 都不是 get
a next step, not only a pop-up."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.services import services
from handlers.common import question_for, send_answer, user_region
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge.answer import answer_entry
from knowledge.loader import ENTRY_KEY_CHARS, Entry
from storage.models import QueryEventKind
from storage.repo import events

# Button data as keyboards.feedback and keyboards.clarify write it; anything else is stale or
# forged (pk:², a key of another length) and gets the same reply as an unknown entry.
_KEY = rf"[0-9a-f]{{{ENTRY_KEY_CHARS}}}"
_VOTE = re.compile(rf"fb:(?P<helpful>[01]):(?P<key>{_KEY})")
_PICK = re.compile(rf"pk:(?P<key>{_KEY}|none)")


def _entry(context: ContextTypes.DEFAULT_TYPE, key: str | None) -> Entry | None:
    """The entry a button names; None for stale or forged data."""
    return services(context).kb.by_key.get(key or "")


def _offered(message: Message | None) -> list[str]:
    """The entry keys of the 您是想问 buttons on a message (what 都不是 rejects)."""
    markup = message.reply_markup if message else None
    keys = [b.callback_data for row in (markup.inline_keyboard if markup else ())
            for b in row if isinstance(b.callback_data, str)]
    return [k[3:] for k in keys if _PICK.fullmatch(k) and k != "pk:none"]


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fb:<1|0>:<entry key>: thank the user, log the vote, drop the buttons; after 没用,
    say what to try next."""
    query = update.callback_query
    assert query and query.data is not None and update.effective_user
    svc = services(context)
    found = _VOTE.fullmatch(query.data)
    if found is None:  # forged or from an old version: answered, nothing else
        await answer_query(query)
        return
    helpful = found["helpful"] == "1"
    entry = _entry(context, found["key"])
    region_id = user_region(svc, update.effective_user.id)
    message = query.message if isinstance(query.message, Message) else None
    question = question_for(svc, update.effective_user.id,
                            message.message_id if message else None)
    if entry and region_id:
        kind = QueryEventKind.HELPFUL if helpful else QueryEventKind.UNHELPFUL
        with svc.transaction() as session:
            events.log_event(session=session, kind=kind, region_id=region_id, question=question,
                             entry_id=entry.id)
    await answer_query(query, render("feedback_thanks", helpful=helpful))
    await query.edit_message_reply_markup(reply_markup=None)
    if not helpful and message is not None:
        lead = entry.item.departments.lead if entry else ()
        await message.reply_text(render("feedback_next", lead=lead[0] if lead else None))


async def pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pk:<entry key>: answer the chosen entry; pk:none (都不是): log it with the options
    offered, and say how to ask better."""
    query = update.callback_query
    assert query and query.data is not None and update.effective_user
    svc = services(context)
    await answer_query(query)
    message = query.message if isinstance(query.message, Message) else None
    offered = _offered(message)
    await query.edit_message_reply_markup(reply_markup=None)
    region_id = user_region(svc, update.effective_user.id)
    found = _PICK.fullmatch(query.data)
    entry = _entry(context, found["key"] if found else None)
    question = question_for(svc, update.effective_user.id,
                            message.message_id if message else None)
    if region_id is None or entry is None:
        if found and found["key"] == "none" and region_id and question:
            with svc.transaction() as session:
                events.log_event(session=session, kind=QueryEventKind.REJECTED,
                                 region_id=region_id, question=question,
                                 entry_id=",".join(offered) or None)
        assert update.effective_message
        await update.effective_message.reply_text(render("clarify_none"))
        return
    with svc.transaction() as session:
        events.log_event(session=session, kind=QueryEventKind.CLARIFIED, region_id=region_id,
                         question=question, entry_id=entry.id)
    ans = answer_entry(entry, region_id=region_id, question=question, kb=svc.kb)
    await send_answer(update, context, ans, question)


def register(app: Application) -> None:
    """Install the vote and pick buttons (any fb:/pk: data: forged data is answered too)."""
    app.add_handler(CallbackQueryHandler(vote, pattern=r"^fb:"))
    app.add_handler(CallbackQueryHandler(pick, pattern=r"^pk:"))
