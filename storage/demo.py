"""The demo dataset: ~300 synthetic households of 清河区 and 斗门区 (storage/synthetic.py) with
two caseworkers, one supervisor, visits, follow-ups (some overdue), 应享未享 found, and two
office deadlines, in a database of its own. Invented people only; never the production one."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from knowledge.loader import KnowledgeBase
from storage import synthetic
from storage.casework import find_gaps
from storage.db import transaction
from storage.models import FollowUp, FollowUpStatus, Household, Role, User, Visit
from storage.repo import reminders
from storage.repo.casework import recompute_last_visits
from storage.roster.importer import import_roster

HOUSEHOLDS = 300
# (Telegram id, role, name, home region): the console's --as picks one of these.
PEOPLE = (  # the supervisor first: the caseworkers refer to them
    (900_010, Role.SUPERVISOR, "刘主任", "qinghe"),
    (900_001, Role.CASEWORKER, "张干部", "qinghe-zhangxiang"),
    (900_002, Role.CASEWORKER, "李干部", "doumen-jingan"),
)
SUPERVISOR, CASEWORKER = PEOPLE[0][0], PEOPLE[1][0]
VISIT_KINDS = ("入户走访", "电话回访", "政策宣讲", "帮扶措施落实", "危房鉴定")
ACTIONS = ("协助办理慢病卡", "联系住建局做危房鉴定", "帮忙申请寄宿生生活补助", "送药上门",
           "核实家庭收入", "介绍公益性岗位", "跟进医疗报销")


@dataclass(frozen=True)
class DemoSummary:
    """What was seeded."""

    households: int
    visits: int
    followups: int
    overdue: int


def seed(*, engine: Engine, kb: KnowledgeBase, key: bytes, now: dt.datetime,
         tz: dt.tzinfo) -> DemoSummary:
    """Fill an empty, migrated database with the demo (deterministic apart from `now`)."""
    rng = random.Random(2026)
    today = now.astimezone(tz).date()
    with transaction(engine) as s:
        for telegram_id, role, name, home in PEOPLE:
            s.add(User(telegram_id=telegram_id, role=role, display_name=name,
                       home_region_id=home, region_id=next(  # questions: the county's
                           r for r in kb.regions.lineage(home)
                           if kb.regions.get(r).level == "county"),
                       supervisor_id=SUPERVISOR if role == Role.CASEWORKER and home.startswith(
                           "qinghe") else None, created_at=now, updated_at=now))
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "demo.csv"
        synthetic.write_csv(roster, synthetic.rows(households=HOUSEHOLDS, seed=7, caseworkers={
            "qinghe": ["张干部"], "doumen": ["李干部"]}))
        report = import_roster(roster, engine=engine, regions=kb.regions, key=key, now=now,
                               today=today)
    assert report.imported and not report.errors, report.errors[:3]
    with transaction(engine) as s:
        homes = list(s.exec(select(Household)))
        visits = followups = overdue = 0
        for h in homes:
            if h.caseworker_id is None or rng.random() < 0.35:
                continue  # a third never visited: /mine puts them first
            for _ in range(rng.randint(1, 3)):
                day = today - dt.timedelta(days=rng.randint(1, 90))
                at = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice(
                    (0, 15, 30, 45))), tz).astimezone(dt.UTC)  # office hours, local time
                s.add(Visit(household_id=h.id or 0, author_id=h.caseworker_id,
                            kind=rng.choice(VISIT_KINDS), visited_at=at, notes="家中情况稳定",
                            created_at=at, updated_at=at))
                visits += 1
            if rng.random() < 0.3:
                due = today + dt.timedelta(days=rng.randint(-12, 20))
                done = rng.random() < 0.25
                s.add(FollowUp(household_id=h.id or 0, owner_id=h.caseworker_id,
                               action=rng.choice(ACTIONS), due_on=due, created_at=now,
                               status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
                               closed_at=now if done else None))
                followups += 1
                overdue += int(not done and due < today)
        s.flush()
        recompute_last_visits(session=s)  # the visits above were added directly
        for h in homes[:60]:
            find_gaps(session=s, kb=kb, household=h, today=today, now=now)
        reminders.add_deadline(session=s, region_id="qinghe", title="完成建档立卡贫困户危房鉴定",
                               rule={"recurrence": "once",
                                     "date": dt.date(today.year + 1, 3, 20).isoformat()},
                               level="county", remind_days=[7, 1], by="demo", now=now)
        reminders.add_deadline(session=s, region_id="doumen", title="报送当月帮扶情况",
                               rule={"recurrence": "monthly", "day": 28}, level="town",
                               remind_days=[3, 1], by="demo", now=now)
    return DemoSummary(len(homes), visits, followups, overdue)
