"""`GET /healthz`: is the process alive and can it reach its database (and Redis, when configured)?

200 with a small JSON when the database answers; 503 when it does not. Redis being down is reported
but is not fatal here: the bot degrades to its database fallbacks.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify

from bot.scheduler import HEARTBEAT_KEY

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    services = current_app.extensions["bot"]
    database = "ok"
    try:
        services.db.ping()
    except Exception as error:  # any failure to answer means "down", whatever the driver raised
        log.warning("healthz: database unreachable: %s", type(error).__name__)
        database = "unreachable"
    redis_status = "not configured"
    heartbeat = None
    if services.kv.backend == "redis":
        redis_status = "ok"
    try:
        services.kv.ping()
        heartbeat = services.kv.get(HEARTBEAT_KEY)
    except Exception as error:
        log.warning("healthz: redis unreachable: %s", type(error).__name__)
        redis_status = "unreachable"
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "redis": redis_status,
        "scheduler_heartbeat": heartbeat,
    }
    return jsonify(body), 200 if healthy else 503
