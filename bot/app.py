"""The application factory: the composition root of the web process.

`create_app` reads like a table of contents: settings, services, blueprints, error handlers, CLI
commands. Nothing happens at import time.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.current import install
from bot.current import services_of as services_of  # where tests and benchmarks find it
from bot.models import utcnow
from bot.services import Clock, build_services
from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | Mapping[str, Any] | None = None, *, clock: Clock = utcnow) -> Flask:
    """Build the app. `settings` is a Settings object, or overrides applied over config and env;
    `clock` is what "now" is (a test gives a fixed one to ask about "this month")."""
    if not isinstance(settings, Settings):
        settings = load_settings(settings)
    app = Flask("bot", instance_relative_config=False)
    configure_logging(settings)
    configure_flask(app, settings)
    services = build_services(settings, clock=clock)
    install(app, services)
    register_blueprints(app)
    register_console(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def ready_to_serve() -> None:
    """Prepare a server process (a gunicorn worker, after the fork) before its first request.

    Loads the Thai dictionary now rather than on someone's first message, then moves everything
    loaded so far — modules, the dictionary, the app — out of the garbage collector's way. None of it
    is ever garbage, yet each full collection walked all of it, a visible share of a web worker's CPU
    under load (docs/performance.md). Not for one-off commands, which would only pay the load time.
    """
    import gc

    from bot.thai import segment

    segment("อุ่นเครื่อง")
    gc.freeze()


def configure_logging(settings: Settings) -> None:
    from bot import logs

    logs.configure(settings)


def configure_flask(app: Flask, settings: Settings) -> None:
    if settings.secret_key is not None:
        secret_key = settings.secret_key.get_secret_value()
    elif settings.environment == "production":
        raise ConfigError("setting secret_key: SECRET_KEY must be set in production")
    else:
        # Development and tests: a key per process is enough (sessions end with the process).
        secret_key = secrets.token_hex(32)
    app.config.update(
        SECRET_KEY=secret_key,
        TESTING=settings.environment == "test",
        # An article as JSON (Thai escaped as \uXXXX is twice its UTF-8 size) plus room for the rest.
        MAX_CONTENT_LENGTH=2 * settings.ingest.max_article_bytes + 64 * 1024,
        JSON_AS_ASCII=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Production is served over HTTPS (TLS ends at the proxy in front): the cookie never travels
        # in clear. Development (`make run`, plain http on 127.0.0.1) would lose it.
        SESSION_COOKIE_SECURE=settings.environment == "production",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
    )
    from bot import inputs

    # Before any blueprint is registered: their `<int:...>` rules bind the converter then.
    app.url_map.converters["int"] = inputs.IdConverter
    app.json = inputs.JsonProvider(app)
    app.json.ensure_ascii = False
    proxies = settings.server.trusted_proxies
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]


def register_blueprints(app: Flask) -> None:
    from admin import api
    from bot import health, home, logs, metrics

    logs.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(home.blueprint)
    app.register_blueprint(api.blueprint)


def register_console(app: Flask) -> None:
    from admin import console

    console.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from bot import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """CLI commands, and the scheduled jobs of each feature (run by whichever scheduler runs)."""
    from bot import cli
    from meetings import ingest

    cli.init_app(app, create_app)
    ingest.init_app(app)
    register_features(app)
    cli.guard_database_errors(app.cli)


def register_features(app: Flask) -> None:
    """The feature packages. The factory is the composition root: the one module of the core that
    imports them; the rest of bot/ never does (tests/test_layers.py checks)."""
    import broadcasts
    import handlers

    handlers.init_app(app)
    broadcasts.init_app(app)
