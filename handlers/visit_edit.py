"""Changing a logged visit: its author within 24 hours, a supervisor of the region after
that (storage.access); the notes can be rewritten, or the visit deleted (both audited)."""

from __future__ import annotations

from enum import IntEnum

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.services import services
from handlers.access import permitted, staff_user
from handlers.casework import load
from handlers.common import Journey, add_journey, leave_other_journeys
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge.visit_form import MAX_NOTES
from storage.access import Action, Target
from storage.models import User, Visit
from storage.repo import casework
from storage.repo.audit import Ref

JOURNEY = "修改走访记录"
EDITING = "editing_visit"
END = ConversationHandler.END


class State(IntEnum):
    """Waiting for the new notes."""

    NOTES = 1


async def _visit(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                 visit_id: int, action: Action) -> Visit | None:
    svc = services(context)
    with svc.db() as session:
        visit = casework.get_visit(session=session, visit_id=visit_id)
    h = load(svc, visit.household_id) if visit else None
    if visit is None or h is None:
        if update.callback_query:
            await answer_query(update.callback_query, render("stale_button"))
        return None
    if not await permitted(update, context, user, action,
                           Target(h.path, visit.author_id, visit.created_at),
                           Ref("visit", str(visit_id))):
        return None
    return visit


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """vv:<id> (menu), vv:<id>:edit, vv:<id>:delete[:yes], vv:<id>:keep."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    user = await staff_user(update, context, "visit")
    parts = query.data.split(":")
    if user is None or len(parts) < 2 or not (parts[1].isdecimal() and parts[1].isascii()):
        await answer_query(query)
        return END
    rest = parts[2:]
    action = Action.DELETE_VISIT if rest[:1] == ["delete"] else Action.EDIT_VISIT
    visit = await _visit(update, context, user, int(parts[1]), action)
    if visit is None:
        return END
    svc = services(context)
    await answer_query(query)
    tz = svc.settings.tz
    if not rest or rest == ["keep"]:
        await query.edit_message_text(render("visit_edit", visit=visit, tz=tz, step="menu"),
                                      reply_markup=kb.visit_edit(visit.id or 0))
    elif rest == ["edit"]:
        leave_other_journeys(context, user.telegram_id, keep=JOURNEY)
        context.user_data[EDITING] = visit.id
        await query.edit_message_text(render("visit_edit", visit=visit, tz=tz, step="notes"))
        return State.NOTES
    elif rest == ["delete"]:
        await query.edit_message_reply_markup(reply_markup=kb.visit_delete_confirm(visit.id or 0))
    elif rest == ["delete", "yes"]:
        with svc.transaction() as session:
            fresh = casework.get_visit(session=session, visit_id=visit.id or 0)
            if fresh is not None:
                casework.delete_visit(session=session, visit=fresh, by=user.telegram_id,
                                      now=svc.clock.now())
        await query.edit_message_text(render("visit_edit", visit=visit, tz=tz, step="deleted"))
    return END


async def on_notes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The rewritten notes."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    visit_id = context.user_data.get(EDITING)
    user = await staff_user(update, context, "visit")
    if user is None or not isinstance(visit_id, int):
        return END
    visit = await _visit(update, context, user, visit_id, Action.EDIT_VISIT)
    if visit is None:
        context.user_data.pop(EDITING, None)
        return END
    text = message.text.strip()
    if len(text) > MAX_NOTES:
        await message.reply_text(render("visit_edit", visit=visit, tz=services(context)
                                        .settings.tz, step="too_long", limit=MAX_NOTES))
        return State.NOTES
    svc = services(context)
    with svc.transaction() as session:
        fresh = casework.get_visit(session=session, visit_id=visit_id)
        assert fresh is not None
        casework.edit_visit(session=session, visit=fresh, notes=text, by=user.telegram_id,
                            now=svc.clock.now())
    context.user_data.pop(EDITING, None)
    await message.reply_text(render("visit_edit", visit=visit, tz=svc.settings.tz,
                                    step="saved"))
    return END


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command drops the half-typed notes (the visit is unchanged)."""
    return context.user_data is not None and context.user_data.pop(EDITING, None) is not None


def register(app: Application) -> None:
    """Install the visit edit buttons."""
    add_journey(app, Journey(name=JOURNEY, restart="mine", commands=frozenset(),
                             leave=leave))
    app.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(on_button, pattern=r"^vv:")],
        states={State.NOTES: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_notes),
                              CallbackQueryHandler(on_button, pattern=r"^vv:")]},
        fallbacks=[], name="visit_edit", persistent=True, allow_reentry=True,
    ))
