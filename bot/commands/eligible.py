"""`bangfu eligible --profile household.json|- [--json]`: run the screener on a profile."""

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
from knowledge.eligibility import Finding, Status, screen
from knowledge.loader import KnowledgeBase
from knowledge.profile import Profile, complete, parse_profile
from knowledge.profile_errors import describe
from knowledge.screening import totals

MAX_PROFILE_BYTES = 1_000_000  # a household is a few hundred bytes; refuse a runaway file


class ProfileRefused(Exception):
    """The profile cannot be screened; the message says why, in Chinese."""


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
    eligible.add_argument("--profile", required=True,
                          help="家庭档案 JSON 文件；- 表示从标准输入读取")
    eligible.add_argument("--json", action="store_true", help="输出 JSON")
    eligible.set_defaults(func=eligible_command)


def eligible_command(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the profile (errors name the field), screen it, print text or JSON."""
    kb = knowledge(settings)
    try:
        profile = load_profile(kb, _read(args.profile))
    except ProfileRefused as exc:
        return _error(str(exc))
    print_screening(kb, profile, as_json=args.json)
    return 0


def _read(source: str) -> bytes:
    """The profile's bytes from a file, or from standard input for `-`."""
    try:
        if source == "-":
            return sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
        with Path(source).open("rb") as f:
            return f.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileRefused(f"无法读取文件 {source}: {exc.strerror}") from exc


def load_profile(kb: KnowledgeBase, data: bytes) -> Profile:
    """Bytes (UTF-8, with or without the BOM Notepad writes) -> a validated, completed Profile;
    ProfileRefused says in Chinese what is wrong and where."""
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileRefused(f"文件太大（超过 {MAX_PROFILE_BYTES} 字节），一户的档案只有几百字节")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ProfileRefused("文件不是 UTF-8 编码，请用 UTF-8 保存") from exc
    except RecursionError as exc:  # [[[[...]]]] thousands deep: json.loads gives up
        raise ProfileRefused("不是合法的档案：嵌套层数太多") from exc
    except ValueError as exc:
        raise ProfileRefused(f"不是合法的 JSON: {exc}") from exc
    try:
        return complete(parse_profile(raw, kb.regions))
    except ValidationError as exc:
        raise ProfileRefused("\n  " + "\n  ".join(describe(exc))) from exc
    except ValueError as exc:
        known = "、".join(r.name for r in kb.regions if kb.has_data_for(r.id))
        raise ProfileRefused(f"{exc}（有政策文件的地区：{known}）") from exc


def print_screening(kb: KnowledgeBase, profile: Profile, *, as_json: bool) -> None:
    """Screen the household and print the result as the resident would read it, or JSON."""
    region = kb.regions.get(profile.region_id)
    findings = screen(kb, profile)
    if as_json:
        yearly, once = totals(kb, findings)
        print(json.dumps({"region": region.name, "estimated_yearly_total": yearly,
                          "once_total": once,
                          "results": [finding_json(f) for f in findings
                                      if f.status != Status.NO]},
                         ensure_ascii=False, indent=2))
        return
    print(to_plain(screening_html(kb, profile, findings)))
