"""Where the console's start-up time goes, stage by stage (wall milliseconds).

Run: .venv/bin/python benchmarks/startup.py   (and `python -X importtime -c "import bot.main"`
for the import tree). Uses a throw-away SQLite file, so the migration stage is a fresh
migration, alembic's import included (at head it is one SELECT, without alembic: ~1–3 ms).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_last = time.perf_counter()


def mark(stage: str) -> None:
    global _last
    now = time.perf_counter()
    print(f"{stage:<34}{(now - _last) * 1000:7.0f} ms")
    _last = now


def main(db: Path) -> None:
    import bot.main  # what `bangfu` imports before it parses its arguments
    mark("import bot.main (all subcommands)")
    import bot.app
    from bot.offline import OfflineBotAPI
    from bot.offline_chat import OfflineChat
    from bot.services import Services
    from bot.settings import Settings
    mark("import the Application's modules")
    settings = Settings(_env_file=None, database_url=f"sqlite:///{db}")  # type: ignore[call-arg]
    from knowledge.loader import load_knowledge
    kb = load_knowledge()
    mark("load and validate the knowledge YAML")
    from knowledge.matcher import Matcher
    matcher = Matcher(kb)
    mark("build the matcher's index")
    from storage.db import make_engine
    from storage.migrate import upgrade
    engine = make_engine(settings.database_url)
    upgrade(engine)
    mark("database: migrate (a fresh file)")
    api = OfflineBotAPI()
    app = bot.app.build_application(Services(settings, kb, matcher, engine), request=api)

    async def first_screen() -> None:
        async with app:
            await OfflineChat(app, api).send("/start")

    asyncio.run(first_screen())
    mark("Application up, /start answered")


if __name__ == "__main__":
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        main(Path(d) / "s.db")
    print(f"{'total to the first prompt':<34}{(time.perf_counter() - started) * 1000:7.0f} ms")
