"""Inbox: one event per chat worked at a time, in order (a chat's unfinished events indexed).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNFINISHED = sa.text("status IN ('pending', 'processing')")
PROCESSING = sa.text("status = 'processing'")


def upgrade() -> None:
    # Two events of one chat held at once by an older version (a deploy under traffic): the later
    # ones go back to pending, so that the unique index can be built; they are claimed in turn.
    op.execute(
        "UPDATE inbox_events SET status = 'pending', claimed_at = NULL WHERE status = 'processing' "
        "AND source_id IS NOT NULL AND id NOT IN (SELECT min(id) FROM inbox_events "
        "WHERE status = 'processing' AND source_id IS NOT NULL GROUP BY source_id)"
    )
    with op.batch_alter_table("inbox_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inbox_events_chat_unfinished",
            ["source_id", "event_timestamp"],
            unique=False,
            postgresql_where=UNFINISHED,
            sqlite_where=UNFINISHED,
        )
        batch_op.create_index(
            "ux_inbox_events_chat_processing",
            ["source_id"],
            unique=True,
            postgresql_where=PROCESSING,
            sqlite_where=PROCESSING,
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox_events", schema=None) as batch_op:
        batch_op.drop_index("ux_inbox_events_chat_processing")
        batch_op.drop_index("ix_inbox_events_chat_unfinished")
