"""storage/fast.py: statements run on the driver's cursor store and read exactly what
SQLAlchemy's own execution does, on both backends, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlmodel import col

from storage.db import make_engine
from storage.fast import FastStatement
from storage.migrate import upgrade
from storage.models import UserState
from storage.repo import state

BIG_ID = 7_123_456_789  # beyond 32 bits, as Telegram ids are
WHEN = dt.datetime(2026, 12, 2, 10, 30, 15, 123456, tzinfo=dt.UTC)
DATA = {"asked": {"12": "低保多少钱"}, "draft": {"kids": [1, None, 2.5], "ok": True}}

_READ = select(col(UserState.data), col(UserState.updated_at)).where(
    col(UserState.telegram_id) == bindparam("user"))


def test_written_on_the_cursor_reads_back_the_same_through_sqlalchemy(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        state.set_user_data(conn=conn, telegram_id=BIG_ID, data=DATA, now=WHEN)
    with engine.connect() as conn:
        by_sqlalchemy = conn.execute(_READ, {"user": BIG_ID}).one()
        by_cursor = FastStatement(_READ).rows(conn, {"user": BIG_ID})
    assert tuple(by_sqlalchemy) == (DATA, WHEN)  # JSON and aware UTC, as the ORM stores them
    assert by_cursor == [(DATA, WHEN)]


def test_an_update_in_place_and_a_rolled_back_write(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        state.set_user_data(conn=conn, telegram_id=BIG_ID, data={"a": 1}, now=WHEN)
        state.set_user_data(conn=conn, telegram_id=BIG_ID, data={"a": 2}, now=WHEN)
    try:
        with engine.begin() as conn:
            state.set_user_data(conn=conn, telegram_id=BIG_ID, data={"a": 3}, now=WHEN)
            raise RuntimeError("the caller's transaction fails")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        states, data = state.chat_state(conn=conn, names=("check",), key="[1,1]",
                                        telegram_id=BIG_ID)
        nobody = state.chat_state(conn=conn, names=("check",), key="[2,2]", telegram_id=2)
    assert (states, data) == ({}, {"a": 2})
    assert nobody == ({}, None)
