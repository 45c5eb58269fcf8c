"""/report [本周|本月|本季度|本年] for a supervisor's region and its sub-regions (figures, targets
and a chart photo), and the daily digest's drill-down buttons: a caseworker's overdue list
(dg:w:<id>), a village's households (dg:v:<id>). Every figure comes from storage/ SQL."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.services import services
from handlers.access import actor, permitted, staff_user
from handlers.common import today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from storage.access import Action, Target
from storage.models import User
from storage.repo import households, users
from storage.repo.audit import Ref
from storage.reports import PERIODS, Report, get_village, overdue_of, report
from storage.targets import progress

BY_WORD = {word: key for key, word in PERIODS.items()}


def _home(user: User) -> str:
    return user.home_region_id or ""


MAX_ID_DIGITS = 18  # a Telegram user id or a row id; longer digit strings are forged


async def _team_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> User | None:
    """A supervisor (or admin) of a region, or None after a polite, audited refusal."""
    user = await staff_user(update, context, "report")
    if user is None:
        return None
    svc = services(context)
    home = _home(user)
    path = svc.kb.regions.path(home) if home in svc.kb.regions else ""
    if not await permitted(update, context, user, Action.VIEW_TEAM, Target(path),
                           Ref("region", home or "-")):
        return None
    return user


async def ask_period(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/report: the period given, or buttons to choose it."""
    user = await _team_user(update, context)
    if user is None:
        return
    word = " ".join(context.args or []).strip()
    assert update.effective_message
    if word in BY_WORD:
        await send_report(update, context, user, BY_WORD[word])
        return
    await update.effective_message.reply_text(render("report_period"), reply_markup=Markup(
        [[Button(w, callback_data=f"rp:{k}") for k, w in PERIODS.items()]]))


async def on_period(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """rp:<week|month|quarter|year>."""
    query = update.callback_query
    assert query and query.data
    period = query.data.split(":")[1]
    user = await _team_user(update, context)  # a refusal answers the query itself
    if user is None:
        return
    await answer_query(query)
    if period in PERIODS:
        await send_report(update, context, user, period)


async def send_report(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                      period: str) -> None:
    """The figures as text, then the chart as a photo (drawn off the event loop)."""
    svc = services(context)
    home = _home(user)
    region = svc.kb.regions.get(home).name if home in svc.kb.regions else "全部地区"
    path = actor(svc, user, user.telegram_id).home_path or ""
    with svc.db() as session:
        r = report(session=session, path=path, region=region, period=period,
                   now=svc.clock.now(), tz=svc.settings.tz, regions=svc.kb.regions)
        targets = progress(session=session, kb=svc.kb, region_id=home, tz=svc.settings.tz) \
            if home in svc.kb.regions else []
    assert update.effective_message
    for part in split_message(render("report", r=r, targets=targets, tz=svc.settings.tz)):
        await update.effective_message.reply_text(part)
    png = await asyncio.to_thread(_chart, r, svc.settings.tz)
    await update.effective_message.reply_photo(png, caption=render("report_chart", r=r),
                                               filename="report.png")


async def on_drill(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """dg:w:<caseworker id> or dg:v:<village id> under a digest, checked again now."""
    query = update.callback_query
    assert query and query.data
    _, kind, raw = (query.data.split(":") + ["", ""])[:3]
    user = await _team_user(update, context)  # a refusal answers the query itself
    if user is None:
        return
    if not (raw.isdecimal() and raw.isascii() and len(raw) <= MAX_ID_DIGITS):
        await answer_query(query, render("stale_button"))
        return
    svc = services(context)
    path = actor(svc, user, user.telegram_id).home_path or ""
    assert update.effective_message
    day = today(svc)
    if kind == "w":
        with svc.db() as session:
            worker = users.get_user(session=session, telegram_id=int(raw))
        home = worker.home_region_id if worker else None
        if worker is None or home is None or home not in svc.kb.regions:
            await answer_query(query, render("stale_button"))
            return
        if not await permitted(update, context, user, Action.VIEW_TEAM,
                               Target(svc.kb.regions.path(home)), Ref("user", raw)):
            return
        await answer_query(query)
        with svc.db() as session:
            items = overdue_of(session=session, path=path, owner_id=int(raw), today=day)
        name = worker.display_name or raw
        for part in split_message(render("digest_overdue", worker=name, items=items, today=day)):
            await update.effective_message.reply_text(part)
        return
    with svc.db() as session:
        village = get_village(session=session, village_id=int(raw))
    if village is None:
        await answer_query(query, render("stale_button"))
        return
    if not await permitted(update, context, user, Action.VIEW_TEAM, Target(village.path),
                           Ref("village", raw)):
        return
    await answer_query(query)
    with svc.db() as session:
        rows = households.mine(session=session, today=day, path=village.path, limit=15)
    await update.effective_message.reply_text(
        render("mine", rows=rows, today=day, tz=svc.settings.tz, supervisor=True),
        reply_markup=kb.households([(h.household.id or 0, f"{h.household.head_name} "
                                     f"{h.household.code}") for h in rows], "hh"))


def register(app: Application) -> None:
    """Install /report and the digest's buttons."""
    app.add_handler(CommandHandler("report", ask_period))
    app.add_handler(CallbackQueryHandler(on_period, pattern=r"^rp:"))
    app.add_handler(CallbackQueryHandler(on_drill, pattern=r"^dg:[wv]:"))


def _chart(r: Report, tz: ZoneInfo) -> bytes:
    """The chart, drawn in a worker thread; matplotlib takes ~0.5 s to import, so it is
    imported there on first use rather than when the bot starts."""
    from handlers.ui.charts import report_chart

    return report_chart(r, tz)
