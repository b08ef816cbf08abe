"""Meetings: the body that held the meeting; directives: their deadline and the warnings about them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_meetings_body", ["body"], unique=False)
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("warnings", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_directives_deadline", ["deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.drop_index("ix_directives_deadline")
        batch_op.drop_column("warnings")
        batch_op.drop_column("deadline")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_body")
        batch_op.drop_column("body")
