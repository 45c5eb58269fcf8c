"""Question messages per second through the whole Application (fake Bot API), and peak RSS.

Run: .venv/bin/python benchmarks/updates.py [messages] [--pickle]

The questions of tests/cases/questions.yaml (the tuning set), each sent by a resident of the
question's own region (so most are answered, some clarified, the decline cases not found),
through `Application.process_update` with the in-process Bot API; chat state and the miss log
are written to SQLite as in production. `--pickle` swaps the database persistence for PTB's
PicklePersistence (memory, written every 60 s: what Bangfu used before the groundwork issue), to
measure what keeping chat state in the database costs on today's code.
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

from telegram.ext import PersistenceInput, PicklePersistence

from bot.app import build_application
from bot.offline import OfflineBotAPI
from bot.offline_chat import OfflineChat
from bot.services import build_services
from bot.settings import Settings
from knowledge.evaluation import load_cases

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "questions.yaml"
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
MESSAGES = int(ARGS[0]) if ARGS else 2000
PICKLE = "--pickle" in sys.argv


async def run(tmp: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'b.db'}")  # type: ignore[call-arg]
    api = OfflineBotAPI()
    # bot_data holds the live services, which a pickle would replace with what it loaded
    memory = PersistenceInput(bot_data=False, chat_data=False, callback_data=False)
    persistence = (PicklePersistence(tmp / "state.pickle", store_data=memory, update_interval=60)
                   if PICKLE else None)
    app = build_application(build_services(settings), request=api, persistence=persistence)
    cases = load_cases(CASES)
    async with app:
        chats: dict[str, OfflineChat] = {}  # one resident per region, asking in their region
        for region in sorted({str(c["region"]) for c in cases}):
            chats[region] = OfflineChat(app, api, user_id=1000 + len(chats))
            await chats[region].send(region)
        asked = [(chats[str(c["region"])], str(c["question"])) for c in cases]
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(MESSAGES):
            chat, question = asked[i % len(asked)]
            await chat.send(question)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kind = "PicklePersistence" if PICKLE else "database persistence"
    print(f"{kind}: {MESSAGES} question messages in {elapsed:.2f} s: "
          f"{MESSAGES / elapsed:.0f} questions/s "
          f"(one process, one core; target >= 300/s); CPU {cpu:.2f} s = "
          f"{MESSAGES / cpu:.0f}/CPU-s (steadier on a shared machine)")
    print(f"peak RSS {rss:.0f} MiB; Bot API calls made: {len(api.calls)}")


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # PTB's per_message hint for the /check conversation
    with tempfile.TemporaryDirectory() as d:
        asyncio.run(run(Path(d)))
