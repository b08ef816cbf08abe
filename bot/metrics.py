"""Prometheus metrics at `GET /metrics` (prometheus-client).

The counts of this process are kept in bot/counters.py (what the LINE client, the webhook and the
inbox count into). Under gunicorn, several processes — and the scheduler on the same host — count
into one `PROMETHEUS_MULTIPROC_DIR` (set by docs/deploy/gunicorn.conf.py and the systemd units), and
`/metrics` of any worker adds them all up. Without that variable each process shows its own (make
run: one process).

What is a fact of the database rather than of a process is read from it at each scrape: inbox depth
and age, broadcast deliveries by status, and LINE's quota left (cached for a minute).
Keep `/metrics` off the public internet (the proxy in front serves only /callback and /admin).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot import quota
from bot.current import current_services
from bot.models import Delivery, InboxEvent, InboxStatus, utcnow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

blueprint = Blueprint("metrics", __name__)


class DatabaseFacts(Collector):
    """Gauges read from the database (and LINE's quota) at each scrape."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("linebot_database_up", "1 when the database answered this scrape")
        try:
            with self.services.db.session() as session:
                depth, oldest = session.execute(
                    select(func.count(), func.min(InboxEvent.received_at)).where(
                        InboxEvent.status.in_([InboxStatus.PENDING, InboxStatus.PROCESSING])
                    )
                ).one()
                deliveries = session.execute(
                    select(Delivery.status, func.count()).group_by(Delivery.status)
                ).all()
        except Exception as error:  # the scrape must still answer: the database being down is the news
            log.warning("metrics: database unreachable (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "linebot_inbox_depth", "Webhook events stored and not yet answered", value=depth
        )
        age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "linebot_inbox_oldest_age_seconds", "Age of the oldest unanswered event", value=age
        )
        by_status = GaugeMetricFamily(
            "linebot_broadcast_deliveries",
            "Broadcast deliveries (one group each) by status",
            labels=["status"],
        )
        counts = {status.value: count for status, count in deliveries}
        for status in ("pending", "sending", "delivered", "failed"):
            by_status.add_metric([status], counts.get(status, 0))
        yield by_status
        quota = self._quota_left()
        if quota is not None:
            yield GaugeMetricFamily(
                "linebot_line_quota_left", "Messages left in LINE's monthly quota", value=quota
            )

    def _quota_left(self) -> float | None:
        current = quota.reading(self.services)
        if current is None:
            return None
        return float("inf") if current.left is None else float(current.left)


def process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


@blueprint.get("/metrics")
def metrics() -> Response:
    services = current_services()
    facts = CollectorRegistry(auto_describe=False)
    facts.register(DatabaseFacts(services))
    body = generate_latest(process_registry()) + generate_latest(facts)
    return Response(body, content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
