"""The message and buttons of one reminder occurrence (deadline, follow-up, escalation,
personal), rendered when it is sent, so it says what is true then."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from handlers.ui.render import render
from storage.digest import Digest
from storage.models import Reminder


def _markup(r: Reminder, info: dict[str, Any]) -> Markup | None:
    if r.kind == "deadline":
        row = [Button("✅ 已完成", callback_data=f"rm:done:{r.id}"),
               Button("⏰ 明天再提醒", callback_data=f"rm:snooze:{r.id}")]
        if "entry" in info:
            row.append(Button("📄 查看原文", callback_data=f"rm:quote:{r.id}"))
        return Markup([row])
    item = info.get("followup")
    if r.kind == "followup" and item is not None:
        return Markup([[Button("✅ 完成", callback_data=f"fu:{item.id}:done"),
                        Button("📅 延期", callback_data=f"fu:{item.id}:later")]])
    if r.kind == "digest" and "digest" in info:
        return digest_buttons(info["digest"])
    household = info.get("household")
    if r.kind == "escalation" and household is not None:
        return Markup([[Button("查看这户", callback_data=f"hh:{household.id}")]])
    return None


DIGEST_BUTTONS = 4  # of each kind: a phone screen


def digest_buttons(d: Digest) -> Markup | None:
    """Drill-down: a caseworker's overdue list (dg:w:<id>), a village's households
    (dg:v:<id>); short, stable callback data, checked again when pressed."""
    rows = [[Button(f"⚠️ {w.name}的逾期（{w.values[0]}）", callback_data=f"dg:w:{w.id}")]
            for w in d.overdue[:DIGEST_BUTTONS]]
    rows += [[Button(f"🏠 {v.name}的帮扶户", callback_data=f"dg:v:{v.id}")]
             for v in d.villages[:DIGEST_BUTTONS]]
    return Markup(rows) if rows else None


def render_reminder(r: Reminder, info: dict[str, Any], *, late: bool,
                    tz: ZoneInfo) -> tuple[str, Markup | None]:
    """(Telegram HTML, buttons) of a reminder."""
    today = r.due_at.astimezone(tz).date()
    due = dt.date.fromisoformat(r.payload["due"]) if "due" in r.payload else None
    text = render("reminder", r=r, info=info, late=late, due=due, today=today,
                  overdue_days=(today - info["followup"].due_on).days
                  if info.get("followup") is not None else 0)
    return text, _markup(r, info)
