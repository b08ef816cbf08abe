"""The console's broadcast pages (list, new with preview and cost, detail, cancel, retry, CSV), on SQLite
and PostgreSQL, against the LINE stand-in. Forms are submitted like a browser, with the page's CSRF token."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from bot.models import (
    AdminRole,
    AdminUser,
    AuditLog,
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
    Region,
    RegionScheme,
    utcnow,
)
from broadcasts import service
from broadcasts.scheduler import due_broadcasts, run_due
from linesim import LineStandIn, validate_messages
from tests.conftest import services_of
from tests.console_helpers import Browser, csrf_token, logged_in
from tests.linebot_helpers import LINE_ENV

BANGKOK = ZoneInfo("Asia/Bangkok")
NEW = "/admin/broadcasts/new"
GROUPS = {"C1": ("เชียงใหม่", 20), "C2": ("เชียงราย", 15), "C3": ("สงขลา", 30), "C4": ("พิษณุโลก", 10)}
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    # One attempt per delivery and round: a failure injected at the stand-in is final at once.
    return build_app(
        {"line": {"api_base_url": standin.base_url}, "broadcasts": {"max_attempts": 1}}, env=LINE_ENV
    )


@pytest.fixture
def editor(bot: Flask) -> Browser:
    return logged_in(bot, "editor1", AdminRole.EDITOR)


@pytest.fixture
def viewer(bot: Flask) -> Browser:
    return logged_in(bot, "viewer1", AdminRole.VIEWER)


# --- helpers -------------------------------------------------------------------------------------------


def add_groups(
    app: Flask,
    standin: LineStandIn | None,
    groups: dict[str, tuple[str, int]],
    names: dict[str, str] | None = None,
) -> None:
    """Active groups with known member counts; the stand-in knows them too (the bot is in them)."""
    with services_of(app).db.session() as session:
        for group_id, (province, members) in groups.items():
            name = (names or {}).get(group_id, f"กลุ่ม {group_id}")
            if standin is not None:
                standin.add_group(group_id, name=name, member_count=members)
            province_id = session.scalar(select(Province.id).where(Province.name_th == province))
            assert province_id is not None, province
            session.add(
                LineGroup(
                    line_group_id=group_id,
                    name=name,
                    province_id=province_id,
                    status=GroupStatus.ACTIVE,
                    member_count=members,
                    member_count_at=utcnow(),
                )
            )


def schedule(app: Flask, text: str = "แจ้งเตือน", at: dt.datetime | None = None) -> int:
    services = services_of(app)
    with services.db.session() as session:
        broadcast, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text=text,
            target=service.Target(BroadcastTarget.ALL),
            actor="test",
            at=at,
        )
        return broadcast.id


def count(app: Flask, model: type[Any], *where: Any) -> int:
    with services_of(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def region_ids(app: Flask, *codes: str) -> list[int]:
    with services_of(app).db.session() as session:
        found = dict(
            session.execute(
                select(Region.code, Region.id).where(
                    Region.scheme == RegionScheme.GEOGRAPHIC, Region.code.in_(codes)
                )
            ).all()
        )
    return [found[code] for code in codes]


def seed_meeting(app: Flask) -> Meeting:
    with services_of(app).db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.number == "3/2565")).one()
        session.expunge(meeting)
        return meeting


def page_text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def cell(response: TestResponse, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page_text(response))
    assert match is not None, f"no #{element_id} on the page"
    return match.group(1).strip()


def data_island(response: TestResponse, element_id: str) -> tuple[str, Any]:
    """The raw JSON of a <script type="application/json"> and what it decodes to."""
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', page_text(response), re.S
    )
    assert match is not None, f"no data island #{element_id}"
    return match.group(1), json.loads(match.group(1))


def text_form(**changes: Any) -> dict[str, Any]:
    return {"content": "text", "text": "แจ้งเตือนพายุ", "target": "all", "when": "now", **changes}


# --- who may do what ------------------------------------------------------------------------------------


def test_the_pages_need_a_login(bot: Flask, standin: LineStandIn) -> None:
    add_groups(bot, standin, GROUPS)
    broadcast_id = schedule(bot, at=utcnow() + dt.timedelta(days=3))
    anonymous = Browser(bot)
    for path in ("/admin/broadcasts/", NEW, f"/admin/broadcasts/{broadcast_id}"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response.location.startswith("/admin/login")


def test_a_viewer_reads_but_cannot_create_cancel_or_retry(
    bot: Flask, standin: LineStandIn, viewer: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    broadcast_id = schedule(bot, text="ประชุมด่วนพรุ่งนี้", at=utcnow() + dt.timedelta(days=3))
    listing = viewer.get("/admin/broadcasts/")
    assert listing.status_code == 200
    assert f'data-broadcast="{broadcast_id}"' in page_text(listing) and "ประชุมด่วนพรุ่งนี้" in page_text(listing)
    assert 'href="/admin/broadcasts/"' in page_text(listing)  # the menu entry
    assert 'id="new-broadcast"' not in page_text(listing)
    detail = viewer.get(f"/admin/broadcasts/{broadcast_id}")
    assert detail.status_code == 200 and 'id="cancel-button"' not in page_text(detail)
    assert viewer.get(NEW).status_code == 403
    page = f"/admin/broadcasts/{broadcast_id}"
    assert viewer.submit(page, f"{page}/cancel").status_code == 403
    assert viewer.submit(page, f"{page}/retry").status_code == 403
    assert viewer.submit(page, NEW, **text_form(confirm="1")).status_code == 403
    assert count(bot, Broadcast) == 1
    assert count(bot, Broadcast, Broadcast.status == BroadcastStatus.SCHEDULED) == 1


def test_a_post_without_its_csrf_token_is_refused_and_stores_nothing(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    refused = editor.client.post(NEW, data=text_form(confirm="1"))
    assert refused.status_code == 400
    assert count(bot, Broadcast) == 0
    broadcast_id = schedule(bot, at=utcnow() + dt.timedelta(days=1))
    wrong = editor.client.post(f"/admin/broadcasts/{broadcast_id}/cancel", data={"csrf_token": "forged"})
    assert wrong.status_code == 400
    assert count(bot, Broadcast, Broadcast.status == BroadcastStatus.SCHEDULED) == 1
    # The same form with the page's token goes through.
    assert editor.submit(NEW, **text_form(confirm="1")).status_code == 302
    assert count(bot, Broadcast) == 2


# --- new: preview, estimate, create --------------------------------------------------------------------


def test_the_form_offers_published_content_and_groups_per_region_and_province(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, {**GROUPS, "C5": ("เชียงใหม่", 5)})
    page = page_text(editor.get(NEW))
    meeting = seed_meeting(bot)
    assert f'<option value="{meeting.id}">' in page
    north, south = region_ids(bot, "north", "south")
    assert re.search(rf'value="{north}" id="region-north"\s*>\s*<label[^>]*>ภาคเหนือ \(3 กลุ่ม\)', page)
    assert re.search(rf'value="{south}" id="region-south"\s*>\s*<label[^>]*>ภาคใต้ \(1 กลุ่ม\)', page)
    with services_of(bot).db.session() as session:
        chiang_mai = session.scalar(select(Province.id).where(Province.name_th == "เชียงใหม่"))
        provinces = session.scalar(select(func.count()).select_from(Province))
    assert re.search(rf'id="province-{chiang_mai}"\s*>\s*<label[^>]*>เชียงใหม่ \(2\)', page)
    assert page.count('name="provinces"') == provinces == 77
    assert "ทุกกลุ่ม (5 กลุ่ม)" in page
    # From a meeting's page: the meeting comes chosen.
    directive_id = seed_directive_ids(bot)[0]
    chosen = page_text(editor.get(f"{NEW}?directive_id={directive_id}"))
    assert re.search(r'<input checked id="content-directive"', chosen)
    assert f'<option value="{directive_id}" selected>' in chosen


def seed_directive_ids(app: Flask) -> list[int]:
    with services_of(app).db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.number == "3/2565")).one()
        return [d.id for d in meeting.directives]


def test_the_preview_shows_the_messages_and_the_estimate_and_stores_nothing(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    standin.set_quota("limited", 1000)
    standin.set_consumption(100)
    meeting = seed_meeting(bot)
    north, south = region_ids(bot, "north", "south")
    response = editor.submit(
        NEW,
        content="meeting",
        meeting_id=meeting.id,
        target="regions",
        regions=[north, south],
        when="now",
        preview="1",
    )
    assert response.status_code == 200
    assert (cell(response, "estimate-groups"), cell(response, "estimate-cost")) == ("3", f"{20 + 15 + 30}")
    assert cell(response, "estimate-quota") == "900"
    assert 'id="quota-warning"' not in page_text(response)
    _, messages = data_island(response, "preview-chat-data")
    assert validate_messages(messages) == []  # what LINE would accept
    assert messages[0]["type"] == "flex" and messages[0]["contents"]["type"] == "carousel"
    assert meeting.title in messages[0]["altText"]
    assert '<script src="/static/linechat.js"' in page_text(response)
    # The choices stay on the form for the confirming click.
    assert re.search(rf'value="{north}" id="region-north" checked', page_text(response))
    assert count(bot, Broadcast) == 0
    assert count(bot, AuditLog, AuditLog.action == "broadcast.create") == 0


def test_a_confirmed_broadcast_is_stored_with_its_regions_and_bangkok_time(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    north, south = region_ids(bot, "north", "south")
    response = editor.submit(
        NEW,
        **text_form(
            target="regions",
            regions=[south, north],
            when="at",
            date="2030-01-15",
            time="09:00",
            urgent="y",
            confirm="1",
        ),
    )
    assert response.status_code == 302
    services = services_of(bot)
    with services.db.session() as session:
        broadcast = session.scalars(select(Broadcast)).one()
        assert response.location == f"/admin/broadcasts/{broadcast.id}"
        assert (broadcast.kind, broadcast.text, broadcast.urgent) == (BroadcastKind.TEXT, "แจ้งเตือนพายุ", True)
        assert broadcast.target_kind is BroadcastTarget.REGIONS
        assert sorted(broadcast.target_ids) == sorted([north, south])
        assert broadcast.scheduled_at == dt.datetime(2030, 1, 15, 2, 0, tzinfo=dt.UTC)  # 09:00 in Bangkok
        assert broadcast.estimated_cost == 20 + 15 + 30
        target = service.Target(broadcast.target_kind, tuple(broadcast.target_ids))
        assert {g.line_group_id for g in service.target_groups(session, target)} == {"C1", "C2", "C3"}
        editor_id = session.scalar(select(AdminUser.id).where(AdminUser.username == "editor1"))
        assert broadcast.created_by_id == editor_id
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.create")).one()
        assert entry.actor == "editor1" and entry.target_id == str(broadcast.id)
    detail = page_text(editor.get(response.location))
    assert f"บันทึกการส่งข่าว #{broadcast.id} แล้ว: 3 กลุ่ม" in detail
    assert "15 ม.ค. 73 09:00 น." in detail  # Bangkok time, Buddhist-Era year


def test_a_broadcast_to_provinces_and_one_of_a_directive(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    meeting = seed_meeting(bot)
    with services_of(bot).db.session() as session:
        songkhla = session.scalar(select(Province.id).where(Province.name_th == "สงขลา"))
        directive_id = session.scalars(select(Meeting).where(Meeting.id == meeting.id)).one().directives[1].id
    response = editor.submit(
        NEW,
        content="directive",
        directive_id=directive_id,
        target="provinces",
        provinces=[songkhla],
        when="now",
        confirm="1",
    )
    assert response.status_code == 302
    with services_of(bot).db.session() as session:
        broadcast = session.scalars(select(Broadcast)).one()
        assert (broadcast.kind, broadcast.directive_id) == (BroadcastKind.DIRECTIVE, directive_id)
        assert (broadcast.target_kind, broadcast.target_ids) == (BroadcastTarget.PROVINCES, [songkhla])
        assert abs((broadcast.scheduled_at - utcnow()).total_seconds()) < 60  # now
    run_due(services_of(bot))
    assert standin.delivery_counts() == {"C3": 1}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "regions"}, "เลือกอย่างน้อยหนึ่งภาค"),
        ({"target": "provinces"}, "เลือกอย่างน้อยหนึ่งจังหวัด"),
        ({"text": "   "}, "พิมพ์ข้อความที่จะส่ง"),
        ({"text": "ก" * 5001}, "ข้อความยาวเกิน 5,000 ตัวอักษร"),
        ({"text": "😀" * 2501}, "ข้อความยาวเกิน 5,000 ตัวอักษร"),  # LINE counts an emoji twice
        ({"content": "meeting"}, "เลือกการประชุมที่เผยแพร่แล้ว"),
        ({"content": "directive"}, "เลือกข้อสั่งการ"),
        ({"when": "at", "date": "2030-01-15"}, "ใส่วันที่และเวลาที่จะส่ง"),
        ({"when": "at", "date": "2020-01-15", "time": "09:00"}, "เวลาที่เลือกผ่านไปแล้ว"),
    ],
)
def test_an_incomplete_form_says_what_is_missing_and_stores_nothing(
    bot: Flask, standin: LineStandIn, editor: Browser, changes: dict[str, Any], message: str
) -> None:
    add_groups(bot, standin, GROUPS)
    response = editor.submit(NEW, **text_form(confirm="1", **changes))
    assert response.status_code == 400
    assert message in page_text(response)
    assert count(bot, Broadcast) == 0


def test_content_that_is_not_published_is_refused(bot: Flask, standin: LineStandIn, editor: Browser) -> None:
    add_groups(bot, standin, GROUPS)
    meeting = seed_meeting(bot)
    with services_of(bot).db.session() as session:
        session.get_one(Meeting, meeting.id).published_at = None
    for button in ("preview", "confirm"):
        response = editor.submit(NEW, **text_form(content="meeting", meeting_id=meeting.id, **{button: "1"}))
        assert response.status_code == 422
        assert "การประชุมนี้ไม่ได้เผยแพร่แล้ว" in page_text(response)
    assert count(bot, Broadcast) == 0


def test_over_the_quota_is_refused_unless_forced(bot: Flask, standin: LineStandIn, editor: Browser) -> None:
    add_groups(bot, standin, GROUPS)  # 75 members in all
    standin.set_quota("limited", 100)
    standin.set_consumption(40)
    preview = editor.submit(NEW, **text_form(preview="1"))
    assert (cell(preview, "estimate-cost"), cell(preview, "estimate-quota")) == ("75", "60")
    assert 'id="quota-warning"' in page_text(preview)
    refused = editor.submit(NEW, **text_form(confirm="1"))
    assert refused.status_code == 409
    assert "โควตาข้อความ LINE ไม่พอ: ต้องใช้ประมาณ 75 ข้อความ เหลือ 60" in html.unescape(page_text(refused))
    assert count(bot, Broadcast) == 0
    forced = editor.submit(NEW, **text_form(confirm="1", force="y"))
    assert forced.status_code == 302
    with services_of(bot).db.session() as session:
        assert session.scalars(select(Broadcast.forced)).one() is True
    # A broadcast that fits needs no force.
    fits = editor.submit(
        NEW, **text_form(confirm="1", target="provinces", provinces=[province_id(bot, "พิษณุโลก")])
    )
    assert fits.status_code == 302 and count(bot, Broadcast) == 2


def province_id(app: Flask, name: str) -> int:
    with services_of(app).db.session() as session:
        found = session.scalar(select(Province.id).where(Province.name_th == name))
    assert found is not None
    return found


def test_without_a_line_channel_the_quota_is_not_asked(
    build_app: Callable[..., Flask], standin: LineStandIn
) -> None:
    """Development without LINE credentials: broadcasts can still be prepared (they go out once the
    channel is configured)."""
    app = build_app({"line": {"api_base_url": standin.base_url}})
    add_groups(app, standin, GROUPS)
    browser = logged_in(app, "editor1", AdminRole.EDITOR)
    preview = browser.submit(NEW, **text_form(preview="1"))
    assert preview.status_code == 200 and "ยังไม่ได้ตั้งค่าช่อง LINE" in page_text(preview)
    assert cell(preview, "estimate-quota") == "ไม่ทราบ"
    assert browser.submit(NEW, **text_form(confirm="1")).status_code == 302
    assert count(app, Broadcast) == 1
    assert standin.received(endpoint="quota") == []


def test_line_unreachable_is_said_in_thai_and_nothing_is_stored(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS)
    standin.fail_next(20, status=503, endpoint="quota")
    response = editor.submit(NEW, **text_form(confirm="1"))
    assert response.status_code == 502
    assert "ติดต่อ LINE ไม่ได้ (503)" in page_text(response)
    assert count(bot, Broadcast) == 0


# --- detail, cancel ----------------------------------------------------------------------------------


def test_cancel_a_scheduled_broadcast(bot: Flask, standin: LineStandIn, editor: Browser) -> None:
    add_groups(bot, standin, GROUPS)
    broadcast_id = schedule(bot, at=utcnow() + dt.timedelta(days=2))
    page = f"/admin/broadcasts/{broadcast_id}"
    assert 'id="cancel-button"' in page_text(editor.get(page))
    response = editor.submit(page, f"{page}/cancel")
    assert response.status_code == 302 and response.location == page
    with services_of(bot).db.session() as session:
        assert session.get_one(Broadcast, broadcast_id).status is BroadcastStatus.CANCELLED
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.cancel")).one()
        assert (entry.actor, entry.target_id) == ("editor1", str(broadcast_id))
    after = page_text(editor.get(page))
    assert f"ยกเลิกการส่งข่าว #{broadcast_id} แล้ว" in after
    assert 'id="cancel-button"' not in after and 'data-status="cancelled"' in after
    # Once it is sending, it cannot be cancelled.
    sending_id = schedule(bot)
    due_broadcasts(services_of(bot))
    sending_page = f"/admin/broadcasts/{sending_id}"
    refused = editor.submit(sending_page, f"{sending_page}/cancel")
    assert refused.status_code == 302
    assert "ยกเลิกไม่ได้" in page_text(editor.get(sending_page))
    with services_of(bot).db.session() as session:
        assert session.get_one(Broadcast, sending_id).status is BroadcastStatus.SENDING
    assert editor.submit(page, "/admin/broadcasts/999999/cancel").status_code == 404


def test_the_detail_shows_each_province_and_refreshes_while_sending(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, {**GROUPS, "C5": ("เชียงใหม่", 5)})
    broadcast_id = schedule(bot, text="แจ้งเตือนอุทกภัย")
    services = services_of(bot)
    due_broadcasts(services)  # claimed, deliveries written, nothing sent yet
    page = f"/admin/broadcasts/{broadcast_id}"
    sending = page_text(editor.get(page))
    assert '<meta http-equiv="refresh" content="5">' in sending
    assert re.search(r'data-province="เชียงใหม่">.*?data-col="pending">2<', sending, re.S)
    run_due(services)
    with services.db.session() as session:
        chiang_mai = session.scalars(
            select(Delivery)
            .join(LineGroup, Delivery.group_id == LineGroup.id)
            .where(Delivery.broadcast_id == broadcast_id, LineGroup.line_group_id == "C1")
        ).one()
        chiang_mai.acknowledged_at = utcnow()
    done = page_text(editor.get(page))
    assert 'http-equiv="refresh"' not in done and 'data-status="done"' in done
    row = re.search(r'data-province="เชียงใหม่">(.*?)</tr>', done, re.S)
    assert row is not None
    assert re.findall(r'data-col="(\w+)">(\d+)<', row.group(1)) == [
        ("sent", "2"),
        ("failed", "0"),
        ("pending", "0"),
        ("acknowledged", "1"),
    ]
    assert cell(editor.get(page), "total-sent") == "5"
    _, messages = data_island(editor.get(page), "content-chat-data")
    assert messages[0]["text"] == "แจ้งเตือนอุทกภัย"
    assert messages[0]["quickReply"]["items"][0]["action"]["data"] == f"action=ack&b={broadcast_id}"


# --- retry -------------------------------------------------------------------------------------------------


def _keys(app: Flask, broadcast_id: int) -> dict[str, str]:
    with services_of(app).db.session() as session:
        return dict(
            session.execute(
                select(LineGroup.line_group_id, Delivery.retry_key)
                .join(LineGroup, Delivery.group_id == LineGroup.id)
                .where(Delivery.broadcast_id == broadcast_id)
            ).all()
        )


def _statuses(app: Flask, broadcast_id: int) -> dict[str, DeliveryStatus]:
    with services_of(app).db.session() as session:
        return dict(
            session.execute(
                select(LineGroup.line_group_id, Delivery.status)
                .join(LineGroup, Delivery.group_id == LineGroup.id)
                .where(Delivery.broadcast_id == broadcast_id)
            ).all()
        )


def test_retrying_the_failed_deliveries_reaches_each_group_exactly_once(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    """LINE accepted some pushes but answered 500 (their deliveries failed anyway), refused one outright,
    and one group is one the bot has left (400). The retry reaches every group the bot is in once."""
    add_groups(bot, standin, GROUPS)
    add_groups(bot, None, {"CX": ("น่าน", 8)})  # registered, but the bot is not in it any more
    services = services_of(bot)
    broadcast_id = schedule(bot, text="แจ้งเตือนน้ำป่า")
    standin.configure(error_after_accept_rate=1.0)
    standin.fail_next(1, status=500, endpoint="push")
    assert run_due(services) == [broadcast_id]
    assert set(_statuses(bot, broadcast_id).values()) == {DeliveryStatus.FAILED}
    accepted = {r.retry_key for r in standin.received(endpoint="push") if r.fault == "error_after_accept"}
    assert len(accepted) >= 3  # LINE has these although the bot recorded them failed
    assert [r.fault for r in standin.received(endpoint="push")].count("scripted") == 1  # this one it has not
    keys = _keys(bot, broadcast_id)

    page = f"/admin/broadcasts/{broadcast_id}"
    shown = page_text(editor.get(page))
    assert 'data-status="partially_failed"' in shown and 'id="retry-button"' in shown
    assert 'id="failed-table"' in shown
    standin.configure(error_after_accept_rate=0.0)
    response = editor.submit(page, f"{page}/retry")
    assert response.status_code == 302
    with services.db.session() as session:
        assert session.get_one(Broadcast, broadcast_id).status is BroadcastStatus.SENDING
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "broadcast.retry")).one()
        assert entry.actor == "editor1" and entry.details["deliveries"] >= 4
    assert "ส่งซ้ำ" in page_text(editor.get(page))

    assert run_due(services) == [broadcast_id]
    assert standin.delivery_counts() == dict.fromkeys(GROUPS, 1)
    already = {r.retry_key for r in standin.received(endpoint="push") if r.status == 409}
    assert already == accepted  # the same keys again: LINE answered "accepted before"
    assert _keys(bot, broadcast_id) == keys
    statuses = _statuses(bot, broadcast_id)
    assert statuses == {**dict.fromkeys(GROUPS, DeliveryStatus.DELIVERED), "CX": DeliveryStatus.FAILED}
    with services.db.session() as session:
        assert session.get_one(Broadcast, broadcast_id).status is BroadcastStatus.PARTIALLY_FAILED
        gone = session.scalars(select(LineGroup).where(LineGroup.line_group_id == "CX")).one()
        assert gone.status is GroupStatus.LEFT
    # Only the group that left is still failed: nothing to retry, nothing changes.
    again = editor.submit(page, f"{page}/retry")
    assert again.status_code == 302
    assert "ไม่มีกลุ่มที่ส่งซ้ำได้" in page_text(editor.get(page))
    assert run_due(services) == []
    assert standin.delivery_counts() == dict.fromkeys(GROUPS, 1)


def test_retry_keeps_keys_and_skips_what_it_cannot_repeat_safely(bot: Flask, standin: LineStandIn) -> None:
    groups = {f"C{n}": ("สงขลา", 5) for n in range(1, 7)}
    add_groups(bot, standin, groups)
    services = services_of(bot)
    broadcast_id = schedule(bot)
    due_broadcasts(services)
    long_ago = utcnow() - dt.timedelta(hours=23)  # LINE may forget a retry key within the hour
    rows = {
        "C1": ("500 Internal server error", long_ago),  # may have been accepted, key about to expire
        "C2": ("400 The request body has 1 error(s)", long_ago),  # refused for sure: safe
        "C3": ("no answer (TimeoutError)", utcnow()),  # may have been accepted, key still known
        "C4": ("500 Internal server error", utcnow()),  # but the group has left since
        "C5": ("429 Too many requests", long_ago),  # an earlier attempt may have been a 500
    }
    with services.db.session() as session:
        for delivery, group in session.execute(
            select(Delivery, LineGroup)
            .join(LineGroup, Delivery.group_id == LineGroup.id)
            .where(Delivery.broadcast_id == broadcast_id)
        ):
            if group.line_group_id in rows:
                delivery.status, delivery.attempts = DeliveryStatus.FAILED, 6
                delivery.last_error, delivery.created_at = rows[group.line_group_id]
            else:
                delivery.status = DeliveryStatus.DELIVERED
            if group.line_group_id == "C4":
                group.status = GroupStatus.LEFT
        session.get_one(Broadcast, broadcast_id).status = BroadcastStatus.PARTIALLY_FAILED
    keys = _keys(bot, broadcast_id)
    with services.db.session() as session:
        retried = service.retry_failed(session, broadcast_id, actor="test")
    assert retried == service.Retry(deliveries=2, skipped=3)
    statuses = _statuses(bot, broadcast_id)
    assert {g for g, s in statuses.items() if s is DeliveryStatus.PENDING} == {"C2", "C3"}
    assert {g for g, s in statuses.items() if s is DeliveryStatus.FAILED} == {"C1", "C4", "C5"}
    assert _keys(bot, broadcast_id) == keys
    with services.db.session() as session:
        assert session.get_one(Broadcast, broadcast_id).status is BroadcastStatus.SENDING
        attempts = session.scalars(
            select(Delivery.attempts).where(Delivery.status == DeliveryStatus.PENDING)
        ).all()
        assert attempts == [0, 0]  # a fresh budget for the retry
        with pytest.raises(service.BroadcastError):  # not finished: nothing to retry yet
            service.retry_failed(session, broadcast_id, actor="test")


@pytest.mark.parametrize(
    "status", [BroadcastStatus.DONE, BroadcastStatus.SCHEDULED, BroadcastStatus.CANCELLED]
)
def test_only_a_partially_failed_broadcast_can_be_retried(
    bot: Flask, standin: LineStandIn, status: BroadcastStatus
) -> None:
    add_groups(bot, standin, GROUPS)
    broadcast_id = schedule(bot, at=utcnow() + dt.timedelta(days=1))
    services = services_of(bot)
    with services.db.session() as session:
        session.get_one(Broadcast, broadcast_id).status = status
    with services.db.session() as session, pytest.raises(service.BroadcastError, match="ส่งซ้ำไม่ได้"):
        service.retry_failed(session, broadcast_id, actor="test")
    assert count(bot, AuditLog, AuditLog.action == "broadcast.retry") == 0


# --- CSV ---------------------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_group_in_bangkok_time_and_no_formulas(
    bot: Flask, standin: LineStandIn, viewer: Browser
) -> None:
    names = {"C1": '=HYPERLINK("http://evil.example","x")', "C2": "+66 สถจ.", "C3": "@สงขลา", "C4": "ปกติ"}
    add_groups(bot, standin, GROUPS, names)
    broadcast_id = schedule(bot)
    services = services_of(bot)
    due_broadcasts(services)
    sent = dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)  # 08:30 in Bangkok
    with services.db.session() as session:
        for delivery, group in session.execute(
            select(Delivery, LineGroup)
            .join(LineGroup, Delivery.group_id == LineGroup.id)
            .where(Delivery.broadcast_id == broadcast_id)
        ):
            if group.line_group_id == "C4":
                delivery.status, delivery.attempts, delivery.last_error = DeliveryStatus.FAILED, 6, "-1 odd"
            else:
                delivery.status, delivery.attempts, delivery.sent_at = DeliveryStatus.DELIVERED, 1, sent
            if group.line_group_id == "C1":
                delivery.acknowledged_at = sent + dt.timedelta(hours=1)
    response = viewer.get(f"/admin/broadcasts/{broadcast_id}/deliveries.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="broadcast-{broadcast_id}.csv"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads the Thai as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["จังหวัด", "ภาค", "ชื่อกลุ่ม"]
    by_group = {row[3]: row for row in rows[1:]}
    assert len(rows) == 1 + 4 and set(by_group) == set(GROUPS)
    assert by_group["C1"] == [
        "เชียงใหม่",
        "ภาคเหนือ",
        '\'=HYPERLINK("http://evil.example","x")',
        "C1",
        "ส่งถึงแล้ว",
        "1",
        "2026-01-15 08:30:00",
        "2026-01-15 09:30:00",
        "",
    ]
    assert by_group["C2"][2] == "'+66 สถจ." and by_group["C3"][2] == "'@สงขลา"
    assert by_group["C4"][2:] == ["ปกติ", "C4", "ไม่สำเร็จ", "6", "", "", "'-1 odd"]
    assert viewer.get("/admin/broadcasts/999999/deliveries.csv").status_code == 404


# --- outside text stays text ------------------------------------------------------------------------------


def test_outside_text_is_escaped_in_pages_and_in_the_json(
    bot: Flask, standin: LineStandIn, editor: Browser
) -> None:
    add_groups(bot, standin, GROUPS, {"C1": SCRIPT})
    preview = editor.submit(NEW, **text_form(text=f"ข่าว {SCRIPT}", preview="1"))
    assert preview.status_code == 200
    raw, messages = data_island(preview, "preview-chat-data")
    assert messages[0]["text"] == f"ข่าว {SCRIPT}"
    assert "<" not in raw and "\\u003cscript\\u003e" in raw
    assert SCRIPT not in page_text(preview)
    created = editor.submit(NEW, **text_form(text=f"ข่าว {SCRIPT}", confirm="1"))
    assert created.status_code == 302
    broadcast_id = int(created.location.rsplit("/", 1)[1])
    standin.configure(error_after_accept_rate=1.0)  # every delivery fails: the groups are listed
    run_due(services_of(bot))
    for path in ("/admin/broadcasts/", f"/admin/broadcasts/{broadcast_id}"):
        page = page_text(editor.get(path))
        assert SCRIPT not in page and "&lt;script&gt;alert(" in page
    detail = page_text(editor.get(f"/admin/broadcasts/{broadcast_id}"))
    assert re.search(r'data-group="C1">.*?&lt;script&gt;alert', detail, re.S)


def test_the_chat_renderer_is_served_and_sets_text_safely(bot: Flask) -> None:
    client = bot.test_client()
    with client.get("/static/linechat.js") as script:
        assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
        source = script.get_data(as_text=True)
    assert "LineChat" in source and "textContent" in source
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", source)
    with client.get("/static/linechat.css") as style:
        assert style.status_code == 200 and ".lc-bubble" in style.get_data(as_text=True)


def test_the_list_shows_counts_newest_first(bot: Flask, standin: LineStandIn, viewer: Browser) -> None:
    add_groups(bot, standin, GROUPS)
    older = schedule(bot, text="ข่าวเก่า")
    run_due(services_of(bot))
    newer = schedule(bot, text="ข่าวใหม่", at=utcnow() + dt.timedelta(days=1))
    page = page_text(viewer.get("/admin/broadcasts/"))
    assert page.index(f'data-broadcast="{newer}"') < page.index(f'data-broadcast="{older}"')
    row = re.search(rf'data-broadcast="{older}">(.*?)</tr>', page, re.S)
    assert row is not None and "4 / 4" in row.group(1) and 'data-status="done"' in row.group(1)
    only_done = page_text(viewer.get("/admin/broadcasts/?status=done"))
    assert f'data-broadcast="{older}"' in only_done and f'data-broadcast="{newer}"' not in only_done
    assert csrf_token(viewer.get("/admin/broadcasts/"))  # the logout form carries one
