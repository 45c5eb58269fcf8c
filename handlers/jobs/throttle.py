"""Telegram's flood limits, kept on our side: ~30 messages a second per bot, one a second
per private chat. The clock and the sleep are injected, so tests never wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

# A little under Telegram's 30/s and over its 1 s per chat: Telegram counts when a message
# arrives, so network jitter between two sends must not push two arrivals inside its limit
# (at exactly 30/s, 31 messages span exactly 1 s and any jitter draws a 429, which stops
# every chat for retry_after seconds). benchmarks/reminders.py measures the margin.
PER_SECOND = 29.5
PER_CHAT_INTERVAL = 1.05
# Tokens saved up while idle: a burst of 30 on top of a steady 30/s is 60 in one second.
# 0.3 over one message absorbs the ~1 ms an asyncio sleep oversleeps (else lost on every
# message: 28.5 msg/s measured) and still keeps any 31 messages more than 1 s apart.
BURST = 1.3
EPSILON = 1e-9  # seconds


@dataclass
class Throttle:
    """A token bucket for the bot and a minimum gap per chat."""

    rate: float = PER_SECOND
    chat_interval: float = PER_CHAT_INTERVAL
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    burst: float = BURST
    _tokens: float = field(default=BURST, init=False)
    _stamp: float | None = field(default=None, init=False)
    _last_chat: dict[int, float] = field(default_factory=dict, init=False)

    def chat_ready_in(self, chat_id: int) -> float:
        """Seconds until one more message to `chat_id` keeps the per-chat gap (0: now)."""
        return max(0.0, self._last_chat.get(chat_id, -1e9) + self.chat_interval - self.clock())

    async def wait(self, chat_id: int) -> None:
        """Return when one more message to `chat_id` stays within both limits."""
        while True:
            now = self.clock()
            if self._stamp is None:
                self._stamp = now
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            gap = self._last_chat.get(chat_id, -1e9) + self.chat_interval - now
            need = max(gap, (1 - self._tokens) / self.rate if self._tokens < 1 else 0.0)
            if need <= EPSILON:  # a sleep can end a float's hair short of `need`
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
