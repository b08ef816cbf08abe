"""The console's pages: dashboard, meetings (import, check, edit, publish), groups, audit log.

Each request that changes something is one transaction with its audit entry; a refused change
leaves nothing behind and says why in Thai.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import ColumnElement, Select, case, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from admin.console import audit_view, forms, scope, texts
from admin.console.auth import Admin, current_admin, local_target, protect_forms, require_role, require_scoped
from bot import audit, quota
from bot import groups as groups_store
from bot import texts as core_texts
from bot.current import current_services
from bot.inputs import DB_INT_MAX, parse_int
from bot.models import (
    AdminRole,
    AuditLog,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    GroupChangeRequest,
    GroupStatus,
    ImportJobStatus,
    LineGroup,
    Meeting,
    Province,
    Region,
    RegionScheme,
    TenE,
)
from bot.services import Services
from bot.thai import format_thai_date
from meetings import publishing
from meetings import store as meetings_store
from meetings.ingest.jobs import ImportRunner, load_job, queue_import
from meetings.ingest.service import IngestError, ingest_text, read_article
from meetings.store import DirectiveChange, MeetingChange, MeetingError, apply_change

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 50
IMPORT_REFRESH_SECONDS: Final = 2
MAX_PAGE: Final = DB_INT_MAX // PAGE_SIZE  # its offset still fits the database's integers

blueprint = Blueprint("console", __name__, url_prefix="/admin", template_folder="templates")
protect_forms(blueprint)


@dataclass(frozen=True)
class Page:
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def _page_number() -> int:
    number = parse_int(request.args.get("page", "1"), low=1, high=MAX_PAGE)
    if number is None:
        abort(400)
    return number


def _paged(session: Session, query: Select[Any]) -> tuple[list[Any], Page]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = Page(_page_number(), total)
    rows = list(session.scalars(query.limit(page.size).offset(page.offset)))
    return rows, page


# --- dashboard -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    limit: str
    used: str
    left: str


def _quota(services: Services) -> Quota | str:
    if not services.settings.line.configured:
        return texts.QUOTA_NOT_CONFIGURED
    current = quota.reading(services)
    if current is None:
        return texts.QUOTA_UNKNOWN
    if current.limit is None:
        return Quota(texts.QUOTA_UNLIMITED, f"{current.used:,}", texts.QUOTA_UNLIMITED)
    return Quota(f"{current.limit:,}", f"{current.used:,}", f"{current.left:,}")


class DeliveryCounts(NamedTuple):
    total: int = 0
    delivered: int = 0
    failed: int = 0
    acknowledged: int = 0


def delivery_counts(
    session: Session, broadcast_ids: Sequence[int], groups: ColumnElement[bool] | None = None
) -> dict[int, DeliveryCounts]:
    """Deliveries per broadcast: in total, delivered, failed and acknowledged (one query for a page),
    to the `groups` given (all by default: a provincial office counts its own groups only)."""
    if not broadcast_ids:
        return {}
    rows = session.execute(
        select(
            Delivery.broadcast_id,
            func.count(),
            func.count(case((Delivery.status == DeliveryStatus.DELIVERED, 1))),
            func.count(case((Delivery.status == DeliveryStatus.FAILED, 1))),
            func.count(Delivery.acknowledged_at),
        )
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .where(Delivery.broadcast_id.in_(broadcast_ids), groups if groups is not None else true())
        .group_by(Delivery.broadcast_id)
    ).all()
    return {row[0]: DeliveryCounts(*(int(value) for value in row[1:])) for row in rows}


def groups_per_region(
    session: Session, groups: ColumnElement[bool] | None = None
) -> list[tuple[str, int, int]]:
    """(region, active groups, groups awaiting approval) for the six geographic regions, counting
    the `groups` given (all by default)."""
    rows = session.execute(
        select(
            Region.name_th,
            func.count(case((LineGroup.status == GroupStatus.ACTIVE, 1))),
            func.count(case((LineGroup.status == GroupStatus.PENDING, 1))),
        )
        .select_from(Region)
        .outerjoin(Province, Province.region_id == Region.id)
        .outerjoin(
            LineGroup, (LineGroup.province_id == Province.id) & (groups if groups is not None else true())
        )
        .where(Region.scheme == RegionScheme.GEOGRAPHIC)
        .group_by(Region.id, Region.name_th, Region.sort_order)
        .order_by(Region.sort_order)
    ).all()
    return [(name, int(active), int(pending)) for name, active, pending in rows]


@blueprint.get("/")
@require_scoped(AdminRole.VIEWER)
def dashboard() -> ResponseReturnValue:
    services = current_services()
    admin = current_admin()
    with services.db.session() as session:
        latest = session.scalars(
            select(Meeting).order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.id.desc()).limit(1)
        ).first()
        drafts = session.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.published_at.is_(None))
        )
        upcoming = session.scalars(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.SCHEDULED, scope.broadcasts_of(admin))
            .order_by(Broadcast.scheduled_at)
            .limit(5)
        ).all()
        last = session.scalars(
            select(Broadcast)
            .where(
                Broadcast.status.in_(
                    [BroadcastStatus.SENDING, BroadcastStatus.DONE, BroadcastStatus.PARTIALLY_FAILED]
                ),
                scope.broadcasts_of(admin),
            )
            .order_by(Broadcast.started_at.desc().nulls_last(), Broadcast.id.desc())
            .limit(1)
        ).first()
        rates = (
            delivery_counts(session, [last.id], scope.groups_of(admin)).get(last.id, DeliveryCounts())
            if last
            else None
        )
        regions = groups_per_region(session, scope.groups_of(admin))
        pending_groups = session.scalar(
            select(func.count())
            .select_from(LineGroup)
            .where(LineGroup.status == GroupStatus.PENDING, scope.groups_of(admin))
        )
        return render_template(
            "console/dashboard.html",
            latest=latest,
            latest_count=len(latest.directives) if latest else 0,
            drafts=drafts,
            upcoming=upcoming,
            last=last,
            rates=rates,
            regions=regions,
            pending_groups=pending_groups,
            quota=_quota(services),
            broadcast_status=texts.BROADCAST_STATUS,
            broadcast_kind=texts.BROADCAST_KIND,
            panels=[
                (p.template, p.build()) for p in current_app.extensions.get("console_dashboard_panels", [])
            ],
        )


# --- meetings ------------------------------------------------------------------------------------


@blueprint.get("/meetings")
@require_role(AdminRole.VIEWER)
def meetings() -> ResponseReturnValue:
    status = request.args.get("status", "")
    query = select(Meeting).options(selectinload(Meeting.directives))
    if status == "draft":
        query = query.where(Meeting.published_at.is_(None))
    elif status == "published":
        query = query.where(Meeting.published_at.is_not(None))
    query = query.order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.id.desc())
    with current_services().db.session() as session:
        rows, page = _paged(session, query)
        return render_template("console/meetings.html", meetings=rows, page=page, status=status)


@blueprint.route("/meetings/import", methods=["GET", "POST"])
@require_role(AdminRole.EDITOR)
def import_meeting() -> ResponseReturnValue:
    form = forms.ImportForm()
    if not form.validate_on_submit():
        return render_template("console/import.html", form=form), 400 if form.is_submitted() else 200
    text, url = (form.text.data or "").strip(), (form.url.data or "").strip()
    if bool(text) == bool(url):
        form.text.errors = [texts.MEETING_IMPORT_EMPTY]
        return render_template("console/import.html", form=form), 400
    services = current_services()
    try:
        if url:  # fetched off the request thread; the job's page polls until it is done
            runner: ImportRunner = current_app.extensions["imports"]
            job = queue_import(services, runner, url, actor=current_admin().username, publish=False)
            return redirect(url_for("console.import_job", job_id=job.id))
        text = read_article(text, services.settings.ingest.max_article_bytes)
        with services.db.session() as session:
            result = ingest_text(session, text, actor=current_admin().username)
            meeting_id = result.meeting.id
    except IngestError as error:
        (form.url if url else form.text).errors = [str(error)]
        return render_template("console/import.html", form=form), 422
    flash(texts.MEETING_IMPORTED if result.created else texts.MEETING_EXISTS, "info")
    return redirect(url_for("console.meeting", meeting_id=meeting_id))


@blueprint.get("/imports/<int:job_id>")
@require_role(AdminRole.EDITOR)
def import_job(job_id: int) -> ResponseReturnValue:
    """A URL import under way: the page refreshes itself until the meeting is there, or says why not."""
    services = current_services()
    with services.db.session() as session:
        job = load_job(session, job_id, services.settings)
        if job is None:
            abort(404)
    if job.status is ImportJobStatus.DONE and job.meeting_id is not None:
        flash(texts.MEETING_IMPORTED if job.meeting_created else texts.MEETING_EXISTS, "info")
        return redirect(url_for("console.meeting", meeting_id=job.meeting_id))
    if job.status is ImportJobStatus.DONE:  # its meeting has been deleted since
        abort(404)
    if job.status is ImportJobStatus.FAILED:
        form = forms.ImportForm(formdata=None, data={"url": job.url})
        form.url.errors = [job.error or ""]
        return render_template("console/import.html", form=form)
    return render_template("console/import_job.html", job=job, refresh_seconds=IMPORT_REFRESH_SECONDS)


def _load_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = meetings_store.load(session, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _category_choices(session: Session) -> list[tuple[str, str]]:
    return [(e.code, f"E{e.number} {e.code}") for e in session.scalars(select(TenE).order_by(TenE.number))]


def _meeting_form(
    meeting: Meeting, choices: list[tuple[str, str]], *, from_record: bool = False
) -> forms.MeetingForm:
    if request.method == "POST" and not from_record:
        form = forms.MeetingForm()
    else:
        form = forms.MeetingForm(
            formdata=None,
            data={
                "title": meeting.title,
                "date": meeting.meeting_date,
                "number": meeting.number,
                "chair": meeting.chair,
                "directives": [
                    {
                        "seq": d.seq,
                        "title": d.title,
                        "text": d.text,
                        "categories": [e.code for e in d.categories],
                        "deadline": d.deadline,
                    }
                    for d in meeting.directives
                ],
            },
        )
    form.set_categories(choices)
    return form


def _change_of(form: forms.MeetingForm, meeting: Meeting) -> MeetingChange:
    directives = [
        DirectiveChange(
            seq=int(entry.form.seq.data or 0),
            title=(entry.form.title.data or "").strip(),
            text=(entry.form.text.data or "").strip(),
            categories=list(entry.form.categories.data or []),
            deadline=entry.form.deadline.data,
            clear_deadline=entry.form.deadline.data is None,
            remove=bool(entry.form.remove.data),
        )
        for entry in form.directives
    ]
    new = form.new.form
    if (new.title.data or "").strip() or (new.text.data or "").strip():
        next_seq = max([d.seq for d in meeting.directives] + [d.seq for d in directives] + [0]) + 1
        directives.append(
            DirectiveChange(
                seq=next_seq,
                title=(new.title.data or "").strip(),
                text=(new.text.data or "").strip(),
                categories=list(new.categories.data or []),
            )
        )
    clear = frozenset(
        name
        for name, field in (("date", form.date), ("number", form.number), ("chair", form.chair))
        if not field.data
    )
    return MeetingChange(
        title=(form.title.data or "").strip(),
        date=form.date.data,
        number=(form.number.data or "").strip() or None,
        chair=(form.chair.data or "").strip() or None,
        clear=clear,
        directives=directives,
    )


def _show_problems(form: forms.MeetingForm, problems: Sequence[publishing.Problem]) -> None:
    """Each reason the meeting cannot be published, next to its field."""
    by_seq = {int(entry.form.seq.data or 0): entry.form for entry in form.directives}
    for problem in problems:
        if problem.field == "title":
            target: Any = form.title
        elif problem.field == "date":
            target = form.date
        elif problem.field == "directives":
            target = form.no_directives
        else:
            entry = by_seq.get(int(problem.field.partition(":")[2] or 0))
            target = entry.title if entry is not None else form.title
        target.errors = [*target.errors, problem.message]


def _render_meeting(record: Meeting, form: forms.MeetingForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "console/meeting.html",
        meeting=record,
        form=form,
        can_edit=current_admin().can(AdminRole.EDITOR),
    ), status


@blueprint.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@require_role(AdminRole.VIEWER)
def meeting(meeting_id: int) -> ResponseReturnValue:
    """The parsed meeting beside its source text; editors change it here (POST). "Review and publish"
    saves the form first, then checks the meeting: its problems show next to their fields, or the
    editor goes on to the review of what publishing will send."""
    services = current_services()
    if request.method == "POST":
        if not current_admin().can(AdminRole.EDITOR):
            abort(403)
        saved = _save_meeting(services, meeting_id)
        if saved and "review" not in request.form:
            return redirect(url_for("console.meeting", meeting_id=meeting_id))
        with services.db.session() as session:
            record = _load_meeting(session, meeting_id)
            if not saved:
                form = _meeting_form(record, _category_choices(session))
                form.validate()  # show the errors again beside the fields
                return _render_meeting(record, form, 422)
            no_directives = bool(request.form.get("no_directives"))
            problems = publishing.check_meeting(record, no_directives=no_directives)
            if not problems:
                return redirect(_review_url(meeting_id, no_directives))
            form = _meeting_form(record, _category_choices(session), from_record=True)
            form.no_directives.data = no_directives
            _show_problems(form, problems)
            flash(texts.MEETING_NOT_READY, "error")
            return _render_meeting(record, form, 422)
    with services.db.session() as session:
        record = _load_meeting(session, meeting_id)
        return _render_meeting(record, _meeting_form(record, _category_choices(session)))


def _save_meeting(services: Services, meeting_id: int) -> bool:
    """Apply the posted edit in one transaction; False (with a message) when it is refused. The edit of
    a published meeting is a correction: audited as one, and announced to the groups if asked."""
    actor = current_admin().username
    try:
        with services.db.session() as session:
            record = _load_meeting(session, meeting_id)
            form = _meeting_form(record, _category_choices(session))
            if not form.validate():
                flash(texts.FORM_INVALID, "error")
                return False
            changed = apply_change(session, record, _change_of(form, record))
            published = record.published_at is not None
            notify = published and bool(form.notify.data) and bool(changed)
            if changed:
                action = "meeting.correct" if published else "meeting.edit"
                details: dict[str, Any] = {"changed": changed}
                if published:
                    details["notify"] = notify
                audit.record(session, actor, action, "meeting", record.id, **details)
    except MeetingError as error:
        flash(str(error), "error")
        return False
    if published and changed:
        if notify:
            publishing.announce_correction(services, meeting_id, changed, actor=actor)
        else:
            publishing.expire_answers(services)
    message = texts.MEETING_SAVED.format(n=len(changed)) if changed else texts.MEETING_UNCHANGED
    flash(message + (texts.MEETING_CORRECTED_NOTICE if notify else ""), "info")
    return True


def _review_url(meeting_id: int, no_directives: bool) -> str:
    return url_for(
        "console.review_publication", meeting_id=meeting_id, no_directives="1" if no_directives else None
    )


def meeting_version(meeting: Meeting) -> str:
    """A fingerprint of what an editor reviews: publishing refuses if the meeting changed since."""
    content = [
        meeting.title,
        meeting.meeting_date.isoformat() if meeting.meeting_date else None,
        meeting.number,
        meeting.chair,
        [(d.seq, d.title, d.text, sorted(e.code for e in d.categories)) for d in meeting.directives],
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:32]


@blueprint.get("/meetings/<int:meeting_id>/publish")
@require_role(AdminRole.EDITOR)
def review_publication(meeting_id: int) -> ResponseReturnValue:
    """Before publishing: exactly the summary each group will receive, how many groups and members,
    the cost and when it goes; the editor confirms, or goes back to fix something."""
    services = current_services()
    no_directives = request.args.get("no_directives") == "1"
    urgent = request.args.get("urgent") == "1"
    with services.db.session() as session:
        record = _load_meeting(session, meeting_id)
        if record.published_at is not None:
            flash(texts.MEETING_ALREADY_PUBLISHED, "info")
            return redirect(url_for("console.meeting", meeting_id=meeting_id))
        problems = publishing.check_meeting(record, no_directives=no_directives)
        previewer = current_app.extensions.get("summary_previewer")
        preview = previewer(session, record, urgent) if previewer and not problems else None
        form = forms.PublishForm(
            data={
                "urgent": urgent,
                "no_directives": "1" if no_directives else "",
                "version": meeting_version(record),
            }
        )
        return render_template(
            "console/publish.html",
            meeting=record,
            problems=problems,
            preview=preview,
            form=form,
            urgent=urgent,
            no_directives=no_directives,
        )


@blueprint.post("/meetings/<int:meeting_id>/publish")
@require_role(AdminRole.EDITOR)
def publish_meeting(meeting_id: int) -> ResponseReturnValue:
    """The confirmation of the review page: publishes what the editor reviewed, nothing else."""
    services = current_services()
    form = forms.PublishForm()
    with services.db.session() as session:
        record = _load_meeting(session, meeting_id)
        if not form.validate_on_submit():
            abort(400)
        urgent = bool(form.urgent.data)
        no_directives = form.no_directives.data == "1"
        if record.published_at is None and form.version.data != meeting_version(record):
            flash(texts.MEETING_CHANGED_SINCE_REVIEW, "error")
            return redirect(_review_url(meeting_id, no_directives))
    try:
        published_now = publishing.publish(
            services, meeting_id, actor=current_admin().username, urgent=urgent, no_directives=no_directives
        )
    except MeetingError as error:
        flash(str(error), "error")
        return redirect(url_for("console.meeting", meeting_id=meeting_id))
    if published_now:
        flash(texts.MEETING_PUBLISHED_URGENT if urgent else texts.MEETING_PUBLISHED, "info")
    else:
        flash(texts.MEETING_ALREADY_PUBLISHED, "info")
    return redirect(url_for("console.meeting", meeting_id=meeting_id))


@blueprint.route("/meetings/<int:meeting_id>/unpublish", methods=["GET", "POST"])
@require_role(AdminRole.EDITOR)
def unpublish_meeting(meeting_id: int) -> ResponseReturnValue:
    """GET asks for confirmation (what will happen); POST takes the meeting back to a draft."""
    services = current_services()
    form = forms.ActionForm()
    if request.method == "GET":
        with services.db.session() as session:
            record = _load_meeting(session, meeting_id)
            if record.published_at is None:
                flash(texts.MEETING_NOT_PUBLISHED, "info")
                return redirect(url_for("console.meeting", meeting_id=meeting_id))
            return render_template(
                "console/confirm.html",
                title=texts.UNPUBLISH_TITLE.format(title=record.title or "-"),
                lines=texts.UNPUBLISH_LINES,
                form=form,
                button=texts.UNPUBLISH_BUTTON,
                back=url_for("console.meeting", meeting_id=meeting_id),
            )
    if not form.validate_on_submit():
        abort(400)
    try:
        publishing.unpublish(services, meeting_id, actor=current_admin().username)
    except MeetingError as error:
        flash(str(error), "error")
    else:
        flash(texts.MEETING_UNPUBLISHED, "info")
    return redirect(url_for("console.meeting", meeting_id=meeting_id))


# --- groups --------------------------------------------------------------------------------------


def _regions(session: Session) -> list[Region]:
    return list(
        session.scalars(
            select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC).order_by(Region.sort_order)
        )
    )


def _provinces(session: Session) -> list[Province]:
    return list(session.scalars(select(Province).order_by(Province.name_th)))


@blueprint.get("/groups")
@require_scoped(AdminRole.VIEWER)
def groups() -> ResponseReturnValue:
    admin = current_admin()
    filters = {name: request.args.get(name, "") for name in ("province", "region", "status", "q")}
    query = (
        select(LineGroup)
        .outerjoin(Province, LineGroup.province_id == Province.id)
        .options(selectinload(LineGroup.province).selectinload(Province.region))
        .where(scope.groups_of(admin))
    )
    if filters["status"] in {s.value for s in GroupStatus}:
        query = query.where(LineGroup.status == GroupStatus(filters["status"]))
    for name, column in (("province", LineGroup.province_id), ("region", Province.region_id)):
        if filters[name]:
            chosen = parse_int(filters[name], low=0)
            if chosen is None:
                abort(400)
            query = query.where(column == chosen)
    if filters["q"]:
        pattern = f"%{filters['q'][:100]}%"
        query = query.where(or_(LineGroup.name.ilike(pattern), LineGroup.line_group_id.ilike(pattern)))
    query = query.order_by(
        case((LineGroup.status == GroupStatus.PENDING, 0), else_=1), Province.name_th, LineGroup.id
    )
    with current_services().db.session() as session:
        rows, page = _paged(session, query)
        provinces = [p for p in _provinces(session) if admin.sees_province(p.id)]
        return render_template(
            "console/groups.html",
            changes=[c for c in groups_store.pending_changes(session) if _decides(admin, c)],
            groups=rows,
            page=page,
            filters=filters,
            regions=_regions(session),
            provinces=provinces,
            statuses=texts.GROUP_STATUS,
            action_form=forms.ActionForm(),
            can_manage=admin.can(AdminRole.ADMIN) or admin.provincial,
            can_move=admin.can(AdminRole.ADMIN),
        )


def _decides(admin: Admin, change: GroupChangeRequest) -> bool:
    """A request to move a group is decided by the office that looks after the group now."""
    return admin.sees_province(change.group.province_id)


def _group(session: Session, group_id: int) -> LineGroup:
    return scope.check_group(current_admin(), session.get(LineGroup, group_id))


def _back_to_groups() -> ResponseReturnValue:
    return redirect(local_target(request.form.get("back"), url_for("console.groups")))


def _group_action(group_id: int, action: str) -> ResponseReturnValue:
    form = forms.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    actor = current_admin().username
    with current_services().db.session() as session:
        group = _group(session, group_id)
        name = group.name or group.line_group_id
        before = group.status.value
        if action == "approve":
            if group.status != GroupStatus.PENDING or group.province_id is None:
                flash(texts.GROUP_NOT_PENDING.format(name=name), "error")
                return _back_to_groups()
            group.status, message = GroupStatus.ACTIVE, texts.GROUP_APPROVED
        elif action == "deactivate":
            group.status, message = GroupStatus.INACTIVE, texts.GROUP_DEACTIVATED
        else:
            # A group the bot has left (it stayed switched off) waits for the bot to be invited back.
            if group.left_at is not None:
                group.status = GroupStatus.LEFT
            else:
                group.status = GroupStatus.ACTIVE if group.province_id else GroupStatus.PENDING
            message = texts.GROUP_REACTIVATED
        audit.record(
            session, actor, f"group.{action}", "line_group", group.id, before=before, after=group.status.value
        )
    flash(message.format(name=name), "info")
    return _back_to_groups()


@blueprint.post("/groups/<int:group_id>/approve")
@require_scoped(AdminRole.ADMIN)
def approve_group(group_id: int) -> ResponseReturnValue:
    return _group_action(group_id, "approve")


@blueprint.post("/groups/<int:group_id>/deactivate")
@require_scoped(AdminRole.ADMIN)
def deactivate_group(group_id: int) -> ResponseReturnValue:
    return _group_action(group_id, "deactivate")


@blueprint.post("/groups/<int:group_id>/reactivate")
@require_scoped(AdminRole.ADMIN)
def reactivate_group(group_id: int) -> ResponseReturnValue:
    return _group_action(group_id, "reactivate")


@blueprint.post("/groups/<int:group_id>/province")
@require_role(AdminRole.ADMIN)
def change_group_province(group_id: int) -> ResponseReturnValue:
    form = forms.GroupProvinceForm()
    with current_services().db.session() as session:
        form.province.choices = [(p.id, p.name_th) for p in _provinces(session)]
        if not form.validate_on_submit():
            abort(400)
        group = _group(session, group_id)
        province = session.get(Province, form.province.data)
        if province is None:
            abort(400)
        before = group.province.name_th if group.province else None
        group.province_id = province.id
        group.province = province
        audit.record(
            session,
            current_admin().username,
            "group.province",
            "line_group",
            group.id,
            before=before,
            after=province.name_th,
        )
        name = group.name or group.line_group_id
    flash(texts.GROUP_PROVINCE_CHANGED.format(name=name, province=province.name_th), "info")
    return _back_to_groups()


def _decide_change(request_id: int, approve: bool) -> ResponseReturnValue:
    form = forms.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    admin = current_admin()
    with current_services().db.session() as session:
        change = session.get(GroupChangeRequest, request_id)
        if change is None or not _decides(admin, change):
            abort(404)
        decided = groups_store.decide_change(session, request_id, approve, admin.username)
        if decided is None:
            flash(texts.CHANGE_ALREADY_DECIDED, "error")
            return _back_to_groups()
        name = decided.group.name or decided.group.line_group_id
        province = decided.province.name_th
    message = texts.CHANGE_APPROVED if approve else texts.CHANGE_REJECTED
    flash(message.format(name=name, province=province), "info")
    return _back_to_groups()


@blueprint.post("/groups/requests/<int:request_id>/approve")
@require_scoped(AdminRole.ADMIN)
def approve_group_change(request_id: int) -> ResponseReturnValue:
    return _decide_change(request_id, approve=True)


@blueprint.post("/groups/requests/<int:request_id>/reject")
@require_scoped(AdminRole.ADMIN)
def reject_group_change(request_id: int) -> ResponseReturnValue:
    return _decide_change(request_id, approve=False)


# --- audit log -----------------------------------------------------------------------------------


@blueprint.get("/audit")
@require_role(AdminRole.ADMIN)
def audit_log() -> ResponseReturnValue:
    filters = {name: request.args.get(name, "")[:64] for name in ("actor", "action")}
    query = select(AuditLog)
    if filters["actor"]:
        query = query.where(AuditLog.actor == filters["actor"])
    if filters["action"]:
        query = query.where(AuditLog.action.startswith(filters["action"], autoescape=True))
    query = query.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    with current_services().db.session() as session:
        rows, page = _paged(session, query)
        actions = session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
        return render_template(
            "console/audit.html",
            lines=audit_view.readable(session, rows),
            page=page,
            filters=filters,
            actions=[(action, audit_view.action_name(action)) for action in actions],
        )


# --- helpers for templates -----------------------------------------------------------------------


@blueprint.app_template_filter("bangkok")
def bangkok_time(value: dt.datetime | None) -> str:
    if value is None:
        return "-"
    local = value.astimezone(current_services().settings.tz)
    return f"{format_thai_date(local.date(), 'short')} {local:%H:%M} น."


@blueprint.app_context_processor
def console_globals() -> dict[str, Any]:
    return {
        "console_nav": current_app.extensions.get("console_nav", []),
        "role_names": texts.ROLE_NAMES,
        "error_titles": core_texts.ERROR_TITLES,
    }
