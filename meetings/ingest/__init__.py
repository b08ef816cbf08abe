"""Ingesting meeting news: an article (text, HTML, a file or a URL) becomes a stored meeting draft.

`service` holds the one path every entry point takes (CLI, admin API, feed polling); `fetch` gets
pages from the web safely; `feeds` polls news sources on a schedule; `jobs` runs the URL imports of
the console and the API off the request thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from bot.current import services_of

    """Add the `ingest` command, the URL-import threads and, when news sources are configured, the
    feed-polling job."""
    from bot.scheduler import register_job
    from meetings.ingest.cli import ingest_command
    from meetings.ingest.feeds import feed_job
    from meetings.ingest.jobs import ImportRunner

    app.cli.add_command(ingest_command)
    app.extensions["imports"] = ImportRunner(services_of(app))
    settings = services_of(app).settings
    if settings.feeds.sources:
        register_job(app, feed_job(settings.feeds.interval_minutes))
