"""Issue #16 walked in a real browser: nothing wrong reaches the groups.

An untitled draft cannot be published (the typed title is saved first, its warning goes, the missing
date is named beside its field); the review shows the summary, groups and cost before anything is
scheduled; unpublishing and cancelling ask first and say what happened; a non-urgent broadcast in
quiet hours is refused with the next allowed time offered; the audit log reads as Thai sentences.
On SQLite and PostgreSQL, served over real HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot.models import AdminRole, Broadcast, BroadcastStatus, Meeting
from meetings.parsing import article
from tests.browser.conftest import LiveServer
from tests.browser.test_console_e2e import console_app, log_in, standin  # noqa: F401 - fixtures
from tests.conftest import services_of
from tests.console_helpers import make_account

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def broadcast_settings() -> dict[str, str]:
    """Quiet hours from an hour ago to an hour ahead: the test means the same at any time of day."""
    now = dt.datetime.now(BANGKOK)
    return {"quiet_hours": f"{now - dt.timedelta(hours=1):%H:%M}-{now + dt.timedelta(hours=1):%H:%M}"}


def _untitled_draft(app: Flask) -> int:
    with services_of(app).db.session() as session:
        meeting = Meeting(
            title="",
            raw_text="ข่าวการประชุม",
            warnings=[article.WARN_NO_TITLE, article.WARN_NO_DATE],
        )
        session.add(meeting)
        session.flush()
        return meeting.id


def test_a_draft_goes_out_only_after_review_and_can_be_taken_back(
    page: Page,
    console_app: Flask,  # noqa: F811 - the fixture imported above
    serve: Callable[[Flask], LiveServer],
) -> None:
    meeting_id = _untitled_draft(console_app)
    base = serve(console_app).url
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/meetings/{meeting_id}")
    expect(page.locator(".warnings")).to_contain_text(article.WARN_NO_TITLE)

    # Typed, not saved, then "publish": the edit is saved first; the date is still missing.
    page.get_by_label("ชื่อเรื่อง").fill("การประชุมผู้บริหาร สถ. ครั้งที่ 2/2569")
    page.get_by_label("หัวข้อ").first.fill("การป้องกันไฟป่าและหมอกควัน")
    page.get_by_label("เนื้อหา").first.fill("ให้ อปท. เฝ้าระวังไฟป่าและหมอกควันในพื้นที่")
    page.get_by_role("button", name="บันทึกและตรวจก่อนเผยแพร่ ›").click()
    expect(page.locator(".flash.error").first).to_contain_text("ยังเผยแพร่ไม่ได้")
    expect(page.locator("#date ~ .errors")).to_have_text("ใส่วันที่ประชุมก่อนเผยแพร่")
    expect(page.locator(".warnings")).not_to_contain_text(article.WARN_NO_TITLE)  # the stale warning went
    expect(page.get_by_role("heading", level=1)).to_have_text("การประชุมผู้บริหาร สถ. ครั้งที่ 2/2569")

    page.locator("#date").fill("2026-02-16")
    page.get_by_role("button", name="บันทึกและตรวจก่อนเผยแพร่ ›").click()
    expect(page.get_by_role("heading", name="ตรวจก่อนเผยแพร่")).to_be_visible()
    expect(page.locator("#estimate-groups")).to_have_text("4")
    expect(page.locator("#preview-chat")).to_contain_text("การป้องกันไฟป่าและหมอกควัน")
    with services_of(console_app).db.session() as session:
        assert session.scalars(select(Broadcast)).all() == []  # the review schedules nothing
    page.get_by_role("button", name="ยืนยันเผยแพร่และตั้งเวลาส่งสรุป").click()
    expect(page.locator(".flash.info")).to_contain_text("เผยแพร่แล้ว")

    # Taken back: asked first, then the summary waiting for its slot is cancelled.
    page.locator("#unpublish").click()
    expect(page.locator("#confirm")).to_contain_text("บอทจะไม่ตอบเรื่องการประชุมนี้")
    page.get_by_role("link", name="ไม่ใช่ กลับไป").click()
    expect(page.locator(".status.published")).to_be_visible()
    page.locator("#unpublish").click()
    page.locator("#confirm-button").click()
    expect(page.locator(".flash.info")).to_contain_text("ยกเลิกการเผยแพร่แล้ว")
    expect(page.locator(".status.draft")).to_be_visible()
    with services_of(console_app).db.session() as session:
        assert session.scalars(select(Broadcast)).one().status is BroadcastStatus.CANCELLED

    # The audit log tells it in Thai, with links, and no codes.
    make_account(console_app, "boss", AdminRole.ADMIN)
    page.context.clear_cookies()
    log_in(page, base, "boss")
    page.goto(f"{base}/admin/audit")
    entries = page.locator("#audit-entries")
    expect(entries).to_contain_text("editor ยกเลิกการเผยแพร่การประชุม")
    expect(entries).to_contain_text("ยกเลิกการส่งข่าว")
    expect(entries).to_contain_text("ที่แก้ไข: ชื่อเรื่อง, เพิ่มข้อสั่งการข้อ 1")
    expect(entries).to_contain_text("ที่แก้ไข: วันที่ประชุม")
    expect(entries).to_contain_text("ชื่อผู้ใช้: editor")
    expect(entries).not_to_contain_text("meeting.")
    expect(entries).not_to_contain_text("False")


def test_quiet_hours_are_refused_with_the_next_time_offered_and_cancel_asks_first(
    page: Page,
    console_app: Flask,  # noqa: F811 - the fixture imported above
    serve: Callable[[Flask], LiveServer],
) -> None:
    base = serve(console_app).url
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/broadcasts/new")
    page.locator("#content-text").check()
    page.locator("#text").fill("ขอเชิญประชุมทางไกลพรุ่งนี้ 09.00 น.")
    page.locator("#confirm-button").click()
    expect(page.locator("#form-errors")).to_contain_text("ช่วงงดส่ง")
    with services_of(console_app).db.session() as session:
        assert session.scalars(select(Broadcast)).all() == []

    page.locator("#use-next-allowed").click()  # the form takes the offered time, and previews it
    expect(page.locator("#when-at")).to_be_checked()
    expect(page.locator("#estimate-when")).not_to_have_text("ทันที")
    page.locator("#confirm-from-preview").click()
    expect(page.locator("#broadcast-status span[data-status]")).to_have_attribute("data-status", "scheduled")
    with services_of(console_app).db.session() as session:
        scheduled = session.scalars(select(Broadcast)).one()
        ahead = scheduled.scheduled_at - dt.datetime.now(dt.UTC)
        assert dt.timedelta(minutes=55) < ahead <= dt.timedelta(minutes=61)

    page.locator("#cancel-button").click()
    expect(page.locator("#confirm")).to_contain_text("กลุ่มจะไม่ได้รับข่าวนี้")
    page.locator("#confirm-button").click()
    expect(page.locator("#broadcast-ended")).to_contain_text("ยกเลิกแล้ว เมื่อ")
    expect(page.locator("#broadcast-summary")).not_to_contain_text("ส่งเสร็จ")
