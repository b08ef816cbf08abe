"""Groups: a registered group's request to move to another province, waiting for an administrator.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=True),
        sa.Column("requested_by_name", sa.String(length=255), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="change_request_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["line_groups.id"],
            name=op.f("fk_group_change_requests_group_id_line_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_group_change_requests_province_id_provinces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_change_requests")),
    )
    with op.batch_alter_table("group_change_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_change_requests_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_change_requests_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("group_change_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_change_requests_status"))
        batch_op.drop_index(batch_op.f("ix_group_change_requests_group_id"))

    op.drop_table("group_change_requests")
