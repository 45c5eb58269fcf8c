"""`bangfu demo`: a fresh demo database (DATA_DIR/demo.db) to try every role without
Telegram: `bangfu console --as caseworker|supervisor|resident` then runs on it."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands import demo_url, open_services
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `demo`."""
    parser = sub.add_parser("demo", help="生成演示数据（独立的演示数据库） seed the demo database")
    parser.set_defaults(func=demo_command, demo=True)


def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    """Start the demo afresh: the old demo database is removed first."""
    # Here, not at the top: storage.demo brings the roster importer (~50 ms), and `bangfu
    # run` imports every command module before it starts.
    from storage.demo import PEOPLE, seed
    from storage.secrets import id_hash_key

    path = Path(demo_url(settings).removeprefix("sqlite:///"))
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    svc = open_services(args, settings)
    summary = seed(engine=svc.engine, kb=svc.kb, key=id_hash_key(settings), now=svc.clock.now(),
                   tz=settings.tz)
    svc.engine.dispose()
    print(f"演示数据已生成 demo seeded: {path}")
    print(f"  {summary.households} 户, {summary.visits} 次走访, {summary.followups} 项跟进"
          f"（{summary.overdue} 项已逾期）")
    for telegram_id, role, name, home in PEOPLE:
        print(f"  {name}（{role.value}, {home}）Telegram ID {telegram_id}")
    print("试用 try: bangfu console --as caseworker | --as supervisor | --as resident")
    return 0
