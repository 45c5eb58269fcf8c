"""/check: the household screener as buttons; knowledge/questionnaire.py holds the questions
(flow: check.mmd), handlers/check_result.py the result.

The screener ends with its result, on /cancel, on any command other than /help and /region
(those pause it: see `Journey.pauses`), when a typed message is a question, and after
`questionnaire.TIMEOUT` without an answer. The timeout is a clock in the persisted draft,
checked when the resident comes back: PTB's conversation_timeout runs on a JobQueue job, and
jobs are not persisted (shared NOTES.md, PTB #4080), so after a restart it would never fire
and the screener would hold on to every later message.
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
from handlers.check_result import send_result
from handlers.common import MAX_REGION_NAME, Journey, add_journey, answer_text, user_region
from handlers.ui import keyboards
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge import questionnaire as steps
from knowledge.eligibility import named_schools

DRAFT = "check_draft"
OWN_COMMANDS = frozenset({"check", "cancel"})
PAUSING_COMMANDS = frozenset({"help", "region"})  # shown, then the check goes on
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


def _prompt(d: steps.Draft, recorded: steps.Reading | None = None,
            note: str = "") -> tuple[str, Any]:
    """The current question (after what a typed answer was read as, or another note)."""
    step = steps.current(d)
    assert step is not None
    opts = steps.options(d, step)
    markup = keyboards.choices(step.key, opts, selected=d.get("selected", ()), multi=step.multi,
                               back=bool(d["history"]), width=3 if len(opts) > 6 else 2)
    text = render("check_step", step=step.key, member_no=len(d["members"]),
                  selected=d.get("selected", ()), unticked=d.get("unticked"))
    if recorded is not None:  # say what a typed answer was read as, so a misreading shows
        note = render("check_recorded", reading=recorded, member_no=len(d["members"]))
    return (note + "\n\n" + text if note else text), markup


async def _ask_region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert update.effective_message
    await update.effective_message.reply_text(render("check_needs_region"),
                                              reply_markup=keyboards.cities(svc.kb.regions))


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State:
    """/check: asks the first question, or first for a region with documents (the check then
    starts by itself once one is picked, see `region_chosen`)."""
    svc = services(context)
    assert update.effective_message and update.effective_user and context.user_data is not None
    region_id = user_region(svc, update.effective_user.id)
    if region_id is None or not svc.kb.has_data_for(region_id):
        context.user_data[DRAFT] = steps.new_draft(None, (), time.time())
        await _ask_region(update, context)
        return State.ASKING
    schools = tuple(sorted(named_schools(svc.kb.entries_for(region_id))))
    d = steps.new_draft(region_id, schools, time.time())
    context.user_data[DRAFT] = d
    text, markup = _prompt(d)
    await update.effective_message.reply_text(render("check_intro") + "\n\n" + text,
                                              reply_markup=markup)
    return State.ASKING


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """ck:<step>:<value>, ck:back, ck:cancel, ck:resume, ck:confirm:yes|no."""
    query = update.callback_query
    assert query and query.data
    d, timed_out = _draft(context)
    if d is None:
        await answer_query(query)
        await query.edit_message_text(render("check_expired", timed_out=timed_out))
        return ConversationHandler.END
    parts = query.data.split(":", 2)
    action = parts[1] if len(parts) > 1 else ""
    if action == "cancel":
        await answer_query(query)
        return await _cancel(update, context)
    if d["region_id"] is None:  # still waiting for a region: its buttons are above
        await answer_query(query, render("check_refused", reason="region"))
        return State.ASKING
    if action == "resume":
        await answer_query(query)
        return await _next(update, context, d, new_message=True)
    if action == "confirm":
        recorded = steps.confirm(d, len(parts) > 2 and parts[2] == "yes")
        await answer_query(query)
        return await _next(update, context, d, recorded=recorded)
    if action == "back":
        moved = steps.back(d)
        await answer_query(query, None if moved else render("check_first_step"))
    else:
        step = steps.current(d)
        stale = step is None or action != step.key or len(parts) < 3
        result = "stale" if stale else steps.answer(d, parts[2])
        refused = result in ("stale", "empty", "full")
        await answer_query(query, render("check_refused", reason=result) if refused else None)
    return await _next(update, context, d)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """Typed answers (age, income, 不知道, or a button's label); a region name sets the region
    and the check goes on; a question leaves."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    d, timed_out = _draft(context)
    if d is None:  # timed out, or left by /start etc.: the text is an ordinary message
        if timed_out:
            await message.reply_text(render("check_expired", timed_out=True))
        return await _as_free_text(update, context)
    regions = services(context).kb.regions
    if len(message.text) <= MAX_REGION_NAME and regions.resolve(message.text) is not None:
        await answer_text(update, context)  # saves it; region_chosen then goes on
        return State.ASKING
    if d["region_id"] is None:
        await _ask_region(update, context)
        return State.ASKING
    result = steps.read_text(d, message.text)
    if result == steps.NOT_AN_ANSWER:
        del context.user_data[DRAFT]
        await message.reply_text(render("journey_left", journey=JOURNEY_NAME, restart="check"))
        return await _as_free_text(update, context)
    if isinstance(result, steps.Reading) and result.between is not None:
        await message.reply_text(render("check_confirm", reading=result),
                                 reply_markup=keyboards.confirm_value(result.value))
        return State.ASKING
    if isinstance(result, steps.Unreadable):
        step = steps.current(d)
        await message.reply_text(render(
            "check_hint", typed=step is not None and step.parse is not None,
            step=step.key if step else "", reason=result.reason, value=result.value,
            first=not d["history"]))
    recorded = result if isinstance(result, steps.Reading) else None
    note = render("check_skipped") if result == steps.SKIPPED else ""
    return await _next(update, context, d, new_message=True, recorded=recorded, note=note)


async def _as_free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Outside the screener a typed message is a question or a region name: answer it so."""
    await answer_text(update, context)
    return ConversationHandler.END


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, d: steps.Draft, *,
                new_message: bool = False, recorded: steps.Reading | None = None,
                note: str = "") -> State | int:
    if steps.current(d) is None:
        return await _finish(update, context, d)
    text, markup = _prompt(d, recorded, note)
    if new_message or update.callback_query is None:
        assert update.effective_message
        await update.effective_message.reply_text(text, reply_markup=markup)
    else:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    return State.ASKING


async def _finish(update: Update, context: ContextTypes.DEFAULT_TYPE,
                  d: steps.Draft) -> int:
    if update.callback_query:
        await update.callback_query.edit_message_reply_markup(reply_markup=None)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await send_result(update, context, steps.to_profile(d))
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


async def paused(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After /help or /region in the middle of a check: the answers are kept; offer to go on."""
    d, _ = _draft(context)
    if d is None or update.effective_message is None:
        return
    await update.effective_message.reply_text(
        render("check_paused", answered=len(d["history"]), region=d["region_id"] is not None),
        reply_markup=keyboards.resume())


async def region_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE,
                        region_id: str) -> None:
    """A region picked (button or name) while a check is open: the check goes on with it where
    it was, or starts if it was waiting for one; a region without documents is asked again."""
    d, _ = _draft(context)
    if d is None or update.effective_message is None:
        return
    svc = services(context)
    if not svc.kb.has_data_for(region_id):
        await _ask_region(update, context)
        return
    waiting = d["region_id"] is None
    steps.set_region(d, region_id, tuple(sorted(named_schools(svc.kb.entries_for(region_id)))))
    intro = render("check_intro") if waiting else render("check_resumed",
                                                         region=svc.kb.regions.get(region_id).name)
    text, markup = _prompt(d, note=intro)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A screener button pressed after the screener ended."""
    assert update.callback_query
    await answer_query(update.callback_query)
    await update.callback_query.edit_message_text(render("check_expired", timed_out=False))


def register(app: Application) -> None:
    """Install the screener conversation (persistent: it survives restarts)."""
    # Any other command ends the screener (handlers/fallback.py, group -1): dropping the draft
    # ends it, and the conversation notices at its next update. /help and /region pause it.
    add_journey(app, Journey(name=JOURNEY_NAME, restart="check", commands=OWN_COMMANDS,
                             leave=leave, pauses=PAUSING_COMMANDS, paused=paused,
                             region_chosen=region_chosen))
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
