"""The last-resort error handler: Telegram refusing what a handler sent (400) is a handler
failure (traceback, apology); a network failure is one warning and no apology."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.offline import ApiError
from handlers.ui.render import render
from tests.fakes import OfflineChat


def _fail_first_help_reply(code: int, description: str) -> Any:
    state = {"failed": False}

    def fail(method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "sendMessage" and "使用说明" in str(params.get("text")) \
                and not state["failed"]:
            state["failed"] = True
            return ApiError(code, description)
        return None
    return fail


class _Records(logging.Handler):
    """The error handler's own records (on its logger: whatever other tests did to the
    root logger's handlers or propagation)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    logger, handler = logging.getLogger("handlers.errors"), _Records()
    level, disabled = logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.disabled = False
    yield handler.records
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.disabled = disabled


@pytest.mark.allow_handler_errors
async def test_a_refused_reply_is_a_handler_failure_with_an_apology(
        chat: OfflineChat, records: list[logging.LogRecord]) -> None:
    chat.api.fail = _fail_first_help_reply(400, "Bad Request: can't parse entities")
    replies = await chat.send("/help")
    assert render("error") in [m["text"] for m in replies]
    assert [(r.levelno, bool(r.exc_info)) for r in records] == [(logging.ERROR, True)]


async def test_a_network_failure_is_one_warning_and_no_apology(
        chat: OfflineChat, records: list[logging.LogRecord]) -> None:
    chat.api.fail = _fail_first_help_reply(502, "Bad Gateway")
    replies = await chat.send("/help")
    assert render("error") not in [m["text"] for m in replies]
    assert [r.levelno for r in records] == [logging.WARNING]


def test_the_console_filter_keeps_the_traceback_of_a_refused_request() -> None:
    """bot.network's filter shortens network trouble to one line; a BadRequest (a NetworkError
    subclass) is not network trouble and keeps its traceback for whoever reads the log."""
    from telegram.error import BadRequest, TimedOut

    from bot.network import NoNetworkTracebacks

    def record(exc: Exception) -> logging.LogRecord:
        return logging.LogRecord("handlers.errors", logging.ERROR, __file__, 1, "handler failed",
                                 None, (type(exc), exc, None))

    refused, slow = record(BadRequest("Can't parse entities")), record(TimedOut())
    assert NoNetworkTracebacks().filter(refused) and refused.exc_info is not None
    assert NoNetworkTracebacks().filter(slow) and slow.exc_info is None
