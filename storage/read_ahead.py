"""The user's saved region as read before the update being handled, for that update only.

bot.shared_state reads each update's chat state in one statement before the update is
handled (storage.persistence.SQLPersistence.read_chat_state), and the user's saved region
comes with it: every question needs the region, and a read of its own cost as much as that
whole statement. A context variable, so concurrent updates and jobs never see another
update's read; it is forgotten when the update ends, and when the update changes the region
(storage.repo.users.set_region), so a later look-up reads the database again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_REGION: ContextVar[tuple[int, str | None] | None] = ContextVar("bangfu_region_read",
                                                                default=None)


@contextmanager
def update_scope() -> Iterator[None]:
    """The scope of one update: what was read ahead inside it is forgotten after."""
    token = _REGION.set(None)
    try:
        yield
    finally:
        _REGION.reset(token)


def remember_region(telegram_id: int, region_id: str | None) -> None:
    """The region read for the user whose update this is (None: none saved)."""
    _REGION.set((telegram_id, region_id))


def forget_region() -> None:
    """The region was changed: the next look-up reads the database."""
    _REGION.set(None)


def region_read(telegram_id: int) -> tuple[bool, str | None]:
    """(True, region) when this update read the user's region ahead; (False, None) when not."""
    ahead = _REGION.get()
    if ahead is None or ahead[0] != telegram_id:
        return False, None
    return True, ahead[1]
