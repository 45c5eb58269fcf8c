"""build_application: the only place that wires services, persistence and handlers."""

from __future__ import annotations

import warnings
from functools import partial

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BasePersistence, Defaults
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot import startup_finished
from bot.compat import CompatRequest
from bot.network import connection_problem
from bot.services import SERVICES_KEY, Services
from bot.shared_state import SharedStateApplication
from handlers import (
    ask,
    check,
    check_result,
    deadline_new,
    deadlines,
    errors,
    export,
    fallback,
    feedback,
    followups,
    help,
    mine,
    monthly,
    reassign,
    register,
    remind,
    report,
    start,
    visit,
    visit_edit,
)
from handlers.common import publish_default_menu
from handlers.jobs import scheduler
from storage.persistence import SQLPersistence

# /check keeps per_message=False on purpose (one screener per chat; typed answers count), and
# PTB warns about that choice at every start: a newcomer's first screen should not show it.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)

PLACEHOLDER_TOKEN = "0:console"  # the in-process Bot API accepts any token


def build_application(svc: Services, *, request: BaseRequest | None = None,
                      persistence: BasePersistence | None = None) -> Application:
    """The bot with every handler registered; `request` replaces the network (tests, console).

    Conversation states and user data live in the database (SQLPersistence), read before and
    written after every update, so any number of processes can serve one database.
    """
    settings = svc.settings
    builder = (
        ApplicationBuilder()
        .application_class(SharedStateApplication)
        .token(settings.token or PLACEHOLDER_TOKEN)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .persistence(persistence or SQLPersistence(svc.engine))
        .post_init(publish_default_menu)
        .post_stop(scheduler.stop)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # Both request objects: replies and webhook registration, and long polling.
        proxy, describe = settings.telegram_proxy, partial(connection_problem, settings)
        builder = (builder.request(CompatRequest(connection_pool_size=8, proxy=proxy,
                                                 describe=describe))
                   .get_updates_request(CompatRequest(proxy=proxy, describe=describe)))
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if settings.telegram_api_url:
        base = settings.telegram_api_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = builder.build()
    app.bot_data[SERVICES_KEY] = svc
    errors.register(app)
    register.register(app)  # first: /start <code> (invite deep links) before plain /start
    start.register(app)  # /start, /region and region buttons
    help.register(app)
    monthly.register(app)  # before check: its /cancel must reach a half-typed section
    check.register(app)  # before ask: inside /check, typed answers belong to the screener
    check_result.register(app)  # 更多服务 / 还需确认什么 under a finished /check
    visit.register(app)  # before ask: typed notes and dates belong to the visit form
    visit_edit.register(app)
    followups.register(app)  # before ask: a typed note or date closes a follow-up
    mine.register(app)
    export.register(app)  # /export: the ledger as .xlsx
    reassign.register(app)  # 转给其他干部 on a household's page
    deadlines.register(app)
    deadline_new.register(app)  # before ask: the typed title and date belong to it
    remind.register(app)  # /remind and /settings
    report.register(app)  # /report and the daily digest's drill-down buttons
    scheduler.register(app)  # the reminder outbox (only the leader process sends)
    feedback.register(app)  # 有用/没用 and 您是想问 buttons
    ask.register(app)  # any other text is a question
    fallback.register(app)  # last: sees every handler above (unknown commands, photos ...)
    startup_finished()  # everything is wired: collect as usual from now on
    return app
