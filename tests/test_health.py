"""GET /healthz: 200 with the status of its parts; 503 when the database cannot answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from bot.app import create_app
from bot.scheduler import heartbeat
from bot.settings import Settings
from tests.conftest import services_of


def test_healthy_without_redis(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "scheduler_heartbeat": None,
    }


def test_heartbeat_is_reported(client: FlaskClient) -> None:
    assert client.application is not None
    heartbeat(services_of(client.application))
    beat = client.get("/healthz").json["scheduler_heartbeat"]  # type: ignore[index]
    assert beat is not None and beat.endswith("+00:00")


def test_database_unreachable_is_503(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    # A SQLite file in a directory that does not exist cannot be opened: the database is "down".
    app = create_app(make_settings({"database": {"url": f"sqlite:///{tmp_path}/missing/dir/bot.db"}}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["status"] == "unavailable" and response.json["database"] == "unreachable"


def test_postgres_down_is_503_quickly(make_settings: Callable[..., Settings]) -> None:
    # Nothing listens on port 1: the pool must fail fast, not hang the probe.
    app = create_app(make_settings({"database": {"url": "postgresql://127.0.0.1:1/test"}}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_redis_reachable(make_settings: Callable[..., Settings], redis_url: str, tmp_path: Path) -> None:
    app = create_app(make_settings({"redis": {"url": redis_url}}))
    body = app.test_client().get("/healthz").json
    assert body is not None and body["redis"] == "ok"


def test_redis_down_is_reported_but_not_fatal(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings({"redis": {"url": "redis://127.0.0.1:1/0"}}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json is not None and response.json["redis"] == "unreachable"
