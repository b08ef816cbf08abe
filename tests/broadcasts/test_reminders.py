"""Reminders before a deadline, the loop of issue #19 end to end through the real /callback and the LINE
stand-in: a meeting with two deadlines is sent to the groups of three provinces; one reports done, one
in progress (delivered twice); the reminder a week before reaches the two provinces not done, once
each with a retry key; the board, the API and the CSV agree — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select, update

from bot.models import (
    AdminRole,
    AuditLog,
    Broadcast,
    BroadcastKind,
    BroadcastStatus,
    Delivery,
    DirectiveReminder,
    Meeting,
    utcnow,
)
from bot.settings import BroadcastSettings
from broadcasts import reminders, service
from broadcasts.scheduler import run_due
from linesim import LineStandIn, validate_messages
from tests.broadcasts.test_board import board_cells, reported_cells
from tests.broadcasts.test_reports import GROUPS, TOKEN, api, choose, press, report_button, say
from tests.conftest import services_of
from tests.console_helpers import logged_in
from tests.linebot_helpers import LINE_ENV, Chat, all_text

BANGKOK = ZoneInfo("Asia/Bangkok")


def today() -> dt.date:
    return utcnow().astimezone(BANGKOK).date()


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    return build_app({"line": {"api_base_url": standin.base_url}}, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})


def publish_with_deadlines(bot: Flask, standin: LineStandIn, deadlines: dict[int, dt.date]) -> dict[str, Any]:
    """The seed meeting, deadlines set by an editor, its summary sent to the groups of three provinces."""
    for group_id in GROUPS:
        standin.add_group(group_id, name=f"กลุ่ม {group_id}", member_count=10)
    api(bot, "POST", "/api/groups", {"groups": [{"group_id": g, "province": p} for g, p in GROUPS.items()]})
    with services_of(bot).db.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    edits = [{"seq": seq, "deadline": day.isoformat()} for seq, day in deadlines.items()]
    meeting = api(bot, "PATCH", f"/api/meetings/{meeting_id}", {"directives": edits})
    api(bot, "POST", "/api/broadcasts", {"meeting_id": meeting_id, "target": {"all": True}})
    run_due(services_of(bot))
    return dict(meeting)


def falls_due(bot: Flask) -> None:
    """Time passes to the reminders' send slot."""
    with services_of(bot).db.session() as session:
        session.execute(
            update(Broadcast)
            .where(Broadcast.kind == BroadcastKind.REMINDER)
            .values(scheduled_at=utcnow() - dt.timedelta(seconds=1))
        )


def reminders_made(bot: Flask) -> list[Broadcast]:
    with services_of(bot).db.session() as session:
        rows = session.scalars(select(Broadcast).where(Broadcast.kind == BroadcastKind.REMINDER)).all()
        session.expunge_all()
        return list(rows)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(10, None), (7, 7), (5, 7), (1, 1), (0, 1), (-1, None)],
)
def test_the_nearest_step_due(days_left: int, expected: int | None) -> None:
    day = dt.date(2026, 3, 1)
    assert reminders.nearest_step(day + dt.timedelta(days=days_left), day, (7, 1)) == expected
    assert reminders.nearest_step(day + dt.timedelta(days=days_left), day, ()) is None


def test_the_loop_from_sent_to_done(bot: Flask, standin: LineStandIn) -> None:
    week, month = today() + dt.timedelta(days=7), today() + dt.timedelta(days=30)
    meeting = publish_with_deadlines(bot, standin, {1: week, 3: month})
    first = meeting["directives"][0]["id"]
    summary = standin.messages_to("C1")[0]
    chiang_mai, songkhla = Chat(standin, "U1", group_id="C1"), Chat(standin, "U2", group_id="C2")
    done = choose(press(bot, chiang_mai, report_button(summary, 1)["data"]), "ดำเนินการแล้ว")
    event = chiang_mai.postback(done)
    press(bot, chiang_mai, done, event)
    press(bot, chiang_mai, done, {**event, "replyToken": standin.issue_reply_token("C1")})  # redelivered
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 1)["data"]), "อยู่ระหว่างดำเนินการ"))

    services = services_of(bot)
    made = reminders.plan(services)
    assert len(made) == 1 and reminders.plan(services) == []  # the step is made once
    reminder = reminders_made(bot)[0]
    assert (reminder.directive_id, reminder.status) == (first, BroadcastStatus.SCHEDULED)
    slot = service.next_send_slot(utcnow(), services.settings.broadcasts, services.settings.tz)
    assert reminder.scheduled_at == slot
    assert not service.in_quiet_hours(reminder.scheduled_at, services.settings.broadcasts, BANGKOK)
    before = len(standin.deliveries())
    falls_due(bot)
    assert run_due(services) == made and run_due(services) == []
    pushed = standin.deliveries(before)
    assert sorted(d.to or "" for d in pushed) == ["C2", "C3"]  # สงขลา in progress, ขอนแก่น silent
    with services.db.session() as session:
        keys = dict(
            session.execute(
                select(Delivery.group_id, Delivery.retry_key).where(Delivery.broadcast_id == reminder.id)
            ).all()
        )
    assert len(keys) == 2 and {d.retry_key for d in pushed} == set(keys.values())
    message = dict(pushed[0].messages[0])
    validate_messages([message])
    assert meeting["directives"][0]["title"][:30] in all_text([message])
    assert "รายงานผล" in all_text([message]) and "ใกล้ครบกำหนด" in message["altText"]

    # A reminder's "รายงานผล" works as the summary's: ขอนแก่น reports from it.
    khon_kaen = Chat(standin, "U3", group_id="C3")
    button = next(
        b["action"] for b in message["contents"]["footer"]["contents"] if b["action"]["label"] == "รายงานผล"
    )
    press(bot, khon_kaen, choose(press(bot, khon_kaen, button["data"]), "มีปัญหา"))

    expected = {(first, "เชียงใหม่"): "done", (first, "สงขลา"): "in_progress", (first, "ขอนแก่น"): "problem"}
    listed = api(bot, "GET", "/api/reports")
    assert {
        (i["directive_id"], i["province"]): i["status"] for i in listed["items"] if i["status"]
    } == expected
    viewer = logged_in(bot, "viewer", AdminRole.VIEWER)
    assert (
        reported_cells(board_cells(viewer.get("/admin/followup/").get_data(as_text=True)).cells) == expected
    )
    rows = csv.DictReader(
        io.StringIO(viewer.get("/admin/followup/reports.csv").get_data(as_text=True).lstrip("\ufeff"))
    )
    names = {"ดำเนินการแล้ว": "done", "อยู่ระหว่างดำเนินการ": "in_progress", "มีปัญหา": "problem"}
    assert {(first, r["จังหวัด"]): names[r["สถานะ"]] for r in rows if r["สถานะ"] in names} == expected
    listing = viewer.get("/admin/broadcasts/").get_data(as_text=True)
    assert "เตือนก่อนกำหนด" in listing  # visible in the console with the other broadcasts


def test_a_province_done_before_the_slot_is_not_reminded(bot: Flask, standin: LineStandIn) -> None:
    meeting = publish_with_deadlines(bot, standin, {2: today() + dt.timedelta(days=1)})
    [made] = reminders.plan(services_of(bot))
    summary = standin.messages_to("C3")[0]
    khon_kaen = Chat(standin, "U3", group_id="C3")
    press(bot, khon_kaen, choose(press(bot, khon_kaen, report_button(summary, 2)["data"]), "ดำเนินการแล้ว"))
    before = len(standin.deliveries())
    falls_due(bot)
    run_due(services_of(bot))
    assert sorted(d.to or "" for d in standin.deliveries(before)) == ["C1", "C1b", "C2"]
    with services_of(bot).db.session() as session:
        step = session.get_one(DirectiveReminder, (meeting["directives"][1]["id"], 1))
        assert step.broadcast_id == made


def test_no_reminder_after_the_deadline_nor_for_a_far_one(bot: Flask, standin: LineStandIn) -> None:
    publish_with_deadlines(
        bot, standin, {1: today() - dt.timedelta(days=1), 2: today() + dt.timedelta(days=8)}
    )
    assert reminders.plan(services_of(bot)) == []
    rows = api(bot, "GET", "/api/reports")["directives"]
    assert [d["overdue"] for d in rows] == [True, False, False, False]


def test_a_cancelled_reminder_is_not_sent(bot: Flask, standin: LineStandIn) -> None:
    publish_with_deadlines(bot, standin, {1: today() + dt.timedelta(days=3)})
    [made] = reminders.plan(services_of(bot))
    api(bot, "DELETE", f"/api/broadcasts/{made}")
    before = len(standin.deliveries())
    falls_due(bot)
    run_due(services_of(bot))
    assert standin.deliveries(before) == [] and reminders.plan(services_of(bot)) == []


def test_the_quota_guard_holds_reminders_back(bot: Flask, standin: LineStandIn) -> None:
    publish_with_deadlines(bot, standin, {1: today() + dt.timedelta(days=2)})
    standin.set_quota("limited", 45)  # the summary used 40: 5 left, the reminder costs 40
    assert reminders.plan(services_of(bot)) == []
    assert reminders_made(bot) == []
    with services_of(bot).db.session() as session:
        assert session.scalars(
            select(AuditLog.action).where(AuditLog.action == "reminder.skipped")
        ).all() == ["reminder.skipped"]


def test_two_schedulers_make_a_step_once(build_app: Callable[..., Flask], standin: LineStandIn) -> None:
    settings = {"line": {"api_base_url": standin.base_url}}
    one = build_app(settings, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    two = build_app(settings, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    publish_with_deadlines(
        one, standin, {1: today() + dt.timedelta(days=7), 2: today() + dt.timedelta(days=1)}
    )
    made = reminders.plan(services_of(one)) + reminders.plan(services_of(two))
    assert len(made) == 2 == len(reminders_made(one))


def test_reminder_days_come_from_the_settings(build_app: Callable[..., Flask], standin: LineStandIn) -> None:
    app = build_app(
        {"line": {"api_base_url": standin.base_url}, "broadcasts": {"reminder_days": [3]}},
        env={**LINE_ENV, "ADMIN_TOKEN": TOKEN},
    )
    assert services_of(app).settings.broadcasts.reminder_days == (3,)
    publish_with_deadlines(
        app, standin, {1: today() + dt.timedelta(days=5), 2: today() + dt.timedelta(days=3)}
    )
    [made] = reminders.plan(services_of(app))
    with services_of(app).db.session() as session:
        assert (
            session.get_one(Broadcast, made).directive_id
            != session.scalars(select(Meeting)).one().directives[0].id
        )
    assert BroadcastSettings().reminder_days == (7, 1)


@pytest.mark.parametrize("typed", ["มีอะไรต้องส่งบ้าง", "งานที่ใกล้ครบกำหนด", "งานค้างของจังหวัด"])
def test_in_a_provincial_group_the_due_list_is_that_provinces_open_work(
    bot: Flask, standin: LineStandIn, typed: str
) -> None:
    soon, later = today() + dt.timedelta(days=2), today() + dt.timedelta(days=20)
    meeting = publish_with_deadlines(bot, standin, {3: soon, 1: later})
    summary = standin.messages_to("C2")[0]
    songkhla = Chat(standin, "U2", group_id="C2")
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 3)["data"]), "ดำเนินการแล้ว"))
    press(bot, songkhla, choose(press(bot, songkhla, report_button(summary, 1)["data"]), "มีปัญหา"))
    first, third = meeting["directives"][0], meeting["directives"][2]
    answer = say(bot, songkhla, typed)
    assert "จังหวัดสงขลา" in answer[0]["text"]
    assert first["title"][:20] in answer[0]["text"] and "(มีปัญหา)" in answer[0]["text"]
    assert third["title"][:20] not in answer[0]["text"]  # reported done: not open
    # Another province has both open, the soonest first, not reported yet.
    khon_kaen = say(bot, Chat(standin, "U3", group_id="C3"), typed)[0]["text"]
    assert khon_kaen.index(third["title"][:20]) < khon_kaen.index(first["title"][:20])
    assert khon_kaen.count("(ยังไม่รายงาน)") == 2
    # One-to-one: the nearest deadlines overall, whoever reported.
    alone = say(bot, Chat(standin, "U2"), typed)[0]["text"]
    assert third["title"][:20] in alone and "ยังไม่รายงาน" not in alone


def test_a_province_with_nothing_open_is_told_so(bot: Flask, standin: LineStandIn) -> None:
    publish_with_deadlines(bot, standin, {2: today() + dt.timedelta(days=2)})
    summary = standin.messages_to("C3")[0]
    khon_kaen = Chat(standin, "U3", group_id="C3")
    press(bot, khon_kaen, choose(press(bot, khon_kaen, report_button(summary, 2)["data"]), "ดำเนินการแล้ว"))
    assert "ไม่มีงานค้าง" in say(bot, khon_kaen, "มีอะไรต้องส่งบ้าง")[0]["text"]
