"""/deadlines: the programme calendar of my region (next 60 days, done / open / overdue),
past one-off dates on request, and the buttons of every deadline reminder (已完成,
明天再提醒, 查看原文). Adding an office's own deadline is handlers/deadline_new.py."""

from __future__ import annotations

import datetime as dt

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.services import services
from handlers.access import staff_user
from handlers.common import today
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from storage.models import Role, User
from storage.reminders import Policy, historical_items, upcoming
from storage.repo import audit, reminders
from storage.repo.audit import Ref

HORIZON_DAYS = 60


def _home(user: User) -> str:
    return user.home_region_id or user.region_id or ""


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/deadlines."""
    user = await staff_user(update, context, "deadlines")
    if user is None:
        return
    svc = services(context)
    home = _home(user)
    day = today(svc)
    with svc.db() as session:
        items = upcoming(session=session, kb=svc.kb, region_id=home, today=day,
                         days=HORIZON_DAYS) if home in svc.kb.regions else []
    rows = [[Button("📜 往年的期限", callback_data="dl:past")]]
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        rows.insert(0, [Button("➕ 新增本单位期限", callback_data="dn:start"),
                        Button("管理本单位期限", callback_data="dn:manage")])
    assert update.effective_message
    text = render("deadlines", items=items, today=day, days=HORIZON_DAYS,
                  region=svc.kb.regions.get(home).name if home in svc.kb.regions else "")
    parts = split_message(text)
    for i, part in enumerate(parts):
        await update.effective_message.reply_text(
            part, reply_markup=Markup(rows) if i == len(parts) - 1 else None)


async def past(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """dl:past: one-off dates of earlier years' documents (shown, never reminded)."""
    query = update.callback_query
    assert query
    user = await staff_user(update, context, "deadlines")
    await answer_query(query)
    if user is None:
        return
    svc = services(context)
    home = _home(user)
    entries = historical_items(svc.kb, home, today(svc)) if home in svc.kb.regions else []
    assert update.effective_message
    for part in split_message(render("deadlines_past", entries=entries)):
        await update.effective_message.reply_text(part)


async def on_reminder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """rm:done|snooze|quote:<reminder id>, only by the reminder's own recipient."""
    query = update.callback_query
    assert query and query.data and update.effective_user
    svc = services(context)
    _, action, raw = (query.data.split(":") + ["", ""])[:3]
    if not (raw.isdecimal() and raw.isascii()):
        await answer_query(query)
        return
    with svc.db() as session:
        r = reminders.get_reminder(session=session, reminder_id=int(raw))
    if r is None or r.user_id != update.effective_user.id:
        with svc.transaction() as session:
            audit.refused(session=session, actor=update.effective_user.id,
                          action=f"reminder.{action}", target=Ref("reminder", raw),
                          reason="not_yours", at=svc.clock.now())
        await answer_query(query, render("stale_button"))
        return
    now = svc.clock.now()
    if action == "done":
        with svc.transaction() as session:
            changed = reminders.mark_done(session=session, key=r.subject,
                                          region_id=r.payload.get("region", ""),
                                          period=r.period, by=r.user_id, now=now)
            if changed:
                audit.record(session=session, actor=r.user_id, action="deadline.done",
                             target=Ref("deadline", r.subject),
                             after={"region": r.payload.get("region"), "period": r.period},
                             at=now)
        await answer_query(query, render("reminder_answer", action="done", changed=changed))
        await query.edit_message_reply_markup(reply_markup=None)
    elif action == "snooze":
        policy = Policy.from_settings(svc.settings)
        tomorrow = now.astimezone(policy.tz).date() + dt.timedelta(days=1)
        with svc.transaction() as session:
            reminders.snooze(session=session, reminder=r, until=policy.at_morning(tomorrow))
        await answer_query(query, render("reminder_answer", action="snooze", changed=True))
    elif action == "quote":
        entry = svc.kb.by_id.get(r.subject[3:]) if r.subject.startswith("kb:") else None
        await answer_query(query)
        if entry is not None:
            assert update.effective_message
            await update.effective_message.reply_text(render("deadline_quote", entry=entry))
    else:
        await answer_query(query)


def register(app: Application) -> None:
    """Install /deadlines and the reminder buttons."""
    app.add_handler(CommandHandler("deadlines", show))
    app.add_handler(CallbackQueryHandler(past, pattern=r"^dl:past$"))
    app.add_handler(CallbackQueryHandler(on_reminder, pattern=r"^rm:"))
