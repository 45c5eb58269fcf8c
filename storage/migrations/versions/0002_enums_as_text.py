"""enums as plain VARCHAR(20) everywhere

Databases created by create_all before migrations existed have PostgreSQL ENUM types for
user.role and queryevent.kind (VARCHAR(10) on SQLite), where 0001 makes VARCHAR(20). Convert
them, so that a new role needs no migration and autogenerate sees no difference. A no-op on
databases that 0001 created.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("user", "role", "role"), ("queryevent", "kind", "queryeventkind"))


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table, column, type_name in COLUMNS:
        found = next(c for c in inspector.get_columns(table) if c["name"] == column)
        if isinstance(found["type"], sa.Enum) and bind.dialect.name == "postgresql":
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE VARCHAR(20) '
                       f'USING "{column}"::text')
            op.execute(f'DROP TYPE IF EXISTS "{type_name}"')
        elif getattr(found["type"], "length", 20) != 20:  # SQLite: VARCHAR(10) from the enum
            with op.batch_alter_table(table) as batch:
                batch.alter_column(column, type_=sa.String(20), existing_type=found["type"],
                                   existing_nullable=False)


def downgrade() -> None:
    pass  # VARCHAR holds the same names; nothing to undo
