"""`bangfu import households FILE [--dry-run] [--json] [--skip-invalid] [--demo]`: load the
household roster (.xlsx or .csv) as the national 扶贫开发信息系统 exports it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.commands import CommandFailed, knowledge
from bot.settings import Settings
from bot.startup import startup_problem
from storage.db import make_engine
from storage.migrate import upgrade

if TYPE_CHECKING:
    from storage.roster.importer import Report

SHOWN = 200  # errors and names listed on the terminal; --json lists all


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `import households`."""
    kinds = sub.add_parser("import", help="导入数据 import data").add_subparsers(
        dest="import_command", required=True)
    households = kinds.add_parser("households", help="导入贫困户花名册 import the roster")
    households.add_argument("file", type=Path, help=".xlsx 或 .csv（UTF-8 / GB18030）")
    households.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    households.add_argument("--json", action="store_true", help="输出 JSON")
    households.add_argument("--skip-invalid", action="store_true",
                            help="跳过有错误的户，导入其余的户")
    households.add_argument("--demo", action="store_true", help="使用演示数据库 data/demo.db")
    households.set_defaults(func=import_command)


def demo_settings(settings: Settings) -> Settings:
    """The same settings on the demo database (DATA_DIR/demo.db)."""
    url = f"sqlite:///{Path(settings.data_dir) / 'demo.db'}"
    return settings.model_copy(update={"database_url": url})


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """Import the roster; exit 1 when errors stopped it, 2 when the file cannot be read."""
    # Here, not at the top: the importer costs ~25 ms to import, and `bangfu run` imports
    # every command module before it starts.
    from storage.roster.files import RosterFileError
    from storage.roster.importer import Options, import_roster
    from storage.secrets import id_hash_key

    if args.demo:
        settings = demo_settings(settings)
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    kb = knowledge(settings)
    engine = make_engine(settings.database_url)
    now = dt.datetime.now(dt.UTC)
    options = Options(dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                      progress=lambda n: print(f"已读取 {n} 行…", file=sys.stderr, flush=True))
    try:
        upgrade(engine)
        report = import_roster(args.file, engine=engine, regions=kb.regions,
                               key=id_hash_key(settings), now=now,
                               today=now.astimezone(settings.tz).date(), options=options)
    except RosterFileError as exc:
        raise CommandFailed(f"无法读取花名册 / cannot read the roster: {exc}", code=2) from exc
    except SQLAlchemyError as exc:
        raise CommandFailed(startup_problem(settings, exc)) from exc
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary(report, args.file, dry_run=args.dry_run)))
    return 0 if report.imported else 1


def summary(report: Report, path: Path, *, dry_run: bool) -> list[str]:
    """The Chinese summary printed on the terminal."""
    h, m = report.households, report.members
    encoding = f"，{report.encoding.upper().replace('-SIG', ' (BOM)')} 编码" if report.encoding \
        else ""
    verb = "检查完毕（试运行，未写入数据库）" if dry_run else "导入完成"
    lines = [f"{path.name}：共 {report.rows} 行数据{encoding}"]
    if report.imported:
        lines += [f"{verb}。户：新增 {h.created}，更新 {h.updated}，未变 {h.unchanged}；"
                  f"成员：新增 {m.created}，更新 {m.updated}，未变 {m.unchanged}，"
                  f"已不在户中 {m.gone}；新建村/社区 {report.villages_created} 个。"]
    else:
        lines.append(f"未导入任何数据：发现 {len(report.errors)} 个错误，请改正后重新导入"
                     "（或用 --skip-invalid 只导入没有错误的户）。")
    if report.unrecognised_columns:
        lines.append("未识别的列（已忽略）：" + "、".join(report.unrecognised_columns))
    lines += _details(report)
    return lines


def _details(report: Report) -> list[str]:
    lines: list[str] = []
    if report.unassigned:
        lines.append("以下帮扶责任人还没有注册为本县区的帮扶干部（姓名已保存；用 bangfu invite "
                     "注册后重新导入即可关联）：")
        by_county: dict[str, list[str]] = {}
        for u in report.unassigned[:SHOWN]:
            note = "，有重名，无法确定是哪一位" if u.reason == "ambiguous" else ""
            by_county.setdefault(u.county, []).append(f"{u.name}（{u.households} 户{note}）")
        lines += [f"  {county}：" + "、".join(names) for county, names in by_county.items()]
    if report.gone:
        lines.append("以下成员已不在本次花名册的户中（已标记为不在户，未删除）：")
        lines += [f"  户 {g.household}：{g.name} {g.id_masked}" for g in report.gone[:SHOWN]]
    if report.erased:
        lines.append("以下户已按删除请求清除个人信息，未重新导入：" + "、".join(report.erased))
    if report.errors:
        if report.imported:
            lines.append(f"已跳过 {len(report.skipped)} 个有错误的户：" +
                         "、".join(report.skipped[:SHOWN]))
        lines.append("错误：")
        lines += [f"  第 {e.row} 行" + (f"「{e.column}」" if e.column else "") + f"：{e.message}"
                  for e in report.errors[:SHOWN]]
    if len(report.errors) > SHOWN:
        lines.append(f"  …另有 {len(report.errors) - SHOWN} 个错误，用 --json 查看全部")
    if len(report.gone) > SHOWN:
        lines.append(f"  …另有 {len(report.gone) - SHOWN} 名成员已不在户中")
    return lines
