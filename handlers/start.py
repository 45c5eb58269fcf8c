"""/start, /region and the region buttons (市 → 区/县), remembered per user in the database."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import keyboards
from bot.render import render
from bot.services import Services, services
from handlers.replies import REGION, reply_answer, user_region
from storage import repo

PENDING_QUESTION = "pending_question"  # asked before a region was chosen; answered after


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome, then region selection."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    region_id = user_region(svc, update.effective_user.id)
    region = svc.kb.regions.get(region_id).name if region_id else None
    await update.effective_message.reply_text(render("welcome", region=region),
                                              reply_markup=keyboards.cities(svc.kb.regions))


async def choose_region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/region: show the city buttons."""
    assert update.effective_message
    await update.effective_message.reply_text(render("region_pick"),
                                              reply_markup=keyboards.cities(services(context).kb.regions))


def county_choice(svc: Services, city_id: str) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons that ask for a county of the city."""
    city = svc.kb.regions.get(city_id)
    markup = keyboards.counties(svc.kb.regions, city.id, whole_city=svc.kb.has_data_for(city.id))
    return render("region_county", city=city.name), markup


async def region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """rg:c:<city> shows counties, rg:s:<region> saves, rg:b goes back to cities."""
    query = update.callback_query
    assert query and query.data
    svc = services(context)
    await query.answer()
    _, action, *rest = query.data.split(":")
    if action == "c" and rest and rest[0] in svc.kb.regions:
        prompt, markup = county_choice(svc, rest[0])
        await query.edit_message_text(prompt, reply_markup=markup)
    elif action == "s" and rest and rest[0] in svc.kb.regions:
        await save_region(update, context, rest[0], edit=True)
    else:
        await query.edit_message_text(render("region_pick"),
                                      reply_markup=keyboards.cities(svc.kb.regions))


async def save_region(update: Update, context: ContextTypes.DEFAULT_TYPE, region_id: str, *,
                      edit: bool) -> None:
    """Store the region, confirm it, and answer a question that was waiting for it."""
    svc = services(context)
    assert update.effective_user and update.effective_message
    with svc.db() as session:
        repo.set_region(session=session, telegram_id=update.effective_user.id, region_id=region_id)
    if context.user_data is not None:
        context.user_data[REGION] = region_id
    region = svc.kb.regions.get(region_id)
    text = render("region_set", region=region.name, covered=svc.kb.has_data_for(region_id))
    if edit and update.callback_query:
        await update.callback_query.edit_message_text(text)
    else:
        await update.effective_message.reply_text(text)
    pending = context.user_data.pop(PENDING_QUESTION, None) if context.user_data else None
    if pending:
        await reply_answer(update, context, pending, region_id)


def register(app: Application) -> None:
    """Install /start, /region and the region buttons."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("region", choose_region))
    app.add_handler(CallbackQueryHandler(region_button, pattern=r"^rg:"))
