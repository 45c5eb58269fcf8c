"""Valid households into the database, a batch at a time, inside the importer's transaction:
created, updated in place (households by 户编号, members by ID hash within the household) or
left alone, members missing from the file marked not present; one audit row per change.
With `apply=False` (a dry run) the same comparison runs and nothing is written."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from knowledge.regions import RegionTree
from knowledge.vocabulary import CATEGORIES
from storage.models import Household, HouseholdStatus, Member
from storage.repo import roster as repo
from storage.repo.audit import Ref
from storage.roster.caseworkers import Caseworkers
from storage.roster.households import Household as FileHousehold
from storage.roster.rows import Person

BATCH = 500  # households per round trip: ~2,000 members, far below any parameter limit
Event = tuple[str, Ref, dict[str, Any] | None, dict[str, Any] | None]


@dataclass
class Counts:
    """How many rows were created, updated and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class MemberCounts(Counts):
    """Members also count those no longer in their household's rows."""

    gone: int = 0


@dataclass(frozen=True)
class Gone:
    """A member the file no longer lists in their household (masked ID only)."""

    household: str
    name: str
    id_masked: str


@dataclass
class Writer:
    """Compares each batch of households with the database and writes the differences."""

    session: Session
    regions: RegionTree
    caseworkers: Caseworkers
    now: dt.datetime
    apply: bool = True
    enabled: bool = True  # False once the import cannot succeed: stop touching the database
    households: Counts = field(default_factory=Counts)
    members: MemberCounts = field(default_factory=MemberCounts)
    gone: list[Gone] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    villages_created: int = 0
    _batch: list[FileHousehold] = field(default_factory=list)
    _villages: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    _planned_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(-1, -1))

    def add(self, household: FileHousehold) -> None:
        """Queue a household; a full batch is written at once."""
        if self.enabled:
            self._batch.append(household)
            if len(self._batch) >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Write the queued households."""
        batch, self._batch = self._batch, []
        if not self.enabled or not batch:
            return
        stored = repo.households_by_code(session=self.session, codes=[h.code for h in batch])
        members = repo.members_of(session=self.session,
                                  household_ids=[s["id"] for s in stored.values()])
        events: list[Event] = []
        new: list[tuple[FileHousehold, dict[str, Any]]] = []
        member_rows: list[tuple[str, dict[str, Any]]] = []
        updates: list[dict[str, Any]] = []
        member_updates: list[dict[str, Any]] = []
        for h in batch:
            old = stored.get(h.code)
            if old is not None and old["status"] == HouseholdStatus.ERASED:
                self.erased.append(h.code)  # erased on request: never filled in again
                self.households.unchanged += 1
                continue
            values = self._household_values(h, old)
            if old is None:
                new.append((h, values))
                continue
            self._update_household(h.code, old, values, updates, events)
            self._diff_members(h, old["id"], members[old["id"]], member_rows, member_updates,
                               events)
        self._create(new, member_rows, events)
        if self.apply:
            repo.update_rows(session=self.session, model=Household, rows=updates)
            repo.update_rows(session=self.session, model=Member, rows=member_updates)
            repo.insert_rows(session=self.session, model=Member,
                             rows=[r for _, r in member_rows])
            ids = repo.member_ids(session=self.session, household_ids=list(
                {r["household_id"] for _, r in member_rows}))
            events += [("member.create", Ref("member", str(ids[r["household_id"], r["id_hash"]])),
                        None, member_audit(code, r)) for code, r in member_rows]
            repo.add_audit(session=self.session, at=self.now, events=events)

    def _create(self, new: list[tuple[FileHousehold, dict[str, Any]]],
                member_rows: list[tuple[str, dict[str, Any]]], events: list[Event]) -> None:
        """Insert new households (their members join `member_rows`)."""
        self.households.created += len(new)
        rows = [{"code": h.code, "status": HouseholdStatus.ACTIVE, "single_mother": None,
                 "relocated": None, "created_at": self.now, "updated_at": self.now, **values}
                for h, values in new]
        if self.apply:
            repo.insert_rows(session=self.session, model=Household, rows=rows)
            stored = repo.household_ids(session=self.session, codes=[h.code for h, _ in new])
            ids = [stored[h.code] for h, _ in new]
        else:
            ids = [next(self._planned_ids) for _ in rows]
        for (h, values), household_id in zip(new, ids, strict=True):
            events.append(("household.create", Ref("household", h.code), None,
                           household_audit(values)))
            for p in h.members:
                member_rows.append((h.code, self._member_row(household_id, p)))
                self.members.created += 1

    def _update_household(self, code: str, old: dict[str, Any], values: dict[str, Any],
                          updates: list[dict[str, Any]], events: list[Event]) -> None:
        changed = [k for k, v in values.items() if old[k] != v]
        if not changed:
            self.households.unchanged += 1
            return
        self.households.updated += 1
        updates.append({"row_id": old["id"], **values, "updated_at": self.now})
        events.append(("household.update", Ref("household", code),
                       household_audit({k: old[k] for k in changed}),
                       household_audit({k: values[k] for k in changed})))

    def _diff_members(self, h: FileHousehold, household_id: int,
                      stored: list[dict[str, Any]], member_rows: list[tuple[str, dict[str, Any]]],
                      updates: list[dict[str, Any]], events: list[Event]) -> None:
        """Members by ID hash: new ones created, changed ones updated, missing ones gone."""
        by_hash = {m["id_hash"]: m for m in stored}
        for p in h.members:
            row = self._member_row(household_id, p)
            old = by_hash.pop(p.id_hash, None)
            if old is None:
                member_rows.append((h.code, row))
                self.members.created += 1
                continue
            changed = [k for k in repo.MEMBER_FIELDS if old[k] != row[k]]
            if not changed:
                self.members.unchanged += 1
                continue
            self.members.updated += 1
            updates.append({"row_id": old["id"], **{k: row[k] for k in repo.MEMBER_FIELDS},
                            "updated_at": self.now})
            events.append(("member.update", Ref("member", str(old["id"])),
                           member_audit(h.code, {k: old[k] for k in changed}),
                           member_audit(h.code, {k: row[k] for k in changed})))
        for old in by_hash.values():
            if not old["present"]:
                continue  # already gone in an earlier import
            self.members.gone += 1
            self.gone.append(Gone(h.code, old["name"], old["id_masked"]))
            updates.append({"row_id": old["id"], **{k: old[k] for k in repo.MEMBER_FIELDS},
                            "present": False, "updated_at": self.now})
            events.append(("member.gone", Ref("member", str(old["id"])),
                           member_audit(h.code, {"present": True}),
                           member_audit(h.code, {"present": False, "name": old["name"],
                                                 "id_masked": old["id_masked"]})))

    def _household_values(self, h: FileHousehold, old: dict[str, Any] | None) -> dict[str, Any]:
        village_id, path = self._village(h.facts.town_id, h.facts.village)
        kept = old["caseworker_id"] if old is not None and old["caseworker_name"] == \
            h.facts.caseworker else None
        caseworker_id = self.caseworkers.assign(h.facts.county_id, h.facts.town_id,
                                                h.facts.caseworker, kept=kept)
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return {"head_name": h.head_name, "village_id": village_id,
                "region_id": h.facts.town_id, "path": path, "area": h.facts.area,
                "categories": sorted(h.facts.categories or (), key=order.__getitem__),
                "income_per_capita_yearly": h.facts.income, "housing": h.facts.housing,
                "phone": h.facts.phone, "caseworker_id": caseworker_id,
                "caseworker_name": h.facts.caseworker}

    def _member_row(self, household_id: int, p: Person) -> dict[str, Any]:
        return {"household_id": household_id, "id_hash": p.id_hash, "id_masked": p.id_masked,
                "name": p.name, "relation": p.relation, "sex": p.sex,
                "birth_date": p.birth_date, "school_stage": p.school_stage,
                "boarding": p.boarding, "disability_level": p.disability_level,
                "health": p.health, "present": True, "updated_at": self.now}

    def _village(self, town_id: str, name: str) -> tuple[int, str]:
        """The village's (id, path), created below the town when new."""
        known = self._villages.get(town_id)
        if known is None:
            known = self._villages[town_id] = repo.villages(session=self.session,
                                                            town_id=town_id)
        if name not in known:
            self.villages_created += 1
            town_path = self.regions.path(town_id)
            if self.apply:
                known[name] = repo.add_village(session=self.session, town_id=town_id,
                                               name=name, town_path=town_path, now=self.now)
            else:
                planned = next(self._planned_ids)
                known[name] = (planned, f"{town_path}v{planned}/")
        return known[name]


def household_audit(values: dict[str, Any]) -> dict[str, Any]:
    """A household's columns as JSON for the audit log."""
    return {k: v for k, v in values.items() if k != "updated_at"}


def member_audit(code: str, values: dict[str, Any]) -> dict[str, Any]:
    """A member's columns as JSON for the audit log: the masked ID, never the hash or number."""
    out: dict[str, Any] = {"household": code}
    for k, v in values.items():
        if k in ("id_hash", "household_id", "updated_at"):
            continue
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out
