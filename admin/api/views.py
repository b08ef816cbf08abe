"""The admin API's endpoints. Each request is one transaction: it is stored whole or not at all."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from flask import Blueprint, Response, current_app, jsonify, request, url_for
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from admin.api.auth import require_admin_token
from admin.api.errors import ApiError
from admin.api.schemas import ImportRequest, MeetingEdit
from admin.api.serialize import group_json, import_json, meeting_json, meeting_summary_json
from bot import audit, groups
from bot.current import current_services
from bot.inputs import DB_INT_MAX, parse_int
from bot.models import DirectiveStatus, GroupStatus, LineGroup, Meeting, Province, Region
from meetings import publishing
from meetings import store as meetings
from meetings.ingest.jobs import ImportRunner, load_job, queue_import
from meetings.ingest.service import IngestError, ingest_text, read_article
from meetings.store import DirectiveChange, MeetingChange, MeetingError, apply_change

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.yaml"
ACTOR = "api"

blueprint = Blueprint("api", __name__, url_prefix="/api")
Body = TypeVar("Body", bound=BaseModel)


@blueprint.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    return error.response()


def parse_body(model: type[Body]) -> Body:
    """The JSON body as `model`: 400 when it is not JSON, 422 listing each invalid field."""
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "เนื้อหาคำขอต้องเป็น JSON (Content-Type: application/json)")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        details = [
            {"field": ".".join(str(part) for part in e["loc"]) or None, "problem": e["msg"]}
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise ApiError(422, "ข้อมูลในคำขอไม่ถูกต้อง", details) from None


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = meetings.load(session, meeting_id)
    if meeting is None:
        raise ApiError(404, f"ไม่พบการประชุม #{meeting_id}")
    return meeting


@functools.cache
def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    return document


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@blueprint.post("/meetings")
@require_admin_token
def create_meeting() -> tuple[Response, int]:
    """Text is imported at once (201, or 200 if stored before); a URL is fetched off the request
    thread: 202 with the import job to poll (Location)."""
    body = parse_body(ImportRequest)
    services = current_services()
    try:
        if body.url is not None:
            runner: ImportRunner = current_app.extensions["imports"]
            job = queue_import(services, runner, body.url, actor=ACTOR, publish=body.publish)
            response = jsonify(import_json(job, services.settings.tz))
            response.headers["Location"] = url_for("api.get_import", job_id=job.id)
            return response, 202
        text = read_article(body.text or "", services.settings.ingest.max_article_bytes)
        with services.db.session() as session:
            result = ingest_text(
                session, text, source_url=body.source_url, to_publish=body.publish, actor=ACTOR
            )
            meeting_id = result.meeting.id
    except IngestError as error:
        raise ApiError(422, str(error)) from None
    if result.published_now:
        publishing.announce_published(services, meeting_id, urgent=False, actor=ACTOR)
    with services.db.session() as session:
        payload = meeting_json(_meeting(session, meeting_id), services.settings.tz)
    payload["created"] = result.created
    return jsonify(payload), 201 if result.created else 200


@blueprint.get("/imports/<int:job_id>")
@require_admin_token
def get_import(job_id: int) -> Response:
    """A URL import: queued, running, done (with its meeting) or failed (with the Thai reason)."""
    services = current_services()
    with services.db.session() as session:
        job = load_job(session, job_id, services.settings)
        if job is None:
            raise ApiError(404, f"ไม่พบงานนำเข้า #{job_id}")
        return jsonify(import_json(job, services.settings.tz))


def _paged(query: Any, serialize: Any, *order_by: Any, options: Sequence[Any] = ()) -> Response:
    """One page of a listing (`?limit=&offset=`): `{"items", "total", "limit", "offset"}`."""
    limit, offset = _page()
    services = current_services()
    with services.db.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.options(*options).order_by(*order_by).limit(limit).offset(offset)).all()
        items = [serialize(row, services.settings.tz) for row in rows]
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


def _page() -> tuple[int, int]:
    limit = parse_int(request.args.get("limit", "50"))
    offset = parse_int(request.args.get("offset", "0"), high=DB_INT_MAX - 1000)
    if limit is None or offset is None:
        raise ApiError(422, "limit และ offset ต้องเป็นตัวเลข")
    return min(max(limit, 1), 1000), max(offset, 0)


@blueprint.get("/meetings")
@require_admin_token
def list_meetings() -> Response:
    status = request.args.get("status")
    if status not in (None, "draft", "published"):
        raise ApiError(422, "status ต้องเป็น draft หรือ published")
    query = select(Meeting)
    if status == "draft":
        query = query.where(Meeting.published_at.is_(None))
    elif status == "published":
        query = query.where(Meeting.published_at.is_not(None))
    return _paged(
        query,
        meeting_summary_json,
        Meeting.meeting_date.desc().nulls_last(),
        Meeting.id.desc(),
        options=[selectinload(Meeting.directives)],
    )


@blueprint.get("/meetings/<int:meeting_id>")
@require_admin_token
def get_meeting(meeting_id: int) -> Response:
    services = current_services()
    with services.db.session() as session:
        return jsonify(meeting_json(_meeting(session, meeting_id), services.settings.tz))


@blueprint.patch("/meetings/<int:meeting_id>")
@require_admin_token
def edit_meeting(meeting_id: int) -> Response:
    body = parse_body(MeetingEdit)
    change = MeetingChange(
        title=body.title,
        date=body.date,
        number=body.number,
        chair=body.chair,
        clear=body.cleared(),
        directives=[
            DirectiveChange(
                seq=d.seq,
                title=d.title,
                text=d.text,
                categories=d.categories,
                status=DirectiveStatus(d.status) if d.status else None,
                deadline=d.deadline,
                clear_deadline=d.clear_deadline,
                remove=d.remove,
            )
            for d in body.directives
        ],
    )
    services = current_services()
    try:
        with services.db.session() as session:
            meeting = _meeting(session, meeting_id)
            changed = apply_change(session, meeting, change)
            published = meeting.published_at is not None
            if changed and published:  # a correction, announced if asked
                details = {"changed": changed, "notify": body.notify_groups}
                audit.record(session, ACTOR, "meeting.correct", "meeting", meeting.id, **details)
            elif changed:
                audit.record(session, ACTOR, "meeting.edit", "meeting", meeting.id, changed=changed)
            session.flush()
            session.refresh(meeting)
            payload = meeting_json(meeting, services.settings.tz)
    except MeetingError as error:
        raise ApiError(422, str(error)) from None
    if changed and published and body.notify_groups:
        publishing.announce_correction(services, meeting_id, changed, actor=ACTOR)
    elif changed and published:
        publishing.expire_answers(services)
    return jsonify(payload)


@blueprint.post("/meetings/<int:meeting_id>/publish")
@require_admin_token
def publish_meeting(meeting_id: int) -> Response:
    """Publish; the summary goes to the groups at the next send slot, or at once with {"urgent": true}.

    422 with each problem (`field`, Thai `problem`) when the meeting is not ready: no title, no date,
    no directive (unless `{"no_directives": true}`), a directive without a title."""
    body = request.get_json(silent=True) if request.content_length else {}
    flags = ("urgent", "no_directives")
    if not isinstance(body, dict) or not all(isinstance(body.get(name, False), bool) for name in flags):
        raise ApiError(422, 'เนื้อหาคำขอต้องเป็น {"urgent": true|false, "no_directives": true|false} หรือว่าง')
    services = current_services()
    with services.db.session() as session:
        _meeting(session, meeting_id)
    try:
        publishing.publish(
            services,
            meeting_id,
            actor=ACTOR,
            urgent=bool(body.get("urgent", False)),
            no_directives=bool(body.get("no_directives", False)),
        )
    except publishing.PublishRefused as error:
        problems = [{"field": p.field, "problem": p.message} for p in error.problems]
        raise ApiError(422, str(error), problems) from None
    except MeetingError as error:
        raise ApiError(422, str(error)) from None
    with services.db.session() as session:
        return jsonify(meeting_json(_meeting(session, meeting_id), services.settings.tz))


@blueprint.post("/meetings/<int:meeting_id>/unpublish")
@require_admin_token
def unpublish_meeting(meeting_id: int) -> Response:
    """Back to a draft: out of the bot's answers at once; a summary not yet sent is cancelled."""
    services = current_services()
    with services.db.session() as session:
        _meeting(session, meeting_id)
    try:
        publishing.unpublish(services, meeting_id, actor=ACTOR)
    except MeetingError as error:
        raise ApiError(409, str(error)) from None
    with services.db.session() as session:
        return jsonify(meeting_json(_meeting(session, meeting_id), services.settings.tz))


@blueprint.get("/groups")
@require_admin_token
def list_groups() -> Response:
    """LINE groups with their province and status; filter by status, province (Thai name) or region code."""
    query = select(LineGroup).outerjoin(Province, LineGroup.province_id == Province.id)
    status = request.args.get("status")
    if status is not None:
        if status not in {s.value for s in GroupStatus}:
            raise ApiError(422, "status ต้องเป็น pending, active หรือ left")
        query = query.where(LineGroup.status == GroupStatus(status))
    if province := request.args.get("province"):
        query = query.where(or_(Province.name_th == province, Province.name_en == province))
    if region := request.args.get("region"):
        query = query.join(Region, Province.region_id == Region.id).where(Region.code == region)
    return _paged(
        query,
        group_json,
        LineGroup.id,
        options=[selectinload(LineGroup.province).selectinload(Province.region)],
    )


@blueprint.post("/groups")
@require_admin_token
def register_groups() -> Response:
    """Bulk registration: `{"groups": [{"group_id", "province", "name"?, "member_count"?}, ...]}`."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise ApiError(422, 'ต้องส่ง {"groups": [...]}')
    if not all(isinstance(row, dict) for row in data["groups"]):
        raise ApiError(422, "แต่ละกลุ่มต้องเป็น object")
    services = current_services()
    try:
        with services.db.session() as session:
            result = groups.register_groups(session, data["groups"], ACTOR)
    except groups.GroupImportError as error:
        raise ApiError(422, str(error), error.problems) from None
    return jsonify({"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
