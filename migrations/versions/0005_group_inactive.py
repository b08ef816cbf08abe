"""Groups: an administrator can switch a group off (status "inactive").

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("pending", "active", "left")
NEW = (*OLD, "inactive")


def _status(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="group_status", native_enum=False, create_constraint=True, length=24)


def _recreate(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    # The CHECK constraint of a non-native enum is replaced by altering the column's type; on SQLite
    # the batch mode copies the table.
    with op.batch_alter_table("line_groups", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=_status(before), type_=_status(after), existing_nullable=False
        )


def upgrade() -> None:
    _recreate(OLD, NEW)


def downgrade() -> None:
    op.execute("UPDATE line_groups SET status = 'pending' WHERE status = 'inactive'")
    _recreate(NEW, OLD)
