"""The access rules, as a full matrix: every role x every action x own / same-region /
other-region object, against a table written out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.access import EDIT_WINDOW, Action, Actor, Target, decide
from storage.models import Role

NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
QINGHE = "liaoning/tieling/qinghe/"
VILLAGE = QINGHE + "qinghe-zhangxiang/v1/"
DOUMEN_VILLAGE = "guangdong/zhuhai/doumen/doumen-jingan/v2/"
ME, SOMEONE_ELSE = 100, 200

COLUMNS = {"vw": Action.VIEW_HOUSEHOLD, "ph": Action.SEE_PHONE, "ed": Action.EDIT_HOUSEHOLD,
           "ar": Action.ARCHIVE_HOUSEHOLD, "re": Action.REASSIGN_HOUSEHOLD,
           "er": Action.ERASE_HOUSEHOLD, "v+": Action.LOG_VISIT, "v~": Action.EDIT_VISIT,
           "v-": Action.DELETE_VISIT, "f+": Action.ADD_FOLLOWUP, "fx": Action.CLOSE_FOLLOWUP,
           "rc": Action.MARK_RECEIVED, "ic": Action.INVITE_CASEWORKER,
           "is": Action.INVITE_SUPERVISOR, "tm": Action.VIEW_TEAM, "lo": Action.EXPORT_OWN}
# Y = allowed. own: the object is assigned to / written by the user; same: in the user's home
# region (清河区), someone else's; other: in another county (斗门区). Visits are an hour old.
EXPECTED = """
role        object vw ph ed ar re er v+ v~ v- f+ fx rc ic is tm lo
resident    own    .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
resident    same   .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
resident    other  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
caseworker  own    Y  Y  Y  .  .  .  Y  Y  Y  Y  Y  Y  .  .  .  Y
caseworker  same   .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
caseworker  other  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
inactive    own    .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
inactive    same   .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
inactive    other  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
supervisor  own    Y  Y  Y  Y  Y  .  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
supervisor  same   Y  Y  Y  Y  Y  .  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
supervisor  other  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
admin       own    Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
admin       same   Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
admin       other  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y
"""


def _table() -> list[tuple[str, str, Action, bool]]:
    lines = [line.split() for line in EXPECTED.strip().splitlines()]
    header, rows = lines[0][2:], lines[1:]
    assert [COLUMNS[h] for h in header] == list(Action), "one column per action, in order"
    return [(role, obj, COLUMNS[h], mark == "Y")
            for role, obj, *marks in rows for h, mark in zip(header, marks, strict=True)]


def _actor(role: str) -> Actor:
    if role == "inactive":
        return Actor(ME, Role.CASEWORKER, active=False, home_path=QINGHE)
    return Actor(ME, Role(role), home_path=None if role == "resident" else QINGHE)


def _target(obj: str) -> Target:
    hour_ago = NOW - dt.timedelta(hours=1)
    return {"own": Target(VILLAGE, ME, hour_ago), "same": Target(VILLAGE, SOMEONE_ELSE, hour_ago),
            "other": Target(DOUMEN_VILLAGE, SOMEONE_ELSE, hour_ago)}[obj]


def test_the_table_covers_every_role_action_and_object() -> None:
    table = _table()
    assert len(table) == 5 * 3 * len(Action)
    assert {(r, o) for r, o, _, _ in table} == {(r, o) for r in ("resident", "caseworker",
                                                                 "inactive", "supervisor",
                                                                 "admin")
                                                for o in ("own", "same", "other")}


@pytest.mark.parametrize(("role", "obj", "action", "allowed"), _table(),
                         ids=[f"{r}-{o}-{a.value}" for r, o, a, _ in _table()])
def test_access_matrix(role: str, obj: str, action: Action, allowed: bool) -> None:
    decision = decide(_actor(role), action, _target(obj), now=NOW)
    assert decision.allowed is allowed, decision
    assert decision.allowed or decision.reason  # every refusal says why


@pytest.mark.parametrize("action", [Action.EDIT_VISIT, Action.DELETE_VISIT])
def test_a_caseworker_changes_their_visit_only_within_24_hours(action: Action) -> None:
    worker = _actor("caseworker")
    fresh = Target(VILLAGE, ME, NOW - EDIT_WINDOW + dt.timedelta(minutes=1))
    old = Target(VILLAGE, ME, NOW - EDIT_WINDOW - dt.timedelta(minutes=1))
    assert decide(worker, action, fresh, now=NOW).allowed
    assert decide(worker, action, old, now=NOW).reason == "too_old"
    assert decide(_actor("supervisor"), action, old, now=NOW).allowed  # after that: supervisors


def test_supervisors_invite_supervisors_only_below_their_own_level() -> None:
    county = _actor("supervisor")
    assert decide(county, Action.INVITE_SUPERVISOR, Target(QINGHE), now=NOW).reason == \
        "same_level"
    assert decide(county, Action.INVITE_SUPERVISOR, Target(QINGHE + "qinghe-zhangxiang/"),
                  now=NOW).allowed
    town = Actor(ME, Role.SUPERVISOR, home_path=QINGHE + "qinghe-zhangxiang/")
    assert not decide(town, Action.VIEW_HOUSEHOLD, Target(QINGHE + "qinghe-niejia/v3/"),
                      now=NOW).allowed  # a neighbouring town
