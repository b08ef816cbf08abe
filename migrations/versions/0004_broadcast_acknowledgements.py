"""Broadcasts: who acknowledged a delivery, and whether a broadcast overrode the quota guard.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:40:53.856120
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forced", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("acknowledged_by")

    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_column("forced")
