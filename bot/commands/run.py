"""`bangfu run [--webhook]` and `bangfu console`: the bot, on Telegram or in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `run` and `console`."""
    run = sub.add_parser("run", help="启动机器人（无令牌时进入本地终端模式）")
    run.add_argument("--webhook", action="store_true", help="使用 webhook 而不是长轮询")
    run.set_defaults(func=run_command)
    console = sub.add_parser("console", help="本地终端聊天 local chat in the terminal")
    console.add_argument("--as", dest="as_role", choices=sorted(ROLES),
                         help="以演示数据中的身份使用（自动生成演示数据库）")
    console.set_defaults(func=console_command)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Long polling or a webhook with a token; the console without one."""
    if args.webhook and not settings.token:
        print("webhook 模式需要在 .env 中设置 TELEGRAM_BOT_TOKEN / TELEGRAM_BOT_TOKEN is required",
              file=sys.stderr)
        return 2
    if not settings.token:
        return console_command(args, settings)
    from bot.runner import run_bot

    return run_bot(settings, webhook=args.webhook)


ROLES = {"caseworker": "帮扶干部", "supervisor": "主管领导", "resident": "居民"}


def console_command(args: argparse.Namespace, settings: Settings) -> int:
    """The same Application, chatting in the terminal; --as: a user of the demo database
    (seeded first when it does not exist yet)."""
    from bot.console import Persona, run_console

    role = getattr(args, "as_role", None)
    if role is None:
        return run_console(settings)
    from bot.commands import demo_url
    from storage.demo import PEOPLE

    demo = settings.model_copy(update={"database_url": demo_url(settings)})
    if not Path(demo_url(settings).removeprefix("sqlite:///")).exists():
        from bot.commands.demo import demo_command

        if demo_command(argparse.Namespace(demo=True), settings) != 0:
            return 1
    if role == "resident":
        persona = Persona(4242, "居民", "/start")
    else:
        telegram_id, _, name, _ = next(p for p in PEOPLE if p[1].value == role)
        persona = Persona(telegram_id, f"{name}（{ROLES[role]}）", "/help")
    return run_console(demo, persona)
