"""The follow-up board in the admin console: which province has done what about each directive.

`/admin/followup/` is the board (directives × provinces grouped by region, filtered by meeting, region
and status; on a phone, one directive at a time), `/admin/followup/directives/<id>` a directive's page
(the provinces that have not reported with their groups, the others, the history), and
`/admin/followup/reports.csv` the board's cells as a spreadsheet; and a panel on the dashboard (the
share of provinces that reported on the latest meeting's directives, the nearest deadlines). The board
and the dashboard show the latest (or the chosen) meeting on a map, a directive's page that directive
(`broadcasts.board_map`). All read `broadcasts.board`, as the admin API does.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.console.auth import current_admin, require_scoped
from admin.console.scope import provinces_of
from bot import content
from bot.current import current_services
from bot.inputs import parse_int
from bot.models import AdminRole, Meeting, Region, RegionScheme, ReportStatus
from bot.services import Services
from broadcasts import board, board_map, texts
from broadcasts.console import csv_download, csv_time, spreadsheet_safe

blueprint = Blueprint("followup_console", __name__, url_prefix="/admin/followup", template_folder="templates")

MEETING_CHOICES: Final = 24  # the latest published meetings offered in the filter
NEAREST_SHOWN: Final = 5  # directives nearest to their deadline, on the dashboard


def _today(services: Services) -> dt.date:
    return services.clock().astimezone(services.settings.tz).date()


def _filters() -> dict[str, object]:
    meeting = request.args.get("meeting", "")
    meeting_id = parse_int(meeting, low=1) if meeting else None
    if meeting and meeting_id is None:
        abort(400)
    return {
        "meeting_id": meeting_id,
        "region_code": request.args.get("region") or None,
        "status": request.args.get("status") or None,
    }


def _build(session: Session, services: Services, **filters: object) -> board.Board:
    """The board as the account may see it: a provincial office, its own provinces only."""
    try:
        return board.build(
            session,
            _today(services),
            province_ids=provinces_of(current_admin()),
            **filters,  # type: ignore[arg-type]
        )
    except board.BoardError:
        abort(400)


def _choices(session: Session) -> tuple[list[Meeting], list[Region]]:
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.published_at.is_not(None))
        .order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.id.desc())
        .limit(MEETING_CHOICES)
    ).all()
    regions = session.scalars(
        select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC).order_by(Region.sort_order)
    ).all()
    return list(meetings), list(regions)


@blueprint.get("/")
@require_scoped(AdminRole.VIEWER)
def board_page() -> ResponseReturnValue:
    services = current_services()
    filters = _filters()
    with services.db.session() as session:
        found = _build(session, services, **filters)
        meetings, regions = _choices(session)
        return render_template(
            "followup_console/board.html",
            board=found,
            status_map=board_map.status_map(found) if found.rows else None,
            meetings=meetings,
            regions=regions,
            filters=filters,
            statuses=texts.REPORT_STATUS_NAMES,
            not_reported=texts.REPORT_NONE,
            query=request.query_string.decode(),
        )


@blueprint.get("/directives/<int:directive_id>")
@require_scoped(AdminRole.VIEWER)
def directive_page(directive_id: int) -> ResponseReturnValue:
    services = current_services()
    with services.db.session() as session:
        found = _build(session, services, directive_id=directive_id)
        if not found.rows:
            abort(404)
        return render_template(
            "followup_console/directive.html",
            board=found,
            row=found.rows[0],
            status_map=board_map.status_map(found, found.rows[0]),
            history=board.history(session, directive_id, provinces_of(current_admin())),
            statuses=texts.REPORT_STATUS_NAMES,
            not_reported=texts.REPORT_NONE,
        )


@blueprint.get("/reports.csv")
@require_scoped(AdminRole.VIEWER)
def export_csv() -> Response:
    services = current_services()
    tz = services.settings.tz
    lines: list[list[object]] = []
    with services.db.session() as session:
        found = _build(session, services, **_filters())
        for row in found.rows:
            directive = row.directive
            for columns in found.regions:
                for province in columns.provinces:
                    if not found.matches(row, province):
                        continue
                    cell = row.cell(province.id)
                    lines.append(
                        [
                            directive.seq,
                            spreadsheet_safe(directive.title),
                            directive.deadline.isoformat() if directive.deadline else "",
                            texts.REPORT_OVERDUE if row.overdue else "",
                            province.name_th,
                            columns.region.name_th,
                            texts.REPORT_STATUS_NAMES.get(cell.key, texts.REPORT_NONE),
                            csv_time(cell.reported_at, tz),
                            spreadsheet_safe(cell.reported_by),
                            spreadsheet_safe(cell.note),
                        ]
                    )
    return csv_download("reports.csv", texts.REPORTS_CSV_HEADER, lines)


def dashboard_panel() -> dict[str, object]:
    """The dashboard's panel: the share of provinces that reported on each of the latest meeting's
    directives, the meeting on the map, and the directives nearest to their deadline."""
    services = current_services()
    today = _today(services)
    with services.db.session() as session:
        found = board.build(session, today, province_ids=provinces_of(current_admin()))
        provinces = found.provinces
        shares = []
        for row in found.rows:
            counts = row.counts(provinces)
            reported = len(provinces) - counts[board.NOT_REPORTED]
            shares.append(
                {
                    "id": row.directive.id,
                    "seq": row.directive.seq,
                    "title": row.directive.title,
                    "reported": reported,
                    "done": counts[ReportStatus.DONE.value],
                    "percent": round(100 * reported / len(provinces)) if provinces else 0,
                }
            )
        nearest = [
            {"id": d.id, "seq": d.seq, "title": d.title, "deadline": d.deadline}
            for d in content.directives_due(session, today, limit=NEAREST_SHOWN)
        ]
        return {
            "meeting": found.meeting.title if found.meeting else None,
            "provinces": len(provinces),
            "shares": shares,
            "nearest": nearest,
            "status_map": board_map.status_map(found) if found.rows else None,
        }
