"""The `bangfu` command line; each subcommand lives in bot/commands/ (see its `register`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.commands import (
    CommandFailed,
    ask,
    audit,
    calendar,
    db,
    demo,
    eligible,
    export,
    households,
    imports,
    kb,
    run,
    staff,
    status,
)
from bot.settings import Settings

# the order of `bangfu --help`
COMMANDS = (run, demo, status, ask, eligible, imports, staff, households, export, audit,
            calendar, kb, db)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bangfu", description="Bangfu 帮扶助手")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def _settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "\n".join(f"  {'.'.join(map(str, e['loc'])).upper()}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        print(f"配置有误，请检查 .env 或环境变量 / invalid settings:\n{problems}", file=sys.stderr)
        return None


def _quiet_broken_pipe() -> int:
    """`bangfu kb check | head`: the reader has gone, so stop without a traceback.

    Python's advice (signal module docs, "Note on SIGPIPE"): point stdout at devnull so the
    interpreter's final flush does not raise a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `bangfu` script."""
    args = _parser().parse_args(argv)
    settings = _settings()
    if settings is None:
        return 2
    try:
        code: int = args.func(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except CommandFailed as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    return code


if __name__ == "__main__":
    sys.exit(main())
