"""Caseworker journeys at scale: /mine and /due latency and visits logged per second, through
the whole Application, with 100,000 households, 400,000 members, 1,000,000 visits and
300,000 follow-ups loaded, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/visits.py [--households 100000] [--no-pg] [--rounds 200]

Data is bulk-loaded with Core inserts (1,000 caseworkers with 100 households each; visits
and follow-ups spread over the last two years; a third of follow-ups open). Each /mine or /due
is one update through `Application.process_update` with the in-process Bot API; latencies are
per update, p50/p99 over `--rounds` updates from caseworkers picked at random. "Visits per
second" logs whole visit forms (10 updates each: /visit, household, type, notes, needs,
media, changes, follow-up, confirm, save). Roster import figures: benchmarks/roster.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.offline import OfflineBotAPI  # noqa: E402
from bot.offline_chat import OfflineChat  # noqa: E402
from bot.services import Services, build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.models import (  # noqa: E402
    FollowUp,
    FollowUpStatus,
    Household,
    HouseholdStatus,
    Member,
    Role,
    User,
    Village,
    Visit,
)

PER_CASEWORKER = 100
TOWNS = ("qinghe-zhangxiang", "qinghe-xiangyang", "qinghe-niejia")
NOW = dt.datetime.now(dt.UTC)
CHUNK = 5000


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]


def load(svc: Services, households: int) -> list[int]:
    """Bulk-load the synthetic dataset; the caseworkers' Telegram ids."""
    rng = random.Random(7)
    workers = [10_000 + i for i in range(max(1, households // PER_CASEWORKER))]
    regions = svc.kb.regions
    with svc.engine.begin() as conn:
        conn.execute(insert(User), [{"telegram_id": w, "role": Role.CASEWORKER,
                                     "display_name": f"干部{w}", "home_region_id": TOWNS[0],
                                     "active": True, "created_at": NOW, "updated_at": NOW}
                                    for w in workers])
        villages = []
        for t, town in enumerate(TOWNS):
            for v in range(20):
                vid = t * 20 + v + 1
                villages.append({"id": vid, "town_id": town, "name": f"{town}村{v}",
                                 "path": f"{regions.path(town)}v{vid}/", "created_at": NOW})
        conn.execute(insert(Village), villages)
        homes = [{"id": h + 1, "code": f"B{h + 1:07d}", "head_name": f"户主{h}",
                  "village_id": villages[h % 60]["id"], "region_id": villages[h % 60]["town_id"],
                  "path": villages[h % 60]["path"], "area": "rural",
                  "categories": ["建档立卡贫困户"], "caseworker_id": workers[h // PER_CASEWORKER
                                                                        % len(workers)],
                  "status": HouseholdStatus.ACTIVE, "created_at": NOW, "updated_at": NOW}
                 for h in range(households)]
        for part in _chunks(homes):
            conn.execute(insert(Household), part)
        for part in _chunks([{"household_id": h + 1, "id_hash": f"{h}-{m}",
                              "id_masked": "211204********0000", "name": f"成员{h}-{m}",
                              "relation": "户主" if m == 0 else "之子",
                              "birth_date": dt.date(1960 + m * 10, 1, 1), "present": True,
                              "updated_at": NOW}
                             for h in range(households) for m in range(4)]):
            conn.execute(insert(Member), part)
        for part in _chunks([{"household_id": rng.randrange(households) + 1,
                              "author_id": rng.choice(workers), "kind": "入户走访",
                              "visited_at": NOW - dt.timedelta(minutes=rng.randrange(1_000_000)),
                              "notes": "", "needs": [], "changes": {}, "photos": [],
                              "created_at": NOW, "updated_at": NOW}
                             for _ in range(households * 10)]):
            conn.execute(insert(Visit), part)
        for part in _chunks([{"household_id": h, "owner_id": homes[h - 1]["caseworker_id"],
                              "action": "跟进", "due_on": (NOW + dt.timedelta(
                                  days=rng.randrange(-60, 60))).date(),
                              "status": FollowUpStatus.OPEN if i % 3 == 0 else
                              FollowUpStatus.DONE, "created_at": NOW}
                             for i in range(households * 3)
                             for h in [rng.randrange(households) + 1]]):
            conn.execute(insert(FollowUp), part)
    return workers


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def journeys(svc: Services, workers: list[int], rounds: int) -> dict[str, float]:
    api = OfflineBotAPI()
    app = build_application(svc, request=api)
    rng = random.Random(11)
    out: dict[str, float] = {}
    async with app:
        for command in ("/mine", "/due"):
            times = []
            for _ in range(rounds):
                chat = OfflineChat(app, api, user_id=rng.choice(workers))
                start = time.perf_counter()
                await chat.send(command)
                times.append((time.perf_counter() - start) * 1000)
            out[f"{command[1:]}_p50_ms"] = _pct(times, 50)
            out[f"{command[1:]}_p99_ms"] = _pct(times, 99)
        forms = max(10, rounds // 10)
        start = time.perf_counter()
        for i in range(forms):
            chat = OfflineChat(app, api, user_id=workers[i % len(workers)])
            await chat.send("/visit")
            await chat.press(1)  # the most urgent household
            await chat.press("入户走访")
            await chat.send("情况正常")
            await chat.press("完成")
            await chat.press("跳过")
            await chat.press("没有了")
            await chat.send("再去看看")
            await chat.press("1周")
            await chat.press("保存")
        out["visits_per_s"] = forms / (time.perf_counter() - start)
    return out


def run(url: str, households: int, rounds: int) -> dict[str, float]:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    svc = build_services(settings)
    start = time.perf_counter()
    workers = load(svc, households)
    loaded = time.perf_counter() - start
    figures = asyncio.run(journeys(svc, workers, rounds))
    svc.engine.dispose()
    return {"load_s": loaded, **figures}


def _show(name: str, f: dict[str, float], households: int) -> None:
    print(f"{name}: {households:,} households, {households * 4:,} members, "
          f"{households * 10:,} visits, {households * 3:,} follow-ups (loaded in "
          f"{f['load_s']:.0f} s)")
    print(f"  /mine p50 {f['mine_p50_ms']:.1f} ms, p99 {f['mine_p99_ms']:.1f} ms; "
          f"/due p50 {f['due_p50_ms']:.1f} ms, p99 {f['due_p99_ms']:.1f} ms (target p99 < 50 ms)")
    print(f"  visits logged through the whole form: {f['visits_per_s']:.1f} per second")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        _show("SQLite", run(f"sqlite:///{tmp}/v.db", args.households, args.rounds),
              args.households)
    if not args.no_pg:
        from tests.pg_server import find_bindir, postgres_server

        bindir = find_bindir()
        if bindir is None:
            print("PostgreSQL: not found (install postgresql)")
            return
        with postgres_server(bindir) as url:
            _show("PostgreSQL", run(url, args.households, args.rounds), args.households)


if __name__ == "__main__":
    main()
