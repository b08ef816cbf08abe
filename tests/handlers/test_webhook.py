"""The webhook and the inbox, end to end: signed events through the real /callback, answers read from the
LINE stand-in, state read from the database — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import select, update

from bot.app import create_app
from bot.models import GroupStatus, InboxEvent, InboxStatus, LineGroup, LineUser, utcnow
from bot.settings import Settings
from handlers import inbox as inbox_module
from handlers.inbox import Inbox
from handlers.webhook import signature_of
from linesim import LineStandIn
from tests.conftest import POSTGRES_URL, services_of
from tests.linebot_helpers import ACCESS_TOKEN, CHANNEL_SECRET, Chat, all_text, post_events


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token=ACCESS_TOKEN) as running:
        running.add_user("U1000", "สมชาย ใจดี")
        running.add_group("C100", name="สถจ.เชียงใหม่", member_count=25)
        yield running


@pytest.fixture
def bot(make_bot: Callable[..., Flask]) -> Flask:
    return make_bot()


def work(app: Flask) -> int:
    inbox: Inbox = app.extensions["inbox"]
    return inbox.drain()


def statuses(app: Flask) -> dict[str, InboxStatus]:
    with services_of(app).db.session() as session:
        return {e.webhook_event_id: e.status for e in session.scalars(select(InboxEvent))}


# --- the gate: signature, size, JSON --------------------------------------------------------------


def test_lines_verify_button_gets_200(bot: Flask) -> None:
    assert post_events(bot.test_client(), []).status_code == 200


@pytest.mark.parametrize(
    "signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="]
)
def test_missing_or_wrong_signature_is_400_and_nothing_is_stored(
    bot: Flask, standin: LineStandIn, signature: str | None
) -> None:
    body = json.dumps({"destination": "U", "events": [Chat(standin).text("เมนู")]}).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    assert bot.test_client().post("/callback", data=body, headers=headers).status_code == 400
    assert statuses(bot) == {}


def test_signed_with_another_secret_is_400(bot: Flask, standin: LineStandIn) -> None:
    response = post_events(bot.test_client(), [Chat(standin).text("เมนู")], secret="another-secret")
    assert response.status_code == 400
    assert statuses(bot) == {}


def test_the_signature_is_checked_on_the_raw_bytes() -> None:
    """LINE's documented test vector."""
    from handlers.webhook import signature_of

    body = b'{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
    assert (
        signature_of("8c570fa6dd201bb328f1c1eac23a96d8", body)
        == "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="
    )


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"events": "nope"}', b"\xff\xfe\x00"])
def test_malformed_json_with_a_good_signature_is_400(bot: Flask, body: bytes) -> None:
    from handlers.webhook import signature_of
    from tests.linebot_helpers import CHANNEL_SECRET

    response = bot.test_client().post(
        "/callback", data=body, headers={"X-Line-Signature": signature_of(CHANNEL_SECRET, body)}
    )
    assert response.status_code == 400


def test_a_body_over_the_cap_is_413(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    events = [chat.text("ก" * 5000) for _ in range(100)]  # ~1.5 MB
    assert post_events(bot.test_client(), events).status_code == 413
    assert statuses(bot) == {}


@pytest.mark.parametrize("length", ["-1", "-100", "1e3"])
def test_a_content_length_that_is_no_length_is_400(bot: Flask, standin: LineStandIn, length: str) -> None:
    body = json.dumps({"destination": "U", "events": [Chat(standin).text("เมนู")]}).encode()
    response = bot.test_client().post(
        "/callback",
        data=body,
        headers={"X-Line-Signature": signature_of(CHANNEL_SECRET, body)},
        environ_overrides={"CONTENT_LENGTH": length},
    )
    assert response.status_code == 400
    assert statuses(bot) == {}


@pytest.mark.parametrize("depth", [40, 100_000])  # past any real event; past Python's recursion limit
def test_deeply_nested_json_with_a_good_signature_is_400(
    bot: Flask, standin: LineStandIn, depth: int
) -> None:
    event = Chat(standin).text("เมนู")
    body = json.dumps({"destination": "U", "events": [event]}).encode()
    body = body.replace(b'"mode": "active"', b'"mode": "active", "x": ' + b"[" * depth + b"]" * depth)
    response = bot.test_client().post(
        "/callback", data=body, headers={"X-Line-Signature": signature_of(CHANNEL_SECRET, body)}
    )
    assert response.status_code == 400
    assert statuses(bot) == {}


def test_without_a_channel_secret_the_webhook_is_503(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings())
    assert app.test_client().post("/callback", data=b"{}").status_code == 503


# --- exactly once ---------------------------------------------------------------------------------


def test_a_stored_event_is_the_row_the_model_describes(bot: Flask, standin: LineStandIn) -> None:
    """PostgreSQL stores through psycopg directly, SQLite through SQLAlchemy: the same row either way."""
    group = Chat(standin, user_id="U1000", group_id="C100")
    event = group.text("ข้อสั่งการ 'ล่าสุด' \\ \"ครับ\" 😀", age_seconds=3)
    redelivered = {**group.text("สถานะ"), "deliveryContext": {"isRedelivery": True}}
    before = utcnow()
    assert post_events(bot.test_client(), [event, redelivered]).status_code == 200
    with services_of(bot).db.session() as session:
        rows = {row.webhook_event_id: row for row in session.scalars(select(InboxEvent))}
    row = rows[event["webhookEventId"]]
    assert row.payload == event and row.event_type == "message"
    assert (row.source_type, row.source_id) == ("group", "C100")
    assert row.event_timestamp == dt.datetime.fromtimestamp(event["timestamp"] / 1000, tz=dt.UTC)
    assert before - dt.timedelta(seconds=1) <= row.received_at <= utcnow()
    assert row.status is InboxStatus.PENDING and row.attempts == 0 and row.claimed_at is None
    assert row.redelivery is False and rows[redelivered["webhookEventId"]].redelivery is True
    assert rows[redelivered["webhookEventId"]].id > row.id


def test_an_event_delivered_three_times_is_answered_once(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    event = chat.text("ข้อสั่งการล่าสุด")
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    client = bot.test_client()
    assert post_events(client, [event]).status_code == 200
    assert post_events(client, [redelivered]).status_code == 200
    work(bot)
    assert post_events(client, [event]).status_code == 200  # after it was answered, too
    work(bot)
    assert len(standin.received(endpoint="reply")) == 1
    assert list(statuses(bot).values()) == [InboxStatus.DONE]


def test_the_same_event_twice_in_one_batch(bot: Flask, standin: LineStandIn) -> None:
    event = Chat(standin).text("เมนู")
    post_events(bot.test_client(), [event, event])
    work(bot)
    assert len(standin.received(endpoint="reply")) == 1


def test_an_unknown_event_type_in_the_middle_of_a_batch(bot: Flask, standin: LineStandIn) -> None:
    one, two = Chat(standin, "U1"), Chat(standin, "U2")
    standin.add_user("U1", "a")
    standin.add_user("U2", "b")
    strange = {**one.event("somethingNew", reply=False), "somethingNew": {"x": 1}}
    edited = one.event("messageEdited", reply=False)
    response = post_events(bot.test_client(), [one.text("เมนู"), strange, edited, two.text("10Es")])
    assert response.status_code == 200
    work(bot)
    assert "ข้อสั่งการ" in all_text(one.replies())
    assert "Emergency Management" in all_text(two.replies())
    assert len(statuses(bot)) == 2  # the unknown types were never stored


def test_an_event_of_the_wrong_shape_is_left_out_and_the_rest_of_its_batch_answered(
    bot: Flask, standin: LineStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    one, two = Chat(standin, "U1"), Chat(standin, "U2")
    standin.add_user("U1", "a")
    standin.add_user("U2", "b")
    wrong = [
        {**one.text("เมนู"), "source": "U1"},
        {**one.text("เมนู"), "source": {"type": "user", "userId": 5}},
        {**one.text("เมนู"), "source": {"type": ["user"], "userId": "U1"}},
        {**one.text("เมนู"), "source": {"type": "planet", "userId": "U1"}},
        {**one.text("เมนู"), "source": {"type": "group", "groupId": "C" * 65}},
        {**one.text("เมนู"), "deliveryContext": "redelivered"},
        {**one.text("เมนู"), "type": ["message"]},
    ]
    good = [one.text("เมนู"), two.text("10Es")]
    with caplog.at_level(logging.INFO, logger="handlers"):
        response = post_events(bot.test_client(), [good[0], *wrong, good[1]])
    assert response.status_code == 200  # LINE does not send the batch again
    assert set(statuses(bot)) == {event["webhookEventId"] for event in good}
    for event in wrong[:-1]:
        assert any(event["webhookEventId"] in line and "ignored" in line for line in caplog.messages), event
    work(bot)
    assert "ข้อสั่งการ" in all_text(one.replies())
    assert "Emergency Management" in all_text(two.replies())
    assert set(statuses(bot).values()) == {InboxStatus.DONE}


def test_standby_events_are_not_answered(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    event = chat.text("เมนู")
    event["mode"] = "standby"
    del event["replyToken"]
    post_events(bot.test_client(), [event])
    work(bot)
    assert standin.received(endpoint="reply") == []


def test_one_failing_event_does_not_stop_the_others(bot: Flask, standin: LineStandIn) -> None:
    one, two = Chat(standin, "U1"), Chat(standin, "U2")
    first, second = one.text("เมนู"), two.text("เมนู")
    second["timestamp"] = first["timestamp"] + 1
    post_events(bot.test_client(), [first, second])
    standin.fail_next(1, status=500, endpoint="reply")
    work(bot)
    assert statuses(bot) == {
        first["webhookEventId"]: InboxStatus.FAILED,
        second["webhookEventId"]: InboxStatus.DONE,
    }
    assert two.replies() and not one.replies()


def test_a_restart_with_events_in_the_inbox(make_bot: Callable[..., Flask], standin: LineStandIn) -> None:
    before = make_bot()
    chat = Chat(standin)
    post_events(before.test_client(), [chat.text("ข้อสั่งการล่าสุด"), chat.text("10Es")])
    services_of(before).close()  # the process dies with both events accepted but unanswered
    after = make_bot()
    assert work(after) == 2
    assert len(standin.received(endpoint="reply")) == 2


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lost_database_connection_fails_one_webhook_and_the_pool_is_renewed(
    make_bot: Callable[..., Flask], standin: LineStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """The inbox writes through psycopg itself: a connection the server dropped (a restart) answers one
    webhook 500 (LINE redelivers), and is replaced with the rest of the pool, quietly."""
    bot = make_bot(database={"pool_size": 2, "max_overflow": 0})
    engine = services_of(bot).db.engine
    with engine.connect() as first, engine.connect() as second:
        backends = [c.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() for c in (first, second)]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        for backend in backends:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    chat, client = Chat(standin), bot.test_client()
    lost, kept = chat.text("ข้อสั่งการล่าสุด"), chat.text("10Es")
    assert post_events(client, [lost]).status_code == 500
    assert post_events(client, [kept]).status_code == 200  # the second dead connection is not used
    assert post_events(client, [lost]).status_code == 200  # LINE's redelivery
    assert set(statuses(bot)) == {lost["webhookEventId"], kept["webhookEventId"]}
    assert not [r for r in caplog.records if r.name.startswith("sqlalchemy") and r.levelno >= 40]


def test_an_event_held_by_a_dead_worker_is_taken_up_after_its_lease(bot: Flask, standin: LineStandIn) -> None:
    event = Chat(standin).text("เมนู")
    post_events(bot.test_client(), [event])
    stale = utcnow() - dt.timedelta(seconds=120)
    with services_of(bot).db.session() as session:
        session.execute(update(InboxEvent).values(status=InboxStatus.PROCESSING, claimed_at=stale))
    assert work(bot) == 1
    assert len(standin.received(endpoint="reply")) == 1


def test_workers_in_several_threads_answer_each_event_once(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make_bot(webhook={"workers": 4})
    chats = [Chat(standin, f"U{n}") for n in range(12)]
    for chat in chats:
        standin.add_user(chat.user_id, "x")
    events = [chat.text("เมนู") for chat in chats]
    post_events(bot.test_client(), events)  # the first request starts the workers
    standin.wait_for_requests(12, timeout=20)
    replies = standin.received(endpoint="reply")
    assert len(replies) == 12
    assert {r.body["replyToken"] for r in replies} == {e["replyToken"] for e in events}


def test_a_running_pool_works_what_its_process_stored_without_claiming_it_from_the_table(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = make_bot(webhook={"workers": 10})
    inbox: Inbox = bot.extensions["inbox"]
    from_table: list[int] = []
    claim = inbox.claim

    def counted_claim(limit: int = 1) -> list[Any]:
        found = claim(limit)
        from_table.append(len(found))
        return found

    monkeypatch.setattr(inbox, "claim", counted_claim)
    client = bot.test_client()
    post_events(client, [])  # the first request starts the pool
    chats = [Chat(standin, f"U{n}") for n in range(10)]
    for chat in chats:
        post_events(client, [chat.text("เมนู")])
    standin.wait_for_requests(10, timeout=20)
    assert sum(from_table) == 0  # a worker free for each: every event was handed over in memory
    deadline = time.monotonic() + 10
    while set(statuses(bot).values()) != {InboxStatus.DONE} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(statuses(bot).values()) == {InboxStatus.DONE}
    with services_of(bot).db.session() as session:
        assert {e.attempts for e in session.scalars(select(InboxEvent))} == {1}


def _answered_by(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The webhookEventIds `app`'s inbox builds answers for, as it does."""
    inbox: Inbox = app.extensions["inbox"]
    build, answered = inbox.process, []

    def spy(claimed: Any) -> Any:
        answered.append(claimed.webhook_event_id)
        return build(claimed)

    monkeypatch.setattr(inbox, "process", spy)
    return answered


@pytest.mark.parametrize("line_slow", [True, False])
def test_a_pool_waiting_for_a_slow_line_leaves_events_for_whichever_pool_is_free(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch, line_slow: bool
) -> None:
    """With every worker waiting for a slow LINE, new events stay in the table for another process's
    idle workers. With LINE quick, the work is CPU, which every process is as short of: kept."""
    standin.configure(latency_ms=2000 if line_slow else 0)
    # Idle pools look in the table ten times a second rather than once: on a loaded machine a look
    # once a second could come after the busy pool's workers are back from LINE, and take nothing.
    monkeypatch.setattr(inbox_module, "TABLE_POLL_SECONDS", 0.1)
    # LINE counts as slow from 1.5 s rather than 0.5 s (it takes 2 s here when slow): on a loaded
    # machine a quick LINE's answer can take half a second to come back, and the busy pool would
    # leave events to the other one.
    monkeypatch.setattr(inbox_module, "LINE_SLOW_SECONDS", 1.5)
    busy, other = make_bot(webhook={"workers": 2}), make_bot(webhook={"workers": 8})
    by_busy, by_other = _answered_by(busy, monkeypatch), _answered_by(other, monkeypatch)
    client = busy.test_client()
    first = Chat(standin, "U0").text("เมนู")
    post_events(client, [first])  # starts its pool, which learns LINE's pace from this answer
    deadline = time.monotonic() + 10
    while statuses(busy)[first["webhookEventId"]] is not InboxStatus.DONE and time.monotonic() < deadline:
        time.sleep(0.05)
    post_events(other.test_client(), [])  # the other process's pool, idle (it looks in the table)
    events = [Chat(standin, f"U{n}").text("เมนู") for n in range(1, 7)]
    for event in events:
        post_events(client, [event])
    standin.wait_for_requests(7, timeout=20)
    replies = [r for r in standin.received(endpoint="reply") if r.status == 200]
    assert sorted(r.body["replyToken"] for r in replies[1:]) == sorted(e["replyToken"] for e in events)
    if line_slow:
        assert len(by_busy) == 1 + 2 and len(by_other) == 4  # two workers free; four left for others
    else:
        assert len(by_busy) == 7 and by_other == []


def test_a_graceful_stop_gives_back_the_events_it_has_not_started(
    make_bot: Callable[..., Flask], standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = make_bot(webhook={"workers": 4, "batch_size": 1, "cpu_slots": 1})
    inbox: Inbox = bot.extensions["inbox"]
    build = inbox.process
    started = threading.Event()

    def slow_build(claimed: Any) -> Any:  # building the first answer lasts until the stop has begun
        started.set()
        # Not a fixed half second: on a loaded machine the test could take longer than that to call
        # stop(), and the pool would send this answer and start building the next one.
        inbox._stopping.wait(10)
        return build(claimed)

    monkeypatch.setattr(inbox, "process", slow_build)
    client = bot.test_client()
    post_events(client, [])  # starts the pool
    events = [Chat(standin, f"U{n}").text("เมนู") for n in range(4)]
    post_events(client, events[:2])
    post_events(client, events[2:])
    assert started.wait(5)
    inbox.stop()  # the answer being built is finished and sent; the others were not started
    after_stop = list(statuses(bot).values())
    assert after_stop.count(InboxStatus.DONE) == 1 and after_stop.count(InboxStatus.PENDING) == 3
    assert work(make_bot()) == 3  # the next process takes them at once, no lease to wait out
    assert len([r for r in standin.received(endpoint="reply") if r.status == 200]) == 4


def test_a_slow_line_does_not_slow_the_acknowledgement(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    """The webhook answers before LINE's API is called at all; the answer follows when LINE responds."""
    standin.configure(latency_ms=1500)
    bot = make_bot(webhook={"workers": 2})
    client = bot.test_client()
    post_events(client, [])  # starts the pool
    chat = Chat(standin)
    body = json.dumps({"destination": "U", "events": [chat.text("ข้อสั่งการล่าสุด")]}).encode()
    headers = {"X-Line-Signature": signature_of(CHANNEL_SECRET, body)}
    started = time.monotonic()
    response = client.post("/callback", data=body, headers=headers)  # not closed: not yet sent, for WSGI
    assert response.status_code == 200 and time.monotonic() - started < 1.0
    assert standin.received(endpoint="reply") == []  # not answered yet
    response.close()
    standin.wait_for_requests(1, timeout=10)
    assert chat.replies()


# --- late events -------------------------------------------------------------------------------------


def test_a_late_question_is_recorded_as_expired(bot: Flask, standin: LineStandIn) -> None:
    event = Chat(standin).text("ข้อสั่งการล่าสุด", age_seconds=90)
    post_events(bot.test_client(), [event])
    work(bot)
    assert standin.received() == []
    assert statuses(bot)[event["webhookEventId"]] is InboxStatus.EXPIRED


def test_a_late_join_is_answered_by_push_once(bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    event = group.event("join", age_seconds=90)
    post_events(bot.test_client(), [event])
    work(bot)
    pushes = standin.received(endpoint="push")
    assert len(pushes) == 1 and pushes[0].retry_key
    assert "จังหวัดใด" in all_text(group.replies())
    # Worked again (a crash after the push): the same retry key, so LINE does not deliver twice.
    with services_of(bot).db.session() as session:
        session.execute(update(InboxEvent).values(status=InboxStatus.PENDING))
    work(bot)
    assert standin.delivery_counts() == {"C100": 1}


# --- event types --------------------------------------------------------------------------------------


def _user(app: Flask, user_id: str) -> LineUser | None:
    with services_of(app).db.session() as session:
        return session.scalars(select(LineUser).where(LineUser.line_user_id == user_id)).first()


def _group(app: Flask, group_id: str) -> LineGroup | None:
    with services_of(app).db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == group_id)).first()
        if group is not None:
            _ = group.province
        return group


def test_follow_greets_and_remembers_the_user(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    post_events(bot.test_client(), [chat.event("follow")])
    work(bot)
    reply = chat.replies()[0]
    assert "ขอบคุณที่เพิ่ม" in reply["text"] and reply["quickReply"]["items"]
    user = _user(bot, "U1000")
    assert user is not None and user.following and user.display_name == "สมชาย ใจดี"
    post_events(bot.test_client(), [chat.event("unfollow", reply=False)])
    work(bot)
    user = _user(bot, "U1000")
    assert user is not None and not user.following and user.unfollowed_at is not None


def test_join_then_leave(bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    post_events(bot.test_client(), [group.event("join")])
    work(bot)
    greeting = group.replies()[0]
    assert "จังหวัดใด" in greeting["text"]
    labels = [item["action"]["label"] for item in greeting["quickReply"]["items"]]
    assert "ภาคเหนือ" in labels and len(labels) == 6
    stored = _group(bot, "C100")
    assert stored is not None and stored.status is GroupStatus.PENDING
    assert stored.name == "สถจ.เชียงใหม่" and stored.member_count == 25
    post_events(bot.test_client(), [group.event("leave", reply=False)])
    work(bot)
    stored = _group(bot, "C100")
    assert stored is not None and stored.status is GroupStatus.LEFT and stored.left_at is not None


def test_member_joined_gets_a_short_welcome(bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    post_events(
        bot.test_client(),
        [group.event("memberJoined", joined={"members": [{"type": "user", "userId": "U9"}]})],
    )
    work(bot)
    assert "ยินดีต้อนรับ" in group.replies()[0]["text"]


def test_a_sticker_one_to_one_gets_a_pointer_and_in_a_group_nothing(bot: Flask, standin: LineStandIn) -> None:
    chat, group = Chat(standin), Chat(standin, group_id="C100")
    post_events(bot.test_client(), [chat.sticker(), group.sticker()])
    work(bot)
    assert "อ่านได้เฉพาะข้อความ" in chat.replies()[0]["text"]
    assert group.replies() == []


# --- conversation -------------------------------------------------------------------------------------


def ask(bot: Flask, chat: Chat, text: str, **kwargs: Any) -> list[dict[str, Any]]:
    before = len(chat.replies())
    post_events(bot.test_client(), [chat.text(text, **kwargs)])
    work(bot)
    return chat.replies()[before:]


def test_help(bot: Flask, standin: LineStandIn) -> None:
    answer = ask(bot, Chat(standin), "เมนู")
    assert "ข้อสั่งการล่าสุด" in answer[0]["text"]
    assert len(answer[0]["quickReply"]["items"]) >= 4


def test_latest_directives_carousel_and_read_more(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    answer = ask(bot, chat, "ข้อสั่งการล่าสุด")
    carousel = answer[0]
    assert carousel["type"] == "flex" and carousel["contents"]["type"] == "carousel"
    bubbles = carousel["contents"]["contents"]
    assert len(bubbles) == 4
    assert "มูลฝอยติดเชื้อ" in all_text([bubbles[0]]) and "E5 Environment" in all_text([bubbles[0]])
    assert "3/2565" in carousel["altText"] and "ค่าครองชีพ" in carousel["altText"]
    read_more = bubbles[3]["footer"]["contents"][0]["action"]
    assert read_more["type"] == "postback" and read_more["label"] == "อ่านต่อ"
    before = len(chat.replies())
    post_events(bot.test_client(), [chat.postback(read_more["data"])])
    work(bot)
    full = all_text(chat.replies()[before:])
    assert "สำนักงาน ป.ป.ช. กำหนด" in full  # the end of the fourth directive's full text


def test_ten_es_and_one_e(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    listing = all_text(ask(bot, chat, "10Es"))
    assert all(f"E{n} " in listing for n in range(1, 11))
    for typed in ("E5", "e 5", "อี5", "Environment", "สิ่งแวดล้อม"):
        one = all_text(ask(bot, chat, typed))
        assert "ส่งเสริมสิ่งแวดล้อม" in one, typed
        assert "มูลฝอยติดเชื้อ" in one, typed  # the directive tagged E5
    assert "ยังไม่มีข้อสั่งการ" in all_text(ask(bot, chat, "E4"))


@pytest.mark.parametrize("typed", ["ประชุมล่าสุด", "ประชุมเดือนมกราคม 2565", "ครั้งที่ 3/2565", "ครั้งที่ ๓/๒๕๖๕"])
def test_meeting_summary(bot: Flask, standin: LineStandIn, typed: str) -> None:
    answer = all_text(ask(bot, Chat(standin), typed))
    assert "นายประยูร รัตนเสนีย์" in answer and "ข้อสั่งการ 4 ข้อ" in answer


def test_meeting_not_found_names_the_latest(bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(bot, Chat(standin), "ครั้งที่ 9/2570"))
    assert "ไม่พบการประชุม" in answer and "3/2565" in answer


# --- provincial groups ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "province"),
    [
        ("ลงทะเบียน เชียงใหม่", "เชียงใหม่"),
        ("ลงทะเบียน จ.ชลบุรี", "ชลบุรี"),
        ("ลงทะเบียน Chiang Rai", "เชียงราย"),
        ("ลงทะเบียน เชียงใหมม", "เชียงใหม่"),
    ],
)
def test_register_a_group_by_text(bot: Flask, standin: LineStandIn, typed: str, province: str) -> None:
    group = Chat(standin, group_id="C100")
    answer = all_text(ask(bot, group, typed))
    assert f"จังหวัด{province}เรียบร้อย" in answer
    stored = _group(bot, "C100")
    assert stored is not None and stored.status is GroupStatus.ACTIVE
    assert stored.province is not None and stored.province.name_th == province
    assert province in all_text(ask(bot, group, "สถานะ"))
    question = ask(bot, group, "ยกเลิกการรับข่าว")  # asked, not done: see tests/handlers/test_group_chat.py
    post_events(bot.test_client(), [group.postback(question[0]["quickReply"]["items"][0]["action"]["data"])])
    work(bot)
    assert "ยกเลิกการรับข่าวของกลุ่มนี้แล้ว" in all_text(group.replies()[-1:])
    stored = _group(bot, "C100")
    assert stored is not None and stored.province_id is None
    assert "ยังไม่ได้ลงทะเบียน" in all_text(ask(bot, group, "สถานะ"))


def test_register_by_buttons_with_pages(bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    before = len(group.replies())
    post_events(bot.test_client(), [group.postback("action=region&code=northeast")])
    work(bot)
    first_page = group.replies()[before]["quickReply"]["items"]
    assert len(first_page) == 13 and first_page[-1]["action"]["label"] == "ถัดไป ▶"
    post_events(bot.test_client(), [group.postback(first_page[-1]["action"]["data"])])
    work(bot)
    second_page = group.replies()[-1]["quickReply"]["items"]
    assert len(second_page) == 20 - 12
    choice = second_page[0]["action"]
    post_events(bot.test_client(), [group.postback(choice["data"])])
    work(bot)
    stored = _group(bot, "C100")
    assert stored is not None and stored.status is GroupStatus.ACTIVE and stored.province is not None
    assert stored.province.name_th == choice["label"]


def test_registration_can_wait_for_approval(make_bot: Callable[..., Flask], standin: LineStandIn) -> None:
    bot = make_bot(groups={"require_approval": True})
    group = Chat(standin, group_id="C100")
    assert "รอผู้ดูแลระบบอนุมัติ" in all_text(ask(bot, group, "ลงทะเบียน น่าน"))
    stored = _group(bot, "C100")
    assert stored is not None and stored.status is GroupStatus.PENDING


def test_a_group_switched_off_by_an_administrator_cannot_switch_itself_on(
    bot: Flask, standin: LineStandIn
) -> None:
    group = Chat(standin, group_id="C100")
    ask(bot, group, "ลงทะเบียน น่าน")
    with services_of(bot).db.session() as session:
        stored = session.scalars(select(LineGroup).where(LineGroup.line_group_id == "C100")).one()
        stored.status = GroupStatus.INACTIVE
    for typed in ("ลงทะเบียน เชียงใหม่", "ยกเลิกการรับข่าว", "สถานะ"):
        assert "ผู้ดูแลระบบปิดการรับข่าวของกลุ่มนี้" in all_text(ask(bot, group, typed)), typed
    after = _group(bot, "C100")
    assert after is not None and after.status is GroupStatus.INACTIVE
    assert after.province is not None and after.province.name_th == "น่าน"


def test_unknown_province_suggests(bot: Flask, standin: LineStandIn) -> None:
    answer = all_text(ask(bot, Chat(standin, group_id="C100"), "ลงทะเบียน สมุทร"))
    assert "ไม่พบจังหวัด" in answer


def test_registration_one_to_one_is_explained(bot: Flask, standin: LineStandIn) -> None:
    assert "ในกลุ่ม" in all_text(ask(bot, Chat(standin), "ลงทะเบียน เชียงใหม่"))


def test_group_chatter_is_left_alone_unless_the_bot_is_mentioned(bot: Flask, standin: LineStandIn) -> None:
    group = Chat(standin, group_id="C100")
    assert ask(bot, group, "พรุ่งนี้ประชุมกี่โมงครับ") == []
    mention = {"mentionees": [{"index": 0, "length": 8, "type": "user", "userId": "Ubot", "isSelf": True}]}
    answer = ask(bot, group, "@บอท สถ. ข้อสั่งการล่าสุด", mention=mention)
    assert answer and answer[0]["type"] == "flex"


def test_odd_input_never_breaks(bot: Flask, standin: LineStandIn) -> None:
    chat = Chat(standin)
    for typed in [
        "",
        " ",
        "\u200b",
        "ก" * 5000,
        "<script>alert(1)</script>",
        "'; DROP TABLE meetings; --",
        "😀" * 100,
    ]:
        answer = ask(bot, chat, typed)
        assert answer, typed[:20]
    assert set(statuses(bot).values()) == {InboxStatus.DONE}


def test_ask_answers_from_the_command_line_without_line(bot: Flask, standin: LineStandIn) -> None:
    result = bot.test_cli_runner().invoke(args=["ask", "ข้อสั่งการล่าสุด"])
    assert result.exit_code == 0, result.output
    assert "[การ์ด]" in result.output and "3/2565" in result.output and "ค่าครองชีพ" in result.output
    assert standin.received() == []  # nothing went to LINE
    group = bot.test_cli_runner().invoke(args=["ask", "ลงทะเบียน ชลบุรี", "--group", "C555"])
    assert "ชลบุรี" in group.output


def test_two_processes_draining_one_inbox_answer_each_event_once(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    one, two = make_bot(webhook={"batch_size": 3}), make_bot(webhook={"batch_size": 3})
    chats = [Chat(standin, f"U{n}") for n in range(40)]
    events = [chat.text("เมนู") for chat in chats]
    post_events(one.test_client(), events[:20])
    post_events(two.test_client(), events[20:])
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda app=app: counts.append(work(app))) for app in (one, two, one, two)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 40
    replies = standin.received(endpoint="reply")
    assert sorted(r.body["replyToken"] for r in replies) == sorted(e["replyToken"] for e in events)
    assert set(statuses(one).values()) == {InboxStatus.DONE}


def test_ask_as_a_group_registers_nothing(bot: Flask, standin: LineStandIn) -> None:
    """The README's `ask "ลงทะเบียน เชียงใหม่" --group C123`: the answer is shown, and it says nothing
    was kept; no group, no member, no audit entry reaches the real database."""
    from sqlalchemy import func

    from bot.models import AuditLog

    def counts() -> tuple[int | None, ...]:
        with services_of(bot).db.session() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (LineGroup, LineUser, AuditLog)
            )

    before = counts()
    result = bot.test_cli_runner().invoke(args=["ask", "ลงทะเบียน เชียงใหม่", "--group", "C123"])
    assert result.exit_code == 0, result.output
    assert "เชียงใหม่" in result.output and "ไม่ได้บันทึก" in result.output
    assert counts() == before
    again = bot.test_cli_runner().invoke(args=["ask", "สถานะ", "--group", "C123"])
    assert "เชียงใหม่" not in again.stdout  # the group was never registered
