"""Telegram's flood limits as a Bot API stand-in enforces them, for the reminder benchmarks:
at most 30 messages in any one-second window per bot, and one message a second per chat.
A message over either limit is refused with 429 and `retry_after` (whole seconds, at least 1,
as Telegram sends it); every accepted message is logged with its time."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

BOT_PER_SECOND = 30
CHAT_INTERVAL = 1.0


@dataclass
class Accepted:
    """One message the stand-in accepted."""

    at: float  # time.monotonic() when accepted
    chat_id: int
    text: str


@dataclass
class FloodLimits:
    """Decides, per sendMessage, accept or 429; thread-safe (the HTTP stand-in is threaded)."""

    per_second: int = BOT_PER_SECOND
    chat_interval: float = CHAT_INTERVAL
    clock: Callable[[], float] = time.monotonic
    accepted: list[Accepted] = field(default_factory=list)
    refused: int = 0
    refused_chat: int = 0  # of which for the per-chat limit
    _window: deque[float] = field(default_factory=deque)
    _last_chat: dict[int, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, chat_id: int, text: str) -> int | None:
        """None when accepted (and logged), else the retry_after in seconds."""
        with self._lock:
            now = self.clock()
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            wait = 0.0
            if len(self._window) >= self.per_second:
                wait = 1.0 - (now - self._window[0])
            chat_wait = self._last_chat.get(chat_id, -1e9) + self.chat_interval - now
            if wait > 0 or chat_wait > 0:
                self.refused += 1
                self.refused_chat += chat_wait > 0 and wait <= 0
                return max(1, math.ceil(max(wait, chat_wait)))
            self._window.append(now)
            self._last_chat[chat_id] = now
            self.accepted.append(Accepted(now, chat_id, text))
            return None

    def duplicates(self, marker: Callable[[str], str | None]) -> tuple[Counter[str], int]:
        """Messages received per reminder (named by `marker` from the text) and how many
        reminders arrived more than once."""
        seen: Counter[str] = Counter(m for a in self.accepted if (m := marker(a.text)))
        return seen, sum(1 for n in seen.values() if n > 1)

    def rate(self) -> tuple[float, float]:
        """(seconds from the first accepted message to the last, messages per second)."""
        if len(self.accepted) < 2:
            return 0.0, 0.0
        span = self.accepted[-1].at - self.accepted[0].at
        return span, (len(self.accepted) - 1) / span if span else 0.0
