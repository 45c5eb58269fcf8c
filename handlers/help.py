"""/help: what each kind of user can do, and the user's current region."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.services import services
from handlers.common import user_region
from handlers.ui.render import render
from storage.repo import users


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What each kind of user can do, with the region answers are for."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    region_id = user_region(svc, update.effective_user.id)
    region = svc.kb.regions.get(region_id) if region_id else None
    with svc.db() as session:
        user = users.get_user(session=session, telegram_id=update.effective_user.id)
    role = user.role.value if user is not None and user.is_staff else "resident"
    await update.effective_message.reply_text(render(
        "help", region=region.name if region else None, role=role,
        covered=bool(region and svc.kb.has_data_for(region.id))))


def register(app: Application) -> None:
    """Install /help."""
    app.add_handler(CommandHandler("help", show_help))
