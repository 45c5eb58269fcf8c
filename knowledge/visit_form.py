"""The visit form as data: its steps, their buttons, and the draft they fill (flow:
handlers/visit.mmd). No Telegram and no database: the handler stores the draft in a row.

kind -> notes -> needs -> media -> changes (-> change_member -> change_value)* -> followup
-> due -> confirm; 返回 undoes one answer; photos and a location are accepted at any step.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Literal

from knowledge import casework
from knowledge.dates import SHORTCUTS, parse_date, shortcut

Draft = dict[str, Any]
Result = Literal["ok", "stale", "empty", "unreadable", "past", "too_far", "too_long", "full"]
MAX_NOTES = 1000
MAX_ACTION = 100
MAX_PHOTOS = 10
DONE, SKIP, NONE = "done", "skip", "none"
_NOT_UNDONE = ("history",)


def new_draft(household_id: int, label: str, members: list[tuple[int, str]],
              categories: list[str]) -> Draft:
    """An empty form for one household (members: (id, label); its current categories)."""
    return {"household_id": household_id, "household": label,
            "members": [list(m) for m in members], "categories": list(categories),
            "step": "kind", "kind": None, "notes": "", "needs": [], "photos": [],
            "location": None, "changes": {"household": {}, "members": {}}, "pending": {},
            "followup": None, "history": []}


def options(d: Draft) -> list[tuple[str, str]]:
    """The buttons of the current step (value, label)."""
    step = d["step"]
    if step == "kind":
        return [(k, k) for k in casework.VISIT_KINDS]
    if step == "notes":
        return [(SKIP, "跳过")]
    if step == "needs":
        return [(t, t) for t in casework.NEED_TOPICS] + [(NONE, "没有新需求"), (DONE, "完成 ▶")]
    if step == "media":
        return [(DONE, "完成 ▶" if d["photos"] or d["location"] else "跳过")]
    if step == "changes":
        return [(c.key, c.label) for c in casework.CHANGES] + [(DONE, "没有了，下一步 ▶")]
    if step == "change_member":
        return [(str(mid), label) for mid, label in d["members"]]
    if step == "change_value":
        change = casework.BY_KEY[d["pending"]["change"]]
        extra = [(DONE, "完成 ▶")] if change.multi else []
        return list(change.options) + extra
    if step == "followup":
        return [(NONE, "不需要跟进")]
    if step == "due":
        return list(SHORTCUTS.items())
    if step == "confirm":
        return [("save", "✅ 保存")]
    return []


def selected(d: Draft) -> list[str]:
    """What is ticked on a multi-select step (needs, 家庭类别)."""
    if d["step"] == "needs":
        return list(d["needs"])
    if d["step"] == "change_value" and d["pending"].get("change") == "categories":
        return list(d["pending"].get("selected", []))
    return []


def _go(d: Draft, step: str) -> None:
    d["step"] = step


def _remember(d: Draft) -> None:
    d["history"].append(copy.deepcopy({k: v for k, v in d.items() if k not in _NOT_UNDONE}))


def back(d: Draft) -> bool:
    """Undo the last answer; False at the first step."""
    if not d["history"]:
        return False
    previous = d["history"].pop()
    kept = {k: d[k] for k in _NOT_UNDONE}
    d.clear()
    d.update(previous)
    d.update(kept)
    return True


def press(d: Draft, value: str, today: dt.date) -> Result:
    """A button of the current step."""
    step = d["step"]
    if value not in dict(options(d)):
        return "stale"
    if step == "needs" and value not in (DONE, NONE):  # ticking is not an answer to undo
        d["needs"] = [n for n in d["needs"] if n != value] if value in d["needs"] \
            else [*d["needs"], value]
        return "ok"
    if step == "change_value" and casework.BY_KEY[d["pending"]["change"]].multi \
            and value != DONE:
        chosen = d["pending"].setdefault("selected", [])
        d["pending"]["selected"] = [c for c in chosen if c != value] if value in chosen \
            else [*chosen, value]
        return "ok"
    _remember(d)
    if step == "kind":
        d["kind"] = value
        _go(d, "notes")
    elif step == "notes":
        _go(d, "needs")
    elif step == "needs":
        if value == NONE:
            d["needs"] = []
        _go(d, "media")
    elif step == "media":
        _go(d, "changes")
    elif step == "changes":
        _choose_change(d, value)
    elif step == "change_member":
        d["pending"]["member"] = int(value)
        _go(d, "change_value")
    elif step == "change_value":
        _record_change(d, value)
    elif step == "followup":
        d["followup"] = None
        _go(d, "confirm")
    elif step == "due":
        d["followup"]["due"] = shortcut(value, today).isoformat()
        _go(d, "confirm")
    return "ok"


def _choose_change(d: Draft, value: str) -> None:
    if value == DONE:
        _go(d, "followup")
        return
    change = casework.BY_KEY[value]
    d["pending"] = {"change": value}
    if change.multi:
        d["pending"]["selected"] = list(d["changes"]["household"].get(value, d["categories"]))
    _go(d, "change_member" if change.member else "change_value")


def _record_change(d: Draft, value: str) -> None:
    pending = d["pending"]
    change = casework.BY_KEY[pending["change"]]
    if change.member:
        d["changes"]["members"].setdefault(str(pending["member"]), {})[change.key] = value
    else:
        d["changes"]["household"][change.key] = pending["selected"] if change.multi else value
    d["pending"] = {}
    _go(d, "changes")


def type_text(d: Draft, text: str, today: dt.date) -> Result:
    """Typed text where the step takes it: notes, the follow-up action, a due date."""
    text = text.strip()
    step = d["step"]
    if step == "notes":
        if len(text) > MAX_NOTES:
            return "too_long"
        _remember(d)
        d["notes"] = text
        _go(d, "needs")
        return "ok"
    if step == "followup":
        if len(text) > MAX_ACTION:
            return "too_long"
        _remember(d)
        d["followup"] = {"action": text, "due": None}
        _go(d, "due")
        return "ok"
    if step == "due":
        reading = parse_date(text, today)
        if reading.problem is not None:
            return reading.problem  # type: ignore[return-value]
        _remember(d)
        assert reading.date is not None
        d["followup"]["due"] = reading.date.isoformat()
        _go(d, "confirm")
        return "ok"
    return "unreadable"


def add_photo(d: Draft, file_id: str) -> Result:
    """Attach a photo (any step)."""
    if len(d["photos"]) >= MAX_PHOTOS:
        return "full"
    d["photos"].append(file_id)
    return "ok"


def set_location(d: Draft, latitude: float, longitude: float) -> Result:
    """Attach the location (any step; a second one replaces the first)."""
    d["location"] = [latitude, longitude]
    return "ok"


def member_label(d: Draft, member_id: int | str) -> str:
    """The name shown for a member of the draft's household."""
    return next((label for mid, label in d["members"] if str(mid) == str(member_id)), "")


def due_date(d: Draft) -> dt.date | None:
    """The follow-up's due date, once chosen."""
    followup = d.get("followup")
    return dt.date.fromisoformat(followup["due"]) if followup and followup.get("due") else None
