"""asked_questions: the question each answer with buttons answered, one row per message,
moved out of user_states.data["asked"] (which rewrote the user's whole data on every question)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:10:00
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ASKED = "asked"  # the user_data key handlers/common.py used


def _data(value: Any) -> dict[str, Any]:
    """A JSON column's value: text on SQLite, already decoded on PostgreSQL."""
    found = json.loads(value) if isinstance(value, str) else value
    return found if isinstance(found, dict) else {}


def upgrade() -> None:
    table = op.create_table(
        'asked_questions',
        sa.Column('telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('message_id', sa.BigInteger(), nullable=False),
        sa.Column('question', sa.String(), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('telegram_id', 'message_id'),
    )
    conn = op.get_bind()
    states = sa.table('user_states', sa.column('telegram_id', sa.BigInteger()),
                      sa.column('data', sa.JSON()))
    now = dt.datetime.now(dt.UTC)  # when they were asked is not known: the move's time
    for telegram_id, value in conn.execute(
            sa.select(states.c.telegram_id, states.c.data)).all():
        data = _data(value)
        asked = data.pop(ASKED, None)
        if not isinstance(asked, dict):
            continue
        rows = [{'telegram_id': telegram_id, 'message_id': int(k), 'question': q,
                 'asked_at': now}
                for k, q in asked.items() if str(k).isdigit() and isinstance(q, str)]
        if rows:
            conn.execute(sa.insert(table), rows)
        if data:
            conn.execute(sa.update(states).where(states.c.telegram_id == telegram_id)
                         .values(data=data))
        else:
            conn.execute(sa.delete(states).where(states.c.telegram_id == telegram_id))


def downgrade() -> None:
    op.drop_table('asked_questions')
