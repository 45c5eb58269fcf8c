"""Shared reply steps of the question journey: look up the region, answer, attach buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.render import split_message
from bot.replies import answer_html
from bot.services import Services, services
from knowledge.answer import Answer, Outcome, answer
from knowledge.privacy import mask_personal
from storage import repo
from storage.models import QueryEventKind

ASKED = "asked"  # bot message id -> the (masked) question it answers, for votes and picks
ASKED_KEEP = 20  # enough for the buttons a user can still reasonably press
REGION = "region_id"  # a per-user copy of the database value: saves a query per message


def user_region(svc: Services, telegram_id: int,
                user_data: dict[str, object] | None = None) -> str | None:
    """The user's saved region id, if any (and still in the tree); the database decides."""
    cached = (user_data or {}).get(REGION)
    if isinstance(cached, str) and cached in svc.kb.regions:
        return cached
    with svc.db() as session:
        user = repo.get_user(session=session, telegram_id=telegram_id)
    region = user.region_id if user else None
    if region in svc.kb.regions:
        if user_data is not None:
            user_data[REGION] = region
        return region
    return None


def entry_index(svc: Services, entry_id: str) -> int:
    """Position of an entry in the KB: short callback_data that survives a restart."""
    return svc.kb.index_of[entry_id]


def markup_for(svc: Services, ans: Answer) -> InlineKeyboardMarkup | None:
    """有用/没用 under an answer; one button per option under 您是想问."""
    if ans.outcome == Outcome.ANSWERED and ans.entry is not None:
        return keyboards.feedback(entry_index(svc, ans.entry.id))
    if ans.outcome == Outcome.CLARIFY:
        return keyboards.clarify([(entry_index(svc, m.entry.id), m.entry.item.title)
                                  for m in ans.matches])
    return None


def remember_question(user_data: dict[str, object] | None, message_id: int,
                      question: str) -> None:
    """Note which question a bot message answers (masked; only the last few are kept)."""
    if user_data is None:
        return
    asked = user_data.setdefault(ASKED, {})
    assert isinstance(asked, dict)
    asked[message_id] = mask_personal(question)
    while len(asked) > ASKED_KEEP:
        del asked[next(iter(asked))]


def question_for(user_data: dict[str, object] | None, message_id: int | None) -> str:
    """The question a bot message answered, or "" once it has been forgotten."""
    asked = (user_data or {}).get(ASKED)
    found = asked.get(message_id, "") if isinstance(asked, dict) else ""
    return found if isinstance(found, str) else ""


async def send_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, ans: Answer,
                      question: str) -> None:
    """Send an answer, split under Telegram's limit, buttons on the last part; the message
    with the buttons remembers its question, so a vote or pick is logged against it."""
    assert update.effective_message
    svc = services(context)
    parts = split_message(answer_html(ans, svc.kb, buttons=True))
    for i, part in enumerate(parts):
        markup = markup_for(svc, ans) if i == len(parts) - 1 else None
        sent = await update.effective_message.reply_text(part, reply_markup=markup)
    if markup is not None:
        remember_question(context.user_data, sent.message_id, question)


async def reply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str,
                       region_id: str) -> None:
    """Answer a question for a region and log it if we could not."""
    svc = services(context)
    ans = answer(question, region_id=region_id, kb=svc.kb, matcher=svc.matcher)
    if ans.outcome == Outcome.NOT_FOUND:
        with svc.db() as session:
            repo.log_event(session=session, kind=QueryEventKind.UNANSWERED, region_id=region_id,
                           question=question)
    await send_answer(update, context, ans, question)
