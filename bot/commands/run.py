"""`bangfu run [--webhook]` and `bangfu console`: the bot, on Telegram or in the terminal."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `run` and `console`."""
    run = sub.add_parser("run", help="启动机器人（无令牌时进入本地终端模式）")
    run.add_argument("--webhook", action="store_true", help="使用 webhook 而不是长轮询")
    run.set_defaults(func=run_command)
    console = sub.add_parser("console", help="本地终端聊天 local chat in the terminal")
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


def console_command(args: argparse.Namespace, settings: Settings) -> int:
    """The same Application, chatting in the terminal."""
    from bot.console import run_console

    return run_console(settings)
