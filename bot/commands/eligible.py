"""`bangfu eligible --profile household.json [--json]`: run the screener on a profile file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.commands import knowledge
from bot.settings import Settings
from handlers.ui.messages import screening_html
from handlers.ui.render import to_plain
from knowledge.eligibility import Finding, Status, screen, totals
from knowledge.loader import KnowledgeBase
from knowledge.profile import parse_profile


def _error(message: str) -> int:
    print(f"档案有误 / invalid profile: {message}", file=sys.stderr)
    return 2


def finding_json(f: Finding) -> dict[str, Any]:
    """One verdict in the documented JSON shape."""
    def amounts(items: Any) -> list[dict[str, Any]]:
        return [{"label": a.label, "value": a.value, "unit": a.unit, "text": a.text}
                for a in items]
    return {"id": f.entry.id, "title": f.entry.item.title, "status": f.status.value,
            "unknown": sorted(f.verdict.unknown), "amounts": amounts(f.amounts),
            "members": [{"index": p.index, "status": p.verdict.status.value,
                         "amounts": amounts(p.amounts)} for p in f.people],
            "lead": list(f.entry.item.departments.lead),
            "source": {"document": f.entry.document.title, "year": f.entry.document.year,
                       "section": f.entry.item.source.section}}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `eligible`."""
    eligible = sub.add_parser("eligible", help="按家庭档案判断可享受的帮扶")
    eligible.add_argument("--profile", required=True, type=Path, help="家庭档案 JSON 文件")
    eligible.add_argument("--json", action="store_true", help="输出 JSON")
    eligible.set_defaults(func=eligible_command)


def eligible_command(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the profile (errors name the field), screen it, print text or JSON."""
    kb = knowledge(settings)
    return screen_profile(kb, args.profile, args.json)


def screen_profile(kb: KnowledgeBase, path: Path, as_json: bool) -> int:
    """Screen the household in a JSON file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        profile = parse_profile(raw, kb.regions)
    except OSError as exc:
        return _error(f"无法读取文件 {path}: {exc.strerror}")
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            return _error(fields)
        return _error(f"不是合法的 JSON: {exc}")
    region = kb.regions.get(profile.region_id)
    findings = screen(kb, profile)
    yearly, once = totals(findings)
    if as_json:
        print(json.dumps({"region": region.name, "estimated_yearly_total": yearly,
                          "once_total": once,
                          "results": [finding_json(f) for f in findings
                                      if f.status != Status.NO]},
                         ensure_ascii=False, indent=2))
        return 0
    print(to_plain(screening_html(profile, region.name, findings)))
    return 0
