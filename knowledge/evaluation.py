"""Score the matcher and the answer decision on a YAML question set (tests and benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.answer import Outcome, answer
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher


@dataclass
class Report:
    """Counts over a question set; `failures` names each miss."""

    total: int = 0
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    answered_right: int = 0
    answered_wrong: int = 0
    clarified_with_right: int = 0
    declines: int = 0
    declines_kept: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.answerable if self.answerable else 0.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The question cases (name, region, question, expect)."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def evaluate(cases: list[dict[str, Any]], kb: KnowledgeBase, matcher: Matcher) -> Report:
    """Top-1/top-3 of the ranking, and what the user would actually be told."""
    r = Report()
    for case in cases:
        region = kb.regions.resolve(case["region"])
        assert region is not None, case["region"]
        expect = case["expect"]
        wanted = set(expect if isinstance(expect, list) else [expect]) if expect else set()
        ans = answer(case["question"], region_id=region.id, kb=kb, matcher=matcher)
        r.total += 1
        if not wanted:
            r.declines += 1
            if ans.outcome != Outcome.ANSWERED:
                r.declines_kept += 1
            else:
                r.failures.append(f"DECLINE {case['question']} -> {ans.matches[0].entry.id}")
            continue
        r.answerable += 1
        ranked = [m.entry.id for m in matcher.match(case["question"], region=region.id)]
        if ranked[:1] and ranked[0] in wanted:
            r.top1 += 1
        else:
            r.failures.append(f"TOP1 {case['question']} -> {ranked[:2]} want {sorted(wanted)}")
        r.top3 += bool(wanted & set(ranked[:3]))
        if ans.outcome == Outcome.ANSWERED:
            if ans.matches[0].entry.id in wanted:
                r.answered_right += 1
            else:
                r.answered_wrong += 1
        elif ans.outcome == Outcome.CLARIFY and wanted & {m.entry.id for m in ans.matches}:
            r.clarified_with_right += 1
    return r
