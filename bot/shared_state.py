"""An Application whose chat state is the database's, so several processes can share it.

PTB reads conversation states from its persistence once, at start-up, and writes them back
every `update_interval` seconds. With two webhook processes behind one load balancer, each
would keep its own copy and the user's next tap could land on the process that never saw the
last one. This subclass reads the states of the update's conversation keys from the database
before the update is handled (user data is refreshed by PTB itself, through
`BasePersistence.refresh_user_data`) and writes every change back right after it.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler
from telegram.ext._utils.types import ConversationKey

from storage.persistence import SQLPersistence


def _persistent_conversations(handlers: list[BaseHandler[Any, Any, Any]]
                              ) -> list[ConversationHandler[Any]]:
    return [h for h in handlers if isinstance(h, ConversationHandler) and h.persistent and h.name]


def _key(handler: ConversationHandler[Any], update: Update) -> ConversationKey | None:
    """The key PTB's ConversationHandler gives this update (its `_get_key`, from the public
    per_chat/per_user/per_message settings), or None when the update has no such key."""
    key: list[int | str] = []
    if handler.per_chat:
        if update.effective_chat is None:
            return None
        key.append(update.effective_chat.id)
    if handler.per_user:
        if update.effective_user is None:
            return None
        key.append(update.effective_user.id)
    if handler.per_message:
        query = update.callback_query
        if query is None or (query.message is None and query.inline_message_id is None):
            return None
        key.append(query.inline_message_id or query.message.message_id)  # type: ignore[union-attr]
    return tuple(key)


class SharedStateApplication(Application):
    """Application with read-before / write-after of conversation state (see module doc)."""

    async def process_update(self, update: object) -> None:
        persistence = self.persistence
        if isinstance(update, Update) and isinstance(persistence, SQLPersistence):
            self._load_conversations(persistence, update)
        await super().process_update(update)
        if persistence is not None:
            await self.update_persistence()

    def _load_conversations(self, persistence: SQLPersistence, update: Update) -> None:
        handlers = _persistent_conversations(list(chain.from_iterable(self.handlers.values())))
        stored: dict[ConversationKey, dict[str, object]] = {}  # one query per distinct key
        for handler in handlers:
            key = _key(handler, update)
            assert handler.name is not None
            states = self._conversation_handler_conversations.get(handler.name)
            if key is None or states is None:
                continue
            if key not in stored:
                stored[key] = persistence.load_conversations(key)
            # Without tracking: loading is not a change to write back.
            if handler.name in stored[key]:
                states.update_no_track({key: stored[key][handler.name]})
            else:
                states.data.pop(key, None)
