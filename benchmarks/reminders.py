"""Reminder throughput under Telegram's flood limits: 2,000 reminders due in the same minute
for 500 users, sent by the real scheduler (PTB's JobQueue runs handlers/jobs/scheduler.py's
tick, which materialises and sweeps) through an in-process Bot API that enforces ~30 msg/s
per bot and 1 msg/s per chat, answering 429 with retry_after when a message exceeds either.

Run: .venv/bin/python benchmarks/reminders.py [--reminders 2000] [--users 500] [--postgres]

Prints messages/s (first to last accepted message), total time from start, 429s, duplicates
and lost. Target: >= 95% of 30 msg/s, 0 duplicates, 0 lost. SQLite always; --postgres also
runs on a throwaway PostgreSQL server (tests/pg_server.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
import tempfile
import time
import warnings
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import col, func, select

from benchmarks.backlog import marker, seed
from benchmarks.flood import BOT_PER_SECOND, FloodLimits
from bot.app import build_application
from bot.offline import ApiError, OfflineBotAPI
from bot.services import Services, build_services
from bot.settings import Settings
from storage.models import Reminder, ReminderStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 12, 4)
SEND_AT = dt.time(10, 0)  # the reminders' time that morning
TIMEOUT = 600.0  # seconds: give up (and count what is lost) after this


class StartedClock:
    """The services clock: 20 seconds after the reminders' minute began, then real time."""

    def __init__(self) -> None:
        self.start = dt.datetime.combine(DAY, SEND_AT, SHANGHAI).astimezone(dt.UTC) + \
            dt.timedelta(seconds=20)
        self.t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.t0)


def flood_api(limits: FloodLimits) -> OfflineBotAPI:
    """The in-process Bot API, refusing what Telegram's flood control would."""
    def fail(method: str, params: dict[str, Any]) -> ApiError | None:
        if method != "sendMessage":
            return None
        wait = limits.check(int(params["chat_id"]), str(params["text"]))
        return None if wait is None else ApiError(
            429, f"Too Many Requests: retry after {wait}", retry_after=wait)
    return OfflineBotAPI(fail=fail)


def _unsent(svc: Services) -> int:
    """Personal reminders still to be sent (pending, or claimed and mid-send)."""
    with svc.db() as session:
        return int(session.exec(select(func.count()).select_from(Reminder).where(
            Reminder.kind == "personal",
            col(Reminder.status).in_([ReminderStatus.PENDING, ReminderStatus.SENDING]))).one())


async def run(url: str, *, users: int, count: int) -> dict[str, Any]:
    """One run on one database; the figures."""
    settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                        reminder_time=SEND_AT)
    svc = build_services(settings, clock=StartedClock())
    expected = seed(svc.engine, users=users, reminders=count, due_on=DAY)
    limits = FloodLimits()
    app = build_application(svc, request=flood_api(limits))
    started = time.monotonic()
    async with app:
        await app.start()  # the JobQueue now runs the scheduler's tick every TICK_SECONDS
        while len({marker(a.text) for a in limits.accepted}) < count and \
                time.monotonic() - started < TIMEOUT:
            await asyncio.sleep(0.2)
        total = time.monotonic() - started
        # a late re-send (a row left PENDING or SENDING for a retry) would come after every
        # marker had arrived once: keep sweeping until nothing is left to send
        while _unsent(svc) and time.monotonic() - started < TIMEOUT:
            await asyncio.sleep(0.5)
        await app.stop()
    seen, duplicated = limits.duplicates(marker)
    with svc.db() as session:
        statuses = Counter(str(s) for s in session.exec(
            select(Reminder.status).where(Reminder.kind == "personal")))
        rows = session.exec(select(func.count()).select_from(Reminder)).one()
    svc.engine.dispose()
    span, rate = limits.rate()
    return {"total": total, "span": span, "rate": rate, "accepted": len(limits.accepted),
            "refused": limits.refused, "refused_chat": limits.refused_chat,
            "duplicated": duplicated, "lost": sum(1 for m in expected if m not in seen),
            "rows": rows, "statuses": dict(statuses)}


def report(backend: str, r: dict[str, Any], count: int, users: int) -> None:
    share = r["rate"] / BOT_PER_SECOND
    print(f"[{backend}] {count} reminders for {users} users, due in one minute")
    print(f"  {r['accepted']} messages accepted in {r['span']:.1f} s: {r['rate']:.1f} msg/s "
          f"= {share:.1%} of the {BOT_PER_SECOND} msg/s limit (target >= 95%) "
          f"{'OK' if share >= 0.95 else 'MISSED'}")
    print(f"  total from start {r['total']:.1f} s (first tick after 1 s, start-up included)")
    print(f"  429 received: {r['refused']} ({r['refused_chat']} for the per-chat limit)")
    print(f"  duplicates: {r['duplicated']}   lost: {r['lost']}   "
          f"outbox rows: {r['rows']} {r['statuses']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: max instances": a
    # tick that sends for longer than TICK_SECONDS is expected here
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        backends = [("sqlite", f"sqlite:///{Path(tmp) / 'reminders.db'}")]
        if args.postgres:
            from tests.pg_server import find_bindir, postgres_server

            bindir = find_bindir()
            if bindir is None:
                print("PostgreSQL: not found (install postgresql or set PG_BIN)")
            else:
                backends.append(("postgresql", stack.enter_context(postgres_server(bindir))))
        for backend, url in backends:
            r = asyncio.run(run(url, users=args.users, count=args.reminders))
            report(backend, r, args.reminders, args.users)


if __name__ == "__main__":
    main()
