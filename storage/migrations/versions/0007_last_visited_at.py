"""households.last_visited_at: the latest live visit, denormalised for reports and the
digest (kept by storage.repo.casework), backfilled here, with a covering index; the two
visits indexes leading with household_id become one covering index, and
ix_followups_status_due covers the digest's overdue follow-ups per caseworker

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('households') as batch:
        batch.add_column(sa.Column('last_visited_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE households SET last_visited_at = (SELECT max(v.visited_at) FROM visits v "
               "WHERE v.household_id = households.id AND v.deleted_at IS NULL)")
    op.create_index('ix_households_report', 'households',
                    ['path', 'status', 'village_id', 'last_visited_at'], unique=False)
    op.create_index('ix_visits_household', 'visits',
                    ['household_id', 'visited_at', 'author_id', 'deleted_at'], unique=False)
    op.drop_index('ix_visits_report', table_name='visits')
    op.drop_index('ix_visits_household_at', table_name='visits')
    op.drop_index('ix_followups_status_due', table_name='followups')
    op.create_index('ix_followups_status_due', 'followups',
                    ['status', 'due_on', 'household_id', 'owner_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_followups_status_due', table_name='followups')
    op.create_index('ix_followups_status_due', 'followups', ['status', 'due_on'], unique=False)
    op.create_index('ix_visits_household_at', 'visits', ['household_id', 'visited_at'],
                    unique=False)
    op.create_index('ix_visits_report', 'visits', ['household_id', 'visited_at', 'author_id'],
                    unique=False, sqlite_where=sa.text('deleted_at IS NULL'),
                    postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index('ix_visits_household', table_name='visits')
    op.drop_index('ix_households_report', table_name='households')
    with op.batch_alter_table('households') as batch:
        batch.drop_column('last_visited_at')
