"""The inbox: webhook events stored before LINE gets its 200, then worked by a pool, each exactly once.

- `store` runs inside the webhook request: one INSERT per batch, duplicates (LINE's redeliveries,
  same `webhookEventId`) dropped by the unique key, standby and unknown event types logged and left out.
- A process whose pool is running claims the events it stores in the same INSERT (stored as
  processing, under a lease) and hands them to its pool in memory: no second statement to claim them,
  no reading back of what it just wrote. The answer still comes from the table's row, after the commit.
- Events stored as pending (by a process without a pool, or released at a graceful stop) and events
  whose claim outlived its lease (the process died) are claimed from the table, in small batches with
  one atomic UPDATE (SKIP LOCKED on PostgreSQL), by every pool, at start and then once a second. So any
  number of threads and processes work one inbox, and a restarted process finds its events there.
- The lease (`webhook.lease_seconds`, 10 s) is short, well inside a reply token's minute: a pool's
  heartbeat thread renews every claim the pool holds (queued, being built, waiting for LINE, answered
  but not recorded) every quarter of it, in one UPDATE. A process that dies stops renewing, and
  another takes its events over while their reply tokens are still good.
- A chat's events (a group, a room, else a user: `source_id`) are worked one at a time, in the order
  they happened: a partial unique index lets one event per chat be processing; the INSERT claims an
  event only when its chat has nothing unfinished, and the claim takes a pending event only when it is
  next in its chat. So a join and the first registration, or two quick messages that reached two
  processes, never run at once.
- A few workers at a time (`webhook.cpu_slots`, 2) take batches and build answers; all of them send,
  which is mostly waiting for LINE. While LINE is slow and every worker waits for it, new events are
  left in the table for other processes' idle workers. Outcomes are recorded in batches while busy,
  at once when idle. On PostgreSQL the statements every event goes through (the INSERT, the outcome's
  UPDATE, the heartbeat's) are prepared psycopg statements, each its own transaction. An event
  answered but not yet recorded when the process dies is worked again (`Claimed.attempts` > 1): LINE
  refuses its spent reply token, which says it was answered; a push reuses its retry key. So nobody
  is answered twice, unless every process stays down until the token is too old to tell (then a
  push may follow the reply).
- A failing event is recorded as failed with the error's class, and the others go on.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final, cast

from psycopg.errors import UniqueViolation
from psycopg.types.json import Json
from sqlalchemy import (
    Boolean,
    Engine,
    Table,
    and_,
    bindparam,
    case,
    delete,
    literal,
    literal_column,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from bot import lease, logs
from bot.line import LineApiError
from bot.models import InboxEvent, InboxStatus, utcnow
from bot.scheduler import JobSpec
from bot.services import Services
from handlers.line_event import HANDLED_TYPES, LineEvent, MalformedEvent, parse_event

log = logging.getLogger(__name__)

TABLE_POLL_SECONDS = 1.0  # how often an idle pool looks in the table for events left by others
FLUSH_SECONDS = 0.5  # the longest a busy pool keeps an outcome before writing it
# LINE slower than this (smoothed; up at once on one slow answer): a pool whose workers are all
# waiting for LINE leaves new events in the table for another process's idle workers.
LINE_SLOW_SECONDS = 0.5


@dataclass(frozen=True)
class Claimed:
    id: int
    webhook_event_id: str
    event: LineEvent
    received_at: dt.datetime
    attempts: int = 1  # claims of this event so far, this one included: above 1, a holder before us died
    chat: str | None = None  # the group, room or user it came from (`InboxEvent.source_id`)


def _taken_lock() -> threading.Lock:
    """A one-shot signal cheaper than an Event: the waiter acquires it, the signaller releases it."""
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class _Write:
    """One webhook request's rows, waiting for the writer thread."""

    rows: list[dict[str, Any]]
    done: threading.Lock = field(default_factory=_taken_lock)  # released by the writer when done
    stored: dict[str, tuple[int, bool]] = field(default_factory=dict)  # webhookEventId → (id, claimed)
    error: Exception | None = None


@dataclass(frozen=True)
class StoreResult:
    stored: int
    duplicates: int
    ignored: int


class Inbox:
    def __init__(self, services: Services, process: Callable[[Claimed], Callable[[], InboxStatus]]) -> None:
        """`process` builds the answer to an event (CPU) and returns the function that sends it (I/O)."""
        self.services = services
        self.process = process
        self._cpu_slots = threading.BoundedSemaphore(services.settings.webhook.cpu_slots)
        # SimpleQueue: the hand-overs happen for every event, and it is the cheaper queue (C, no Condition).
        self._outbox: queue.SimpleQueue[tuple[Claimed, Callable[[], InboxStatus]]] = queue.SimpleQueue()
        self._outcomes: list[tuple[int, InboxStatus, str | None]] = []
        self._outcomes_lock = threading.Lock()
        self._outcomes_since = 0.0  # monotonic time of the oldest outcome not yet written
        self._flushing = threading.Lock()
        self._ready: queue.SimpleQueue[Claimed] = queue.SimpleQueue()  # claimed when stored, not yet prepared
        self._busy = 0  # events this pool holds (ready, being prepared, waiting or being sent)
        self._line_seconds = 0.0  # LINE's recent answer time, smoothed
        self._busy_lock = threading.Lock()
        self._next_table_claim = -math.inf  # monotonic time of the next claim from the table
        self._held: dict[int, str | None] = {}  # claimed, outcome not yet written: id → chat
        self._behind: Counter[str] = Counter()  # chats with events this process stored behind others
        self._heartbeat_stop = threading.Event()
        self._heartbeat_thread: threading.Thread | None = None
        self._writes: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    # --- the webhook side ------------------------------------------------------------------------

    def store(self, events: Iterable[Any]) -> StoreResult:
        """Store events durably; the new ones are claimed for this process's pool when it can take
        them, else left pending in the table for whichever pool is free first."""
        rows: list[dict[str, Any]] = []
        events_by_id: dict[str, LineEvent] = {}
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
            try:
                parsed = parse_event(event)
            except MalformedEvent as error:
                ignored += 1
                if event_type in HANDLED_TYPES:
                    log.warning("webhook: %s event %s ignored (%s)", event_type, event_id, error)
                else:
                    log.info("webhook: %s event %s ignored (type not handled)", event_type[:32], event_id)
                continue
            rows.append(
                {
                    "webhook_event_id": event_id,
                    "event_type": event_type,
                    "source_type": parsed.source.value if parsed.source else None,
                    "source_id": parsed.chat_id,
                    "payload": event,
                    "event_timestamp": parsed.timestamp or utcnow(),
                    "received_at": utcnow(),
                    "redelivery": parsed.redelivery,
                    "claim": False,
                }
            )
            events_by_id.setdefault(event_id, parsed)
        if not rows:
            return StoreResult(0, 0, ignored)
        # One batch can hold the same event twice; keep the first.
        unique = list({row["webhook_event_id"]: row for row in reversed(rows)}.values())[::-1]
        # Claimed as they are stored when this process's pool has a worker free for each; else left
        # pending, for whichever pool is free first (other processes look once a second).
        local = self._reserve(len(unique))
        if local:
            for row in unique:
                row["claim"] = True
        try:
            stored = self._commit(unique)
        except BaseException:
            self._done(len(unique) if local else 0)
            raise
        claimed: list[Claimed] = []
        behind: list[str] = []  # chats of events stored pending behind an unfinished one of theirs
        for row in unique:
            event_id = row["webhook_event_id"]
            if event_id not in stored:
                continue
            row_id, taken = stored[event_id]
            if taken:
                claimed.append(
                    Claimed(
                        row_id, event_id, events_by_id[event_id], row["received_at"], chat=row["source_id"]
                    )
                )
            elif local:
                behind.append(row["source_id"])
        if local:
            self._done(len(unique) - len(claimed))  # duplicates, and events whose chat is busy
            self._hold(claimed, behind)
        elif self.running:
            self._next_table_claim = -math.inf  # a worker of this pool that comes free takes them
        duplicates = len(rows) - len(stored)
        if duplicates:
            log.info("webhook: %d duplicate event(s) dropped", duplicates)
        for item in claimed:
            self._ready.put(item)
        if stored:
            self.wake(len(stored))
        return StoreResult(len(stored), duplicates, ignored)

    def _reserve(self, count: int) -> bool:
        """Book `count` events for this pool, if it runs and can take them: always while LINE is quick
        (the work is CPU, which every process is as short of), else only with a worker free for each
        (waiting for LINE is what other processes' idle workers can do meanwhile)."""
        if not self.running or self._stopping.is_set():
            return False
        with self._busy_lock:
            full = self._busy + count > self.services.settings.webhook.workers
            if full and self._line_seconds > LINE_SLOW_SECONDS:
                return False
            self._busy += count
            return True

    def _free_workers(self) -> int:
        with self._busy_lock:
            return self.services.settings.webhook.workers - self._busy

    def _book(self, count: int) -> None:
        """Count `count` claimed events as this pool's until they are recorded (`_done`)."""
        with self._busy_lock:
            self._busy += count

    def _done(self, count: int) -> None:
        if count:
            with self._busy_lock:
                self._busy = max(0, self._busy - count)

    def _hold(self, claimed: Iterable[Claimed], behind: Iterable[str | None] = ()) -> None:
        """Note claimed events as this pool's until their outcome is written (the heartbeat renews
        their lease meanwhile), and the chats with an event left waiting behind one of theirs."""
        with self._busy_lock:
            for item in claimed:
                self._held[item.id] = item.chat
            for chat in behind:
                if chat is not None:
                    self._behind[chat] += 1
            if len(self._behind) > MAX_BEHIND:  # their events went to other processes: forget them
                self._behind.clear()

    def _forget(self, ids: Iterable[int]) -> None:
        """Outcomes written: the events are no longer held. An event of this chat waiting behind one
        of them is claimed at once, not at the next look in the table."""
        turn = False
        with self._busy_lock:
            for event_id in ids:
                chat = self._held.pop(event_id, None)
                if chat is not None and self._behind[chat] > 0:
                    self._behind[chat] -= 1
                    if not self._behind[chat]:
                        del self._behind[chat]
                    turn = True
        if turn and self.running:
            self.wake()

    def renew(self) -> int:
        """The heartbeat: push back the lease of every event this pool holds (queued in memory, being
        built, waiting for LINE, or answered with the outcome not yet written), in one UPDATE."""
        with self._busy_lock:
            ids = sorted(self._held)
        if not ids:
            return 0
        now = utcnow()
        engine = self.services.db.engine
        if engine.dialect.name == "postgresql":
            with _pg_autocommit(engine) as dbapi_connection, dbapi_connection.cursor() as cursor:
                cursor.execute(_PG_RENEW, (now, ids), prepare=True)
            return len(ids)
        with engine.begin() as connection:
            for start in range(0, len(ids), _SQLITE_CHUNK):
                connection.execute(
                    _renew_statement(), {"ids": ids[start : start + _SQLITE_CHUNK], "now": now}
                )
        return len(ids)

    def _heartbeat(self) -> None:
        # A quarter of the lease: three beats can be late or fail (a database blip) before another
        # process may take our events.
        interval = self.services.settings.webhook.lease_seconds / 4
        while not self._heartbeat_stop.wait(interval):
            try:
                self.renew()
            except Exception as error:
                log.warning("inbox: leases not renewed (%s); retrying", type(error).__name__)

    def _ensure_heartbeat(self) -> None:
        with self._start_lock:
            if self._heartbeat_thread is None or not self._heartbeat_thread.is_alive():
                self._heartbeat_stop.clear()
                self._heartbeat_thread = threading.Thread(
                    target=self._heartbeat, name="inbox-heartbeat", daemon=True
                )
                self._heartbeat_thread.start()

    def _insert(self, rows: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
        """Insert rows, skipping events already stored; webhookEventId → (id, claimed) of those inserted.

        A row asking to be claimed is stored `processing` only when its chat has no unfinished event,
        in the table or before it in `rows`; else `pending`, claimed from the table in its turn. The
        unique index on a chat's processing event settles a race with another process storing an
        event of the same chat at the same moment: this statement fails, and is repeated with every
        row pending.

        This runs on every webhook, inside LINE's two seconds. On PostgreSQL it is one prepared
        statement through psycopg itself (SQLAlchemy's statement handling and psycopg's conversion
        of named parameters cost a large share of a web worker's CPU, docs/performance.md); the
        same columns and values as the model, checked by the tests on both databases. SQLite, the
        one-process default, goes through SQLAlchemy Core.
        """
        _one_claim_per_chat(rows)
        try:
            return self._insert_rows(rows)
        except (UniqueViolation, IntegrityError):
            if not any(row["claim"] for row in rows):
                raise
            log.info("inbox: a chat's event stored by another process at the same moment; claimed in turn")
            for row in rows:
                row["claim"] = False
            return self._insert_rows(rows)

    def _insert_rows(self, rows: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
        engine = self.services.db.engine
        if engine.dialect.name != "postgresql":
            with engine.begin() as connection:
                # Row by row: each sees the ones before it (SQLite has one writer; this is its default).
                stored = {}
                for row in rows:
                    found = connection.execute(_sqlite_insert_statement(), row).first()
                    if found is not None:
                        stored[found.webhook_event_id] = (found.id, bool(found.claimed))
                return stored
        if len(rows) <= _PG_CHUNK:  # one statement: its own transaction
            with _pg_autocommit(engine) as dbapi_connection:
                return _pg_insert(dbapi_connection, rows)
        with engine.begin() as connection:  # several: one transaction around them
            return _pg_insert(connection.connection.dbapi_connection, rows)

    def _commit(self, rows: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
        """Store one request's events durably before it answers; webhookEventId → (id, claimed) of the
        new ones.

        With `webhook.group_commit`, concurrent requests share one INSERT and one commit: a writer
        thread takes whatever is waiting, writes it in one transaction and releases every request in it.
        Each request still answers only after its own events are committed.
        """
        if not self.services.settings.webhook.group_commit:
            return self._insert(rows)
        waiting = _Write(rows)
        self._ensure_writer()
        self._writes.put(waiting)
        if not waiting.done.acquire(timeout=10):
            raise TimeoutError("inbox writer did not answer")
        if waiting.error is not None:
            raise waiting.error
        return waiting.stored

    def _ensure_writer(self) -> None:
        with self._start_lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_loop, name="inbox-writer", daemon=True)
                self._writer.start()

    def _write_loop(self) -> None:
        while True:
            first = self._writes.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < 500:
                try:
                    more = self._writes.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._writes.put(None)  # stop after this batch
                    break
                batch.append(more)
            owner: dict[str, _Write] = {}
            for write in batch:  # the same event in two requests at once (a redelivery race): first wins
                for row in write.rows:
                    owner.setdefault(row["webhook_event_id"], write)
            try:
                inserted = self._insert(
                    [row for w in batch for row in w.rows if owner[row["webhook_event_id"]] is w]
                )
            except Exception as error:  # every request in the batch answers 500; LINE redelivers
                for write in batch:
                    write.error = error
                    write.done.release()
                continue
            for write in batch:
                write.stored = {
                    event_id: inserted[event_id]
                    for row in write.rows
                    if (event_id := row["webhook_event_id"]) in inserted and owner[event_id] is write
                }
                write.done.release()

    # --- the worker side -------------------------------------------------------------------------

    def _claimable(self, now: dt.datetime) -> Any:
        """Pending events that are next in their chat (no event of the chat in progress, none pending
        before them), and events whose holder stopped renewing their lease (it died)."""
        lease_seconds = self.services.settings.webhook.lease_seconds
        other = aliased(InboxEvent, name="other")
        ahead = (
            select(other.id)
            .where(other.status.in_(_UNFINISHED))  # the partial index's own condition, word for word
            .where(other.source_id == InboxEvent.source_id)
            .where(
                or_(
                    other.status == InboxStatus.PROCESSING,
                    other.event_timestamp < InboxEvent.event_timestamp,
                    (other.event_timestamp == InboxEvent.event_timestamp) & (other.id < InboxEvent.id),
                )
            )
            .exists()
        )
        return or_(
            (InboxEvent.status == InboxStatus.PENDING) & ~ahead,
            lease.lease_ran_out(
                InboxEvent.status, InboxStatus.PROCESSING, InboxEvent.claimed_at, now, lease_seconds
            ),
        )

    def claim(self, limit: int = 1) -> list[Claimed]:
        """Take up to `limit` of the oldest claimable events, atomically, oldest first; at most one
        per chat, so that a chat's events are worked one at a time, in the order they happened.

        One statement of the lease engine (`bot.lease.claim`): on PostgreSQL concurrent claimers skip
        each other's rows; SQLite has one writer.
        """
        now = utcnow()
        try:
            with self.services.db.engine.begin() as connection:
                rows = lease.claim(
                    connection,
                    InboxEvent,
                    self._claimable(now),
                    order_by=[InboxEvent.event_timestamp, InboxEvent.id],
                    limit=limit,
                    values={
                        "status": InboxStatus.PROCESSING,
                        "claimed_at": now,
                        "attempts": InboxEvent.attempts + 1,
                    },
                    returning=[
                        InboxEvent.id,
                        InboxEvent.webhook_event_id,
                        InboxEvent.payload,
                        InboxEvent.received_at,
                        InboxEvent.event_timestamp,
                        InboxEvent.attempts,
                        InboxEvent.source_id,
                    ],
                )
        except IntegrityError:  # a chat's event claimed by another process meanwhile: next round
            log.info("inbox: claim met an event of a chat in progress elsewhere; trying again")
            return []
        ordered = sorted(rows, key=lambda row: (row.event_timestamp, row.id))
        claimed = [
            Claimed(
                row.id,
                row.webhook_event_id,
                parse_event(row.payload),
                row.received_at,
                row.attempts,
                row.source_id,
            )
            for row in ordered
        ]
        self._hold(claimed)
        return claimed

    def finish(self, outcomes: list[tuple[int, InboxStatus, str | None]]) -> None:
        """Record how events ended: one UPDATE per outcome kind, not one per event."""
        if not outcomes:
            return
        now = utcnow()
        groups: dict[tuple[InboxStatus, str | None], list[int]] = {}
        for event_id, status, error in outcomes:
            groups.setdefault((status, error), []).append(event_id)
        engine = self.services.db.engine
        if engine.dialect.name == "postgresql":
            # As `_insert`: psycopg, prepared; each UPDATE its own transaction (an outcome recorded
            # without the others is still true).
            with _pg_autocommit(engine) as dbapi_connection, dbapi_connection.cursor() as cursor:
                for (status, error), ids in groups.items():
                    cursor.execute(_PG_FINISH, (status.value, now, error, ids), prepare=True)
            return
        with engine.begin() as connection:
            for (status, error), ids in groups.items():
                connection.execute(
                    _finish_statement(), {"ids": ids, "status": status, "now": now, "error": error}
                )

    def _prepare(self, claimed: Claimed) -> Callable[[], InboxStatus] | None:
        """Build the answer (CPU); None when that failed (recorded)."""
        with logs.event_context(claimed.webhook_event_id):
            try:
                return self.process(claimed)
            except Exception as error:  # one failing event never stops the others
                self._record(claimed, InboxStatus.FAILED, error)
                return None

    def _send(self, claimed: Claimed, send: Callable[[], InboxStatus]) -> None:
        started = time.monotonic()
        with logs.event_context(claimed.webhook_event_id):
            try:
                status = send()
            except Exception as error:
                self._record(claimed, InboxStatus.FAILED, error)
            else:
                self._record(claimed, status)
        # How long LINE takes (up at once when it is slow, down gradually as it is quick again): while
        # it is slow, a pool with every worker waiting for it leaves new events to other processes.
        took = time.monotonic() - started
        self._line_seconds = max(took, self._line_seconds + 0.2 * (took - self._line_seconds))

    def _record(self, claimed: Claimed, status: InboxStatus, error: Exception | None = None) -> None:
        reason = None
        if isinstance(error, LineApiError):  # LINE said no: expected now and then, one line is enough
            reason = f"{type(error).__name__} {error.status or 'no answer'}"
            log.warning("inbox: event %s not answered: %s", claimed.webhook_event_id, reason)
        elif error is not None:
            reason = type(error).__name__
            log.error("inbox: event %s failed", claimed.webhook_event_id, exc_info=error)
        with self._outcomes_lock:
            if not self._outcomes:
                self._outcomes_since = time.monotonic()
            self._outcomes.append((claimed.id, status, reason))
        self._done(1)

    def _flush_due(self) -> bool:
        """Record outcomes in batches while busy, at once when idle: a batch is full, the pool has
        nothing left in hand, or the oldest outcome waits for more than FLUSH_SECONDS."""
        with self._outcomes_lock:
            if not self._outcomes:
                return False
            if len(self._outcomes) >= self.services.settings.webhook.batch_size:
                return True
            oldest = self._outcomes_since
        idle = self._ready.empty() and self._outbox.empty()
        return idle or time.monotonic() - oldest >= FLUSH_SECONDS

    def _flush_if_due(self) -> None:
        """Flush when due and no other worker is flushing: one connection for outcomes at a time."""
        if self._flush_due() and self._flushing.acquire(blocking=False):
            try:
                self.flush()
            finally:
                self._flushing.release()

    def flush(self) -> None:
        """Write the outcomes recorded so far."""
        with self._outcomes_lock:
            outcomes, self._outcomes = self._outcomes, []
        try:
            self.finish(outcomes)
        except Exception:
            with self._outcomes_lock:  # kept for the next flush; the heartbeat renews their lease
                self._outcomes[:0] = outcomes
            raise
        self._forget(event_id for event_id, _, _ in outcomes)

    def drain(self) -> int:
        """Work every claimable event now, in this thread (tests and the CLI)."""
        self._ensure_heartbeat()
        handled = 0
        while batch := self.claim(self.services.settings.webhook.batch_size):
            self._book(len(batch))
            for claimed in batch:
                send = self._prepare(claimed)
                if send is not None:
                    self._send(claimed, send)
            self.flush()
            handled += len(batch)
        return handled

    def _take_ready(self, limit: int) -> list[Claimed]:
        taken: list[Claimed] = []
        while len(taken) < limit:
            try:
                taken.append(self._ready.get_nowait())
            except queue.Empty:
                break
        return taken

    def _claim_round(self) -> bool:
        """As the one worker holding a CPU slot: record outcomes, take a batch (the events this process
        stored, else — at start, then once a second, and at once while a backlog lasts — events claimed
        from the table), build their answers and queue them for sending. Recording in batches keeps
        the database work per event small; building answers in few threads keeps them from starving
        the request threads."""
        self._flush_if_due()
        limit = self.services.settings.webhook.batch_size
        batch = self._take_ready(limit)
        free = min(limit, self._free_workers())
        if not batch and free > 0 and time.monotonic() >= self._next_table_claim:
            batch = self.claim(free)  # not booked while claiming: requests may book meanwhile
            self._book(len(batch))
            self._next_table_claim = time.monotonic() + (0.0 if len(batch) == free else TABLE_POLL_SECONDS)
        prepared = 0
        for claimed in batch:
            send = self._prepare(claimed)
            if send is not None:
                self._outbox.put((claimed, send))
                prepared += 1
        if prepared > 1:
            self.wake(prepared - 1)  # this worker sends one; idle ones send the rest
        return bool(batch)

    # --- the pool ----------------------------------------------------------------------------------

    def wake(self, count: int | None = None) -> None:
        """Wake one idle worker per new event (all of them, and a claim from the table, when None)."""
        with self._wake:
            if count is None:
                self._next_table_claim = -math.inf
                self._wake.notify_all()
            else:
                self._wake.notify(count)

    def _run(self) -> None:
        """A worker: send what is queued; when nothing is, take a turn at claiming; else wait."""
        pause = 0.0
        while not self._stopping.is_set():
            try:
                item = self._outbox.get_nowait()
            except queue.Empty:
                item = None
            if item is not None:
                self._send(*item)
                continue
            try:
                worked = False
                if self._cpu_slots.acquire(blocking=False):
                    try:
                        worked = self._claim_round()
                    finally:
                        self._cpu_slots.release()
                else:  # another worker holds the slot; outcomes need not wait for it
                    self._flush_if_due()
                pause = 0.0
            except Exception as error:  # the database is down: back off and try again, never die
                pause = min(30.0, max(1.0, pause * 2))
                log.warning(
                    "inbox: cannot reach the database (%s); retrying in %.0f s", type(error).__name__, pause
                )
                self._stopping.wait(pause)
                continue
            if not worked and self._outbox.empty():
                with self._wake:
                    # Also poll: other processes leave events this one is not told about.
                    self._wake.wait(timeout=TABLE_POLL_SECONDS)

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        """Start the worker threads once per process (idempotent)."""
        with self._start_lock:
            if self.running:
                return
            self._stopping.clear()
            self._next_table_claim = -math.inf  # what earlier processes left: at once
            self._heartbeat_stop.clear()
            self._threads = [
                threading.Thread(target=self._run, name=f"inbox-{n}", daemon=True)
                for n in range(self.services.settings.webhook.workers)
            ]
            for thread in self._threads:
                thread.start()
        self._ensure_heartbeat()

    def stop(self, timeout: float = 10.0) -> None:
        """Send the answers in hand, take no new events, record what happened."""
        self._stopping.set()
        self.wake()
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads = []
        if self._writer is not None:
            self._writes.put(None)
            self._writer.join(timeout=timeout)
            self._writer = None
        while not self._outbox.empty():  # built but not sent: send them now rather than lose the work
            self._send(*self._outbox.get_nowait())
        try:
            self.flush()
        except Exception:
            log.warning("inbox: outcomes not recorded at stop; the lease will release those events")
        self._release(self._take_ready(sys.maxsize))
        self._heartbeat_stop.set()  # only now: the answers sent above were held until recorded
        if self._heartbeat_thread is not None:
            self._heartbeat_thread.join(timeout=timeout)
            self._heartbeat_thread = None

    def _release(self, claimed: list[Claimed]) -> None:
        """Give back events claimed but not started: pending again, for the next process at once."""
        if not claimed:
            return
        self._done(len(claimed))
        try:
            with self.services.db.engine.begin() as connection:
                connection.execute(
                    update(InboxEvent)
                    .where(InboxEvent.id.in_([c.id for c in claimed]))
                    .where(InboxEvent.status == InboxStatus.PROCESSING)
                    # Not started: this claim does not count (a later one must not think we replied).
                    .values(status=InboxStatus.PENDING, claimed_at=None, attempts=InboxEvent.attempts - 1)
                )
            log.info("inbox: %d event(s) released at stop", len(claimed))
        except Exception:
            log.warning("inbox: %d event(s) not released at stop; their lease will", len(claimed))
        else:
            self._forget(c.id for c in claimed)


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


def _one_claim_per_chat(rows: list[dict[str, Any]]) -> None:
    """Of the rows of one chat, only the earliest may be claimed as it is stored (a statement does not
    see the rows it inserts itself); the others wait for their turn in the table."""
    seen: set[str] = set()
    for row in sorted(rows, key=lambda row: row["event_timestamp"]):
        chat = row["source_id"]
        if chat is not None:
            if chat in seen:
                row["claim"] = False
            seen.add(chat)


_UNFINISHED: Final[tuple[Any, ...]] = (literal_column("'pending'"), literal_column("'processing'"))
_SQLITE_CHUNK: Final = 500  # ids per statement (SQLite's limit on parameters)
MAX_BEHIND: Final = 10_000


@functools.cache
def _sqlite_insert_statement() -> Any:
    table = cast(Table, InboxEvent.__table__)
    other = table.alias("other")

    def param(column: str) -> Any:
        return bindparam(column, type_=table.c[column].type)

    busy = select(other.c.id).where(other.c.status.in_(_UNFINISHED), other.c.source_id == param("source_id"))
    claimed = and_(bindparam("claim", type_=Boolean()), ~busy.exists())
    status_type = table.c.status.type
    return (
        sqlite_insert(table)
        .values(
            {
                **{name: param(name) for name in _PG_COLUMNS if name != "claim"},
                "status": case(
                    (claimed, literal(InboxStatus.PROCESSING, status_type)),
                    else_=literal(InboxStatus.PENDING, status_type),
                ),
                "claimed_at": case((claimed, param("received_at")), else_=null()),
                "attempts": case((claimed, 1), else_=0),
            }
        )
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(
            table.c.webhook_event_id, table.c.id, (table.c.status == InboxStatus.PROCESSING).label("claimed")
        )
    )


@functools.cache
def _renew_statement() -> Any:
    return (
        update(InboxEvent)
        .where(InboxEvent.id.in_(bindparam("ids", expanding=True)))
        .where(InboxEvent.status == InboxStatus.PROCESSING)
        .values(claimed_at=bindparam("now", type_=InboxEvent.__table__.c.claimed_at.type))
    )


@functools.cache
def _finish_statement() -> Any:
    return (
        update(InboxEvent)
        .where(InboxEvent.id.in_(bindparam("ids", expanding=True)))
        .values(
            status=bindparam("status", type_=InboxEvent.__table__.c.status.type),
            finished_at=bindparam("now", type_=InboxEvent.__table__.c.finished_at.type),
            last_error=bindparam("error", type_=InboxEvent.__table__.c.last_error.type),
        )
    )


# --- PostgreSQL, through psycopg: the two statements every event goes through -------------------------

# The values of a stored event (`claim`: store it claimed, if its chat has no unfinished event).
_PG_COLUMNS: Final = (
    "webhook_event_id",
    "event_type",
    "source_type",
    "source_id",
    "payload",
    "event_timestamp",
    "received_at",
    "redelivery",
    "claim",
)
_PG_TYPES: Final = (
    "varchar",
    "varchar",
    "varchar",
    "varchar",
    "json",
    "timestamptz",
    "timestamptz",
    "boolean",
    "boolean",
)
_PG_CHUNK: Final = 100  # rows per INSERT statement
_PG_FINISH: Final = (
    "UPDATE inbox_events SET status = %s, finished_at = %s, last_error = %s WHERE id = ANY(%s)"
)
_PG_RENEW: Final = "UPDATE inbox_events SET claimed_at = %s WHERE id = ANY(%s) AND status = 'processing'"


@functools.cache
def _pg_insert_sql(count: int) -> str:
    # Only constants and placeholders go into the text; every value is a parameter. The first row
    # names the types (a VALUES list in a FROM clause has no target columns to take them from).
    first = "(" + ", ".join(f"%s::{name}" for name in _PG_TYPES) + ")"
    row = "(" + ", ".join(["%s"] * len(_PG_COLUMNS)) + ")"
    stored = ", ".join(_PG_COLUMNS[:-1])
    return (
        f"INSERT INTO inbox_events ({stored}, status, claimed_at, attempts) "  # noqa: S608
        f"SELECT {stored}, CASE WHEN claimed THEN 'processing' ELSE 'pending' END, "
        "CASE WHEN claimed THEN received_at END, CASE WHEN claimed THEN 1 ELSE 0 END "
        f"FROM (SELECT v.*, v.claim AND NOT EXISTS (SELECT 1 FROM inbox_events AS other "
        "WHERE other.status IN ('pending', 'processing') AND other.source_id = v.source_id) AS claimed "
        f"FROM (VALUES {', '.join([first] + [row] * (count - 1))}) AS v ({', '.join(_PG_COLUMNS)})) AS new "
        "ON CONFLICT (webhook_event_id) DO NOTHING RETURNING webhook_event_id, id, status = 'processing'"
    )


@contextmanager
def _pg_autocommit(engine: Engine) -> Iterator[Any]:
    """A pooled connection's psycopg connection in autocommit mode, for single statements: each is its
    own transaction, without the BEGIN and COMMIT round trips around it."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        dbapi_connection: Any = connection.connection.dbapi_connection
        try:
            yield dbapi_connection
        except Exception as error:
            if dbapi_connection.broken or dbapi_connection.closed:
                # The server went away (a restart): what SQLAlchemy does when its own statements meet
                # a lost connection. This one is dropped, and so are the pool's others, all as dead.
                connection.invalidate(error)
                engine.dispose()
            raise


def _pg_insert(dbapi_connection: Any, rows: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
    inserted: dict[str, tuple[int, bool]] = {}
    with dbapi_connection.cursor() as cursor:
        for start in range(0, len(rows), _PG_CHUNK):  # a few statement shapes, each prepared once
            chunk = rows[start : start + _PG_CHUNK]
            params: list[Any] = []
            for row in chunk:
                for column in _PG_COLUMNS:
                    value = row[column]
                    if column == "payload":
                        value = Json(value)
                    params.append(value)
            cursor.execute(_pg_insert_sql(len(chunk)), params, prepare=True)
            inserted.update((event_id, (row_id, claimed)) for event_id, row_id, claimed in cursor.fetchall())
    return inserted
