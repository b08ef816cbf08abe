"""Logging: plain lines for people (`log_format: text`), one JSON object per line for machines (`json`).

Every record carries the request id (web requests: the `X-Request-Id` sent by the proxy, or a new
one, echoed in the response) and the webhook event id while an event is being worked. What is never
logged — message text, reply tokens, access tokens, secrets — is kept out at the call sites: log
lines name ids, types and counts only (tests/test_observability.py checks a whole conversation).

Under gunicorn with `log_format: json`, gunicorn's own lines (start, workers booting and exiting,
signals) and its access lines are JSON objects too, through the same formatter: its config passes
`gunicorn_logconfig(settings)` as `logconfig_dict`. An access line carries the request id the app
answered with (its `X-Request-Id` header), and the status, method, path and duration as fields.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

from flask import Flask, Response, request
from pythonjsonlogger.json import JsonFormatter

from bot.settings import Settings

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
event_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("event_id", default=None)

TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SAFE_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")


class ContextFilter(logging.Filter):
    """Adds `request_id` and `event_id` to every record (None outside a request or an event)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.event_id = event_id_var.get()
        return True


class JsonLines(JsonFormatter):
    """One JSON object per record: time, level, logger, message, request_id, event_id (and the
    record's extra fields)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(event_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )


def formatter_for(settings: Settings) -> logging.Formatter:
    if settings.log_format == "json":
        return JsonLines()
    return logging.Formatter(TEXT_FORMAT)


class AccessFilter(logging.Filter):
    """gunicorn's access records: the request id from the response's `X-Request-Id`, and the request's
    status, method, path and duration as fields. (gunicorn logs the access format with its atoms as
    the record's arguments; a missing atom reads as "-".)"""

    FIELDS: Final = {"status": "s", "method": "m", "path": "U", "duration_ms": "M"}

    def filter(self, record: logging.LogRecord) -> bool:
        atoms: Mapping[str, Any] = record.args if isinstance(record.args, Mapping) else {}

        def atom(key: str) -> Any:
            try:
                value = atoms[key]
            except KeyError:
                return None
            return None if value == "-" else value

        record.request_id = atom("{x-request-id}o")
        record.event_id = None
        for field, key in self.FIELDS.items():
            setattr(record, field, atom(key))
        return True


def gunicorn_logconfig(settings: Settings) -> dict[str, Any]:
    """gunicorn's `logconfig_dict`: with `log_format: json`, its error log (stderr) and access log
    (stdout) in the app's JSON; with `text`, empty (gunicorn keeps its own format)."""
    if settings.log_format != "json":
        return {}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLines}},
        "filters": {"context": {"()": ContextFilter}, "access": {"()": AccessFilter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["access"],
                "stream": "ext://sys.stdout",
            },
        },
        # The app keeps these handlers (`configure`); gunicorn's loggers keep the levels it sets.
        "root": {"level": settings.log_level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "propagate": False},
        },
    }


def configure(settings: Settings) -> None:
    """A stderr handler in the chosen format, unless the process already has one (gunicorn's, pytest's):
    then those handlers keep their format and gain the context fields."""
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter_for(settings))
        root.addHandler(stream)
    for handler in root.handlers:
        if not any(isinstance(f, ContextFilter) for f in handler.filters):
            handler.addFilter(ContextFilter())
    root.setLevel(settings.log_level)
    # Quiet chatter: one line per Alembic plugin on each run, two lines per scheduler job run.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@contextmanager
def event_context(webhook_event_id: str) -> Iterator[None]:
    token = event_id_var.set(webhook_event_id)
    try:
        yield
    finally:
        event_id_var.reset(token)


def _begin_request() -> None:
    given = request.headers.get("X-Request-Id", "")
    request_id_var.set(given if SAFE_REQUEST_ID.fullmatch(given) else os.urandom(16).hex())


def _end_request(response: Response) -> Response:
    request_id = request_id_var.get()
    if request_id:
        response.headers.setdefault("X-Request-Id", request_id)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_begin_request)
    app.after_request(_end_request)
