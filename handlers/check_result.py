"""The /check result: the money first, in one message that fits a phone screen; 更多服务 and
还需确认什么 buttons add the rest. The household is kept (a few results per user) so the
buttons work after a restart, and a button of an older result shows that result."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.services import services
from handlers.ui import keyboards
from handlers.ui.messages import screening
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from knowledge.eligibility import screen
from knowledge.profile import Profile

RESULTS = "check_results"  # result id -> the screened household (JSON), newest last
RESULTS_KEPT = 3


def _remember(user_data: dict[str, Any], profile: Profile) -> str:
    kept = user_data.setdefault(RESULTS, {})
    assert isinstance(kept, dict)
    result_id = str(max((int(k) for k in kept), default=0) + 1)
    kept[result_id] = profile.model_dump(mode="json")
    while len(kept) > RESULTS_KEPT:
        del kept[next(iter(kept))]
    return result_id


async def send_result(update: Update, context: ContextTypes.DEFAULT_TYPE,
                      profile: Profile) -> None:
    """Screen the household and send the first message with its two buttons."""
    svc = services(context)
    parts = screening(svc.kb, profile, screen(svc.kb, profile))
    result_id = _remember(context.user_data if context.user_data is not None else {}, profile)
    markup = keyboards.check_details(result_id, services=parts.services_count,
                                     open_items=parts.open_count)
    assert update.effective_message
    chunks = split_message(parts.first)
    for i, chunk in enumerate(chunks):
        await update.effective_message.reply_text(
            chunk, reply_markup=markup if i == len(chunks) - 1 else None)


async def show_details(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """cr:<result>:s (更多服务) or cr:<result>:o (还需确认什么): add that part as a message
    and take its button off the result."""
    query = update.callback_query
    assert query and query.data and update.effective_message
    _, result_id, part = (query.data.split(":") + ["", ""])[:3]
    kept = (context.user_data or {}).get(RESULTS, {})
    raw = kept.get(result_id) if isinstance(kept, dict) else None
    if raw is None or part not in ("s", "o"):
        await answer_query(query, render("check_result_gone"), show_alert=True)
        return
    await answer_query(query)
    svc = services(context)
    profile = Profile.model_validate(raw)
    parts = screening(svc.kb, profile, screen(svc.kb, profile))
    text = parts.services if part == "s" else parts.open
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    if markup is not None:
        left = [[b for b in row if b.callback_data != query.data]
                for row in markup.inline_keyboard]
        await query.edit_message_reply_markup(
            keyboards.InlineKeyboardMarkup([r for r in left if r]) if any(left) else None)
    for chunk in split_message(text or render("check_result_gone")):
        await update.effective_message.reply_text(chunk)


def register(app: Application) -> None:
    """Install the result buttons (outside the screener conversation: it has ended)."""
    app.add_handler(CallbackQueryHandler(show_details, pattern=r"^cr:"))
