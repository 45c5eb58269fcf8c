"""build_application: the only place that wires settings, knowledge, storage and handlers."""

from __future__ import annotations

import warnings

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BasePersistence,
    Defaults,
    PersistenceInput,
    PicklePersistence,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.compat import CompatRequest
from bot.menu import COMMANDS
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from handlers import ask, check, errors, feedback, help, start
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher
from storage.db import init_db, make_engine

# /check keeps per_message=False on purpose (one screener per chat; typed answers count), and
# PTB warns about that choice at every start: a newcomer's first screen should not show it.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)

PLACEHOLDER_TOKEN = "0:console"  # the in-process Bot API accepts any token


def build_application(settings: Settings, *, request: BaseRequest | None = None,
                      kb: KnowledgeBase | None = None,
                      persistence: BasePersistence | None = None) -> Application:
    """The bot with every handler registered; `request` replaces the network (tests, console)."""
    kb = kb or load_knowledge()
    engine = make_engine(settings.database_url)
    init_db(engine)
    builder = (
        ApplicationBuilder()
        .token(settings.token or PLACEHOLDER_TOKEN)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .persistence(persistence or default_persistence(settings))
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = (builder.request(CompatRequest(connection_pool_size=8))
                   .get_updates_request(CompatRequest()))
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if settings.telegram_api_url:
        base = settings.telegram_api_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = builder.build()
    app.bot_data[SERVICES_KEY] = Services(settings, kb, Matcher(kb), engine)
    errors.register(app)
    start.register(app)  # /start, /region and region buttons
    help.register(app)
    check.register(app)  # before ask: inside /check, typed answers belong to the screener
    feedback.register(app)  # 有用/没用 and 您是想问 buttons
    ask.register(app)  # last: any other text is a question
    return app


def default_persistence(settings: Settings,
                        update_interval: float = 60) -> PicklePersistence:
    """User data and conversations survive restarts; bot_data holds live objects, so not it."""
    return PicklePersistence(
        filepath=settings.persistence_file, update_interval=update_interval,
        store_data=PersistenceInput(bot_data=False, chat_data=False, callback_data=False),
    )


async def _post_init(app: Application) -> None:
    """Publish the command menu; emulators that lack setMyCommands are tolerated."""
    try:
        await app.bot.set_my_commands(COMMANDS)
    except Exception:
        app.bot_data.setdefault("warnings", []).append("set_my_commands failed")
