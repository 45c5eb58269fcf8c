"""Staff registration: `/start <invite code>` (a deep link), and `/invite` for supervisors
and admins (buttons: role, region, then the person's name)."""

from __future__ import annotations

from enum import IntEnum

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
from handlers.access import permitted, publish_menu, staff_user
from handlers.common import Journey, add_journey, drop_draft_and_say
from handlers.ui import casework_keyboards as kb
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from storage.access import Action, Target
from storage.models import Role
from storage.repo import households, staff
from storage.repo.audit import Ref

INVITE = "invite_draft"
INVITE_DAYS = 7
MAX_NAME = 20


class State(IntEnum):
    """The /invite conversation (flow: handlers/register.mmd)."""

    ROLE = 1
    REGION = 2
    NAME = 3


async def redeem(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start <code>: register with an invite, once, before it expires."""
    svc = services(context)
    assert update.effective_message and update.effective_user and context.args
    with svc.transaction() as session:
        status, user = staff.redeem(session=session, code=context.args[0][:24],
                                    telegram_id=update.effective_user.id, now=svc.clock.now())
        claimed = 0
        if user is not None and user.role == Role.CASEWORKER and user.display_name:
            # The roster named them as 帮扶责任人 before they had an account: theirs now.
            county = county_of(svc, user.home_region_id)
            claimed = households.claim_by_name(
                session=session, name=user.display_name, path=svc.kb.regions.path(county),
                caseworker_id=user.telegram_id, now=svc.clock.now()) if county else 0
    home = user.home_region_id if user is not None else None
    region = svc.kb.regions.get(home).name if home and home in svc.kb.regions else None
    await update.effective_message.reply_text(render(
        "registered", status=status.value, user=user, region=region, claimed=claimed))
    if user is not None:
        await publish_menu(context, update.effective_user.id, user.role)


def county_of(svc: Services, region_id: str | None) -> str | None:
    """The county (区县) a region belongs to."""
    if not region_id or region_id not in svc.kb.regions:
        return None
    return next((r for r in svc.kb.regions.lineage(region_id)
                 if svc.kb.regions.get(r).level == "county"), None)


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """/invite: only supervisors and admins; first, which role."""
    user = await staff_user(update, context, "invite")
    if user is None:
        return ConversationHandler.END
    svc = services(context)
    if user.role == Role.CASEWORKER:  # refused (and audited) by the rules
        home = user.home_region_id
        path = svc.kb.regions.path(home) if home and home in svc.kb.regions else ""
        await permitted(update, context, user, Action.INVITE_CASEWORKER, Target(path),
                        Ref("command", "invite"))
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[INVITE] = {}
    await update.effective_message.reply_text(  # type: ignore[union-attr]
        render("invite_step", step="role"), reply_markup=kb.invite_roles())
    return State.ROLE


def _regions(context: ContextTypes.DEFAULT_TYPE, home: str | None,
             role: Role) -> list[tuple[str, str]]:
    """Where this supervisor may invite: caseworkers in their region, supervisors below it."""
    tree = services(context).kb.regions
    if home is None or home not in tree:  # an admin without a home region: every county
        return [(r.id, r.name) for r in tree if r.level == "county"
                and services(context).kb.has_data_for(r.id)]
    below = [(r.id, r.name) for r in tree.descendants(home)]
    return ([(home, tree.get(home).name)] if role == Role.CASEWORKER else []) + below


async def on_role(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """iv:role:<role>: then the region buttons."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    user = await staff_user(update, context, "invite")
    draft = context.user_data.get(INVITE)
    if user is None or draft is None:
        return ConversationHandler.END
    role = Role.SUPERVISOR if query.data.endswith("supervisor") else Role.CASEWORKER
    options = _regions(context, user.home_region_id, role)
    await answer_query(query)
    if not options:
        await query.edit_message_text(render("invite_step", step="no_region"))
        context.user_data.pop(INVITE, None)
        return ConversationHandler.END
    draft["role"] = role.value
    await query.edit_message_text(render("invite_step", step="region", role=role.value),
                                  reply_markup=kb.invite_regions(options))
    return State.REGION


async def on_region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> State | int:
    """iv:reg:<region>: checked by the access rules, then the name."""
    query = update.callback_query
    assert query and query.data and context.user_data is not None
    svc = services(context)
    user = await staff_user(update, context, "invite")
    draft = context.user_data.get(INVITE)
    region_id = query.data.split(":", 2)[2]
    if user is None:  # refused: the refusal has answered the query
        return ConversationHandler.END
    if draft is None or region_id not in svc.kb.regions:
        await answer_query(query)
        return ConversationHandler.END
    action = Action.INVITE_SUPERVISOR if draft.get("role") == "supervisor" \
        else Action.INVITE_CASEWORKER
    if not await permitted(update, context, user, action,
                           Target(svc.kb.regions.path(region_id)), Ref("region", region_id)):
        return State.REGION
    await answer_query(query)
    draft["region"] = region_id
    await query.edit_message_text(render("invite_step", step="name",
                                         region=svc.kb.regions.get(region_id).name))
    return State.NAME


async def on_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | State:
    """The person's name: the invite is created and its link shown."""
    svc = services(context)
    message = update.effective_message
    assert message and message.text is not None and context.user_data is not None
    assert update.effective_user
    draft = context.user_data.get(INVITE)
    name = message.text.strip()
    if draft is None or "region" not in draft:
        return ConversationHandler.END
    if not name or len(name) > MAX_NAME:
        await message.reply_text(render("invite_step", step="bad_name", limit=MAX_NAME))
        return State.NAME
    role = Role(draft["role"])
    supervisor = update.effective_user.id
    with svc.transaction() as session:
        invite = staff.create_invite(session=session, role=role, region_id=draft["region"],
                                     display_name=name, supervisor_id=supervisor,
                                     by=update.effective_user.id, now=svc.clock.now(),
                                     days=INVITE_DAYS)
    context.user_data.pop(INVITE, None)
    await message.reply_text(render(
        "invite_created", invite=invite, username=context.bot.username,
        region=svc.kb.regions.get(invite.region_id).name, tz=svc.settings.tz))
    return ConversationHandler.END


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel or ✖ inside /invite."""
    await drop_draft_and_say(update, context, INVITE, render("invite_step", step="cancelled"))
    return ConversationHandler.END


def leave(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> bool:
    """Another command ends /invite."""
    return context.user_data is not None and context.user_data.pop(INVITE, None) is not None


def register(app: Application) -> None:
    """Install deep-link registration (before /start) and the /invite conversation."""
    # Only a code-like single word is an invite (what t.me/<bot>?start=<code> sends);
    # "/start 你好" is an ordinary /start.
    code = filters.Regex(r"^/start(@\w+)?\s+[A-Za-z0-9_-]{6,24}\s*$")
    app.add_handler(CommandHandler("start", redeem, filters=code))
    add_journey(app, Journey(name="邀请", restart="invite",
                             commands=frozenset({"invite", "cancel"}), leave=leave))
    app.add_handler(ConversationHandler(
        entry_points=[CommandHandler("invite", begin)],
        states={
            State.ROLE: [CallbackQueryHandler(on_role, pattern=r"^iv:role:")],
            State.REGION: [CallbackQueryHandler(on_region, pattern=r"^iv:reg:")],
            State.NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_name)],
        },
        fallbacks=[CommandHandler("cancel", cancel),
                   CallbackQueryHandler(cancel, pattern=r"^iv:cancel$")],
        name="invite", persistent=True, allow_reentry=True,
    ))
