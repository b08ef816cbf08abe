"""Broadcasts: content + target + time, the quota guard, send slots, deliveries, acknowledgements.

The database is the source of truth. A broadcast is created `scheduled`; when it falls due the scheduler
claims it (`scheduled` → `sending`, one conditional UPDATE, so a second scheduler cannot), its delivery
rows are written — one per target group, each with the retry key every attempt will use — and the
sender works them. Targets are resolved when sending starts, so a group registered in between is
included and one that left is not.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, true, update
from sqlalchemy.orm import Session

from bot import audit, cards, content
from bot.line import LineApiError
from bot.line.protocol import refused_for_sure
from bot.models import (
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
    new_retry_key,
    utcnow,
)
from bot.provinces import ProvinceFinder
from bot.services import Services
from bot.settings import BroadcastSettings
from bot.thai import format_thai_date
from broadcasts import reports, texts

log = logging.getLogger(__name__)

MEMBER_COUNT_MAX_AGE = dt.timedelta(days=1)
MEMBER_COUNT_LOOKUPS = 200  # more unknown groups than this: estimated from the known ones


class BroadcastError(ValueError):
    """A broadcast that cannot be made as asked; the message is one Thai line."""


class QuietHours(BroadcastError):
    """A non-urgent broadcast asked for inside quiet hours; `next_allowed` is when it may go (UTC)."""

    def __init__(self, next_allowed: dt.datetime, settings: BroadcastSettings, tz: dt.tzinfo) -> None:
        super().__init__(
            texts.QUIET_HOURS.format(quiet=settings.quiet_hours, next=thai_time(next_allowed, tz))
        )
        self.next_allowed = next_allowed


class QuotaExceeded(BroadcastError):
    def __init__(self, cost: int, left: int) -> None:
        super().__init__(texts.QUOTA_EXCEEDED.format(cost=cost, left=left))
        self.cost = cost
        self.left = left


@dataclass(frozen=True)
class Target:
    kind: BroadcastTarget
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Estimate:
    groups: int
    cost: int  # messages LINE will bill: one per member of each target group
    quota_left: int | None  # None: no monthly limit

    @property
    def exceeds(self) -> bool:
        return self.quota_left is not None and self.cost > self.quota_left


# --- targets ---------------------------------------------------------------------------------------


def parse_target(session: Session, spec: dict[str, Any]) -> Target:
    """`{"all": true}`, `{"regions": [...]}` (codes or Thai names; geographic first, then the
    ministry's four), `{"provinces": [...]}` (Thai or English names), `{"groups": [LINE group ids]}`."""
    if spec.get("all") is True:
        return Target(BroadcastTarget.ALL)
    if regions := spec.get("regions"):
        found = []
        for name in regions:
            region = session.scalars(
                select(Region)
                .where((Region.code == str(name).lower()) | (Region.name_th == str(name)))
                .order_by(Region.scheme)  # "geo6" before "moi4"
            ).first()
            if region is None:
                raise BroadcastError(texts.UNKNOWN_REGION.format(name=name))
            found.append(region.id)
        return Target(BroadcastTarget.REGIONS, tuple(found))
    if provinces := spec.get("provinces"):
        finder = ProvinceFinder.load(session)
        ids = []
        for name in provinces:
            province = finder.find(str(name))
            if province is None:
                raise BroadcastError(texts.UNKNOWN_PROVINCE.format(name=name))
            ids.append(province.id)
        return Target(BroadcastTarget.PROVINCES, tuple(ids))
    if groups := spec.get("groups"):
        rows = session.scalars(
            select(LineGroup).where(LineGroup.line_group_id.in_([str(g) for g in groups]))
        ).all()
        if len(rows) != len(set(groups)):
            raise BroadcastError(texts.NO_TARGET)
        return Target(BroadcastTarget.GROUPS, tuple(g.id for g in rows))
    raise BroadcastError(texts.NO_TARGET)


def check_within(target: Target, provinces: Collection[int] | None) -> None:
    """A provincial office sends to its own provinces (chosen by id) and nowhere else: not to all,
    a region or a list of groups, which reach past them. None: the department, any target."""
    if provinces is None:
        return
    if (
        target.kind is not BroadcastTarget.PROVINCES
        or not target.ids
        or not set(target.ids) <= set(provinces)
    ):
        raise BroadcastError(texts.OUTSIDE_PROVINCES)


def target_groups(session: Session, target: Target) -> Sequence[LineGroup]:
    """The active groups a target reaches now."""
    query = select(LineGroup).where(LineGroup.status == GroupStatus.ACTIVE).order_by(LineGroup.id)
    if target.kind is BroadcastTarget.REGIONS:
        query = query.join(Province, LineGroup.province_id == Province.id).where(
            Province.region_id.in_(target.ids) | Province.moi_region_id.in_(target.ids)
        )
    elif target.kind is BroadcastTarget.PROVINCES:
        query = query.where(LineGroup.province_id.in_(target.ids))
    elif target.kind is BroadcastTarget.GROUPS:
        query = query.where(LineGroup.id.in_(target.ids))
    return session.scalars(query).all()


# --- cost and quota ----------------------------------------------------------------------------------


def refresh_member_counts(services: Services, groups: Sequence[LineGroup]) -> None:
    """Ask LINE for member counts that are unknown or a day old (a few hundred at most per call)."""
    stale = utcnow() - MEMBER_COUNT_MAX_AGE
    todo = [g for g in groups if g.member_count is None or (g.member_count_at or stale) <= stale]
    for group in todo[:MEMBER_COUNT_LOOKUPS]:
        try:
            count = services.line.group_member_count(group.line_group_id)
        except LineApiError as error:
            log.info("member count of a group not available (%s)", error.status)
            continue
        if count is not None:
            group.member_count, group.member_count_at = count, utcnow()


def estimate_cost(groups: Sequence[LineGroup]) -> int:
    """LINE bills a group push once per member; unknown counts are taken as the average known one."""
    known = [g.member_count for g in groups if g.member_count is not None]
    average = round(sum(known) / len(known)) if known else 20
    return sum(g.member_count if g.member_count is not None else average for g in groups)


def quota_left(services: Services) -> int | None:
    """Messages left this month, asked of LINE now (not the dashboard's cached reading)."""
    return services.line.quota().left


def estimate(
    services: Services, session: Session, target: Target, *, refresh: bool = True, check_quota: bool = True
) -> Estimate:
    groups = target_groups(session, target)
    if refresh:
        refresh_member_counts(services, groups)
    left = quota_left(services) if check_quota else None
    return Estimate(groups=len(groups), cost=estimate_cost(groups), quota_left=left)


# --- time ---------------------------------------------------------------------------------------------


def _clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def in_quiet_hours(moment: dt.datetime, settings: BroadcastSettings, tz: dt.tzinfo) -> bool:
    start, end = (_clock(part) for part in settings.quiet_hours.split("-"))
    local = moment.astimezone(tz).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # across midnight, e.g. 20:00-07:00


def quiet_hours_end(moment: dt.datetime, settings: BroadcastSettings, tz: dt.tzinfo) -> dt.datetime:
    """The first moment after `moment` outside quiet hours (UTC); `moment` itself when it is outside."""
    if not in_quiet_hours(moment, settings, tz):
        return moment
    local = moment.astimezone(tz)
    end = dt.datetime.combine(local.date(), _clock(settings.quiet_hours.split("-")[1]), tzinfo=tz)
    if end <= local:
        end += dt.timedelta(days=1)
    return end.astimezone(dt.UTC)


def thai_time(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """ "22 ม.ค. 65 07:00 น." in the deployment's time zone."""
    local = moment.astimezone(tz)
    return f"{format_thai_date(local.date(), 'short')} {local:%H:%M} น."


def check_quiet_hours(services: Services, at: dt.datetime | None, *, urgent: bool, force: bool) -> bool:
    """Raise QuietHours for a non-urgent broadcast asked for inside quiet hours (unless forced);
    True when it goes in quiet hours all the same (urgent or forced: the audit says so)."""
    settings, tz = services.settings.broadcasts, services.settings.tz
    moment = at or utcnow()
    if not in_quiet_hours(moment, settings, tz):
        return False
    if not urgent and not force:
        raise QuietHours(quiet_hours_end(moment, settings, tz), settings, tz)
    return True


def next_send_slot(now: dt.datetime, settings: BroadcastSettings, tz: dt.tzinfo) -> dt.datetime:
    """The next `send_time` (local) after now that is outside quiet hours."""
    local_now = now.astimezone(tz)
    slot = dt.datetime.combine(local_now.date(), _clock(settings.send_time), tzinfo=tz)
    if slot <= local_now:
        slot += dt.timedelta(days=1)
    for _ in range(2):
        if not in_quiet_hours(slot, settings, tz):
            break
        quiet_end = _clock(settings.quiet_hours.split("-")[1])
        slot = dt.datetime.combine(slot.date(), quiet_end, tzinfo=tz)
        if slot <= local_now:
            slot += dt.timedelta(days=1)
    return slot.astimezone(dt.UTC)


# --- creating, cancelling -----------------------------------------------------------------------------


def create(
    services: Services,
    session: Session,
    *,
    kind: BroadcastKind,
    target: Target,
    actor: str,
    meeting_id: int | None = None,
    directive_id: int | None = None,
    text: str | None = None,
    at: dt.datetime | None = None,
    urgent: bool = False,
    force: bool = False,
    check_quota: bool = True,
    provinces: Collection[int] | None = None,
) -> tuple[Broadcast, Estimate]:
    """Schedule a broadcast; refuses one the quota cannot pay for, or a non-urgent one inside quiet
    hours (QuietHours, with the next allowed time), unless `force`.

    `check_quota=False` skips asking LINE for the quota (when LINE cannot be reached).
    `provinces`: a provincial office's; its broadcast may target those provinces only."""
    check_within(target, provinces)
    if kind is BroadcastKind.MEETING_SUMMARY and (
        meeting_id is None or content.meeting(session, meeting_id) is None
    ):
        raise BroadcastError(texts.MEETING_GONE)
    if kind in (BroadcastKind.DIRECTIVE, BroadcastKind.REMINDER) and (
        directive_id is None or content.directive(session, directive_id) is None
    ):
        raise BroadcastError(texts.DIRECTIVE_GONE)
    if kind is BroadcastKind.TEXT and not (text or "").strip():
        raise BroadcastError("ข้อความแจ้งเตือนว่างเปล่า")
    in_quiet = check_quiet_hours(services, at, urgent=urgent, force=force)
    cost = estimate(services, session, target, check_quota=check_quota)
    if cost.groups == 0:
        raise BroadcastError(texts.NO_TARGET)
    if cost.exceeds and not force:
        raise QuotaExceeded(cost.cost, cost.quota_left or 0)
    broadcast = Broadcast(
        kind=kind,
        meeting_id=meeting_id,
        directive_id=directive_id,
        text=text,
        target_kind=target.kind,
        target_ids=list(target.ids),
        scheduled_at=at or utcnow(),
        urgent=urgent,
        # An administrator's override of a rule: the quota, or quiet hours for a non-urgent broadcast.
        forced=force and (cost.exceeds or (in_quiet and not urgent)),
        estimated_cost=cost.cost,
        status=BroadcastStatus.SCHEDULED,
    )
    session.add(broadcast)
    session.flush()
    audit.record(
        session,
        actor,
        "broadcast.create",
        "broadcast",
        broadcast.id,
        kind=kind.value,
        target=target.kind.value,
        groups=cost.groups,
        cost=cost.cost,
        forced=broadcast.forced,
        **({"quota_exceeded": True} if cost.exceeds else {}),
        **({"quiet_hours": True} if in_quiet else {}),
    )
    return broadcast, cost


def schedule_meeting_summary(
    services: Services, session: Session, meeting: Meeting, *, actor: str, urgent: bool = False
) -> Broadcast | None:
    """On publication: the summary to every active group, now if urgent, else at the next send slot."""
    settings, tz = services.settings.broadcasts, services.settings.tz
    at = None if urgent else next_send_slot(utcnow(), settings, tz)
    summary = functools.partial(
        create,
        services,
        session,
        kind=BroadcastKind.MEETING_SUMMARY,
        meeting_id=meeting.id,
        target=Target(BroadcastTarget.ALL),
        at=at,
        urgent=urgent,
        actor=actor,
    )
    try:
        try:
            broadcast, _ = summary()
        except LineApiError as error:
            # The summary of a published meeting is the department's own news: LINE being unreachable
            # for the quota check must not lose it. It is scheduled, and the sender meets LINE later.
            log.warning(
                "meeting %s: quota unknown (%s); summary scheduled without the quota guard",
                meeting.id,
                error.status,
            )
            broadcast, _ = summary(check_quota=False)
    except BroadcastError as error:
        log.warning("meeting %s published; its summary was not scheduled: %s", meeting.id, error)
        return None
    return broadcast


def cancel(session: Session, broadcast_id: int, actor: str, **why: Any) -> Broadcast:
    won = _leave_scheduled(session, broadcast_id, BroadcastStatus.CANCELLED, finished_at=utcnow())
    broadcast = session.get_one(Broadcast, broadcast_id)
    session.refresh(broadcast)
    if not won:
        status = texts.STATUS_NAMES.get(broadcast.status.value, broadcast.status.value)
        raise BroadcastError(texts.NOT_CANCELLABLE.format(status=status))
    audit.record(session, actor, "broadcast.cancel", "broadcast", broadcast_id, **why)
    return broadcast


def cancel_for_meeting(session: Session, meeting_id: int, actor: str) -> list[int]:
    """An unpublished meeting: cancel what was scheduled of it (its summary, its directives) and not
    yet started; returns the broadcasts cancelled."""
    of_meeting = select(Directive.id).where(Directive.meeting_id == meeting_id)
    scheduled = session.scalars(
        select(Broadcast.id).where(
            Broadcast.status == BroadcastStatus.SCHEDULED,
            (Broadcast.meeting_id == meeting_id) | Broadcast.directive_id.in_(of_meeting),
        )
    ).all()
    cancelled = []
    for broadcast_id in scheduled:
        try:
            cancel(session, broadcast_id, actor, reason="meeting_unpublished", meeting_id=meeting_id)
        except BroadcastError:  # started meanwhile: the sender finds the meeting unpublished
            continue
        cancelled.append(broadcast_id)
    return cancelled


def schedule_correction(
    services: Services, session: Session, meeting: Meeting, changes: Sequence[str], *, actor: str
) -> Broadcast | None:
    """A short notice naming what changed, to the active groups that received the meeting's summary:
    now, or when quiet hours end. None when no group received it."""
    received = session.scalars(
        select(Delivery.group_id)
        .join(Broadcast, Delivery.broadcast_id == Broadcast.id)
        .where(
            Broadcast.meeting_id == meeting.id,
            Broadcast.kind == BroadcastKind.MEETING_SUMMARY,
            Delivery.status == DeliveryStatus.DELIVERED,
        )
        .distinct()
    ).all()
    if not received:
        return None
    settings, tz = services.settings.broadcasts, services.settings.tz
    at = quiet_hours_end(utcnow(), settings, tz)
    notice = texts.CORRECTION_NOTICE.format(meeting=cards.meeting_label(meeting), changes=", ".join(changes))
    try:
        broadcast, _ = create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text=notice,
            target=Target(BroadcastTarget.GROUPS, tuple(sorted(received))),
            at=at,
            actor=actor,
            check_quota=services.settings.line.configured,
        )
    except (BroadcastError, LineApiError) as error:
        log.warning("meeting %s corrected; its notice was not scheduled: %s", meeting.id, error)
        return None
    return broadcast


# --- retrying ----------------------------------------------------------------------------------------

# LINE answers 409 to a repeated retry key for 24 hours after it accepted the request; a retried push
# must go out well inside that window to be safe (the scheduler looks every few seconds; the margin
# covers a scheduler that is down for a while).
RETRY_KEY_LIFETIME = dt.timedelta(hours=24)
RETRY_KEY_MARGIN = dt.timedelta(hours=4)


@dataclass(frozen=True)
class Retry:
    deliveries: int  # back to pending
    skipped: int  # failed, but not sent again (the group left, or the retry key may have expired)


def failure_reason(last_error: str | None) -> str:
    """Why a delivery failed, in Thai for the administrator; LINE's own words stay in `last_error`
    (the CSV and the log) and are never shown raw on the page."""
    status, _, message = (last_error or "").partition(" ")
    if not status.isdigit():
        return texts.FAILURE_NO_ANSWER
    code = int(status)
    if code == 400 and "'to'" in message:
        return texts.FAILURE_NOT_IN_GROUP
    if code in (401, 403):
        return texts.FAILURE_REFUSED.format(status=code)
    if code == 429:
        return texts.FAILURE_RATE
    if code >= 500:
        return texts.FAILURE_LINE_DOWN.format(status=code)
    return texts.FAILURE_OTHER.format(status=code)


def retry_failed(session: Session, broadcast_id: int, actor: str) -> Retry:
    """Send a finished broadcast's failed deliveries again, through the scheduler and the sender.

    The broadcast goes back to `sending` (one conditional UPDATE from `partially_failed`: two clicks
    cannot both win) and its retryable failed deliveries back to `pending`, so the scheduler's next
    round picks it up as an unfinished broadcast and the sender claims only those rows.

    Each delivery KEEPS its retry key. A failed delivery may have been accepted by LINE (a 500 after
    accepting, a timeout): pushed again with the same key, LINE answers 409 and it counts as delivered,
    so the group does not get it twice; a new key would make it a new push. A delivery LINE certainly
    refused (4xx) left no trace at LINE (only accepted keys are remembered), so its key is as good as
    new, and one key per delivery stays the invariant the sender relies on.

    The key protects only while LINE remembers it (24 hours). Deliveries that LINE may have accepted
    and whose first push (at most `created_at`) is nearly that old are skipped; so are deliveries to
    groups that are no longer active (left, or switched off). Attempts restart from zero: a retry gets
    the sender's full budget of attempts, not the one left over from the failed round.
    """
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status is not BroadcastStatus.PARTIALLY_FAILED:
        status = broadcast.status.value if broadcast is not None else "-"
        raise BroadcastError(texts.NOT_RETRYABLE.format(status=status))
    now = utcnow()
    key_still_known = now - (RETRY_KEY_LIFETIME - RETRY_KEY_MARGIN)
    failed = session.execute(
        select(Delivery.id, Delivery.last_error, Delivery.created_at, LineGroup.status)
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .where(Delivery.broadcast_id == broadcast_id, Delivery.status == DeliveryStatus.FAILED)
    ).all()
    retry = [
        delivery_id
        for delivery_id, last_error, created_at, group_status in failed
        if group_status is GroupStatus.ACTIVE
        and (created_at > key_still_known or refused_for_sure(last_error))
    ]
    if not retry:
        raise BroadcastError(texts.NOTHING_TO_RETRY)
    won: int = session.execute(  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.PARTIALLY_FAILED)
        .values(status=BroadcastStatus.SENDING, finished_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        session.refresh(broadcast)
        raise BroadcastError(texts.NOT_RETRYABLE.format(status=broadcast.status.value))
    for start in range(0, len(retry), 1000):
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(retry[start : start + 1000]), Delivery.status == DeliveryStatus.FAILED)
            .values(status=DeliveryStatus.PENDING, attempts=0, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    session.refresh(broadcast)
    result = Retry(deliveries=len(retry), skipped=len(failed) - len(retry))
    audit.record(
        session,
        actor,
        "broadcast.retry",
        "broadcast",
        broadcast_id,
        deliveries=result.deliveries,
        skipped=result.skipped,
    )
    return result


# --- sending --------------------------------------------------------------------------------------------


def _leave_scheduled(session: Session, broadcast_id: int, status: BroadcastStatus, **values: Any) -> bool:
    """scheduled → `status`, by exactly one caller (a conditional UPDATE): True for the one that won."""
    won: int = session.execute(  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return won == 1


def postpone(session: Session, broadcast_id: int, until: dt.datetime) -> bool:
    """Move a scheduled broadcast to `until` (quiet hours); audited as the scheduler's doing."""
    won: int = session.execute(  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(scheduled_at=until)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won == 1:
        audit.record(
            session, "scheduler", "broadcast.postpone", "broadcast", broadcast_id, until=until.isoformat()
        )
    return won == 1


def claim_due(session: Session, broadcast_id: int) -> bool:
    return _leave_scheduled(session, broadcast_id, BroadcastStatus.SENDING, started_at=utcnow())


def mark_missed(session: Session, broadcast_id: int) -> bool:
    return _leave_scheduled(session, broadcast_id, BroadcastStatus.MISSED, finished_at=utcnow())


def write_deliveries(session: Session, broadcast: Broadcast) -> int:
    """One delivery row per target group, each with its retry key, before anything is sent."""
    if session.scalar(
        select(func.count()).select_from(Delivery).where(Delivery.broadcast_id == broadcast.id)
    ):
        return 0  # written already (a scheduler that died after this step)
    groups = target_groups(session, Target(broadcast.target_kind, tuple(broadcast.target_ids)))
    if broadcast.kind is BroadcastKind.REMINDER and broadcast.directive_id is not None:
        # A province that reported done since the reminder was made is not reminded.
        done = reports.done_provinces(session, broadcast.directive_id)
        groups = [g for g in groups if g.province_id not in done]
    now = utcnow()
    rows = [
        {
            "broadcast_id": broadcast.id,
            "group_id": group.id,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "retry_key": new_retry_key(),
            "created_at": now,
            "updated_at": now,
        }
        for group in groups
    ]
    if rows:
        session.execute(insert(Delivery), rows)
    return len(rows)


# --- acknowledgements and status ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Acknowledgement:
    at: dt.datetime  # when the group first pressed "รับทราบ"
    first: bool  # this press was that first one


def acknowledge(
    session: Session, broadcast_id: int, line_group_id: str, user_id: str | None
) -> Acknowledgement | None:
    """Record the first "รับทราบ" of a group; None when the broadcast never went to this group."""
    delivery = session.scalars(
        select(Delivery)
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .where(Delivery.broadcast_id == broadcast_id, LineGroup.line_group_id == line_group_id)
    ).first()
    if delivery is None:
        return None
    first = False
    if delivery.acknowledged_at is None:
        won = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery.id, Delivery.acknowledged_at.is_(None))
            .values(acknowledged_at=utcnow(), acknowledged_by=user_id)
            .execution_options(synchronize_session=False)
        )
        first = bool(won.rowcount)  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        session.refresh(delivery)
    assert delivery.acknowledged_at is not None
    return Acknowledgement(delivery.acknowledged_at, first)


def report(
    session: Session, broadcast: Broadcast, provinces: Collection[int] | None = None
) -> dict[str, Any]:
    """Delivery and acknowledgement counts, in total and per province: of the groups of `provinces`
    only when given (a provincial office sees its own)."""
    within = LineGroup.province_id.in_(sorted(provinces)) if provinces is not None else true()
    rows = session.execute(
        select(Province.name_th, Delivery.status, func.count(), func.count(Delivery.acknowledged_at))
        .select_from(Delivery)
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .outerjoin(Province, LineGroup.province_id == Province.id)
        .where(Delivery.broadcast_id == broadcast.id, within)
        .group_by(Province.name_th, Delivery.status)
    ).all()
    per_province: dict[str, dict[str, int]] = {}
    totals = {"total": 0, "sent": 0, "failed": 0, "pending": 0, "acknowledged": 0}
    for province, status, count, acknowledged in rows:
        row = per_province.setdefault(
            province or "-", {"sent": 0, "failed": 0, "pending": 0, "acknowledged": 0}
        )
        key = {"delivered": "sent", "failed": "failed"}.get(status.value, "pending")
        row[key] += count
        row["acknowledged"] += acknowledged
        totals[key] += count
        totals["total"] += count
        totals["acknowledged"] += acknowledged
    return {
        **totals,
        "provinces": [{"province": name, **counts} for name, counts in sorted(per_province.items())],
    }
