"""Telegram's flood limits, kept on our side: ~30 messages a second per bot, one a second
per private chat. The clock and the sleep are injected, so tests never wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

PER_SECOND = 30.0
PER_CHAT_INTERVAL = 1.0


@dataclass
class Throttle:
    """A token bucket for the bot and a minimum gap per chat."""

    rate: float = PER_SECOND
    chat_interval: float = PER_CHAT_INTERVAL
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _tokens: float = field(default=PER_SECOND, init=False)
    _stamp: float | None = field(default=None, init=False)
    _last_chat: dict[int, float] = field(default_factory=dict, init=False)

    async def wait(self, chat_id: int) -> None:
        """Return when one more message to `chat_id` stays within both limits."""
        while True:
            now = self.clock()
            if self._stamp is None:
                self._stamp = now
            self._tokens = min(self.rate, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            gap = self._last_chat.get(chat_id, -1e9) + self.chat_interval - now
            need = max(gap, (1 - self._tokens) / self.rate if self._tokens < 1 else 0.0)
            if need <= 0:
                self._tokens -= 1
                self._last_chat[chat_id] = now
                if len(self._last_chat) > 10_000:  # forget chats not written to for long
                    self._last_chat = {c: t for c, t in self._last_chat.items()
                                       if now - t < self.chat_interval}
                return
            await self.sleep(need)

    def pause(self, seconds: float) -> None:
        """A 429 said to wait: no token until then."""
        self._tokens = min(self._tokens, 0.0) - seconds * self.rate
