"""/export at scale: the ledger's time and peak memory at 10k / 100k / 1M visits (1k / 10k /
100k households: 10 visits, 4 members, 3 follow-ups per household, one 应享未享 per two),
on SQLite and PostgreSQL. Memory must stay flat as the data grows.

Run: .venv/bin/python benchmarks/export.py [--quick] [--sizes 10000,100000,1000000] [--no-pg]

Each export runs in a fresh child process (so peak RSS is its own): it opens the services,
notes its current RSS, writes the whole region's workbook (handlers.export.write_file, as
/export and `bangfu export` do) and reports the time, the file size, and its peak RSS
(getrusage ru_maxrss, which includes start-up) against the RSS just before the export.
PostgreSQL is started like tests/pg_server.py (127.0.0.1, a throwaway data directory) and
stopped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from bot.services import Services, build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.models import (  # noqa: E402
    FollowUp,
    FollowUpStatus,
    Gap,
    Household,
    HouseholdStatus,
    Member,
    Role,
    User,
    Village,
    Visit,
)

TOWNS = ("qinghe-zhangxiang", "qinghe-xiangyang", "qinghe-niejia")
NOW = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)
CHUNK = 10_000
VISITS_PER_HOUSEHOLD = 10  # SHAPE: 1M visits -> 100k households, 400k members
FOLLOWUPS_PER_HOUSEHOLD = 3
MEMBERS = 4
PER_CASEWORKER = 100


def _settings(url: str, data_dir: str) -> Settings:
    return Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                    data_dir=Path(data_dir))


def _chunked(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load(svc: Services, visits: int) -> dict[str, int]:
    """Bulk-load the synthetic dataset with Core executemany, generated chunk by chunk."""
    rng = random.Random(7)
    households = max(1, visits // VISITS_PER_HOUSEHOLD)
    workers = [10_000 + i for i in range(max(1, households // PER_CASEWORKER))]
    regions = svc.kb.regions
    with svc.engine.begin() as conn:
        conn.execute(insert(User), [{"telegram_id": w, "role": Role.CASEWORKER,
                                     "display_name": f"干部{w}", "home_region_id": TOWNS[0],
                                     "active": True, "created_at": NOW, "updated_at": NOW}
                                    for w in workers])
        villages = [{"id": t * 20 + v + 1, "town_id": town, "name": f"村{t}-{v}",
                     "path": f"{regions.path(town)}v{t * 20 + v + 1}/", "created_at": NOW}
                    for t, town in enumerate(TOWNS) for v in range(20)]
        conn.execute(insert(Village), villages)
        for part in _chunked({"id": h + 1, "code": f"B{h + 1:07d}", "head_name": f"户主{h}",
                              "village_id": villages[h % 60]["id"],
                              "region_id": villages[h % 60]["town_id"],
                              "path": villages[h % 60]["path"], "area": "rural",
                              "categories": ["建档立卡贫困户"], "phone": "13800000000",
                              "caseworker_id": workers[h // PER_CASEWORKER % len(workers)],
                              "status": HouseholdStatus.ACTIVE, "created_at": NOW,
                              "updated_at": NOW} for h in range(households)):
            conn.execute(insert(Household), part)
        for part in _chunked({"household_id": h + 1, "id_hash": f"{h}-{m}",
                              "id_masked": "211204********0000", "name": f"成员{h}-{m}",
                              "relation": "户主" if m == 0 else "之子",
                              "birth_date": dt.date(1960 + m * 10, 1, 1), "present": True,
                              "updated_at": NOW} for h in range(households)
                             for m in range(MEMBERS)):
            conn.execute(insert(Member), part)
        for part in _chunked({"household_id": rng.randrange(households) + 1,
                              "author_id": rng.choice(workers), "kind": "入户走访",
                              "visited_at": NOW - dt.timedelta(minutes=rng.randrange(1_000_000)),
                              "notes": "入户了解生产生活情况，宣讲政策", "needs": ["医疗"],
                              "changes": {}, "photos": [], "created_at": NOW,
                              "updated_at": NOW} for _ in range(visits)):
            conn.execute(insert(Visit), part)
        for part in _chunked({"household_id": rng.randrange(households) + 1,
                              "owner_id": rng.choice(workers), "action": "落实帮扶措施",
                              "due_on": (NOW + dt.timedelta(days=rng.randrange(-60, 60))).date(),
                              "status": FollowUpStatus.OPEN if i % 3 == 0 else
                              FollowUpStatus.DONE, "created_at": NOW}
                             for i in range(households * FOLLOWUPS_PER_HOUSEHOLD)):
            conn.execute(insert(FollowUp), part)
        for part in _chunked({"household_id": h + 1, "entry_id":
                              "qinghe-2020-agri-tech-training", "found_at": NOW}
                             for h in range(0, households, 2)):
            conn.execute(insert(Gap), part)
    return {"households": households, "visits": visits}


def _rss_now_kb() -> int:
    """The current resident set (Linux /proc), in KiB like ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(url: str, data_dir: str) -> None:
    """One export, measured in this process; prints a JSON line."""
    from handlers.export import write_file
    from storage import ledger

    svc = build_services(_settings(url, data_dir), migrate=False)
    before = _rss_now_kb()
    out = Path(data_dir) / "ledger.xlsx"
    started = time.perf_counter()
    written = write_file(svc, ledger.Scope(path=svc.kb.regions.path("qinghe")), out,
                         phones=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_before_mb": before / 1024,
                      "rss_peak_mb": peak / 1024, "file_mb": out.stat().st_size / 2**20,
                      "rows": sum(written.rows.values())}))


def measure(url: str, visits: int, data_dir: str) -> dict[str, Any]:
    """Migrate, load, then export in a child process."""
    svc = build_services(_settings(url, data_dir))
    started = time.perf_counter()
    shape = load(svc, visits)
    svc.engine.dispose()
    loaded = time.perf_counter() - started
    result = subprocess.run([sys.executable, __file__, "--child", url, data_dir],
                            capture_output=True, text=True, check=True)
    return {**shape, "load_s": loaded, **json.loads(result.stdout.strip().splitlines()[-1])}


def _show(backend: str, r: dict[str, Any]) -> None:
    print(f"{backend:<10} {r['visits']:>9,} visits {r['households']:>7,} households  "
          f"{r['rows']:>9,} rows  export {r['seconds']:7.1f} s  "
          f"({r['rows'] / r['seconds']:>8,.0f} rows/s)  file {r['file_mb']:6.1f} MB  "
          f"RSS {r['rss_before_mb']:6.1f} -> {r['rss_peak_mb']:6.1f} MB "
          f"(+{r['rss_peak_mb'] - r['rss_before_mb']:.1f})  [load {r['load_s']:.0f} s]",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1k / 10k / 100k visits")
    parser.add_argument("--sizes", help="visit counts, comma-separated")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("URL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.child:
        child(*args.child)
        return
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes else
             [1_000, 10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000])
    for visits in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            _show("SQLite", measure(f"sqlite:///{tmp}/export.db", visits, tmp))
    if args.no_pg:
        return
    from tests.pg_server import find_bindir, postgres_server

    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL: not found (install postgresql)")
        return
    with postgres_server(bindir) as admin_url:
        for visits in sizes:
            name = f"export_{visits}"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            with tempfile.TemporaryDirectory() as tmp:
                _show("PostgreSQL", measure(admin_url.rsplit("/", 1)[0] + f"/{name}",
                                            visits, tmp))


if __name__ == "__main__":
    main()
