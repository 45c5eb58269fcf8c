"""The `bangfu` subcommands, one module each: `register(sub)` adds its parser and sets
`func(args, settings) -> exit code`. Start-up problems end in one Chinese line (CommandFailed)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings
from bot.startup import STARTUP_ERRORS, startup_problem
from knowledge.loader import KnowledgeBase

if TYPE_CHECKING:
    from bot.services import Services

DEMO_DB = "demo.db"


class CommandFailed(Exception):
    """A command cannot go on; `message` is for the person at the terminal."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base, or CommandFailed naming the broken file."""
    from knowledge.loader import load_knowledge

    try:
        return load_knowledge()
    except STARTUP_ERRORS as exc:
        raise CommandFailed(startup_problem(settings, exc)) from exc


def add_demo_flag(parser: argparse.ArgumentParser) -> None:
    """--demo: use the demo database (see `bangfu demo`) instead of DATABASE_URL."""
    parser.add_argument("--demo", action="store_true",
                        help="使用演示数据库（bangfu demo 生成） use the demo database")


def demo_url(settings: Settings) -> str:
    """The demo database: a SQLite file of its own in DATA_DIR, never the production one."""
    return f"sqlite:///{Path(settings.data_dir).resolve() / DEMO_DB}"


def chosen_settings(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with the demo database when --demo was given."""
    if getattr(args, "demo", False):
        return settings.model_copy(update={"database_url": demo_url(settings)})
    return settings


def open_services(args: argparse.Namespace, settings: Settings) -> Services:
    """Knowledge and the (migrated) database for a command, or CommandFailed in one line."""
    from bot.services import build_services

    settings = chosen_settings(args, settings)
    try:
        return build_services(settings)
    except STARTUP_ERRORS as exc:
        raise CommandFailed(startup_problem(settings, exc)) from exc


def region_of(svc: Services, text: str) -> str:
    """清河区/张相镇, 张相镇, 斗门 or an id (qinghe): the region id, or CommandFailed (exit
    code 2) listing what exists."""
    tree = svc.kb.regions
    if text in tree:
        return text
    parts = [p for p in text.replace("／", "/").split("/") if p.strip()]
    found = None
    for part in parts:
        node = tree.resolve(part.strip())
        if node is None or (found is not None and not tree.within(node.id, found)):
            found = None
            break
        found = node.id
    if found is None:
        counties = "、".join(r.name for r in tree if r.level == "county"
                            and svc.kb.has_data_for(r.id))
        raise CommandFailed(f"未知地区 unknown region: {text}（可用：{counties}，或其下的乡镇，"
                            "如 清河区/张相镇）", code=2)
    return found
