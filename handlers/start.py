"""/start and /region: welcome, then the city and county buttons."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.services import services
from handlers.common import county_choice, save_region, user_region
from handlers.ui import keyboards
from handlers.ui.queries import answer_query
from handlers.ui.render import render


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome, then region selection."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    region_id = user_region(svc, update.effective_user.id)
    region = svc.kb.regions.get(region_id).name if region_id else None
    await update.effective_message.reply_text(render("welcome", region=region),
                                              reply_markup=keyboards.cities(svc.kb.regions))


async def choose_region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/region: the current region, then the city buttons."""
    svc = services(context)
    assert update.effective_message and update.effective_user
    region_id = user_region(svc, update.effective_user.id)
    current = render("region_current", region=svc.kb.regions.get(region_id).name) \
        if region_id else ""
    await update.effective_message.reply_text(
        "\n".join(filter(None, (current, render("region_pick")))),
        reply_markup=keyboards.cities(svc.kb.regions))


# rg:c:<city>[:<page>] shows counties, rg:s:<region> saves, rg:p:<page> pages the cities,
# anything else (rg:b, stale or forged data) goes back to the first page of cities.
_REGION_DATA = re.compile(r"rg:(?P<action>[csp]):(?P<id>[a-z0-9-]{0,40})(?::(?P<page>[0-9]{1,3}))?")


async def region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The region buttons: cities (a page at a time), a city's counties, saving a region."""
    query = update.callback_query
    assert query and query.data is not None
    svc = services(context)
    await answer_query(query)
    found = _REGION_DATA.fullmatch(query.data)
    action, region = (found["action"], found["id"]) if found else ("", "")
    if action == "c" and region in svc.kb.regions:
        prompt, markup = county_choice(svc, region, int(found["page"] or 0) if found else 0)
        await query.edit_message_text(prompt, reply_markup=markup)
    elif action == "s" and region in svc.kb.regions:
        await save_region(update, context, region, edit=True)
    else:
        page = int(region) if action == "p" and region.isascii() and region.isdigit() else 0
        await query.edit_message_text(render("region_pick"),
                                      reply_markup=keyboards.cities(svc.kb.regions, page))


def register(app: Application) -> None:
    """Install /start, /region and the region buttons."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("region", choose_region))
    app.add_handler(CallbackQueryHandler(region_button, pattern=r"^rg:"))
