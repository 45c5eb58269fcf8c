"""/mine and /household: a caseworker's households by urgency, one household's page (profile,
members, visits, follow-ups), its 应享未享 with 已享受 buttons, and archiving."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.services import Services, services
from handlers.access import allowed, permitted, staff_user
from handlers.casework import load, scope, send_gaps, target
from handlers.common import today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from knowledge.names import find
from storage.access import Action, Target
from storage.casework import find_gaps
from storage.models import HouseholdStatus, Role, User, Visit
from storage.repo import casework, gaps, households, staff
from storage.repo.audit import Ref

MINE_LIMIT = 15  # a phone screen or two; the rest are found with /household


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mine: most urgent first."""
    user = await staff_user(update, context, "mine")
    if user is None:
        return
    svc = services(context)
    day = today(svc)
    with svc.db() as session:
        rows = households.mine(session=session, today=day, limit=MINE_LIMIT,
                               **scope(svc, user))  # type: ignore[arg-type]
    assert update.effective_message
    await update.effective_message.reply_text(
        render("mine", rows=rows, today=day, tz=svc.settings.tz,
               supervisor=user.role != Role.CASEWORKER),
        reply_markup=kb.households([(r.household.id or 0, f"{r.household.head_name} "
                                     f"{r.household.code}") for r in rows], "hh"))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/household <name, 户编号 or pinyin initials>."""
    user = await staff_user(update, context, "household")
    if user is None:
        return
    svc = services(context)
    assert update.effective_message
    text = " ".join(context.args or []).strip()[:20]
    if not text:
        await update.effective_message.reply_text(render("household_search", missing=True))
        return
    with svc.db() as session:
        pool = households.candidates(session=session, text="" if text.isascii() else text,
                                     **scope(svc, user))  # type: ignore[arg-type]
    found = find(text, pool)
    labels = {hid: f"{head} {code}" for hid, code, head, _ in pool}
    if len(found) == 1:
        await show(update, context, user, found[0])
        return
    await update.effective_message.reply_text(
        render("household_search", missing=False, query=text, count=len(found)),
        reply_markup=kb.households([(hid, labels[hid]) for hid in found], "hh"))


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
               household_id: int) -> None:
    """A household's page (as a new message)."""
    svc = services(context)
    h = load(svc, household_id)
    if h is None or not await permitted(update, context, user, Action.VIEW_HOUSEHOLD, target(h),
                                        Ref("household", h.code)):
        return
    with svc.transaction() as session:  # 应享未享 as of now, recorded for the reports
        fresh = households.get(session=session, household_id=household_id)
        assert fresh is not None
        found = find_gaps(session=session, kb=svc.kb, household=fresh, today=today(svc),
                          now=svc.clock.now())
    with svc.db() as session:
        people = households.members(session=session, household_id=household_id)
        visits = casework.visits_of(session=session, household_id=household_id, limit=5)
        followups = casework.open_followups_of(session=session, household_id=household_id)
        names = {u.telegram_id: u.display_name for u in staff.staff(session=session)}
    day, gaps = today(svc), len(found.by_entry())
    editable = [v for v in visits
                if allowed(svc, user, Action.EDIT_VISIT, Target(h.path, v.author_id, v.created_at))]
    text = render("household", h=h, people=people, visits=visits, followups=followups,
                  names=names, today=day, tz=svc.settings.tz, gaps=gaps,
                  region=svc.kb.regions.get(h.region_id).name if h.region_id in svc.kb.regions
                  else "", phone=allowed(svc, user, Action.SEE_PHONE, target(h)),
                  ages={m.id: households.age_on(m.birth_date, day) for m in people})
    markup = kb.household_actions(household_id, gaps=gaps,
                                  can_archive=allowed(svc, user, Action.ARCHIVE_HOUSEHOLD,
                                                      target(h)),
                                  editable=[(v.id or 0, _visit_label(svc, v)) for v in editable],
                                  can_reassign=allowed(svc, user, Action.REASSIGN_HOUSEHOLD,
                                                       target(h)))
    assert update.effective_message
    parts = split_message(text)
    for i, part in enumerate(parts):
        await update.effective_message.reply_text(part, reply_markup=markup
                                                  if i == len(parts) - 1 else None)


def _visit_label(svc: Services, visit: Visit) -> str:
    local = visit.visited_at.astimezone(svc.settings.tz)
    return f"{local.month}月{local.day}日 {visit.kind}"


async def on_household(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """hh:<id>, hh:<id>:gaps, hh:<id>:archive[:yes]."""
    query = update.callback_query
    assert query and query.data
    user = await staff_user(update, context, "household")
    if user is None:
        return
    parts = query.data.split(":")
    if len(parts) < 2 or not parts[1].isdecimal() or not parts[1].isascii():
        await answer_query(query)
        return
    household_id = int(parts[1])
    if len(parts) == 2:  # shown (or refused, which answers) first, so a refusal pops up
        await show(update, context, user, household_id)
        await answer_query(query)
    elif parts[2] == "gaps":
        await send_gaps(update, context, user, household_id)
    elif parts[2] == "archive":
        await archive(update, context, user, household_id, confirmed=parts[3:] == ["yes"])
    else:
        await answer_query(query)


async def mark_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """gp:<gap id>: 已享受 (audited); the list is shown again without it."""
    query = update.callback_query
    assert query and query.data
    user = await staff_user(update, context, "received")
    raw = query.data.split(":")[1]
    if user is None:  # refused: the refusal has answered the query
        return
    if not (raw.isdecimal() and raw.isascii()):
        await answer_query(query)
        return
    svc = services(context)
    with svc.db() as session:
        gap = gaps.get_gap(session=session, gap_id=int(raw))
    h = load(svc, gap.household_id) if gap else None
    if gap is None or h is None:
        await answer_query(query, render("stale_button"))
        return
    if not await permitted(update, context, user, Action.MARK_RECEIVED, target(h),
                           Ref("household", h.code)):
        return
    with svc.transaction() as session:
        fresh = gaps.get_gap(session=session, gap_id=int(raw))
        assert fresh is not None
        changed = gaps.mark_received(session=session, gap=fresh, household_code=h.code,
                                     by=user.telegram_id, now=svc.clock.now())
    await answer_query(query, render("received_marked", changed=changed))
    await send_gaps(update, context, user, h.id or 0, edit=True)


async def archive(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                  household_id: int, *, confirmed: bool) -> None:
    """归档: supervisors only; a second tap confirms."""
    svc = services(context)
    query = update.callback_query
    assert query
    h = load(svc, household_id)
    if h is None:
        await answer_query(query)
        return
    if not await permitted(update, context, user, Action.ARCHIVE_HOUSEHOLD, target(h),
                           Ref("household", h.code)):
        return
    if confirmed and h.status == HouseholdStatus.ACTIVE:
        with svc.transaction() as session:
            fresh = households.get(session=session, household_id=household_id)
            assert fresh is not None
            households.archive(session=session, household=fresh, reason="chat",
                               by=user.telegram_id, now=svc.clock.now())
    await answer_query(query)
    if confirmed:
        await query.edit_message_text(render("archived", h=h))
    else:
        await query.edit_message_reply_markup(reply_markup=kb.archive_confirm(household_id))


def register(app: Application) -> None:
    """Install /mine, /household and the household buttons."""
    app.add_handler(CommandHandler("mine", mine))
    app.add_handler(CommandHandler("household", search))
    app.add_handler(CallbackQueryHandler(on_household, pattern=r"^hh:"))
    app.add_handler(CallbackQueryHandler(mark_received, pattern=r"^gp:"))
