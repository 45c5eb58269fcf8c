"""GET /healthz on the webhook server: the scheduler's health as JSON (200 ok, 503 not).

PTB's webhook server is a tornado Application it builds itself; the route is added to it
once it runs (a one-off job right after start-up), through PTB's internals (pinned <23):
`Updater._httpd` is its WebhookServer, whose HTTP server's request callback is the app.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import tornado.web
from telegram.ext import Application, ContextTypes

from bot.services import Services, services
from storage.reminders import health

log = logging.getLogger(__name__)
PATH = r"/healthz"


class HealthHandler(tornado.web.RequestHandler):
    """Answers GET /healthz."""

    def initialize(self, svc: Services) -> None:
        self.svc = svc

    def get(self) -> None:
        with self.svc.db() as session:
            report: dict[str, Any] = health(session=session, now=self.svc.clock.now())
        self.set_status(200 if report["ok"] else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(report, ensure_ascii=False))


def add_route(app: Application) -> bool:
    """Add /healthz to the running webhook server; False when there is none (polling)."""
    server = getattr(app.updater, "_httpd", None)
    http = getattr(server, "_http_server", None)
    web_app = getattr(http, "request_callback", None)
    if not isinstance(web_app, tornado.web.Application):
        return False
    web_app.add_handlers(r".*", [(PATH, HealthHandler, {"svc": services(app)})])
    return True


async def _add(context: ContextTypes.DEFAULT_TYPE) -> None:
    if not add_route(context.application):
        log.warning("no webhook server found: GET /healthz is not served")


def serve_health(app: Application) -> None:
    """Schedule adding the route right after the webhook server starts."""
    if app.job_queue is not None:
        app.job_queue.run_once(_add, when=0, name="healthz")
