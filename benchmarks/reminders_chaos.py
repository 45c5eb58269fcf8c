"""Reminders survive SIGKILL: `bangfu run` as a separate process against a Bot API stand-in
on 127.0.0.1 (HTTP, Telegram's flood limits enforced), with a backlog of due reminders in
SQLite, killed with SIGKILL at random moments and restarted each time; at the end every
reminder is counted in the chats.

Run: .venv/bin/python benchmarks/reminders_chaos.py [--kills 50] [--reminders 1500] [--seed 9]

Prints lost and duplicated reminders, and how many kills landed inside the send window
(the stand-in had accepted a message whose row the killed process had not yet recorded
SENT; right after each kill the database is read to tell). Target: 0 lost, 0 duplicated
outside that window. Also the window's share of the sending time, from each row's sent_at
against the time the stand-in accepted its message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from benchmarks.backlog import marker, seed
from benchmarks.flood import FloodLimits
from bot.offline import BOT_USER
from bot.settings import Settings
from storage.db import make_engine, session
from storage.migrate import upgrade
from storage.models import Reminder, ReminderStatus

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:chaos"
FINAL_TIMEOUT = 180.0  # seconds for the last, unkilled run to drain the backlog


class StandIn:
    """The Bot API on a free port: getMe, getUpdates (nothing, after a short wait),
    sendMessage under FloodLimits, True for anything else (setMyCommands ...)."""

    def __init__(self) -> None:
        self.limits = FloodLimits(clock=time.time)
        self._ids = iter(range(1, 10**9))
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "getUpdates":
            time.sleep(min(float(params.get("timeout", 0) or 0), 0.5))
            return 200, {"ok": True, "result": []}
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        chat, text = int(params["chat_id"]), params["text"]
        wait = self.limits.check(chat, text)
        if wait is not None:
            return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": wait},
                         "description": f"Too Many Requests: retry after {wait}"}
        with self._lock:
            message_id = next(self._ids)
        return 200, {"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()), "text": text,
            "chat": {"id": chat, "type": "private"}, "from": BOT_USER}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                params = json.loads(body or b"{}") if "json" in kind else dict(
                    parse_qsl(body.decode()))
                status, payload = stand_in.answer(self.path.rsplit("/", 1)[-1], params)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot was killed while waiting for this answer

            do_GET = do_POST

        return Handler


def bot_env(api: str, database: str, workdir: Path) -> dict[str, str]:
    """Only our settings: nothing inherited from the shell; quiet hours reduced to the last
    second of the day and the reminders' time to the first, so the backlog is due now."""
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in {name.upper() for name in Settings.model_fields}}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api, DATABASE_URL=database,
               DATA_DIR=str(workdir / "data"), LOG_LEVEL="WARNING",
               SEEDS_DIR=str((REPO / ".." / "shared" / "seeds").resolve()),
               QUIET_START="23:59:59", QUIET_END="00:00:00", REMINDER_TIME="00:00:01")
    return env


def recorded(database: str) -> dict[str, tuple[ReminderStatus, dt.datetime | None]]:
    """Each reminder's status and sent_at, by its marker."""
    engine = make_engine(database)
    with session(engine) as s:
        rows = s.exec(select(Reminder).where(Reminder.kind == "personal")).all()
        out = {m: (r.status, r.sent_at) for r in rows if (m := marker(r.payload["text"]))}
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--reminders", type=int, default=1500)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--max-life", type=float, default=6.0,
                        help="a run is killed 0.3 s to this many seconds after it starts")
    parser.add_argument("--postgres", action="store_true",
                        help="on a throwaway PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        database = f"sqlite:///{work / 'chaos.db'}"
        if args.postgres:
            from tests.pg_server import find_bindir, postgres_server

            bindir = find_bindir()
            if bindir is None:
                sys.exit("PostgreSQL: not found (install postgresql or set PG_BIN)")
            database = stack.enter_context(postgres_server(bindir))
        chaos(args, work, database)


def chaos(args: argparse.Namespace, work: Path, database: str) -> None:
    """Kill, restart, count."""
    rng = random.Random(args.seed)
    api = StandIn()
    engine = make_engine(database)
    upgrade(engine)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    expected = seed(engine, users=args.users, reminders=args.reminders, due_on=today)
    engine.dispose()
    env = bot_env(api.url, database, work)
    command = [str(REPO / ".venv" / "bin" / "bangfu"), "run"]
    log = (work / "bot.log").open("w")
    kills, during_sending, in_window, window_markers = 0, 0, 0, set[str]()
    started = time.monotonic()
    for _ in range(args.kills):
        before = len(api.limits.accepted)
        proc = subprocess.Popen(command, cwd=work, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        time.sleep(rng.uniform(0.3, args.max_life))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        this_life = {m for a in api.limits.accepted[before:] if (m := marker(a.text))}
        if this_life:
            during_sending += 1
        rows = recorded(database)
        unrecorded = {m for m in this_life if rows[m][0] != ReminderStatus.SENT}
        if unrecorded:
            in_window += 1
            window_markers |= unrecorded
    killing = time.monotonic() - started
    proc = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + FINAL_TIMEOUT
    while time.monotonic() < deadline and len(
            {marker(a.text) for a in api.limits.accepted}) < len(expected):
        time.sleep(0.5)
    time.sleep(2.0)  # anything sent twice at the very end shows up too
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    rows = recorded(database)
    report(api, expected, rows, kills=kills, during_sending=during_sending,
       in_window=in_window, window_markers=window_markers, seconds=killing)


def report(api: StandIn, expected: list[str], rows: dict[str, tuple[ReminderStatus,
           dt.datetime | None]], *, kills: int, during_sending: int, in_window: int,
           window_markers: set[str], seconds: float) -> None:
    seen: Counter[str] = Counter(m for a in api.limits.accepted if (m := marker(a.text)))
    lost = [m for m in expected if m not in seen]
    twice = {m for m, n in seen.items() if n > 1}
    outside = twice - window_markers
    last_accept = {marker(a.text): a.at for a in api.limits.accepted}
    windows = [sent.timestamp() - last_accept[m] for m, (status, sent) in rows.items()
               if status == ReminderStatus.SENT and sent is not None and m in last_accept]
    span, rate = api.limits.rate()
    share = sum(w for w in windows if w > 0) / span if span else 0.0
    print(f"{len(expected)} reminders due; {kills} SIGKILLs in {seconds:.0f} s, then one run "
          f"to the end")
    print(f"  messages accepted {len(api.limits.accepted)}, 429s {api.limits.refused}, "
          f"statuses {dict(Counter(str(s) for s, _ in rows.values()))}")
    print(f"  lost: {len(lost)}   duplicated: {len(twice)} ({len(twice & window_markers)} "
          f"inside the send window, {len(outside)} outside: target 0)")
    print(f"  kills while sending: {during_sending}; inside the send window (accepted, not yet "
          f"recorded): {in_window} = {in_window / during_sending if during_sending else 0:.1%}")
    if windows:
        windows.sort()
        print(f"  send window (accepted -> sent_at recorded): median "
              f"{windows[len(windows) // 2] * 1000:.1f} ms, max {windows[-1] * 1000:.1f} ms; "
              f"{share:.1%} of the {span:.0f} s from first to last message ({rate:.1f} msg/s, "
          f"restarts included)")


if __name__ == "__main__":
    main()
