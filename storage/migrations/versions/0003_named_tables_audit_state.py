"""explicit table names; audit log; conversation and user state

`user` is a reserved word in PostgreSQL and both tables had SQLModel's default names; they
become `users` and `query_events`. New: `audit_log` (every change to case data and every
refused action), `conversation_states` and `user_states` (what PicklePersistence kept in a
file, now shared by every bot process on the database).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.rename_table("user", "users")
    with op.batch_alter_table("queryevent") as batch:
        batch.drop_index("ix_queryevent_kind")
    op.rename_table("queryevent", "query_events")
    with op.batch_alter_table("query_events") as batch:
        batch.create_index("ix_query_events_kind", ["kind"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.String(length=80), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.create_index("ix_audit_log_at", ["at"], unique=False)
        batch.create_index("ix_audit_log_actor_id", ["actor_id"], unique=False)
        batch.create_index("ix_audit_log_action", ["action"], unique=False)
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "key"),
    )
    op.create_table(
        "user_states",
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id"),
    )


def downgrade() -> None:
    op.drop_table("user_states")
    op.drop_table("conversation_states")
    op.drop_table("audit_log")
    with op.batch_alter_table("query_events") as batch:
        batch.drop_index("ix_query_events_kind")
    op.rename_table("query_events", "queryevent")
    with op.batch_alter_table("queryevent") as batch:
        batch.create_index("ix_queryevent_kind", ["kind"], unique=False)
    op.rename_table("users", "user")
