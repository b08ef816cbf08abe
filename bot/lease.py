"""Claiming work under a lease: the one engine behind the inbox's events and the broadcasts' deliveries.

A row of work is *claimable* when it waits (pending), or when its claim is older than the lease: its
holder stopped renewing it (the process died). `claim` takes up to `limit` claimable rows, oldest
first, and marks them claimed in one statement:

    WITH oldest AS MATERIALIZED (SELECT id … WHERE claimable ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED)
    UPDATE … SET <claimed> WHERE id IN (SELECT id FROM oldest) RETURNING …

On PostgreSQL concurrent claimers skip each other's locked rows, so no row is claimed twice; SQLite
has one writer at a time. The CTE is materialised: without statistics on a young table PostgreSQL may
otherwise run the locking subquery once per row, and a claim takes seconds instead of milliseconds
(docs/performance.md). The holder renews its claims (a newer timestamp) well inside the lease.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, select, update
from sqlalchemy.orm import InstrumentedAttribute


def lease_ran_out(
    status: InstrumentedAttribute[Any],
    claimed: Any,
    claimed_at: InstrumentedAttribute[Any],
    now: dt.datetime,
    lease_seconds: float,
) -> ColumnElement[bool]:
    """Claimed, but not renewed within the lease: its holder died, and the row may be claimed again."""
    return and_(status == claimed, claimed_at < now - dt.timedelta(seconds=lease_seconds))


def claim(
    connection: Connection,
    model: Any,
    claimable: ColumnElement[bool],
    order_by: Sequence[Any],
    limit: int,
    values: Mapping[str, Any],
    returning: Sequence[Any],
) -> Sequence[Row[Any]]:
    """Mark up to `limit` of the oldest `claimable` rows of `model` with `values`; their `returning`
    columns, in no particular order. Runs in the caller's transaction."""
    oldest = (
        select(model.id)
        .where(claimable)
        .order_by(*order_by)
        .limit(limit)
        .with_for_update(skip_locked=True, of=model)
        .cte("oldest")
        .prefix_with("MATERIALIZED")
    )
    return connection.execute(
        update(model)
        .where(model.id.in_(select(oldest.c.id)))  # locked rows, claimable when they were locked
        .values(**values)
        .returning(*returning)
    ).all()
