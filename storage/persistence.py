"""PTB persistence over the database: conversation states and user data are rows.

PTB keeps both in memory and hands them to a persistence object now and then; with a pickle
file, a second bot process (or a restart between two flushes) loses what the first one holds.
Here every read goes to the database: before each update bot.shared_state.SharedStateApplication
calls `read_chat_state`, one statement for the update's conversation states, the user's data
(which `refresh_user_data`, called by PTB as the update is handled, then uses instead of reading
again) and the user's saved region (storage.read_ahead), and the application writes through
after each update. Values are JSON, so user data keys are strings. chat_data, bot_data and
callback_data are not stored (bot_data holds live objects).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import SingletonThreadPool, StaticPool
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage import read_ahead
from storage.repo import state

UserData = dict[str, Any]
STORED = PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False)


def conversation_key(key: ConversationKey) -> str:
    """PTB's key tuple as the row key: [chat_id, user_id] in JSON."""
    if all(type(part) is int for part in key):  # chat and user ids: json.dumps's text, sooner
        return "[" + ",".join(map(str, key)) + "]"
    return json.dumps(list(key), separators=(",", ":"))


_EMPTY = "{}"


def _canonical(data: UserData) -> str:
    """The data as JSON text, to compare with what was read (most users have none)."""
    if not data:
        return _EMPTY
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


# The user data read with the conversation states before the update being handled in this
# task: (user id, data). A context variable, so concurrent updates and jobs never see another
# update's read; it is used once, so any later refresh reads the database again.
_READ_AHEAD: ContextVar[tuple[int, UserData] | None] = ContextVar("bangfu_user_data_read",
                                                                   default=None)


def _disposed(persistence: weakref.ref[SQLPersistence], _engine: Engine) -> None:
    found = persistence()
    if found is not None:
        found._close_reader()


class SQLPersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """Conversations and user_data as rows of `conversation_states` and `user_states`."""

    def __init__(self, engine: Engine, update_interval: float = 60) -> None:
        super().__init__(store_data=STORED, update_interval=update_interval)
        self.engine = engine
        # JSON of each user's data as last read or written here: an update that changed
        # nothing writes nothing, and never overwrites what another process wrote meanwhile.
        self._seen: dict[int, str] = {}
        # The read before each update runs on a connection kept for it, in autocommit (a read
        # never holds a transaction open, so it never blocks a migration or VACUUM, and each
        # statement sees what other processes committed). A pooled connection costs a
        # checkout every update: on PostgreSQL the pool's pre-ping and the rollback on return
        # are two round trips (benchmarks/updates.py --postgresql: ~600 µs against ~130 µs),
        # on SQLite ~30 µs. One connection is enough: the read runs on the event loop's
        # thread and has no await inside it. A broken one (a database restart) is replaced.
        self._reader: Connection | None = None
        # ... unless the pool has one connection for everyone (an in-memory SQLite database):
        # autocommit on it would make every transaction on that connection autocommit too
        self._keeps_reader = not isinstance(engine.pool, SingletonThreadPool | StaticPool)
        # engine.dispose() (a command, a test) drops the pool; the kept connection goes with it
        # (held, it would keep a session open and DROP DATABASE would fail)
        event.listen(engine, "engine_disposed", partial(_disposed, weakref.ref(self)))

    # -- conversations -------------------------------------------------------------------
    async def get_conversations(self, name: str) -> ConversationDict:
        with self.engine.connect() as conn:
            rows = state.conversations(conn=conn, name=name)
        return {tuple(json.loads(key)): value for key, value in rows}

    def load_conversations(self, key: ConversationKey) -> dict[str, object]:
        """Conversation name -> stored state, for one key (one query for all conversations)."""
        with self.engine.connect() as conn:
            return state.conversations_of(conn=conn, key=conversation_key(key))

    def read_chat_state(self, names: tuple[str, ...], key: ConversationKey,
                        user_id: int) -> dict[str, object]:
        """Conversation name -> stored state of the named conversations for one key; the
        user's data and saved region are read in the same statement and kept for
        `refresh_user_data` and storage.read_ahead (use inside `reading_ahead`)."""
        found = self._read_state(names, conversation_key(key), user_id)
        _READ_AHEAD.set((user_id, found.data or {}))
        read_ahead.remember_region(user_id, found.region_id)
        return found.states

    def _read_state(self, names: tuple[str, ...], key: str, user_id: int) -> state.ChatState:
        """storage.repo.state.chat_state on the kept connection; once more on a new one if
        the driver finds that connection broken."""
        if not self._keeps_reader:
            with self.engine.connect() as conn:
                return state.chat_state(conn=conn, names=names, key=key, telegram_id=user_id)
        try:
            return state.chat_state(conn=self._kept(), names=names, key=key,
                                    telegram_id=user_id)
        except self.engine.dialect.loaded_dbapi.Error:
            self._close_reader(broken=True)  # (a database restart): once more, on a new one
        return state.chat_state(conn=self._kept(), names=names, key=key, telegram_id=user_id)

    def _kept(self) -> Connection:
        if self._reader is None:
            self._reader = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._reader

    def _close_reader(self, *, broken: bool = False) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            if broken:
                reader.invalidate()  # the pool must not hand this one out again
            reader.close()

    @contextmanager
    def reading_ahead(self) -> Iterator[None]:
        """The scope of one update: what `read_chat_state` read (the user's data, the saved
        region) is forgotten after."""
        token = _READ_AHEAD.set(None)
        try:
            with read_ahead.update_scope():
                yield
        finally:
            _READ_AHEAD.reset(token)

    async def update_conversation(self, name: str, key: ConversationKey,
                                  new_state: object | None) -> None:
        with self.engine.begin() as conn:
            state.set_conversation(conn=conn, name=name, key=conversation_key(key),
                                   state=new_state)

    # -- user data -----------------------------------------------------------------------
    async def get_user_data(self) -> dict[int, UserData]:
        return {}  # loaded per user by refresh_user_data, before each of their updates

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        ahead = _READ_AHEAD.get()
        if ahead is not None and ahead[0] == user_id:
            _READ_AHEAD.set(None)
            stored = ahead[1]
        else:
            with self.engine.connect() as conn:
                stored = state.get_user_data(conn=conn, telegram_id=user_id) or {}
        user_data.clear()
        user_data.update(stored)
        self._seen[user_id] = _canonical(stored)

    def user_data_changed(self, user_id: int, data: UserData) -> bool:
        """Whether `data` differs from the user's data as last read or written here."""
        return self._seen.get(user_id, _EMPTY) != _canonical(data)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        text = _canonical(data)
        if self._seen.get(user_id, _EMPTY) == text:
            return
        with self.engine.begin() as conn:
            state.set_user_data(conn=conn, telegram_id=user_id, data=json.loads(text))
        self._seen[user_id] = text

    async def drop_user_data(self, user_id: int) -> None:
        with self.engine.begin() as conn:
            state.drop_user_data(conn=conn, telegram_id=user_id)
        self._seen.pop(user_id, None)

    # -- not stored ----------------------------------------------------------------------
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        """At shutdown: every write has already been committed; the kept connection is
        given back (a later update opens a new one)."""
        self._close_reader()
