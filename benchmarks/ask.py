"""Question answering: top-1 accuracy, latency per question and start-up time, vs a baseline.

Baseline: plain rapidfuzz.process.extractOne with WRatio over the region's titles.
Run: .venv/bin/python benchmarks/ask.py [-v]   (-v lists every miss)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.answer import answer
from knowledge.evaluation import Report, evaluate, load_cases
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.matcher import Matcher

CASE_DIR = Path(__file__).resolve().parent.parent / "tests" / "cases"
CASES = CASE_DIR / "questions.yaml"  # written with the aliases: the tuning set
HELDOUT = CASE_DIR / "heldout.yaml"  # written blind from the documents: the honest figure
ROUNDS = 5


def baseline_top1(kb: KnowledgeBase, cases: list[dict[str, object]]) -> float:
    hits = total = 0
    for c in cases:
        if not c["expect"]:
            continue
        region = kb.regions.resolve(str(c["region"]))
        assert region is not None
        entries = kb.entries_for(region.id)
        best = process.extractOne(str(c["question"]), [e.item.title for e in entries],
                                  scorer=fuzz.WRatio)
        expect = c["expect"]
        wanted = set(expect if isinstance(expect, list) else [expect])
        total += 1
        hits += bool(best and entries[best[2]].id in wanted)
    return hits / total


def print_report(title: str, report: Report, baseline: float) -> None:
    print(f"{title}:")
    print(f"  matcher  top-1 {report.top1_rate:.1%}  top-3 {report.top3 / report.answerable:.1%}")
    print(f"  baseline top-1 {baseline:.1%}  (rapidfuzz extractOne WRatio on titles)")
    print(f"  answered directly {report.answered_right}/{report.answerable} right, "
          f"{report.answered_wrong} wrong; clarified with the right option "
          f"{report.clarified_with_right}; declines kept {report.declines_kept}/{report.declines}")
    if "-v" in sys.argv:
        print("\n".join(f"    {f}" for f in report.failures))


def main() -> None:
    t0 = time.perf_counter()
    kb = load_knowledge()
    t1 = time.perf_counter()
    matcher = Matcher(kb)
    t2 = time.perf_counter()
    cases = load_cases(CASES)
    report = evaluate(cases, kb, matcher)
    latencies: list[float] = []
    for _ in range(ROUNDS):
        for c in cases:
            region = kb.regions.resolve(str(c["region"]))
            assert region is not None
            s = time.perf_counter()
            answer(str(c["question"]), region_id=region.id, kb=kb, matcher=matcher)
            latencies.append((time.perf_counter() - s) * 1000)
    q = statistics.quantiles(latencies, n=100)
    print(f"knowledge base: {len(kb.entries)} items, {len(cases)} questions "
          f"({report.answerable} answerable, {report.declines} to decline)")
    print(f"start-up: load {1000 * (t1 - t0):.0f} ms + index {1000 * (t2 - t1):.0f} ms "
          f"= {1000 * (t2 - t0):.0f} ms (target < 1500 ms)")
    print_report("tuning set (questions.yaml)", report, baseline_top1(kb, cases))
    held = load_cases(HELDOUT)
    print_report(f"held-out set (heldout.yaml, {len(held)} questions written blind)",
                 evaluate(held, kb, matcher), baseline_top1(kb, held))
    print(f"latency per question over {len(latencies)} calls: p50 {q[49]:.2f} ms, "
          f"p99 {q[98]:.2f} ms (target p99 < 5 ms)")


if __name__ == "__main__":
    main()
