"""A backlog of due reminders for the delivery benchmarks: staff users with personal
reminders (/remind) for one day, each text carrying a number that names it in the chat."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from storage.models import PersonalReminder, Role, User

MARK = re.compile(r"提醒R(\d{5})")
FIRST_USER = 500_000


def marker(text: str) -> str | None:
    """The reminder a received message is for, or None for other messages."""
    found = MARK.search(text)
    return found.group(1) if found else None


def seed(engine: Engine, *, users: int, reminders: int, due_on: dt.date) -> list[str]:
    """Caseworkers and their personal reminders (a user's reminders written one after the
    other, as one /remind after another would); the markers expected in the chats."""
    now = dt.datetime.now(dt.UTC)
    people = [{"telegram_id": FIRST_USER + u, "role": Role.CASEWORKER,
               "display_name": f"干部{u}", "home_region_id": "qinghe", "active": True,
               "created_at": now, "updated_at": now} for u in range(users)]
    per_user = -(-reminders // users)
    rows = [{"user_id": FIRST_USER + n // per_user, "text": f"提醒R{n:05d} 给村里送材料",
             "due_on": due_on, "created_at": now} for n in range(reminders)]
    with engine.begin() as conn:
        conn.execute(insert(User), people)
        conn.execute(insert(PersonalReminder), rows)
    return [f"{n:05d}" for n in range(reminders)]
