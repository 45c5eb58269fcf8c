"""/remind 下周三 给李大爷送药: a personal reminder on that day's morning, in the same date
language as the visit form; /settings: how many days before a deadline to be reminded."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.services import services
from handlers.access import staff_user
from handlers.common import today
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge.remind_text import split_reminder
from storage.models import PersonalReminder, User
from storage.reminders import Policy
from storage.repo import audit, reminders
from storage.repo.audit import Ref

MAX_TEXT = 200
LEAD_OPTIONS = (("7,1", "提前7天和1天"), ("3,1", "提前3天和1天"), ("14,7,1", "提前14天、7天和1天"),
                ("0", "只在当天"))


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remind <when> <what>."""
    user = await staff_user(update, context, "remind")
    if user is None:
        return
    svc = services(context)
    assert update.effective_message
    text = " ".join(context.args or [])
    reading, what = split_reminder(text, today(svc))
    if reading.date is None or reading.problem or not what or len(what) > MAX_TEXT:
        await update.effective_message.reply_text(render(
            "remind", step="help", problem=reading.problem if what else "no_text",
            limit=MAX_TEXT))
        return
    with svc.transaction() as session:
        row = reminders.add_personal(session=session, user_id=user.telegram_id, text=what,
                                     due_on=reading.date, now=svc.clock.now())
    policy = Policy.from_settings(svc.settings)
    await update.effective_message.reply_text(
        render("remind", step="saved", row=row, today=today(svc), at=policy.morning),
        reply_markup=Markup([[Button("✖ 取消这个提醒", callback_data=f"pr:cancel:{row.id}")]]))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pr:cancel:<id>: only the reminder's owner."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    raw = query.data.split(":")[2] if query.data.count(":") == 2 else ""
    await answer_query(query)
    if not (raw.isdecimal() and raw.isascii()):
        return
    with svc.transaction() as session:
        row = session.get(PersonalReminder, int(raw))
        if row is None or row.user_id != update.effective_user.id:
            audit.refused(session=session, actor=update.effective_user.id,
                          action="reminder.cancel", target=Ref("personal", raw),
                          reason="not_yours", at=svc.clock.now())
            return
        row.cancelled_at = svc.clock.now()
        session.add(row)
    await query.edit_message_text(render("remind", step="cancelled", row=row))


def _lead(user: User, policy: Policy) -> tuple[int, ...]:
    return tuple(user.remind_days) if user.remind_days else policy.lead_days


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings: staff choose their deadline reminders; residents are told about /region."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    with svc.db() as session:
        user = session.get(User, update.effective_user.id)
    if user is None or not user.is_staff:
        await update.effective_message.reply_text(render("settings", staff=False))
        return
    await update.effective_message.reply_text(
        render("settings", staff=True, lead=_lead(user, Policy.from_settings(svc.settings))),
        reply_markup=Markup([[Button(label, callback_data=f"st:lead:{value}")]
                             for value, label in LEAD_OPTIONS]))


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """st:lead:<days>: saved (audited)."""
    query = update.callback_query
    assert query and query.data
    user = await staff_user(update, context, "settings")
    value = query.data.split(":")[2] if query.data.count(":") == 2 else ""
    if user is None:  # refused: the refusal has answered the query
        return
    if value not in dict(LEAD_OPTIONS):
        await answer_query(query)
        return
    svc = services(context)
    days = [int(n) for n in value.split(",") if n != "0"]
    with svc.transaction() as session:
        row = session.get(User, user.telegram_id)
        assert row is not None
        before = row.remind_days
        row.remind_days = days or [0]
        session.add(row)
        audit.record(session=session, actor=user.telegram_id, action="user.settings",
                     target=Ref("user", str(user.telegram_id)),
                     before={"remind_days": before}, after={"remind_days": row.remind_days},
                     at=svc.clock.now())
    await answer_query(query)
    await query.edit_message_text(render("settings", staff=True, lead=tuple(days), saved=True))


def register(app: Application) -> None:
    """Install /remind and /settings."""
    app.add_handler(CommandHandler("remind", remind))
    app.add_handler(CallbackQueryHandler(cancel, pattern=r"^pr:cancel:"))
    app.add_handler(CommandHandler("settings", settings))
    app.add_handler(CallbackQueryHandler(choose, pattern=r"^st:lead:"))
