"""Nothing wrong reaches the groups: publishing checks the meeting, unpublishing takes it back, a
correction can be announced, quiet hours hold for every non-urgent broadcast, and a group LINE refuses
is explained in Thai. Through the admin API (422 with a Thai message), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from bot import content
from bot.models import (
    AuditLog,
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    BroadcastTarget,
    Directive,
    Meeting,
    utcnow,
)
from broadcasts import service
from broadcasts.scheduler import due_broadcasts, run_due
from linesim import LineStandIn
from meetings import publishing
from tests.broadcasts.test_broadcasts import AUTH, GROUPS, TOKEN, register
from tests.conftest import services_of
from tests.linebot_helpers import LINE_ENV

BANGKOK = ZoneInfo("Asia/Bangkok")


def quiet_around_now(before: int = 60, after: int = 60) -> str:
    """Quiet hours (Bangkok) from `before` minutes ago to `after` minutes ahead: a test at any hour."""
    now = dt.datetime.now(BANGKOK)
    start, end = now - dt.timedelta(minutes=before), now + dt.timedelta(minutes=after)
    return f"{start:%H:%M}-{end:%H:%M}"


@pytest.fixture
def make(build_app: Callable[..., Flask], standin: LineStandIn) -> Callable[..., Flask]:
    def build(**broadcasts: Any) -> Flask:
        return build_app(
            {"line": {"api_base_url": standin.base_url}, "broadcasts": broadcasts},
            env={**LINE_ENV, "ADMIN_TOKEN": TOKEN},
        )

    return build


def add_meeting(app: Flask, title: str, date: dt.date | None, directives: list[str]) -> int:
    """A draft as an importer may leave it: perhaps untitled, undated, a directive without a title."""
    with services_of(app).db.session() as session:
        meeting = Meeting(title=title, meeting_date=date, raw_text="ข่าว", warnings=[])
        for seq, directive_title in enumerate(directives, start=1):
            meeting.directives.append(Directive(seq=seq, title=directive_title, text=f"เนื้อหาข้อ {seq}"))
        session.add(meeting)
        session.flush()
        return meeting.id


# --- publishing checks the meeting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "date", "directives", "fields"),
    [
        ("", dt.date(2026, 1, 5), ["ขยะ"], ["title"]),
        ("  ", None, ["ขยะ"], ["title", "date"]),
        ("ประชุมผู้บริหาร", None, ["ขยะ", ""], ["date", "directive:2"]),
        ("ประชุมผู้บริหาร", dt.date(2026, 1, 5), [], ["directives"]),
    ],
)
def test_the_api_refuses_to_publish_a_meeting_that_is_not_ready(
    make: Callable[..., Flask],
    standin: LineStandIn,
    title: str,
    date: dt.date | None,
    directives: list[str],
    fields: list[str],
) -> None:
    bot = make()
    register(bot, standin, GROUPS)
    meeting_id = add_meeting(bot, title, date, directives)
    response = bot.test_client().post(f"/api/meetings/{meeting_id}/publish", headers=AUTH)
    assert response.status_code == 422
    body = response.json
    assert body is not None and body["error"].startswith("ยังเผยแพร่ไม่ได้")
    assert [d["field"] for d in body["details"]] == fields
    assert all(d["problem"] for d in body["details"])
    with services_of(bot).db.session() as session:
        assert session.get_one(Meeting, meeting_id).published_at is None
        assert session.scalars(select(Broadcast)).all() == []  # no summary headed "-"


def test_no_directives_must_be_chosen_explicitly(make: Callable[..., Flask], standin: LineStandIn) -> None:
    bot = make()
    register(bot, standin, GROUPS)
    meeting_id = add_meeting(bot, "ประชุมที่ไม่มีข้อสั่งการ", dt.date(2026, 2, 2), [])
    client = bot.test_client()
    assert client.post(f"/api/meetings/{meeting_id}/publish", headers=AUTH).status_code == 422
    published = client.post(f"/api/meetings/{meeting_id}/publish", json={"no_directives": True}, headers=AUTH)
    assert published.status_code == 200 and published.json is not None
    assert published.json["status"] == "published"
    with services_of(bot).db.session() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "meeting.publish")).one()
        assert entry.details["no_directives"] is True


def test_every_surface_publishes_through_the_same_checks(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    """The function the console, API, CLI, imports and feeds call: it refuses, and publishes once."""
    bot = make()
    register(bot, standin, GROUPS)
    services = services_of(bot)
    untitled = add_meeting(bot, "", dt.date(2026, 3, 3), ["น้ำท่วม"])
    with pytest.raises(publishing.PublishRefused) as refused:
        publishing.publish(services, untitled, actor="t")
    assert [p.field for p in refused.value.problems] == ["title"]
    ready = add_meeting(bot, "ประชุมเดือนมีนาคม", dt.date(2026, 3, 3), ["น้ำท่วม"])
    assert publishing.publish(services, ready, actor="t") is True
    assert publishing.publish(services, ready, actor="t") is False
    with services.db.session() as session:
        summaries = session.scalars(select(Broadcast).where(Broadcast.meeting_id == ready)).all()
        assert len(summaries) == 1  # announced once


# --- unpublishing and corrections ---------------------------------------------------------------


def test_unpublishing_takes_the_meeting_out_of_the_answers_and_cancels_its_summary(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make()
    register(bot, standin, GROUPS)
    services = services_of(bot)
    meeting_id = add_meeting(bot, "ประชุมที่ประกาศผิด", dt.date(2026, 4, 4), ["ไฟป่าและหมอกควัน"])
    client = bot.test_client()
    assert client.post(f"/api/meetings/{meeting_id}/publish", headers=AUTH).status_code == 200
    with services.db.session() as session:
        assert content.meeting(session, meeting_id) is not None
    assert any(hit.meeting_id == meeting_id for hit in services.search.search("ไฟป่า"))

    response = client.post(f"/api/meetings/{meeting_id}/unpublish", headers=AUTH)
    assert response.status_code == 200 and response.json is not None
    assert response.json["status"] == "draft"
    with services.db.session() as session:
        assert content.meeting(session, meeting_id) is None
        summary = session.scalars(select(Broadcast).where(Broadcast.meeting_id == meeting_id)).one()
        assert summary.status is BroadcastStatus.CANCELLED and summary.finished_at is not None
        actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        assert actions[-2:] == ["meeting.unpublish", "broadcast.cancel"]
    assert not any(hit.meeting_id == meeting_id for hit in services.search.search("ไฟป่า"))
    assert client.post(f"/api/meetings/{meeting_id}/unpublish", headers=AUTH).status_code == 409


def test_a_correction_notice_goes_only_to_the_groups_that_received_the_meeting(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make()
    register(bot, standin, GROUPS)
    services = services_of(bot)
    meeting_id = add_meeting(bot, "ประชุมเดือนเมษายน", dt.date(2026, 4, 20), ["ภัยแล้ง"])
    publishing.publish(services, meeting_id, actor="t", urgent=True)
    run_due(services)
    received = {push.body["to"] for push in standin.received(endpoint="push")}
    assert received == set(GROUPS)
    register(bot, standin, {"C9": ("ลำปาง", 12)})  # joined later: it never got the meeting

    publishing.announce_correction(services, meeting_id, ["title", "directive 1 text"], actor="editor")
    with services.db.session() as session:
        notice = session.scalars(select(Broadcast).where(Broadcast.kind == BroadcastKind.TEXT)).one()
        assert notice.target_kind is BroadcastTarget.GROUPS
        assert len(notice.target_ids) == len(GROUPS)
        assert notice.text is not None and "ชื่อเรื่อง" in notice.text and "ข้อสั่งการข้อ 1" in notice.text
    run_due(services)
    pushes = standin.received(endpoint="push")
    notices = [push for push in pushes if push.body["messages"][0]["type"] == "text"]
    assert {push.body["to"] for push in notices} == set(GROUPS)


def test_changes_are_named_in_thai() -> None:
    assert publishing.describe_changes(
        [
            "title",
            "date",
            "directive 2 text",
            "directive 2 categories",
            "directive 4 added",
            "directive 3 removed",
        ]
    ) == ["ชื่อเรื่อง", "วันที่ประชุม", "ข้อสั่งการข้อ 2", "เพิ่มข้อสั่งการข้อ 4", "ลบข้อสั่งการข้อ 3"]


# --- quiet hours -------------------------------------------------------------------------------------


def _alert(client: Any, **extra: Any) -> Any:
    body = {"text": "ประชุมด่วนพรุ่งนี้", "target": {"all": True}, **extra}
    return client.post("/api/broadcasts", json=body, headers=AUTH)


def test_a_non_urgent_broadcast_inside_quiet_hours_is_refused_with_the_next_allowed_time(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make(quiet_hours=quiet_around_now())
    register(bot, standin, GROUPS)
    client = bot.test_client()
    refused = _alert(client)
    assert refused.status_code == 422 and refused.json is not None
    assert "ช่วงงดส่ง" in refused.json["error"]
    next_allowed = dt.datetime.fromisoformat(refused.json["details"][0]["next_allowed"])
    assert dt.timedelta(minutes=58) < next_allowed - dt.datetime.now(BANGKOK) <= dt.timedelta(minutes=61)
    assert next_allowed.strftime("%H:%M") in refused.json["error"]

    assert _alert(client, urgent=True).status_code == 201
    assert _alert(client, force=True).status_code == 201
    later = (next_allowed + dt.timedelta(minutes=5)).isoformat()
    assert _alert(client, at=later).status_code == 201  # after quiet hours: fine
    with services_of(bot).db.session() as session:
        created = session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.create")).all()
        assert [e.details.get("quiet_hours", False) for e in created] == [True, True, False]
        assert [e.details["forced"] for e in created] == [False, True, False]


def test_a_dry_run_says_what_quiet_hours_would_do(make: Callable[..., Flask], standin: LineStandIn) -> None:
    bot = make(quiet_hours=quiet_around_now())
    register(bot, standin, GROUPS)
    client = bot.test_client()
    plain = _alert(client, dry_run=True)
    assert plain.status_code == 200 and plain.json is not None
    assert plain.json["quiet_hours"]["inside"] is True
    assert "ช่วงงดส่ง" in plain.json["quiet_hours"]["refused"]
    assert dt.datetime.fromisoformat(plain.json["quiet_hours"]["next_allowed"]) > dt.datetime.now(BANGKOK)
    allowed = {"refused": None, "next_allowed": None}
    urgent = _alert(client, dry_run=True, urgent=True).json
    assert urgent is not None and urgent["quiet_hours"] == {"inside": True, **allowed}
    later = (dt.datetime.now(BANGKOK) + dt.timedelta(hours=3)).isoformat()
    after = _alert(client, dry_run=True, at=later).json
    assert after is not None and after["quiet_hours"] == {"inside": False, **allowed}
    with services_of(bot).db.session() as session:  # a dry run stores nothing
        assert session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.create")).all() == []


def test_the_scheduler_postpones_a_non_urgent_broadcast_that_falls_due_in_quiet_hours(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make(quiet_hours=quiet_around_now(before=30, after=30))
    register(bot, standin, GROUPS)
    services = services_of(bot)
    with services.db.session() as session:
        made = [
            Broadcast(
                kind=BroadcastKind.TEXT,
                text="แจ้งเตือน",
                target_kind=BroadcastTarget.ALL,
                target_ids=[],
                scheduled_at=utcnow() - dt.timedelta(minutes=1),  # allowed when it was made
                urgent=urgent,
                status=BroadcastStatus.SCHEDULED,
            )
            for urgent in (False, True)
        ]
        session.add_all(made)
        session.flush()
        normal, urgent_id = made[0].id, made[1].id
    assert due_broadcasts(services) == [urgent_id]
    with services.db.session() as session:
        postponed = session.get_one(Broadcast, normal)
        assert postponed.status is BroadcastStatus.SCHEDULED
        assert dt.timedelta(minutes=28) < postponed.scheduled_at - utcnow() <= dt.timedelta(minutes=31)
        assert session.scalars(select(AuditLog.action).where(AuditLog.target_id == str(normal))).all() == [
            "broadcast.postpone"
        ]


# --- groups LINE refuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_error", "says"),
    [
        ("400 The property, 'to', in the request body is invalid (line[0].to: ...)", "ไม่ได้อยู่ในกลุ่ม"),
        ("403 Access to this API is not available for your account", "ไม่อนุญาต"),
        ("429 You have reached your monthly limit.", "ส่งถี่เกินไป"),
        ("500 Internal error", "ขัดข้อง"),
        ("no answer (timeout)", "ไม่ตอบ"),
        ("400 The request body has 1 error(s)", "รหัส 400"),
    ],
)
def test_a_refused_delivery_is_explained_in_thai_without_line_s_english(last_error: str, says: str) -> None:
    reason = service.failure_reason(last_error)
    assert says in reason
    assert last_error.partition(" ")[2][:12] not in reason


def test_the_cli_refuses_quiet_hours_in_one_thai_line_and_stores_nothing(
    make: Callable[..., Flask], standin: LineStandIn
) -> None:
    bot = make(quiet_hours=quiet_around_now())
    register(bot, standin, GROUPS)
    result = bot.test_cli_runner().invoke(args=["broadcast", "create", "--text", "แจ้งเตือน", "--all"])
    assert result.exit_code == 2
    assert "ช่วงงดส่ง" in result.output and len(result.output.strip().splitlines()) == 1
    with services_of(bot).db.session() as session:
        assert session.scalars(select(Broadcast)).all() == []
    urgent = bot.test_cli_runner().invoke(
        args=["broadcast", "create", "--text", "พายุเข้า", "--all", "--urgent"]
    )
    assert urgent.exit_code == 0, urgent.output
