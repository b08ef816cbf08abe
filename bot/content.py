"""Reading the bot's content: published meetings, their directives and the 10Es.

Queries shared by the conversation, broadcasts and pages. Only published meetings are visible to
officials; drafts stay with administrators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from bot.models import Directive, DirectiveStatus, Meeting, TenE, directive_ten_es


def _published() -> Select[Meeting]:
    return (
        select(Meeting)
        .where(Meeting.published_at.is_not(None))
        .options(selectinload(Meeting.directives).selectinload(Directive.categories))
        .order_by(Meeting.meeting_date.desc().nulls_last(), Meeting.published_at.desc(), Meeting.id.desc())
    )


def latest_meeting(session: Session) -> Meeting | None:
    """The latest published meeting that has directives."""
    return session.scalars(_published().where(Meeting.directives.any()).limit(1)).first()


def meeting(session: Session, meeting_id: int) -> Meeting | None:
    return session.scalars(_published().where(Meeting.id == meeting_id)).first()


def meeting_by_number(session: Session, number: str) -> Meeting | None:
    return session.scalars(_published().where(Meeting.number == number).limit(1)).first()


def meetings_between(session: Session, start: dt.date, end: dt.date) -> Sequence[Meeting]:
    """Published meetings held from `start` up to the day before `end`, the latest first."""
    return session.scalars(
        _published().where(Meeting.meeting_date >= start, Meeting.meeting_date < end)
    ).all()


def meetings_around(session: Session, start: dt.date, end: dt.date) -> list[Meeting]:
    """The published meetings nearest to a period without any: the last before it, the first after."""
    before = session.scalars(_published().where(Meeting.meeting_date < start).limit(1)).first()
    after = session.scalars(
        _published()
        .where(Meeting.meeting_date >= end)
        .order_by(None)
        .order_by(Meeting.meeting_date, Meeting.id)
        .limit(1)
    ).first()
    return [meeting for meeting in (after, before) if meeting is not None]


def meetings_chaired(session: Session, title: str) -> Sequence[Meeting]:
    """Published meetings whose chair's text holds `title`, the latest first."""
    return session.scalars(_published().where(Meeting.chair.contains(title, autoescape=True))).all()


def directive(session: Session, directive_id: int) -> Directive | None:
    return session.scalars(
        select(Directive)
        .join(Meeting)
        .where(Directive.id == directive_id, Meeting.published_at.is_not(None))
        .options(selectinload(Directive.categories), selectinload(Directive.meeting))
    ).first()


def directives_due(session: Session, today: dt.date, limit: int = 10) -> Sequence[Directive]:
    """Active directives of published meetings whose deadline is today or later, the soonest first."""
    return session.scalars(
        select(Directive)
        .join(Meeting)
        .where(Meeting.published_at.is_not(None), Directive.status == DirectiveStatus.ACTIVE)
        .where(Directive.deadline.is_not(None), Directive.deadline >= today)
        .options(selectinload(Directive.categories), selectinload(Directive.meeting))
        .order_by(Directive.deadline, Meeting.meeting_date.desc().nulls_last(), Directive.seq)
        .limit(limit)
    ).all()


def ten_es(session: Session) -> Sequence[TenE]:
    return session.scalars(select(TenE).order_by(TenE.number)).all()


def directives_of_ten_e(session: Session, number: int, limit: int = 10) -> Sequence[Directive]:
    """The most recent active directives tagged with one of the 10Es."""
    return session.scalars(
        select(Directive)
        .join(Meeting)
        .join(directive_ten_es, directive_ten_es.c.directive_id == Directive.id)
        .where(directive_ten_es.c.ten_e_number == number)
        .where(Meeting.published_at.is_not(None), Directive.status == DirectiveStatus.ACTIVE)
        .options(selectinload(Directive.categories), selectinload(Directive.meeting))
        .order_by(Meeting.meeting_date.desc().nulls_last(), Directive.seq)
        .limit(limit)
    ).all()
