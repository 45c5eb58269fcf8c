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


@dataclass(frozen=True)
class ApiError(Exception):
    """An error answer of the Bot API (429 with retry_after, 403 blocked, 400 bad request)."""

    code: int
    description: str
    retry_after: int | None = None

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class SentFile:
    """A document or photo the bot sent, with its bytes."""

    chat_id: int
    method: str  # sendDocument, sendPhoto
    filename: str
    content: bytes
    caption: str | None


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
    # Every chat driving this server listens (several users can talk to one bot).
    on_send: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    on_notice: Callable[[str], None] | None = None  # the pop-ups of the update being processed
    # Decides, before a call is answered, whether it fails (flood limits, blocked users).
    fail: Callable[[str, dict[str, Any]], ApiError | None] | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # file_id -> content (getFile)
    sent_files: list[SentFile] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)  # callback queries answered (only once)
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
        if method == "GET" and "/file/bot" in url:  # File.download_*: the bytes themselves
            file_id = url.rsplit("/", 1)[-1]
            return (200, self.files[file_id]) if file_id in self.files else (404, b"")
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        uploads = request_data.multipart_data if request_data and request_data.contains_files \
            else {}
        self.calls.append(Call(name, params))
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            raise UnknownMethodError(f"offline Bot API has no method {name}")
        error = self.fail(name, params) if self.fail else None
        if error is not None:
            return error.code, json.dumps(error.payload()).encode()
        try:
            result = handler(params, uploads) if name in _UPLOADING else handler(params)
        except ApiError as exc:
            return exc.code, json.dumps(exc.payload()).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def upload(self, content: bytes) -> str:
        """Store a file as if a user had sent it; its file_id (for getFile and download)."""
        file_id = f"file{next(self._ids)}"
        self.files[file_id] = content
        return file_id

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
        query_id = str(p.get("callback_query_id"))
        if query_id in self.answered:  # as Telegram: a query is answered once
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        self.answered.add(query_id)
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
        for listener in self.on_send:
            listener(message)
        return message

    def _api_sendDocument(self, p: dict[str, Any], uploads: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendDocument", p, uploads, "document")

    def _api_sendPhoto(self, p: dict[str, Any], uploads: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendPhoto", p, uploads, "photo")

    def _send_file(self, method: str, p: dict[str, Any], uploads: dict[str, Any],
                   field_name: str) -> dict[str, Any]:
        """Keep the bytes; the chat shows a line naming the file and its caption."""
        filename, content = "", b""
        for name, data, *_ in uploads.values():  # (file name, bytes or a file, mime type)
            filename = name or ""
            content = data.read() if hasattr(data, "read") else bytes(data)
        chat_id = int(p["chat_id"])
        caption = p.get("caption")
        self.sent_files.append(SentFile(chat_id, method, filename, content, caption))
        file_id = self.upload(content)
        label = "[文件 " + filename + "]" if field_name == "document" else "[图片]"
        message = self._api_sendMessage({"chat_id": chat_id,
                                         "text": label + (f"\n{caption}" if caption else "")})
        message[field_name] = ({"file_id": file_id, "file_unique_id": file_id,
                                "file_name": filename, "file_size": len(content)}
                               if field_name == "document" else
                               [{"file_id": file_id, "file_unique_id": file_id,
                                 "width": 1, "height": 1, "file_size": len(content)}])
        return message

    def _api_getFile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p["file_id"])
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id,
                "file_size": len(self.files[file_id]), "file_path": file_id}

    def _api_deleteMyCommands(self, _: dict[str, Any]) -> bool:
        return True

    def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[(int(p["chat_id"]), int(p["message_id"]))]
        message["text"] = p["text"]
        message.pop("reply_markup", None)
        if p.get("reply_markup"):
            message["reply_markup"] = _markup(p["reply_markup"])
        for listener in self.on_send:
            listener(message)
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


_UPLOADING = ("sendDocument", "sendPhoto")


def _markup(raw: Any) -> dict[str, Any]:
    markup = json.loads(raw) if isinstance(raw, str) else raw
    assert isinstance(markup, dict)
    return markup
