"""HTTPXRequest that smooths over Bot API servers which deviate from Telegram's.

All known quirks of the `telegram-test-api` emulator are fixed here, in one place; on the
real Bot API every rewrite below is a no-op.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import HTTPXRequest, RequestData

MS_THRESHOLD = 10**11  # a Unix time above this is in milliseconds (year 5138 in seconds)


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


def fix_payload(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Rewrite one decoded response so stock python-telegram-bot accepts it."""
    result = payload.get("result")
    if method == "getMe" and isinstance(result, dict):
        result.setdefault("is_bot", True)
    if method.startswith("edit") and result is None and payload.get("ok", True):
        payload["result"] = True  # Telegram returns the message or True; never null
    if method == "getUpdates" and isinstance(result, list):
        for update in result:
            query = update.get("callback_query") if isinstance(update, dict) else None
            if isinstance(query, dict):
                query.setdefault("chat_instance", str(query.get("from", {}).get("id", "0")))
    _fix_dates(payload)
    return payload


class CompatRequest(HTTPXRequest):
    """HTTPXRequest with `fix_payload` applied and `ok: false` turned into an HTTP error."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **timeouts: Any) -> tuple[int, bytes]:
        code, body = await super().do_request(url, method, request_data, **timeouts)
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
        fixed = fix_payload(url.rsplit("/", 1)[-1], payload)
        return code, json.dumps(fixed).encode()
