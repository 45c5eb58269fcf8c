"""`bangfu db upgrade|current|backup FILE`: the schema and backups without starting the bot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.startup import startup_problem
from storage.backup import BackupError, backup_sqlite
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db upgrade` and `db current`."""
    db = sub.add_parser("db", help="数据库 database").add_subparsers(dest="db_command",
                                                                   required=True)
    db.add_parser("upgrade", help="升级到最新结构（启动时也会自动升级） migrate to newest"
                  ).set_defaults(func=db_command)
    db.add_parser("current", help="显示数据库版本 show the schema revision"
                  ).set_defaults(func=db_command)
    backup = db.add_parser("backup", help="在线备份 SQLite 数据库 copy a live SQLite database")
    backup.add_argument("file", type=Path, help="备份文件（不能已存在）")
    backup.set_defaults(func=backup_command)


def backup_command(args: argparse.Namespace, settings: Settings) -> int:
    """A consistent copy while the bot runs (SQLite's online backup API)."""
    engine = make_engine(settings.database_url)
    try:
        pages = backup_sqlite(engine, args.file)
    except BackupError as exc:
        print(f"无法备份 / cannot back up: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"已备份到 backed up to {args.file}（{pages} 页 pages）")
    return 0


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database to the newest migration, or print where it stands."""
    action = args.db_command
    engine = make_engine(settings.database_url)
    try:
        if action == "upgrade":
            upgrade(engine)
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    head = head_revision()
    state = "最新 up to date" if current == head else f"待升级 behind (newest {head})"
    print(f"数据库版本 revision: {current or '未初始化 none'} — {state}")
    return 0 if current == head or action == "current" else 1
