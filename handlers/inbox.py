"""The inbox: webhook events stored before LINE gets its 200, then worked by a pool, each exactly once.

- `store` runs inside the webhook request: one INSERT per batch, duplicates (LINE's redeliveries,
  same `webhookEventId`) dropped by the unique key, standby and unknown event types logged and left out.
- Workers claim one event at a time with a conditional UPDATE (pending → processing), which is atomic
  on SQLite and PostgreSQL alike, so any number of threads and processes can work one inbox. A claim
  whose worker died is taken up again once its lease runs out; a restarted process finds its pending
  events in the table.
- A failing event is recorded as failed with the error's class, and the others go on.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.models import InboxEvent, InboxStatus, utcnow
from bot.scheduler import JobSpec
from bot.services import Services

log = logging.getLogger(__name__)

HANDLED_TYPES = frozenset({"message", "follow", "unfollow", "join", "leave", "memberJoined", "postback"})


@dataclass(frozen=True)
class Claimed:
    id: int
    webhook_event_id: str
    payload: dict[str, Any]
    received_at: dt.datetime


@dataclass(frozen=True)
class StoreResult:
    stored: int
    duplicates: int
    ignored: int


def _source(event: dict[str, Any]) -> tuple[str | None, str | None]:
    source = event.get("source") or {}
    kind = source.get("type")
    return kind, source.get("groupId") or source.get("roomId") or source.get("userId")


def _timestamp(event: dict[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(event.get("timestamp", 0)) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return utcnow()


class Inbox:
    def __init__(self, services: Services, process: Callable[[Claimed], Callable[[], InboxStatus]]) -> None:
        """`process` builds the answer to an event (CPU) and returns the function that sends it (I/O)."""
        self.services = services
        self.process = process
        self._cpu_slots = threading.BoundedSemaphore(services.settings.webhook.cpu_slots)
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    # --- the webhook side ------------------------------------------------------------------------

    def store(self, events: Iterable[Any]) -> StoreResult:
        rows: list[dict[str, Any]] = []
        ignored = 0
        for event in events:
            if not isinstance(event, dict) or not event.get("webhookEventId"):
                ignored += 1
                log.warning("webhook: event without webhookEventId ignored")
                continue
            event_type, event_id = str(event.get("type")), str(event["webhookEventId"])[:64]
            if event.get("mode") == "standby":
                ignored += 1
                log.info("webhook: standby %s event %s not answered", event_type, event_id)
                continue
            if event_type not in HANDLED_TYPES:
                ignored += 1
                log.info("webhook: %s event %s ignored (type not handled)", event_type[:32], event_id)
                continue
            source_type, source_id = _source(event)
            rows.append(
                {
                    "webhook_event_id": event_id,
                    "event_type": event_type,
                    "source_type": source_type,
                    "source_id": source_id,
                    "payload": event,
                    "event_timestamp": _timestamp(event),
                    "received_at": utcnow(),
                    "redelivery": bool((event.get("deliveryContext") or {}).get("isRedelivery")),
                    "status": InboxStatus.PENDING,
                    "attempts": 0,
                }
            )
        if not rows:
            return StoreResult(0, 0, ignored)
        # One batch can hold the same event twice; keep the first.
        unique = list({row["webhook_event_id"]: row for row in reversed(rows)}.values())[::-1]
        dialect = self.services.db.engine.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(InboxEvent).on_conflict_do_nothing(index_elements=["webhook_event_id"])
        # Core, not the ORM: this runs inside LINE's two seconds, on every webhook.
        with self.services.db.engine.begin() as connection:
            stored = len(connection.execute(statement.returning(InboxEvent.id), unique).all())
        duplicates = len(rows) - stored
        if duplicates:
            log.info("webhook: %d duplicate event(s) dropped", duplicates)
        if stored:
            self.wake(stored)
        return StoreResult(stored, duplicates, ignored)

    # --- the worker side -------------------------------------------------------------------------

    def _claimable(self, now: dt.datetime) -> Any:
        lease = dt.timedelta(seconds=self.services.settings.webhook.lease_seconds)
        return or_(
            InboxEvent.status == InboxStatus.PENDING,
            (InboxEvent.status == InboxStatus.PROCESSING) & (InboxEvent.claimed_at < now - lease),
        )

    def claim(self) -> Claimed | None:
        """Take the oldest claimable event, or None. Safe against every other worker and process."""
        if self.services.db.engine.dialect.name == "postgresql":
            return self._claim_skip_locked()
        for _ in range(5):  # another worker may win the race for the candidate: try the next one
            now = utcnow()
            with self.services.db.session() as session:
                candidate = session.execute(
                    select(
                        InboxEvent.id, InboxEvent.webhook_event_id, InboxEvent.payload, InboxEvent.received_at
                    )
                    .where(self._claimable(now))
                    .order_by(InboxEvent.event_timestamp, InboxEvent.id)
                    .limit(1)
                ).first()
                if candidate is None:
                    return None
                won = session.execute(  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
                    update(InboxEvent)
                    .where(InboxEvent.id == candidate.id, self._claimable(now))
                    .values(status=InboxStatus.PROCESSING, claimed_at=now, attempts=InboxEvent.attempts + 1)
                    .execution_options(synchronize_session=False)
                ).rowcount
            if won == 1:
                return Claimed(
                    candidate.id, candidate.webhook_event_id, candidate.payload, candidate.received_at
                )
        return None

    def _claim_skip_locked(self) -> Claimed | None:
        """PostgreSQL: one statement; concurrent workers skip rows another has locked, never collide."""
        now = utcnow()
        oldest = (
            select(InboxEvent.id)
            .where(self._claimable(now))
            .order_by(InboxEvent.event_timestamp, InboxEvent.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        with self.services.db.session() as session:
            row = session.execute(
                update(InboxEvent)
                .where(InboxEvent.id == oldest)
                .values(status=InboxStatus.PROCESSING, claimed_at=now, attempts=InboxEvent.attempts + 1)
                .returning(
                    InboxEvent.id, InboxEvent.webhook_event_id, InboxEvent.payload, InboxEvent.received_at
                )
                .execution_options(synchronize_session=False)
            ).first()
        return None if row is None else Claimed(row.id, row.webhook_event_id, row.payload, row.received_at)

    def finish(self, event_id: int, status: InboxStatus, error: str | None = None) -> None:
        with self.services.db.engine.begin() as connection:
            connection.execute(
                update(InboxEvent)
                .where(InboxEvent.id == event_id)
                .values(status=status, finished_at=utcnow(), last_error=error)
            )

    def work_one(self) -> bool:
        """Claim and handle one event; False when there was none.

        Claiming, building the answer and recording the outcome are CPU work, done holding one of a
        few slots; sending it is waiting for LINE, done without. So many workers can wait on a slow
        LINE while only a few compete with the request threads for the interpreter.
        """
        with self._cpu_slots:
            claimed = self.claim()
            if claimed is None:
                return False
            try:
                send = self.process(claimed)
            except Exception as error:  # one failing event never stops the others
                return self._failed(claimed, error)
        try:
            status = send()
        except Exception as error:
            with self._cpu_slots:
                return self._failed(claimed, error)
        with self._cpu_slots:
            self.finish(claimed.id, status)
        return True

    def _failed(self, claimed: Claimed, error: Exception) -> bool:
        log.exception("inbox: event %s failed", claimed.webhook_event_id, exc_info=error)
        self.finish(claimed.id, InboxStatus.FAILED, type(error).__name__)
        return True

    def drain(self) -> int:
        """Work every claimable event now, in this thread (tests and the CLI)."""
        handled = 0
        while self.work_one():
            handled += 1
        return handled

    # --- the pool ----------------------------------------------------------------------------------

    def wake(self, count: int | None = None) -> None:
        """Wake one idle worker per new event (all of them when count is None)."""
        with self._wake:
            if count is None:
                self._wake.notify_all()
            else:
                self._wake.notify(count)

    def _run(self) -> None:
        pause = 0.0
        while not self._stopping.is_set():
            try:
                worked = self.work_one()
                pause = 0.0
            except Exception as error:  # the database is down: back off and try again, never die
                pause = min(30.0, max(1.0, pause * 2))
                log.warning(
                    "inbox: cannot reach the database (%s); retrying in %.0f s", type(error).__name__, pause
                )
                self._stopping.wait(pause)
                continue
            if not worked:
                with self._wake:
                    # Also poll: other processes store events this one is not told about.
                    self._wake.wait(timeout=1.0)

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        """Start the worker threads once per process (idempotent)."""
        with self._start_lock:
            if self.running:
                return
            self._stopping.clear()
            self._threads = [
                threading.Thread(target=self._run, name=f"inbox-{n}", daemon=True)
                for n in range(self.services.settings.webhook.workers)
            ]
            for thread in self._threads:
                thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the events in hand, take no new ones."""
        self._stopping.set()
        self.wake()
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads = []


def purge(services: Services) -> int:
    """Forget handled events older than `webhook.retention_days`; returns how many."""
    cutoff = utcnow() - dt.timedelta(days=services.settings.webhook.retention_days)
    with services.db.session() as session:
        result = session.execute(
            delete(InboxEvent)
            .where(InboxEvent.status.in_([InboxStatus.DONE, InboxStatus.EXPIRED, InboxStatus.FAILED]))
            .where(InboxEvent.received_at < cutoff)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def _run_purge(services: Services) -> None:
    removed = purge(services)
    if removed:
        log.info("inbox: purged %d handled events", removed)


def purge_job() -> JobSpec:
    """Hourly: forget handled events past their retention (any process may run it)."""
    return JobSpec("inbox-purge", _run_purge, 3600)
