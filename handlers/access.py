"""Access checks for every journey, in one place: who is asking, and may they (the rules
themselves are storage.access.decide). A refusal is answered politely and audited."""

from __future__ import annotations

import contextlib

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services import Services, services
from handlers.ui.menus import commands_for
from handlers.ui.queries import answer_query
from handlers.ui.render import render
from storage.access import Action, Actor, Target, decide
from storage.models import Role, User
from storage.repo import audit, users
from storage.repo.audit import Ref


def actor(svc: Services, user: User | None, telegram_id: int) -> Actor:
    """The rules' view of a user (an unknown user is a resident)."""
    if user is None:
        return Actor(telegram_id, Role.RESIDENT)
    home = user.home_region_id
    path = svc.kb.regions.path(home) if home and home in svc.kb.regions else None
    return Actor(telegram_id, user.role, user.active, path)


async def _refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, reason: str,
                  action: str, target: Ref) -> None:
    svc = services(context)
    assert update.effective_user
    with svc.transaction() as session:
        audit.refused(session=session, actor=update.effective_user.id, action=action,
                      target=target, reason=reason, at=svc.clock.now())
    text = render("refused", reason=reason)
    if update.callback_query:  # a pop-up; in the chat when the press was answered already
        if not await answer_query(update.callback_query, text[:190], show_alert=True) \
                and update.effective_message:
            await update.effective_message.reply_text(text)
    elif update.effective_message:
        await update.effective_message.reply_text(text)
    if reason == "inactive":
        await reset_menu(context, update.effective_user.id)


async def staff_user(update: Update, context: ContextTypes.DEFAULT_TYPE,
                     command: str) -> User | None:
    """The active staff member sending this update, or None after a polite refusal (a
    resident, a deactivated user) that is audited as refused:<command>."""
    svc = services(context)
    assert update.effective_user
    with svc.db() as session:
        user = users.get_user(session=session, telegram_id=update.effective_user.id)
    if user is not None and user.is_staff:
        return user
    reason = "inactive" if user is not None and not user.active else "not_staff"
    await _refuse(update, context, reason, f"command.{command}",
                  Ref("user", str(update.effective_user.id)))
    return None


async def permitted(update: Update, context: ContextTypes.DEFAULT_TYPE, user: User,
                    action: Action, target: Target, obj: Ref) -> bool:
    """May `user` do `action` on the object? If not, answer and audit the refusal."""
    svc = services(context)
    decision = decide(actor(svc, user, user.telegram_id), action, target, now=svc.clock.now())
    if decision.allowed:
        return True
    await _refuse(update, context, decision.reason, action.value, obj)
    return False


def allowed(svc: Services, user: User, action: Action, target: Target) -> bool:
    """The same decision, silently: for showing or hiding a button or a phone number."""
    return decide(actor(svc, user, user.telegram_id), action, target,
                  now=svc.clock.now()).allowed


async def publish_menu(context: ContextTypes.DEFAULT_TYPE, chat_id: int, role: Role) -> None:
    """The command menu of a role, for one chat (residents keep the default menu)."""
    with contextlib.suppress(TelegramError):  # the emulator has no setMyCommands
        await context.bot.set_my_commands(commands_for(role),
                                          scope=BotCommandScopeChat(chat_id))


async def reset_menu(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Back to the residents' menu (a deactivated user)."""
    with contextlib.suppress(TelegramError):
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
