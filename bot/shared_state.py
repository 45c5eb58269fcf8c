"""An Application whose chat state is the database's, so several processes can share it.

PTB reads conversation states from its persistence once, at start-up, and writes them back
every `update_interval` seconds. With two webhook processes behind one load balancer, each
would keep its own copy and the user's next tap could land on the process that never saw the
last one. This subclass reads the states of the update's conversation keys from the database
before the update is handled, with the user's data in the same statement (PTB then refreshes
user data through `BasePersistence.refresh_user_data`, which uses that read), and writes every
change back right after it (and, when the update changed nothing, skips PTB's write pass).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler
from telegram.ext._application import DEFAULT_GROUP
from telegram.ext._utils.types import ConversationKey

from storage.persistence import SQLPersistence

# The conversation key's parts (per_chat, per_user, per_message), and the persistent
# conversations keyed that way
Keying = tuple[bool, bool, bool]


def _persistent_conversations(handlers: list[BaseHandler[Any, Any, Any]]
                              ) -> list[tuple[Keying, tuple[str, ...]]]:
    """The names of the persistent ConversationHandlers, grouped by how they key a
    conversation: an update's key is worked out once per group, not once per handler."""
    groups: dict[Keying, list[str]] = {}
    for h in handlers:
        if isinstance(h, ConversationHandler) and h.persistent and h.name:
            groups.setdefault((h.per_chat, h.per_user, h.per_message), []).append(h.name)
    return [(keying, tuple(names)) for keying, names in groups.items()]


def _key(keying: Keying, update: Update) -> ConversationKey | None:
    """The key PTB's ConversationHandler gives this update (its `_get_key`, from the public
    per_chat/per_user/per_message settings), or None when the update has no such key."""
    per_chat, per_user, per_message = keying
    key: list[int | str] = []
    if per_chat:
        if update.effective_chat is None:
            return None
        key.append(update.effective_chat.id)
    if per_user:
        if update.effective_user is None:
            return None
        key.append(update.effective_user.id)
    if per_message:
        query = update.callback_query
        if query is None or (query.message is None and query.inline_message_id is None):
            return None
        key.append(query.inline_message_id or query.message.message_id)  # type: ignore[union-attr]
    return tuple(key)


class SharedStateApplication(Application):
    """Application with read-before / write-after of conversation state (see module doc)."""

    # The persistent conversations, found once (handlers are added before the first update;
    # add_handler and remove_handler forget the list).
    _persistent: list[tuple[Keying, tuple[str, ...]]] | None = None

    def add_handler(self, handler: BaseHandler[Any, Any, Any], group: int = DEFAULT_GROUP) -> None:
        super().add_handler(handler, group)
        self._persistent = None

    def remove_handler(self, handler: BaseHandler[Any, Any, Any],
                       group: int = DEFAULT_GROUP) -> None:
        super().remove_handler(handler, group)
        self._persistent = None

    async def process_update(self, update: object) -> None:
        persistence = self.persistence
        if isinstance(update, Update) and isinstance(persistence, SQLPersistence):
            with persistence.reading_ahead():
                self._load_conversations(persistence, update)
                await super().process_update(update)
            if self._changed(persistence):
                await self.update_persistence()
        else:  # another persistence (a benchmark's PicklePersistence) keeps PTB's own timing
            await super().process_update(update)

    def _changed(self, persistence: SQLPersistence) -> bool:
        """Whether PTB's update_persistence has anything to write: a conversation state set, a
        user's data dropped or different from what was read. Most updates (a question, a tap
        that changes no state) have nothing, and update_persistence costs ~100 µs even then
        (a lock, deep copies, a task per write). The attributes are PTB's own bookkeeping;
        looked up without defaults so that a PTB that renames them fails loudly in the
        persistence tests instead of silently skipping writes."""
        if self._user_ids_to_be_deleted_in_persistence:
            return True
        if any(states._write_access_keys
               for states in self._conversation_handler_conversations.values()):
            return True
        marked = self._user_ids_to_be_updated_in_persistence
        if any(persistence.user_data_changed(user_id, self.user_data[user_id])
               for user_id in marked if user_id in self.user_data):
            return True
        marked.clear()  # nothing of theirs changed: PTB would find the same and write nothing
        return False

    def _load_conversations(self, persistence: SQLPersistence, update: Update) -> None:
        if self._persistent is None:
            self._persistent = _persistent_conversations(
                list(chain.from_iterable(self.handlers.values())))
        loaded = self._conversation_handler_conversations
        by_key: dict[ConversationKey, list[str]] = {}  # one statement per distinct key
        for keying, all_names in self._persistent:
            key = _key(keying, update)
            names = [n for n in all_names if n in loaded]
            if key is not None and names:
                by_key.setdefault(key, []).extend(names)
        user = update.effective_user
        for n, (key, names) in enumerate(by_key.items()):
            if n == 0 and user is not None:  # with the user's data, for refresh_user_data
                stored = persistence.read_chat_state(tuple(names), key, user.id)
            else:
                stored = persistence.load_conversations(key)
            for name in names:
                states = loaded[name]
                # Without tracking: loading is not a change to write back.
                if name in stored:
                    states.update_no_track({key: stored[name]})
                else:
                    states.data.pop(key, None)
