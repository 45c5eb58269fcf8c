"""storage/fast.py: statements run on the driver's cursor store and read exactly what
SQLAlchemy's own execution does, on both backends, inside the caller's transaction; and the
hot-path rows written that way (user data, the questions behind answer buttons)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import command
from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from storage.db import make_engine
from storage.fast import FastStatement
from storage.migrate import _config, upgrade
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
        found = state.chat_state(conn=conn, names=("check",), key="[1,1]", telegram_id=BIG_ID)
        nobody = state.chat_state(conn=conn, names=("check",), key="[2,2]", telegram_id=2)
    assert (found.states, found.data, found.region_id) == ({}, {"a": 2}, None)
    assert nobody == state.ChatState({}, None, None)


def test_the_chat_state_read_finds_states_data_and_region_in_one_statement(
        database_url: str) -> None:
    from storage.repo import users

    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        state.set_conversation(conn=conn, name="check", key="[1,1]", state=3, now=WHEN)
        state.set_conversation(conn=conn, name="visit", key="[1,1]", state="note", now=WHEN)
        state.set_conversation(conn=conn, name="check", key="[2,2]", state=9, now=WHEN)
        state.set_user_data(conn=conn, telegram_id=BIG_ID, data=DATA, now=WHEN)
    with Session(engine) as session, session.begin():
        users.set_region(session=session, telegram_id=BIG_ID, region_id="qinghe")
    with engine.connect() as conn:
        found = state.chat_state(conn=conn, names=("check", "visit", "invite"), key="[1,1]",
                                 telegram_id=BIG_ID)
        one = state.chat_state(conn=conn, names=("visit",), key="[1,1]", telegram_id=BIG_ID)
    assert found == state.ChatState({"check": 3, "visit": "note"}, DATA, "qinghe")
    assert one == state.ChatState({"visit": "note"}, DATA, "qinghe")


def test_a_region_read_ahead_is_forgotten_when_the_update_changes_it(database_url: str) -> None:
    from storage import read_ahead
    from storage.persistence import SQLPersistence
    from storage.repo import users

    engine = make_engine(database_url)
    upgrade(engine)
    persistence = SQLPersistence(engine)
    with persistence.reading_ahead():
        persistence.read_chat_state(("check",), (BIG_ID, BIG_ID), BIG_ID)
        assert read_ahead.region_read(BIG_ID) == (True, None)  # no user row yet
        assert read_ahead.region_read(2) == (False, None)  # another user's is not read
        with Session(engine) as session, session.begin():
            users.set_region(session=session, telegram_id=BIG_ID, region_id="doumen")
        assert read_ahead.region_read(BIG_ID) == (False, None)  # read it again
    persistence.read_chat_state(("check",), (BIG_ID, BIG_ID), BIG_ID)
    with persistence.reading_ahead():  # a new update starts with nothing read
        assert read_ahead.region_read(BIG_ID) == (False, None)


def test_only_the_newest_questions_of_a_user_are_kept(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    for message_id in range(1, 26):
        with engine.begin() as conn:
            state.remember_question(conn=conn, telegram_id=BIG_ID, message_id=message_id,
                                    question=f"问题{message_id}", keep=20, now=WHEN)
    with engine.begin() as conn:  # another user's are their own
        state.remember_question(conn=conn, telegram_id=2, message_id=1, question="别人的",
                                keep=20, now=WHEN)
        state.remember_question(conn=conn, telegram_id=BIG_ID, message_id=25,
                                question="问题25改", keep=20, now=WHEN)  # asked again: replaced
    with engine.connect() as conn:
        kept = {m: state.question_of(conn=conn, telegram_id=BIG_ID, message_id=m)
                for m in range(1, 26)}
        other = state.question_of(conn=conn, telegram_id=2, message_id=1)
    assert [m for m, q in kept.items() if q is None] == [1, 2, 3, 4, 5]
    assert kept[6] == "问题6" and kept[25] == "问题25改"
    assert other == "别人的"


def test_the_migration_moves_asked_questions_out_of_user_data(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        cfg = _config(conn)
        command.upgrade(cfg, "0007")
    states = sa.table("user_states", sa.column("telegram_id", sa.BigInteger()),
                      sa.column("data", sa.JSON()), sa.column("updated_at", sa.DateTime()))
    with engine.begin() as conn:
        conn.execute(sa.insert(states), [
            {"telegram_id": BIG_ID, "data": {"asked": {"12": "低保多少钱"}, "draft": {"a": 1}},
             "updated_at": WHEN.replace(tzinfo=None)},
            {"telegram_id": 2, "data": {"asked": {"7": "护照"}},
             "updated_at": WHEN.replace(tzinfo=None)}])
    upgrade(engine)
    with engine.connect() as conn:
        left = dict(conn.execute(sa.select(states.c.telegram_id, states.c.data)).all())
        moved = [state.question_of(conn=conn, telegram_id=BIG_ID, message_id=12),
                 state.question_of(conn=conn, telegram_id=2, message_id=7)]
    assert moved == ["低保多少钱", "护照"]
    assert {k: (json.loads(v) if isinstance(v, str) else v) for k, v in left.items()} == {
        BIG_ID: {"draft": {"a": 1}}}  # a user with nothing else left has no row
