"""Import jobs: URL imports run off the request thread; a meeting without a body has no fingerprint.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("publish", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="import_job_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("meeting_created", sa.Boolean(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_import_jobs_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    # An article without a body has no fingerprint (NULL), so it never matches another one.
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("content_hash", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    # The old schema needs a value: one that no other article's fingerprint can take.
    op.execute("UPDATE meetings SET content_hash = 'empty-' || id WHERE content_hash IS NULL")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("content_hash", existing_type=sa.String(length=64), nullable=False)
    op.drop_table("import_jobs")
