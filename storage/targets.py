"""Progress against the targets the documents set (knowledge `figure` items such as
清河区2020 产业扶持85人, 盘锦市2019 就业帮扶345人), measured where recorded data allows.

What Bangfu records that can show progress: entitlements marked 已享受 (received rows),
by the aid topic of the item, per household. A target no recorded data measures says which
data is missing; a figure is never estimated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from knowledge.loader import Entry, KnowledgeBase
from knowledge.regions import RegionNode
from knowledge.schema import Amount
from storage.models import Household, Received
from storage.repo.households import under

# Target item -> the aid topic whose 已享受 records measure it (None: nothing recorded does).
MEASURED_BY: dict[str, str | None] = {
    "qinghe-2020-exit-target-by-township": None,
    "qinghe-2020-industry-support-target": "产业",
    "qinghe-2020-education-support-target": "教育",
    "qinghe-2020-medical-support-target": "医疗",
    "qinghe-2020-housing-renovation-target": None,
    "qinghe-2020-social-security-target": "兜底",
    "panjin-2019-industry-target": "产业",
    "panjin-2019-employment-target": "就业",
    "panjin-2019-education-target": "教育",
    "panjin-2019-health-target": "医疗",
    "panjin-2019-housing-target": "住房",
    "panjin-2019-safety-net-target": "兜底",
    "panjin-2019-social-assistance-target": "社会帮扶",
    "panjin-2019-spiritual-assistance-target": None,
}
MISSING: dict[str, str] = {  # what would have to be recorded, for targets nothing measures
    "qinghe-2020-exit-target-by-township": "脱贫退出（户是否已脱贫）",
    "qinghe-2020-housing-renovation-target": "危房改造完工（只记录了危房鉴定走访）",
    "panjin-2019-spiritual-assistance-target": "精神帮扶活动",
}
WHOLE = ("全区", "全市", "全县", "全镇")


@dataclass(frozen=True)
class Progress:
    """One target for one region, and what the records show (or which data is missing)."""

    entry: Entry
    region: str  # the region the target is for
    amount: Amount
    year: int
    done: int | None  # households recorded as receiving it in that year, or None
    missing: str | None  # which data is missing when `done` is None or does not match
    per_person: bool  # the target counts people; records count households


def _pick(amounts: tuple[Amount, ...], names: set[str]) -> Amount | None:
    found = [a for a in amounts if (a.label or "全区") in names]
    return next((a for a in found if a.unit == "户"), found[0] if found else None)


def _applicable(kb: KnowledgeBase, region_id: str) -> list[tuple[Entry, RegionNode, Amount]]:
    """Each target with the amount for the supervisor's region (or, for a region above the
    document's, the document's whole region)."""
    regions, out = kb.regions, []
    for item_id in MEASURED_BY:
        entry = kb.by_id.get(item_id)
        if entry is None:
            continue
        place = regions.get(entry.document.jurisdiction)
        if regions.within(place.id, region_id):  # the document's region is inside ours
            amount = _pick(entry.item.amounts, {*WHOLE, place.name})
            node = place
        elif regions.within(region_id, place.id):  # ours is inside it: our own share
            node = regions.get(region_id)
            amount = _pick(entry.item.amounts, {node.name, *node.aliases})
        else:
            continue
        if amount is not None:
            out.append((entry, node, amount))
    return out


def _entries_of(kb: KnowledgeBase, topic: str) -> list[str]:
    return [e.id for e in kb.entries if e.item.topic == topic and e.item.kind != "figure"]


def _received(session: Session, path: str, entry_ids: list[str] | None, year: int,
              tz: dt.tzinfo) -> int:
    start = dt.datetime(year, 1, 1, tzinfo=tz).astimezone(dt.UTC)  # the local year
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz).astimezone(dt.UTC)
    stmt = (select(func.count(func.distinct(col(Received.household_id))))
            .join(Household, col(Household.id) == col(Received.household_id))
            .where(under(path), col(Received.marked_at) >= start, col(Received.marked_at) < end))
    if entry_ids is not None:
        stmt = stmt.where(col(Received.entry_id).in_(entry_ids or ["-"]))
    return int(session.execute(stmt).scalar_one())


def progress(*, session: Session, kb: KnowledgeBase, region_id: str,
             tz: dt.tzinfo) -> list[Progress]:
    """Every document target for the region, with recorded progress where there is any."""
    out = []
    for entry, node, amount in _applicable(kb, region_id):
        year, topic = entry.document.year, MEASURED_BY[entry.id]
        path = kb.regions.path(node.id)
        per_person = amount.unit == "人"
        if topic is None:
            out.append(Progress(entry, node.name, amount, year, None,
                                MISSING.get(entry.id, "相关记录"), per_person))
        elif _received(session, path, None, year, tz) == 0:
            out.append(Progress(entry, node.name, amount, year, None,
                                f"{year}年的享受记录（系统里没有这一年的记录）", per_person))
        else:
            done = _received(session, path, _entries_of(kb, topic), year, tz)
            out.append(Progress(entry, node.name, amount, year, done,
                                "按人计的享受记录（系统按户记录）" if per_person else None,
                                per_person))
    return out
