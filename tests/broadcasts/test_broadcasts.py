"""Broadcasts: targets, send slots in Bangkok time, the quota guard, cancel, misfire, publication,
acknowledgements, bulk group registration — on SQLite and PostgreSQL, against the LINE stand-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.models import (
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    BroadcastTarget,
    Delivery,
    DeliveryStatus,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    utcnow,
)
from bot.settings import BroadcastSettings
from broadcasts import service
from broadcasts.content import messages_for
from broadcasts.scheduler import due_broadcasts
from linesim import LineStandIn, validate_messages
from tests.conftest import services_of
from tests.linebot_helpers import LINE_ENV, Chat, post_events

BANGKOK = ZoneInfo("Asia/Bangkok")
TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    return build_app({"line": {"api_base_url": standin.base_url}}, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})


def register(bot: Flask, standin: LineStandIn, groups: dict[str, tuple[str, int]]) -> None:
    """Groups the bot is in (stand-in) and has registered: {group id: (province, members)}."""
    for group_id, (_, members) in groups.items():
        standin.add_group(group_id, name=group_id, member_count=members)
    rows = [{"group_id": g, "province": p, "member_count": m} for g, (p, m) in groups.items()]
    response = bot.test_client().post("/api/groups", json={"groups": rows}, headers=AUTH)
    assert response.status_code == 200, response.json


GROUPS = {"C1": ("เชียงใหม่", 20), "C2": ("เชียงราย", 15), "C3": ("สงขลา", 30), "C4": ("พิษณุโลก", 10)}


# --- time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 25, 10, 0, tzinfo=BANGKOK), dt.datetime(2026, 11, 26, 8, 30, tzinfo=BANGKOK)),
        (dt.datetime(2026, 11, 25, 7, 0, tzinfo=BANGKOK), dt.datetime(2026, 11, 25, 8, 30, tzinfo=BANGKOK)),
        (dt.datetime(2026, 11, 25, 23, 59, tzinfo=BANGKOK), dt.datetime(2026, 11, 26, 8, 30, tzinfo=BANGKOK)),
        # 01:00 UTC is 08:00 in Bangkok: today's slot is still ahead
        (dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 11, 25, 8, 30, tzinfo=BANGKOK)),
        (dt.datetime(2026, 12, 31, 9, 0, tzinfo=BANGKOK), dt.datetime(2027, 1, 1, 8, 30, tzinfo=BANGKOK)),
    ],
)
def test_next_send_slot_is_bangkok_time(now: dt.datetime, expected: dt.datetime) -> None:
    slot = service.next_send_slot(now, BroadcastSettings(), BANGKOK)
    assert slot == expected and slot.tzinfo is not None


def test_a_send_time_inside_quiet_hours_moves_to_their_end() -> None:
    settings = BroadcastSettings(send_time="06:00", quiet_hours="22:00-07:15")
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)
    assert service.next_send_slot(now, settings, BANGKOK) == dt.datetime(2026, 11, 26, 7, 15, tzinfo=BANGKOK)


@pytest.mark.parametrize(
    ("local", "quiet"),
    [("19:59", False), ("20:00", True), ("23:30", True), ("03:00", True), ("07:00", False)],
)
def test_quiet_hours_across_midnight(local: str, quiet: bool) -> None:
    hour, minute = map(int, local.split(":"))
    moment = dt.datetime(2026, 11, 25, hour, minute, tzinfo=BANGKOK)
    assert service.in_quiet_hours(moment, BroadcastSettings(), BANGKOK) is quiet


# --- targets and cost -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"all": True}, {"C1", "C2", "C3", "C4"}),
        ({"regions": ["north"]}, {"C1", "C2"}),  # geographic north: 9 provinces, not พิษณุโลก
        ({"regions": ["ภาคใต้"]}, {"C3"}),
        ({"provinces": ["Chiang Mai", "สงขลา"]}, {"C1", "C3"}),
        ({"groups": ["C4"]}, {"C4"}),
    ],
)
def test_targets(bot: Flask, standin: LineStandIn, spec: dict[str, Any], expected: set[str]) -> None:
    register(bot, standin, GROUPS)
    with services_of(bot).db.session() as session:
        target = service.parse_target(session, spec)
        assert {g.line_group_id for g in service.target_groups(session, target)} == expected


def test_the_ministrys_north_includes_phitsanulok(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    with services_of(bot).db.session() as session:
        moi_north = session.scalars(select(Province.moi_region_id).where(Province.name_th == "พิษณุโลก")).one()
        groups = service.target_groups(session, service.Target(BroadcastTarget.REGIONS, (moi_north,)))
        assert {g.line_group_id for g in groups} == {"C1", "C2", "C4"}


def test_groups_that_left_are_not_targets(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    with services_of(bot).db.session() as session:
        session.scalars(
            select(LineGroup).where(LineGroup.line_group_id == "C2")
        ).one().status = GroupStatus.LEFT
    with services_of(bot).db.session() as session:
        groups = service.target_groups(session, service.Target(BroadcastTarget.ALL))
        assert "C2" not in {g.line_group_id for g in groups}


@pytest.mark.parametrize(
    "spec", [{}, {"regions": ["atlantis"]}, {"provinces": ["ดาวอังคาร"]}, {"groups": ["nope"]}]
)
def test_bad_targets(bot: Flask, spec: dict[str, Any]) -> None:
    with services_of(bot).db.session() as session, pytest.raises(service.BroadcastError):
        service.parse_target(session, spec)


def test_the_estimate_counts_members_and_asks_line_for_unknown_counts(
    bot: Flask, standin: LineStandIn
) -> None:
    register(bot, standin, GROUPS)
    standin.add_group("C9", name="C9", member_count=44)
    bot.test_client().post(
        "/api/groups", json={"groups": [{"group_id": "C9", "province": "น่าน"}]}, headers=AUTH
    )
    response = bot.test_client().post(
        "/api/broadcasts", json={"text": "ทดสอบ", "target": {"all": True}, "dry_run": True}, headers=AUTH
    )
    assert response.json == {
        "groups": 5,
        "cost_estimate": 20 + 15 + 30 + 10 + 44,
        "quota_left": None,
        "exceeds_quota": False,
        "quiet_hours": {"inside": False, "refused": None, "next_allowed": None},  # tests: no quiet hours
    }


def test_the_quota_guard(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)  # 75 members in all
    standin.set_quota("limited", 100)
    standin.set_consumption(40)
    client = bot.test_client()
    refused = client.post("/api/broadcasts", json={"text": "แจ้งเตือน", "target": {"all": True}}, headers=AUTH)
    assert refused.status_code == 409 and "75" in refused.json["error"]  # type: ignore[index]
    with services_of(bot).db.session() as session:
        assert session.scalar(select(func.count()).select_from(Broadcast)) == 0
    forced = client.post(
        "/api/broadcasts", json={"text": "แจ้งเตือน", "target": {"all": True}, "force": True}, headers=AUTH
    )
    assert forced.status_code == 201 and forced.json["forced"] is True  # type: ignore[index]
    small = client.post("/api/broadcasts", json={"text": "x", "target": {"groups": ["C4"]}}, headers=AUTH)
    assert small.status_code == 201 and small.json["cost_estimate"] == 10  # type: ignore[index]


# --- lifecycle ----------------------------------------------------------------------------------


def test_create_then_cancel(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    client = bot.test_client()
    created = client.post(
        "/api/broadcasts",
        json={"text": "ประชุมด่วน", "target": {"provinces": ["เชียงใหม่"]}, "at": "2030-01-15T09:00"},
        headers=AUTH,
    ).json
    assert created is not None
    assert created["scheduled_at"] == "2030-01-15T09:00:00+07:00" and created["status"] == "scheduled"
    cancelled = client.delete(f"/api/broadcasts/{created['id']}", headers=AUTH)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"  # type: ignore[index]
    assert client.delete(f"/api/broadcasts/{created['id']}", headers=AUTH).status_code == 409
    assert client.delete("/api/broadcasts/9999", headers=AUTH).status_code == 404


def test_a_broadcast_that_started_cannot_be_cancelled(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    client = bot.test_client()
    created = client.post("/api/broadcasts", json={"text": "x", "target": {"all": True}}, headers=AUTH).json
    assert created is not None
    assert due_broadcasts(services_of(bot)) == [created["id"]]
    assert client.delete(f"/api/broadcasts/{created['id']}", headers=AUTH).status_code == 409
    shown = client.get(f"/api/broadcasts/{created['id']}", headers=AUTH).json
    assert (
        shown is not None and shown["status"] == "sending" and shown["total"] == 4 and shown["pending"] == 4
    )


def test_claiming_is_once_and_deliveries_have_retry_keys(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    client = bot.test_client()
    created = client.post("/api/broadcasts", json={"text": "x", "target": {"all": True}}, headers=AUTH).json
    assert created is not None
    services = services_of(bot)
    assert due_broadcasts(services) == [created["id"]]
    with services.db.session() as session:
        assert not service.claim_due(session, created["id"])  # a second scheduler gets nothing
        keys = session.scalars(select(Delivery.retry_key).where(Delivery.broadcast_id == created["id"])).all()
        broadcast = session.get_one(Broadcast, created["id"])
        assert service.write_deliveries(session, broadcast) == 0  # written once
    assert len(keys) == 4 and len(set(keys)) == 4


def test_a_broadcast_too_late_is_missed(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    services = services_of(bot)
    with services.db.session() as session:
        target = service.parse_target(session, {"all": True})
        late, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text="x",
            target=target,
            actor="t",
            at=utcnow() - dt.timedelta(hours=2),
        )
        recent, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text="y",
            target=target,
            actor="t",
            at=utcnow() - dt.timedelta(minutes=10),
        )
        late_id, recent_id = late.id, recent.id
    assert due_broadcasts(services) == [recent_id]  # within misfire_grace_minutes (60): sent
    with services.db.session() as session:
        assert session.get_one(Broadcast, late_id).status is BroadcastStatus.MISSED


def test_publishing_schedules_the_summary_at_the_next_slot(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    client = bot.test_client()
    text = (Path(__file__).parents[1] / "fixtures" / "corpus" / "thaigov-70492.txt").read_text("utf-8")
    meeting = client.post("/api/meetings", json={"text": text}, headers=AUTH).json
    assert meeting is not None
    client.post(f"/api/meetings/{meeting['id']}/publish", headers=AUTH)
    client.post(f"/api/meetings/{meeting['id']}/publish", headers=AUTH)  # twice: one summary
    with services_of(bot).db.session() as session:
        broadcasts = session.scalars(select(Broadcast)).all()
        assert len(broadcasts) == 1
        summary = broadcasts[0]
        assert summary.kind is BroadcastKind.MEETING_SUMMARY and summary.meeting_id == meeting["id"]
        local = summary.scheduled_at.astimezone(BANGKOK)
        assert (local.hour, local.minute) == (8, 30) and summary.scheduled_at > utcnow()


# --- content ------------------------------------------------------------------------------------


def test_every_kind_of_content_is_a_valid_line_message(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    services = services_of(bot)
    with services.db.session() as session:
        meeting = session.scalars(select(Meeting)).first()
        assert meeting is not None
        target = service.parse_target(session, {"all": True})
        made = [
            service.create(
                services,
                session,
                kind=BroadcastKind.MEETING_SUMMARY,
                meeting_id=meeting.id,
                target=target,
                actor="t",
            )[0],
            service.create(
                services,
                session,
                kind=BroadcastKind.DIRECTIVE,
                directive_id=meeting.directives[0].id,
                target=target,
                actor="t",
            )[0],
            service.create(
                services,
                session,
                kind=BroadcastKind.TEXT,
                text="⚠️ แจ้งเตือนพายุ" * 300,
                target=target,
                actor="t",
            )[0],
        ]
        for broadcast in made:
            messages = messages_for(session, broadcast)
            assert validate_messages(list(messages)) == []
            assert f"action=ack&b={broadcast.id}".encode() in messages.encoded


# --- acknowledgements ---------------------------------------------------------------------------


def test_acknowledgement_once_per_group(bot: Flask, standin: LineStandIn) -> None:
    register(bot, standin, GROUPS)
    client = bot.test_client()
    created = client.post("/api/broadcasts", json={"text": "x", "target": {"all": True}}, headers=AUTH).json
    assert created is not None
    due_broadcasts(services_of(bot))
    group = Chat(standin, "U77", group_id="C3")
    inbox = bot.extensions["inbox"]
    post_events(client, [group.postback(f"action=ack&b={created['id']}")])
    inbox.drain()
    assert "รับทราบแล้ว" in group.replies()[-1]["text"]
    other = Chat(standin, "U78", group_id="C3")
    post_events(client, [other.postback(f"action=ack&b={created['id']}")])
    inbox.drain()
    assert "รับทราบข่าวนี้แล้วเมื่อ" in other.replies()[-1]["text"]
    shown = client.get(f"/api/broadcasts/{created['id']}", headers=AUTH).json
    assert shown is not None and shown["acknowledged"] == 1
    assert {p["province"]: p["acknowledged"] for p in shown["provinces"]}["สงขลา"] == 1
    with services_of(bot).db.session() as session:
        assert session.scalars(
            select(Delivery.acknowledged_by).where(Delivery.acknowledged_at.is_not(None))
        ).all() == ["U77"]


# --- groups in bulk ------------------------------------------------------------------------------


def test_bulk_registration_is_idempotent_and_all_or_nothing(bot: Flask) -> None:
    client = bot.test_client()
    rows = [
        {"group_id": f"C{n}", "province": ["เชียงใหม่", "Songkhla", "กทม"][n % 3], "member_count": n % 40}
        for n in range(3000)
    ]
    first = client.post("/api/groups", json={"groups": rows}, headers=AUTH)
    assert first.json == {"created": 3000, "updated": 0, "unchanged": 0}
    assert client.post("/api/groups", json={"groups": rows}, headers=AUTH).json == {
        "created": 0,
        "updated": 0,
        "unchanged": 3000,
    }
    bad = [*rows[:5], {"group_id": "Cx", "province": "ดาวอังคาร"}, {"group_id": "Cy", "province": "น่าน"}]
    refused = client.post("/api/groups", json={"groups": bad}, headers=AUTH)
    assert refused.status_code == 422 and refused.json["details"][0]["row"] == 5  # type: ignore[index]
    with services_of(bot).db.session() as session:
        assert session.scalar(select(func.count()).select_from(LineGroup)) == 3000  # Cy not written either


def test_groups_import_from_csv(bot: Flask, tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(
        "group_id,province,name,member_count\nC1,Chiang Mai,สถจ.เชียงใหม่,25\nC2,จ.น่าน,,\n", encoding="utf-8"
    )
    result = bot.test_cli_runner().invoke(args=["groups", "import", str(path)])
    assert result.exit_code == 0, result.output
    with services_of(bot).db.session() as session:
        groups = {g.line_group_id: g for g in session.scalars(select(LineGroup))}
        assert groups["C1"].member_count == 25 and groups["C1"].name == "สถจ.เชียงใหม่"
        assert groups["C2"].status is GroupStatus.ACTIVE and groups["C2"].member_count is None
    path.write_text("group_id,province\nC3,ไม่มีจังหวัดนี้\n", encoding="utf-8")
    failed = bot.test_cli_runner().invoke(args=["groups", "import", str(path)])
    assert failed.exit_code == 2 and "แถวที่ 2" in failed.output


# --- end to end -------------------------------------------------------------------------------------


def test_a_due_broadcast_reaches_every_target_group_once(bot: Flask, standin: LineStandIn) -> None:
    from broadcasts.scheduler import run_due

    register(bot, standin, GROUPS)
    client = bot.test_client()
    created = client.post(
        "/api/broadcasts", json={"text": "แจ้งเตือนอุทกภัย", "target": {"regions": ["north"]}}, headers=AUTH
    ).json
    assert created is not None
    assert run_due(services_of(bot)) == [created["id"]]
    assert run_due(services_of(bot)) == []  # nothing twice
    assert standin.delivery_counts() == {"C1": 1, "C2": 1}
    assert "แจ้งเตือนอุทกภัย" in standin.messages_to("C1")[0]["text"]
    shown = client.get(f"/api/broadcasts/{created['id']}", headers=AUTH).json
    assert shown is not None
    assert (shown["status"], shown["total"], shown["sent"], shown["failed"], shown["pending"]) == (
        "done",
        2,
        2,
        0,
        0,
    )


def test_two_schedulers_at_once_send_each_group_once(
    build_app: Callable[..., Flask], standin: LineStandIn
) -> None:
    """Two scheduler processes (separate apps, no shared lock: in-process stores) on one database."""
    import threading

    from broadcasts.scheduler import run_due

    settings = {"line": {"api_base_url": standin.base_url}}
    one = build_app(settings, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    two = build_app(settings, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    groups = {f"C{n}": (["เชียงใหม่", "สงขลา", "น่าน"][n % 3], 5) for n in range(60)}
    register(one, standin, groups)
    created = (
        one.test_client()
        .post("/api/broadcasts", json={"text": "x", "target": {"all": True}}, headers=AUTH)
        .json
    )
    assert created is not None
    sent: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda app=app: sent.append(run_due(services_of(app)))) for app in (one, two)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(sent) == 2
    assert standin.delivery_counts() == dict.fromkeys(groups, 1)
    shown = one.test_client().get(f"/api/broadcasts/{created['id']}", headers=AUTH).json
    assert shown is not None and (shown["status"], shown["sent"]) == ("done", 60)


def test_a_scheduler_that_died_mid_broadcast_is_finished_by_the_next(
    bot: Flask, standin: LineStandIn
) -> None:
    """Killed after LINE accepted some pushes but before recording them: the next run resends those with
    their retry keys (LINE: 409) and sends the rest; every group gets the broadcast exactly once."""
    from broadcasts.scheduler import run_due

    groups = {f"C{n}": ("เชียงใหม่", 5) for n in range(10)}
    register(bot, standin, groups)
    client = bot.test_client()
    created = client.post("/api/broadcasts", json={"text": "x", "target": {"all": True}}, headers=AUTH).json
    assert created is not None
    services = services_of(bot)
    due_broadcasts(services)  # claimed and deliveries written, then the process "dies"
    stale = utcnow() - dt.timedelta(minutes=10)
    with services.db.session() as session:
        deliveries = session.scalars(
            select(Delivery).where(Delivery.broadcast_id == created["id"]).order_by(Delivery.id)
        ).all()
        for delivery in deliveries[:4]:  # these went out: LINE accepted them, nothing was recorded
            group = session.get_one(LineGroup, delivery.group_id)
            services.line.push(
                group.line_group_id, [{"type": "text", "text": "x"}], retry_key=delivery.retry_key
            )
            delivery.status, delivery.attempts, delivery.updated_at = DeliveryStatus.SENDING, 1, stale
    assert run_due(services) == [created["id"]]
    assert standin.delivery_counts() == dict.fromkeys(groups, 1)
    assert len([r for r in standin.received(endpoint="push") if r.status == 409]) == 4
    shown = client.get(f"/api/broadcasts/{created['id']}", headers=AUTH).json
    assert shown is not None and (shown["status"], shown["sent"]) == ("done", 10)


def test_an_urgent_publication_sends_the_summary_now(bot: Flask, standin: LineStandIn) -> None:
    from broadcasts.scheduler import run_due

    register(bot, standin, GROUPS)
    client = bot.test_client()
    text = (Path(__file__).parents[1] / "fixtures" / "corpus" / "thaigov-37251.txt").read_text("utf-8")
    meeting = client.post("/api/meetings", json={"text": text}, headers=AUTH).json
    assert meeting is not None
    assert (
        client.post(
            f"/api/meetings/{meeting['id']}/publish", json={"urgent": "yes"}, headers=AUTH
        ).status_code
        == 422
    )
    assert (
        client.post(f"/api/meetings/{meeting['id']}/publish", json={"urgent": True}, headers=AUTH).status_code
        == 200
    )
    with services_of(bot).db.session() as session:
        summary = session.scalars(select(Broadcast)).one()
        assert summary.urgent and summary.scheduled_at <= utcnow()
    run_due(services_of(bot))
    assert standin.delivery_counts() == dict.fromkeys(GROUPS, 1)
    first = standin.messages_to("C1")[0]
    assert first["type"] == "flex" and "สรุปการประชุม" in first["altText"]
