"""`bangfu export --region 清河区 --out ledger.xlsx [--from DATE --to DATE] [--phones]`: the
ledger (台账) of a region, as /export sends it, written on the server."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from bot.commands import CommandFailed, add_demo_flag, open_services, region_of
from bot.settings import Settings
from handlers.export import write_file
from storage import ledger
from storage.repo import audit
from storage.repo.audit import Ref


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export`."""
    parser = sub.add_parser("export", help="导出地区台账（Excel）export a region's ledger")
    parser.add_argument("--region", required=True, help="地区名称或编号，如 清河区、张相镇、qinghe")
    parser.add_argument("--out", required=True, type=Path, help="输出文件，如 ledger.xlsx")
    parser.add_argument("--from", dest="first", help="走访和跟进事项从这天起（YYYY-MM-DD）")
    parser.add_argument("--to", dest="last", help="到这天为止（含，YYYY-MM-DD）")
    parser.add_argument("--phones", action="store_true",
                        help="包含联系电话（默认不含：台账常被转发）include phone numbers")
    add_demo_flag(parser)
    parser.set_defaults(func=export_command)


def _day(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandFailed(f"{option} 的日期格式应为 YYYY-MM-DD，如 2026-11-01 "
                            f"/ {option} expects YYYY-MM-DD: {text}", code=2) from None


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the workbook and say how many rows each sheet holds."""
    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    if first and last and first > last:
        raise CommandFailed("--from 晚于 --to / --from is after --to", code=2)
    svc = open_services(args, settings)
    region = region_of(svc, args.region)
    scope = ledger.Scope(path=svc.kb.regions.path(region))
    started = time.perf_counter()
    try:
        written = write_file(svc, scope, args.out, phones=args.phones,
                             period=ledger.period_of(first, last, svc.settings.tz))
    except OSError as exc:
        raise CommandFailed(f"无法写入 cannot write {args.out}: {exc.strerror}") from exc
    with svc.transaction() as session:
        audit.record(session=session, actor="cli", action="ledger.export",
                     target=Ref("ledger", region), after={**written.rows, "phones": args.phones},
                     at=svc.clock.now())
    print(f"已导出 {svc.kb.regions.get(region).name} 台账到 {args.out}"
          f"（{time.perf_counter() - started:.1f} 秒）")
    for sheet, count in written.rows.items():
        print(f"  {sheet}：{count} 行")
    return 0
