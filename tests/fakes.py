"""The fake Bot API for tests: the offline server, strict about unknown methods."""

from __future__ import annotations

from bot.offline import Call, OfflineBotAPI, UnknownMethodError
from bot.offline_chat import OfflineChat

__all__ = ["Call", "FakeBotAPI", "OfflineChat", "UnknownMethodError"]


class FakeBotAPI(OfflineBotAPI):
    """Records every call; any method it does not implement raises UnknownMethodError."""
