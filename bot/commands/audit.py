"""`bangfu audit [--object KIND[:ID]] [--user TG_ID] [--limit N] [--json]`: read the log."""

from __future__ import annotations

import argparse
import json

from bot.commands import add_demo_flag, open_services
from bot.settings import Settings
from storage.repo import audit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `audit`."""
    parser = sub.add_parser("audit", help="查看审计日志 read the audit log")
    parser.add_argument("--object", help="对象，如 household:HH00001、visit:12、user")
    parser.add_argument("--user", type=int, help="操作人的 Telegram ID")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    add_demo_flag(parser)
    parser.set_defaults(func=audit_command)


def audit_command(args: argparse.Namespace, settings: Settings) -> int:
    """The newest rows first; times in the bot's time zone."""
    svc = open_services(args, settings)
    kind, _, object_id = (args.object or "").partition(":")
    with svc.db() as session:
        rows = audit.entries(session=session, object_type=kind or None,
                             object_id=object_id or None, actor_id=args.user,
                             limit=max(1, min(args.limit, 10_000)))
    out = [{"at": r.at.astimezone(settings.tz).isoformat(timespec="seconds"), "actor": r.actor,
            "action": r.action, "object": f"{r.object_type}:{r.object_id}", "before": r.before,
            "after": r.after} for r in rows]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif not out:
        print("没有记录 / nothing logged")
    else:
        print(f"{'时间 at':<26} {'操作人 actor':<16} {'操作 action':<28} 对象 object")
        for r in out:
            print(f"{r['at']:<26} {r['actor']:<16} {r['action']:<28} {r['object']}")
            if r["before"] is not None or r["after"] is not None:
                print(f"{'':<26}   {json.dumps(r['before'], ensure_ascii=False)} -> "
                      f"{json.dumps(r['after'], ensure_ascii=False)}")
    return 0
