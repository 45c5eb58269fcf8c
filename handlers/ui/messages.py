"""Turn knowledge decisions into Telegram-HTML reply text (shared by bot and command line)."""

from __future__ import annotations

from handlers.ui.render import render
from knowledge.answer import MAX_QUESTION_CHARS, Answer, Outcome
from knowledge.eligibility import Finding, Status, totals
from knowledge.loader import Entry, KnowledgeBase
from knowledge.profile import Member, Profile
from knowledge.schema import Amount, Kind

EXAMPLES_PER_REPLY = 4


QUESTION_CUES = ("多少", "吗", "怎么", "几", "能不能", "给不给", "有没有", "咋")


def example_topics(kb: KnowledgeBase, region_id: str) -> list[str]:
    """A few questions residents of the region can ask, one per topic: aliases of entitlements
    with an amount that are phrased as a question (多少, 吗, 怎么 ...)."""
    seen: set[str] = set()
    out: list[str] = []
    for e in kb.entries_for(region_id):
        item = e.item
        if item.kind != Kind.ENTITLEMENT or not item.amounts or item.topic in seen:
            continue
        phrased = next((a for a in item.aliases if any(c in a for c in QUESTION_CUES)), None)
        if phrased is not None:
            seen.add(item.topic)
            out.append(phrased)
        if len(out) == EXAMPLES_PER_REPLY:
            break
    return out


def region_names(kb: KnowledgeBase) -> dict[str, str]:
    """Region id -> Chinese name, for templates."""
    return {r.id: r.name for r in kb.regions}


def jurisdiction_label(kb: KnowledgeBase, entry: Entry, region_id: str) -> str:
    """Whose document an item is: 双台子区, or 盘锦市（适用于双台子区） for a city's item shown
    to a resident of one of its districts."""
    own = kb.regions.get(entry.document.jurisdiction).name
    if entry.document.jurisdiction == region_id:
        return own
    return f"{own}（适用于{kb.regions.get(region_id).name}）"


FIGURES_HEADING = {Kind.FIGURE: "数字", Kind.DEADLINE: "目标", Kind.STANDARD: "标准",
                   Kind.ENTITLEMENT: "标准"}
MULTI_FIGURES_MAX = 4  # figures per item in a reply with several items (the rest: ask it alone)


def _answered_html(ans: Answer, kb: KnowledgeBase) -> str:
    region_name = kb.regions.get(ans.region_id).name
    asked = kb.regions.get(ans.asked_region).name if ans.asked_region else None
    wheres = [jurisdiction_label(kb, s.entry, ans.region_id) for s in ans.items]
    if len(ans.items) == 1:
        s = ans.items[0]
        return render("answer", entry=s.entry, amounts=s.amounts, where=wheres[0],
                      region_name=region_name, asked_region=asked, no_amount=s.no_amount,
                      figures_heading=FIGURES_HEADING[s.entry.item.kind])
    years = sorted({s.entry.document.year for s in ans.items})
    return render("answer_multi", items=ans.items, wheres=wheres, region_name=region_name,
                  asked_region=asked, listing=ans.listing, more=ans.more, missing=ans.missing,
                  years=years, figures_max=MULTI_FIGURES_MAX)


def answer_html(ans: Answer, kb: KnowledgeBase, *, buttons: bool,
                terminal: bool = False) -> str:
    """The reply for any Answer outcome (`terminal`: for the command line, which has no
    /region or /check to suggest)."""
    region_name = kb.regions.get(ans.region_id).name
    if ans.outcome == Outcome.ANSWERED and ans.items:
        return _answered_html(ans, kb)
    if ans.outcome == Outcome.CLARIFY:
        return render("clarify", options=ans.matches, region_names=region_names(kb),
                      buttons=buttons)
    if ans.outcome == Outcome.NO_REGION_DATA:
        covered = [kb.regions.get(r).name for r in sorted(kb.covered_regions)]
        asked = kb.regions.get(ans.asked_region).name if ans.asked_region else None
        return render("no_region_data", region_name=region_name, covered=covered,
                      asked_region=asked, terminal=terminal)
    if ans.outcome in (Outcome.GREETING, Outcome.THANKS):
        return render("small_talk", thanks=ans.outcome == Outcome.THANKS, terminal=terminal,
                      region_name=region_name, examples=example_topics(kb, ans.region_id))
    if ans.outcome == Outcome.EMPTY:
        return render("empty")
    if ans.outcome == Outcome.TOO_LONG:
        return render("too_long", limit=MAX_QUESTION_CHARS)
    return render("not_found", region_name=region_name, terminal=terminal,
                  examples=example_topics(kb, ans.region_id))


# Order of topics in the /check result: money for daily needs first, programmes last.
TOPIC_ORDER = ("兜底", "教育", "医疗", "残疾", "住房", "养老", "妇女儿童", "就业", "产业", "金融",
               "社会帮扶", "工作机制", "统计")


def _topic_rank(f: Finding) -> int:
    topic = f.entry.item.topic
    return TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else len(TOPIC_ORDER)


MONEY_UNITS = ("元", "%", "倍")  # payments, rates and multiples of a standard


def _money(amounts: tuple[Amount, ...]) -> bool:
    """True when one of the figures is money for the household: not a count (30个病种, 3次/年)
    and not an income threshold that decided eligibility (收入难以达到4400元)."""
    return any(any(u in a.unit for u in MONEY_UNITS) and "收入" not in a.text for a in amounts)


def _has_figure(f: Finding) -> bool:
    """True when the result can name an amount or standard for this household."""
    return _money(f.amounts) or any(_money(p.amounts) or _money(p.maybe_amounts)
                                    for p in f.people if p.verdict.value is True)


# (deciding fields, [(entitlement title, member indices it is open for; empty = household)])
OpenGroups = list[tuple[list[str], list[tuple[str, list[int]]]]]


def _by_deciding_question(findings: list[Finding]) -> OpenGroups:
    """What could still apply, grouped by what decides it: questions /check can ask (profile
    fields) first, then facts the documents require that no profile records. A per-person
    entitlement that applies to one member can still be open for another (寄宿 for 成员2)."""
    groups: dict[tuple[str, ...], dict[str, list[int]]] = {}

    def add(fields: frozenset[str], title: str, member: int | None = None) -> None:
        members = groups.setdefault(tuple(sorted(fields)), {}).setdefault(title, [])
        if member is not None and member not in members:
            members.append(member)

    for f in findings:
        title = f.entry.item.title
        if f.people and f.status in (Status.APPLIES, Status.UNKNOWN):
            for p in f.people:
                if p.verdict.value is None:
                    add(p.verdict.unknown, title, p.index)
        elif f.status == Status.UNKNOWN:
            add(f.verdict.unknown, title)
    fields = set(Profile.model_fields) | set(Member.model_fields)
    ordered = sorted(groups.items(), key=lambda kv: (not set(kv[0]) <= fields, -len(kv[1])))
    return [(list(k), list(v.items())) for k, v in ordered]


def screening_html(profile: Profile, region_name: str, findings: list[Finding]) -> str:
    """The /check result (also printed by `bangfu eligible`): what applies, totals, unknowns.

    Entitlements with a figure for this household come first, in full (amount per member,
    lead department, citation); the others (services, training, programmes) follow one line
    each under their document, so a long list stays readable on a phone.
    """
    yearly, once = totals(findings)
    applies = sorted((f for f in findings if f.status == Status.APPLIES), key=_topic_rank)
    others: dict[str, list[Finding]] = {}
    for f in applies:
        if not _has_figure(f):
            others.setdefault(f.entry.document.id, []).append(f)
    return render("check_result", profile=profile, region=region_name,
                  with_figures=[f for f in applies if _has_figure(f)],
                  others=list(others.values()), applies_count=len(applies),
                  maybe=_by_deciding_question(findings), yearly=yearly, once=once)
