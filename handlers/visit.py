"""/visit: log a visit from a phone, with buttons (flow: visit.mmd). The form is a row
(storage visit_drafts, knowledge/visit_form.py decides the steps), so it survives restarts
and continues on any process; another command pauses it and /visit resumes it."""

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

from bot.services import Services, services
from handlers.access import permitted, staff_user
from handlers.casework import load, scope, send_gaps, target
from handlers.common import Journey, add_journey, answer_text, leave_other_journeys, today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge import visit_form as form
from knowledge.names import find
from storage.access import Action
from storage.casework import save_visit
from storage.models import Household, User
from storage.repo import casework, drafts, households
from storage.repo.audit import Ref

END = ConversationHandler.END
JOURNEY = "走访记录"
PICK_LIMIT = 8


class State(IntEnum):
    """CHOOSING: which household; FILLING: the form (its step lives in the draft row)."""

    CHOOSING = 1
    FILLING = 2


def _draft(svc: Services, user_id: int) -> dict[str, Any] | None:
    with svc.db() as session:
        return drafts.get_draft(session=session, user_id=user_id)


def _store(svc: Services, user_id: int, draft: dict[str, Any]) -> None:
    with svc.transaction() as session:
        drafts.save_draft(session=session, user_id=user_id, draft=draft, now=svc.clock.now())


def _prompt(svc: Services, d: dict[str, Any], problem: str | None = None) -> tuple[str, Any]:
    text = render("visit_step", d=d, problem=problem, today=today(svc), tz=svc.settings.tz,
                  label=lambda mid: form.member_label(d, mid), due=form.due_date(d))
    markup = kb.form(form.options(d), selected=form.selected(d), back=bool(d["history"]),
                     width=1 if d["step"] in ("confirm", "followup", "notes") else 2)
    return text, markup


async def _reply(update: Update, text: str, markup: Any, *, edit: bool) -> None:
    if edit and update.callback_query:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        assert update.effective_message
        await update.effective_message.reply_text(text, reply_markup=markup)


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/visit [name]: resume an open form, or choose a household (urgent first, or typed)."""
    user = await staff_user(update, context, "visit")
    if user is None:
        return END
    svc = services(context)
    assert update.effective_message
    draft = _draft(svc, user.telegram_id)
    if draft is not None:
        draft.pop("paused", None)
        _store(svc, user.telegram_id, draft)
        await update.effective_message.reply_text(
            render("visit_resume", d=draft), reply_markup=kb.resume(draft["household_id"]))
        return State.FILLING
    if context.args:
        return await _search(update, context, user, " ".join(context.args))
    with svc.db() as session:
        rows = households.mine(session=session, today=today(svc), limit=PICK_LIMIT,
                               **scope(svc, user))  # type: ignore[arg-type]
    await update.effective_message.reply_text(
        render("visit_choose", count=len(rows)),
        reply_markup=kb.households([(r.household.id or 0, f"{r.household.head_name} "
                                     f"{r.household.code}") for r in rows], "vh"))
    return State.CHOOSING


async def _search(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                  text: str) -> int:
    svc = services(context)
    text = text.strip()[:20]
    with svc.db() as session:
        pool = households.candidates(session=session, text="" if text.isascii() else text,
                                     **scope(svc, user))  # type: ignore[arg-type]
    found = find(text, pool, limit=PICK_LIMIT)
    labels = {hid: f"{head} {code}" for hid, code, head, _ in pool}
    assert update.effective_message
    await update.effective_message.reply_text(
        render("household_search", missing=False, query=text, count=len(found)),
        reply_markup=kb.households([(h, labels[h]) for h in found], "vh"))
    return State.CHOOSING


async def typed_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A name typed while choosing the household."""
    user = await staff_user(update, context, "visit")
    if user is None:
        return END
    assert update.effective_message and update.effective_message.text is not None
    return await _search(update, context, user, update.effective_message.text)


def _members(svc: Services, h: Household) -> list[tuple[int, str]]:
    with svc.db() as session:
        people = households.members(session=session, household_id=h.id or 0)
    return [(m.id or 0, f"{m.name}（{m.relation}）") for m in people]


async def start_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """vh:<household>: a new form for it (from /visit or from a household's page)."""
    query = update.callback_query
    assert query and query.data
    user = await staff_user(update, context, "visit")
    raw = query.data.split(":")[1]
    if user is None:  # refused: the refusal has answered the query
        return END
    if not (raw.isdecimal() and raw.isascii()):
        await answer_query(query)
        return END
    return await _open(update, context, user, int(raw))


async def _open(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                household_id: int, *, replace: bool = False) -> int:
    svc = services(context)
    h = load(svc, household_id)
    if h is None or not await permitted(update, context, user, Action.LOG_VISIT, target(h),
                                        Ref("household", h.code)):
        return END
    existing = _draft(svc, user.telegram_id)
    if existing is not None and not replace:
        if update.callback_query:
            await answer_query(update.callback_query)
        await _reply(update, render("visit_resume", d=existing),
                     kb.resume(household_id), edit=False)
        return State.FILLING
    leave_other_journeys(context, user.telegram_id, keep=JOURNEY)
    d = form.new_draft(household_id, f"{h.head_name}户 {h.code}", _members(svc, h),
                       list(h.categories))
    _store(svc, user.telegram_id, d)
    if update.callback_query:
        await answer_query(update.callback_query)
    text, markup = _prompt(svc, d)
    await _reply(update, text, markup, edit=False)
    return State.FILLING


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """vf:<value>, vf:back, vf:cancel, vf:resume, vf:restart:<id>, vf:save."""
    query = update.callback_query
    assert query and query.data
    svc = services(context)
    user = await staff_user(update, context, "visit")
    if user is None:
        with svc.transaction() as session:
            drafts.drop_draft(session=session, user_id=update.effective_user.id)  # type: ignore[union-attr]
        return END
    value = query.data[3:]
    if value.startswith("restart:") and value[8:].isdecimal() and value[8:].isascii():
        return await _open(update, context, user, int(value[8:]), replace=True)
    d = _draft(svc, user.telegram_id)
    if d is None:
        await answer_query(query)
        await query.edit_message_text(render("visit_over"))
        return END
    d.pop("paused", None)
    if value == "cancel":
        with svc.transaction() as session:
            drafts.drop_draft(session=session, user_id=user.telegram_id)
        await answer_query(query)
        await query.edit_message_text(render("visit_cancelled"))
        return END
    if value == "save":
        return await _save(update, context, user, d)
    if value == "back":
        moved = form.back(d)
        await answer_query(query, None if moved else render("visit_first_step"))
    elif value != "resume":
        result = form.press(d, value, today(svc))
        await answer_query(query, render("visit_refused", reason=result)
                           if result != "ok" else None)
    else:
        await answer_query(query)
    _store(svc, user.telegram_id, d)
    text, markup = _prompt(svc, d)
    await _reply(update, text, markup, edit=value != "resume")
    return State.FILLING


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Typed notes, follow-up action or due date; elsewhere a hint (the form is kept)."""
    svc = services(context)
    message = update.effective_message
    assert message and message.text is not None and update.effective_user
    d = _draft(svc, update.effective_user.id)
    if d is None or d.get("paused"):  # paused by another command: this is a question
        await answer_text(update, context)
        return END
    user = await staff_user(update, context, "visit")
    if user is None:
        return END
    result = form.type_text(d, message.text, today(svc))
    if result == "ok":
        _store(svc, user.telegram_id, d)
    text, markup = _prompt(svc, d, problem=None if result == "ok" else result)
    await _reply(update, text, markup, edit=False)
    return State.FILLING


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A photo or the location, at any step of the form."""
    svc = services(context)
    message = update.effective_message
    assert message and update.effective_user
    d = _draft(svc, update.effective_user.id)
    user = await staff_user(update, context, "visit")
    if d is None or user is None:
        return END
    if message.photo:
        result = form.add_photo(d, message.photo[-1].file_id)
    else:
        assert message.location
        result = form.set_location(d, message.location.latitude, message.location.longitude)
    _store(svc, user.telegram_id, d)
    # On the media step the keyboard comes again (跳过 has become 完成); elsewhere the form's
    # last keyboard still stands.
    markup = _prompt(svc, d)[1] if d["step"] == "media" else None
    await message.reply_text(render("visit_media", d=d, result=result, photo=bool(message.photo),
                                    here=markup is not None), reply_markup=markup)
    return State.FILLING


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                d: dict[str, Any]) -> int:
    svc = services(context)
    query = update.callback_query
    assert query
    h = load(svc, d["household_id"])
    if h is None or not await permitted(update, context, user, Action.LOG_VISIT, target(h),
                                        Ref("household", h.code)):
        return State.FILLING
    with svc.transaction() as session:
        fresh = households.get(session=session, household_id=d["household_id"])
        assert fresh is not None
        visit = save_visit(session=session, draft=d, household=fresh, by=user.telegram_id,
                           now=svc.clock.now())
        still_open = casework.open_followups_of(session=session, household_id=fresh.id or 0)
    await answer_query(query)
    if visit is None:  # the second tap of a double tap, or saved by another process
        await query.edit_message_text(render("visit_over"))
        return END
    await query.edit_message_text(render("visit_saved", d=d, due=form.due_date(d),
                                         today=today(svc)))
    earlier = [(f.id or 0, f.action) for f in still_open if f.visit_id != visit.id]
    if earlier:
        assert update.effective_message
        await update.effective_message.reply_text(render("visit_close_open", count=len(earlier)),
                                                  reply_markup=kb.close_open(earlier))
    await send_gaps(update, context, user, d["household_id"])
    return END


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel inside the form or the choice: the draft is dropped."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    with svc.transaction() as session:
        dropped = drafts.drop_draft(session=session, user_id=update.effective_user.id)
    await update.effective_message.reply_text(render("visit_cancelled") if dropped
                                              else render("nothing_to_cancel"))
    return END


def pause(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command pauses the form (kept for /visit to resume); True when one was open."""
    svc = services(context)
    d = _draft(svc, user_id)
    if d is None or d.get("paused"):
        return False
    d["paused"] = True
    _store(svc, user_id, d)
    return True


def register(app: Application) -> None:
    """Install the visit conversation (persistent: it survives restarts)."""
    add_journey(app, Journey(name=JOURNEY, restart="visit",
                             commands=frozenset({"visit", "cancel"}), leave=pause,
                             keeps_draft=True))
    media = filters.PHOTO | filters.LOCATION
    app.add_handler(ConversationHandler(
        entry_points=[CommandHandler("visit", begin),
                      CallbackQueryHandler(start_for, pattern=r"^vh:"),
                      CallbackQueryHandler(on_button, pattern=r"^vf:")],
        states={
            State.CHOOSING: [CallbackQueryHandler(start_for, pattern=r"^vh:"),
                             MessageHandler(filters.TEXT & ~filters.COMMAND, typed_choice)],
            State.FILLING: [CallbackQueryHandler(on_button, pattern=r"^vf:"),
                            CallbackQueryHandler(start_for, pattern=r"^vh:"),
                            MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                            MessageHandler(media, on_media)],
        },
        fallbacks=[CommandHandler("cancel", cancel_command)],
        name="visit", persistent=True, allow_reentry=True,
    ))
