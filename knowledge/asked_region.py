"""The region a question is about: the asker's, or another one it names (斗门低保标准几多).

Bangfu never puts another region's figure in front of a user as if it were theirs, so a named
region is answered for itself (and the reply says so), or honestly declined when it has no
document; naming a place whose documents are the asker's own (盘锦 for a 兴隆台区 resident, a
town of the asker's district) changes nothing.
"""

from __future__ import annotations

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


def asked_region(kb: KnowledgeBase, region_id: str, text: str) -> AskedRegion:
    """The region the (normalised) question is about."""
    node = kb.regions.find_in(text)
    if node is None or node.id == region_id:
        return AskedRegion(region_id, False)
    mine = document_region(kb, region_id)
    theirs = document_region(kb, node.id)
    if theirs == mine:
        return AskedRegion(region_id, False)  # the same documents apply
    if node.id in kb.regions.lineage(region_id) and theirs is None:
        return AskedRegion(region_id, False)  # 我们铁岭: an ancestor without its own document
    return AskedRegion(node.id, True)
