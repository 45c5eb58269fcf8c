"""The region tree: lookup by name or alias, ancestors, and which regions have documents."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from knowledge.schema import Region, RegionsFile

MAX_NAME_CHARS = 40  # 广东省珠海市斗门区 and the like are ~10 characters


@dataclass(frozen=True)
class RegionNode:
    """A region with a link to its parent (the schema's Region has only children)."""

    id: str
    name: str
    level: str
    aliases: tuple[str, ...]
    parent_id: str | None
    children_ids: tuple[str, ...] = field(default=())
    offered: bool = True  # shown as a button when a region is chosen


class RegionTree:
    """All regions, indexed by id and by every spelling people use."""

    def __init__(self, regions_file: RegionsFile) -> None:
        self._nodes: dict[str, RegionNode] = {}
        self._by_name: dict[str, str] = {}
        # spellings of two or more characters by their first two, in file order: find_in looks
        # at each position of a question instead of testing every spelling (200+ at province
        # scale) against it
        self._by_start: dict[str, list[tuple[int, str, str]]] = {}
        self.roots: tuple[str, ...] = tuple(r.id for r in regions_file.regions)
        for region in regions_file.regions:
            self._add(region, None)
        # each spelling's place in file order (of equal matches the first wins)
        self._order = {spelling: order for order, spelling in enumerate(self._by_name)}
        for spelling, region_id in self._by_name.items():
            if len(spelling) > 1:  # one character would match everywhere
                self._by_start.setdefault(spelling[:2], []).append(
                    (self._order[spelling], spelling, region_id))

    def _add(self, region: Region, parent_id: str | None) -> None:
        if region.id in self._nodes:
            raise ValueError(f"duplicate region id {region.id}")
        node = RegionNode(
            id=region.id,
            name=region.name,
            level=region.level,
            aliases=region.aliases,
            parent_id=parent_id,
            children_ids=tuple(c.id for c in region.children),
            offered=region.offered,
        )
        self._nodes[region.id] = node
        for spelling in (region.name, *region.aliases):
            self._by_name.setdefault(_norm(spelling), region.id)
        for child in region.children:
            self._add(child, region.id)

    def __contains__(self, region_id: object) -> bool:
        return region_id in self._nodes

    def __iter__(self) -> Iterator[RegionNode]:
        return iter(self._nodes.values())

    def get(self, region_id: str) -> RegionNode:
        """The node for an id; KeyError for an unknown id."""
        return self._nodes[region_id]

    def resolve(self, text: str) -> RegionNode | None:
        """The region a typed name or alias means (双台子, 斗门区, 正安), or None."""
        key = _norm(text[:MAX_NAME_CHARS * 2])
        if len(key) > MAX_NAME_CHARS:
            return None  # no name is this long; a name repeated 300 times must not recurse
        if key in self._by_name:
            return self._nodes[self._by_name[key]]
        for suffix in ("区", "县", "市", "省"):
            if key.endswith(suffix) and key[:-1] in self._by_name:
                return self._nodes[self._by_name[key[:-1]]]
        return self._resolve_qualified(key)

    def _resolve_qualified(self, key: str) -> RegionNode | None:
        """珠海市斗门区, 广东省珠海市斗门区, 辽宁铁岭清河: an ancestor's name, then a descendant
        (the spellings the key starts with, in file order: not every spelling, 1,000+ at
        province scale, tested against every short message)."""
        heads = sorted((self._order[key[:n]], key[:n]) for n in range(2, len(key))
                       if key[:n] in self._order)
        for _, spelling in heads:
            ancestor = self._by_name[spelling]
            found = self.resolve(key[len(spelling):])
            if found is not None and ancestor in self.lineage(found.id)[1:]:
                return found
        return None

    def find_in(self, text: str) -> RegionNode | None:
        """The most specific region whose name or alias occurs inside a longer text: of 珠海斗门,
        贵州正安 or 辽宁盘锦大洼 the district, not the city or province named before it; of
        regions not inside one another, the one with the longest name."""
        key = _norm(text)
        hits = sorted({hit for i in range(len(key) - 1)
                       for hit in self._by_start.get(key[i:i + 2], ())
                       if key.startswith(hit[1], i)
                       and not _a_side(key, i, hit[1])})  # in file order, as _by_name
        found: dict[str, int] = {}  # region id -> its longest spelling in the text
        for _, spelling, region_id in hits:
            found[region_id] = max(found.get(region_id, 0), len(spelling))
        inner = [r for r in found  # in tree order, so that of equal lengths the first wins
                 if not any(r in self.lineage(other)[1:] for other in found if other != r)]
        best = max(inner, key=lambda r: found[r], default=None)
        return None if best is None else self._nodes[best]

    def lineage(self, region_id: str) -> tuple[str, ...]:
        """The region and its ancestors, nearest first (清河区, 铁岭市, 辽宁省)."""
        out: list[str] = []
        current: str | None = region_id
        while current is not None:
            out.append(current)
            current = self._nodes[current].parent_id
        return tuple(out)

    def children(self, region_id: str) -> tuple[RegionNode, ...]:
        """Direct children of a region, in file order."""
        return tuple(self._nodes[c] for c in self._nodes[region_id].children_ids)

    def path(self, region_id: str) -> str:
        """The region as a path from the root, ending in "/" (liaoning/tieling/qinghe/): a
        region's path is a prefix of exactly its descendants' paths, so scope is a range."""
        return "/".join(reversed(self.lineage(region_id))) + "/"

    def descendants(self, region_id: str) -> tuple[RegionNode, ...]:
        """Every region below this one (depth first, file order)."""
        out: list[RegionNode] = []
        for child in self.children(region_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return tuple(out)

    def within(self, region_id: str, ancestor_id: str) -> bool:
        """True when region_id is ancestor_id or below it."""
        return ancestor_id in self.lineage(region_id)


# 河南边那个村, 江西边嗰条村, 湖北岸: a short name followed by a side word is a riverbank or
# a hillside where someone lives, not the province
_SIDES = "边岸沿"


def _a_side(key: str, at: int, spelling: str) -> bool:
    end = at + len(spelling)
    return len(spelling) == 2 and end < len(key) and key[end] in _SIDES


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "")
