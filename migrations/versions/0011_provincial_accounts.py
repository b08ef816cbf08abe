"""Provincial office accounts: the console role "province" and the provinces each such account runs.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("admin", "editor", "viewer")
NEW = (*OLD, "province")


def _role(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="admin_role", native_enum=False, create_constraint=True, length=24)


def _recreate(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    # The CHECK constraint of a non-native enum is replaced by altering the column's type; on SQLite
    # the batch mode copies the table.
    with op.batch_alter_table("admin_users", schema=None) as batch_op:
        batch_op.alter_column(
            "role", existing_type=_role(before), type_=_role(after), existing_nullable=False
        )


def upgrade() -> None:
    _recreate(OLD, NEW)
    op.create_table(
        "admin_user_provinces",
        sa.Column("admin_user_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admin_user_id"],
            ["admin_users.id"],
            name=op.f("fk_admin_user_provinces_admin_user_id_admin_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_admin_user_provinces_province_id_provinces")
        ),
        sa.PrimaryKeyConstraint("admin_user_id", "province_id", name=op.f("pk_admin_user_provinces")),
    )
    op.create_index(
        op.f("ix_admin_user_provinces_province_id"), "admin_user_provinces", ["province_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_admin_user_provinces_province_id"), table_name="admin_user_provinces")
    op.drop_table("admin_user_provinces")
    # A provincial account has no department role to fall back to: it is switched off as a viewer.
    op.execute("UPDATE admin_users SET active = false, role = 'viewer' WHERE role = 'province'")
    _recreate(NEW, OLD)
