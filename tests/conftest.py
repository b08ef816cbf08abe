"""Fixtures: apps built from settings, on SQLite and on the real PostgreSQL; stores on the real Redis.

Tests that need PostgreSQL or Redis skip when the server is unreachable — except when
`BOT_TEST_REQUIRE_SERVICES=1` (set by `.ci/run`), where they fail: CI must never pass by skipping.
Each PostgreSQL test gets a schema of its own, dropped afterwards, so runs never see each other.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from bot import migrate
from bot.app import create_app
from bot.current import services_of as services_of  # the tests import it from here
from bot.models import utcnow
from bot.seed import seed_all
from bot.services import Clock
from bot.settings import Settings, load_settings
from linesim import LineStandIn
from tests.linebot_helpers import ACCESS_TOKEN, LINE_ENV

REQUIRE_SERVICES = os.environ.get("BOT_TEST_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    """A port nobody listens on (yet): for a server to start on, or a service that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def service_unavailable(service: str, reason: object) -> None:
    message = f"{service} unreachable: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (BOT_TEST_REQUIRE_SERVICES=1: a test that needs it must not skip)")
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        service_unavailable("PostgreSQL", str(error).strip().splitlines()[0])
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        service_unavailable("Redis", error)
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings from config.yaml plus overrides, ignoring the developer's environment."""

    def build(overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> Settings:
        base: dict[str, Any] = {
            "environment": "test",
            "database": {"url": f"sqlite:///{tmp_path / 'default.sqlite3'}"},
            "scheduler": {"embedded": False},
            "content": {"check_seconds": 0},  # every answer sees the latest edit
            "webhook": {"workers": 0},  # tests work the inbox themselves (or ask for workers)
            # Tests run at any hour: no quiet hours (start = end) unless a test sets its own.
            "broadcasts": {"quiet_hours": "00:00-00:00"},
        }
        return load_settings(_deep_merge(base, overrides or {}), env=env or {})

    return build


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and key in merged else value
    return merged


@pytest.fixture
def app_env() -> dict[str, str]:
    """Environment variables the `app` fixture sees (secrets, for instance); override per module."""
    return {}


@pytest.fixture
def app(
    make_settings: Callable[..., Settings], database_url: str, app_env: dict[str, str]
) -> Iterator[Flask]:
    """An app on an empty database (no tables yet), SQLite or PostgreSQL."""
    application = create_app(make_settings({"database": {"url": database_url}}, env=app_env))
    yield application
    application.extensions["inbox"].stop()
    services_of(application).close()


@pytest.fixture
def build_app(make_settings: Callable[..., Settings], database_url: str) -> Iterator[Callable[..., Flask]]:
    """Apps sharing one migrated, seeded database (SQLite or PostgreSQL), each with its own settings:
    several processes of one deployment, or one process restarted."""
    apps: list[Flask] = []

    def build(
        overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None, clock: Clock = utcnow
    ) -> Flask:
        settings = make_settings(_deep_merge({"database": {"url": database_url}}, overrides or {}), env=env)
        application = create_app(settings, clock=clock)
        if not apps:
            services = services_of(application)
            migrate.upgrade(services.db.engine)
            with services.db.session() as session:
                seed_all(session)
        apps.append(application)
        return application

    yield build
    for application in apps:
        application.extensions["inbox"].stop()
        services_of(application).close()


@pytest.fixture
def ready_app(app: Flask) -> Flask:
    """An app whose database is migrated and seeded, as after `flask --app wsgi setup`."""
    services = services_of(app)
    migrate.upgrade(services.db.engine)
    with services.db.session() as session:
        seed_all(session)
    return app


@pytest.fixture
def client(ready_app: Flask) -> FlaskClient:
    return ready_app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    """The LINE stand-in (modules override it to populate its world)."""
    with LineStandIn(token=ACCESS_TOKEN) as running:
        yield running


@pytest.fixture
def make_bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Callable[..., Flask]:
    """Bot apps on one migrated, seeded database, pointed at the stand-in. workers=0: tests work the inbox.
    `clock=` gives the app a fixed "now" (questions about "this month")."""

    def build(clock: Clock = utcnow, **overrides: Any) -> Flask:
        webhook = {"workers": 0, **overrides.pop("webhook", {})}
        return build_app(
            {"line": {"api_base_url": standin.base_url}, "webhook": webhook, **overrides},
            env=LINE_ENV,
            clock=clock,
        )

    return build
