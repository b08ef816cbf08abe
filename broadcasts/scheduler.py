"""The scheduler's broadcast job: find what fell due, claim it, write its deliveries, send.

Any number of scheduler processes may run (one active, standbys): the job runs under a Redis lock
(an expiring key renewed while the job runs, released only by its owner) and every step claims its
rows with a conditional UPDATE, so even two jobs at once cannot send a broadcast twice. A broadcast
left `sending` by a scheduler that died is picked up again and finished within seconds: deliveries
already accepted by LINE are not pushed again (the sender resends unfinished ones with their retry
key; LINE answers 409).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.kv import renewed_lock
from bot.models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, utcnow
from bot.scheduler import JobSpec
from bot.services import Services
from broadcasts import service
from broadcasts.content import ContentGone, messages_for
from broadcasts.sender import LEASE_SECONDS, SendAborted, send_broadcast

log = logging.getLogger(__name__)

LOCK = "broadcasts:run"
# Held while a round runs, renewed every second: a scheduler killed mid-broadcast and restarted (or
# its standby) takes over within seconds, as its sender takes over the dead one's deliveries.
LOCK_SECONDS = LEASE_SECONDS


def due_broadcasts(services: Services) -> list[int]:
    """Claim what fell due (marking too-late ones missed); return the broadcasts to send now."""
    now = utcnow()
    grace = dt.timedelta(minutes=services.settings.broadcasts.misfire_grace_minutes)
    to_send: list[int] = []
    with services.db.session() as session:
        due = session.scalars(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.scheduled_at <= now)
            .order_by(Broadcast.scheduled_at)
        ).all()
        for broadcast in due:
            if postpone_in_quiet_hours(services, session, broadcast, now):
                continue
            if broadcast.scheduled_at < now - grace:
                if service.mark_missed(session, broadcast.id):
                    log.warning(
                        "broadcast %s missed: due %s, no scheduler ran in time",
                        broadcast.id,
                        broadcast.scheduled_at,
                    )
            elif service.claim_due(session, broadcast.id):
                written = service.write_deliveries(session, broadcast)
                log.info("broadcast %s: sending to %d groups", broadcast.id, written)
                to_send.append(broadcast.id)
        # Left `sending` by a scheduler that died: finish them.
        unfinished = session.scalars(
            select(Broadcast.id)
            .where(Broadcast.status == BroadcastStatus.SENDING)
            .where(
                Broadcast.deliveries.any(
                    Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
                )
                | ~Broadcast.deliveries.any()
            )
        ).all()
    return list(dict.fromkeys([*to_send, *unfinished]))


def postpone_in_quiet_hours(
    services: Services, session: Session, broadcast: Broadcast, now: dt.datetime
) -> bool:
    """A non-urgent broadcast falling due in quiet hours (its time was allowed when it was made, the
    hours changed since, or no scheduler ran in time) waits for their end; forced ones go."""
    settings, tz = services.settings.broadcasts, services.settings.tz
    if broadcast.urgent or broadcast.forced or not service.in_quiet_hours(now, settings, tz):
        return False
    until = service.quiet_hours_end(now, settings, tz)
    moved = service.postpone(session, broadcast.id, until)
    if moved:
        log.info("broadcast %s: due in quiet hours, postponed to %s", broadcast.id, until)
    return True


def send(services: Services, broadcast_id: int) -> None:
    with services.db.session() as session:
        broadcast = session.get_one(Broadcast, broadcast_id)
        service.write_deliveries(session, broadcast)  # nothing when already written
        try:
            messages = messages_for(session, broadcast)
        except ContentGone as error:
            log.warning("broadcast %s not sent: %s", broadcast_id, error)
            broadcast.status, broadcast.finished_at = BroadcastStatus.CANCELLED, utcnow()
            return
    try:
        report = send_broadcast(services, broadcast_id, messages.encoded, stop=services.stopping)
    except SendAborted as error:  # LINE refused our token: nothing more can go out until it is fixed
        log.error("broadcast %s stopped: %s", broadcast_id, error)
        return
    log.info("broadcast %s: %s", broadcast_id, report)


def run_due(services: Services) -> list[int]:
    """One scheduler round; returns the broadcasts it sent."""
    with renewed_lock(services.kv, LOCK, LOCK_SECONDS) as held:
        if not held:
            log.info("broadcasts: another scheduler holds the lock")
            return []
        sent = due_broadcasts(services)
        for broadcast_id in sent:
            if services.stopping.is_set():  # shutting down: the next scheduler resumes the rest
                break
            send(services, broadcast_id)
        return sent


def _run(services: Services) -> None:
    run_due(services)


def broadcast_job(check_seconds: float) -> JobSpec:
    return JobSpec("broadcasts", _run, check_seconds)
