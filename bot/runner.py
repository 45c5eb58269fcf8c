"""`bangfu run`: long polling (default) or a webhook, against Telegram or TELEGRAM_API_URL,
directly or through TELEGRAM_PROXY. A server, proxy or token that does not work ends the
start in one Chinese line (exit 1); a network that drops later is retried, logged once."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.health import serve_health
from bot.network import NETWORK_ERRORS, connection_problem, quiet_network_tracebacks
from bot.services import build_services
from bot.settings import Settings
from bot.startup import STARTUP_ERRORS, startup_problem

log = logging.getLogger(__name__)
EMULATOR_POLL_INTERVAL = 0.1  # the emulator ignores getUpdates' timeout (shared/NOTES.md)


def webhook_path(settings: Settings) -> str:
    """The path the bot serves: the path of WEBHOOK_URL, so Telegram and the bot agree
    (https://bot.example.org/telegram -> telegram; the proxy forwards the path unchanged)."""
    return urlsplit(settings.webhook_url or "").path.strip("/")


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for Application.run_webhook / Updater.start_webhook.

    Telegram sends the secret in the X-Telegram-Bot-Api-Secret-Token header of every update;
    PTB answers 403 to a request without it, so only Telegram can feed the bot.
    """
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return {"listen": settings.webhook_listen, "port": settings.webhook_port,
            "url_path": webhook_path(settings), "webhook_url": settings.webhook_url,
            "secret_token": secret, "allowed_updates": Update.ALL_TYPES}


@contextmanager
def _silent(name: str) -> Iterator[None]:
    """The start-up check says what failed itself: no 'retrying' line from the request."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def check_connection(app: Application) -> None:
    """getMe through the bot's own request (proxy and all), before anything starts: raises
    InvalidToken or NetworkError, for `connection_problem` to explain."""
    async def get_me() -> None:
        try:
            await app.bot.initialize()
        finally:
            await app.bot.shutdown()

    with _silent("bot.compat"):
        asyncio.run(get_me())


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic"):  # a line per request / per migration plugin
        logging.getLogger(noisy).setLevel(logging.WARNING)
    quiet_network_tracebacks()


def _webhook_missing(settings: Settings) -> list[str]:
    return [name for name, value in (("WEBHOOK_URL", settings.webhook_url),
                                     ("WEBHOOK_SECRET", settings.webhook_secret)) if not value]


def run_bot(settings: Settings, *, webhook: bool) -> int:
    """Run until interrupted; configuration mistakes end with a Chinese message, not a trace."""
    _configure_logging(settings)
    if webhook and (missing := _webhook_missing(settings)):
        print(f"webhook 模式需要在 .env 中设置 {'、'.join(missing)} / required: "
              f"{', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        app = build_application(build_services(settings))
    except STARTUP_ERRORS as exc:
        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
    try:
        check_connection(app)
        _serve(app, settings, webhook=webhook)
    except NETWORK_ERRORS as exc:  # at start-up: while running, PTB retries instead
        print(connection_problem(settings, exc), file=sys.stderr)
        return 1
    return 0


def _serve(app: Application, settings: Settings, *, webhook: bool) -> None:
    if webhook:
        log.info("starting webhook on %s:%s/%s for %s", settings.webhook_listen,
                 settings.webhook_port, webhook_path(settings), settings.webhook_url)
        serve_health(app)  # GET /healthz on the same server
        app.run_webhook(**webhook_options(settings))
        return
    interval = settings.poll_interval or (EMULATOR_POLL_INTERVAL if settings.telegram_api_url
                                          else 0.0)
    log.info("starting long polling%s%s", f" against {settings.telegram_api_url}"
             if settings.telegram_api_url else "",
             f" through {settings.proxy_shown()}" if settings.telegram_proxy else "")
    app.run_polling(poll_interval=interval, allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False)
