"""A resident's Telegram client, played against the telegram-test-api emulator.

The emulator's client API (node_modules/telegram-test-api/lib/routes/client): POST
/sendMessage, /sendCommand and /sendCallback take the message or callback query itself plus
`botToken`; POST /getUpdatesHistory {token} lists every stored update of the bot. Bot
messages are stored as the bot sent them (form fields: `chat_id` as a string, `text` in
Telegram HTML, `reply_markup` decoded) and edits are merged into the stored message, so the
history always shows each message as the user currently sees it.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = 10.0  # seconds for one reply; the bot polls every 0.1 s and answers in milliseconds
POLL = 0.05
BOT_USER = {"id": 666, "is_bot": True, "first_name": "Test First name"}  # the emulator's getMe
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    """One inline button as the user sees it."""

    label: str
    data: str


@dataclass(frozen=True)
class BotMessage:
    """A bot message in its current (possibly edited) state."""

    message_id: int
    date: int  # seconds
    html: str
    buttons: tuple[Button, ...]

    @property
    def text(self) -> str:
        """What the user reads: tags dropped, entities unescaped."""
        return html.unescape(_TAG.sub("", self.html))

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.buttons]


def _bot_message(update: dict[str, Any]) -> BotMessage:
    message = update["message"]
    markup = message.get("reply_markup") or {}
    buttons = tuple(Button(b["text"], b.get("callback_data", ""))
                    for row in markup.get("inline_keyboard", []) for b in row)
    return BotMessage(int(update["messageId"]), int(update["time"]) // 1000,
                      str(message.get("text", "")), buttons)


class Resident:
    """One user in a private chat (chat id = user id) with the bot."""

    def __init__(self, base_url: str, token: str, user_id: int) -> None:
        self.token = token
        self.user_id = user_id
        self.http = httpx.Client(base_url=base_url, timeout=5.0)
        self._user = {"id": user_id, "is_bot": False, "first_name": "村民",
                      "username": f"resident{user_id}"}
        self._chat = {"id": user_id, "type": "private", "first_name": "村民"}

    def close(self) -> None:
        self.http.close()

    # -- reading -------------------------------------------------------------------------
    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat, oldest first."""
        response = self.http.post("/getUpdatesHistory", json={"token": self.token})
        response.raise_for_status()
        # Bot messages carry `chat_id`; the user's own updates carry `chat` or `callbackQuery`.
        mine = [u for u in response.json()["result"]
                if str(u.get("message", {}).get("chat_id")) == str(self.user_id)]
        return sorted((_bot_message(u) for u in mine), key=lambda m: m.message_id)

    def wait_until(self, condition: Callable[[list[BotMessage]], BotMessage | None],
                   what: str, timeout: float = TIMEOUT) -> BotMessage:
        """Poll the history until `condition` picks a message; fail with the chat so far."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages()
            found = condition(messages)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                seen = "\n---\n".join(f"[{m.message_id}] {m.text} {m.labels}" for m in messages)
                raise AssertionError(f"no reply {what} within {timeout:.0f}s; chat:\n{seen}")
            time.sleep(POLL)

    def wait_for(self, needle: str, *, after: int = 0) -> BotMessage:
        """The newest message (id > after) whose visible text contains `needle`."""
        return self.wait_until(
            lambda ms: next((m for m in reversed(ms) if m.message_id > after and needle in m.text),
                            None), f"containing {needle!r}")

    def last_id(self) -> int:
        messages = self.messages()
        return messages[-1].message_id if messages else 0

    # -- acting --------------------------------------------------------------------------
    def send(self, text: str) -> BotMessage:
        """Type a message (or /command); return the first new bot message."""
        before = self.last_id()
        body: dict[str, Any] = {"botToken": self.token, "from": self._user, "chat": self._chat,
                                "date": int(time.time()), "text": text}
        route = "/sendMessage"
        if text.startswith("/"):
            route = "/sendCommand"  # the emulator insists on a bot_command entity here
            body["entities"] = [{"offset": 0, "length": len(text.split()[0]),
                                 "type": "bot_command"}]
        self.http.post(route, json=body).raise_for_status()
        return self.wait_until(
            lambda ms: next((m for m in ms if m.message_id > before), None), f"to {text!r}")

    def press(self, label: str, *, on: BotMessage | None = None) -> None:
        """Press a button on message `on`, or on the newest message that has it; wait until
        the chat changes (so a button must make the bot edit or send something).

        `label` matches a button exactly, or else as the start of exactly one label
        ("住校" for "住校（寄宿）"). Waiting for a change keeps consecutive presses of equal
        labels (否, 否) from hitting the same keyboard twice.
        """
        before = self.messages()
        candidates = [m for m in before if on is None or m.message_id == on.message_id]
        message, button = self._find(candidates, label)
        callback = {"botToken": self.token, "from": self._user, "data": button.data,
                    "message": {"message_id": message.message_id, "date": message.date,
                                "chat": self._chat, "from": BOT_USER, "text": message.text}}
        self.http.post("/sendCallback", json=callback).raise_for_status()
        self.wait_until(lambda ms: ms[-1] if ms != before else None, f"to pressing {label!r}")

    @staticmethod
    def _find(messages: list[BotMessage], label: str) -> tuple[BotMessage, Button]:
        for message in reversed(messages):
            exact = [b for b in message.buttons if b.label == label]
            prefix = [b for b in message.buttons if b.label.startswith(label)]
            if exact or len(prefix) == 1:
                return message, (exact or prefix)[0]
        shown = [m.labels for m in messages if m.buttons]
        raise AssertionError(f"no button {label!r}; keyboards in the chat: {shown}")
