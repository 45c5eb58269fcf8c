"""Free text: a region name sets the region; anything else is a question for the matcher."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot import keyboards
from bot.render import render
from bot.services import services
from handlers.replies import reply_answer, user_region
from handlers.start import PENDING_QUESTION, county_choice, save_region
from knowledge.privacy import mask_personal
from knowledge.text import compact

MAX_REGION_NAME = 12  # a typed region name is short; longer text is a question


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer for the user's region; without one, keep the question and ask for the region."""
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
    region_id = user_region(svc, update.effective_user.id, context.user_data)
    if region_id is None:
        if context.user_data is not None:
            context.user_data[PENDING_QUESTION] = mask_personal(text)
        await message.reply_text(render("region_first"),
                                 reply_markup=keyboards.cities(svc.kb.regions))
        return
    await reply_answer(update, context, text, region_id)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice: say what the bot understands."""
    assert update.effective_message
    await update.effective_message.reply_text(render("only_text"))


def register(app: Application) -> None:
    """Install the catch-all text handler (registered last on purpose)."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, ask))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.TEXT,
                                   not_text))
