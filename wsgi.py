"""WSGI entry point: `gunicorn wsgi:app`, and the app of `flask --app wsgi <command>`."""

import sys

from bot.app import create_app, ready_to_serve
from bot.settings import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # One line naming the setting, not a traceback: the operator has a value to fix.
    sys.exit(f"config error: {error}")

if "gunicorn" in sys.modules:  # a server's worker, not a one-off `flask --app wsgi` command
    ready_to_serve()
