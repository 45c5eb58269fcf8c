"""`bangfu status [--json]`: is the reminder scheduler running, and is anything stuck?"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from bot.commands import add_demo_flag, open_services
from bot.settings import Settings
from storage.reminders import health


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `status`."""
    parser = sub.add_parser("status", help="提醒调度状态 scheduler and delivery status")
    parser.add_argument("--json", action="store_true")
    add_demo_flag(parser)
    parser.set_defaults(func=status_command)


def _local(value: str | None, settings: Settings) -> str:
    if value is None:
        return "从未 never"
    return dt.datetime.fromisoformat(value).astimezone(settings.tz).strftime("%Y-%m-%d %H:%M:%S")


def status_command(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when a scheduler leads and sweeps; 1 otherwise (for monitoring)."""
    svc = open_services(args, settings)
    with svc.db() as session:
        report = health(session=session, now=svc.clock.now())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0 if report["ok"] else 1
    print(f"调度进程 scheduler: {report['scheduler'] or '无 none（没有进程在发送提醒）'}")
    print(f"上次扫描 last sweep: {_local(report['last_sweep'], settings)}"
          f"{'  ⚠️ 已停滞 STALLED' if report['stalled'] else ''}")
    print(f"运行中的进程 processes: {len(report['processes'])}")
    print(f"到期未发 due unsent: {report['due_unsent']}，重试中 retrying: {report['retrying']}")
    print(f"24小时内 last 24h: 已发 sent {report['sent_24h']}，失败 failed "
          f"{report['failed_24h']}，被屏蔽 blocked {report['blocked_24h']}")
    return 0 if report["ok"] else 1
