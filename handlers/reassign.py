"""转给其他干部: a supervisor gives a household of their region to another caseworker of the
region (household page button -> caseworker list -> confirm); audited in the same
transaction, and both caseworkers are told.

    ra:<household>             the list of caseworkers
    ra:<household>:<user>      confirm?
    ra:<household>:<user>:yes  done (a second tap changes nothing)
    ra:<household>:x           cancelled
"""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.services import Services, services
from handlers.access import permitted, staff_user
from handlers.casework import load, target
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from storage.access import Action, Target
from storage.models import Household, Role, User
from storage.repo import households, staff, users
from storage.repo.audit import Ref


def _region_ids(svc: Services, user: User) -> list[str]:
    """The supervisor's home region and everything below it (an admin without one: all)."""
    tree = svc.kb.regions
    home = user.home_region_id
    if home is None or home not in tree:
        return [r.id for r in tree] if user.role == Role.ADMIN else []
    return [home, *(r.id for r in tree.descendants(home))]


def _names(svc: Services, *ids: int | None) -> dict[int | None, str]:
    with svc.db() as session:
        found = {i: users.get_user(session=session, telegram_id=i) for i in ids if i}
    return {i: (u.display_name or str(i)) if u else "" for i, u in found.items()}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ra: button; each step checks the access rules again (buttons can be forged)."""
    query = update.callback_query
    assert query and query.data
    parts = query.data.split(":")[1:]
    user = await staff_user(update, context, "reassign")
    if user is None:  # refused: the refusal has answered the query
        return
    if not parts or not (parts[0].isdecimal() and parts[0].isascii()):
        await answer_query(query)
        return
    svc = services(context)
    h = load(svc, int(parts[0]))
    if h is None:
        await answer_query(query, render("stale_button"))
        return
    if not await permitted(update, context, user, Action.REASSIGN_HOUSEHOLD, target(h),
                           Ref("household", h.code)):
        return
    if len(parts) == 1:
        await _choose(update, svc, user, h)
    elif parts[1] == "p" and len(parts) == 3 and parts[2].isdecimal() and parts[2].isascii() \
            and len(parts[2]) <= 3:
        await _choose(update, svc, user, h, page=int(parts[2]))
    elif parts[1] == "x":
        await answer_query(query)
        await query.edit_message_text(render("reassign", step="cancelled", h=h))
    elif parts[1].isdecimal() and parts[1].isascii():
        await _confirm(update, context, user, h, int(parts[1]), done=parts[2:] == ["yes"])
    else:
        await answer_query(query)


async def _choose(update: Update, svc: Services, user: User, h: Household,
                  page: int | None = None) -> None:
    """The caseworkers to choose from: a new message, or another page of it (`page`)."""
    query = update.callback_query
    assert query and update.effective_message
    with svc.db() as session:
        options = [c for c in staff.caseworkers_in(session=session,
                                                   region_ids=_region_ids(svc, user))
                   if c.telegram_id != h.caseworker_id]
    await answer_query(query)
    current = _names(svc, h.caseworker_id).get(h.caseworker_id, "")
    text = render("reassign", step="choose", h=h, current=current, count=len(options))
    markup = kb.reassign_choices(h.id or 0, [
        (c.telegram_id, c.display_name or str(c.telegram_id)) for c in options], page or 0)
    if page is None:
        await update.effective_message.reply_text(text, reply_markup=markup)
    else:
        await query.edit_message_text(text, reply_markup=markup)


async def _confirm(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                   h: Household, caseworker_id: int, *, done: bool) -> None:
    svc = services(context)
    query = update.callback_query
    assert query
    with svc.db() as session:
        chosen = users.get_user(session=session, telegram_id=caseworker_id)
    home = chosen.home_region_id if chosen else None
    if (chosen is None or chosen.role != Role.CASEWORKER or not chosen.active
            or home is None or home not in svc.kb.regions):
        await answer_query(query, render("stale_button"))
        return
    # the new caseworker must be of the supervisor's region too: the same rule decides
    if not await permitted(update, context, user, Action.REASSIGN_HOUSEHOLD,
                           Target(svc.kb.regions.path(home)), Ref("user", str(caseworker_id))):
        return
    names = _names(svc, h.caseworker_id, caseworker_id)
    old, new = names.get(h.caseworker_id, ""), names[caseworker_id]
    if not done:
        await answer_query(query)
        await query.edit_message_text(render("reassign", step="confirm", h=h, current=old,
                                             new=new),
                                      reply_markup=kb.reassign_confirm(h.id or 0, caseworker_id))
        return
    with svc.transaction() as session:
        fresh = households.get(session=session, household_id=h.id or 0)
        assert fresh is not None
        previous = fresh.caseworker_id
        moved = None if previous == caseworker_id else households.reassign(
            session=session, household=fresh, to=chosen, by=user.telegram_id,
            now=svc.clock.now())
    await answer_query(query)
    await query.edit_message_text(render("reassign", step="done", h=h, current=old, new=new,
                                         again=moved is None))
    if moved is None:
        return
    await _tell(context, caseworker_id, render("reassign", step="to_new", h=h, by=user.display_name,
                                               current=old, moved=len(moved)))
    if previous is not None and previous != user.telegram_id:
        await _tell(context, previous, render("reassign", step="to_old", h=h, new=new,
                                              by=user.display_name, moved=len(moved)))


async def _tell(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
    """A message to a caseworker; one who blocked the bot is simply not told."""
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(chat_id, text)


def register(app: Application) -> None:
    """Install the 转给其他干部 buttons."""
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^ra:"))
