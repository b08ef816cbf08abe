"""The process's `Services` as the Flask app holds them, for views, CLI commands and app set-up.

`create_app` stores them once (`install`); everything that runs inside the app reads them here,
rather than each module reaching into `app.extensions` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from flask import Flask, current_app

if TYPE_CHECKING:
    from bot.services import Services

EXTENSION: Final = "bot"


def install(app: Flask, services: Services) -> None:
    app.extensions[EXTENSION] = services


def services_of(app: Flask) -> Services:
    services: Services = app.extensions[EXTENSION]
    return services


def current_services() -> Services:
    """The services of the app handling the current request or CLI command."""
    return services_of(current_app)
