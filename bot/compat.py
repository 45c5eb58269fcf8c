"""HTTPXRequest that smooths over Bot API servers which deviate from Telegram's.

All known quirks of the `telegram-test-api` emulator are fixed here, in one place; on the
real Bot API every rewrite below is a no-op (or, for the keyboard, says explicitly what
Telegram does implicitly).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

log = logging.getLogger(__name__)
MS_THRESHOLD = 10**11  # a Unix time above this is in milliseconds (year 5138 in seconds)
# Object-valued Message fields that PTB sends form-encoded as JSON strings; the emulator echoes
# the request back as the "sent" message without decoding them (only reply_markup/entities).
ECHOED_JSON_FIELDS = ("link_preview_options", "entities", "caption_entities", "reply_markup")
NO_KEYBOARD: dict[str, Any] = {"inline_keyboard": []}
KEYBOARD_EDITS = ("editMessageText", "editMessageCaption", "editMessageReplyMarkup")


def _fix_dates(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("date", "edit_date") and isinstance(value, int) and value > MS_THRESHOLD:
                node[key] = value // 1000
            else:
                _fix_dates(value)
    elif isinstance(node, list):
        for value in node:
            _fix_dates(value)
    return node


def _decode_echoed_json(message: dict[str, Any]) -> None:
    for key in ECHOED_JSON_FIELDS:
        value = message.get(key)
        if isinstance(value, str) and value[:1] in ("{", "["):
            with contextlib.suppress(ValueError):  # not JSON after all: leave it to PTB
                message[key] = json.loads(value)


def fix_payload(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Rewrite one decoded response so stock python-telegram-bot accepts it."""
    result = payload.get("result")
    if method == "getMe" and isinstance(result, dict):
        result.setdefault("is_bot", True)
    if result is None and payload.get("ok", True) and method != "getUpdates":
        payload["result"] = True  # edits, answerCallbackQuery, deleteMessage: Telegram says True
    if method.startswith(("send", "edit")) and isinstance(result, dict):
        _decode_echoed_json(result)
    if method == "getUpdates" and isinstance(result, list):
        for update in result:
            query = update.get("callback_query") if isinstance(update, dict) else None
            if isinstance(query, dict):
                query.setdefault("chat_instance", str(query.get("from", {}).get("id", "0")))
    _fix_dates(payload)
    return payload


def fix_request(method: str, data: RequestData | None) -> RequestData | None:
    """Make "no keyboard" explicit on edits.

    Telegram drops the inline keyboard when an edit omits `reply_markup`; the emulator keeps
    the old one (and ignores editMessageReplyMarkup without markup), so its history would show
    buttons the user no longer sees. An empty inline keyboard means the same on Telegram.
    """
    if method not in KEYBOARD_EDITS or data is None or data.contains_files:
        return data
    params = data.parameters
    if "reply_markup" in params:
        return data
    # RequestParameter is internal to PTB (pinned <23), but the only way to build a request.
    return RequestData([RequestParameter(name, value, None) for name, value in params.items()]
                       + [RequestParameter("reply_markup", NO_KEYBOARD, None)])


class CompatRequest(HTTPXRequest):
    """HTTPXRequest with `fix_request`/`fix_payload` applied and `ok: false` as an HTTP error.

    Network trouble is logged once when it starts (`describe` words it) and once when it ends,
    however many retries PTB makes in between (it backs off up to 30 s between polls)."""

    def __init__(self, *args: Any, describe: Callable[[Exception], str] = str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe = describe
        self._down = False

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: ODVInput[float] = DEFAULT_NONE,
                         write_timeout: ODVInput[float] = DEFAULT_NONE,
                         connect_timeout: ODVInput[float] = DEFAULT_NONE,
                         pool_timeout: ODVInput[float] = DEFAULT_NONE) -> tuple[int, bytes]:
        try:
            result = await self._fixed_request(url, method, request_data, read_timeout,
                                               write_timeout, connect_timeout, pool_timeout)
        except NetworkError as exc:
            if not self._down:
                log.warning("网络故障，正在自动重试 / network trouble, retrying: %s",
                            self._describe(exc))
            self._down = True
            raise
        if self._down:
            log.warning("网络已恢复 / connection to the Bot API restored")
            self._down = False
        return result

    async def _fixed_request(self, url: str, method: str, request_data: RequestData | None,
                             read_timeout: ODVInput[float], write_timeout: ODVInput[float],
                             connect_timeout: ODVInput[float],
                             pool_timeout: ODVInput[float]) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        request_data = fix_request(api_method, request_data)
        code, body = await super().do_request(url, method, request_data, read_timeout,
                                              write_timeout, connect_timeout, pool_timeout)
        if code != 200:
            return code, body
        try:
            payload = json.loads(body)
        except ValueError:
            return code, body
        if not isinstance(payload, dict):
            return code, body
        if payload.get("ok") is False:
            return int(payload.get("error_code") or 400), body
        fixed = fix_payload(api_method, payload)
        return code, json.dumps(fixed).encode()
