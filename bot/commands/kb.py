"""`bangfu kb check`, `kb coverage` and `kb misses`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bot.commands import knowledge
from bot.settings import Settings
from bot.startup import startup_problem
from knowledge.citations import SECTION_PROBLEM, SOURCE_MISSING, check_citations
from knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kb check` and `kb misses`."""
    kb = sub.add_parser("kb", help="知识库 knowledge base").add_subparsers(dest="kb_command",
                                                                          required=True)
    kb.add_parser("check", help="校验知识库并统计 validate and count").set_defaults(
        func=lambda args, settings: kb_check(settings))
    kb.add_parser("coverage", help="原文中没有条目收录的数字 figures no item carries").set_defaults(
        func=lambda args, settings: kb_coverage(settings))
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
    unread = {p.item_id for p in problems if p.problem.startswith(SOURCE_MISSING)}
    # an item whose document has no source file is not checked, so it has not passed either
    items = {p.item_id for p in problems if p.item_id in kb.by_id} | \
        {e.id for e in kb.entries if e.document.id in unread}
    sections = [s for d in kb.documents for s in d.sections]
    failed = {p.item_id for p in problems if p.problem.startswith(SECTION_PROBLEM)} | \
        {f"{d.id} {s.id}" for d in kb.documents if d.id in unread for s in d.sections}
    print(f"引文核对 citations: {len(kb.entries) - len(items)}/{len(kb.entries)} 条通过；"
          f"章节标题 section headings: {len(sections) - len(failed)}/{len(sections)} 个通过")
    if unread:
        print(f"缺少原文、未核对 source missing, not checked: {'、'.join(sorted(unread))}")
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


def kb_coverage(settings: Settings) -> int:
    """Every figure of the source documents that no item carries and no exception excuses,
    by document and section; exit 1 when there is one."""
    from knowledge.coverage import excused, find_figures, load_exceptions, missing_figures

    kb = knowledge(settings)
    if not settings.seeds_dir.is_dir():
        print(f"未找到原文目录 / seeds not found: {settings.seeds_dir}", file=sys.stderr)
        return 2
    exceptions = load_exceptions()
    missing = missing_figures(kb, settings.seeds_dir)
    found = {d.id: len(find_figures(d.id, (settings.seeds_dir / d.source_file).read_text(
        encoding="utf-8"))) for d in kb.documents if (settings.seeds_dir / d.source_file).exists()}
    unexcused = [f for f in missing if excused(f, exceptions) is None]
    print(f"{'文件 document':<20} {'数字 figures':>12} {'未收录 missing':>14} "
          f"{'已说明 excused':>14}")
    for doc in kb.documents:
        gaps = [f for f in missing if f.document == doc.id]
        open_ = [f for f in unexcused if f.document == doc.id]
        print(f"{doc.id:<20} {found.get(doc.id, 0):>12} {len(open_):>14} "
              f"{len(gaps) - len(open_):>14}")
    for f in unexcused:
        print(f"未收录 missing: {f.document} {f.section}: {f.text}  "
              f"…{f.context}…")
    if unexcused:
        print(f"{len(unexcused)} 个数字没有条目收录，也没有写进 coverage_exceptions.yaml "
              f"/ figures neither carried nor excused", file=sys.stderr)
        return 1
    print(f"合计 total: {sum(found.values())} 个数字，{len(missing)} 个按 coverage_exceptions.yaml "
          f"有意不收录 / all figures carried or excused")
    return 0
