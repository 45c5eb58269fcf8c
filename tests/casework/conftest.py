"""A small team on one database (SQLite and PostgreSQL): a 清河区 supervisor, two caseworkers
with their households, a 斗门区 household, a resident; one chat per user on one bot."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from bot.app import build_application
from bot.services import Services, build_services
from bot.settings import Settings
from handlers.ui.render import render
from knowledge.loader import KnowledgeBase
from storage.models import Household, Role
from tests import factories
from tests.fakes import FakeBotAPI, OfflineChat

WORKER, OTHER_WORKER, SUPERVISOR, RESIDENT, DOUMEN_SUPERVISOR = 101, 102, 201, 301, 202


@dataclass
class Team:
    """Everyone's chat with the same running bot, and the households."""

    svc: Services
    api: FakeBotAPI
    worker: OfflineChat
    other: OfflineChat
    supervisor: OfflineChat
    resident: OfflineChat
    doumen_supervisor: OfflineChat
    mine: list[Household]  # the worker's: 张小明 (overdue follow-up), 李大爷, 王芳
    others: Household  # the other worker's, same town
    doumen: Household  # another county

    def chat(self, user_id: int) -> OfflineChat:
        """A chat for this user on the same bot."""
        return OfflineChat(self.worker.app, self.api, user_id=user_id)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """2026-12-02 10:00 in Asia/Shanghai, a Wednesday; tests move it with .shift()."""
    with time_machine.travel(factories.NOW, tick=False) as traveller:
        yield traveller


def _seed(svc: Services) -> tuple[list[Household], Household, Household]:
    regions = svc.kb.regions
    with svc.transaction() as s:
        factories.user(s, SUPERVISOR, Role.SUPERVISOR, name="刘主任", home="qinghe")
        factories.user(s, DOUMEN_SUPERVISOR, Role.SUPERVISOR, name="陈主任", home="doumen")
        factories.user(s, WORKER, name="张干部", home="qinghe-zhangxiang", supervisor=SUPERVISOR)
        factories.user(s, OTHER_WORKER, name="王干部", home="qinghe-zhangxiang",
                       supervisor=SUPERVISOR)
        dabao = factories.village(s, regions, "qinghe-zhangxiang", "大堡村")
        jingan = factories.village(s, regions, "doumen-jingan", "上洲村")
        child = {"name": "张小红", "relation": "之女", "birth_date": dt.date(2013, 3, 1),
                 "school_stage": "小学", "boarding": False, "health": "健康"}
        first = factories.household(s, dabao, "张小明", caseworker=WORKER, phone="13800001111",
                                    members=[{"name": "张小明", "relation": "户主",
                                              "birth_date": dt.date(1978, 6, 1),
                                              "health": "长期慢性病"}, child])
        second = factories.household(s, dabao, "李大爷", caseworker=WORKER)
        third = factories.household(s, dabao, "王芳", caseworker=WORKER)
        others = factories.household(s, dabao, "赵四", caseworker=OTHER_WORKER)
        doumen = factories.household(s, jingan, "陈阿婆", categories=["低收入户"])
        factories.visit(s, second, WORKER, at=factories.NOW - dt.timedelta(days=40))
        factories.visit(s, third, WORKER, at=factories.NOW - dt.timedelta(days=3))
        factories.followup(s, first, WORKER, "帮忙申请慢病卡", dt.date(2026, 11, 28))
    return [first, second, third], others, doumen


@pytest.fixture
async def team(database_url: str, kb: KnowledgeBase, clock: time_machine.Traveller,
               tmp_path: Path) -> AsyncIterator[Team]:
    settings = Settings(_env_file=None, database_url=database_url,  # type: ignore[call-arg]
                        data_dir=tmp_path)
    svc = build_services(settings, kb=kb)
    mine, others, doumen = _seed(svc)
    api = FakeBotAPI()
    app = build_application(svc, request=api)
    chats = [OfflineChat(app, api, user_id=i) for i in (WORKER, OTHER_WORKER, SUPERVISOR,
                                                        RESIDENT, DOUMEN_SUPERVISOR)]
    async with app:
        worker, other, supervisor, resident, doumen_supervisor = chats
        yield Team(svc, api, worker, other, supervisor, resident, doumen_supervisor,
                   mine=mine, others=others, doumen=doumen)
    apology = render("error")
    assert not [c for c in api.calls if c.params.get("text") == apology], "a handler raised"
    svc.engine.dispose()


def texts(messages: list[dict[str, object]]) -> str:
    """What the user read."""
    return "\n".join(str(m["text"]) for m in messages)
