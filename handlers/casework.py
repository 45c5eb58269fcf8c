"""What the staff journeys share: a household as the access rules see it, whose households
a list covers, and the 应享未享 message (after a visit, and from a household's page)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services, services
from handlers.access import actor, allowed, permitted
from handlers.common import today
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render, split_message
from knowledge.eligibility import figure_kind
from storage.access import Action, Target
from storage.casework import find_gaps
from storage.models import Household, HouseholdStatus, Role, User
from storage.repo import households
from storage.repo.audit import Ref


def target(h: Household) -> Target:
    """A household as the access rules see it."""
    return Target(h.path, h.caseworker_id)


GAP_BUTTONS = 8  # 已享受 buttons under the list: more would not fit a phone screen


def load(svc: Services, household_id: int) -> Household | None:
    """A household that still exists (not erased), read and released before any await."""
    with svc.db() as session:
        h = households.get(session=session, household_id=household_id)
    return None if h is None or h.status == HouseholdStatus.ERASED else h


def scope(svc: Services, user: User) -> dict[str, object]:
    """Whose households a list or a search covers: a caseworker's own, a supervisor's region."""
    if user.role == Role.CASEWORKER:
        return {"caseworker_id": user.telegram_id}
    return {"path": actor(svc, user, user.telegram_id).home_path or ""}


async def send_gaps(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                    household_id: int, *, edit: bool = False) -> None:
    """应享未享: what the documents say the household qualifies for and it does not receive."""
    svc = services(context)
    query = update.callback_query
    h = load(svc, household_id)
    if h is None or not await permitted(update, context, user, Action.VIEW_HOUSEHOLD,
                                        target(h), Ref("household", h.code)):
        return
    with svc.transaction() as session:  # gaps found are recorded, for the digest and reports
        h = households.get(session=session, household_id=household_id)
        assert h is not None
        found = find_gaps(session=session, kb=svc.kb, household=h, today=today(svc),
                          now=svc.clock.now())
    can_mark = allowed(svc, user, Action.MARK_RECEIVED, target(h))
    text = render("gaps", h=h, found=found, region=svc.kb.regions.get(h.region_id).name,
                  buttons=GAP_BUTTONS, kind=figure_kind)
    ordered = [g for group in found.by_entry() for g in group][:GAP_BUTTONS]
    markup = kb.gaps([(g.gap.id or 0, g.finding.entry.item.title
                       + (f"（{g.member.name}）" if g.member else "")) for g in ordered]
                     ) if can_mark else None
    if query:
        await answer_query(query)
    parts = split_message(text)
    assert update.effective_message
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if edit and query and len(parts) == 1:
            await query.edit_message_text(part, reply_markup=markup)
        else:
            await update.effective_message.reply_text(part, reply_markup=markup if last else None)
