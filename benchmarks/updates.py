"""Question messages per second through the whole Application (fake Bot API), and peak RSS.

Run: .venv/bin/python benchmarks/updates.py [messages] [--compare] [--postgresql]

The questions of tests/cases/questions.yaml (the tuning set), each sent by a resident of the
question's own region (so most are answered, some clarified, the decline cases not found),
through `Application.process_update` with the in-process Bot API; chat state and the miss log
are written to SQLite as in production.

`--compare` measures what keeping chat state in the database costs on today's code: the same
questions go, in alternating rounds of 100, to a second Application that keeps conversations
and user data with PTB's PicklePersistence (memory, written every 60 s: what Bangfu used before
the groundwork issue). Both see the same moments of a shared, noisy machine, so the difference
is the persistence's, not another process's; which one goes first in a round alternates too.

`--postgresql` runs the same on a throwaway PostgreSQL server (tests/pg_server.py, 127.0.0.1,
stopped after), the production database: each Application gets a database of its own.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram.ext import Application, PersistenceInput, PicklePersistence

from bot.app import build_application
from bot.offline import OfflineBotAPI
from bot.offline_chat import OfflineChat
from bot.services import build_services
from bot.settings import Settings
from knowledge.evaluation import load_cases

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "questions.yaml"
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
MESSAGES = int(ARGS[0]) if ARGS else 2000
COMPARE = "--compare" in sys.argv
POSTGRESQL = "--postgresql" in sys.argv
ROUND = 100  # messages per turn when comparing


class Bench:
    """One Application with a resident per region, and the questions they ask in turn."""

    def __init__(self, tmp: Path, *, pickle: bool, database_url: str | None = None) -> None:
        self.name = "PicklePersistence" if pickle else "database persistence"
        url = database_url or f"sqlite:///{tmp / (self.name[:6] + '.db')}"
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        self.api = OfflineBotAPI()
        # bot_data holds the live services, which a pickle would replace with what it loaded
        memory = PersistenceInput(bot_data=False, chat_data=False, callback_data=False)
        persistence = (PicklePersistence(tmp / "state.pickle", store_data=memory,
                                         update_interval=60) if pickle else None)
        self.app: Application = build_application(build_services(settings), request=self.api,
                                                  persistence=persistence)
        self.asked: list[tuple[OfflineChat, str]] = []
        self.sent = 0
        self.wall = self.cpu = 0.0

    async def start(self) -> None:
        await self.app.initialize()
        cases = load_cases(CASES)
        chats: dict[str, OfflineChat] = {}  # one resident per region, asking in their region
        for region in sorted({str(c["region"]) for c in cases}):
            chats[region] = OfflineChat(self.app, self.api, user_id=1000 + len(chats))
            await chats[region].send(region)
        self.asked = [(chats[str(c["region"])], str(c["question"])) for c in cases]

    async def ask(self, count: int) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            chat, question = self.asked[self.sent % len(self.asked)]
            await chat.send(question)
            self.sent += 1
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu

    def report(self) -> str:
        return (f"{self.name}: {self.sent} question messages in {self.wall:.2f} s: "
                f"{self.sent / self.wall:.0f} questions/s (one process, one core; target >= "
                f"300/s); CPU {self.cpu:.2f} s = {self.sent / self.cpu:.0f}/CPU-s")


async def run(tmp: Path, urls: tuple[str | None, str | None] = (None, None)) -> None:
    benches = [Bench(tmp, pickle=False, database_url=urls[0])] + (
        [Bench(tmp, pickle=True, database_url=urls[1])] if COMPARE else [])
    for b in benches:
        await b.start()
    for n, done in enumerate(range(0, MESSAGES, ROUND)):
        for b in benches if n % 2 == 0 else benches[::-1]:
            await b.ask(min(ROUND, MESSAGES - done))
    for b in benches:
        await b.app.shutdown()
        print(b.report())
    if COMPARE:
        db, memory = benches
        cost = (db.wall / db.sent - memory.wall / memory.sent) * 1e6
        print(f"the database persistence costs {cost:.0f} µs per question "
              f"({db.wall / memory.wall - 1:+.1%} time)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MiB" + (" (both Applications)" if COMPARE else "")
          + f"; Bot API calls made: {sum(len(b.api.calls) for b in benches)}")


def _on_postgresql(tmp: Path) -> None:
    import sqlalchemy as sa

    from tests.pg_server import find_bindir, postgres_server

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL: not found (install postgresql, or set PG_BIN)")
    with postgres_server(bindir) as url:
        server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            for name in ("bench_db", "bench_pickle"):
                conn.execute(sa.text(f"CREATE DATABASE {name}"))
        server.dispose()
        base = url.rsplit("/", 1)[0]
        print("PostgreSQL (throwaway server on 127.0.0.1)")
        asyncio.run(run(tmp, (f"{base}/bench_db", f"{base}/bench_pickle")))


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # PTB's per_message hint for the /check conversation
    with tempfile.TemporaryDirectory() as d:
        if POSTGRESQL:
            _on_postgresql(Path(d))
        else:
            asyncio.run(run(Path(d)))
