"""`bangfu ask`: answer one question (text or JSON), or JSON lines from stdin."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bot.commands import knowledge
from bot.settings import Settings
from handlers.ui.messages import answer_html
from handlers.ui.render import citation, to_plain
from knowledge.answer import Answer, answer
from knowledge.loader import KnowledgeBase
from knowledge.matcher import Matcher


def answer_json(ans: Answer, kb: KnowledgeBase) -> dict[str, Any]:
    """The documented JSON shape of an answer: `results` holds every item the reply states
    (the options of 您是想问 when it asks back)."""
    results = []
    shown = [(s.match, s.amounts, s.no_amount, s.no_date) for s in ans.items] \
        if ans.answered else [(m, (), False, False) for m in ans.matches]
    for m, views, no_amount, no_date in shown:
        item, doc = m.entry.item, m.entry.document
        results.append({
            "id": item.id, "title": item.title, "kind": item.kind.value,
            "jurisdiction": kb.regions.get(doc.jurisdiction).name,
            "amounts": [{"label": v.amount.label, "value": v.amount.value,
                         "value_max": v.amount.value_max, "unit": v.amount.unit,
                         "period": v.amount.period.value, "text": v.amount.text,
                         "for_you": v.for_you} for v in views],
            "no_amount": no_amount,
            "no_date": no_date,
            "score": round(m.score, 4),
            "source": {"document": doc.title, "doc_no": doc.doc_no, "year": doc.year,
                       "section": item.source.section, "quote": item.source.quote,
                       "citation": citation(m.entry)},
        })
    return {
        "answered": ans.answered,
        "outcome": ans.outcome.value,
        "region": kb.regions.get(ans.region_id).name,
        "asked_region": kb.regions.get(ans.asked_region).name if ans.asked_region else None,
        "results": results,
        "clarify": [m.entry.id for m in ans.matches] if ans.outcome == "clarify" else [],
        "not_stated": ans.detail or None,  # a practical detail no document gives (联系电话)
        "related": ans.related.id if ans.related else None,  # ... and the item it is about
        "text": to_plain(answer_html(ans, kb, buttons=False, terminal=True)),
    }


def ask_one(kb: KnowledgeBase, matcher: Matcher, region_id: str, question: str) -> Answer:
    """Answer one question for a resolved region id."""
    return answer(question, region_id=region_id, kb=kb, matcher=matcher)


MAX_LINE_CHARS = 1_000_000  # far above any real question; longer lines are not parsed
MAX_REGION_CHARS = 40  # the longest region name with its province and city is ~15 characters


def covered_names(kb: KnowledgeBase) -> str:
    """The regions with a document (their districts inherit a city's), for messages."""
    return "、".join(kb.regions.get(r).name for r in sorted(kb.covered_regions))


def _one_line(kb: KnowledgeBase, matcher: Matcher, line: str) -> dict[str, Any]:
    """The answer object for one JSON line, or an error object saying what is wrong."""
    if len(line) > MAX_LINE_CHARS:
        return {"answered": False, "error": f"line longer than {MAX_LINE_CHARS} characters"}
    try:
        req = json.loads(line)
    except (ValueError, RecursionError) as exc:  # JSON nested 50,000 deep: RecursionError
        return {"answered": False, "error": f"bad input line: {str(exc)[:200]}"}
    if not isinstance(req, dict) or "region" not in req or "question" not in req:
        return {"answered": False, "error": "bad input line: need an object with "
                                            "\"region\" and \"question\""}
    named = str(req["region"])[:MAX_REGION_CHARS]
    region = kb.regions.resolve(named)
    if region is None:
        return {"answered": False, "error": f"unknown region: {named}; "
                                            f"covered regions: {covered_names(kb)}"}
    return answer_json(ask_one(kb, matcher, region.id, str(req["question"])), kb)


def _dumps(out: dict[str, Any]) -> str:
    """JSON for stdout: readable Chinese, but lone surrogates (echoed from bad input) escaped,
    since no encoding can print them."""
    text = json.dumps(out, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(out)
    return text


def run_jsonl(kb: KnowledgeBase, matcher: Matcher, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON object in, one out, per line; a bad line gets an error object, not a crash,
    and the run goes on."""
    for line in stdin:
        if not line.strip():
            continue
        try:
            out = _one_line(kb, matcher, line)
        except Exception as exc:  # one line must never end the run; say which error it hit
            out = {"answered": False, "error": f"internal error: {type(exc).__name__}"}
        stdout.write(_dumps(out) + "\n")
        stdout.flush()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `ask`."""
    ask = sub.add_parser("ask", help="回答一个问题 answer a question")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--region", help="地区，如 清河区 / 斗门")
    ask.add_argument("--json", action="store_true", help="输出 JSON")
    ask.add_argument("--jsonl", action="store_true", help="从标准输入逐行读取 JSON")
    ask.set_defaults(func=ask_command)


def ask_command(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question, or JSON lines from stdin."""
    kb = knowledge(settings)
    matcher = Matcher(kb)
    if args.jsonl:
        return run_jsonl(kb, matcher, sys.stdin, sys.stdout)
    question = args.question
    if not args.region or question is None:
        print(f"请用 --region 指定地区，并给出问题。有政策文件的地区：{covered_names(kb)}",
              file=sys.stderr)
        return 2
    region = kb.regions.resolve(args.region[:MAX_REGION_CHARS])
    if region is None:
        print(f"未知地区：{args.region[:MAX_REGION_CHARS]}。有政策文件的地区："
              f"{covered_names(kb)}（其下的区县也可以，如 盘山县）", file=sys.stderr)
        return 2
    ans = ask_one(kb, matcher, region.id, question)
    if args.json:
        print(json.dumps(answer_json(ans, kb), ensure_ascii=False, indent=2))
    else:
        print(to_plain(answer_html(ans, kb, buttons=False, terminal=True)))
    return 0
