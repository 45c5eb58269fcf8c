"""An office's own deadline, added by a supervisor in the chat (from /deadlines → ➕):
title, kind of rule, when, who must act, how early to remind; then saved and audited.
Offices' deadlines are listed under 管理本单位期限, where their reminders change or they end."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
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
from handlers.common import Journey, add_journey, drop_draft_and_say, leave_other_journeys, today
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from knowledge.calendar import Rule, describe, rule_from_text
from storage.access import Action, Target
from storage.models import Role, User
from storage.repo import audit, reminders
from storage.repo.audit import Ref

JOURNEY = "新增期限"
DRAFT = "deadline_draft"
END = ConversationHandler.END
MAX_TITLE = 60
KINDS = (("once", "一次性（某一天）"), ("monthly", "每月"), ("quarterly", "每季度"),
         ("half_yearly", "每半年"), ("yearly", "每年"))
LEADS = (("7,1", "提前7天和1天"), ("3,1", "提前3天和1天"), ("14,3", "提前14天和3天"),
         ("0", "只在当天"))


class State(IntEnum):
    """Flow: TITLE (typed) -> KIND -> WHEN (typed) -> LEVEL -> LEAD -> CONFIRM."""

    TITLE = 1
    KIND = 2
    WHEN = 3
    LEVEL = 4
    LEAD = 5
    CONFIRM = 6


def _buttons(options: Any, prefix: str) -> Markup:
    rows = [[Button(label, callback_data=f"dn:{prefix}:{value}")] for value, label in options]
    return Markup([*rows, [Button("✖ 取消", callback_data="dn:cancel")]])


async def _supervisor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> User | None:
    """A supervisor (or admin) with a home region; others are refused and audited."""
    user = await staff_user(update, context, "deadlines")
    if user is None:
        return None
    svc = services(context)
    home = user.home_region_id or ""
    path = svc.kb.regions.path(home) if home in svc.kb.regions else ""
    if user.role not in (Role.SUPERVISOR, Role.ADMIN) or not path:
        await permitted(update, context, user, Action.VIEW_TEAM, Target(path or "-"),
                        Ref("deadline", "new"))
        return None
    return user


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:start: the title first."""
    query = update.callback_query
    assert query and context.user_data is not None
    if await _supervisor(update, context) is None:
        return END
    await answer_query(query)
    leave_other_journeys(context, update.effective_user.id, keep=JOURNEY)  # type: ignore[union-attr]
    context.user_data[DRAFT] = {}
    assert update.effective_message
    await update.effective_message.reply_text(render("deadline_new", step="title",
                                                     limit=MAX_TITLE))
    return State.TITLE


async def on_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The typed title."""
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    title = message.text.strip()
    if draft is None:
        return END
    if not title or len(title) > MAX_TITLE:
        await message.reply_text(render("deadline_new", step="title", limit=MAX_TITLE))
        return State.TITLE
    draft["title"] = title
    await message.reply_text(render("deadline_new", step="kind", d=draft),
                             reply_markup=_buttons(KINDS, "kind"))
    return State.KIND


async def on_kind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:kind:<recurrence>: then when, typed (月底 / 季末 also as a button)."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    kind = query.data.split(":")[2]
    await answer_query(query)
    if draft is None or kind not in dict(KINDS):
        return END
    draft["kind"] = kind
    shortcut = {"monthly": "月底", "quarterly": "季末", "half_yearly": "半年末"}.get(kind)
    markup = _buttons([(shortcut, shortcut)], "when") if shortcut else None
    await query.edit_message_text(render("deadline_new", step="when", d=draft),
                                  reply_markup=markup)
    return State.WHEN


async def _when(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> int:
    assert context.user_data is not None and update.effective_message
    svc = services(context)
    draft = context.user_data.get(DRAFT)
    if draft is None or "kind" not in draft:
        return END
    rule = rule_from_text(draft["kind"], text, today(svc))
    if rule is None:
        await update.effective_message.reply_text(render("deadline_new", step="bad_when",
                                                         d=draft))
        return State.WHEN
    draft["rule"] = rule.model_dump(mode="json", exclude_defaults=True)
    user = await _supervisor(update, context)
    if user is None:
        return END
    region = svc.kb.regions.get(user.home_region_id or "")
    options = [(region.level, f"本级（{region.name}）")]
    if region.level in ("county", "city") and svc.kb.regions.children(region.id):
        options.append(("town", "各镇（街道）"))
    await update.effective_message.reply_text(
        render("deadline_new", step="level", d=draft, when=describe(rule)),
        reply_markup=_buttons(options, "level"))
    return State.LEVEL


async def on_when_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The typed date or day."""
    assert update.effective_message and update.effective_message.text is not None
    return await _when(update, context, update.effective_message.text)


async def on_when_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:when:月底 / 季末 / 半年末."""
    query = update.callback_query
    assert query and query.data
    await answer_query(query)
    return await _when(update, context, query.data.split(":", 2)[2])


async def on_level(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:level:<level>: then how early."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    await answer_query(query)
    if draft is None:
        return END
    draft["level"] = query.data.split(":")[2]
    await query.edit_message_text(render("deadline_new", step="lead", d=draft),
                                  reply_markup=_buttons(LEADS, "lead"))
    return State.LEAD


async def on_lead(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:lead:<days>: the summary to confirm."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    await answer_query(query)
    value = query.data.split(":")[2]
    if draft is None or value not in dict(LEADS):
        return END
    draft["lead"] = [int(n) for n in value.split(",") if n != "0"]
    await query.edit_message_text(
        render("deadline_new", step="confirm", d=draft,
               when=describe(Rule.model_validate(draft["rule"])), lead=dict(LEADS)[value]),
        reply_markup=_buttons([("yes", "✅ 保存")], "save"))
    return State.CONFIRM


async def on_save(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:save:yes: stored with its author, audited."""
    query = update.callback_query
    assert query and context.user_data is not None
    svc = services(context)
    user = await _supervisor(update, context)
    draft = context.user_data.pop(DRAFT, None)
    if user is None:  # refused: the refusal has answered the query
        return END
    if draft is None or "lead" not in draft:
        await answer_query(query)
        return END
    with svc.transaction() as session:
        row = reminders.add_deadline(session=session, region_id=user.home_region_id or "",
                                     title=draft["title"], rule=draft["rule"],
                                     level=draft["level"], remind_days=draft["lead"] or [0],
                                     by=f"tg:{user.telegram_id}", now=svc.clock.now())
        audit.record(session=session, actor=user.telegram_id, action="deadline.add",
                     target=Ref("deadline", f"db:{row.id}"), after=draft, at=svc.clock.now())
    await answer_query(query)
    await query.edit_message_text(render("deadline_new", step="saved", d=draft))
    return END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """dn:cancel or /cancel."""
    await drop_draft_and_say(update, context, DRAFT, render("deadline_new", step="cancelled"))
    return END


async def manage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """dn:manage: the office's deadlines with 结束 buttons; dn:end:<id> ends one."""
    query = update.callback_query
    assert query and query.data
    user = await _supervisor(update, context)
    if user is None:
        return
    svc = services(context)
    parts = query.data.split(":")
    if parts[1] == "end" and parts[2:] and parts[2].isdecimal() and parts[2].isascii():
        with svc.transaction() as session:
            row = reminders.get_deadline(session=session, deadline_id=int(parts[2]))
            if row is not None and row.region_id == user.home_region_id and row.ended_at is None:
                row.ended_at = svc.clock.now()
                session.add(row)
                audit.record(session=session, actor=user.telegram_id, action="deadline.end",
                             target=Ref("deadline", f"db:{row.id}"), before={"title": row.title},
                             at=svc.clock.now())
    with svc.db() as session:
        rows = reminders.office_deadlines(session=session, region_ids=[user.home_region_id or ""])
    await answer_query(query)
    buttons = [[Button(f"结束：{r.title}"[:30], callback_data=f"dn:end:{r.id}")] for r in rows]
    await query.edit_message_text(
        render("deadline_manage", rows=rows, describe=lambda r: describe(Rule.model_validate(
            r.rule))), reply_markup=Markup(buttons) if buttons else None)


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command drops the half-made deadline."""
    return context.user_data is not None and context.user_data.pop(DRAFT, None) is not None


def register(app: Application) -> None:
    """Install the conversation and the management buttons."""
    add_journey(app, Journey(name=JOURNEY, restart="deadlines",
                             commands=frozenset({"cancel"}), leave=leave))
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(ConversationHandler(
        entry_points=[CallbackQueryHandler(begin, pattern=r"^dn:start$")],
        states={
            State.TITLE: [MessageHandler(text, on_title)],
            State.KIND: [CallbackQueryHandler(on_kind, pattern=r"^dn:kind:")],
            State.WHEN: [MessageHandler(text, on_when_text),
                         CallbackQueryHandler(on_when_button, pattern=r"^dn:when:")],
            State.LEVEL: [CallbackQueryHandler(on_level, pattern=r"^dn:level:")],
            State.LEAD: [CallbackQueryHandler(on_lead, pattern=r"^dn:lead:")],
            State.CONFIRM: [CallbackQueryHandler(on_save, pattern=r"^dn:save:")],
        },
        fallbacks=[CallbackQueryHandler(cancel, pattern=r"^dn:cancel$")],
        name="deadline_new", persistent=True, allow_reentry=True,
    ))
    app.add_handler(CallbackQueryHandler(manage, pattern=r"^dn:(manage|end:\d+)$"))
