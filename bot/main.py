"""The `bangfu` command line: run, console, ask, eligible, kb."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bangfu", description="Bangfu 帮扶助手")
    sub = parser.add_subparsers(dest="command", required=True)
    kb = sub.add_parser("kb", help="知识库 knowledge base").add_subparsers(dest="kb_command",
                                                                          required=True)
    kb.add_parser("check", help="校验知识库并统计 validate and count")
    misses = kb.add_parser("misses", help="最常见的未答问题 most frequent misses")
    misses.add_argument("--limit", type=int, default=30)
    db = sub.add_parser("db", help="数据库 database").add_subparsers(dest="db_command",
                                                                   required=True)
    db.add_parser("upgrade", help="升级到最新结构（启动时也会自动升级） migrate to newest")
    db.add_parser("current", help="显示数据库版本 show the schema revision")
    eligible = sub.add_parser("eligible", help="按家庭档案判断可享受的帮扶")
    eligible.add_argument("--profile", required=True, type=Path, help="家庭档案 JSON 文件")
    eligible.add_argument("--json", action="store_true", help="输出 JSON")
    run = sub.add_parser("run", help="启动机器人（无令牌时进入本地终端模式）")
    run.add_argument("--webhook", action="store_true", help="使用 webhook 而不是长轮询")
    sub.add_parser("console", help="本地终端聊天 local chat in the terminal")
    ask = sub.add_parser("ask", help="回答一个问题 answer a question")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--region", help="地区，如 清河区 / 斗门")
    ask.add_argument("--json", action="store_true", help="输出 JSON")
    ask.add_argument("--jsonl", action="store_true", help="从标准输入逐行读取 JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `bangfu` script."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "\n".join(f"  {'.'.join(map(str, e['loc'])).upper()}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        print(f"配置有误，请检查 .env 或环境变量 / invalid settings:\n{problems}", file=sys.stderr)
        return 2
    if args.command == "run" and args.webhook and not settings.token:
        print("webhook 模式需要在 .env 中设置 TELEGRAM_BOT_TOKEN / TELEGRAM_BOT_TOKEN is required",
              file=sys.stderr)
        return 2
    if args.command == "console" or (args.command == "run" and not settings.token):
        from bot.console import run_console

        return run_console(settings)
    if args.command == "run":
        from bot.runner import run_bot

        return run_bot(settings, webhook=args.webhook)
    if args.command == "db":
        from bot.commands.db import db_command

        return db_command(settings, args.db_command)
    if args.command == "kb" and args.kb_command == "check":
        from bot.commands.kb import kb_check

        return kb_check(settings)
    from knowledge.loader import KnowledgeError, load_knowledge

    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        from bot.startup import startup_problem

        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
    if args.command == "kb" and args.kb_command == "misses":
        from bot.commands.kb import kb_misses

        return kb_misses(settings, kb, args.limit)
    if args.command == "eligible":
        from bot.commands.eligible import eligible_command

        return eligible_command(kb, args.profile, args.json)
    if args.command == "ask":
        from bot.commands.ask import ask_command

        return ask_command(kb, args.region, args.question, args.json, args.jsonl)
    return 2


if __name__ == "__main__":
    sys.exit(main())
