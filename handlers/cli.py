"""`flask --app wsgi inbox work|status`: the inbox from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from bot.models import InboxEvent
from handlers.inbox import Inbox

inbox_cli = AppGroup("inbox", help="Webhook events waiting to be answered.")


@inbox_cli.command("work")
def work() -> None:
    """Answer every waiting event now, in this process."""
    inbox: Inbox = current_app.extensions["inbox"]
    click.echo(f"ตอบแล้ว {inbox.drain()} เหตุการณ์")


@inbox_cli.command("status")
def status() -> None:
    """Events by status."""
    inbox: Inbox = current_app.extensions["inbox"]
    with inbox.services.db.session() as session:
        rows = session.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status)).all()
    for state, count in rows:
        click.echo(f"{state.value}: {count}")
