"""Question messages per second through the whole Application (fake Bot API), and peak RSS.

Run: .venv/bin/python benchmarks/updates.py
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application, default_persistence
from bot.offline import OfflineBotAPI
from bot.offline_chat import OfflineChat
from bot.settings import Settings
from knowledge.evaluation import load_cases

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "questions.yaml"
MESSAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


async def run(tmp: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp / 'b.db'}",  # type: ignore[call-arg]
                        persistence_file=tmp / "b.pickle")
    api = OfflineBotAPI()
    app = build_application(settings, request=api,
                            persistence=default_persistence(settings, update_interval=3600))
    chat = OfflineChat(app, api)
    questions = [str(c["question"]) for c in load_cases(CASES)]
    async with app:
        await chat.send("清河区")
        start = time.perf_counter()
        for i in range(MESSAGES):
            await chat.send(questions[i % len(questions)])
        elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{MESSAGES} question messages in {elapsed:.2f} s: {MESSAGES / elapsed:.0f} questions/s "
          f"(one process, one core; target >= 300/s)")
    print(f"peak RSS {rss:.0f} MiB; Bot API calls made: {len(api.calls)}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        asyncio.run(run(Path(d)))
