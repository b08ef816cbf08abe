"""The LINE conversation: the webhook, the inbox that works its events, and the handlers that answer.

`init_app` wires it into an app: `POST /callback` (a bare WSGI layer in front of Flask), the inbox
(its worker threads start with the first request a process serves — after gunicorn has forked — and
at `serve`), the `inbox` command and the job that purges old events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from bot.current import services_of
    from bot.scheduler import register_job
    from handlers import cli, webhook
    from handlers.events import make_processor
    from handlers.inbox import Inbox, purge_job

    services = services_of(app)
    inbox = Inbox(services, make_processor(services))
    app.extensions["inbox"] = inbox
    app.cli.add_command(cli.inbox_cli)
    app.cli.add_command(cli.ask_command)
    register_job(app, purge_job())

    def start_inbox_workers() -> None:
        if services.settings.webhook.workers and not inbox.running:
            inbox.start()

    app.before_request(start_inbox_workers)
    webhook.init_app(app, services, inbox, on_first_request=start_inbox_workers)
