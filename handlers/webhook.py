"""`POST /callback`: LINE's webhook. Verify, store, answer 200 — the work happens after.

Order matters: the signature is checked on the raw bytes before anything is parsed; then the events go
into the inbox table in one transaction, and LINE gets its 200 within milliseconds however slow LINE's
own API is at that moment. Missing or wrong signature → 400, malformed JSON (or nested past
`inputs.MAX_JSON_DEPTH`) → 400, a Content-Length that is no length → 400, body over
`webhook.max_body_bytes` → 413, no LINE channel configured → 503. Nothing is processed in any of these;
an event of the wrong shape in a good batch is left out by the inbox, and the others stored.

The webhook is the bot's one hot path, so it is a bare WSGI application in front of Flask
(`Webhook.wrap`) rather than a Flask view: no request context, session, URL routing or response
object for a request that needs none of them (their cost: docs/performance.md). It
keeps what the rest of the app gives every request: the request id (`X-Request-Id`, in the logs and
echoed back), the metrics, one log line and a Thai JSON 500 for an unexpected error, and the start of
the inbox's threads on a process's first request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from bot import counters, inputs
from bot.logs import SAFE_REQUEST_ID, request_id_var
from bot.services import Services
from bot.texts import ERROR_TITLES
from handlers.inbox import Inbox
from handlers.line_event import HANDLED_TYPES

log = logging.getLogger(__name__)

PATH = "/callback"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def signature_of(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


class Webhook:
    def __init__(self, services: Services, inbox: Inbox, on_first_request: Callable[[], None]) -> None:
        self.services = services
        self.inbox = inbox
        self.on_first_request = on_first_request
        self._started = False

    def wrap(self, app: WsgiApp) -> WsgiApp:
        """`app`, with `POST /callback` answered here."""

        def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST":
                return self(environ, start_response)
            return app(environ, start_response)

        return application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else os.urandom(16).hex()
        token = request_id_var.set(request_id)
        try:
            if not self._started:
                self._started = True
                self.on_first_request()
            status, answer = self._handle(environ)
        except Exception:
            log.exception("webhook: unexpected error")
            status, answer = _error(500, ERROR_TITLES[500])
        finally:
            request_id_var.reset(token)
        counters.WEBHOOK_ACK_SECONDS.observe(time.perf_counter() - started)
        counters.webhook_request(status).inc()
        body = json.dumps(answer, ensure_ascii=False).encode()
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("X-Request-Id", request_id),
            ],
        )
        return [body]

    def _handle(self, environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        secret = self.services.settings.line.channel_secret
        if secret is None:
            return _error(503, "ยังไม่ได้ตั้งค่า LINE_CHANNEL_SECRET")
        limit = self.services.settings.webhook.max_body_bytes
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = -1
        if declared < 0:  # a negative length would read the stream to its end, past the cap
            return _error(400, "Content-Length ไม่ถูกต้อง")
        if declared > limit:
            return _error(413, "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป")
        body = _read(environ, declared, limit + 1)
        if len(body) > limit:
            return _error(413, "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป")
        signature = environ.get("HTTP_X_LINE_SIGNATURE", "")
        if not signature or not hmac.compare_digest(
            signature.encode(), signature_of(secret.get_secret_value(), body).encode()
        ):
            log.warning("webhook: bad or missing signature")
            return _error(400, "ลายเซ็นไม่ถูกต้อง")
        try:
            payload = inputs.loads(body)
        except ValueError:  # UnicodeDecodeError included
            return _error(400, "ข้อมูลไม่ใช่ JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
            return _error(400, "ไม่พบรายการ events")
        if not payload["events"]:
            return 200, {}  # LINE's Verify button
        for event in payload["events"]:
            event_type = event.get("type") if isinstance(event, dict) else None
            counters.webhook_event(
                event_type if isinstance(event_type, str) and event_type in HANDLED_TYPES else "other"
            ).inc()
        result = self.inbox.store(payload["events"])
        counters.WEBHOOK_DUPLICATES.inc(result.duplicates)
        # One line per request only when something is unusual: a line per event costs the webhook a
        # tenth of its CPU under load (docs/performance.md); gunicorn's access log has every request.
        log.log(
            logging.INFO if result.duplicates or result.ignored else logging.DEBUG,
            "webhook: %d stored, %d duplicate, %d ignored",
            result.stored,
            result.duplicates,
            result.ignored,
        )
        return 200, {}


def _read(environ: dict[str, Any], declared: int, most: int) -> bytes:
    stream = environ["wsgi.input"]
    if declared:
        return bytes(stream.read(min(declared, most)))
    # No Content-Length (chunked): the server's stream ends with the body, when it says so.
    if environ.get("wsgi.input_terminated"):
        return bytes(stream.read(most))
    return b""


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": message, "status": status}


def init_app(app: Any, services: Services, inbox: Inbox, on_first_request: Callable[[], None]) -> None:
    app.wsgi_app = Webhook(services, inbox, on_first_request).wrap(app.wsgi_app)
