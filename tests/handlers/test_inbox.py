"""The inbox's claims under crashes and concurrency: a lease renewed while a pool holds an event, a late
answer pushed once, a chat's events worked one at a time and in order — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from bot.models import InboxEvent, InboxStatus, utcnow
from handlers.inbox import Claimed, Inbox
from linesim import LineStandIn
from tests.conftest import services_of
from tests.linebot_helpers import ACCESS_TOKEN, Chat, post_events


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token=ACCESS_TOKEN) as running:
        for n in range(4):
            running.add_user(f"U{n}", f"ผู้ใช้ {n}")
        running.add_group("C100", name="สถจ.เชียงใหม่", member_count=25)
        yield running


def inbox_of(app: Flask) -> Inbox:
    inbox: Inbox = app.extensions["inbox"]
    return inbox


def rows(app: Flask) -> dict[str, InboxEvent]:
    with services_of(app).db.session() as session:
        return {e.webhook_event_id: e for e in session.scalars(select(InboxEvent))}


def deliveries_to(standin: LineStandIn, chat: str) -> list[str]:
    """How each accepted answer to `chat` went: "reply" or "push"."""
    return [d.via for d in standin.deliveries() if d.to == chat]


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- a process that died holding events ----------------------------------------------------------


def test_events_a_dead_process_held_are_answered_once_by_reply_or_push(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    """A process held two questions it acknowledged while their reply tokens were fresh, answered one,
    and died before recording either. The next process, after the lease: the answered one is not
    answered again (LINE refuses its spent token), the other, acknowledged 55 s ago so its token is too
    old now, is answered by push — once, even when it is worked once more."""
    dead, chat, other = make_bot(), Chat(standin, "U0"), Chat(standin, "U1")
    answered, held = chat.text("ข้อสั่งการล่าสุด"), other.text("10Es", age_seconds=55)
    post_events(dead.test_client(), [answered, held])
    with services_of(dead).db.session() as session:
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.webhook_event_id == held["webhookEventId"])
            .values(received_at=utcnow() - dt.timedelta(seconds=55))
        )
    claimed = {c.webhook_event_id: c for c in inbox_of(dead).claim(10)}
    assert len(claimed) == 2
    inbox_of(dead).process(claimed[answered["webhookEventId"]])()  # answered; then the process died
    assert deliveries_to(standin, "U0") == ["reply"]

    after = make_bot()
    with services_of(after).db.session() as session:  # the lease ran out
        session.execute(update(InboxEvent).values(claimed_at=utcnow() - dt.timedelta(minutes=2)))
    assert inbox_of(after).drain() == 2
    assert deliveries_to(standin, "U0") == ["reply"]
    assert deliveries_to(standin, "U1") == ["push"]
    assert {e.status for e in rows(after).values()} == {InboxStatus.DONE}
    push = standin.received(endpoint="push")[0]
    assert push.retry_key

    with services_of(after).db.session() as session:  # worked once more (a crash after the push)
        session.execute(update(InboxEvent).values(status=InboxStatus.PENDING))
    inbox_of(after).drain()
    assert deliveries_to(standin, "U1") == ["push"] and standin.delivery_counts() == {"U1": 1}


def test_a_late_answer_is_not_pushed_for_an_event_late_on_arrival_or_too_old(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make_bot()  # webhook.late_answer_seconds: 600
    redelivered = Chat(standin, "U0").text("เมนู", age_seconds=90)  # LINE redelivering after an outage
    stale = Chat(standin, "U1").text("เมนู", age_seconds=700)
    held = Chat(standin, "U2").text("เมนู", age_seconds=200)
    post_events(bot.test_client(), [redelivered, stale, held])
    with services_of(bot).db.session() as session:  # the last two were acknowledged while fresh
        for event, age in ((stale, 700), (held, 200)):
            session.execute(
                update(InboxEvent)
                .where(InboxEvent.webhook_event_id == event["webhookEventId"])
                .values(received_at=utcnow() - dt.timedelta(seconds=age))
            )
    inbox_of(bot).drain()
    found = rows(bot)
    assert found[redelivered["webhookEventId"]].status is InboxStatus.EXPIRED
    assert found[stale["webhookEventId"]].status is InboxStatus.EXPIRED
    assert found[held["webhookEventId"]].status is InboxStatus.DONE
    assert standin.delivery_counts() == {"U2": 1}


def test_a_live_pool_renews_the_lease_of_the_events_it_holds(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers that take longer than the lease to build: the events the pool holds are not taken by
    another process meanwhile."""
    # The heartbeat beats every quarter of the lease: a lease of 8 s lets CI's two busy cores stall a
    # beat by 6 s before another pool may take the events (a 5 s lease failed there once).
    holder = make_bot(webhook={"workers": 2, "lease_seconds": 8})
    other = make_bot(webhook={"workers": 2, "lease_seconds": 8})
    taken: list[str] = []
    build, slow_build = inbox_of(other).process, inbox_of(holder).process

    def slow(claimed: Claimed) -> Any:
        time.sleep(10)
        return slow_build(claimed)

    monkeypatch.setattr(inbox_of(holder), "process", slow)

    def spy(claimed: Claimed) -> Any:
        taken.append(claimed.webhook_event_id)
        return build(claimed)

    monkeypatch.setattr(inbox_of(other), "process", spy)
    post_events(other.test_client(), [])  # the other pool runs, looking in the table once a second
    post_events(holder.test_client(), [])
    events = [Chat(standin, f"U{n}").text("เมนู") for n in range(2)]
    post_events(holder.test_client(), events)  # claimed as they are stored
    wait_until(lambda: {e.status for e in rows(holder).values()} == {InboxStatus.DONE}, 30)
    assert taken == []
    assert {e.attempts for e in rows(holder).values()} == {1}
    assert len(standin.received(endpoint="reply")) == 2


# --- one chat, one event at a time, in order ------------------------------------------------------


class Timeline:
    """When each event's work (building the answer, then sending it) started and ended, in any pool."""

    def __init__(self) -> None:
        self.spans: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def watch(self, app: Flask, monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
        inbox = inbox_of(app)
        build = inbox.process

        def slow(claimed: Claimed) -> Callable[[], InboxStatus]:
            started = time.monotonic()
            time.sleep(seconds)  # a slow handler: long enough for an overlap to show
            send = build(claimed)

            def sent() -> InboxStatus:
                status = send()
                with self.lock:
                    self.spans[claimed.webhook_event_id] = (started, time.monotonic())
                return status

            return sent

        monkeypatch.setattr(inbox, "process", slow)

    def order(self) -> list[str]:
        return sorted(self.spans, key=lambda event_id: self.spans[event_id][0])

    def overlaps(self) -> list[tuple[str, str]]:
        spans = sorted(self.spans.items(), key=lambda item: item[1][0])
        return [(a, b) for (a, (_, end)), (b, (start, _)) in itertools.pairwise(spans) if start < end]


def test_a_chats_events_are_worked_one_at_a_time_in_order_across_processes(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's events arrive close together in two webhook requests, to two processes: the first
    holds three, the second one. Each process's pool has workers free for all of them, and each
    answer takes a while to build."""
    one, two = make_bot(webhook={"workers": 8}), make_bot(webhook={"workers": 8})
    timeline = Timeline()
    timeline.watch(one, monkeypatch, 0.3)
    timeline.watch(two, monkeypatch, 0.3)
    clients = [one.test_client(), two.test_client()]
    for client in clients:
        post_events(client, [])  # both pools run
    group = Chat(standin, "U0", group_id="C100")
    events = [group.text("สถานะ") for _ in range(4)]
    for n, event in enumerate(events):
        event["timestamp"] += n  # LINE's order
    post_events(clients[0], events[:3])
    post_events(clients[1], events[3:])
    wait_until(lambda: len(timeline.spans) == 4, 20)
    assert timeline.overlaps() == []
    assert timeline.order() == [e["webhookEventId"] for e in events]
    # A span ends when the answer is built; it is sent and its outcome recorded (in a batch) after.
    wait_until(lambda: {e.status for e in rows(one).values()} == {InboxStatus.DONE}, 10)


def test_a_chats_events_stored_while_one_is_in_progress_wait_for_it(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request comes while the first event is being worked, and other chats go on meanwhile."""
    one, two = make_bot(webhook={"workers": 4}), make_bot(webhook={"workers": 4})
    timeline = Timeline()
    # 3 s: the bystander's event is stored, claimed and answered meanwhile even on a loaded machine
    # (1 s was not always enough for it under CI's load)
    timeline.watch(one, monkeypatch, 3.0)
    timeline.watch(two, monkeypatch, 0.0)
    for app in (one, two):
        post_events(app.test_client(), [])
    chat, bystander = Chat(standin, "U0"), Chat(standin, "U1")
    first, second, elsewhere = chat.text("เมนู"), chat.text("10Es"), bystander.text("เมนู")
    post_events(one.test_client(), [first])
    wait_until(lambda: rows(one)[first["webhookEventId"]].status is InboxStatus.PROCESSING, 5)
    post_events(two.test_client(), [second, elsewhere])
    wait_until(lambda: len(timeline.spans) == 3, 20)
    assert timeline.spans[second["webhookEventId"]][0] >= timeline.spans[first["webhookEventId"]][1]
    assert timeline.spans[elsewhere["webhookEventId"]][1] < timeline.spans[first["webhookEventId"]][1]
