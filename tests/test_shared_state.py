"""Chat state lives in the database: two bot processes on one database continue each other's
conversations, and two processes starting at once migrate the schema once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.app import build_application
from bot.services import Services, build_services
from bot.settings import Settings
from knowledge.loader import KnowledgeBase
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, upgrade
from storage.persistence import SQLPersistence
from tests.fakes import FakeBotAPI, OfflineChat
from tests.test_journeys import texts


def _two_processes(database_url: str, kb: KnowledgeBase) -> tuple[Services, OfflineChat,
                                                                  OfflineChat]:
    """Two Applications on one database (two webhook processes behind a load balancer), each
    with its own services; Telegram, and so the fake Bot API, is one. The first one's
    services are returned too."""
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    api = FakeBotAPI()
    svc = build_services(settings, kb=kb)
    first = OfflineChat(build_application(svc, request=api), api)
    second = OfflineChat(build_application(build_services(settings, kb=kb), request=api), api)
    return svc, first, second


async def test_two_processes_share_one_check_conversation(database_url: str,
                                                           kb: KnowledgeBase) -> None:
    """Updates of one /check alternate between two Applications (two webhook processes
    behind a load balancer); Telegram, and so the fake Bot API, is one."""
    _, first, second = _two_processes(database_url, kb)
    async with first.app, second.app:
        await first.send("清河区")
        steps = [("send", "/check"), ("press", "建档立卡贫困户"), ("press", "完成"),
                 ("press", "农村"), ("press", "跳过"), ("send", "13"), ("press", "初中"),
                 ("press", "住校"), ("press", "没有残疾"), ("press", "都没有"), ("press", "没有"),
                 ("press", "没有了"), ("press", "住房安全"), ("press", "否"), ("press", "否")]
        replies = ""
        for n, (action, value) in enumerate(steps):
            chat = (first, second)[n % 2]
            replies = texts(await (chat.send(value) if action == "send" else chat.press(value)))
            assert "已经结束" not in replies, f"step {n} ({value}) lost the conversation"
    assert "成员1（13岁·初中寄宿）" in replies and "1250元" in replies


async def test_a_vote_in_one_process_finds_the_question_asked_in_the_other(
        database_url: str, kb: KnowledgeBase) -> None:
    from storage.repo.events import top_misses

    svc, first, second = _two_processes(database_url, kb)
    async with first.app, second.app:
        await first.send("清河区")
        await first.send("孩子上初中住校一年补多少")
        await second.press("没用")
    with svc.db() as session:
        assert top_misses(session=session) == [
            ("unhelpful", "qinghe", "孩子上初中住校一年补多少", 1)]


async def test_a_region_changed_in_one_process_is_the_region_of_the_next_question_in_the_other(
        database_url: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The region is read with the chat state before each update (storage.read_ahead), not
    again by the question, and never kept from an earlier update."""
    from storage.repo import users

    _, first, second = _two_processes(database_url, kb)
    async with first.app, second.app:
        await first.send("清河区")
        assert "1250元" in texts(await second.send("孩子上初中住校一年补多少"))

        def read_again(**_: object) -> None:
            raise AssertionError("the region was read again for the question")

        with monkeypatch.context() as patched:
            patched.setattr(users, "region_of", read_again)
            await second.send("斗门")  # saved by the second process ...
            reply = texts(await first.send("低保标准是多少"))  # ... asked in the first
    assert "斗门" in reply and "清河" not in reply, reply


def _start_together(database_url: str) -> list[BaseException]:
    """Three processes (threads, each with its own engine) upgrade one database at once."""
    engines = [make_engine(database_url) for _ in range(3)]
    failures: list[BaseException] = []

    def migrate(index: int) -> None:
        try:
            upgrade(engines[index])
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=migrate, args=(i,), daemon=True)
               for i in range(len(engines))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)  # without the lock they can deadlock: fail, do not hang
    assert not any(t.is_alive() for t in threads), "migrations deadlocked"
    assert current_revision(engines[0]) == head_revision()
    for engine in engines:
        engine.dispose()
    return failures


async def test_the_read_before_each_update_survives_its_connection_breaking(
        database_url: str, kb: KnowledgeBase) -> None:
    """The persistence keeps one connection for the read before each update; when the
    database drops it (a restart, an administrator's pg_terminate_backend), the next update
    reads on a new one and the user notices nothing."""
    svc, first, second = _two_processes(database_url, kb)
    async with first.app, second.app:
        await first.send("清河区")
        await first.send("/check")
        persistence = first.app.persistence
        assert isinstance(persistence, SQLPersistence) and persistence._reader is not None
        broken = persistence._reader.connection.dbapi_connection
        assert broken is not None
        if database_url.startswith("postgresql"):
            with svc.engine.begin() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"),
                             {"pid": broken.info.backend_pid})
        else:
            broken.close()
        replies = texts(await first.press("建档立卡贫困户"))  # the /check goes on
        assert "已经结束" not in replies and "完成" in replies
        assert persistence._reader.connection.dbapi_connection is not broken
        assert "1250元" in texts(await second.send("孩子上初中住校一年补多少"))


async def test_disposing_the_engine_gives_back_the_kept_connection(
        database_url: str, kb: KnowledgeBase) -> None:
    """engine.dispose() closes the read connection too (held, it kept a database session
    open, and DROP DATABASE failed); the next update opens a new one."""
    svc, first, _ = _two_processes(database_url, kb)
    async with first.app:
        await first.send("清河区")
        persistence = first.app.persistence
        assert isinstance(persistence, SQLPersistence)
        kept = persistence._reader
        assert kept is not None and not kept.closed
        svc.engine.dispose()
        assert kept.closed and persistence._reader is None
        assert "1250元" in texts(await first.send("孩子上初中住校一年补多少"))
        assert persistence._reader is not None and not persistence._reader.closed


def test_processes_starting_together_migrate_once(database_url: str) -> None:
    assert _start_together(database_url) == []


def test_processes_starting_together_on_a_new_sqlite_file_never_find_it_locked(
        tmp_path: Path) -> None:
    """The first connections to a new file switch it to WAL, which fails at once, without
    waiting, when two do it together: even the read-only revision check holds the lock file.
    A race, so a few rounds (it failed about one round in fifteen before)."""
    for n in range(5):
        assert _start_together(f"sqlite:///{tmp_path / f'{n}.db'}") == []
