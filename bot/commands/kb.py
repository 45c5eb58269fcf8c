"""`bangfu kb check` and `bangfu kb misses`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bot.commands import knowledge
from bot.settings import Settings
from bot.startup import startup_problem
from knowledge.citations import check_citations
from knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kb check` and `kb misses`."""
    kb = sub.add_parser("kb", help="知识库 knowledge base").add_subparsers(dest="kb_command",
                                                                          required=True)
    kb.add_parser("check", help="校验知识库并统计 validate and count").set_defaults(
        func=lambda args, settings: kb_check(settings))
    misses = kb.add_parser("misses", help="最常见的未答问题 most frequent misses")
    misses.add_argument("--limit", type=int, default=30)
    misses.set_defaults(func=lambda args, settings: kb_misses(settings, knowledge(settings),
                                                              args.limit))


def kb_check(settings: Settings) -> int:
    """Validate every YAML file and citation; print counts per document and kind."""
    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        print(startup_problem(settings, exc), file=sys.stderr)
        return 1
    totals: Counter[str] = Counter()
    for doc in kb.documents:
        counts = kb.counts().get(doc.id, Counter())
        totals.update(counts)
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        print(f"{doc.id:<22} {doc.title}（{doc.year}）: {sum(counts.values())} 条 ({detail})")
    detail = ", ".join(f"{kind} {n}" for kind, n in sorted(totals.items()))
    print(f"{'合计 total':<22} {sum(totals.values())} 条 ({detail})")
    if not settings.seeds_dir.is_dir():
        print(f"未找到原文目录，跳过引文核对 / seeds not found, citations not checked: "
              f"{settings.seeds_dir}")
        return 0
    problems = check_citations(kb, settings.seeds_dir)
    for p in problems:
        print(f"引文问题 citation problem: {p.item_id}: {p.problem}", file=sys.stderr)
    print(f"引文核对 citations: {len(kb.entries) - len({p.item_id for p in problems})}"
          f"/{len(kb.entries)} 条通过")
    return 1 if problems else 0


MISS_LABELS = {"unanswered": "没找到", "clarified": "需澄清", "unhelpful": "没用"}


def kb_misses(settings: Settings, kb: KnowledgeBase, limit: int) -> int:
    """The most frequent unanswered, clarified and unhelpful questions, and the 都不是 presses
    with the options they rejected: what to add to the KB, its aliases and synonyms."""
    from bot.services import build_services
    from storage.repo.events import top_misses, top_rejections

    svc = build_services(settings, kb=kb)
    with svc.db() as s:
        rows = top_misses(session=s, limit=limit)
        rejected = top_rejections(session=s, limit=limit)
    if not rows and not rejected:
        print("暂无记录 / nothing logged yet")
        return 0
    if rows:
        print(f"{'次数':>4}  {'类型':<4} {'地区':<12} 问题")
        print(f"{'count':>4}  {'kind':<4} {'region':<12} question")
        for kind, region, question, count in rows:
            print(f"{count:>4}  {MISS_LABELS.get(kind, kind):<4} {region:<12} {question}")
    if rejected:
        print("\n“都不是”：给出的选项都不对 / none of the options offered fit")
        print(f"{'次数':>4}  {'地区':<12} 问题 → 给出的选项")
        print(f"{'count':>4}  {'region':<12} question -> options offered")
        for region, question, keys, count in rejected:
            titles = [kb.by_key[k].item.title if k in kb.by_key else k
                      for k in keys.split(",") if k]
            print(f"{count:>4}  {region:<12} {question} → {' | '.join(titles) or '（无）'}")
    return 0
