"""The message and buttons of one reminder occurrence (deadline, follow-up, escalation,
personal), rendered when it is sent, so it says what is true then."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from handlers.ui.render import render
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
    household = info.get("household")
    if r.kind == "escalation" and household is not None:
        return Markup([[Button("查看这户", callback_data=f"hh:{household.id}")]])
    return None


def render_reminder(r: Reminder, info: dict[str, Any], *, late: bool,
                    tz: ZoneInfo) -> tuple[str, Markup | None]:
    """(Telegram HTML, buttons) of a reminder."""
    today = r.due_at.astimezone(tz).date()
    due = dt.date.fromisoformat(r.payload["due"]) if "due" in r.payload else None
    text = render("reminder", r=r, info=info, late=late, due=due, today=today,
                  overdue_days=(today - info["followup"].due_on).days
                  if info.get("followup") is not None else 0)
    return text, _markup(r, info)
