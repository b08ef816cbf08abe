"""`POST /callback`: LINE's webhook. Verify, store, answer 200 — the work happens after, in the inbox.

Order matters: the signature is checked on the raw bytes before anything is parsed; then the events go
into the inbox table in one transaction, and LINE gets its 200 within milliseconds however slow LINE's
own API is at that moment. Missing or wrong signature → 400, malformed JSON → 400, body over
`webhook.max_body_bytes` → 413, no LINE channel configured → 503. Nothing is processed in any of these.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time

from flask import Blueprint, Response, current_app, jsonify, request

from bot import metrics
from bot.services import Services
from handlers.inbox import HANDLED_TYPES, Inbox

log = logging.getLogger(__name__)
blueprint = Blueprint("webhook", __name__)


def signature_of(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message, status=status), status


@blueprint.post("/callback")
def callback() -> tuple[Response, int]:
    started = time.perf_counter()
    response, status = _callback()
    metrics.WEBHOOK_ACK_SECONDS.observe(time.perf_counter() - started)
    metrics.webhook_request(status).inc()
    return response, status


def _callback() -> tuple[Response, int]:
    services: Services = current_app.extensions["bot"]
    inbox: Inbox = current_app.extensions["inbox"]
    secret = services.settings.line.channel_secret
    if secret is None:
        return _error(503, "ยังไม่ได้ตั้งค่า LINE_CHANNEL_SECRET")
    limit = services.settings.webhook.max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        return _error(413, "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        return _error(413, "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป")
    signature = request.headers.get("X-Line-Signature", "")
    if not signature or not hmac.compare_digest(
        signature.encode(), signature_of(secret.get_secret_value(), body).encode()
    ):
        log.warning("webhook: bad or missing signature")
        return _error(400, "ลายเซ็นไม่ถูกต้อง")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "ข้อมูลไม่ใช่ JSON")
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return _error(400, "ไม่พบรายการ events")
    if payload["events"]:
        for event in payload["events"]:
            event_type = event.get("type") if isinstance(event, dict) else None
            metrics.webhook_event(event_type if event_type in HANDLED_TYPES else "other").inc()
        result = inbox.store(payload["events"])
        metrics.WEBHOOK_DUPLICATES.inc(result.duplicates)
        log.info(
            "webhook: %d stored, %d duplicate, %d ignored", result.stored, result.duplicates, result.ignored
        )
    return jsonify({}), 200
