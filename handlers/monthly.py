"""/monthly: a draft of the month's 帮扶情况 report for the supervisor's region (进展,
资金/措施落实, 亮点和问题), generated from storage.monthly figures, shown section by section
with 修改 buttons (the supervisor types the replacement), then 导出 Word or 导出文本.

The draft lives in user_data, which SQLPersistence keeps in the database: it survives a
restart and is the same on every process. The typed replacement is a persistent
ConversationHandler state.

    /monthly [上月|YYYY-MM] -> head, 3 sections (mo:edit:<key>), actions (mo:word|text|regen)
    mo:edit:<key> -> EDIT (typed text replaces the section) -> the section again
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
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
from handlers.access import actor, permitted, staff_user
from handlers.common import Journey, add_journey, leave_other_journeys, today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message, to_plain
from storage import monthly
from storage.access import Action, Target
from storage.models import User
from storage.repo.audit import Ref

DRAFT, EDITING = "monthly_draft", "monthly_editing"
JOURNEY = "月报"
SECTIONS = {"progress": "一、工作进展", "measures": "二、资金和措施落实",
            "issues": "三、亮点和问题"}
MAX_SECTION = 1500  # characters of one typed section: a page of the report
END = ConversationHandler.END


class State(IntEnum):
    """Waiting for the typed text of a section."""

    EDIT = 1


FIRST_YEAR = 2000  # before it there is no programme to report on (and 0000-01 is no date)


def _month(svc: Services, arg: str) -> monthly.Month | None:
    day = today(svc)
    if arg in ("", "本月"):
        return monthly.month_of(day.year, day.month, svc.settings.tz)
    if arg == "上月":
        last = day.replace(day=1) - dt.timedelta(days=1)
        return monthly.month_of(last.year, last.month, svc.settings.tz)
    found = re.fullmatch(r"(\d{4})[-年/.](\d{1,2})月?", arg)
    if found and 1 <= int(found[2]) <= 12 and (FIRST_YEAR, 1) <= (int(found[1]), int(
            found[2])) <= (day.year, day.month):  # a month that has begun, after the programme
        return monthly.month_of(int(found[1]), int(found[2]), svc.settings.tz)
    return None


def _generate(svc: Services, user: User, month: monthly.Month) -> dict[str, Any]:
    """A fresh draft from the figures (computed by the database)."""
    home = user.home_region_id or ""
    region = svc.kb.regions.get(home).name if home in svc.kb.regions else "本地区"
    as_of = min(today(svc), month.last_day)
    with svc.db() as session:
        figures = monthly.figures(session=session, path=actor(svc, user, user.telegram_id)
                                  .home_path or "", month=month, as_of=as_of,
                                  regions=svc.kb.regions)
    label = f"{month.year}年{month.month}月"
    texts = {key: to_plain(render("monthly_section", section=key, f=figures, region=region,
                                  month=label, as_of=f"{as_of.month}月{as_of.day}日"))
             for key in SECTIONS}
    return {"month": month.key, "region": home, "title": f"{region}{label}帮扶情况",
            "as_of": as_of.isoformat(), "sections": texts, "edited": []}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/monthly: the stored draft of that month, or a new one."""
    user = await staff_user(update, context, "monthly")
    if user is None or context.user_data is None:
        return END
    svc = services(context)
    home = actor(svc, user, user.telegram_id).home_path
    if not await permitted(update, context, user, Action.VIEW_TEAM, Target(home or ""),
                           Ref("report", f"monthly:{user.home_region_id}")):
        return END
    assert update.effective_message
    month = _month(svc, " ".join(context.args or []).strip())
    if month is None:
        await update.effective_message.reply_text(render("monthly", step="bad_month"))
        return END
    context.user_data.pop(EDITING, None)
    draft = context.user_data.get(DRAFT)
    if not (isinstance(draft, dict) and draft.get("month") == month.key
            and draft.get("region") == (user.home_region_id or "")):
        draft = context.user_data[DRAFT] = _generate(svc, user, month)
    await _show(update, draft)
    return END


async def _show(update: Update, draft: dict[str, Any]) -> None:
    assert update.effective_message
    as_of = dt.date.fromisoformat(draft["as_of"])
    edited = [SECTIONS[k] for k in draft["edited"]]
    await update.effective_message.reply_text(render(
        "monthly", step="head", title=draft["title"], as_of=f"{as_of.month}月{as_of.day}日",
        edited=edited))
    for key in SECTIONS:
        await _send_section(update, draft, key)
    await update.effective_message.reply_text(render("monthly", step="actions"),
                                              reply_markup=kb.monthly_actions())


async def _send_section(update: Update, draft: dict[str, Any], key: str) -> None:
    assert update.effective_message
    text = render("monthly", step="section", heading=SECTIONS[key],
                  text=draft["sections"][key], edited=key in draft["edited"])
    parts = split_message(text)
    for i, part in enumerate(parts):
        await update.effective_message.reply_text(
            part, reply_markup=kb.monthly_edit(key, SECTIONS[key].split("、")[1])
            if i == len(parts) - 1 else None)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """mo:edit:<key>, mo:word, mo:text, mo:regen."""
    query = update.callback_query
    assert query and query.data and update.effective_message
    user = await staff_user(update, context, "monthly")
    draft = context.user_data.get(DRAFT) if context.user_data is not None else None
    if user is None:  # refused: the refusal has answered the query
        return END
    if context.user_data is None:
        await answer_query(query)
        return END
    svc = services(context)
    home = actor(svc, user, user.telegram_id).home_path
    if not await permitted(update, context, user, Action.VIEW_TEAM, Target(home or ""),
                           Ref("report", f"monthly:{user.home_region_id}")):
        return END
    await answer_query(query)
    if not isinstance(draft, dict):
        await update.effective_message.reply_text(render("monthly", step="no_draft"))
        return END
    parts = query.data.split(":")[1:]
    if parts[:1] == ["edit"] and len(parts) == 2 and parts[1] in SECTIONS:
        leave_other_journeys(context, user.telegram_id, keep=JOURNEY)
        context.user_data[EDITING] = parts[1]
        await update.effective_message.reply_text(render(
            "monthly", step="ask", heading=SECTIONS[parts[1]], limit=MAX_SECTION))
        return State.EDIT
    if parts == ["word"]:
        content = await asyncio.to_thread(_docx, draft["title"], _subtitle(draft),
                                          [(SECTIONS[k], draft["sections"][k])
                                           for k in SECTIONS])
        await update.effective_message.reply_document(
            io.BytesIO(content), filename=f"{draft['title']}.docx")
    elif parts == ["text"]:
        for part in split_message(_text(draft)):
            await update.effective_message.reply_text(part)
    elif parts == ["regen"]:
        month = _month(svc, draft["month"])
        if month is not None:
            draft = context.user_data[DRAFT] = _generate(svc, user, month)
            await _show(update, draft)
    return END


def _subtitle(draft: dict[str, Any]) -> str:
    as_of = dt.date.fromisoformat(draft["as_of"])
    return f"（数据截至{as_of.year}年{as_of.month}月{as_of.day}日）"


def _text(draft: dict[str, Any]) -> str:
    """The whole report for copying (Telegram HTML, escaped)."""
    return render("monthly_text", title=draft["title"] + _subtitle(draft),
                  sections=[(SECTIONS[k], draft["sections"][k]) for k in SECTIONS])


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The typed replacement of the section being edited."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    key = context.user_data.get(EDITING)
    draft = context.user_data.get(DRAFT)
    user = await staff_user(update, context, "monthly")
    if user is None or key not in SECTIONS or not isinstance(draft, dict):
        context.user_data.pop(EDITING, None)
        return END
    text = message.text.strip()
    if len(text) > MAX_SECTION:
        await message.reply_text(render("monthly", step="too_long", length=len(text),
                                        limit=MAX_SECTION))
        return State.EDIT
    draft["sections"][key] = text
    draft["edited"] = sorted({*draft["edited"], key}, key=list(SECTIONS).index)
    context.user_data[DRAFT] = draft
    context.user_data.pop(EDITING, None)
    await _send_section(update, draft, key)
    await message.reply_text(render("monthly", step="actions"),
                             reply_markup=kb.monthly_actions())
    return END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel while a section is being typed: the draft stays as it was."""
    if context.user_data is not None:
        context.user_data.pop(EDITING, None)
    assert update.effective_message
    await update.effective_message.reply_text(render("monthly", step="cancelled"))
    return END


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command drops a half-typed section (the draft itself is kept)."""
    return context.user_data is not None and context.user_data.pop(EDITING, None) is not None


def register(app: Application) -> None:
    """Install /monthly and its buttons."""
    add_journey(app, Journey(name=JOURNEY, restart="monthly",
                             commands=frozenset({"monthly", "cancel"}), leave=leave,
                             keeps_draft=True))
    app.add_handler(ConversationHandler(
        entry_points=[CommandHandler("monthly", start),
                      CallbackQueryHandler(on_button, pattern=r"^mo:")],
        states={State.EDIT: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                             CallbackQueryHandler(on_button, pattern=r"^mo:")]},
        fallbacks=[CommandHandler("cancel", cancel), CommandHandler("monthly", start)],
        name="monthly", persistent=True, allow_reentry=True,
    ))


def _docx(*args: Any) -> bytes:
    """The .docx, built in a worker thread; python-docx and lxml are imported there on
    first use rather than when the bot starts."""
    from handlers.ui.monthly_doc import docx_bytes

    return docx_bytes(*args)
