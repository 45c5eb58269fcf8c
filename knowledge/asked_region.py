"""The region a question is about: the asker's, or another one it names (斗门低保标准几多).

Bangfu never puts another region's figure in front of a user as if it were theirs, so a named
region is answered for itself (and the reply says so), or honestly declined when it has no
document; naming a place whose documents are the asker's own (盘锦 for a 兴隆台区 resident, a
town of the asker's district) changes nothing, and neither does a place without documents
that is only where someone is (娃儿们都在广东, 儿子在大连打工) unless the question asks about
there (那边低保多少).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class AskedRegion:
    """The region to answer for, and whether the question named it (not the user's own)."""

    region_id: str
    named: bool


def document_region(kb: KnowledgeBase, region_id: str) -> str | None:
    """The nearest region in the lineage with a document of its own (None: no documents)."""
    return next((r for r in kb.regions.lineage(region_id) if r in kb.covered_regions), None)


# Where someone works or studies, or came from, not what is asked about: 娃儿们都在广东,
# 儿子去广东打工了, 儿子在沈阳那边打工, 儿子从沈阳那边大学毕业, 从铁岭县搬过来了. Where someone
# lives (在铁岭县住, 在沈阳那里生活) or only 在X那边 is where the question may be about.
_WORK = r"打工|上班|工作|务工|做工|干活|读书|上学|念书"
_WHERE_SOMEONE_IS = (r"(?:(?:在|去|到|跑)(?:{place})(?:那边|那里|那儿)?"
                     r"(?:的?(?:大学|学校|工地|厂里))?(?:" + _WORK + r")"
                     r"|(?:在|去|到|跑)(?:{place})(?:了|呢|啦|(?=[\s，,。]))"
                     r"|从(?:{place})(?:那边|那里|那儿)?(?:的?(?:大学|学校|工地|厂里))?"
                     r"(?:" + _WORK + r"|毕业|回来|搬|嫁|过来|迁))")
# ... unless the question asks about there: 那边低保多少
_THERE = re.compile(r"那边|那里|那儿|那头|当地|他们那|她那|他那")


def _only_in_passing(text: str, spellings: tuple[str, ...]) -> bool:
    """Every mention of the place says where someone is (在广东打工), none asks about it
    (广东那边低保多少, 在广东的低保)."""
    place = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    where = re.compile(_WHERE_SOMEONE_IS.format(place=place))
    if _THERE.search(where.sub("", text)):
        return False  # 我有个亲戚在湄潭县……那边特困供养标准是多少: asked about there
    mentions = len(re.findall(place, text))
    passing = len(where.findall(text))
    return mentions > 0 and passing == mentions


def asked_region(kb: KnowledgeBase, region_id: str, text: str) -> AskedRegion:
    """The region the (normalised) question is about."""
    node = kb.regions.find_in(text)
    if node is None or node.id == region_id:
        return AskedRegion(region_id, False)
    mine = document_region(kb, region_id)
    theirs = document_region(kb, node.id)
    if theirs == mine:
        return AskedRegion(region_id, False)  # the same documents apply
    if theirs is None and mine is not None and _only_in_passing(text, (node.name, *node.aliases)):
        return AskedRegion(region_id, False)  # 娃儿们都在广东: where the children work
    if node.id in kb.regions.lineage(region_id) and theirs is None:
        return AskedRegion(region_id, False)  # 我们铁岭: an ancestor without its own document
    return AskedRegion(node.id, True)
