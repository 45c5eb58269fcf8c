"""Supervisors' figures at scale: /report (figures, targets and chart photo, through the whole
Application) and the daily digest for 50 supervisors (materialise + sweep, through the
reminder outbox), with 100,000 households and 1,000,000 visits, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/report.py [--households 100000] [--visits 1000000]
     [--rounds 5] [--period 本年] [--no-pg]

Data is bulk-loaded with Core executemany in chunks (1,000 caseworkers, 60 villages in the
three towns of 清河区, visits over the last 400 days, 3 follow-ups and 0.5 应享未享 per
household; on PostgreSQL VACUUM ANALYZE follows, as autovacuum would). /report is timed
for the 清河区 supervisor (every household in scope) and for a town supervisor; "SQL" is
storage.reports.report alone, "chart" the PNG alone.
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

from sqlalchemy import insert, text, update  # noqa: E402
from sqlmodel import col  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.offline import OfflineBotAPI  # noqa: E402
from bot.offline_chat import OfflineChat  # noqa: E402
from bot.services import Services, build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.jobs.scheduler import scheduler, sweep  # noqa: E402
from handlers.jobs.throttle import Throttle  # noqa: E402
from handlers.ui.charts import report_chart  # noqa: E402
from storage.models import (  # noqa: E402
    FollowUp,
    FollowUpStatus,
    Gap,
    Household,
    HouseholdStatus,
    Reminder,
    ReminderStatus,
    Role,
    User,
    Village,
    Visit,
)
from storage.reminders import materialise  # noqa: E402
from storage.repo.casework import recompute_last_visits  # noqa: E402
from storage.reports import report  # noqa: E402

TOWNS = ("qinghe-zhangxiang", "qinghe-xiangyang", "qinghe-niejia")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
CHUNK = 5000
COUNTY_BOSS, TOWN_BOSS = 900, 901
DIGEST_SUPERVISORS = 50
PERIOD = ["本年", "year"]  # --period
GAP_ITEM = "qinghe-2020-medical-security-coverage"


def _insert(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(model), rows[i:i + CHUNK])


def load(svc: Services, households: int, visits: int) -> None:
    """Bulk-load the synthetic dataset and 50 supervisors (county and towns)."""
    rng = random.Random(7)
    workers = [10_000 + i for i in range(max(1, households // 100))]
    regions = svc.kb.regions
    bosses = [(COUNTY_BOSS, "qinghe"), (TOWN_BOSS, TOWNS[0])] + [
        (902 + i, ("qinghe", *TOWNS)[i % 4]) for i in range(DIGEST_SUPERVISORS - 2)]
    with svc.engine.begin() as conn:
        _insert(conn, User, [{"telegram_id": w, "role": Role.CASEWORKER,
                              "display_name": f"干部{w}", "home_region_id": TOWNS[w % 3],
                              "active": True, "created_at": NOW, "updated_at": NOW}
                             for w in workers] +
                [{"telegram_id": b, "role": Role.SUPERVISOR, "display_name": f"主任{b}",
                  "home_region_id": home, "active": True, "created_at": NOW,
                  "updated_at": NOW} for b, home in bosses])
        villages = [{"id": t * 20 + v + 1, "town_id": town, "name": f"{town[7:]}村{v}",
                     "path": f"{regions.path(town)}v{t * 20 + v + 1}/", "created_at": NOW}
                    for t, town in enumerate(TOWNS) for v in range(20)]
        _insert(conn, Village, villages)
        homes = [{"id": h + 1, "code": f"B{h + 1:07d}", "head_name": f"户主{h}",
                  "village_id": villages[h % 60]["id"], "region_id": villages[h % 60]["town_id"],
                  "path": villages[h % 60]["path"], "area": "rural", "categories": [],
                  "caseworker_id": workers[h // 100 % len(workers)],
                  "status": HouseholdStatus.ACTIVE, "created_at": NOW, "updated_at": NOW}
                 for h in range(households)]
        _insert(conn, Household, homes)
        minutes = 400 * 24 * 60
        for start in range(0, visits, 100_000):  # a batch at a time: memory stays small
            batch = []
            for _ in range(min(100_000, visits - start)):
                h = rng.randrange(households)
                batch.append({"household_id": h + 1, "author_id": homes[h]["caseworker_id"],
                              "kind": "入户走访", "notes": "", "needs": [], "changes": {},
                              "photos": [], "created_at": NOW, "updated_at": NOW,
                              "visited_at": NOW - dt.timedelta(minutes=rng.randrange(minutes))})
            _insert(conn, Visit, batch)
        _insert(conn, FollowUp, [
            {"household_id": h + 1, "owner_id": homes[h]["caseworker_id"], "action": "跟进",
             "due_on": (NOW + dt.timedelta(days=rng.randrange(-60, 60))).date(),
             "status": FollowUpStatus.OPEN if i % 3 == 0 else FollowUpStatus.DONE,
             "created_at": NOW - dt.timedelta(days=rng.randrange(365)),
             "closed_at": None if i % 3 == 0 else NOW - dt.timedelta(days=rng.randrange(30))}
            for i in range(households * 3) for h in [rng.randrange(households)]])
        _insert(conn, Gap, [{"household_id": h + 1, "entry_id": GAP_ITEM,
                             "found_at": NOW - dt.timedelta(days=rng.randrange(365)),
                             "resolved_at": NOW if h % 4 == 0 else None,
                             "resolution": "received" if h % 4 == 0 else None}
                            for h in range(0, households, 2)])
    with svc.transaction() as s:  # the visits were bulk-inserted: as migration 0007 backfills
        recompute_last_visits(session=s)


class _NoWait:
    now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # at least 1 µs: a tiny wait added to a large float clock would not move it
        self.now += max(seconds, 1e-6)


async def measure(svc: Services, rounds: int) -> dict[str, float]:
    api = OfflineBotAPI()
    app = build_application(svc, request=api)
    out: dict[str, float] = {}
    async with app:
        for name, boss in (("county", COUNTY_BOSS), ("town", TOWN_BOSS)):
            chat, times = OfflineChat(app, api, user_id=boss), []
            for _ in range(rounds):
                charts = len(api.sent_files)
                start = time.perf_counter()
                shown = await chat.send(f"/report {PERIOD[0]}")
                times.append(time.perf_counter() - start)
                assert len(api.sent_files) > charts, f"no chart for the {name} supervisor"
                assert any("统计" in str(m.get("text")) for m in shown), shown
            out[f"{name}_report_s"] = statistics.median(times)
        path = svc.kb.regions.path("qinghe")
        start = time.perf_counter()
        with svc.db() as s:
            r = report(session=s, path=path, region="清河区", period=PERIOD[1], now=svc.clock.now(),
                       tz=svc.settings.tz, regions=svc.kb.regions)
        out["county_sql_s"] = time.perf_counter() - start
        start = time.perf_counter()
        report_chart(r, svc.settings.tz)
        out["chart_s"] = time.perf_counter() - start
        fake = _NoWait()
        scheduler(app).throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
        policy = scheduler(app).policy
        start = time.perf_counter()
        with svc.transaction() as s:  # every reminder kind, as the leader does
            materialise(session=s, kb=svc.kb, now=svc.clock.now(), policy=policy)
        out["materialise_s"] = time.perf_counter() - start
        with svc.transaction() as s:  # the other kinds are issue 9's benchmarks
            s.execute(update(Reminder).where(col(Reminder.kind) != "digest")
                      .values(status=ReminderStatus.SKIPPED))
        before = len(api.sent())
        start = time.perf_counter()
        await sweep(app)  # computes and sends every due digest
        out["digest_s"] = time.perf_counter() - start
        out["digests_sent"] = sum(1 for m in api.sent()[before:] if "每日简报" in m["text"])
    return out


def run(url: str, households: int, visits: int, rounds: int) -> dict[str, float]:
    # the digest goes at 08:00 Shanghai; the benchmark's clock is "now", so send it at once
    settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                        digest_time=dt.time(0, 0), quiet_start=dt.time(23, 59),
                        quiet_end=dt.time(0, 0))
    svc = build_services(settings)
    start = time.perf_counter()
    load(svc, households, visits)
    loaded = time.perf_counter() - start
    if svc.engine.dialect.name == "postgresql":
        # what autovacuum does within a minute of a bulk load; without statistics the
        # planner takes every table for one row and probes 100,000 households one by one
        with svc.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    figures = asyncio.run(measure(svc, rounds))
    svc.engine.dispose()
    return {"load_s": loaded, **figures}


def _show(name: str, f: dict[str, float], households: int, visits: int) -> None:
    print(f"{name}: {households:,} households, {visits:,} visits, {households * 3:,} "
          f"follow-ups, {households // 2:,} 应享未享 (loaded in {f['load_s']:.0f} s)")
    print(f"  /report {PERIOD[0]}, 清河区 supervisor (all households), median through the "
          "Application: "
          f"{f['county_report_s'] * 1000:.0f} ms (SQL {f['county_sql_s'] * 1000:.0f} ms, chart "
          f"{f['chart_s'] * 1000:.0f} ms; target < 2 s)")
    print(f"  /report {PERIOD[0]}, 张相镇 supervisor: {f['town_report_s'] * 1000:.0f} ms")
    print(f"  daily digest for {DIGEST_SUPERVISORS} supervisors: computed and sent in "
          f"{f['digest_s']:.2f} s ({int(f['digests_sent'])} sent); materialising every "
          f"reminder kind: {f['materialise_s']:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--period", choices=["本周", "本月", "本季度", "本年"], default="本年")
    args = parser.parse_args()
    PERIOD[:] = [args.period, {"本周": "week", "本月": "month", "本季度": "quarter",
                               "本年": "year"}[args.period]]
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        _show("SQLite", run(f"sqlite:///{tmp}/r.db", args.households, args.visits, args.rounds),
              args.households, args.visits)
    if not args.no_pg:
        from tests.pg_server import find_bindir, postgres_server

        bindir = find_bindir()
        if bindir is None:
            print("PostgreSQL: not found (install postgresql)")
            return
        with postgres_server(bindir) as url:
            _show("PostgreSQL", run(url, args.households, args.visits, args.rounds),
                  args.households, args.visits)


if __name__ == "__main__":
    main()
