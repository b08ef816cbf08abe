"""The broadcast endpoints of the admin API: create (with the cost estimate), list, follow, cancel; and
the provinces' reports on directives (`/api/directives/<id>/reports`, `/api/reports`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from admin.api.auth import require_admin_token
from admin.api.errors import ApiError
from admin.api.views import parse_body
from bot.current import current_services
from bot.inputs import DbInt, parse_int
from bot.line import LineApiError
from bot.models import AdminUser, Broadcast, BroadcastKind, Province, Region
from bot.services import Services
from broadcasts import board, service

blueprint = Blueprint("broadcasts_api", __name__, url_prefix="/api")
ACTOR = "api"


@blueprint.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    return error.response()


class BroadcastRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    meeting_id: DbInt | None = None
    directive_id: DbInt | None = None
    text: str | None = Field(default=None, max_length=5000)
    target: dict[str, Any]
    at: dt.datetime | None = None
    urgent: bool = False
    force: bool = False
    dry_run: bool = False

    @model_validator(mode="after")
    def _one_content(self) -> Self:
        given = [v for v in (self.meeting_id, self.directive_id, self.text) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of meeting_id, directive_id, text")
        return self

    @property
    def kind(self) -> BroadcastKind:
        if self.meeting_id is not None:
            return BroadcastKind.MEETING_SUMMARY
        return BroadcastKind.DIRECTIVE if self.directive_id is not None else BroadcastKind.TEXT


def _time(value: dt.datetime | None, services: Services) -> str | None:
    return None if value is None else value.astimezone(services.settings.tz).isoformat(timespec="seconds")


def broadcast_json(services: Services, broadcast: Broadcast, counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": broadcast.id,
        "kind": broadcast.kind.value,
        "meeting_id": broadcast.meeting_id,
        "directive_id": broadcast.directive_id,
        "text": broadcast.text,
        "target": {"kind": broadcast.target_kind.value, "ids": list(broadcast.target_ids)},
        "status": broadcast.status.value,
        "urgent": broadcast.urgent,
        "forced": broadcast.forced,
        "scheduled_at": _time(broadcast.scheduled_at, services),
        "started_at": _time(broadcast.started_at, services),
        "finished_at": _time(broadcast.finished_at, services),
        "cost_estimate": broadcast.estimated_cost,
        "sent_by": _sender(broadcast),
        **counts,
    }


def _quiet_hours_check(
    services: Services, at: dt.datetime | None, *, urgent: bool, force: bool
) -> dict[str, object]:
    """What creating the broadcast would meet in quiet hours, for a dry run."""
    try:
        inside = service.check_quiet_hours(services, at, urgent=urgent, force=force)
    except service.QuietHours as error:
        next_allowed = error.next_allowed.astimezone(services.settings.tz).isoformat()
        return {"inside": True, "refused": str(error), "next_allowed": next_allowed}
    return {"inside": inside, "refused": None, "next_allowed": None}


def _sender(broadcast: Broadcast) -> dict[str, Any] | None:
    """The console account that made it, with its office's provinces (empty: the department's)."""
    account = broadcast.created_by
    if account is None:
        return None
    return {"username": account.username, "provinces": [p.name_th for p in account.provinces]}


@blueprint.post("/broadcasts")
@require_admin_token
def create_broadcast() -> tuple[Response, int]:
    body = parse_body(BroadcastRequest)
    services = current_services()
    at = body.at
    if at is not None and at.tzinfo is None:  # a time without zone is Bangkok time
        at = at.replace(tzinfo=services.settings.tz)
    try:
        with services.db.session() as session:
            target = service.parse_target(session, body.target)
            if body.dry_run:
                estimate = service.estimate(services, session, target)
                return jsonify(
                    {
                        "groups": estimate.groups,
                        "cost_estimate": estimate.cost,
                        "quota_left": estimate.quota_left,
                        "exceeds_quota": estimate.exceeds,
                        "quiet_hours": _quiet_hours_check(services, at, urgent=body.urgent, force=body.force),
                    }
                ), 200
            broadcast, estimate = service.create(
                services,
                session,
                kind=body.kind,
                target=target,
                actor=ACTOR,
                meeting_id=body.meeting_id,
                directive_id=body.directive_id,
                text=body.text,
                at=at,
                urgent=body.urgent,
                force=body.force,
            )
            payload = broadcast_json(
                services, broadcast, {"groups": estimate.groups, "quota_left": estimate.quota_left}
            )
    except service.QuotaExceeded as error:
        raise ApiError(409, str(error)) from None
    except service.QuietHours as error:
        next_allowed = error.next_allowed.astimezone(services.settings.tz).isoformat()
        raise ApiError(422, str(error), [{"field": "at", "next_allowed": next_allowed}]) from None
    except service.BroadcastError as error:
        raise ApiError(422, str(error)) from None
    except LineApiError as error:
        raise ApiError(502, f"ติดต่อ LINE ไม่ได้ ({error.status})") from None
    return jsonify(payload), 201


@blueprint.get("/broadcasts")
@require_admin_token
def list_broadcasts() -> Response:
    services = current_services()
    with services.db.session() as session:
        rows = session.scalars(
            select(Broadcast)
            .options(selectinload(Broadcast.created_by).selectinload(AdminUser.provinces))
            .order_by(Broadcast.scheduled_at.desc())
            .limit(200)
        ).all()
        return jsonify({"items": [broadcast_json(services, b, {}) for b in rows]})


@blueprint.get("/broadcasts/<int:broadcast_id>")
@require_admin_token
def get_broadcast(broadcast_id: int) -> Response:
    services = current_services()
    with services.db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is None:
            raise ApiError(404, f"ไม่พบการส่งข่าว #{broadcast_id}")
        return jsonify(broadcast_json(services, broadcast, service.report(session, broadcast)))


@blueprint.delete("/broadcasts/<int:broadcast_id>")
@require_admin_token
def cancel_broadcast(broadcast_id: int) -> Response:
    services = current_services()
    with services.db.session() as session:
        if session.get(Broadcast, broadcast_id) is None:
            raise ApiError(404, f"ไม่พบการส่งข่าว #{broadcast_id}")
        try:
            broadcast = service.cancel(session, broadcast_id, ACTOR)
        except service.BroadcastError as error:
            raise ApiError(409, str(error)) from None
        return jsonify(broadcast_json(services, broadcast, service.report(session, broadcast)))


# --- reports back from the provinces (the follow-up board's data) ----------------------------------------


def _board(services: Services, session: Session, **filters: Any) -> board.Board:
    today = services.clock().astimezone(services.settings.tz).date()
    try:
        return board.build(session, today, **filters)
    except board.BoardError as error:
        raise ApiError(422, str(error)) from None


def _cell_json(services: Services, row: board.Row, region: Region, province: Province) -> dict[str, Any]:
    cell = row.cell(province.id)
    return {
        "directive_id": row.directive.id,
        "province": province.name_th,
        "region": region.code,
        "status": cell.status.value if cell.status else None,
        "reported_at": _time(cell.reported_at, services),
        "reported_by": cell.reported_by,
        "note": cell.note,
    }


def _directive_json(row: board.Row) -> dict[str, Any]:
    directive = row.directive
    return {
        "id": directive.id,
        "meeting_id": directive.meeting_id,
        "seq": directive.seq,
        "title": directive.title,
        "deadline": directive.deadline.isoformat() if directive.deadline else None,
        "overdue": row.overdue,
    }


@blueprint.get("/directives/<int:directive_id>/reports")
@require_admin_token
def directive_reports(directive_id: int) -> Response:
    services = current_services()
    with services.db.session() as session:
        found = _board(services, session, directive_id=directive_id)
        if not found.rows:
            raise ApiError(404, f"ไม่พบข้อสั่งการที่เผยแพร่แล้ว #{directive_id}")
        row = found.rows[0]
        provinces = []
        for columns in found.regions:
            for province in columns.provinces:
                item = _cell_json(services, row, columns.region, province)
                item["groups"] = [
                    {"group_id": g.line_group_id, "name": g.name} for g in found.groups.get(province.id, [])
                ]
                provinces.append(item)
        reports = [
            {
                "province": province,
                "status": report.status.value,
                "reported_at": _time(report.reported_at, services),
                "reported_by": report.reported_by_name or report.reported_by,
                "note": report.note,
            }
            for report, province in board.history(session, directive_id)
        ]
        return jsonify(
            {
                **_directive_json(row),
                "counts": row.counts(found.provinces),
                "provinces": provinces,
                "history": reports,
            }
        )


@blueprint.get("/reports")
@require_admin_token
def list_reports() -> Response:
    services = current_services()
    args = request.args
    meeting = args.get("meeting_id", "")
    if meeting and parse_int(meeting) is None:
        raise ApiError(422, "meeting_id ต้องเป็นตัวเลข")
    with services.db.session() as session:
        found = _board(
            services,
            session,
            meeting_id=parse_int(meeting) if meeting else None,
            region_code=args.get("region") or None,
            status=args.get("status") or None,
        )
        items = [
            _cell_json(services, row, columns.region, province)
            for row in found.rows
            for columns in found.regions
            for province in columns.provinces
            if found.matches(row, province)
        ]
        return jsonify(
            {
                "meeting_id": found.meeting.id if found.meeting else None,
                "directives": [_directive_json(row) for row in found.rows],
                "items": items,
            }
        )
