"""Who may do what to which case data: one function, `decide`, answers it for every handler.

Scope: a caseworker sees and changes only the households assigned to them; a supervisor
everything in their home region and below (and may reassign there); an admin everything;
residents and deactivated users no case data at all. Objects are described by their region
path (households.path, a region's RegionTree.path) and the caseworker they belong to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from storage.models import Role

EDIT_WINDOW = dt.timedelta(hours=24)  # a caseworker may change their own visit this long


class Action(StrEnum):
    """Everything the access rules decide (also the audit action of a refusal)."""

    VIEW_HOUSEHOLD = "household.view"
    SEE_PHONE = "household.phone"
    EDIT_HOUSEHOLD = "household.edit"
    ARCHIVE_HOUSEHOLD = "household.archive"
    REASSIGN_HOUSEHOLD = "household.reassign"
    ERASE_HOUSEHOLD = "household.erase"
    LOG_VISIT = "visit.add"
    EDIT_VISIT = "visit.edit"
    DELETE_VISIT = "visit.delete"
    ADD_FOLLOWUP = "followup.add"
    CLOSE_FOLLOWUP = "followup.close"
    MARK_RECEIVED = "received.mark"
    INVITE_CASEWORKER = "invite.caseworker"
    INVITE_SUPERVISOR = "invite.supervisor"
    VIEW_TEAM = "team.view"  # reports, digest, ledger of a region
    EXPORT_OWN = "ledger.own"  # the ledger of one's own households (target: owner = self)


# What a caseworker may do to what is theirs; the rest of the household actions need a
# supervisor of the region.
CASEWORKER_OWN = frozenset({Action.VIEW_HOUSEHOLD, Action.SEE_PHONE, Action.EDIT_HOUSEHOLD,
                            Action.LOG_VISIT, Action.ADD_FOLLOWUP, Action.CLOSE_FOLLOWUP,
                            Action.MARK_RECEIVED, Action.EDIT_VISIT, Action.DELETE_VISIT,
                            Action.EXPORT_OWN})
ADMIN_ONLY = frozenset({Action.ERASE_HOUSEHOLD})
TIMED = frozenset({Action.EDIT_VISIT, Action.DELETE_VISIT})


@dataclass(frozen=True)
class Actor:
    """The user asking, as the rules see them."""

    telegram_id: int
    role: Role
    active: bool = True
    home_path: str | None = None  # RegionTree.path of their home region


@dataclass(frozen=True)
class Target:
    """The object: where it is, whose it is, and (for visits) when it was written."""

    path: str  # region path of the object (a household's village, an invite's region)
    owner_id: int | None = None  # assigned caseworker / visit author / follow-up owner
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class Decision:
    """Allowed, or refused with a reason (a key of templates/refused.html.j2)."""

    allowed: bool
    reason: str = ""


ALLOW = Decision(True)


def _refuse(reason: str) -> Decision:
    return Decision(False, reason)


def decide(actor: Actor, action: Action, target: Target, *, now: dt.datetime) -> Decision:
    """May this user do this action on this object (at `now`)?"""
    if not actor.active:
        return _refuse("inactive")
    if actor.role == Role.ADMIN:
        return ALLOW
    if actor.role == Role.RESIDENT:
        return _refuse("not_staff")
    if action in ADMIN_ONLY:
        return _refuse("admin_only")
    inside = actor.home_path is not None and target.path.startswith(actor.home_path)
    if actor.role == Role.CASEWORKER:
        if action not in CASEWORKER_OWN:
            return _refuse("supervisor_only")
        if target.owner_id != actor.telegram_id:
            return _refuse("not_yours" if inside else "outside_region")
        if action in TIMED and (target.created_at is None
                                or now - target.created_at > EDIT_WINDOW):
            return _refuse("too_old")
        return ALLOW
    # a supervisor: everything inside their region
    if not inside:
        return _refuse("outside_region")
    if action == Action.INVITE_SUPERVISOR and target.path == actor.home_path:
        return _refuse("same_level")  # supervisors are invited by the level above
    return ALLOW
