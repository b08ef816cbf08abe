"""Reminders before a directive's deadline, to the groups of provinces that have not reported it done.

For each active directive of a published meeting whose deadline is near, the scheduler makes each
reminder step (`broadcasts.reminder_days` days before, 7 and 1 by default) once: the step is claimed
by inserting its `directive_reminders` row (two schedulers at once: one wins), and becomes a broadcast
of kind `reminder` at the next send slot outside quiet hours, through the same quota guard as any
broadcast. Its deliveries are written when it falls due, to the groups of the provinces still not done
then, each once with its retry key (`service.write_deliveries`). Only the nearest step due is made: a
deadline set two days ahead gets the one-day reminder, not a late seven-day one; a step whose send
slot would fall after the deadline, or a directive already overdue, gets none.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.kv import renewed_lock
from bot.line import LineApiError
from bot.models import (
    BroadcastKind,
    BroadcastTarget,
    Directive,
    DirectiveReminder,
    DirectiveStatus,
    GroupStatus,
    LineGroup,
    Meeting,
)
from bot.scheduler import JobSpec
from bot.services import Services
from bot.thai import format_thai_date
from broadcasts import reports, service, texts

log = logging.getLogger(__name__)

ACTOR = "scheduler"
LOCK = "broadcasts:reminders"
LOCK_SECONDS = 60.0
CHECK_SECONDS = 60.0


def nearest_step(deadline: dt.date, today: dt.date, days: Sequence[int]) -> int | None:
    """The step (days before `deadline`) due today: the smallest whose day has come; None before the
    first, and on or after an overdue deadline."""
    if deadline < today:
        return None
    due = [d for d in days if deadline - dt.timedelta(days=d) <= today]
    return min(due) if due else None


def provinces_to_remind(session: Session, directive_id: int) -> list[int]:
    """Provinces with a group receiving news that have not reported the directive done."""
    served = set(
        session.scalars(
            select(LineGroup.province_id).where(
                LineGroup.status == GroupStatus.ACTIVE, LineGroup.province_id.is_not(None)
            )
        )
    )
    return sorted(p for p in served - reports.done_provinces(session, directive_id) if p is not None)


def _near_deadlines(session: Session, today: dt.date, horizon: dt.date) -> Sequence[Directive]:
    return session.scalars(
        select(Directive)
        .join(Meeting, Directive.meeting_id == Meeting.id)
        .where(
            Meeting.published_at.is_not(None),
            Directive.status == DirectiveStatus.ACTIVE,
            Directive.deadline.is_not(None),
            Directive.deadline >= today,
            Directive.deadline <= horizon,
        )
        .order_by(Directive.deadline, Directive.id)
    ).all()


def plan(services: Services) -> list[int]:
    """Make the reminder steps due now; returns the broadcasts scheduled."""
    days = services.settings.broadcasts.reminder_days
    if not days:
        return []
    now, tz = services.clock(), services.settings.tz
    today = now.astimezone(tz).date()
    slot = service.next_send_slot(now, services.settings.broadcasts, tz)
    scheduled: list[int] = []
    with services.db.session() as session:
        for directive in _near_deadlines(session, today, today + dt.timedelta(days=max(days))):
            assert directive.deadline is not None
            step = nearest_step(directive.deadline, today, days)
            if step is None or session.get(DirectiveReminder, (directive.id, step)) is not None:
                continue
            broadcast_id = _make_step(services, session, directive, step, slot)
            if broadcast_id is not None:
                scheduled.append(broadcast_id)
    return scheduled


def _make_step(
    services: Services, session: Session, directive: Directive, step: int, slot: dt.datetime
) -> int | None:
    """Claim the step and schedule its broadcast; None when there is nothing to send (the step stays
    made) or LINE could not say the quota (the step is left for the next round)."""
    assert directive.deadline is not None
    try:
        with session.begin_nested():
            claim = DirectiveReminder(directive_id=directive.id, days_before=step)
            session.add(claim)
            session.flush()
            provinces = provinces_to_remind(session, directive.id)
            too_late = slot.astimezone(services.settings.tz).date() > directive.deadline
            if not provinces or too_late:
                log.info(
                    "directive %s: reminder %d days before, nobody to remind or too late", directive.id, step
                )
                return None
            label = texts.REMINDER_LABEL.format(
                days=step, title=directive.title, deadline=format_thai_date(directive.deadline, "short")
            )
            broadcast, _ = service.create(
                services,
                session,
                kind=BroadcastKind.REMINDER,
                directive_id=directive.id,
                text=label,
                target=service.Target(BroadcastTarget.PROVINCES, tuple(provinces)),
                at=slot,
                actor=ACTOR,
            )
            claim.broadcast_id = broadcast.id
            return broadcast.id
    except IntegrityError:  # another scheduler made this step at the same moment
        return None
    except LineApiError as error:
        log.warning("directive %s: reminder waits, LINE's quota unknown (%s)", directive.id, error.status)
        return None
    except service.BroadcastError as error:
        # Over the quota (or no group left): the step is made without a broadcast, and said so.
        log.warning("directive %s: reminder %d days before not sent: %s", directive.id, step, error)
        session.add(DirectiveReminder(directive_id=directive.id, days_before=step))
        audit.record(
            session, ACTOR, "reminder.skipped", "directive", directive.id, days=step, reason=str(error)
        )
        return None


def _run(services: Services) -> None:
    with renewed_lock(services.kv, LOCK, LOCK_SECONDS) as held:
        if held:
            plan(services)


def reminder_job() -> JobSpec:
    return JobSpec("reminders", _run, CHECK_SECONDS)
