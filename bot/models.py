"""The data model, SQLAlchemy 2.0 typed mappings. The schema is created only by Alembic migrations.

Datetimes are timezone-aware and stored in UTC (`UTCDateTime`); they are shown in Asia/Bangkok time
by the presentation layer. Enumerations are stored as short strings with a CHECK constraint, so
SQLite and PostgreSQL hold the same values.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored in UTC; SQLite (which keeps no zone) reads back aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware datetime (UTC or Asia/Bangkok)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- geography ---------------------------------------------------------------------------------


class RegionScheme(enum.StrEnum):
    GEOGRAPHIC = "geo6"  # the six geographic regions (ภาคเหนือ = 9 provinces)
    MOI = "moi4"  # the Ministry of Interior's four regions (ภาคเหนือ = 17 provinces)


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("scheme", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[RegionScheme] = mapped_column(_enum(RegionScheme, "region_scheme"))
    code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    sort_order: Mapped[int] = mapped_column(default=0)


class Province(Base):
    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(128), unique=True)
    name_en: Mapped[str] = mapped_column(String(128))
    abbr_th: Mapped[str | None] = mapped_column(String(16))
    abbr_en: Mapped[str | None] = mapped_column(String(8))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    moi_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)

    region: Mapped[Region] = relationship(foreign_keys=[region_id])
    moi_region: Mapped[Region] = relationship(foreign_keys=[moi_region_id])


# --- LINE audience -----------------------------------------------------------------------------


class GroupStatus(enum.StrEnum):
    PENDING = "pending"  # the bot joined; nobody has said which province the group serves
    ACTIVE = "active"  # registered to a province: receives broadcasts
    LEFT = "left"  # the bot left or was removed
    INACTIVE = "inactive"  # switched off by an administrator: no broadcasts, and the group can't re-register


class LineGroup(TimestampMixin, Base):
    __tablename__ = "line_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_group_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    status: Mapped[GroupStatus] = mapped_column(
        _enum(GroupStatus, "group_status"), default=GroupStatus.PENDING, index=True
    )
    member_count: Mapped[int | None]
    member_count_at: Mapped[dt.datetime | None]
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    left_at: Mapped[dt.datetime | None]

    province: Mapped[Province | None] = relationship()


class ChangeRequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class GroupChangeRequest(Base):
    """A member of a registered group asked to move its news to another province. The group keeps its
    province until an administrator approves: any member can type "ลงทะเบียน ...", few should decide."""

    __tablename__ = "group_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("line_groups.id", ondelete="CASCADE"), index=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    requested_by: Mapped[str | None] = mapped_column(String(64))  # the member's LINE user id
    requested_by_name: Mapped[str | None] = mapped_column(String(255))  # their display name in the group
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[ChangeRequestStatus] = mapped_column(
        _enum(ChangeRequestStatus, "change_request_status"), default=ChangeRequestStatus.PENDING, index=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(64))  # an admin username
    decided_at: Mapped[dt.datetime | None]

    group: Mapped[LineGroup] = relationship()
    province: Mapped[Province] = relationship()


class UserRole(enum.StrEnum):
    OFFICIAL = "official"  # an official of a local administrative organisation
    PROVINCIAL = "provincial"  # staff of a provincial local-administration office (สถจ.)
    DEPARTMENT = "department"  # staff of the department (สถ.)


class LineUser(TimestampMixin, Base):
    __tablename__ = "line_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole, "user_role"), default=UserRole.OFFICIAL)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="th")
    following: Mapped[bool] = mapped_column(default=True)
    followed_at: Mapped[dt.datetime | None]
    unfollowed_at: Mapped[dt.datetime | None]

    province: Mapped[Province | None] = relationship()


class InboxStatus(enum.StrEnum):
    PENDING = "pending"  # stored by the webhook, waiting for a worker
    PROCESSING = "processing"  # claimed by a worker (reclaimed if its lease runs out)
    DONE = "done"
    EXPIRED = (
        "expired"  # its reply token ran out before its turn came, and a late answer was not worth a push
    )
    FAILED = "failed"  # handling raised; the error is recorded, the others went on


class InboxEvent(Base):
    """A webhook event, stored before LINE gets its 200 so that an accepted event survives a restart.

    `webhook_event_id` is unique: LINE's redeliveries and duplicates are dropped on insert.
    `source_id` is the chat (group, room, else user): at most one event of a chat is `processing`.
    """

    __tablename__ = "inbox_events"
    __table_args__ = (
        Index("ix_inbox_events_status_timestamp", "status", "event_timestamp"),
        # A chat's unfinished events, for the claim's ordering: small, as only live rows are in it.
        Index(
            "ix_inbox_events_chat_unfinished",
            "source_id",
            "event_timestamp",
            postgresql_where=text("status IN ('pending', 'processing')"),
            sqlite_where=text("status IN ('pending', 'processing')"),
        ),
        # One event per chat (group, room or user) worked at a time, whichever process holds it.
        Index(
            "ux_inbox_events_chat_processing",
            "source_id",
            unique=True,
            postgresql_where=text("status = 'processing'"),
            sqlite_where=text("status = 'processing'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    source_type: Mapped[str | None] = mapped_column(String(16))
    source_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    event_timestamp: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    redelivery: Mapped[bool] = mapped_column(default=False)
    status: Mapped[InboxStatus] = mapped_column(
        _enum(InboxStatus, "inbox_status"), default=InboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)  # an exception class and LINE status, never text


# --- content -----------------------------------------------------------------------------------


class TenE(Base):
    """One of the department's 10Es; `number` 1–10 is its identity."""

    __tablename__ = "ten_es"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")


directive_ten_es = Table(
    "directive_ten_es",
    Base.metadata,
    Column("directive_id", ForeignKey("directives.id", ondelete="CASCADE"), primary_key=True),
    Column("ten_e_number", ForeignKey("ten_es.number"), primary_key=True, index=True),
)


class Meeting(TimestampMixin, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    number: Mapped[str | None] = mapped_column(String(16))  # "3/2565": round / Buddhist-Era year
    chair: Mapped[str | None] = mapped_column(Text)
    # The organisation that held the meeting ("สถ.", "มท.", "ก.น.บ.", a committee's name).
    body: Mapped[str | None] = mapped_column(String(255), index=True)
    # The sentence that introduces the directives ("…สถานการณ์อุทกภัย จึงขอให้ดำเนินการ ดังนี้"): with the
    # headline, the subject every directive of the meeting is about (search reads both).
    subject: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    # The article's fingerprint (meetings.parsing.article.fingerprint): one article never makes two meetings.
    # None for an article without a body, which matches nothing.
    content_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    raw_text: Mapped[str] = mapped_column(Text)
    ten_es_restated: Mapped[bool] = mapped_column(default=False)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    directives: Mapped[list[Directive]] = relationship(
        back_populates="meeting",
        order_by="Directive.seq",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DirectiveStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Directive(TimestampMixin, Base):
    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[DirectiveStatus] = mapped_column(
        _enum(DirectiveStatus, "directive_status"), default=DirectiveStatus.ACTIVE
    )
    # True once an administrator set the categories by hand: re-classification leaves them alone.
    categories_overridden: Mapped[bool] = mapped_column(default=False)
    # The deadline the directive's text states (a day, the end of a month or of a fiscal year), if any.
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # The parser's warnings about this directive (also in the meeting's warnings), for the editor.
    warnings: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")

    meeting: Mapped[Meeting] = relationship(back_populates="directives")
    categories: Mapped[list[TenE]] = relationship(secondary=directive_ten_es, order_by=TenE.number)


class ReportStatus(enum.StrEnum):
    """What a province says it has done about a directive ("รายงานผล" in its group)."""

    DONE = "done"  # ดำเนินการแล้ว
    IN_PROGRESS = "in_progress"  # อยู่ระหว่างดำเนินการ
    PROBLEM = "problem"  # มีปัญหา


class DirectiveReport(Base):
    """One report of a province on a directive, kept for its history (who, when, what). A LINE event
    makes at most one: `webhook_event_id` is unique, so a redelivered postback adds nothing."""

    __tablename__ = "directive_reports"
    __table_args__ = (Index("ix_directive_reports_directive_province", "directive_id", "province_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("line_groups.id", ondelete="SET NULL"))
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus, "report_status"))
    note: Mapped[str | None] = mapped_column(Text)  # the official's one line after the bot asked
    reported_by: Mapped[str | None] = mapped_column(String(64))  # the member's LINE user id
    reported_by_name: Mapped[str | None] = mapped_column(String(255))
    reported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    webhook_event_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    group: Mapped[LineGroup | None] = relationship()


class DirectiveProgress(Base):
    """A province's current status on a directive: its latest report (a later one replaces it)."""

    __tablename__ = "directive_progress"

    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), primary_key=True
    )
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), primary_key=True, index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("directive_reports.id", ondelete="CASCADE"))
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus, "report_status"), index=True)
    reported_at: Mapped[dt.datetime]

    report: Mapped[DirectiveReport] = relationship()
    province: Mapped[Province] = relationship()


class FeedItemStatus(enum.StrEnum):
    PENDING = "pending"  # seen in a feed, not ingested yet (or failed and due for another try)
    INGESTED = "ingested"  # became a meeting (or was one already)
    NOT_MEETING = "not_meeting"  # fetched and read: no directives, not meeting news
    GAVE_UP = "gave_up"  # failed feeds.max_attempts times; an administrator can import it by hand


class FeedItem(TimestampMixin, Base):
    """An article link seen by feed polling: each is fetched and ingested at most once."""

    __tablename__ = "feed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(128))
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    status: Mapped[FeedItemStatus] = mapped_column(
        _enum(FeedItemStatus, "feed_item_status"), default=FeedItemStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    last_attempt_at: Mapped[dt.datetime | None]


class ImportJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # meeting_id holds the meeting (new, or the one stored before)
    FAILED = "failed"  # error holds the Thai line for the editor


class ImportJob(TimestampMixin, Base):
    """A URL import from the console or the API, fetched off the request thread; its page polls it."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    actor: Mapped[str] = mapped_column(String(128))
    publish: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ImportJobStatus] = mapped_column(
        _enum(ImportJobStatus, "import_job_status"), default=ImportJobStatus.QUEUED
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    meeting_created: Mapped[bool | None]  # false: the article had been imported before
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


# --- broadcasts (used by the broadcast issue) ---------------------------------------------------


class BroadcastKind(enum.StrEnum):
    MEETING_SUMMARY = "meeting_summary"
    DIRECTIVE = "directive"
    TEXT = "text"
    REMINDER = "reminder"  # a directive's deadline is near: to the provinces that have not reported done


class BroadcastTarget(enum.StrEnum):
    ALL = "all"
    REGIONS = "regions"
    PROVINCES = "provinces"
    GROUPS = "groups"


class BroadcastStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    PARTIALLY_FAILED = "partially_failed"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Broadcast(TimestampMixin, Base):
    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_status_scheduled_at", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BroadcastKind] = mapped_column(_enum(BroadcastKind, "broadcast_kind"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    target_kind: Mapped[BroadcastTarget] = mapped_column(_enum(BroadcastTarget, "broadcast_target"))
    # Region, province or LineGroup ids, by target_kind; empty for ALL.
    target_ids: Mapped[list[Any]] = mapped_column(default=list)
    scheduled_at: Mapped[dt.datetime]
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[BroadcastStatus] = mapped_column(
        _enum(BroadcastStatus, "broadcast_status"), default=BroadcastStatus.SCHEDULED
    )
    estimated_cost: Mapped[int | None]  # messages billed: the sum of member counts of target groups
    forced: Mapped[bool] = mapped_column(default=False)  # sent although the quota guard said no
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("admin_users.id"))
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="broadcast", cascade="all, delete-orphan", passive_deletes=True
    )
    # The console account that made it (None: the API, the CLI, a publication): with its provinces
    # when it is a provincial office's, so the department sees which office sent what.
    created_by: Mapped[AdminUser | None] = relationship()


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


def new_retry_key() -> str:
    return str(uuid.uuid4())


class Delivery(TimestampMixin, Base):
    """One broadcast to one group. The retry key is stored before the first attempt, so every
    retry of this push — by any process, after any crash — is the same request to LINE."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "group_id"),
        Index("ix_deliveries_broadcast_status", "broadcast_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("line_groups.id"), index=True)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    line_request_id: Mapped[str | None] = mapped_column(String(64))
    retry_key: Mapped[str] = mapped_column(String(36), unique=True, default=new_retry_key)
    sent_at: Mapped[dt.datetime | None]
    # "รับทราบ" pressed in the group: the first press counts, by whom and when.
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))

    broadcast: Mapped[Broadcast] = relationship(back_populates="deliveries")
    group: Mapped[LineGroup] = relationship()


class DirectiveReminder(Base):
    """A reminder step (days before the deadline) of a directive, made once: its broadcast, if any
    province was left to remind."""

    __tablename__ = "directive_reminders"

    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), primary_key=True
    )
    days_before: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- administration ----------------------------------------------------------------------------


class AdminRole(enum.StrEnum):
    ADMIN = "admin"  # everything
    EDITOR = "editor"  # import, edit, schedule
    VIEWER = "viewer"  # read
    PROVINCE = "province"  # a provincial office (สถจ.): its provinces' groups and its own alerts only


admin_user_provinces = Table(
    "admin_user_provinces",
    Base.metadata,
    Column("admin_user_id", ForeignKey("admin_users.id", ondelete="CASCADE"), primary_key=True),
    Column("province_id", ForeignKey("provinces.id"), primary_key=True, index=True),
)


class AdminUser(TimestampMixin, Base):
    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[AdminRole] = mapped_column(_enum(AdminRole, "admin_role"), default=AdminRole.VIEWER)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None]
    # In every session cookie of the account; logout and a new password increment it (console/auth.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # A provincial office's account works on these provinces only (admin/console/scope.py).
    provinces: Mapped[list[Province]] = relationship(
        secondary=admin_user_provinces, order_by=Province.name_th
    )


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(128))  # an admin username, "cli" or "scheduler"
    action: Mapped[str] = mapped_column(String(64))  # e.g. "meeting.import", "broadcast.create"
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
