"""The conversation from the command line: `inbox work|status`, and `ask TEXT` to try the bot without LINE."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
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


@click.command("ask")
@click.argument("text")
@with_appcontext
@click.option("--group", "group_id", default=None, help="Ask as a member of this LINE group id.")
def ask_command(text: str, group_id: str | None) -> None:
    """Ask the bot something without LINE: the same handlers, the answer printed as text.

    Nothing it does is kept: the answer is worked out in a transaction that is rolled back, so asking
    as a group (`--group C123`) registers no group and counts nothing; it says so."""
    from handlers.context import build_context
    from handlers.events import on_message
    from handlers.line_event import parse_event
    from handlers.texts import ASK_DRY_RUN, ASK_FLEX, ASK_QUICK

    inbox: Inbox = current_app.extensions["inbox"]
    source = (
        {"type": "group", "groupId": group_id, "userId": "Ulocal"}
        if group_id
        else {"type": "user", "userId": "Ulocal"}
    )
    event = {
        "type": "message",
        "timestamp": int(time.time() * 1000),  # asked now: an event without a time is taken as old
        "source": source,
        "message": {"type": "text", "text": text},
    }
    with inbox.services.db.rolled_back():
        answer = on_message(build_context(inbox.services, parse_event(event), "local")).messages
    for message in answer:
        if message["type"] == "flex":
            click.echo(ASK_FLEX.format(alt=message["altText"]))
        else:
            click.echo(message.get("text", ""))
        labels = [item["action"]["label"] for item in (message.get("quickReply") or {}).get("items", [])]
        if labels:
            click.echo(ASK_QUICK.format(labels=" · ".join(labels)))
    click.echo(ASK_DRY_RUN, err=True)
