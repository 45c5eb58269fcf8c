"""/due: my open follow-ups, overdue first, with 完成 (optional note), 延期 (a new date) and
取消 (a reason); the same buttons close follow-ups after a visit."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services import services
from handlers.access import permitted, staff_user
from handlers.casework import load
from handlers.common import Journey, add_journey, leave_other_journeys, today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge.dates import SHORTCUTS, parse_date, shortcut
from storage.access import Action, Target
from storage.models import FollowUp, FollowUpStatus, User
from storage.repo import casework
from storage.repo.audit import Ref

JOURNEY = "跟进事项"
PENDING = "followup_pending"  # {"id": follow-up id, "action": done|cancel|later}
END = ConversationHandler.END
DUE_LIMIT = 20
MAX_NOTE = 100


class State(IntEnum):
    """Waiting for a typed note (完成/取消) or a new date (延期)."""

    NOTE = 1
    DATE = 2


async def due(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/due: my open follow-ups, the earliest (overdue) first, with buttons."""
    user = await staff_user(update, context, "due")
    if user is None:
        return
    svc = services(context)
    with svc.db() as session:
        items = casework.due_of(session=session, owner_id=user.telegram_id, limit=DUE_LIMIT)
    assert update.effective_message
    await update.effective_message.reply_text(
        render("due", items=items, today=today(svc)),
        reply_markup=kb.followup_list([(f.id or 0, n) for n, (f, _) in enumerate(items, 1)]))


async def _checked(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                   item_id: int) -> FollowUp | None:
    """The follow-up, if it is still open and the user may close it."""
    svc = services(context)
    with svc.db() as session:
        item = casework.get_followup(session=session, followup_id=item_id)
    h = load(svc, item.household_id) if item else None
    if item is None or h is None or item.status != FollowUpStatus.OPEN:
        if update.callback_query:
            await answer_query(update.callback_query, render("followup_done_already"))
        return None
    if not await permitted(update, context, user, Action.CLOSE_FOLLOWUP,
                           Target(h.path, item.owner_id), Ref("followup", str(item_id))):
        return None
    return item


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """fu:<id>:done|cancel|later[:skip|:<date key>]."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    user = await staff_user(update, context, "due")
    parts = query.data.split(":")
    if user is None:  # refused: the refusal has answered the query
        return END
    if len(parts) < 3 or not (parts[1].isdecimal() and parts[1].isascii()):
        await answer_query(query)
        return END
    item = await _checked(update, context, user, int(parts[1]))
    if item is None:
        return END
    action, extra = parts[2], parts[3] if len(parts) > 3 else None
    if action == "done" and extra == "skip":
        return await _close(update, context, user, item, FollowUpStatus.DONE, None)
    if action == "later" and extra in SHORTCUTS:
        return await _postpone(update, context, user, item, shortcut(extra, today(services(
            context))))
    if action not in ("done", "cancel", "later"):
        await answer_query(query)
        return END
    await answer_query(query)
    leave_other_journeys(context, user.telegram_id, keep=JOURNEY)
    context.user_data[PENDING] = {"id": item.id, "action": action}
    assert update.effective_message
    markup = (kb.due_shortcuts(f"fu:{item.id}:later", list(SHORTCUTS.items()))
              if action == "later" else
              kb.followup_note(item.id or 0, "done") if action == "done" else None)
    await update.effective_message.reply_text(render("followup_ask", action=action, item=item,
                                                     problem=None),
                                              reply_markup=markup)
    return State.DATE if action == "later" else State.NOTE


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The typed note (完成/取消) or date (延期)."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    pending = context.user_data.get(PENDING)
    user = await staff_user(update, context, "due")
    if pending is None or user is None:
        return END
    item = await _checked(update, context, user, int(pending["id"]))
    if item is None:
        context.user_data.pop(PENDING, None)
        return END
    text = message.text.strip()
    if pending["action"] == "later":
        reading = parse_date(text, today(services(context)))
        if reading.date is None or reading.problem:
            await message.reply_text(render("followup_ask", action="later", item=item,
                                            problem=reading.problem))
            return State.DATE
        return await _postpone(update, context, user, item, reading.date)
    if len(text) > MAX_NOTE:
        await message.reply_text(render("followup_ask", action=pending["action"], item=item,
                                        problem="too_long"))
        return State.NOTE
    status = FollowUpStatus.DONE if pending["action"] == "done" else FollowUpStatus.CANCELLED
    return await _close(update, context, user, item, status, text)


async def _close(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                 item: FollowUp, status: FollowUpStatus, note: str | None) -> int:
    svc = services(context)
    with svc.transaction() as session:
        fresh = casework.get_followup(session=session, followup_id=item.id or 0)
        assert fresh is not None
        changed = casework.close_followup(session=session, item=fresh, status=status, note=note,
                                          by=user.telegram_id, now=svc.clock.now())
    if context.user_data is not None:
        context.user_data.pop(PENDING, None)
    text = render("followup_closed", item=item, status=status.value, changed=changed)
    if update.callback_query:
        await answer_query(update.callback_query)
    assert update.effective_message
    await update.effective_message.reply_text(text)
    return END


async def _postpone(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                    item: FollowUp, new_date: dt.date) -> int:
    svc = services(context)
    with svc.transaction() as session:
        fresh = casework.get_followup(session=session, followup_id=item.id or 0)
        assert fresh is not None
        casework.postpone_followup(session=session, item=fresh, due_on=new_date,
                                   by=user.telegram_id, now=svc.clock.now())
    if context.user_data is not None:
        context.user_data.pop(PENDING, None)
    if update.callback_query:
        await answer_query(update.callback_query)
    assert update.effective_message
    await update.effective_message.reply_text(render("followup_postponed", item=item,
                                                     due=new_date, today=today(svc)))
    return END


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command drops a half-typed note or date (the follow-up stays open)."""
    return context.user_data is not None and context.user_data.pop(PENDING, None) is not None


def register(app: Application) -> None:
    """Install /due and the follow-up buttons."""
    app.add_handler(CommandHandler("due", due))
    add_journey(app, Journey(name=JOURNEY, restart="due", commands=frozenset({"due"}),
                             leave=leave))
    app.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(on_button, pattern=r"^fu:")],
        states={State.NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                             CallbackQueryHandler(on_button, pattern=r"^fu:")],
                State.DATE: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                             CallbackQueryHandler(on_button, pattern=r"^fu:")]},
        fallbacks=[], name="followup", persistent=True, allow_reentry=True,
    ))
