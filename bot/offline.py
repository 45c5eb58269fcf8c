"""An in-process Bot API: a BaseRequest that answers like Telegram and records every call.

The terminal console and the test-suite both run the real Application over it, so what a
newcomer sees locally is exactly what the bot sends on Telegram.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 10**9 + 7, "is_bot": True, "first_name": "帮扶助手", "username": "bangfu_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


class UnknownMethodError(RuntimeError):
    """The bot called a Bot API method the offline server does not implement."""


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]


@dataclass
class OfflineBotAPI(BaseRequest):
    """Answers getMe, send*, edit*, answerCallbackQuery, ...; fails on anything else."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    on_send: Callable[[dict[str, Any]], None] | None = None
    on_notice: Callable[[str], None] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Call(name, params))
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            raise UnknownMethodError(f"offline Bot API has no method {name}")
        result = handler(params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # Bot API methods -----------------------------------------------------------------------
    def _api_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_deleteWebhook(self, _: dict[str, Any]) -> bool:
        return True

    def _api_setMyCommands(self, _: dict[str, Any]) -> bool:
        return True

    def _api_getUpdates(self, _: dict[str, Any]) -> list[Any]:
        return []

    def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        if p.get("text") and self.on_notice:
            self.on_notice(str(p["text"]))  # the pop-up a phone shows over the chat
        return True

    def _api_sendChatAction(self, _: dict[str, Any]) -> bool:
        return True

    def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        message = {"message_id": next(self._ids), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER,
                   "text": p["text"]}
        if p.get("reply_markup"):
            message["reply_markup"] = _markup(p["reply_markup"])
        self.messages[(chat_id, message["message_id"])] = message
        if self.on_send:
            self.on_send(message)
        return message

    def _api_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._api_sendMessage({"chat_id": p["chat_id"], "text": "[文件]"})

    def _api_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._api_sendMessage({"chat_id": p["chat_id"], "text": "[图片]"})

    def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[(int(p["chat_id"]), int(p["message_id"]))]
        message["text"] = p["text"]
        message.pop("reply_markup", None)
        if p.get("reply_markup"):
            message["reply_markup"] = _markup(p["reply_markup"])
        if self.on_send:
            self.on_send(message)
        return message

    def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[(int(p["chat_id"]), int(p["message_id"]))]
        message.pop("reply_markup", None)
        if p.get("reply_markup"):
            message["reply_markup"] = _markup(p["reply_markup"])
        return message

    # helpers for drivers -------------------------------------------------------------------
    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every call of one method, in order."""
        return [c.params for c in self.calls if c.method == method]


def _markup(raw: Any) -> dict[str, Any]:
    markup = json.loads(raw) if isinstance(raw, str) else raw
    assert isinstance(markup, dict)
    return markup
