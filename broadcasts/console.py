"""The broadcast pages of the admin console: list, new (with a LINE-chat preview and the cost), detail
with the per-province delivery table, cancel, retry the failed deliveries, and the CSV export.

They use the core console's pieces (`require_role`, `protect_forms`, the `console/base.html` layout,
`_paged`) and this feature's service, the same calls as the JSON API and the CLI; every change is one
transaction with its audit entry, under the console user's name. A refused broadcast stores nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from pythainlp.util import collate
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField, TimeField
from wtforms.validators import Optional

from admin.console import SummaryPreview, scope
from admin.console import texts as console_texts
from admin.console.auth import Admin, current_admin, protect_forms, require_scoped
from admin.console.forms import ActionForm, CheckboxesField, ConsoleForm
from admin.console.views import DeliveryCounts, _paged, bangkok_time, delivery_counts
from bot import cards, content, flex
from bot.current import current_services
from bot.inputs import db_int, parse_int
from bot.line import LineApiError
from bot.models import (
    AdminRole,
    AdminUser,
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    BroadcastTarget,
    Delivery,
    DeliveryStatus,
    Directive,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    Region,
    RegionScheme,
    utcnow,
)
from bot.services import Services
from broadcasts import service, texts
from broadcasts.content import ContentGone, acknowledge_action, messages_for, summary_messages

log = logging.getLogger(__name__)

blueprint = Blueprint(
    "broadcasts_console", __name__, url_prefix="/admin/broadcasts", template_folder="templates"
)
protect_forms(blueprint)

MEETING_CHOICES: Final = 100  # the latest published meetings offered in the form
DIRECTIVE_MEETINGS: Final = 24  # the directives of this many latest published meetings
FAILED_SHOWN: Final = 200  # failed groups listed on the detail page (the CSV has them all)
PAST_TOLERANCE: Final = dt.timedelta(minutes=1)  # a time typed a moment ago still counts as now
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula
CONTENT_KINDS: Final = {
    "meeting": BroadcastKind.MEETING_SUMMARY,
    "directive": BroadcastKind.DIRECTIVE,
    "text": BroadcastKind.TEXT,
}


# --- the form --------------------------------------------------------------------------------------


def _int_or_none(value: object) -> int | None:
    if value is None or value == "":
        return None
    return db_int(value)  # a ValueError becomes the field's error


class BroadcastForm(ConsoleForm):
    content = RadioField(
        "เนื้อหา",
        choices={"meeting": "สรุปการประชุม", "directive": "ข้อสั่งการหนึ่งข้อ", "text": "ข้อความแจ้งเตือน"},
        default="meeting",
    )
    # Checked against the published content by the service, not against the (shortened) lists.
    meeting_id = SelectField("การประชุม (เผยแพร่แล้ว)", coerce=_int_or_none, validate_choice=False)
    directive_id = SelectField("ข้อสั่งการ", coerce=_int_or_none, validate_choice=False)
    text = TextAreaField("ข้อความ (ไม่เกิน 5,000 ตัวอักษร)")
    target = RadioField(
        "ส่งถึง",
        choices={"all": "ทุกกลุ่ม", "regions": "เลือกภาค", "provinces": "เลือกจังหวัด"},
        default="all",
    )
    regions = CheckboxesField("ภาค", coerce=db_int)
    provinces = CheckboxesField("จังหวัด", coerce=db_int)
    when = RadioField("เวลาส่ง", choices={"now": "ส่งทันที", "at": "ตั้งเวลา"}, default="now")
    date = DateField("วันที่", validators=[Optional()])
    time = TimeField("เวลา (เวลาประเทศไทย)", validators=[Optional()])
    urgent = BooleanField("ข่าวด่วน (ส่งได้แม้ในช่วงงดส่งตอนกลางคืน)")
    force = BooleanField("ส่งแม้โควตาข้อความ LINE ไม่พอ หรืออยู่ในช่วงงดส่ง (บันทึกไว้ในบันทึกการใช้งาน)")

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        problems: list[tuple[Any, str]] = []
        if self.content.data == "meeting" and self.meeting_id.data is None:
            problems.append((self.meeting_id, texts.FORM_PICK_MEETING))
        elif self.content.data == "directive" and self.directive_id.data is None:
            problems.append((self.directive_id, texts.FORM_PICK_DIRECTIVE))
        elif self.content.data == "text":
            body = (self.text.data or "").strip()
            if not body:
                problems.append((self.text, texts.FORM_TEXT_EMPTY))
            elif flex.utf16_units(body) > flex.MAX_TEXT_UNITS:
                problems.append((self.text, texts.FORM_TEXT_TOO_LONG.format(limit=flex.MAX_TEXT_UNITS)))
        if self.target.data == "regions" and not self.regions.data:
            problems.append((self.regions, texts.FORM_PICK_REGIONS))
        elif self.target.data == "provinces" and not self.provinces.data:
            problems.append((self.provinces, texts.FORM_PICK_PROVINCES))
        if self.when.data == "at" and (self.date.data is None or self.time.data is None):
            problems.append((self.time, texts.FORM_PICK_TIME))
        for form_field, message in problems:
            form_field.errors = [*form_field.errors, message]
        return valid and not problems

    @property
    def kind(self) -> BroadcastKind:
        return CONTENT_KINDS.get(self.content.data or "", BroadcastKind.TEXT)

    def chosen_text(self) -> str | None:
        return (self.text.data or "").strip() if self.kind is BroadcastKind.TEXT else None

    def chosen_meeting(self) -> int | None:
        return int(self.meeting_id.data) if self.kind is BroadcastKind.MEETING_SUMMARY else None

    def chosen_directive(self) -> int | None:
        return int(self.directive_id.data) if self.kind is BroadcastKind.DIRECTIVE else None

    def chosen_target(self) -> service.Target:
        if self.target.data == "regions":
            return service.Target(BroadcastTarget.REGIONS, tuple(sorted(set(self.regions.data or ()))))
        if self.target.data == "provinces":
            return service.Target(BroadcastTarget.PROVINCES, tuple(sorted(set(self.provinces.data or ()))))
        return service.Target(BroadcastTarget.ALL)

    def chosen_time(self, tz: dt.tzinfo) -> dt.datetime | None:
        """The Bangkok date and time as an aware datetime; None for "now"."""
        if self.when.data != "at" or self.date.data is None or self.time.data is None:
            return None
        return dt.datetime.combine(self.date.data, self.time.data, tzinfo=tz)


# --- what the form offers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: int
    code: str
    name: str
    groups: int  # active groups


@dataclass(frozen=True)
class RegionProvinces:
    region: str
    provinces: list[Choice]


@dataclass(frozen=True)
class MeetingDirectives:
    label: str
    directives: list[tuple[int, str]]


@dataclass
class FormPage:
    directives: list[MeetingDirectives] = field(default_factory=list)
    regions: list[Choice] = field(default_factory=list)
    provinces: list[RegionProvinces] = field(default_factory=list)
    total_groups: int = 0


def thai_order(names: Iterable[str]) -> dict[str, int]:
    """Positions in Thai dictionary order (leading vowels ignored: เชียงใหม่ among the ช)."""
    return {name: position for position, name in enumerate(collate(set(names)))}


def _meeting_title(meeting: Meeting) -> str:
    return f"{cards.meeting_label(meeting, short=True)} — {flex.shorten(meeting.title, 90)}"


def _fill_choices(session: Session, form: BroadcastForm, admin: Admin) -> FormPage:
    """Put the content and target choices (with their active-group counts) on the form: the latest
    published meetings and their directives, plus the one already chosen if it is older. A provincial
    office is offered its own provinces only (the service refuses any other target all the same)."""
    published = (
        select(Meeting)
        .where(Meeting.published_at.is_not(None))
        .options(selectinload(Meeting.directives))
        .order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.published_at.desc(), Meeting.id.desc())
    )
    meetings = list(session.scalars(published.limit(MEETING_CHOICES)))
    chosen_meeting = content.meeting(session, form.meeting_id.data) if form.meeting_id.data else None
    if chosen_meeting is not None and chosen_meeting not in meetings:
        meetings.append(chosen_meeting)
    form.meeting_id.choices = [("", "— เลือกการประชุม —")] + [(m.id, _meeting_title(m)) for m in meetings]
    with_directives = meetings[:DIRECTIVE_MEETINGS]
    chosen_directive = content.directive(session, form.directive_id.data) if form.directive_id.data else None
    if chosen_directive is not None and chosen_directive.meeting not in with_directives:
        with_directives.append(chosen_directive.meeting)
    page = FormPage()
    for meeting in with_directives:
        items = [(d.id, f"ข้อ {d.seq} {flex.shorten(d.title, 100)}") for d in meeting.directives]
        if items:
            page.directives.append(MeetingDirectives(flex.shorten(_meeting_title(meeting), 120), items))
    form.directive_id.choices = [("", "— เลือกข้อสั่งการ —")] + [
        item for group in page.directives for item in group.directives
    ]

    per_province = dict(
        session.execute(
            select(LineGroup.province_id, func.count())
            .where(LineGroup.status == GroupStatus.ACTIVE, LineGroup.province_id.is_not(None))
            .group_by(LineGroup.province_id)
        ).all()
    )
    regions = session.scalars(
        select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC).order_by(Region.sort_order)
    ).all()
    provinces = [p for p in session.scalars(select(Province)) if admin.sees_province(p.id)]
    order = thai_order(p.name_th for p in provinces)
    page.total_groups = sum(per_province.values())
    for region in regions:
        members = sorted((p for p in provinces if p.region_id == region.id), key=lambda p: order[p.name_th])
        choices = [Choice(p.id, str(p.id), p.name_th, per_province.get(p.id, 0)) for p in members]
        if admin.provincial:
            if choices:
                page.provinces.append(RegionProvinces(region.name_th, choices))
            continue
        page.regions.append(Choice(region.id, region.code, region.name_th, sum(c.groups for c in choices)))
        page.provinces.append(RegionProvinces(region.name_th, choices))
    form.regions.choices = [(r.id, f"{r.name} ({r.groups:,} กลุ่ม)") for r in page.regions]
    form.provinces.choices = [(p.id, p.name) for group in page.provinces for p in group.provinces]
    if admin.provincial:
        page.total_groups = sum(p.groups for group in page.provinces for p in group.provinces)
        form.target.choices = {"provinces": "เลือกจังหวัด"}
        if form.target.data != "provinces":
            form.target.data = "provinces"
        if not form.provinces.data and len(form.provinces.choices) == 1:
            form.provinces.data = [form.provinces.choices[0][0]]
    return page


# --- the preview ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    messages: list[dict[str, Any]]
    estimate: service.Estimate
    at: dt.datetime | None  # None: now
    quota_error: str | None = None
    next_allowed: dt.datetime | None = None  # inside quiet hours, not urgent nor forced: refused


def _draft(form: BroadcastForm, at: dt.datetime | None) -> Broadcast:
    """A broadcast as the form describes it, never added to a session: for drawing its messages."""
    target = form.chosen_target()
    return Broadcast(
        kind=form.kind,
        meeting_id=form.chosen_meeting(),
        directive_id=form.chosen_directive(),
        text=form.chosen_text(),
        target_kind=target.kind,
        target_ids=list(target.ids),
        scheduled_at=at or utcnow(),
        urgent=bool(form.urgent.data),
        status=BroadcastStatus.SCHEDULED,
    )


def _preview(services: Services, session: Session, form: BroadcastForm, at: dt.datetime | None) -> Preview:
    """The exact messages (the "รับทราบ" postback names no broadcast yet) and the cost; stores nothing
    but the member counts LINE tells us (a cache every estimate refreshes)."""
    service.check_within(form.chosen_target(), scope.provinces_of(current_admin()))
    messages = list(messages_for(session, _draft(form, at)))
    estimate = service.estimate(services, session, form.chosen_target(), check_quota=False)
    quota_error = None
    if not services.settings.line.configured:
        quota_error = texts.CONSOLE_LINE_NOT_CONFIGURED
    else:
        try:
            estimate = service.Estimate(estimate.groups, estimate.cost, service.quota_left(services))
        except LineApiError as error:
            quota_error = texts.CONSOLE_QUOTA_UNKNOWN.format(status=error.status or "-")
    try:
        service.check_quiet_hours(services, at, urgent=bool(form.urgent.data), force=bool(form.force.data))
        next_allowed = None
    except service.QuietHours as error:
        next_allowed = error.next_allowed
    return Preview(messages, estimate, at, quota_error, next_allowed)


def summary_preview(session: Session, meeting: Meeting, urgent: bool) -> SummaryPreview:
    """For the console's publish review: the summary a meeting's publication schedules, exactly as each
    group receives it, the groups and members it reaches now, the cost and when it goes."""
    services = current_services()
    settings, tz = services.settings.broadcasts, services.settings.tz
    at = None if urgent else service.next_send_slot(utcnow(), settings, tz)
    messages = list(summary_messages(meeting, acknowledge_action(0)))
    chat = get_template_attribute("broadcasts_console/macros.html", "line_chat")(messages, "preview-chat")
    estimate = service.estimate(services, session, service.Target(BroadcastTarget.ALL), check_quota=False)
    problem, left = None, None
    if not services.settings.line.configured:
        problem = texts.CONSOLE_LINE_NOT_CONFIGURED
    else:
        try:
            left = service.quota_left(services)
        except LineApiError as error:
            problem = texts.CONSOLE_QUOTA_UNKNOWN.format(status=error.status or "-")
    if estimate.groups == 0:
        problem = texts.NO_TARGET
    return SummaryPreview(chat, estimate.groups, estimate.cost, estimate.cost, left, at, problem)


# --- list -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    broadcast: Broadcast
    content: str
    target: str
    sender: str
    total: int
    delivered: int
    failed: int
    acknowledged: int


class Names:
    """Region and province names by id, and the titles of the content broadcasts point at."""

    def __init__(self, session: Session, broadcasts: Iterable[Broadcast]) -> None:
        chosen = list(broadcasts)
        self.regions = dict(session.execute(select(Region.id, Region.name_th)).all())
        self.senders = _senders(session, {b.created_by_id for b in chosen if b.created_by_id is not None})
        self.provinces = dict(session.execute(select(Province.id, Province.name_th)).all())
        meeting_ids = {b.meeting_id for b in chosen if b.meeting_id is not None}
        directive_ids = {b.directive_id for b in chosen if b.directive_id is not None}
        self.meetings = (
            dict(session.execute(select(Meeting.id, Meeting.title).where(Meeting.id.in_(meeting_ids))).all())
            if meeting_ids
            else {}
        )
        self.directives = (
            dict(
                session.execute(
                    select(Directive.id, Directive.title).where(Directive.id.in_(directive_ids))
                ).all()
            )
            if directive_ids
            else {}
        )

    def target(self, broadcast: Broadcast) -> str:
        ids = [int(i) for i in broadcast.target_ids]
        if broadcast.target_kind is BroadcastTarget.REGIONS:
            return texts.TARGET_REGIONS.format(names=", ".join(self.regions.get(i, f"#{i}") for i in ids))
        if broadcast.target_kind is BroadcastTarget.PROVINCES:
            names = [self.provinces.get(i, f"#{i}") for i in ids]
            shown = ", ".join(names[:5]) + (f" และอีก {len(names) - 5} จังหวัด" if len(names) > 5 else "")
            return texts.TARGET_PROVINCES.format(names=shown)
        if broadcast.target_kind is BroadcastTarget.GROUPS:
            return texts.TARGET_GROUPS.format(n=len(ids))
        return texts.TARGET_ALL

    def sender(self, broadcast: Broadcast) -> str:
        """Who sent it: the account and its office ("chiangmai-office (เชียงใหม่)", "somchai (สถ.)"), or
        the system (the API, the CLI, a meeting's publication by the scheduler)."""
        if broadcast.created_by_id is None:
            return texts.SENDER_SYSTEM
        return self.senders.get(broadcast.created_by_id, f"#{broadcast.created_by_id}")

    def content(self, broadcast: Broadcast) -> str:
        if broadcast.kind is BroadcastKind.MEETING_SUMMARY:
            return self.meetings.get(broadcast.meeting_id or 0, f"#{broadcast.meeting_id}")
        if broadcast.kind is BroadcastKind.DIRECTIVE:
            return self.directives.get(broadcast.directive_id or 0, f"#{broadcast.directive_id}")
        return broadcast.text or ""


def _senders(session: Session, account_ids: set[int]) -> dict[int, str]:
    if not account_ids:
        return {}
    users = session.scalars(
        select(AdminUser).where(AdminUser.id.in_(account_ids)).options(selectinload(AdminUser.provinces))
    ).all()
    offices = {user.id: ", ".join(p.name_th for p in user.provinces) for user in users}
    return {user.id: f"{user.username} ({offices[user.id] or texts.SENDER_DEPARTMENT})" for user in users}


@blueprint.get("/")
@require_scoped(AdminRole.VIEWER)
def broadcasts() -> ResponseReturnValue:
    admin = current_admin()
    status = request.args.get("status", "")
    query = select(Broadcast).where(scope.broadcasts_of(admin))
    if status in texts.STATUS_NAMES:
        query = query.where(Broadcast.status == BroadcastStatus(status))
    query = query.order_by(Broadcast.scheduled_at.desc(), Broadcast.id.desc())
    with current_services().db.session() as session:
        records, page = _paged(session, query)
        names = Names(session, records)
        counts = delivery_counts(session, [b.id for b in records], scope.groups_of(admin))
        rows = [
            Row(b, names.content(b), names.target(b), names.sender(b), *counts.get(b.id, DeliveryCounts()))
            for b in records
        ]
        return render_template(
            "broadcasts_console/list.html",
            rows=rows,
            page=page,
            status=status,
            statuses=texts.STATUS_NAMES,
            kinds=texts.KIND_NAMES,
        )


# --- new ----------------------------------------------------------------------------------------------


def _prefill() -> dict[str, Any]:
    """`?meeting_id=` or `?directive_id=` (from a meeting's page) choose the content."""
    for name, kind in (("meeting_id", "meeting"), ("directive_id", "directive")):
        value = parse_int(request.args.get(name), low=0)
        if value is not None:
            return {"content": kind, name: value}
    return {}


def _render_new(
    form: BroadcastForm,
    page: FormPage,
    status: int,
    preview: Preview | None = None,
    errors: Sequence[str] = (),
    next_allowed: dt.datetime | None = None,
) -> ResponseReturnValue:
    services = current_services()
    if preview is not None and preview.next_allowed is not None:
        next_allowed = preview.next_allowed
    local = next_allowed.astimezone(services.settings.tz) if next_allowed else None
    return render_template(
        "broadcasts_console/new.html",
        form=form,
        page=page,
        preview=preview,
        errors=errors,
        quiet_hours=services.settings.broadcasts.quiet_hours,
        next_allowed=local.strftime("%Y-%m-%dT%H:%M") if local else None,
        next_allowed_label=service.thai_time(next_allowed, services.settings.tz) if next_allowed else None,
    ), status


def _take_offered_time(form: BroadcastForm) -> None:
    """ "Send at <the end of quiet hours> instead": the offered time goes into the form's date and time."""
    offered = request.form.get("at_next", "")
    try:
        moment = dt.datetime.fromisoformat(offered)  # the deployment's local time, as offered
    except ValueError:
        return
    form.when.data, form.when.raw_data = "at", ["at"]
    form.date.data, form.date.raw_data = moment.date(), [moment.date().isoformat()]
    form.time.data, form.time.raw_data = moment.time(), [moment.strftime("%H:%M")]
    form.date.process_errors, form.time.process_errors = [], []  # the empty fields as posted


@blueprint.route("/new", methods=["GET", "POST"])
@require_scoped(AdminRole.EDITOR)
def new_broadcast() -> ResponseReturnValue:
    services = current_services()
    admin = current_admin()
    form = BroadcastForm(**(_prefill() if request.method == "GET" else {}))
    with services.db.session() as session:
        page = _fill_choices(session, form, admin)
        if request.method == "GET":
            return _render_new(form, page, 200)
        offered = "at_next" in request.form
        if offered:
            _take_offered_time(form)
        if not form.validate():
            return _render_new(form, page, 400, errors=[texts.FORM_INVALID])
        at = form.chosen_time(services.settings.tz)
        if at is not None and at < utcnow() - PAST_TOLERANCE:
            form.time.errors = [*form.time.errors, texts.FORM_TIME_PAST]
            return _render_new(form, page, 400, errors=[texts.FORM_INVALID])
        if "confirm" not in request.form or offered:  # the preview button, or Enter in a field
            try:
                preview = _preview(services, session, form, at)
            except ContentGone as error:
                return _render_new(form, page, 422, errors=[texts.CONSOLE_CONTENT_GONE.format(reason=error)])
            except service.BroadcastError as error:
                return _render_new(form, page, 422, errors=[str(error)])
            return _render_new(form, page, 200, preview=preview)
    try:
        with services.db.session() as session:
            broadcast, estimate = service.create(
                services,
                session,
                kind=form.kind,
                target=form.chosen_target(),
                actor=admin.username,
                meeting_id=form.chosen_meeting(),
                directive_id=form.chosen_directive(),
                text=form.chosen_text(),
                at=at,
                urgent=bool(form.urgent.data),
                force=bool(form.force.data),
                # Without a LINE channel (development) there is no quota to ask about.
                check_quota=services.settings.line.configured,
                provinces=scope.provinces_of(admin),
            )
            broadcast.created_by_id = admin.id
            broadcast_id = broadcast.id
    except service.QuotaExceeded as error:
        return _render_new(form, page, 409, errors=[str(error)])
    except service.QuietHours as error:
        return _render_new(form, page, 422, errors=[str(error)], next_allowed=error.next_allowed)
    except service.BroadcastError as error:
        return _render_new(form, page, 422, errors=[str(error)])
    except LineApiError as error:
        log.warning("console: broadcast not created, LINE unreachable (%s)", error.status)
        return _render_new(
            form, page, 502, errors=[texts.CONSOLE_LINE_ERROR.format(status=error.status or "-")]
        )
    when = texts.CONSOLE_CREATED_AT.format(when=bangkok_time(at)) if at else texts.CONSOLE_CREATED_NOW
    flash(texts.CONSOLE_CREATED.format(id=broadcast_id, groups=estimate.groups, when=when), "info")
    return redirect(url_for("broadcasts_console.broadcast", broadcast_id=broadcast_id))


# --- detail -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedGroup:
    province: str
    name: str
    line_group_id: str
    group_status: str
    attempts: int
    reason: str  # in Thai; LINE's own message is in the CSV


def _load(session: Session, broadcast_id: int, *, to_change: bool = False) -> Broadcast:
    """The broadcast, if the account sees it (and may cancel or retry it, `to_change`); else 404."""
    admin = current_admin()
    allowed = scope.owns_broadcast(admin) if to_change else scope.broadcasts_of(admin)
    broadcast = session.scalars(select(Broadcast).where(Broadcast.id == broadcast_id, allowed)).first()
    if broadcast is None:
        abort(404)
    return broadcast


def _failed_groups(session: Session, broadcast_id: int) -> list[FailedGroup]:
    rows = session.execute(
        select(Delivery, LineGroup, Province.name_th)
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .outerjoin(Province, LineGroup.province_id == Province.id)
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status == DeliveryStatus.FAILED,
            scope.groups_of(current_admin()),
        )
        .order_by(Delivery.id)
        .limit(FAILED_SHOWN)
    ).all()
    return [
        FailedGroup(
            province or "-",
            group.name or "",
            group.line_group_id,
            group.status.value,
            delivery.attempts,
            service.failure_reason(delivery.last_error),
        )
        for delivery, group, province in rows
    ]


def _refresh_seconds(broadcast: Broadcast) -> int | None:
    """Reload the page while it is being sent, or about to be."""
    if broadcast.status is BroadcastStatus.SENDING:
        return 5
    if broadcast.status is BroadcastStatus.SCHEDULED and broadcast.scheduled_at <= utcnow() + dt.timedelta(
        minutes=2
    ):
        return 5
    return None


@blueprint.get("/<int:broadcast_id>")
@require_scoped(AdminRole.VIEWER)
def broadcast(broadcast_id: int) -> ResponseReturnValue:
    admin = current_admin()
    with current_services().db.session() as session:
        record = _load(session, broadcast_id)
        report = service.report(session, record, scope.provinces_of(admin))
        order = thai_order(row["province"] for row in report["provinces"])
        report["provinces"].sort(key=lambda row: order[row["province"]])
        try:
            messages: list[dict[str, Any]] = list(messages_for(session, record))
            content_gone = None
        except ContentGone as error:
            messages, content_gone = [], str(error)
        names = Names(session, [record])
        editor = admin.can(AdminRole.EDITOR) or (
            admin.provincial
            and session.scalar(
                select(Broadcast.id).where(Broadcast.id == record.id, scope.owns_broadcast(admin))
            )
            is not None
        )
        finished = record.status in (BroadcastStatus.DONE, BroadcastStatus.PARTIALLY_FAILED)
        return render_template(
            "broadcasts_console/detail.html",
            broadcast=record,
            report=report,
            messages=messages,
            content_gone=content_gone,
            content=names.content(record),
            target=names.target(record),
            sender=names.sender(record),
            failed_groups=_failed_groups(session, broadcast_id) if report["failed"] else [],
            can_cancel=editor and record.status is BroadcastStatus.SCHEDULED,
            can_retry=editor and finished and report["failed"] > 0,
            action_form=ActionForm(),
            refresh=_refresh_seconds(record),
            statuses=texts.STATUS_NAMES,
            kinds=texts.KIND_NAMES,
            group_statuses=console_texts.GROUP_STATUS,
        )


def _action(broadcast_id: int) -> None:
    """The checks every button on the detail page passes: a valid form, an existing broadcast that
    the account may change."""
    with current_services().db.session() as session:
        _load(session, broadcast_id, to_change=True)
    if not ActionForm().validate_on_submit():
        abort(400)


@blueprint.route("/<int:broadcast_id>/cancel", methods=["GET", "POST"])
@require_scoped(AdminRole.EDITOR)
def cancel_broadcast(broadcast_id: int) -> ResponseReturnValue:
    """GET asks for confirmation, naming the broadcast and who would not get it; POST cancels."""
    if request.method == "GET":
        with current_services().db.session() as session:
            record = _load(session, broadcast_id, to_change=True)
            if record.status is not BroadcastStatus.SCHEDULED:
                status = texts.STATUS_NAMES.get(record.status.value, record.status.value)
                flash(texts.NOT_CANCELLABLE.format(status=status), "error")
                return redirect(url_for("broadcasts_console.broadcast", broadcast_id=broadcast_id))
            names = Names(session, [record])
            return render_template(
                "console/confirm.html",
                title=texts.CONSOLE_CANCEL_CONFIRM.format(id=broadcast_id, target=names.target(record)),
                lines=[
                    f"{texts.KIND_NAMES.get(record.kind.value, record.kind.value)}: {names.content(record)}",
                    texts.CONSOLE_CANCEL_WHEN.format(when=bangkok_time(record.scheduled_at)),
                ],
                form=ActionForm(),
                button=texts.CONSOLE_CANCEL_BUTTON,
                back=url_for("broadcasts_console.broadcast", broadcast_id=broadcast_id),
            )
    _action(broadcast_id)
    try:
        with current_services().db.session() as session:
            service.cancel(session, broadcast_id, current_admin().username)
    except service.BroadcastError as error:
        flash(str(error), "error")
    else:
        flash(texts.CONSOLE_CANCELLED.format(id=broadcast_id), "info")
    return redirect(url_for("broadcasts_console.broadcast", broadcast_id=broadcast_id))


@blueprint.post("/<int:broadcast_id>/retry")
@require_scoped(AdminRole.EDITOR)
def retry_broadcast(broadcast_id: int) -> ResponseReturnValue:
    _action(broadcast_id)
    try:
        with current_services().db.session() as session:
            retried = service.retry_failed(session, broadcast_id, current_admin().username)
    except service.BroadcastError as error:
        flash(str(error), "error")
    else:
        message = texts.CONSOLE_RETRYING.format(n=retried.deliveries)
        if retried.skipped:
            message += texts.CONSOLE_RETRY_SKIPPED.format(n=retried.skipped)
        flash(message, "info")
    return redirect(url_for("broadcasts_console.broadcast", broadcast_id=broadcast_id))


# --- CSV ------------------------------------------------------------------------------------------------


def spreadsheet_safe(value: str | None) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe.

    Group names come from LINE (anyone can name a group "=HYPERLINK(...)")."""
    text = value or ""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_time(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    """A moment in a CSV cell: local time, sortable; empty for none."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@blueprint.get("/<int:broadcast_id>/deliveries.csv")
@require_scoped(AdminRole.VIEWER)
def export_csv(broadcast_id: int) -> Response:
    services = current_services()
    tz = services.settings.tz
    lines: list[list[object]] = []
    with services.db.session() as session:
        _load(session, broadcast_id)
        rows = session.execute(
            select(Delivery, LineGroup, Province.name_th, Region.name_th)
            .join(LineGroup, Delivery.group_id == LineGroup.id)
            .outerjoin(Province, LineGroup.province_id == Province.id)
            .outerjoin(Region, Province.region_id == Region.id)
            .where(Delivery.broadcast_id == broadcast_id, scope.groups_of(current_admin()))
        ).all()
        order = thai_order([row[2] or "" for row in rows] + [row[1].name or "" for row in rows])
        ordered = sorted(
            rows, key=lambda row: (row[2] is None, order[row[2] or ""], order[row[1].name or ""], row[0].id)
        )
        for delivery, group, province, region in ordered:
            lines.append(
                [
                    spreadsheet_safe(province),
                    spreadsheet_safe(region),
                    spreadsheet_safe(group.name),
                    spreadsheet_safe(group.line_group_id),
                    texts.DELIVERY_NAMES.get(delivery.status.value, delivery.status.value),
                    delivery.attempts,
                    csv_time(delivery.sent_at, tz),
                    csv_time(delivery.acknowledged_at, tz),
                    spreadsheet_safe(delivery.last_error),
                ]
            )
    return csv_download(f"broadcast-{broadcast_id}.csv", texts.CSV_HEADER, lines)


def csv_download(filename: str, header: Sequence[object], lines: Iterable[Sequence[object]]) -> Response:
    """A CSV file to download, in UTF-8 with a BOM: Excel opens the Thai correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    return Response(
        out.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
