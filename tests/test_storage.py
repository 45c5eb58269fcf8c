"""The database layer on SQLite and on PostgreSQL: migrations, repository, a bot restart."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from bot.app import build_application
from bot.services import build_services
from bot.settings import Settings
from knowledge.loader import KnowledgeBase
from storage.db import make_engine, session, transaction
from storage.migrate import MIGRATIONS, current_revision, file_heads, head_revision, upgrade
from storage.models import QueryEventKind, Role, User
from storage.persistence import conversation_key
from storage.repo import events, state, users
from tests.fakes import FakeBotAPI, OfflineChat

BIG_TELEGRAM_ID = 2**40 + 7  # Telegram ids do not fit in 32 bits


def test_migrations_build_exactly_the_model_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)  # every start runs it: idempotent
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "models changed without a migration: alembic revision --autogenerate"


def _first_release_tables() -> sa.MetaData:
    """The tables exactly as the first release's create_all made them (native enums)."""
    meta = sa.MetaData()
    sa.Table("user", meta, sa.Column("telegram_id", sa.BigInteger, primary_key=True),
             sa.Column("region_id", sa.String(40)),
             sa.Column("role", sa.Enum("RESIDENT", "CASEWORKER", "SUPERVISOR", name="role"),
                       nullable=False),
             sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
             sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))
    sa.Table("queryevent", meta, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("kind", sa.Enum("UNANSWERED", "CLARIFIED", "UNHELPFUL", "HELPFUL",
                                       name="queryeventkind"), nullable=False, index=True),
             sa.Column("region_id", sa.String(40), nullable=False),
             sa.Column("question", sa.String(300), nullable=False),
             sa.Column("entry_id", sa.String(80)),
             sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    return meta


def test_a_database_made_before_migrations_is_upgraded_and_kept(database_url: str) -> None:
    engine = make_engine(database_url)
    old = _first_release_tables()
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(old.tables["user"].insert().values(
            telegram_id=BIG_TELEGRAM_ID, region_id="qinghe", role="RESIDENT",
            created_at=dt.datetime.now(dt.UTC), updated_at=dt.datetime.now(dt.UTC)))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:  # native ENUM types became the VARCHAR the models declare
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    with transaction(engine) as s:
        user = users.get_user(session=s, telegram_id=BIG_TELEGRAM_ID)
        s.add(User(telegram_id=1, role=Role.SUPERVISOR))
    assert user is not None and user.region_id == "qinghe" and user.role == Role.RESIDENT


def test_the_revision_files_name_the_head_alembic_finds() -> None:
    assert file_heads() == {head_revision()}  # what a start compares the database with


_START = """
import gc, json, sys
from bot.app import build_application
from bot.offline import OfflineBotAPI
from bot.services import build_services
from bot.settings import Settings
from knowledge.loader import load_knowledge
during = gc.get_threshold()
settings = Settings(_env_file=None, database_url=sys.argv[1])
build_application(build_services(settings, kb=load_knowledge()), request=OfflineBotAPI())
print(json.dumps({"alembic": "alembic" in sys.modules, "collector": [during, gc.get_threshold()]}))
"""


def _start(database_url: str) -> dict[str, Any]:
    """Start the bot's services in a fresh process: whether that imported alembic, and the
    collector's thresholds during and after start-up."""
    out = subprocess.run([sys.executable, "-c", _START, database_url], capture_output=True,
                         text=True, check=True)
    return dict(json.loads(out.stdout.splitlines()[-1]))


def test_a_restart_on_a_current_database_skips_alembic_and_collects_as_usual_once_wired(
        database_url: str) -> None:
    upgrade(make_engine(database_url))
    started = _start(database_url)
    assert not started["alembic"]  # ~0.1 s of every restart
    during, after = started["collector"]
    assert after[0] < 10_000 < during[0]  # rare collections until wired: bot/__init__.py


def test_a_database_one_revision_behind_is_migrated_at_start(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")  # households without last_visited_at
    assert _start(database_url)["alembic"]
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert "last_visited_at" in {c["name"] for c in sa.inspect(conn).get_columns("households")}


def test_repository_round_trip(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as s:
        users.set_region(session=s, telegram_id=BIG_TELEGRAM_ID, region_id="doumen")
        users.set_region(session=s, telegram_id=BIG_TELEGRAM_ID, region_id="qinghe")
        for _ in range(2):
            events.log_event(session=s, kind=QueryEventKind.UNANSWERED, region_id="qinghe",
                             question="护照在哪办 电话13800138000")
        events.log_event(session=s, kind=QueryEventKind.HELPFUL, region_id="qinghe",
                         question="低保标准", entry_id="qinghe-2020-rural-dibao-tekun-standard")
    with session(engine) as s:
        user = s.get(User, BIG_TELEGRAM_ID)
        misses = events.top_misses(session=s)
        recent = events.top_misses(session=s, since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    assert user is not None and user.region_id == "qinghe"
    assert user.updated_at.tzinfo is not None  # aware UTC on both backends
    assert misses == [("unanswered", "qinghe", "护照在哪办 电话#", 2)]  # votes are not misses
    assert recent == misses


def test_the_read_before_an_update_gives_the_named_conversations_of_its_key_only(
        database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    mine, other = conversation_key((BIG_TELEGRAM_ID, BIG_TELEGRAM_ID)), conversation_key((1, 1))
    with engine.begin() as conn:
        users.region_of(conn=conn, telegram_id=BIG_TELEGRAM_ID)
        state.set_conversation(conn=conn, name="check", key=mine, state=3)
        state.set_conversation(conn=conn, name="visit", key=mine, state=[1, "x"])
        state.set_conversation(conn=conn, name="retired", key=mine, state=9)  # not asked for
        state.set_conversation(conn=conn, name="check", key=other, state=5)
        state.set_user_data(conn=conn, telegram_id=BIG_TELEGRAM_ID, data={"draft": {"a": 1}})
    with engine.connect() as conn:
        found = state.chat_state(conn=conn, names=("check", "visit", "followup"), key=mine,
                                 telegram_id=BIG_TELEGRAM_ID)
        nobody = state.chat_state(conn=conn, names=("check",), key=conversation_key((2, 2)),
                                  telegram_id=2)
    assert found.states == {"check": 3, "visit": [1, "x"]}
    assert found.data == {"draft": {"a": 1}} and found.region_id is None
    assert nobody == state.ChatState({}, None, None)


def test_a_transaction_rolled_back_after_a_read_on_an_in_memory_database_leaves_nothing(
        ) -> None:
    """sqlite:// has one connection for everyone: the persistence must not keep it in
    autocommit (a change and its audit row would no longer be one transaction)."""
    from storage.persistence import SQLPersistence

    engine = make_engine("sqlite://")
    upgrade(engine)
    persistence = SQLPersistence(engine)
    with persistence.reading_ahead():
        persistence.read_chat_state(("check",), (BIG_TELEGRAM_ID, BIG_TELEGRAM_ID),
                                    BIG_TELEGRAM_ID)
    try:
        with transaction(engine) as s:
            users.set_region(session=s, telegram_id=BIG_TELEGRAM_ID, region_id="qinghe")
            raise RuntimeError("the change fails after its first write")
    except RuntimeError:
        pass
    with session(engine) as s:
        assert s.get(User, BIG_TELEGRAM_ID) is None


def test_a_conversation_key_is_its_json_text() -> None:
    for key in [(42, 42), (-1001234567890, BIG_TELEGRAM_ID), (7, 8, 9), (7, 8, "inline-id"),
                (), (True, 1)]:
        assert conversation_key(key) == json.dumps(list(key), separators=(",", ":"))


async def test_region_survives_arestart_on_either_database(database_url: str, tmp_path: Path,
                                                            kb: KnowledgeBase) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    api = FakeBotAPI()
    for restart in (False, True):
        app = build_application(build_services(settings, kb=kb), request=api)
        chat = OfflineChat(app, api, user_id=BIG_TELEGRAM_ID)
        async with app:
            if not restart:
                await chat.send("清河区")
            reply = "\n".join(str(m["text"]) for m in await chat.send("孩子上初中住校一年补多少"))
        assert "1250" in reply
