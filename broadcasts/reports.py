"""Reports back from the provinces: "รายงานผล" on a directive sent to a provincial group.

A report is a row of `directive_reports` (the history: who, when, what, an optional note) and
becomes the province's current status on the directive (`directive_progress`) unless a later one
is already there. A LINE event makes at most one report: its webhook event id is unique, so a
redelivered postback finds the report it made the first time and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import (
    Directive,
    DirectiveProgress,
    DirectiveReport,
    DirectiveStatus,
    GroupStatus,
    LineGroup,
    ReportStatus,
)

NOTE_MAX_CHARS = 500


class Refusal(enum.Enum):
    """Why a press of "รายงานผล" records nothing."""

    NO_DIRECTIVE = "no_directive"  # deleted, never published, or closed
    NO_PROVINCE = "no_province"  # the group serves no province (yet)


@dataclass(frozen=True)
class Reported:
    report_id: int
    province: str
    directive_title: str
    status: ReportStatus
    again: bool  # the same event seen before (LINE redelivered it): nothing new was recorded


def reportable_directive(session: Session, directive_id: int) -> Directive | None:
    """A directive provinces can report on: of a published meeting, not closed."""
    directive = session.get(Directive, directive_id)
    if directive is None or directive.meeting.published_at is None:
        return None
    return directive if directive.status is DirectiveStatus.ACTIVE else None


def province_group(session: Session, line_group_id: str | None) -> LineGroup | None:
    """The group, if it is registered to a province (a report speaks for that province)."""
    if not line_group_id:
        return None
    group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == line_group_id)).first()
    if group is None or group.province is None or group.status is not GroupStatus.ACTIVE:
        return None
    return group


def record(
    session: Session,
    *,
    directive_id: int,
    line_group_id: str | None,
    status: ReportStatus,
    user_id: str | None,
    user_name: str | None,
    at: dt.datetime,
    webhook_event_id: str,
) -> Reported | Refusal:
    """Record a province's report, made in one of its groups at `at` (the event's time)."""
    directive = reportable_directive(session, directive_id)
    if directive is None:
        return Refusal.NO_DIRECTIVE
    group = province_group(session, line_group_id)
    if group is None or group.province is None:
        return Refusal.NO_PROVINCE
    province = group.province
    seen = session.scalars(
        select(DirectiveReport).where(DirectiveReport.webhook_event_id == webhook_event_id)
    ).first()
    if seen is not None:
        return Reported(seen.id, province.name_th, directive.title, seen.status, again=True)
    report = DirectiveReport(
        directive_id=directive.id,
        province_id=province.id,
        group_id=group.id,
        status=status,
        reported_by=user_id,
        reported_by_name=user_name,
        reported_at=at,
        webhook_event_id=webhook_event_id,
    )
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:  # the same event, handled at this moment by another process
        seen = session.scalars(
            select(DirectiveReport).where(DirectiveReport.webhook_event_id == webhook_event_id)
        ).one()
        return Reported(seen.id, province.name_th, directive.title, seen.status, again=True)
    _make_current(session, report)
    return Reported(report.id, province.name_th, directive.title, status, again=False)


def _make_current(session: Session, report: DirectiveReport) -> None:
    """The report becomes its province's status on the directive, unless a later one already is."""
    key = {"directive_id": report.directive_id, "province_id": report.province_id}
    current = session.get(DirectiveProgress, key, with_for_update=True)
    if current is None:
        try:
            with session.begin_nested():
                session.add(
                    DirectiveProgress(
                        **key, report_id=report.id, status=report.status, reported_at=report.reported_at
                    )
                )
            return
        except IntegrityError:  # another group of the province reported at the same moment
            current = session.get_one(DirectiveProgress, key, with_for_update=True, populate_existing=True)
    if current.reported_at <= report.reported_at:
        current.report_id, current.status, current.reported_at = report.id, report.status, report.reported_at


def statuses_of(session: Session, province_id: int, directive_ids: Sequence[int]) -> dict[int, ReportStatus]:
    """A province's current status on each of these directives it has reported on."""
    rows = session.execute(
        select(DirectiveProgress.directive_id, DirectiveProgress.status).where(
            DirectiveProgress.province_id == province_id, DirectiveProgress.directive_id.in_(directive_ids)
        )
    ).all()
    return {directive_id: status for directive_id, status in rows}


def done_provinces(session: Session, directive_id: int) -> set[int]:
    """Provinces whose current status on the directive is "ดำเนินการแล้ว"."""
    return set(
        session.scalars(
            select(DirectiveProgress.province_id).where(
                DirectiveProgress.directive_id == directive_id,
                DirectiveProgress.status == ReportStatus.DONE,
            )
        )
    )


def add_note(session: Session, report_id: int, text: str) -> bool:
    """The official's one line about their report (the first line of what they typed); False when the
    report is gone."""
    report = session.get(DirectiveReport, report_id)
    if report is None:
        return False
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    report.note = line[:NOTE_MAX_CHARS] or None
    return True
