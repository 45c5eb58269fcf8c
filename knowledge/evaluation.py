"""Score the answer decision on a YAML question set (tests and benchmarks).

A case names the asker's region and either `expect` (one id, or a list of ids any one of which
is right; null: the question must be declined) or `expect_all` (groups that must every one be
stated; a group is an id or a list of acceptable ids). `no_amount: true` marks a question for an
amount the document does not give: the reply must say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.answer import Answer, Outcome, answer
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher


@dataclass
class Report:
    """Counts over a question set; `failures` names each miss."""

    total: int = 0
    answerable: int = 0  # expect or expect_all cases
    top1: int = 0  # expect cases: the first entry shown (stated, or offered first) is right
    top3: int = 0
    multi: int = 0  # expect_all cases
    all_stated: int = 0  # expect_all cases: every group stated in a direct answer
    partly_stated: int = 0  # expect_all cases: some but not every group stated
    answered_right: int = 0
    answered_wrong: int = 0  # a direct answer that states none of the expected items
    clarified_with_right: int = 0
    answerable_declined: int = 0  # an answerable question told "没有找到"
    declines: int = 0
    declines_kept: int = 0
    declines_with_figure: int = 0  # a must-decline question answered with an amount
    declines_offered: int = 0  # a must-decline question kept, but offered items (您是想问)
    no_amount: int = 0
    no_amount_said: int = 0  # ... and the reply says the document gives no amount
    by_kind: Counter[str] = field(default_factory=Counter)  # kind -> cases
    right_by_kind: Counter[str] = field(default_factory=Counter)  # kind -> right cases
    failures: list[str] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        """Top-1 of `expect` cases and all-stated of `expect_all` cases, together."""
        return (self.top1 + self.all_stated) / self.answerable if self.answerable else 0.0

    @property
    def wrong_rate(self) -> float:
        return self.answered_wrong / self.total if self.total else 0.0

    @property
    def declines_kept_rate(self) -> float:
        return self.declines_kept / self.declines if self.declines else 1.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The question cases (name, region, question, expect or expect_all)."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def _ids(value: Any) -> set[str]:
    """An id or a list of ids as a set (None: empty)."""
    if not value:
        return set()
    return set(value) if isinstance(value, list) else {value}


def stated_ids(ans: Answer) -> list[str]:
    """The entries a reply states, in order (nothing unless it answers)."""
    return [e.id for e in ans.stated] if ans.answered else []


def _score_decline(r: Report, case: dict[str, Any], ans: Answer) -> None:
    r.declines += 1
    if not ans.answered:
        r.declines_kept += 1
        r.declines_offered += ans.outcome == Outcome.CLARIFY
        return
    if any(e.item.amounts for e in ans.stated):
        r.declines_with_figure += 1
    r.failures.append(f"DECLINE {case['question']} -> {stated_ids(ans)}")


def _score_all(r: Report, case: dict[str, Any], ans: Answer) -> bool:
    groups = [_ids(g) for g in case["expect_all"]]
    stated = set(stated_ids(ans))
    hit = sum(bool(g & stated) for g in groups)
    r.multi += 1
    if ans.answered and hit == len(groups):
        r.all_stated += 1
        r.answered_right += 1
        return True
    if ans.answered and hit:
        r.partly_stated += 1
    elif ans.answered:
        r.answered_wrong += 1
    wanted = set().union(*groups)
    if ans.outcome == Outcome.CLARIFY and wanted & {m.entry.id for m in ans.matches}:
        r.clarified_with_right += 1
    r.failures.append(f"ALL {case['question']} -> {stated_ids(ans) or ans.outcome.value} "
                      f"want {[sorted(g) for g in groups]}")
    return False


def shown_ids(ans: Answer) -> list[str]:
    """The entries the user is shown: what the reply states, or offers under 您是想问
    (nothing for 没有找到, whatever the ranking had first)."""
    return stated_ids(ans) or ([m.entry.id for m in ans.matches]
                               if ans.outcome == Outcome.CLARIFY else [])


def shown_first(ans: Answer) -> list[str]:
    """Entries in the order the user meets them: what the reply shows, then the rest of the
    ranking. For a one-item answer this is the ranking."""
    shown = shown_ids(ans)
    return shown + [m.entry.id for m in ans.ranked if m.entry.id not in shown]


def _score_one(r: Report, case: dict[str, Any], ans: Answer) -> bool:
    wanted = _ids(case["expect"])
    shown = shown_ids(ans)
    ranked = shown_first(ans)
    right = bool(shown) and shown[0] in wanted  # a 没有找到 reply is never right
    r.top1 += right
    r.top3 += bool(wanted & set(ranked[:3]))
    if not right:
        r.failures.append(f"TOP1 {case['question']} -> {ranked[:2]} want {sorted(wanted)}")
    stated = stated_ids(ans)
    if stated and stated[0] in wanted:
        r.answered_right += 1
    elif stated and not wanted & set(stated):
        r.answered_wrong += 1
        r.failures.append(f"WRONG {case['question']} -> {stated[:3]} want {sorted(wanted)}")
    elif ans.outcome == Outcome.CLARIFY and wanted & {m.entry.id for m in ans.matches}:
        r.clarified_with_right += 1
    return right


def score_cases(cases: list[dict[str, Any]], kb: KnowledgeBase, matcher: Matcher) -> Report:
    """What the user would be told, scored against each case."""
    r = Report()
    for case in cases:
        region = kb.regions.resolve(case["region"])
        assert region is not None, case["region"]
        ans = answer(case["question"], region_id=region.id, kb=kb, matcher=matcher)
        kind = str(case.get("kind", "single"))
        r.total += 1
        r.by_kind[kind] += 1
        if "expect_all" not in case and not case["expect"]:
            _score_decline(r, case, ans)
            r.right_by_kind[kind] += not ans.answered
            continue
        r.answerable += 1
        r.answerable_declined += ans.outcome == Outcome.NOT_FOUND
        right = _score_all(r, case, ans) if "expect_all" in case else _score_one(r, case, ans)
        r.right_by_kind[kind] += right
        if case.get("no_amount"):
            r.no_amount += 1
            r.no_amount_said += bool(ans.answered and ans.unstated_amounts)
    return r
