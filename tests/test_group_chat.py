"""Provincial groups in the chat, as a group's members can reach them: rows created by events that race,
registration changes waiting for an administrator, unsubscribing with a confirmation, and old events
that would change a group — signed events through the real /callback, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from bot.linesim import LineStandIn
from bot.models import InboxEvent, InboxStatus, LineGroup, LineUser, utcnow
from handlers.inbox import Claimed
from handlers.router import make_processor
from tests.conftest import services_of
from tests.linebot_helpers import ACCESS_TOKEN, Chat, post_events

GROUP = "C100"
MEMBER, OTHER = "U1000", "U2000"


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token=ACCESS_TOKEN) as running:
        running.add_user(MEMBER, "สมชาย ใจดี")
        running.add_user(OTHER, "สมหญิง รักดี")
        running.add_group(GROUP, name="สถจ.เชียงใหม่", member_count=25, member_ids=[MEMBER, OTHER])
        yield running


@pytest.fixture
def bot(make_bot: Callable[..., Flask]) -> Flask:
    return make_bot()


# --- rows created by events that arrive together -------------------------------------------------


@contextmanager
def inserts_meet(app: Flask, table: str, parties: int = 2) -> Iterator[None]:
    """The first `parties` INSERTs into `table` wait for each other, then run together."""
    barrier = threading.Barrier(parties, timeout=10)
    seen: list[str] = []
    lock = threading.Lock()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            return
        with lock:
            seen.append(statement)
            wait = len(seen) <= parties
        if wait:
            barrier.wait()

    engine = services_of(app).db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _handle_at_once(
    app: Flask, events: list[dict[str, Any]], table: str
) -> list[InboxStatus | BaseException]:
    """Store `events` through /callback, then handle and answer them in one thread each, their
    INSERTs into `table` meeting at a barrier: two inbox workers at the same moment."""
    assert post_events(app.test_client(), events).status_code == 200
    services = services_of(app)
    with services.db.session() as session:
        stored = {row.webhook_event_id: row for row in session.scalars(select(InboxEvent))}
    claimed = [
        Claimed(
            stored[e["webhookEventId"]].id, e["webhookEventId"], stored[e["webhookEventId"]].payload, utcnow()
        )
        for e in events
    ]
    process = make_processor(services)
    outcomes: list[InboxStatus | BaseException] = [RuntimeError("not run")] * len(claimed)

    def run(index: int) -> None:
        try:
            outcomes[index] = process(claimed[index])()
        except BaseException as error:  # recorded: the assertion shows which event failed and why
            outcomes[index] = error

    with inserts_meet(app, table, parties=len(claimed)):
        threads = [threading.Thread(target=run, args=(index,)) for index in range(len(claimed))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    return outcomes


def test_a_join_and_the_first_registration_at_once_both_answered_one_group(
    bot: Flask, standin: LineStandIn
) -> None:
    group = Chat(standin, MEMBER, GROUP)
    outcomes = _handle_at_once(bot, [group.event("join"), group.text("ลงทะเบียน เชียงใหม่")], "line_groups")
    assert outcomes == [InboxStatus.DONE, InboxStatus.DONE]
    replies = [m.get("text", "") for m in group.replies()]
    assert len(replies) == 2
    assert any("จังหวัดใด" in text for text in replies)  # the join's greeting
    assert any("เชียงใหม่เรียบร้อย" in text for text in replies)  # the registration's answer
    with services_of(bot).db.session() as session:
        assert session.scalar(select(func.count()).select_from(LineGroup)) == 1
        stored = session.scalars(select(LineGroup)).one()
        assert stored.province_id is not None and stored.name == "สถจ.เชียงใหม่"


def test_two_follows_of_one_user_at_once_both_answered_one_user(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin, MEMBER)
    outcomes = _handle_at_once(bot, [chat.event("follow"), chat.event("follow")], "line_users")
    assert outcomes == [InboxStatus.DONE, InboxStatus.DONE]
    assert len(chat.replies()) == 2
    with services_of(bot).db.session() as session:
        users = session.scalars(select(LineUser)).all()
        assert [(u.line_user_id, u.display_name, u.following) for u in users] == [(MEMBER, "สมชาย ใจดี", True)]
