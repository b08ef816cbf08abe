"""Reports back from the provinces on each directive (their history, each province's current status),
and reminders before a deadline: a broadcast kind and the steps already made.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "status IN ('done', 'in_progress', 'problem')"
KINDS = ("meeting_summary", "directive", "text")


def _kind(*kinds: str) -> sa.Enum:
    return sa.Enum(*kinds, name="broadcast_kind", native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table(
        "directive_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reported_by", sa.String(length=64), nullable=True),
        sa.Column("reported_by_name", sa.String(length=255), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("webhook_event_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_directive_reports_report_status")),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_reports_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_directive_reports_province_id_provinces")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["line_groups.id"],
            name=op.f("fk_directive_reports_group_id_line_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive_reports")),
        sa.UniqueConstraint("webhook_event_id", name=op.f("uq_directive_reports_webhook_event_id")),
    )
    op.create_index(
        "ix_directive_reports_directive_province", "directive_reports", ["directive_id", "province_id"]
    )
    op.create_index(op.f("ix_directive_reports_province_id"), "directive_reports", ["province_id"])
    op.create_table(
        "directive_progress",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(STATUSES, name=op.f("ck_directive_progress_report_status")),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_progress_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_directive_progress_province_id_provinces")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["directive_reports.id"],
            name=op.f("fk_directive_progress_report_id_directive_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("directive_id", "province_id", name=op.f("pk_directive_progress")),
    )
    op.create_index(op.f("ix_directive_progress_province_id"), "directive_progress", ["province_id"])
    op.create_index(op.f("ix_directive_progress_status"), "directive_progress", ["status"])
    # A reminder before a deadline is a broadcast of its own kind; each (directive, step) is made once.
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=_kind(*KINDS), type_=_kind(*KINDS, "reminder"))
    op.create_table(
        "directive_reminders",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_reminders_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name=op.f("fk_directive_reminders_broadcast_id_broadcasts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("directive_id", "days_before", name=op.f("pk_directive_reminders")),
    )


def downgrade() -> None:
    op.drop_table("directive_reminders")
    op.execute("DELETE FROM broadcasts WHERE kind = 'reminder'")
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=_kind(*KINDS, "reminder"), type_=_kind(*KINDS))
    op.drop_table("directive_progress")
    op.drop_table("directive_reports")
