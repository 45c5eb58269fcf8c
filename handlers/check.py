"""/check: the household screener as buttons; knowledge/questionnaire.py holds the questions
(flow: check.mmd).

The screener ends with its result, on /cancel, on any other command, when a typed
message is a question or a region name (then answered as free text), and after
`questionnaire.TIMEOUT` without an answer. The timeout is a clock in the persisted draft, checked
when the resident comes back: PTB's conversation_timeout runs on a JobQueue job, and jobs are
not persisted (shared NOTES.md, PTB #4080), so after a restart it would never fire and the
screener would hold on to every later message.
"""

from __future__ import annotations

import time
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

from bot.services import services
from handlers.common import MAX_REGION_NAME, Journey, add_journey, answer_text, user_region
from handlers.ui import keyboards
from handlers.ui.messages import screening_html
from handlers.ui.render import render, split_message
from knowledge import questionnaire as steps
from knowledge.eligibility import named_schools, screen

DRAFT = "check_draft"
OWN_COMMANDS = frozenset({"check", "cancel"})


JOURNEY_NAME = "自查"


class State(IntEnum):
    """One state: every question is answered by the same two callbacks."""

    ASKING = 1


def _draft(context: ContextTypes.DEFAULT_TYPE) -> tuple[steps.Draft | None, bool]:
    """The screener in progress (its clock touched), or None and whether it has just timed out."""
    assert context.user_data is not None
    d = context.user_data.get(DRAFT)
    if d is None:
        return None, False
    if steps.touch(d, time.time()):
        return d, False
    del context.user_data[DRAFT]
    return None, True


def _prompt(d: steps.Draft, recorded: steps.Reading | None = None) -> tuple[str, Any]:
    step = steps.current(d)
    assert step is not None
    opts = steps.options(d, step)
    markup = keyboards.choices(step.key, opts, selected=d.get("selected", ()), multi=step.multi,
                               back=bool(d["history"]), width=3 if len(opts) > 6 else 2)
    text = render("check_step", step=step.key, member_no=len(d["members"]),
                  selected=d.get("selected", ()), unticked=d.get("unticked"))
    if recorded is not None:  # say what a typed answer was read as, so a misreading shows
        text = render("check_recorded", reading=recorded, member_no=len(d["members"])) \
            + "\n\n" + text
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
    d = steps.new_draft(region_id, schools, time.time())
    context.user_data[DRAFT] = d
    text, markup = _prompt(d)
    await update.effective_message.reply_text(render("check_intro") + "\n\n" + text,
                                              reply_markup=markup)
    return State.ASKING


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """ck:<step>:<value>, ck:back, ck:cancel."""
    query = update.callback_query
    assert query and query.data
    d, timed_out = _draft(context)
    if d is None:
        await query.answer()
        await query.edit_message_text(render("check_expired", timed_out=timed_out))
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
        result = "stale" if stale else steps.answer(d, parts[2])
        refused = result in ("stale", "empty")
        await query.answer(render("check_refused", reason=result) if refused else None)
    return await _next(update, context, d)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """Typed answers (age, income, or a button's label); a question or a region name leaves."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    d, timed_out = _draft(context)
    if d is None:  # timed out, or left by /start etc.: the text is an ordinary message
        if timed_out:
            await message.reply_text(render("check_expired", timed_out=True))
        return await _as_free_text(update, context)
    regions = services(context).kb.regions
    region = len(message.text) <= MAX_REGION_NAME and regions.resolve(message.text)
    result = steps.read_text(d, message.text, region_name=bool(region))
    if result == steps.NOT_AN_ANSWER:
        del context.user_data[DRAFT]
        await message.reply_text(render("journey_left", journey=JOURNEY_NAME, restart="check"))
        return await _as_free_text(update, context)
    if isinstance(result, steps.Unreadable):
        step = steps.current(d)
        await message.reply_text(render(
            "check_hint", typed=step is not None and step.parse is not None,
            step=step.key if step else "", reason=result.reason, value=result.value,
            first=not d["history"]))
    recorded = result if isinstance(result, steps.Reading) else None
    return await _next(update, context, d, new_message=True, recorded=recorded)


async def _as_free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Outside the screener a typed message is a question or a region name: answer it so."""
    await answer_text(update, context)
    return ConversationHandler.END


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, d: steps.Draft, *,
                new_message: bool = False, recorded: steps.Reading | None = None) -> State | int:
    if steps.current(d) is None:
        return await _finish(update, context, d)
    text, markup = _prompt(d, recorded)
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
    region_name = svc.kb.regions.get(profile.region_id).name
    text = screening_html(profile, region_name, screen(svc.kb, profile))
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
    """/cancel inside the screener (which may have timed out or been left meanwhile)."""
    assert update.effective_message
    d, timed_out = _draft(context)
    if d is not None:
        return await _cancel(update, context)
    await update.effective_message.reply_text(
        render("check_expired", timed_out=True) if timed_out else render("nothing_to_cancel"))
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside any conversation."""
    assert update.effective_message
    await update.effective_message.reply_text(render("nothing_to_cancel"))


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command ends a screener in progress (see handlers/fallback.py); True when one
    was open. A timed-out draft is dropped without a word: the command answers."""
    d, _ = _draft(context)
    if d is None or context.user_data is None:
        return False
    del context.user_data[DRAFT]
    return True


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A screener button pressed after the screener ended."""
    assert update.callback_query
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(render("check_expired", timed_out=False))


def register(app: Application) -> None:
    """Install the screener conversation (persistent: it survives restarts)."""
    # Any other command ends the screener (handlers/fallback.py, group -1): dropping the draft
    # ends it, and the conversation notices at its next update.
    add_journey(app, Journey(name=JOURNEY_NAME, restart="check", commands=OWN_COMMANDS,
                             leave=leave))
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
