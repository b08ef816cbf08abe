"""The process's own counts for Prometheus: counters and histograms, and nothing they depend on.

Kept apart from the `/metrics` view (bot/metrics.py), which reads the database and LINE's quota at
each scrape: the LINE client, the webhook and the inbox count into this module without importing the
services, the quota or the view (no import cycle through them).

Counters and histograms are kept by the process that counts: webhook events and acknowledgement
latency (web), replies (inbox workers), LINE API responses (every process that calls LINE), chat
messages dropped by the rate limit. Under gunicorn, several processes count into one
`PROMETHEUS_MULTIPROC_DIR`, and `/metrics` of any worker adds them up.
"""

from __future__ import annotations

import functools
from typing import Any, Final

from prometheus_client import Counter, Histogram

WEBHOOK_EVENTS: Final = Counter(
    "linebot_webhook_events_total", "Webhook events received, by event type", ["type"]
)
WEBHOOK_DUPLICATES: Final = Counter(
    "linebot_webhook_duplicates_total",
    "Webhook events received again (same webhookEventId) and not stored twice",
)
WEBHOOK_REQUESTS: Final = Counter(
    "linebot_webhook_requests_total", "Webhook requests, by HTTP status", ["status"]
)
WEBHOOK_ACK_SECONDS: Final = Histogram(
    "linebot_webhook_ack_seconds",
    "Time from receiving a webhook request to answering it (LINE allows 2 s)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0),
)
REPLIES: Final = Counter(
    "linebot_replies_total",
    "Answers to events: reply, push (late), expired, failed, dropped (rate limit)",
    ["outcome"],
)
LINE_RESPONSES: Final = Counter(
    "linebot_line_api_responses_total",
    "Responses of LINE's API by endpoint and status code (0: no answer)",
    ["endpoint", "status"],
)
CHAT_RATE_LIMITED: Final = Counter(
    "linebot_chat_rate_limited_total", "Chat messages not answered because of the rate limit", ["scope"]
)


def line_response(endpoint: str, status: int | None) -> None:
    LINE_RESPONSES.labels(endpoint, str(status or 0)).inc()


@functools.cache
def webhook_event(event_type: str) -> Any:
    """The counter of one event type (label children looked up once: this runs for every event)."""
    return WEBHOOK_EVENTS.labels(event_type)


@functools.cache
def webhook_request(status: int) -> Any:
    return WEBHOOK_REQUESTS.labels(str(status))
