"""The `bangfu` command line: run, console, ask, eligible, kb."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bangfu", description="Bangfu 帮扶助手")
    sub = parser.add_subparsers(dest="command", required=True)
    kb = sub.add_parser("kb", help="知识库 knowledge base").add_subparsers(dest="kb_command",
                                                                          required=True)
    kb.add_parser("check", help="校验知识库并统计 validate and count")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `bangfu` script."""
    args = _parser().parse_args(argv)
    settings = Settings()
    if args.command == "kb" and args.kb_command == "check":
        from bot.commands.kb import kb_check

        return kb_check(settings)
    return 2


if __name__ == "__main__":
    sys.exit(main())
