"""report indexes: covering indexes for supervisors' reports and the daily digest

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_visits_report', 'visits', ['household_id', 'visited_at', 'author_id'],
                    unique=False, sqlite_where=sa.text('deleted_at IS NULL'),
                    postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index('ix_followups_report', 'followups',
                    ['household_id', 'owner_id', 'status', 'due_on', 'created_at', 'closed_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_followups_report', table_name='followups')
    op.drop_index('ix_visits_report', table_name='visits')
