"""A simulated private chat over OfflineBotAPI: type text, press buttons, read the replies."""

from __future__ import annotations

import itertools
import time
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.offline import OfflineBotAPI


class OfflineChat:
    """One user talking to the real Application through the offline Bot API."""

    def __init__(self, app: Application, api: OfflineBotAPI,
                 user_id: int = 4242) -> None:
        self.app, self.api, self.user_id = app, api, user_id
        self.outbox: list[dict[str, Any]] = []  # what the last update made the bot send
        self.history: list[dict[str, Any]] = []  # everything sent to this chat, also unprompted
        self.notices: list[str] = []  # pop-ups (answerCallbackQuery text) of the last update
        self.keyboard_message: dict[str, Any] | None = None
        api.on_send.append(self._record)
        self._ids = itertools.count(1)

    def _record(self, message: dict[str, Any]) -> None:
        if message["chat"]["id"] != self.user_id:
            return
        self.outbox.append(dict(message))
        self.history.append(dict(message))
        if message.get("reply_markup"):
            self.keyboard_message = message
        elif self.keyboard_message and message["message_id"] == self.keyboard_message["message_id"]:
            self.keyboard_message = None

    def _user(self) -> dict[str, Any]:
        return {"id": self.user_id, "is_bot": False, "first_name": "居民", "language_code": "zh"}

    async def _process(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        self.outbox = []
        self.notices.clear()
        self.api.on_notice = self.notices.append
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        return self.outbox

    def _message(self, **content: Any) -> dict[str, Any]:
        return {"message_id": next(self._ids), "date": int(time.time()),
                "chat": {"id": self.user_id, "type": "private"}, "from": self._user(), **content}

    async def send(self, text: str) -> list[dict[str, Any]]:
        """The user types a message (a leading /command becomes a bot_command entity)."""
        message = self._message(text=text)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return await self._process({"update_id": next(self._ids), "message": message})

    async def send_document(self, content: bytes, filename: str,
                            mime_type: str = "application/octet-stream",
                            caption: str | None = None) -> list[dict[str, Any]]:
        """The user sends a file (the bot can getFile and download it)."""
        file_id = self.api.upload(content)
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": filename,
                    "mime_type": mime_type, "file_size": len(content)}
        extra = {"caption": caption} if caption else {}
        return await self._process({"update_id": next(self._ids),
                                    "message": self._message(document=document, **extra)})

    async def send_photo(self, content: bytes, caption: str | None = None
                         ) -> list[dict[str, Any]]:
        """The user sends a photo (one size)."""
        file_id = self.api.upload(content)
        photo = [{"file_id": file_id, "file_unique_id": file_id, "width": 640, "height": 480,
                  "file_size": len(content)}]
        extra = {"caption": caption} if caption else {}
        return await self._process({"update_id": next(self._ids),
                                    "message": self._message(photo=photo, **extra)})

    async def send_location(self, latitude: float, longitude: float) -> list[dict[str, Any]]:
        """The user shares a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._process({"update_id": next(self._ids),
                                    "message": self._message(location=location)})

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of the newest message that still has buttons."""
        markup = (self.keyboard_message or {}).get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    async def press(self, label: str | int, *,
                    on: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Press a button by label (exact or contained) or by 1-based number, on the newest
        message with buttons or on message `on` (a message dict from an earlier reply)."""
        message = on if on is not None else self.keyboard_message
        assert message is not None, "no message with buttons"
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [(b["text"], b.get("callback_data", "")) for row in rows for b in row]
        if isinstance(label, int):
            data = buttons[label - 1][1]
        else:
            data = next(d for t, d in buttons if t == label or label in t)
        query = {"id": f"{self.user_id}:{next(self._ids)}",  # unique across chats
                 "from": self._user(), "chat_instance": "offline",
                 "data": data, "message": message}
        return await self._process({"update_id": next(self._ids), "callback_query": query})
