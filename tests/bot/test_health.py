"""GET /healthz: 200 with the status of its parts; 503 when the database cannot answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from bot.app import create_app
from bot.scheduler import heartbeat
from bot.settings import Settings
from tests.conftest import POSTGRES_URL, services_of


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


@pytest.mark.parametrize("idle", [False, True])
def test_a_connection_whose_server_went_away_while_idle_is_replaced(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, idle: bool
) -> None:
    """Pinged after sitting idle: a connection the server dropped is replaced, not handed out. One in
    use a moment ago is not pinged (that round trip would cost every transaction): its loss shows
    once, as an error, and SQLAlchemy replaces the pool."""
    from sqlalchemy import text

    from bot import db as db_module
    from bot.settings import DatabaseSettings

    database = db_module.Database(DatabaseSettings(url=postgres_url, pool_size=1))
    try:
        with database.engine.connect() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.0 if idle else 3600.0)
        if idle:
            database.ping()  # pinged at checkout, replaced: the query succeeds
        else:
            with pytest.raises(OperationalError):
                database.ping()
            database.ping()  # the pool was replaced after the error
    finally:
        database.dispose()
