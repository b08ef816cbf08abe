"""Error pages: Thai, short, never a traceback. JSON for API-like paths, HTML for people."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from bot import texts

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith(("/api", "/callback", "/healthz")) or request.accept_mimetypes.best == (
        "application/json"
    )


def _render(status: int) -> tuple[Response | str, int]:
    title = texts.ERROR_TITLES.get(status, texts.ERROR_TITLES[500])
    if _wants_json():
        return jsonify(error=title, status=status), status
    return render_template("error.html", status=status, title=title, hint=texts.ERROR_HINT), status


def handle_http_error(error: HTTPException) -> tuple[Response | str, int]:
    return _render(error.code or 500)


def handle_unexpected_error(error: Exception) -> tuple[Response | str, int]:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
