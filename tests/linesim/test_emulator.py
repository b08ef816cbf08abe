"""The LINE emulator: the webhooks it builds are LINE's, signed; the bot's real /callback takes them (and
refuses a wrong secret); what the bot answers lands in the right chat; what LINE would refuse shows;
the page's API; and `serve` without LINE credentials — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, make_server

from bot import devseed
from bot.line import LineApiError
from bot.models import GroupStatus, InboxEvent, LineGroup, LineUser, Meeting
from handlers.inbox import Inbox
from linesim import events
from linesim.emulator import ChatItem, Emulator
from linesim.state import EmulatorError
from linesim.validation import default_webhook_spec
from tests.conftest import free_port, services_of
from tests.linebot_helpers import ACCESS_TOKEN, CHANNEL_SECRET, LINE_ENV, all_text

ADMIN_TOKEN = "test-admin-token"
SOMCHAI = "U" + "a" * 32
SOMYING = "U" + "b" * 32
CHIANG_MAI = "C" + "1" * 32
NEW_GROUP = "C" + "2" * 32


class LiveBot:
    """The bot's app served over real HTTP on 127.0.0.1, in a thread: LINE's webhook calls reach it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-bot", daemon=True)
        self.thread.start()

    def work(self) -> int:
        """Answer the stored events now (the bot runs without worker threads here)."""
        inbox: Inbox = self.app.extensions["inbox"]
        return inbox.drain()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET) as running:
        running.add_official(SOMCHAI, "สมชาย ใจดี")
        running.add_official(SOMYING, "สมหญิง รักษ์ถิ่น")
        running.add_group(CHIANG_MAI, "ท้องถิ่นจังหวัดเชียงใหม่", member_count=25, member_ids=[SOMCHAI])
        running.add_group(NEW_GROUP, "กลุ่มใหม่", member_count=12, member_ids=[SOMCHAI], bot_is_member=False)
        yield running


@pytest.fixture
def bot(build_app: Callable[..., Flask], emulator: Emulator) -> Iterator[LiveBot]:
    app = build_app(
        {"line": {"api_base_url": emulator.base_url}, "webhook": {"workers": 0}},
        env={**LINE_ENV, "ADMIN_TOKEN": ADMIN_TOKEN},
    )
    live = LiveBot(app)
    emulator.webhook_url = f"{live.url}/callback"
    yield live
    live.stop()


def kinds(items: list[ChatItem]) -> list[str]:
    return [item.kind for item in items]


def bot_messages(items: list[ChatItem]) -> list[dict[str, Any]]:
    return [dict(message) for item in items if item.kind == "bot" for message in item.messages]


def actions_in(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every action object of the messages: Flex buttons and quick-reply chips."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            action = node.get("action")
            if isinstance(action, dict) and "type" in action:
                found.append(action)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return found


def action_labelled(messages: list[dict[str, Any]], label: str) -> dict[str, Any]:
    matching = [action for action in actions_in(messages) if action.get("label") == label]
    assert matching, f"no action labelled {label!r} in {[a.get('label') for a in actions_in(messages)]}"
    return matching[0]


# --- the events ---------------------------------------------------------------------------------------


def test_the_signature_is_lines() -> None:
    body = b'{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
    assert events.signature("8c570fa6dd201bb328f1c1eac23a96d8", body) == (
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="
    )


def test_webhook_event_ids_are_ulids_in_time_order() -> None:
    earlier = events.webhook_event_id(1_700_000_000_000)
    later = events.webhook_event_id(1_700_000_000_001)
    assert re.fullmatch(r"[0-7][0-9A-HJKMNP-TV-Z]{25}", earlier)
    assert earlier < later
    assert events.webhook_event_id(5) != events.webhook_event_id(5)


def test_every_event_the_emulator_builds_is_valid_per_lines_webhook_spec() -> None:
    user, group = events.source("U" + "a" * 32), events.source("U" + "a" * 32, "C" + "1" * 32)
    built = [
        events.event("message", user, reply_token="r", message=events.text_content("เมนู")),
        events.event(
            "message",
            group,
            reply_token="r",
            message=events.text_content("@บอท สถ. ขยะ", bot_user_id="U" + "f" * 32, bot_name="บอท สถ."),
        ),
        events.event("postback", group, reply_token="r", postback=events.postback_content("action=x")),
        events.event(
            "postback", user, reply_token="r", postback=events.postback_content("d", {"date": "2026-01-01"})
        ),
        events.event("follow", user, reply_token="r", follow={"isUnblocked": False}),
        events.event("unfollow", user),
        events.event("join", events.source(None, "C" + "1" * 32), reply_token="r"),
        events.event("leave", events.source(None, "C" + "1" * 32)),
        events.event(
            "memberJoined",
            events.source(None, "C" + "1" * 32),
            reply_token="r",
            joined={"members": [user]},
        ),
    ]
    body = json.loads(events.callback_body("U" + "0" * 32, built))
    assert default_webhook_spec().problems(body) == []
    assert all(e["mode"] == "active" and e["deliveryContext"] == {"isRedelivery": False} for e in built)
    mention = built[1]["message"]["mention"]["mentionees"]
    assert mention == [
        {"index": 0, "length": len("@บอท สถ."), "type": "user", "userId": "U" + "f" * 32, "isSelf": True}
    ]
    assert events.redelivered(built[0])["deliveryContext"] == {"isRedelivery": True}


def test_the_webhook_spec_refuses_what_line_would_never_send() -> None:
    body = {"destination": "Unot-a-bot", "events": [{"type": "message", "mode": "active", "timestamp": 1}]}
    problems = {problem.property for problem in default_webhook_spec().problems(body)}
    assert {"destination", "events[0].webhookEventId", "events[0].message"} <= problems


# --- through the bot's real /callback -------------------------------------------------------------------


def test_latest_directives_then_read_more(bot: LiveBot, emulator: Emulator) -> None:
    call = emulator.say(SOMCHAI, "ข้อสั่งการล่าสุด")
    assert call.status == 200, call.answer
    sent = call.body["events"][0]
    assert sent["source"] == {"type": "user", "userId": SOMCHAI}
    assert call.body["destination"] == emulator.bot_user_id
    assert bot.work() == 1
    chat = emulator.conversation(SOMCHAI)
    assert kinds(chat) == ["message", "bot"]
    assert chat[0].text == "ข้อสั่งการล่าสุด" and chat[0].webhook == call.index
    carousel = bot_messages(chat)[0]
    assert carousel["type"] == "flex" and carousel["contents"]["type"] == "carousel"
    assert chat[1].via == "reply"
    read_more = action_labelled([carousel], "อ่านต่อ")
    assert read_more["type"] == "postback"

    emulator.press(SOMCHAI, read_more)
    bot.work()
    full = emulator.conversation(SOMCHAI)[2:]
    assert kinds(full)[-1] == "bot"
    assert "มูลฝอยติดเชื้อ" in all_text(bot_messages(full))
    assert emulator.conversation(SOMYING) == []  # nothing in anyone else's chat


def test_a_wrong_channel_secret_is_refused_and_shown(bot: LiveBot, emulator: Emulator) -> None:
    emulator.channel_secret = "not-the-channel-secret"
    call = emulator.say(SOMCHAI, "เมนู")
    assert call.status == 400
    assert bot.work() == 0
    with services_of(bot.app).db.session() as session:
        assert session.scalars(select(InboxEvent)).all() == []
    failed = emulator.conversation(SOMCHAI)[-1]
    assert failed.kind == "webhook_failed" and failed.status == 400 and failed.webhook == call.index


def test_an_unreachable_bot_is_shown(emulator: Emulator) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        emulator.webhook_url = f"http://127.0.0.1:{closed.getsockname()[1]}/callback"
    call = emulator.say(SOMCHAI, "เมนู")
    assert call.status is None and call.error
    assert kinds(emulator.conversation(SOMCHAI)) == ["message", "webhook_failed"]


def test_a_group_joins_registers_by_buttons_and_receives_a_broadcast(
    bot: LiveBot, emulator: Emulator
) -> None:
    with pytest.raises(EmulatorError):
        emulator.say(SOMCHAI, "สถานะ", NEW_GROUP)  # the bot isn't in the group yet
    emulator.join(NEW_GROUP, invited_by=SOMCHAI)
    bot.work()
    greeting = bot_messages(emulator.conversation(NEW_GROUP))
    emulator.press(SOMCHAI, action_labelled(greeting, "ภาคตะวันตก"), NEW_GROUP)
    bot.work()
    provinces = bot_messages(emulator.conversation(NEW_GROUP))[-1:]
    emulator.press(SOMCHAI, action_labelled(provinces, "กาญจนบุรี"), NEW_GROUP)
    bot.work()
    chat = emulator.conversation(NEW_GROUP)
    assert [item.event_type for item in chat if item.kind == "event"] == ["join"]
    assert chat[-2].kind == "message" and chat[-2].text == "ลงทะเบียน กาญจนบุรี"  # the button's displayText
    assert "กาญจนบุรี" in all_text(bot_messages(chat[-1:]))
    assert emulator.conversation(CHIANG_MAI) == []
    with services_of(bot.app).db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == NEW_GROUP)).one()
        assert group.status == GroupStatus.ACTIVE and group.member_count == 12

    from broadcasts.scheduler import run_due

    client = bot.app.test_client()
    with services_of(bot.app).db.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).first()
    created = client.post(
        "/api/broadcasts",
        json={"meeting_id": meeting_id, "target": {"groups": [NEW_GROUP]}},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert created.status_code == 201, created.json
    run_due(services_of(bot.app))
    pushed = emulator.conversation(NEW_GROUP)[-1]
    assert pushed.kind == "bot" and pushed.via == "push"
    assert pushed.messages[0]["type"] == "flex" and "รับทราบ" in all_text(bot_messages([pushed]))


def test_a_message_line_refuses_is_shown_in_its_chat(bot: LiveBot, emulator: Emulator) -> None:
    line = services_of(bot.app).line
    with pytest.raises(LineApiError) as refused:
        line.push(CHIANG_MAI, [{"type": "text", "text": "ก" * 5001}])
    assert refused.value.status == 400
    item = emulator.conversation(CHIANG_MAI)[-1]
    assert item.kind == "refused" and item.status == 400 and item.via == "push"
    assert item.error is not None and item.error["message"] == "The request body has 1 error(s)"
    assert item.error["details"][0]["property"] == "messages[0].text"
    assert item.raw["messages"][0]["text"] == "ก" * 5001


def test_a_reply_with_a_spent_token_is_shown(bot: LiveBot, emulator: Emulator) -> None:
    call = emulator.say(SOMCHAI, "เมนู")
    bot.work()
    token = call.body["events"][0]["replyToken"]
    with pytest.raises(LineApiError):
        services_of(bot.app).line.reply(token, [{"type": "text", "text": "again"}])
    last = emulator.conversation(SOMCHAI)[-1]
    assert last.kind == "refused" and last.error == {"message": "Invalid reply token"}


def test_unfollow_then_follow(bot: LiveBot, emulator: Emulator) -> None:
    def following() -> bool:
        with services_of(bot.app).db.session() as session:
            return session.scalars(select(LineUser.following).where(LineUser.line_user_id == SOMCHAI)).one()

    unfollow = emulator.unfollow(SOMCHAI)
    assert "replyToken" not in unfollow.body["events"][0]
    bot.work()
    with pytest.raises(EmulatorError):
        emulator.say(SOMCHAI, "เมนู")  # blocked: LINE delivers nothing
    follow = emulator.follow(SOMCHAI)
    assert follow.body["events"][0]["follow"] == {"isUnblocked": True}
    bot.work()
    assert following() is True
    chat = emulator.conversation(SOMCHAI)
    assert [i.event_type for i in chat if i.kind == "event"] == ["unfollow", "follow"]
    assert chat[-1].kind == "bot" and "เพิ่ม" in all_text(bot_messages(chat[-1:]))
    emulator.unfollow(SOMCHAI)
    bot.work()
    assert following() is False


def test_a_member_joins_and_is_welcomed(bot: LiveBot, emulator: Emulator) -> None:
    with pytest.raises(EmulatorError):
        emulator.say(SOMYING, "เมนู", CHIANG_MAI)  # not in the group
    call = emulator.member_joined(CHIANG_MAI, SOMYING)
    assert call is not None and call.body["events"][0]["joined"] == {
        "members": [{"type": "user", "userId": SOMYING}]
    }
    bot.work()
    group = emulator.group(CHIANG_MAI)
    assert group is not None and group.member_count == 26 and SOMYING in group.member_ids
    assert "ยินดีต้อนรับ" in all_text(bot_messages(emulator.conversation(CHIANG_MAI)))


def test_a_redelivered_event_is_answered_once(bot: LiveBot, emulator: Emulator) -> None:
    call = emulator.say(SOMCHAI, "เมนู")
    again = emulator.redeliver(call.index)
    assert again.status == 200
    assert again.body["events"][0]["deliveryContext"] == {"isRedelivery": True}
    assert again.body["events"][0]["webhookEventId"] == call.body["events"][0]["webhookEventId"]
    assert bot.work() == 1
    assert len([i for i in emulator.conversation(SOMCHAI) if i.kind == "bot"]) == 1


def test_the_bot_leaving_and_a_mention_in_a_group(bot: LiveBot, emulator: Emulator) -> None:
    emulator.say(SOMCHAI, "สวัสดีทุกคน", CHIANG_MAI)  # group chatter: the bot stays quiet
    bot.work()
    assert kinds(emulator.conversation(CHIANG_MAI)) == ["message"]
    call = emulator.say(SOMCHAI, f"@{emulator.bot_name} ขยะติดเชื้อ", CHIANG_MAI)
    assert call.body["events"][0]["message"]["mention"]["mentionees"][0]["isSelf"] is True
    bot.work()
    assert kinds(emulator.conversation(CHIANG_MAI)) == ["message", "message", "bot"]
    emulator.say(SOMCHAI, "ลงทะเบียน จ.เชียงใหม่", CHIANG_MAI)  # a command: no mention needed
    bot.work()
    assert "ลงทะเบียนกลุ่มนี้กับจังหวัดเชียงใหม่" in all_text(bot_messages(emulator.conversation(CHIANG_MAI)))
    left = emulator.leave(CHIANG_MAI, removed_by=SOMCHAI)
    assert "replyToken" not in left.body["events"][0]
    bot.work()
    with pytest.raises(EmulatorError):
        emulator.say(SOMCHAI, "สถานะ", CHIANG_MAI)
    with services_of(bot.app).db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == CHIANG_MAI)).one()
        assert group.status == GroupStatus.LEFT


# --- the page's API ---------------------------------------------------------------------------------


def http(
    method: str, url: str, body: Any = None, content_type: str = "application/json", host: str | None = None
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": content_type, **({"Host": host} if host else {})}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            status = response.status
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        raw, status, kind = error.read(), error.code, error.headers.get_content_type()
    return status, json.loads(raw) if kind == "application/json" else raw.decode()


def test_the_page_and_its_assets(emulator: Emulator) -> None:
    status, page = http("GET", emulator.simulator_url)
    assert status == 200 and "LINE จำลอง" in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None  # no inline script
    for asset in ("simulator.js", "simulator.css", "linechat.js", "linechat.css"):
        status, text = http("GET", f"{emulator.base_url}/simulator/assets/{asset}")
        assert status == 200 and text, asset
    status, simulator_js = http("GET", f"{emulator.base_url}/simulator/assets/simulator.js")
    assert "innerHTML" not in simulator_js
    assert http("GET", f"{emulator.base_url}/simulator/assets/..%2Fserver.py")[0] == 404
    with urllib.request.urlopen(emulator.simulator_url, timeout=10) as response:
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_page_api_sends_and_lists(bot: LiveBot, emulator: Emulator) -> None:
    api = f"{emulator.base_url}/simulator/api"
    status, world = http("GET", f"{api}/world")
    assert status == 200
    assert [o["displayName"] for o in world["officials"]] == ["สมชาย ใจดี", "สมหญิง รักษ์ถิ่น"]
    assert {g["groupId"]: g["botIsMember"] for g in world["groups"]} == {CHIANG_MAI: True, NEW_GROUP: False}
    assert world["webhookUrl"] == f"{bot.url}/callback"

    text = {"type": "text", "userId": SOMCHAI, "text": "เมนู"}
    assert http("POST", f"{api}/send", text, content_type="text/plain")[0] == 415  # no cross-site form posts
    assert http("POST", f"{api}/send", {"type": "dance", "userId": SOMCHAI})[0] == 400
    assert http("POST", f"{api}/send", {"type": "text", "text": "x"})[0] == 400  # who?
    to_group = {"type": "text", "userId": SOMCHAI, "text": "x", "groupId": NEW_GROUP}
    status, answer = http("POST", f"{api}/send", to_group)
    assert status == 409 and "เชิญบอท" in answer["message"]
    status, sent = http("POST", f"{api}/send", text)
    assert status == 200 and sent["webhook"]["status"] == 200
    bot.work()
    status, timeline = http("GET", f"{api}/timeline?since=0")
    assert [(i["kind"], i["chatId"]) for i in timeline["items"]] == [("message", SOMCHAI), ("bot", SOMCHAI)]
    assert timeline["next"] == 2
    assert http("GET", f"{api}/timeline?since=2")[1] == {"items": [], "next": 2}
    status, webhook = http("GET", f"{api}/webhooks/{sent['webhook']['index']}")
    assert status == 200 and webhook["body"]["events"][0]["message"]["text"] == "เมนู"
    assert http("GET", f"{api}/webhooks/99")[0] == 404
    status, pressed = http(
        "POST",
        f"{api}/send",
        {"type": "action", "userId": SOMCHAI, "action": {"type": "message", "label": "10Es", "text": "10Es"}},
    )
    assert status == 200 and pressed["webhook"]["body"]["events"][0]["message"]["text"] == "10Es"


def test_the_page_and_its_api_refuse_a_host_name_pointed_at_this_machine(emulator: Emulator) -> None:
    """DNS rebinding: a page at evil.example points evil.example at 127.0.0.1 and reads the chats."""
    api = f"{emulator.base_url}/simulator/api"
    port = emulator.base_url.rsplit(":", 1)[1]
    text = {"type": "text", "userId": SOMCHAI, "text": "เมนู"}
    for host in ("evil.example", f"evil.example:{port}", f"localhost.evil.example:{port}"):
        assert http("GET", emulator.simulator_url, host=host)[0] == 403, host
        assert http("GET", f"{api}/world", host=host)[0] == 403, host
        assert http("GET", f"{api}/timeline?since=0", host=host)[0] == 403, host
        assert http("POST", f"{api}/send", text, host=host)[0] == 403, host
    assert emulator.timeline(0) == []
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert http("GET", f"{api}/world", host=host)[0] == 200, host


def test_waiting_for_an_answer_from_a_bot_with_workers(
    build_app: Callable[..., Flask], emulator: Emulator
) -> None:
    app = build_app({"line": {"api_base_url": emulator.base_url}, "webhook": {"workers": 2}}, env=LINE_ENV)
    live = LiveBot(app)
    try:
        emulator.webhook_url = f"{live.url}/callback"
        emulator.say(SOMCHAI, "10Es")
        answer = emulator.wait_for(lambda item: item.kind == "bot", timeout=15)
        assert answer.chat_id == SOMCHAI and "E7" in all_text(bot_messages([answer]))
    finally:
        live.stop()


# --- make run: serve without LINE credentials ------------------------------------------------------------


def test_serve_without_line_credentials_runs_the_bot_against_the_emulator(
    build_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` twice on one database (a restart): the world is seeded once, the bot answers the simulator."""
    import werkzeug.serving

    port, emulator_port = free_port(), free_port()
    simulator = f"http://127.0.0.1:{emulator_port}/simulator"
    answers: list[dict[str, Any]] = []

    def run_simple(host: str, port: int, app: Flask, **options: Any) -> None:
        server = make_server(host, port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            status, world = http("GET", f"{simulator}/api/world")
            assert status == 200
            me = world["officials"][0]["userId"]
            status, _ = http("POST", f"{simulator}/api/send", {"type": "text", "userId": me, "text": "10Es"})
            assert status == 200
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                items = http("GET", f"{simulator}/api/timeline?since=0")[1]["items"]
                if bots := [item for item in items if item["kind"] == "bot"]:
                    answers.append({"world": world, "answer": bots[-1]})
                    return
                time.sleep(0.1)
            raise AssertionError("the bot did not answer the simulator")
        finally:
            server.shutdown()
            thread.join(timeout=10)

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    app = build_app()  # no LINE credentials
    assert not services_of(app).settings.line.configured
    args = ["serve", "--port", str(port), "--emulator-port", str(emulator_port)]
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert f"แชตจำลอง LINE:    {simulator}" in result.output
        assert f"LINE จำลองที่ http://127.0.0.1:{emulator_port}" in result.output
        assert "กลุ่มจังหวัด 6 กลุ่มและเจ้าหน้าที่ 3 คน" in result.output
        assert "ริชเมนู 6 ปุ่มอยู่ใต้แชตส่วนตัว" in result.output
    assert len(answers) == 2
    labels = [area["action"]["label"] for area in answers[0]["world"]["richMenu"]["areas"]]
    assert labels[:2] == ["ข้อสั่งการล่าสุด", "ค้นหา"]  # the officials' menu, installed by serve
    assert "E7" in all_text(answers[0]["answer"]["messages"])
    world = answers[1]["world"]
    joined = {g["groupName"]: g["botIsMember"] for g in world["groups"]}
    assert joined == {group.name: group.registered for group in devseed.GROUPS}
    with services_of(app).db.session() as session:
        registered = session.scalars(
            select(LineGroup).where(LineGroup.line_group_id.in_([g.group_id for g in devseed.GROUPS]))
        ).all()
        assert sorted(g.line_group_id for g in registered) == sorted(
            g.group_id for g in devseed.GROUPS if g.registered
        )
        assert {g.status for g in registered} == {GroupStatus.ACTIVE}
        users = session.scalars(select(LineUser.line_user_id)).all()
        assert sorted(users) == sorted(o.user_id for o in devseed.OFFICIALS)


def test_serve_with_line_credentials_leaves_line_alone(
    build_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    import werkzeug.serving

    served: list[Flask] = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda host, port, app, **options: served.append(app))
    app = build_app(env=LINE_ENV)
    result = app.test_cli_runner().invoke(args=["serve", "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert served == [app] and "แชตจำลอง" not in result.output
    assert services_of(app).settings.line.api_base_url == "https://api.line.me"


def test_the_emulator_session_settings(make_settings: Callable[..., Any]) -> None:
    with Emulator(token="session-token", channel_secret="session-secret") as emulator:
        settings = devseed.emulated_settings(make_settings(), emulator)
    assert settings.line.configured and settings.line.api_base_url.startswith("http://127.0.0.1:")
    assert settings.line.channel_secret is not None
    assert settings.line.channel_secret.get_secret_value() == "session-secret"
    assert settings.webhook.workers == devseed.EMULATOR_WORKERS  # the tests' settings have none


@pytest.mark.parametrize(("busy", "named"), [("bot", "ของบอท"), ("emulator", "ของ LINE จำลอง")])
def test_serve_with_a_port_taken_says_which_in_one_thai_line_before_anything_else(
    build_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, busy: str, named: str
) -> None:
    import socket

    import werkzeug.serving

    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **options: pytest.fail("served"))
    port, emulator_port = free_port(), free_port()
    app = build_app()  # no LINE credentials: the emulator would start too
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port if busy == "bot" else emulator_port))
        holder.listen()
        args = ["serve", "--port", str(port), "--emulator-port", str(emulator_port)]
        result = app.test_cli_runner().invoke(args=args)
        monkeypatch.setenv("BOT_SERVE_VIA", "make")
        via_make = app.test_cli_runner().invoke(args=[*args, "--check-ports"])
    assert result.exit_code == 2
    taken = port if busy == "bot" else emulator_port
    assert result.output.splitlines() == [result.output.strip()]  # one line: no banner before it
    assert f"พอร์ต {taken} ({named})" in result.output and "--" in result.output
    option = "PORT=" if busy == "bot" else "EMULATOR_PORT="
    assert via_make.exit_code == 2 and f"make run {option}" in via_make.output
