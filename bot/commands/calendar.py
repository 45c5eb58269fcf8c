"""`bangfu calendar export [--out FILE]` and `bangfu calendar import FILE.yaml`: every
deadline rule (the documents' and the offices') as YAML, and offices' deadlines in bulk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.commands import CommandFailed, add_demo_flag, open_services
from bot.services import Services
from bot.settings import Settings
from knowledge.calendar import Level, Rule, describe, historical
from knowledge.schema import Kind
from storage.reminders import acting_level
from storage.repo import audit, reminders
from storage.repo.audit import Ref


class OfficeDeadline(BaseModel):
    """One office deadline in the YAML (export writes exactly this shape)."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None  # present: update that deadline; absent: a new one
    region: str
    title: str = Field(min_length=1, max_length=100)
    rule: Rule
    level: Level = "county"
    remind_days: list[int] | None = None
    ended: bool = False


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `calendar export` and `calendar import`."""
    parser = sub.add_parser("calendar", help="工作期限日历 the programme calendar")
    actions = parser.add_subparsers(dest="calendar_command", required=True)
    export = actions.add_parser("export", help="导出全部期限规则（YAML）")
    export.add_argument("--out", type=Path, help="写入文件（默认输出到屏幕）")
    add_demo_flag(export)
    export.set_defaults(func=export_command)
    load = actions.add_parser("import", help="批量导入/修改本单位期限（YAML）")
    load.add_argument("file", type=Path)
    add_demo_flag(load)
    load.set_defaults(func=import_command)


def _documents(svc: Services) -> list[dict[str, Any]]:
    today = svc.clock.now().astimezone(svc.settings.tz).date()
    out = []
    for e in svc.kb.entries:
        if e.item.kind != Kind.DEADLINE or e.item.schedule is None:
            continue
        rule = Rule.from_schedule(e.item.schedule)
        region = svc.kb.regions.get(e.document.jurisdiction)
        out.append({"id": e.id, "region": region.name, "title": e.item.title,
                    "rule": rule.model_dump(mode="json", exclude_defaults=True),
                    "when": describe(rule), "level": acting_level(e),
                    "historical": historical(rule, today),
                    "source": f"{e.document.title}（{e.document.year}）{e.item.source.section}"})
    return out


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """Documents' rules (read only, from the YAML) and offices' deadlines (importable)."""
    import yaml  # here, as in _parse: `bangfu run` imports every command and needs no yaml

    svc = open_services(args, settings)
    with svc.db() as session:
        offices = reminders.office_deadlines(session=session, include_ended=True)
    data = {"documents": _documents(svc), "offices": [OfficeDeadline(
        id=d.id, region=svc.kb.regions.get(d.region_id).name if d.region_id in svc.kb.regions
        else d.region_id, title=d.title, rule=Rule.model_validate(d.rule),
        level=d.level, remind_days=d.remind_days,  # type: ignore[arg-type]
        ended=d.ended_at is not None).model_dump(mode="json", exclude_none=True)
        for d in offices]}
    text = "# bangfu calendar export: documents are read only (knowledge/data/*.yaml);\n" \
           "# edit or add under `offices` and load with `bangfu calendar import FILE`.\n" + \
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"已导出 {len(data['documents'])} 条文件期限、{len(offices)} 条本单位期限"
              f"到 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _parse(svc: Services, path: Path) -> list[tuple[OfficeDeadline, str]]:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as exc:
        raise CommandFailed(f"无法读取 {path}: {exc}", code=2) from exc
    items = raw.get("offices", []) if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise CommandFailed("文件里应有 offices: 列表 / expected a list under `offices`", code=2)
    problems, parsed = [], []
    for n, item in enumerate(items, 1):
        try:
            deadline = OfficeDeadline.model_validate(item)
        except ValidationError as exc:
            fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                               for e in exc.errors())
            problems.append(f"第{n}条: {fields}")
            continue
        region = svc.kb.regions.resolve(deadline.region)
        if region is None:
            problems.append(f"第{n}条: 未知地区 {deadline.region}")
            continue
        parsed.append((deadline, region.id))
    if problems:
        raise CommandFailed("没有导入任何内容，请先改正 / nothing imported:\n"
                            + "\n".join(problems), code=2)
    return parsed


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    """All or nothing: every item valid, then created or updated in one transaction."""
    svc = open_services(args, settings)
    items = _parse(svc, args.file)
    now = svc.clock.now()
    created = updated = 0
    with svc.transaction() as session:
        for d, region_id in items:
            values = {"region_id": region_id, "title": d.title, "level": d.level,
                      "rule": d.rule.model_dump(mode="json", exclude_defaults=True),
                      "remind_days": d.remind_days}
            row = reminders.get_deadline(session=session, deadline_id=d.id) if d.id else None
            if d.id and row is None:
                raise CommandFailed(f"没有 id 为 {d.id} 的本单位期限 / no such deadline", code=2)
            before = None if row is None else {"title": row.title, "rule": row.rule}
            if row is None:
                row = reminders.add_deadline(session=session, by="cli", now=now,
                                             **values)  # type: ignore[arg-type]
                created += 1
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = now
                updated += 1
            row.ended_at = (row.ended_at or now) if d.ended else None
            session.add(row)
            session.flush()
            audit.record(session=session, actor="cli", action="deadline.import",
                         target=Ref("deadline", f"db:{row.id}"), before=before,
                         after={**values, "ended": d.ended}, at=now)
    print(f"已导入：新增 {created} 条，修改 {updated} 条 / created {created}, updated {updated}")
    return 0
