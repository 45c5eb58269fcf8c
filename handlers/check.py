"""/check: the household screener as buttons; `check_steps` holds the questions."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

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

from bot import keyboards
from bot.render import render, split_message
from bot.replies import screening_html
from bot.services import services
from handlers import check_steps as steps
from handlers.replies import user_region
from knowledge.eligibility import named_schools, screen

DRAFT = "check_draft"


class State(IntEnum):
    """One state: every question is answered by the same two callbacks."""

    ASKING = 1


def _prompt(d: steps.Draft) -> tuple[str, Any]:
    step = steps.current(d)
    assert step is not None
    opts = steps.options(d, step)
    markup = keyboards.choices(step.key, opts, selected=d.get("selected", ()), multi=step.multi,
                               back=bool(d["history"]), width=3 if len(opts) > 6 else 2)
    text = render("check_step", step=step.key, member_no=len(d["members"]),
                  selected=d.get("selected", ()))
    return text, markup


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """/check: needs a region with documents, then asks the first question."""
    svc = services(context)
    assert update.effective_message and update.effective_user and context.user_data is not None
    region_id = user_region(svc, update.effective_user.id)
    if region_id is None or not svc.kb.has_data_for(region_id):
        await update.effective_message.reply_text(render("check_needs_region"),
                                                  reply_markup=keyboards.cities(svc.kb.regions))
        return ConversationHandler.END
    schools = tuple(sorted(named_schools(svc.kb.entries_for(region_id))))
    context.user_data[DRAFT] = steps.new_draft(svc.kb.regions.get(region_id).name, schools)
    context.user_data[DRAFT]["region_id"] = region_id
    text, markup = _prompt(context.user_data[DRAFT])
    await update.effective_message.reply_text(render("check_intro") + "\n\n" + text,
                                              reply_markup=markup)
    return State.ASKING


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """ck:<step>:<value>, ck:back, ck:cancel."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    d = context.user_data.get(DRAFT)
    if d is None:
        await query.answer()
        await query.edit_message_text(render("check_expired"))
        return ConversationHandler.END
    parts = query.data.split(":", 2)
    if parts[1] == "cancel":
        await query.answer()
        return await _cancel(update, context)
    if parts[1] == "back":
        moved = steps.back(d)
        await query.answer(None if moved else render("check_first_step"))
    else:
        step = steps.current(d)
        stale = step is None or parts[1] != step.key or len(parts) < 3
        ok = False if stale else steps.answer(d, parts[2])
        await query.answer(render("check_use_buttons") if not ok else None)
    return await _next(update, context, d)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """Typed answers (age, income); anything else gets a hint and the question again."""
    assert update.effective_message and update.effective_message.text is not None
    assert context.user_data is not None
    d = context.user_data.get(DRAFT)
    if d is None:
        return ConversationHandler.END
    if not steps.answer_text(d, update.effective_message.text):
        step = steps.current(d)
        await update.effective_message.reply_text(
            render("check_hint", typed=step is not None and step.parse is not None,
                   step=step.key if step else ""))
    return await _next(update, context, d, new_message=True)


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, d: steps.Draft, *,
                new_message: bool = False) -> State | int:
    if steps.current(d) is None:
        return await _finish(update, context, d)
    text, markup = _prompt(d)
    if new_message or update.callback_query is None:
        assert update.effective_message
        await update.effective_message.reply_text(text, reply_markup=markup)
    else:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    return State.ASKING


async def _finish(update: Update, context: ContextTypes.DEFAULT_TYPE,
                  d: steps.Draft) -> int:
    svc = services(context)
    profile = steps.to_profile(d)
    text = screening_html(profile, d["region"], screen(svc.kb, profile, d["region_id"]))
    if update.callback_query:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    assert update.effective_message
    for part in split_message(text):
        await update.effective_message.reply_text(part)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    return ConversationHandler.END


async def _cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if update.callback_query:
        await update.callback_query.edit_message_text(render("check_cancelled"))
    elif update.effective_message:
        await update.effective_message.reply_text(render("check_cancelled"))
    return ConversationHandler.END


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel inside the screener."""
    return await _cancel(update, context)


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside any conversation."""
    assert update.effective_message
    await update.effective_message.reply_text(render("nothing_to_cancel"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A screener button pressed after the screener ended."""
    assert update.callback_query
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(render("check_expired"))


def register(app: Application) -> None:
    """Install the screener conversation (persistent: it survives restarts)."""
    app.add_handler(ConversationHandler(
        entry_points=[CommandHandler("check", begin)],
        states={State.ASKING: [
            CallbackQueryHandler(on_button, pattern=r"^ck:"),
            MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
        ]},
        fallbacks=[CommandHandler("cancel", cancel_command)],
        name="check", persistent=True, allow_reentry=True,
    ))
    app.add_handler(CommandHandler("cancel", nothing_to_cancel))
    app.add_handler(CallbackQueryHandler(stale_button, pattern=r"^ck:"))
