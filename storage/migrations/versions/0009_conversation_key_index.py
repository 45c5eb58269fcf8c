"""conversation_states: an index on key, for the read before each update (every conversation
stored for one chat and user in one index range, instead of a primary-key probe per
conversation name)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_conversation_states_key', 'conversation_states', ['key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_conversation_states_key', table_name='conversation_states')
