"""What several journeys share: the user's region, answering a question, the region choice,
the command menu, and leaving a journey when another command comes in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes

from bot.services import Services, services
from handlers.ui import keyboards
from handlers.ui.menus import commands_for
from handlers.ui.messages import answer_html
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from knowledge.answer import Answer, Outcome, answer
from knowledge.loader import entry_key
from knowledge.privacy import mask_personal
from knowledge.text import compact
from storage import read_ahead
from storage.models import QueryEventKind, Role
from storage.repo import events, state, users

ASKED_KEEP = 20  # enough for the buttons a user can still reasonably press
PENDING_QUESTION = "pending_question"  # asked before a region was chosen; answered after
MAX_REGION_NAME = 12  # a typed region name is short; longer text is a question


def today(svc: Services) -> dt.date:
    """Today's date in the bot's time zone (Asia/Shanghai): due dates are calendar days."""
    return svc.clock.now().astimezone(svc.settings.tz).date()


# -- the region ----------------------------------------------------------------------------
def user_region(svc: Services, telegram_id: int) -> str | None:
    """The user's saved region id, if any (and still in the tree). The users table is the
    only copy: a second process or a restart sees the same value. Read with the chat's state
    before the update when the application does that (storage.read_ahead)."""
    read, region = read_ahead.region_read(telegram_id)
    if not read:
        with svc.connect() as conn:
            region = users.region_of(conn=conn, telegram_id=telegram_id)
    return region if region in svc.kb.regions else None


def county_choice(svc: Services, city_id: str, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons that ask for a county of the city (a page of them)."""
    city = svc.kb.regions.get(city_id)
    markup = keyboards.counties(svc.kb.regions, city.id, whole_city=svc.kb.has_data_for(city.id),
                                page=page, covered=svc.kb.has_data_for)
    return render("region_county", city=city.name), markup


async def save_region(update: Update, context: ContextTypes.DEFAULT_TYPE, region_id: str, *,
                      edit: bool) -> None:
    """Store the region, confirm it, and answer a question that was waiting for it."""
    svc = services(context)
    assert update.effective_user and update.effective_message
    with svc.transaction() as session:
        users.set_region(session=session, telegram_id=update.effective_user.id,
                         region_id=region_id)
    region = svc.kb.regions.get(region_id)
    text = render("region_set", region=region.name, covered=svc.kb.has_data_for(region_id))
    if edit and update.callback_query:
        await update.callback_query.edit_message_text(text)
    else:
        await update.effective_message.reply_text(text)
    pending = context.user_data.pop(PENDING_QUESTION, None) if context.user_data else None
    if pending:
        await reply_answer(update, context, pending, region_id)
    for journey in journeys(context.application):  # an open /check goes on where it was
        if journey.region_chosen is not None:
            await journey.region_chosen(update, context, region_id)


async def drop_draft_and_say(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str,
                             text: str) -> None:
    """End a button conversation: forget its draft, then edit the pressed message or reply."""
    if context.user_data is not None:
        context.user_data.pop(key, None)
    if update.callback_query:
        await answer_query(update.callback_query)
        await update.callback_query.edit_message_text(text)
    elif update.effective_message:
        await update.effective_message.reply_text(text)


# -- answering -----------------------------------------------------------------------------
def markup_for(ans: Answer) -> InlineKeyboardMarkup | None:
    """有用/没用 under an answer; one button per option under 您是想问."""
    if ans.outcome == Outcome.ANSWERED and ans.entry is not None:
        return keyboards.feedback(entry_key(ans.entry.id))
    if ans.outcome == Outcome.CLARIFY:
        return keyboards.clarify([(entry_key(m.entry.id), m.entry.item.title)
                                  for m in ans.matches])
    return None


def remember_question(svc: Services, telegram_id: int, message_id: int, question: str) -> None:
    """Note which question a bot message answers (masked; only the last few are kept)."""
    with svc.begin() as conn:
        state.remember_question(conn=conn, telegram_id=telegram_id, message_id=message_id,
                                question=mask_personal(question), keep=ASKED_KEEP,
                                now=svc.clock.now())


def question_for(svc: Services, telegram_id: int, message_id: int | None) -> str:
    """The question a bot message answered, or "" once it has been forgotten."""
    if message_id is None:
        return ""
    with svc.connect() as conn:
        return state.question_of(conn=conn, telegram_id=telegram_id, message_id=message_id) or ""


async def send_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, ans: Answer,
                      question: str) -> None:
    """Send an answer, split under Telegram's limit, buttons on the last part; the message
    with the buttons remembers its question, so a vote or pick is logged against it."""
    assert update.effective_message
    svc = services(context)
    parts = split_message(answer_html(ans, svc.kb, buttons=True))
    markup = markup_for(ans)
    for i, part in enumerate(parts):
        sent = await update.effective_message.reply_text(
            part, reply_markup=markup if i == len(parts) - 1 else None)
    if markup is not None and update.effective_user is not None:
        remember_question(svc, update.effective_user.id, sent.message_id, question)


async def reply_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str,
                       region_id: str) -> None:
    """Answer a question for a region and log it if we could not."""
    svc = services(context)
    ans = answer(question, region_id=region_id, kb=svc.kb, matcher=svc.matcher)
    if ans.outcome == Outcome.NOT_FOUND:
        with svc.transaction() as session:
            events.log_event(session=session, kind=QueryEventKind.UNANSWERED,
                             region_id=region_id, question=question)
    await send_answer(update, context, ans, question)


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: a region name sets the region; anything else is a question for the user's
    region (without one, the question waits until the region is chosen)."""
    svc = services(context)
    message = update.effective_message
    assert message and message.text is not None and update.effective_user
    text = message.text
    if not compact(text):  # blank, or only spaces and invisible characters
        await message.reply_text(render("empty"))
        return
    typed_region = svc.kb.regions.resolve(text) if len(text) <= MAX_REGION_NAME else None
    if typed_region is not None and typed_region.level == "province":
        # 辽宁: the documents belong to its cities and districts: start from the city buttons
        await message.reply_text(render("region_pick"),
                                 reply_markup=keyboards.cities(svc.kb.regions))
        return
    if (typed_region is not None and svc.kb.regions.children(typed_region.id)
            and not svc.kb.has_data_for(typed_region.id)):
        # 铁岭: no city-wide document, only its districts' (清河区), so ask which district
        prompt, markup = county_choice(svc, typed_region.id)
        await message.reply_text(prompt, reply_markup=markup)
        return
    if typed_region is not None:
        await save_region(update, context, typed_region.id, edit=False)
        return
    region_id = user_region(svc, update.effective_user.id)
    if region_id is None:
        if context.user_data is not None:
            context.user_data[PENDING_QUESTION] = mask_personal(text)
        await message.reply_text(render("region_first"),
                                 reply_markup=keyboards.cities(svc.kb.regions))
        return
    await reply_answer(update, context, text, region_id)


# -- the menu ------------------------------------------------------------------------------
async def publish_default_menu(app: Application) -> None:
    """The residents' command menu for every chat (roles get theirs per chat, when they get
    the role); Bot API servers without setMyCommands (the e2e emulator) are tolerated."""
    try:
        await app.bot.set_my_commands(commands_for(Role.RESIDENT))
    except Exception:
        app.bot_data.setdefault("warnings", []).append("set_my_commands failed")


# -- journeys and leaving them -------------------------------------------------------------
Hook = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass(frozen=True)
class Journey:
    """A conversation that keeps a draft: its own commands, and how to leave it.

    Any other command ends it, except `pauses`: those run as usual and the journey keeps its
    draft, then `paused` offers to go on (a 继续 button); `region_chosen` hears of a region
    the user picks meanwhile (by button or by name)."""

    name: str  # 自查, shown in "已退出自查"
    restart: str  # the command that starts it again
    commands: frozenset[str]  # commands that belong to it and do not leave it (/cancel ...)
    leave: Callable[[ContextTypes.DEFAULT_TYPE, int], bool]  # drop the draft; True if open
    pauses: frozenset[str] = frozenset()  # /help, /region: shown, then the journey goes on
    paused: Hook | None = None  # after a pausing command: offer to go on, if still open
    region_chosen: Callable[[Update, ContextTypes.DEFAULT_TYPE, str], Awaitable[None]] | None \
        = None
    keeps_draft: bool = False  # leaving keeps the draft, and `restart` resumes it


JOURNEYS_KEY = "bangfu.journeys"


def add_journey(app: Application, journey: Journey) -> None:
    """Register a journey, so that any other command ends it (see handlers/fallback.py)."""
    app.bot_data.setdefault(JOURNEYS_KEY, []).append(journey)


def journeys(app: Application) -> list[Journey]:
    """Every registered journey."""
    found = app.bot_data.get(JOURNEYS_KEY, [])
    assert isinstance(found, list)
    return found


def leave_other_journeys(context: ContextTypes.DEFAULT_TYPE, user_id: int, keep: str) -> None:
    """A journey started by a button (not a command) ends or pauses the others, so that the
    user's next typed text goes to the journey they are in now."""
    for journey in journeys(context.application):
        if journey.name != keep:
            journey.leave(context, user_id)
