"""帮扶责任人 to a registered caseworker: an active caseworker of the same county with that
display name. Names nobody registered under (or two people share) are kept and reported, so
that `bangfu invite` and a re-import can assign them later."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from knowledge.regions import RegionTree

NOT_REGISTERED = "not_registered"
AMBIGUOUS = "ambiguous"  # two active caseworkers of the county share the name


@dataclass(frozen=True)
class Unassigned:
    """A 帮扶责任人 name no caseworker could be found for, and for how many households."""

    name: str
    county: str
    households: int
    reason: str


@dataclass
class Caseworkers:
    """Active caseworkers by (county id, display name), with their home regions."""

    regions: RegionTree
    staff: list[tuple[int, str, str | None]]
    _by_name: dict[tuple[str, str], list[tuple[int, str]]] = field(default_factory=dict)
    _missing: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        for telegram_id, name, home in self.staff:
            county = self.county_of(home)
            if county is not None and home is not None:
                self._by_name.setdefault((county, name), []).append((telegram_id, home))

    def county_of(self, region_id: str | None) -> str | None:
        """The county a region id is in (itself, if a county), or None."""
        if region_id is None or region_id not in self.regions:
            return None
        return next((r for r in self.regions.lineage(region_id)
                     if self.regions.get(r).level == "county"), None)

    def assign(self, county_id: str, town_id: str, name: str | None, *,
               kept: int | None = None) -> int | None:
        """The caseworker's Telegram id, or `kept` (the household's current one, when the
        name did not change) or None; unmatched names are counted for the report."""
        if not name:
            return None
        found = self._by_name.get((county_id, name), [])
        if len(found) > 1:  # the one working in the household's own town, if just one does
            found = [f for f in found if f[1] == town_id] or found
        if len(found) == 1:
            return found[0][0]
        if kept is None:
            self._missing[(county_id, name, AMBIGUOUS if found else NOT_REGISTERED)] += 1
        return kept

    def unassigned(self) -> list[Unassigned]:
        """Every unmatched name, most households first."""
        return [Unassigned(name, self.regions.get(county).name, n, reason)
                for (county, name, reason), n in self._missing.most_common()]
