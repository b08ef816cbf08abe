"""`GET /healthz` and `GET /readyz`: for the load balancer and the process supervisor.

- `/healthz`: 200 with a small JSON when the database answers; 503 when it does not. Redis being
  down is reported but is not fatal here: the bot degrades to its fallbacks and keeps answering.
- `/readyz`: 200 only when the database and (when configured) Redis both answer; 503 naming what
  is down. A load balancer may use it to prefer fully healthy processes.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from bot.current import current_services
from bot.scheduler import HEARTBEAT_KEY

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    services = current_services()
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


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    services = current_services()
    checks: dict[str, str] = {}
    for name, ping in (("database", services.db.ping), ("redis", services.kv.ping)):
        if name == "redis" and services.kv.backend != "redis":
            checks[name] = "not configured"
            continue
        try:
            ping()
            checks[name] = "ok"
        except Exception as error:  # any failure to answer means "not ready", whatever was raised
            log.warning("readyz: %s unreachable: %s", name, type(error).__name__)
            checks[name] = "unreachable"
    ready = all(value != "unreachable" for value in checks.values())
    return jsonify({"status": "ready" if ready else "not ready", **checks}), 200 if ready else 503
