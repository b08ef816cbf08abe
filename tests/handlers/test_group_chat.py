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
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from bot.models import (
    AdminRole,
    AuditLog,
    ChangeRequestStatus,
    GroupChangeRequest,
    GroupStatus,
    InboxEvent,
    InboxStatus,
    LineGroup,
    LineUser,
    Province,
    utcnow,
)
from handlers.events import make_processor
from handlers.inbox import Claimed, Inbox
from handlers.line_event import parse_event
from linesim import LineStandIn
from tests.conftest import services_of
from tests.console_helpers import logged_in
from tests.linebot_helpers import ACCESS_TOKEN, Chat, all_text, post_events

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
    sqlalchemy_event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", before)


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
            stored[e["webhookEventId"]].id,
            e["webhookEventId"],
            parse_event(stored[e["webhookEventId"]].payload),
            utcnow(),
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


# --- a registered group keeps its province until an administrator approves a change ----------------


def send(app: Flask, standin: LineStandIn, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """Events through the signed /callback, then worked: what the bot sent to their chat meanwhile."""
    source = events[0]["source"]
    chat = source.get("groupId") or source["userId"]
    before = len(standin.messages_to(chat))
    assert post_events(app.test_client(), list(events)).status_code == 200
    inbox: Inbox = app.extensions["inbox"]
    inbox.drain()
    return [dict(m) for m in standin.messages_to(chat)][before:]


@pytest.fixture
def group_bot(make_bot: Callable[..., Flask], standin: LineStandIn, request: pytest.FixtureRequest) -> Flask:
    """The bot, with group C100 registered for Chiang Mai by a member's "ลงทะเบียน เชียงใหม่" (and
    approved by an administrator where approval is required: parametrise with True)."""
    approval = bool(getattr(request, "param", False))
    app = make_bot(groups={"require_approval": approval})
    member = Chat(standin, MEMBER, GROUP)
    send(app, standin, member.event("join"), member.text("ลงทะเบียน เชียงใหม่"))
    if approval:
        with services_of(app).db.session() as session:
            session.scalars(select(LineGroup)).one().status = GroupStatus.ACTIVE
    assert _registration(app) == (GroupStatus.ACTIVE, "เชียงใหม่")
    return app


def _registration(app: Flask, group_id: str = GROUP) -> tuple[GroupStatus, str | None] | None:
    with services_of(app).db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == group_id)).first()
        if group is None:
            return None
        return group.status, group.province.name_th if group.province else None


def _province_id(app: Flask, name: str) -> int:
    with services_of(app).db.session() as session:
        found = session.scalar(select(Province.id).where(Province.name_th == name))
        assert found is not None
        return found


def _changes(app: Flask) -> list[tuple[int, str, str | None, str | None, ChangeRequestStatus, str | None]]:
    with services_of(app).db.session() as session:
        return [
            (c.id, c.province.name_th, c.requested_by, c.requested_by_name, c.status, c.decided_by)
            for c in session.scalars(select(GroupChangeRequest).order_by(GroupChangeRequest.id))
        ]


def _audit(app: Flask, *actions: str) -> list[tuple[str, str, dict[str, Any]]]:
    with services_of(app).db.session() as session:
        return [
            (a.actor, a.action, a.details)
            for a in session.scalars(
                select(AuditLog).where(AuditLog.action.in_(actions)).order_by(AuditLog.id)
            )
        ]


@pytest.mark.parametrize("group_bot", [False, True], ids=["no-approval", "approval"], indirect=True)
def test_a_member_asking_for_another_province_sends_a_request_and_the_group_keeps_its_own(
    group_bot: Flask, standin: LineStandIn
) -> None:
    other = Chat(standin, OTHER, GROUP)
    answer = all_text(send(group_bot, standin, other.text("ลงทะเบียน ภูเก็ต")))
    assert "ส่งคำขอเปลี่ยนจังหวัดของกลุ่มนี้เป็นภูเก็ตแล้ว" in answer and "รอผู้ดูแลระบบอนุมัติ" in answer
    assert "เชียงใหม่ตามเดิม" in answer
    nan = _province_id(group_bot, "น่าน")  # the province buttons make the same request
    assert "เป็นน่านแล้ว" in all_text(
        send(group_bot, standin, other.postback(f"action=register&province={nan}"))
    )
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")  # still on broadcasts, as before
    pending = ChangeRequestStatus.PENDING
    assert [c[1:] for c in _changes(group_bot)] == [
        ("ภูเก็ต", OTHER, "สมหญิง รักดี", pending, None),
        ("น่าน", OTHER, "สมหญิง รักดี", pending, None),
    ]
    # The same province asked again is the same request, with its latest asker; the group's own
    # province is simply acknowledged.
    send(group_bot, standin, Chat(standin, MEMBER, GROUP).text("ลงทะเบียน ภูเก็ต"))
    assert [c[1:3] for c in _changes(group_bot)] == [("ภูเก็ต", MEMBER), ("น่าน", OTHER)]
    assert "เชียงใหม่เรียบร้อย" in all_text(send(group_bot, standin, other.text("ลงทะเบียน เชียงใหม่")))
    assert len(_changes(group_bot)) == 2
    assert [d["member"] for _, _, d in _audit(group_bot, "group.change_request")] == [
        "สมหญิง รักดี",
        "สมหญิง รักดี",
        "สมชาย ใจดี",
    ]


def test_an_administrator_sees_who_asked_and_approves_or_rejects(
    group_bot: Flask, standin: LineStandIn
) -> None:
    other = Chat(standin, OTHER, GROUP)
    send(group_bot, standin, other.text("ลงทะเบียน ภูเก็ต"), other.text("ลงทะเบียน น่าน"))
    phuket, nan = (c[0] for c in _changes(group_bot))
    editor = logged_in(group_bot, "editor1", AdminRole.EDITOR)
    page = editor.get("/admin/groups").get_data(as_text=True)
    assert f'data-change="{phuket}"' in page and "สมหญิง รักดี" in page and OTHER in page
    assert editor.submit("/admin/groups", f"/admin/groups/requests/{phuket}/approve").status_code == 403
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")
    admin = logged_in(group_bot, "admin1", AdminRole.ADMIN)
    assert admin.submit("/admin/groups", f"/admin/groups/requests/{phuket}/approve").status_code == 302
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "ภูเก็ต")
    # Approving one settles the group's others: they asked to move a group that has just moved.
    assert [c[1:] for c in _changes(group_bot)] == [
        ("ภูเก็ต", OTHER, "สมหญิง รักดี", ChangeRequestStatus.APPROVED, "admin1"),
        ("น่าน", OTHER, "สมหญิง รักดี", ChangeRequestStatus.REJECTED, "admin1"),
    ]
    assert admin.submit("/admin/groups", f"/admin/groups/requests/{nan}/approve").status_code == 302
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "ภูเก็ต")  # decided already: nothing
    send(group_bot, standin, other.text("ลงทะเบียน สงขลา"))
    songkhla = _changes(group_bot)[-1][0]
    assert admin.submit("/admin/groups", f"/admin/groups/requests/{songkhla}/reject").status_code == 302
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "ภูเก็ต")
    assert _changes(group_bot)[-1][4:] == (ChangeRequestStatus.REJECTED, "admin1")
    decisions = _audit(group_bot, "group.change_approved", "group.change_rejected")
    assert [(actor, action, d["requested"], d["requested_by"]) for actor, action, d in decisions] == [
        ("admin1", "group.change_approved", "ภูเก็ต", "สมหญิง รักดี"),
        ("admin1", "group.change_rejected", "สงขลา", "สมหญิง รักดี"),
    ]


# --- unsubscribing asks first --------------------------------------------------------------------------


def test_unsubscribing_asks_and_only_the_confirmation_stops_the_news(
    group_bot: Flask, standin: LineStandIn
) -> None:
    other = Chat(standin, OTHER, GROUP)
    question = send(group_bot, standin, other.text("ยกเลิกการรับข่าว"))
    assert "ยืนยันยกเลิกการรับข่าวของจังหวัดเชียงใหม่" in all_text(question)
    yes, no = (item["action"] for item in question[0]["quickReply"]["items"])
    assert yes["type"] == no["type"] == "postback"
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")
    assert "ไม่ได้ยกเลิก" in all_text(send(group_bot, standin, other.postback(no["data"])))
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")
    done = all_text(send(group_bot, standin, other.postback(yes["data"])))
    assert "ยกเลิกการรับข่าวของกลุ่มนี้แล้ว" in done and "สมหญิง รักดี" in done
    assert _registration(group_bot) == (GroupStatus.PENDING, None)
    assert _audit(group_bot, "group.unsubscribe") == [
        (f"line:{OTHER}", "group.unsubscribe", {"province": "เชียงใหม่", "member": "สมหญิง รักดี"})
    ]
    # The same button pressed again, once the group registered elsewhere, changes nothing.
    send(group_bot, standin, other.text("ลงทะเบียน ภูเก็ต"))
    assert "เปลี่ยนไปแล้ว" in all_text(send(group_bot, standin, other.postback(yes["data"])))
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "ภูเก็ต")


def test_a_member_line_cannot_name_is_audited_by_user_id(group_bot: Flask, standin: LineStandIn) -> None:
    stranger = Chat(standin, "U3000", GROUP)  # not among the group's members LINE knows
    question = send(group_bot, standin, stranger.text("ยกเลิกการรับข่าว"))
    send(group_bot, standin, stranger.postback(question[0]["quickReply"]["items"][0]["action"]["data"]))
    assert _registration(group_bot) == (GroupStatus.PENDING, None)
    assert _audit(group_bot, "group.unsubscribe")[0][2]["member"] == "U3000"
    profile_calls = standin.received(endpoint="group_member_profile")
    assert [call.path for call in profile_calls] == [f"/v2/bot/group/{GROUP}/member/U3000"]
    assert [call.status for call in profile_calls] == [404]


# --- a group the bot left ------------------------------------------------------------------------------


def test_a_group_marked_left_comes_back_only_through_a_join(group_bot: Flask, standin: LineStandIn) -> None:
    member = Chat(standin, MEMBER, GROUP)
    send(group_bot, standin, member.event("leave", reply=False))
    assert _registration(group_bot) == (GroupStatus.LEFT, "เชียงใหม่")
    nan = _province_id(group_bot, "น่าน")
    for event in (
        member.text("ลงทะเบียน เชียงใหม่"),
        member.text("ลงทะเบียน น่าน"),
        member.postback(f"action=register&province={nan}"),
        member.postback(f"action=unsubscribe&province={_province_id(group_bot, 'เชียงใหม่')}"),
    ):
        send(group_bot, standin, event)
        assert _registration(group_bot) == (GroupStatus.LEFT, "เชียงใหม่"), event
    assert _changes(group_bot) == []
    send(group_bot, standin, member.event("join"))
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")


def test_leaving_and_rejoining_does_not_undo_an_administrator(
    make_bot: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make_bot(groups={"require_approval": True})
    member = Chat(standin, MEMBER, GROUP)
    send(bot, standin, member.event("join"), member.text("ลงทะเบียน เชียงใหม่"))
    assert _registration(bot) == (GroupStatus.PENDING, "เชียงใหม่")  # waits for approval
    send(bot, standin, member.event("leave", reply=False))
    send(bot, standin, member.event("join"))
    assert _registration(bot) == (GroupStatus.PENDING, None)  # not approved by leaving and coming back
    send(bot, standin, member.text("ลงทะเบียน เชียงใหม่"))
    with services_of(bot).db.session() as session:
        session.scalars(select(LineGroup)).one().status = GroupStatus.INACTIVE  # switched off
    send(bot, standin, member.event("leave", reply=False))
    send(bot, standin, member.event("join"))
    assert _registration(bot) == (GroupStatus.INACTIVE, "เชียงใหม่")


# --- old events change nothing ---------------------------------------------------------------------------


def test_old_signed_events_do_not_change_a_group(
    group_bot: Flask, standin: LineStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    ten_minutes = 600
    member, newcomer = Chat(standin, MEMBER, GROUP), Chat(standin, MEMBER, "C200")
    chiang_mai, nan = _province_id(group_bot, "เชียงใหม่"), _province_id(group_bot, "น่าน")
    sent_before = len(standin.received())
    events = [
        newcomer.text("ลงทะเบียน ภูเก็ต", age_seconds=ten_minutes),  # a first registration
        newcomer.event(
            "postback", postback={"data": f"action=register&province={nan}"}, age_seconds=ten_minutes
        ),
        member.event(
            "postback", postback={"data": f"action=register&province={nan}"}, age_seconds=ten_minutes
        ),
        member.event(
            "postback",
            postback={"data": f"action=unsubscribe&province={chiang_mai}"},
            age_seconds=ten_minutes,
        ),
    ]
    with caplog.at_level("WARNING", logger="handlers.events"):
        for event in events:
            send(group_bot, standin, event)
    assert _registration(group_bot, "C200") is None
    assert _registration(group_bot) == (GroupStatus.ACTIVE, "เชียงใหม่")
    assert _changes(group_bot) == []
    assert standin.received()[sent_before:] == []  # no late answer pushed either
    ignored = [r.getMessage() for r in caplog.records if "ignored, the event is" in r.getMessage()]
    assert len(ignored) == len(events)
    # Within the limit (here four minutes old, past the reply token) a registration still counts.
    send(group_bot, standin, newcomer.text("ลงทะเบียน ภูเก็ต", age_seconds=240))
    assert _registration(group_bot, "C200") == (GroupStatus.ACTIVE, "ภูเก็ต")
