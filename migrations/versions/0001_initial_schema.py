"""Initial schema: geography, LINE audience, meetings and directives, the 10Es, broadcasts, admin.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:26:02.217488
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "editor",
                "viewer",
                name="admin_role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_users")),
        sa.UniqueConstraint("username", name=op.f("uq_admin_users_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_created_at"), ["created_at"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("number", sa.String(length=16), nullable=True),
        sa.Column("chair", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=2048), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("ten_es_restated", sa.Boolean(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_meetings_content_hash")),
        sa.UniqueConstraint("source_url", name=op.f("uq_meetings_source_url")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_meeting_date"), ["meeting_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_published_at"), ["published_at"], unique=False)

    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "scheme",
            sa.Enum(
                "geo6", "moi4", name="region_scheme", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_th", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("scheme", "code", name=op.f("uq_regions_scheme")),
    )
    op.create_table(
        "ten_es",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_th", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_ten_es")),
        sa.UniqueConstraint("code", name=op.f("uq_ten_es_code")),
    )
    op.create_table(
        "directives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "closed",
                name="directive_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("categories_overridden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_directives_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directives")),
        sa.UniqueConstraint("meeting_id", "seq", name=op.f("uq_directives_meeting_id")),
    )
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directives_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "provinces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_th", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("abbr_th", sa.String(length=16), nullable=True),
        sa.Column("abbr_en", sa.String(length=8), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("moi_region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moi_region_id"], ["regions.id"], name=op.f("fk_provinces_moi_region_id_regions")
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_provinces_region_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provinces")),
        sa.UniqueConstraint("name_th", name=op.f("uq_provinces_name_th")),
    )
    with op.batch_alter_table("provinces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provinces_moi_region_id"), ["moi_region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_provinces_region_id"), ["region_id"], unique=False)

    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting_summary",
                "directive",
                "text",
                name="broadcast_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("directive_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column(
            "target_kind",
            sa.Enum(
                "all",
                "regions",
                "provinces",
                "groups",
                name="broadcast_target",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("target_ids", sa.JSON(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "sending",
                "done",
                "partially_failed",
                "cancelled",
                "missed",
                name="broadcast_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("estimated_cost", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["admin_users.id"], name=op.f("fk_broadcasts_created_by_id_admin_users")
        ),
        sa.ForeignKeyConstraint(
            ["directive_id"], ["directives.id"], name=op.f("fk_broadcasts_directive_id_directives")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_broadcasts_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcasts_directive_id"), ["directive_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_broadcasts_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_broadcasts_status_scheduled_at", ["status", "scheduled_at"], unique=False)

    op.create_table(
        "directive_ten_es",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("ten_e_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_ten_es_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ten_e_number"], ["ten_es.number"], name=op.f("fk_directive_ten_es_ten_e_number_ten_es")
        ),
        sa.PrimaryKeyConstraint("directive_id", "ten_e_number", name=op.f("pk_directive_ten_es")),
    )
    with op.batch_alter_table("directive_ten_es", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directive_ten_es_ten_e_number"), ["ten_e_number"], unique=False)

    op.create_table(
        "line_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_group_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "active",
                "left",
                name="group_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("member_count", sa.Integer(), nullable=True),
        sa.Column("member_count_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_line_groups_province_id_provinces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_groups")),
        sa.UniqueConstraint("line_group_id", name=op.f("uq_line_groups_line_group_id")),
    )
    with op.batch_alter_table("line_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_line_groups_province_id"), ["province_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_line_groups_status"), ["status"], unique=False)

    op.create_table(
        "line_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "official",
                "provincial",
                "department",
                name="user_role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unfollowed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["province_id"], ["provinces.id"], name=op.f("fk_line_users_province_id_provinces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_users")),
        sa.UniqueConstraint("line_user_id", name=op.f("uq_line_users_line_user_id")),
    )
    with op.batch_alter_table("line_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_line_users_province_id"), ["province_id"], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "delivered",
                "failed",
                name="delivery_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("line_request_id", sa.String(length=64), nullable=True),
        sa.Column("retry_key", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name=op.f("fk_deliveries_broadcast_id_broadcasts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["line_groups.id"], name=op.f("fk_deliveries_group_id_line_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("broadcast_id", "group_id", name=op.f("uq_deliveries_broadcast_id")),
        sa.UniqueConstraint("retry_key", name=op.f("uq_deliveries_retry_key")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_broadcast_status", ["broadcast_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deliveries_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_group_id"))
        batch_op.drop_index("ix_deliveries_broadcast_status")

    op.drop_table("deliveries")
    with op.batch_alter_table("line_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_users_province_id"))

    op.drop_table("line_users")
    with op.batch_alter_table("line_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_groups_status"))
        batch_op.drop_index(batch_op.f("ix_line_groups_province_id"))

    op.drop_table("line_groups")
    with op.batch_alter_table("directive_ten_es", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directive_ten_es_ten_e_number"))

    op.drop_table("directive_ten_es")
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_index("ix_broadcasts_status_scheduled_at")
        batch_op.drop_index(batch_op.f("ix_broadcasts_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_broadcasts_directive_id"))

    op.drop_table("broadcasts")
    with op.batch_alter_table("provinces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provinces_region_id"))
        batch_op.drop_index(batch_op.f("ix_provinces_moi_region_id"))

    op.drop_table("provinces")
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directives_meeting_id"))

    op.drop_table("directives")
    op.drop_table("ten_es")
    op.drop_table("regions")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_published_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_meeting_date"))

    op.drop_table("meetings")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_created_at"))

    op.drop_table("audit_log")
    op.drop_table("admin_users")
