"""The follow-up board: directives × provinces, each cell a province's current report on a directive.

One query engine for the console's board, its directive page, the CSV and the admin API, so that
they always agree. The directives are the active ones of a published meeting (the latest, unless one
is asked for); the provinces are grouped by the six geographic regions. A directive whose deadline
has passed (Bangkok's today is later) is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.models import (
    Directive,
    DirectiveProgress,
    DirectiveReport,
    DirectiveStatus,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    Region,
    RegionScheme,
    ReportStatus,
)

NOT_REPORTED: Final = "none"  # the status filter's value for provinces that have not reported
STATUS_FILTERS: Final = (*(s.value for s in ReportStatus), NOT_REPORTED)


class BoardError(ValueError):
    """A filter the board does not know; the message is one Thai line."""


@dataclass(frozen=True)
class Cell:
    """A province's current report on a directive; `status` None: not reported."""

    status: ReportStatus | None = None
    reported_at: dt.datetime | None = None
    reported_by: str | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return self.status.value if self.status else NOT_REPORTED


@dataclass(frozen=True)
class Row:
    directive: Directive
    overdue: bool
    cells: dict[int, Cell]  # by province id; a province missing has not reported

    def cell(self, province_id: int) -> Cell:
        return self.cells.get(province_id, Cell())

    def counts(self, provinces: Sequence[Province]) -> dict[str, int]:
        """How many of `provinces` are in each status (and "none")."""
        found = dict.fromkeys(STATUS_FILTERS, 0)
        for province in provinces:
            found[self.cell(province.id).key] += 1
        return found


@dataclass(frozen=True)
class RegionColumns:
    region: Region
    provinces: list[Province]


@dataclass(frozen=True)
class Board:
    meeting: Meeting | None
    regions: list[RegionColumns]
    rows: list[Row]
    status: str | None = None
    groups: dict[int, list[LineGroup]] = field(default_factory=dict)  # active groups by province id

    @property
    def provinces(self) -> list[Province]:
        return [p for r in self.regions for p in r.provinces]

    def matches(self, row: Row, province: Province) -> bool:
        return self.status is None or row.cell(province.id).key == self.status


def latest_meeting_id(session: Session) -> int | None:
    return session.scalars(
        select(Meeting.id)
        .where(Meeting.published_at.is_not(None))
        .order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.id.desc())
        .limit(1)
    ).first()


def _regions(
    session: Session, region_code: str | None, province_ids: frozenset[int] | None = None
) -> list[RegionColumns]:
    """The regions' columns; with `province_ids` (a provincial office) only those provinces, and only
    the regions that hold one of them."""
    query = select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC).order_by(Region.sort_order)
    if region_code:
        query = query.where(Region.code == region_code)
    regions = session.scalars(query).all()
    if region_code and not regions:
        raise BoardError(f"ไม่รู้จักภาค {region_code!r}")
    provinces_query = select(Province).where(Province.region_id.in_([r.id for r in regions]))
    if province_ids is not None:
        provinces_query = provinces_query.where(Province.id.in_(sorted(province_ids)))
    provinces = session.scalars(provinces_query.order_by(Province.name_th)).all()
    columns = [RegionColumns(r, [p for p in provinces if p.region_id == r.id]) for r in regions]
    return columns if province_ids is None else [c for c in columns if c.provinces]


def _cells(
    session: Session, directive_ids: Sequence[int], province_ids: frozenset[int] | None = None
) -> dict[int, dict[int, Cell]]:
    query = (
        select(DirectiveProgress, DirectiveReport)
        .join(DirectiveReport, DirectiveProgress.report_id == DirectiveReport.id)
        .where(DirectiveProgress.directive_id.in_(directive_ids))
    )
    if province_ids is not None:
        query = query.where(DirectiveProgress.province_id.in_(sorted(province_ids)))
    rows = session.execute(query).all()
    cells: dict[int, dict[int, Cell]] = {}
    for progress, report in rows:
        cells.setdefault(progress.directive_id, {})[progress.province_id] = Cell(
            progress.status,
            progress.reported_at,
            report.reported_by_name or report.reported_by,
            report.note,
        )
    return cells


def active_groups(session: Session, province_ids: Sequence[int]) -> dict[int, list[LineGroup]]:
    groups = session.scalars(
        select(LineGroup)
        .where(LineGroup.status == GroupStatus.ACTIVE, LineGroup.province_id.in_(province_ids))
        .order_by(LineGroup.id)
    ).all()
    found: dict[int, list[LineGroup]] = {}
    for group in groups:
        found.setdefault(group.province_id or 0, []).append(group)
    return found


def build(
    session: Session,
    today: dt.date,
    *,
    meeting_id: int | None = None,
    directive_id: int | None = None,
    region_code: str | None = None,
    status: str | None = None,
    province_ids: frozenset[int] | None = None,
) -> Board:
    """The board of a meeting (the latest published one by default) or of one directive, for a region
    or all, with every cell; `status` ("done", …, "none") marks the cells the filter keeps;
    `province_ids` limits it to a provincial office's provinces (None: the department, all)."""
    if status and status not in STATUS_FILTERS:
        raise BoardError(f"ไม่รู้จักสถานะ {status!r}")
    query = (
        select(Directive)
        .join(Meeting, Directive.meeting_id == Meeting.id)
        .where(Meeting.published_at.is_not(None), Directive.status == DirectiveStatus.ACTIVE)
        .options(selectinload(Directive.meeting))
        .order_by(Directive.seq)
    )
    meeting: Meeting | None = None
    if directive_id is not None:
        query = query.where(Directive.id == directive_id)
    else:
        meeting_id = meeting_id or latest_meeting_id(session)
        meeting = session.get(Meeting, meeting_id) if meeting_id else None
        if meeting_id and (meeting is None or meeting.published_at is None):
            raise BoardError(f"ไม่พบการประชุมที่เผยแพร่แล้ว #{meeting_id}")
        query = query.where(Directive.meeting_id == (meeting_id or 0))
    directives = session.scalars(query).all()
    regions = _regions(session, region_code, province_ids)
    cells = _cells(session, [d.id for d in directives], province_ids)
    rows = [Row(d, d.deadline is not None and d.deadline < today, cells.get(d.id, {})) for d in directives]
    board = Board(meeting or (directives[0].meeting if directives else None), regions, rows, status or None)
    board.groups.update(active_groups(session, [p.id for p in board.provinces]))
    return board


def history(
    session: Session, directive_id: int, province_ids: frozenset[int] | None = None
) -> Sequence[tuple[DirectiveReport, str]]:
    """Every report on a directive (of `province_ids` only, for an office), the latest first, with its
    province's name."""
    query = (
        select(DirectiveReport, Province.name_th)
        .join(Province, DirectiveReport.province_id == Province.id)
        .where(DirectiveReport.directive_id == directive_id)
    )
    if province_ids is not None:
        query = query.where(DirectiveReport.province_id.in_(sorted(province_ids)))
    rows = session.execute(
        query.order_by(DirectiveReport.reported_at.desc(), DirectiveReport.id.desc())
    ).all()
    return [(report, name) for report, name in rows]
