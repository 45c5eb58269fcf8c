"""Turn knowledge decisions into Telegram-HTML reply text (shared by bot and command line)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.ui.render import render
from knowledge.answer import MAX_QUESTION_CHARS, Answer, Outcome
from knowledge.eligibility import Finding, figure_kind
from knowledge.loader import Entry, KnowledgeBase
from knowledge.open_questions import questions
from knowledge.profile import Profile
from knowledge.schema import Kind
from knowledge.screening import Report, report

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
    if len(ans.items) == 1 and not ans.missing:
        s = ans.items[0]
        return render("answer", entry=s.entry, amounts=s.amounts, where=wheres[0],
                      region_name=region_name, asked_region=asked, no_amount=s.no_amount,
                      no_date=s.no_date,
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
    if ans.detail:
        where = jurisdiction_label(kb, ans.related, ans.region_id) if ans.related else ""
        return render("not_stated", region_name=region_name, detail=ans.detail,
                      entry=ans.related, where=where)
    return render("not_found", region_name=region_name, terminal=terminal,
                  examples=example_topics(kb, ans.region_id))


@dataclass(frozen=True)
class ScreeningHtml:
    """The /check result in three messages: the money first (it fits a phone screen), then
    what the 更多服务 and 还需确认什么 buttons show."""

    first: str
    services: str
    open: str
    services_count: int = 0  # items behind 更多服务
    open_count: int = 0  # items behind 还需确认什么

    def whole(self) -> str:
        """All of it, for `bangfu eligible` (a terminal has no buttons)."""
        return "\n\n".join(part for part in (self.first, self.services, self.open) if part)


def screening(kb: KnowledgeBase, profile: Profile, findings: list[Finding]) -> ScreeningHtml:
    """The /check result (also printed by `bangfu eligible`), from the screened findings."""
    return _parts(report(kb, profile, findings), buttons=True)


def _parts(r: Report, *, buttons: bool) -> ScreeningHtml:
    helpers = {"kind": figure_kind, "questions": questions}
    return ScreeningHtml(first=render("check_result", r=r, buttons=buttons, **helpers),
                         services=render("check_services", r=r, **helpers) if r.services else "",
                         open=render("check_open", r=r, **helpers) if r.open else "",
                         services_count=len(r.services), open_count=r.open_count)


def screening_html(kb: KnowledgeBase, profile: Profile, findings: list[Finding]) -> str:
    """The whole /check result as one text, first message without its button hints."""
    return _parts(report(kb, profile, findings), buttons=False).whole()
