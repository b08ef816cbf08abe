"""The broadcast sender: one push per group, thousands of groups, at LINE's rate limit, exactly once.

`send_broadcast(services, broadcast_id, messages)` works the broadcast's deliveries that are not final
and returns a `SendReport`. It runs an asyncio loop with the LINE client's async face
(`bot.line.fanout.AsyncPushClient`, `broadcasts.concurrency` pushes in flight); the database work runs
in a worker thread, one statement at a time, in batches.

Exactly once, with several senders and crashes:

- **Claims.** Deliveries are claimed in batches by the lease engine (`bot.lease.claim`: one
  `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING`), which marks them
  `sending` (attempts + 1) *before* their requests go out; on PostgreSQL concurrent senders skip
  each other's rows, SQLite runs one writer at a time. A claim is held by its sender, which
  refreshes `updated_at` while it works (`lease_seconds / 5`); a `sending` delivery whose
  `updated_at` is older than the lease was left by a crashed sender and is claimed again. Only
  `pending` rows and such stale ones are claimable, so two live senders never work one delivery.
- **Retry key.** Every request for a delivery carries its stored retry key, so a repeat — a retry
  after a 5xx or a timeout, a resend after a crash — is the same request, and LINE's "accepted
  before" counts as delivered (`already_accepted`).

What each answer means is `bot.line.protocol`'s: delivered (with LINE's request id); worth repeating
(`LineApiError.retryable`) → repeated with its backoff up to `broadcasts.max_attempts` (attempts of
earlier claims count), and on a rate limit the shared rate is lowered for a moment
(`PushRateLimiter.slow_down`); the bot not in the group → `failed` and the `LineGroup` marked `left`;
the token refused → nothing more is sent (`SendAborted`); anything else → `failed`, not repeated.
`last_error` holds `LineApiError.reason` (the status and LINE's `message`) — never message text or
tokens.

A stop request (`stop`, a `threading.Event`) lets in-flight requests finish and be recorded; the other
claimed deliveries go back to `pending`. When no delivery is pending or sending, the broadcast gets
`finished_at` and `done` (all delivered) or `partially_failed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

from sqlalchemy import Connection, Table, bindparam, func, or_, select, update
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from bot import lease
from bot.db import Database
from bot.line import protocol
from bot.line.fanout import AsyncPushClient
from bot.line.protocol import LineApiError
from bot.models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    GroupStatus,
    LineGroup,
    utcnow,
)
from bot.services import Services
from broadcasts.push_rate import PushRateLimiter

log = logging.getLogger(__name__)

T = TypeVar("T")

# A claim not refreshed for this long was left by a crashed sender: a restarted one resumes after
# this, no longer. Claims are refreshed every fifth of it.
LEASE_SECONDS: Final = 5.0
FLUSH_SECONDS: Final = 0.25  # results are written at least this often
FLUSH_ROWS: Final = 500  # ... or as soon as this many are waiting
POLL_SECONDS: Final = 0.5  # looking again for deliveries another sender still holds
_SENT: Final = frozenset({BroadcastStatus.SENDING, BroadcastStatus.DONE, BroadcastStatus.PARTIALLY_FAILED})


@dataclass(frozen=True)
class SendReport:
    """What one `send_broadcast` call did. `total`: deliveries it worked; `delivered` includes
    `already_accepted` (409: LINE had the retry key); `retried`: requests beyond each delivery's
    first; `rate_limited`: answers 429."""

    total: int
    delivered: int
    failed: int
    already_accepted: int
    retried: int
    rate_limited: int
    elapsed_seconds: float


class SendAborted(Exception):
    """LINE refused the channel's access token (401): the rest of the broadcast was left pending."""

    def __init__(self, message: str, report: SendReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class _Work:
    """A claimed delivery."""

    id: int
    group_id: int
    to: str
    retry_key: str
    prior_attempts: int  # recorded by earlier claims (this claim's +1 is not included)
    attempts: int = 0  # requests this sender started
    in_request: bool = False
    last_error: str | None = None


@dataclass(frozen=True)
class _Outcome:
    work: _Work
    status: DeliveryStatus  # DELIVERED, FAILED, or PENDING (released untried or unfinished)
    request_id: str | None = None
    sent_at: dt.datetime | None = None
    already_accepted: bool = False
    left_group: bool = False


class _Released(Exception):
    """The sender is stopping: this delivery goes back to pending."""


# --- the database side (synchronous; run in a worker thread) --------------------------------------


def claim_deliveries(
    db: Database, broadcast_id: int, limit: int, lease_seconds: float
) -> tuple[BroadcastStatus | None, list[_Work]]:
    """Mark up to `limit` claimable deliveries `sending` (attempts + 1) and return them, oldest first.

    Claimable: `pending`, or `sending` with a lease run out (its sender died). Nothing is claimed
    unless the broadcast is `sending` (a cancelled broadcast stops here). Returns the broadcast's
    status too.
    """
    now = utcnow()
    claimable = (Delivery.broadcast_id == broadcast_id) & or_(
        Delivery.status == DeliveryStatus.PENDING,
        lease.lease_ran_out(Delivery.status, DeliveryStatus.SENDING, Delivery.updated_at, now, lease_seconds),
    )
    with db.engine.begin() as connection:
        status = connection.scalar(select(Broadcast.status).where(Broadcast.id == broadcast_id))
        if status != BroadcastStatus.SENDING:
            return status, []
        rows = lease.claim(
            connection,
            Delivery,
            claimable,
            order_by=[Delivery.id],
            limit=limit,
            values={"status": DeliveryStatus.SENDING, "attempts": Delivery.attempts + 1, "updated_at": now},
            returning=[Delivery.id, Delivery.group_id, Delivery.retry_key, Delivery.attempts],
        )
        group_ids = {row.group_id for row in rows}
        targets: dict[int, str] = {
            group_id: line_group_id
            for group_id, line_group_id in connection.execute(
                select(LineGroup.id, LineGroup.line_group_id).where(LineGroup.id.in_(group_ids))
            )
        }
    work = [
        _Work(row.id, row.group_id, targets[row.group_id], row.retry_key, row.attempts - 1) for row in rows
    ]
    return status, sorted(work, key=lambda item: item.id)


_DELIVERIES = cast(Table, Delivery.__table__)
_RECORD = (
    update(_DELIVERIES)
    .where(_DELIVERIES.c.id == bindparam("b_id"))
    .where(_DELIVERIES.c.status == DeliveryStatus.SENDING.value)
    .values(
        status=bindparam("b_status"),
        attempts=bindparam("b_attempts"),
        last_error=bindparam("b_error"),
        line_request_id=bindparam("b_request_id"),
        sent_at=bindparam("b_sent_at"),
        updated_at=bindparam("b_now"),
    )
)


def record_outcomes(db: Database, outcomes: Sequence[_Outcome]) -> None:
    """Write outcomes in one executemany (only over claims still `sending`); mark left groups."""
    if not outcomes:
        return
    now = utcnow()
    rows = [
        {
            "b_id": outcome.work.id,
            "b_status": outcome.status.value,
            "b_attempts": outcome.work.prior_attempts + outcome.work.attempts,
            "b_error": outcome.work.last_error,
            "b_request_id": outcome.request_id,
            "b_sent_at": outcome.sent_at,
            "b_now": now,
        }
        for outcome in outcomes
    ]
    left = sorted({outcome.work.group_id for outcome in outcomes if outcome.left_group})
    with db.engine.begin() as connection:
        connection.execute(_RECORD, rows)
        if left:
            connection.execute(
                update(LineGroup)
                .where(LineGroup.id.in_(left), LineGroup.status != GroupStatus.LEFT)
                .values(status=GroupStatus.LEFT, left_at=now, updated_at=now)
            )


def refresh_claims(db: Database, delivery_ids: Sequence[int]) -> None:
    """Keep our claims from looking abandoned."""
    now = utcnow()
    with db.engine.begin() as connection:
        for start in range(0, len(delivery_ids), 1000):
            connection.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_(delivery_ids[start : start + 1000]),
                    Delivery.status == DeliveryStatus.SENDING,
                )
                .values(updated_at=now)
            )


def finish_broadcast(db: Database, broadcast_id: int) -> tuple[BroadcastStatus | None, int]:
    """Close the broadcast if no delivery is pending or sending: `done`, or `partially_failed`.

    Returns the broadcast's status and how many of its deliveries are still pending or sending.
    """
    with db.engine.begin() as connection:
        counts = _status_counts(connection, broadcast_id)
        open_count = counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0)
        status = connection.scalar(select(Broadcast.status).where(Broadcast.id == broadcast_id))
        if open_count or status != BroadcastStatus.SENDING:
            return status, open_count
        final = (
            BroadcastStatus.PARTIALLY_FAILED if counts.get(DeliveryStatus.FAILED) else BroadcastStatus.DONE
        )
        connection.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SENDING)
            .values(status=final, finished_at=utcnow())
        )
        return final, 0


def _status_counts(connection: Connection, broadcast_id: int) -> dict[DeliveryStatus, int]:
    rows = connection.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    return {DeliveryStatus(status): count for status, count in rows}


# --- the sending side ----------------------------------------------------------------------------


class _Sender:
    """One `send_broadcast` call: its session, limiter, claims, counters."""

    def __init__(
        self,
        services: Services,
        broadcast_id: int,
        messages: bytes,
        stop: threading.Event | None,
        lease_seconds: float,
    ) -> None:
        settings = services.settings
        self.services = services
        self.db = services.db
        self.broadcast_id = broadcast_id
        self.messages = messages
        self.stop = stop
        self.lease_seconds = lease_seconds
        self.concurrency = settings.broadcasts.concurrency
        self.max_attempts = settings.broadcasts.max_attempts
        self.batch = min(1000, max(100, 2 * self.concurrency))
        self.high_water = 2 * self.batch
        self.stopping = False
        self.aborted: str | None = None
        self.active: dict[int, tuple[_Work, asyncio.Task[None]]] = {}
        self.outcomes: list[_Outcome] = []
        self.total = self.delivered = self.failed = self.already_accepted = 0
        self.retried = self.rate_limited = 0
        self._db_lock = asyncio.Lock()
        self._changed = asyncio.Event()

    # -- plumbing --

    async def _db(self, operation: Callable[..., T], *args: Any) -> T:
        """Database work off the event loop, one statement at a time per sender."""
        async with self._db_lock:
            return await asyncio.to_thread(operation, self.db, *args)

    def _request_stop(self, reason: str) -> None:
        if self.stopping:
            return
        self.stopping = True
        log.info("broadcast %d: stopping (%s): finishing requests in flight", self.broadcast_id, reason)
        current = asyncio.current_task()
        for work, task in self.active.values():
            if not work.in_request and task is not current:
                task.cancel()
        self._changed.set()

    async def _watch_stop(self) -> None:
        assert self.stop is not None
        while not self.stop.is_set():
            await asyncio.sleep(0.05)
        self._request_stop("stop requested")

    async def _flush(self) -> None:
        outcomes, self.outcomes = self.outcomes, []
        try:
            await self._db(record_outcomes, outcomes)
        except BaseException:
            self.outcomes[:0] = outcomes  # kept for the next flush; the lease covers the wait
            raise

    async def _write_loop(self) -> None:
        """Write outcomes in batches; refresh the claims we hold."""
        refreshed = time.monotonic()
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            if self.outcomes:
                try:
                    await self._flush()
                except Exception:
                    log.exception("broadcast %d: recording outcomes failed; will retry", self.broadcast_id)
            if time.monotonic() - refreshed >= self.lease_seconds / 5 and self.active:
                refreshed = time.monotonic()
                try:
                    await self._db(refresh_claims, sorted(self.active))
                except Exception:
                    log.exception("broadcast %d: refreshing claims failed", self.broadcast_id)

    # -- one delivery --

    def _should_retry(self, error: BaseException) -> bool:
        return protocol.safe_to_repeat(error) and not self.stopping

    async def _deliver(self, work: _Work, line: AsyncPushClient, limiter: PushRateLimiter) -> None:
        budget = max(1, self.max_attempts - work.prior_attempts)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(budget),
            wait=protocol.backoff,
            retry=retry_if_exception(self._should_retry),
            reraise=True,
        )
        outcome: _Outcome
        try:
            async for attempt in retrying:
                with attempt:
                    outcome = await self._push(work, line, limiter)
        except LineApiError as error:  # not worth repeating, or out of attempts, or stopping
            work.last_error = error.reason
            if self.stopping and error.retryable:
                outcome = _Outcome(work, DeliveryStatus.PENDING)
            else:
                outcome = _Outcome(work, DeliveryStatus.FAILED, left_group=error.not_in_group)
        except (_Released, asyncio.CancelledError):
            if not self.stopping:
                raise
            outcome = _Outcome(work, DeliveryStatus.PENDING)
        self.retried += max(0, work.attempts - 1)
        if outcome.status == DeliveryStatus.DELIVERED:
            self.delivered += 1
            self.already_accepted += outcome.already_accepted
        elif outcome.status == DeliveryStatus.FAILED:
            self.failed += 1
            log.warning(
                "broadcast %d: delivery %d to %s failed after %d attempt(s): %s",
                self.broadcast_id,
                work.id,
                work.to,
                work.prior_attempts + work.attempts,
                work.last_error,
            )
        self.outcomes.append(outcome)
        del self.active[work.id]
        self._changed.set()

    async def _push(self, work: _Work, line: AsyncPushClient, limiter: PushRateLimiter) -> _Outcome:
        """One request; returns the delivered outcome or raises `LineApiError` / `_Released`."""
        await limiter.acquire()
        if self.stopping:
            raise _Released
        work.attempts += 1
        work.in_request = True
        try:
            sent = await line.push(work.to, self.messages, work.retry_key)
        except LineApiError as error:
            work.in_request = False  # answered: a stop may now release it
            if error.rate_limited:
                self.rate_limited += 1
                await limiter.slow_down()
            elif error.token_refused:
                work.attempts -= 1  # refused at the door: nothing was sent
                self.aborted = error.reason
                self._request_stop(f"LINE refused the access token: {error.reason}")
                raise _Released from None
            work.last_error = error.reason
            raise
        finally:
            work.in_request = False
        return _Outcome(
            work, DeliveryStatus.DELIVERED, sent.request_id, utcnow(), already_accepted=sent.already_accepted
        )

    # -- the loop --

    async def run(self) -> None:
        limiter = PushRateLimiter.from_settings(self.services.settings)
        background: list[asyncio.Task[None]] = [asyncio.create_task(self._write_loop())]
        if self.stop is not None:
            background.append(asyncio.create_task(self._watch_stop()))
        try:
            async with AsyncPushClient(self.services.settings.line, self.concurrency) as line:
                await self._work(line, limiter)
        finally:
            for _, delivering in self.active.values():
                delivering.cancel()
            await asyncio.gather(*(task for _, task in self.active.values()), return_exceptions=True)
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await limiter.aclose()
        await self._flush()

    async def _work(self, line: AsyncPushClient, limiter: PushRateLimiter) -> None:
        while not self.stopping:
            if len(self.active) > self.high_water - self.batch:
                await self._wait_for_change()
                continue
            broadcast_status, claimed = await self._db(
                claim_deliveries, self.broadcast_id, self.batch, self.lease_seconds
            )
            if claimed:
                self.total += len(claimed)
                for work in claimed:
                    task = asyncio.create_task(self._deliver(work, line, limiter))
                    self.active[work.id] = (work, task)
                continue
            if self.active:
                await self._wait_for_change()
                continue
            if self.outcomes:
                await self._flush()
            final, still_open = await self._db(finish_broadcast, self.broadcast_id)
            if final != BroadcastStatus.SENDING or not still_open:
                if broadcast_status not in _SENT:
                    log.warning(
                        "broadcast %d: is %s, not sending: its open deliveries were left alone",
                        self.broadcast_id,
                        broadcast_status,
                    )
                return
            # Deliveries another sender holds: it finishes them, or its lease runs out and we do.
            await self._sleep(POLL_SECONDS)
        while self.active:  # stopping: in-flight requests finish, the rest are released
            await self._wait_for_change()

    async def _wait_for_change(self) -> None:
        self._changed.clear()
        await self._changed.wait()

    async def _sleep(self, seconds: float) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    def report(self, elapsed: float) -> SendReport:
        return SendReport(
            total=self.total,
            delivered=self.delivered,
            failed=self.failed,
            already_accepted=self.already_accepted,
            retried=self.retried,
            rate_limited=self.rate_limited,
            elapsed_seconds=elapsed,
        )


def send_broadcast(
    services: Services,
    broadcast_id: int,
    messages: bytes,
    *,
    stop: threading.Event | None = None,
    lease_seconds: float = LEASE_SECONDS,
) -> SendReport:
    """Push `messages` (the JSON array of LINE messages, encoded once) to every group of the broadcast
    whose delivery is not final. Precondition: the deliveries exist, the broadcast is `sending`.

    Blocks until every delivery is final (or `stop` is set); raises `SendAborted` on a 401.
    """
    started = time.perf_counter()
    sender = _Sender(services, broadcast_id, messages, stop, lease_seconds)
    # The process's long-lived objects (search index, parsers, settings: millions) are left out of the
    # garbage collector's full passes while we send: walking them costs CPU and stalls the event loop,
    # which shows as a slower broadcast (docs/performance.md). unfreeze() hands them back.
    gc.freeze()
    try:
        asyncio.run(sender.run())
    finally:
        gc.unfreeze()
    report = sender.report(time.perf_counter() - started)
    rate = report.total / report.elapsed_seconds if report.elapsed_seconds else 0.0
    log.info(
        "broadcast %d: %d worked, %d delivered (%d already accepted), %d failed, %d retried, "
        "%d answered 429, in %.1f s (%.0f groups/s)%s",
        broadcast_id,
        report.total,
        report.delivered,
        report.already_accepted,
        report.failed,
        report.retried,
        report.rate_limited,
        report.elapsed_seconds,
        rate,
        "; stopped early" if sender.stopping else "",
    )
    if sender.aborted is not None:
        raise SendAborted(f"LINE refused the channel access token ({sender.aborted})", report)
    return report


__all__ = ["LEASE_SECONDS", "SendAborted", "SendReport", "send_broadcast"]
