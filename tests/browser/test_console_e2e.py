"""The admin console in a real browser: an editor's whole round, from article to delivery table.

Log in; import the seed article; fix a directive's category; publish; schedule a broadcast to one
region (after its preview and cost); run the sender against the LINE stand-in; watch the delivery
table fill in. On SQLite and
PostgreSQL, with the app served over real HTTP.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bot import migrate
from bot.app import create_app
from bot.models import AdminRole, Broadcast, Directive, GroupStatus, LineGroup, Meeting, Province
from bot.seed import seed_provinces, seed_regions, seed_ten_es
from bot.settings import Settings
from broadcasts.scheduler import run_due
from linesim import LineStandIn
from tests.browser.conftest import LiveServer, screenshot
from tests.conftest import services_of
from tests.console_helpers import PASSWORD, make_account
from tests.linebot_helpers import ACCESS_TOKEN, LINE_ENV

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "bot" / "data" / "seed" / "meeting-3-2565.txt"
# Provincial groups: two in the north, one in the south, one in the north-east.
GROUPS = {
    "Cnorth1": ("เชียงใหม่", 25),
    "Cnorth2": ("น่าน", 12),
    "Csouth1": ("สงขลา", 30),
    "Cisan1": ("ขอนแก่น", 18),
}


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token=ACCESS_TOKEN) as running:
        running.set_quota("limited", 10_000)
        for group_id, (province, members) in GROUPS.items():
            running.add_group(group_id, name=f"สถ.จ.{province}", member_count=members)
        yield running


@pytest.fixture
def console_app(
    make_settings: Callable[..., Settings], database_url: str, standin: LineStandIn
) -> Iterator[Flask]:
    """A deployment with provinces, the 10Es and four registered groups, but no meeting yet."""
    settings = make_settings(
        {"database": {"url": database_url}, "line": {"api_base_url": standin.base_url}}, env=LINE_ENV
    )
    app = create_app(settings)
    services = services_of(app)
    migrate.upgrade(services.db.engine)
    with services.db.session() as session:
        seed_provinces(session, seed_regions(session))
        seed_ten_es(session)
        for group_id, (province, members) in GROUPS.items():
            province_id = session.scalar(select(Province.id).where(Province.name_th == province))
            session.add(
                LineGroup(
                    line_group_id=group_id,
                    name=f"สถ.จ.{province}",
                    province_id=province_id,
                    status=GroupStatus.ACTIVE,
                    member_count=members,
                )
            )
    make_account(app, "editor", AdminRole.EDITOR)
    yield app
    app.extensions["inbox"].stop()
    services.close()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="ภาพรวม")).to_be_visible()


def test_an_editor_imports_fixes_publishes_and_broadcasts_a_meeting(
    page: Page, console_app: Flask, serve: Callable[[Flask], LiveServer], standin: LineStandIn
) -> None:
    base = serve(console_app).url
    log_in(page, base, "editor")

    # Import the seed article by pasting it.
    page.get_by_role("navigation").get_by_role("link", name="การประชุม", exact=True).click()
    page.get_by_role("link", name="+ นำเข้าการประชุม").click()
    page.get_by_label("วางเนื้อหาบทความ").fill(SEED_ARTICLE.read_text("utf-8"))
    page.get_by_role("button", name="อ่านบทความ").click()
    expect(page.locator(".flash.info")).to_contain_text("นำเข้าการประชุมแล้ว")
    expect(page.get_by_role("heading", level=2, name="บทความต้นฉบับ")).to_be_visible()
    expect(page.locator("pre.source")).to_contain_text("ข้อสั่งการ")
    first = page.locator('fieldset[data-seq="1"]')
    expect(first.get_by_label("หัวข้อ")).not_to_be_empty()
    screenshot(page, "console-meeting.png", full_page=True)

    # Fix directive 1's category: whatever the parser chose, make it E7 and E8 only.
    boxes = first.locator('input[type="checkbox"][name="directives-0-categories"]')
    for index in range(boxes.count()):
        boxes.nth(index).uncheck()
    first.get_by_label("E7 Emergency Management").check()
    first.get_by_label("E8 Evaluation").check()
    page.get_by_role("button", name="บันทึกการแก้ไข").click()
    expect(page.locator(".flash.info")).to_contain_text("บันทึกการแก้ไขแล้ว")
    expect(page.locator('fieldset[data-seq="1"]').get_by_label("E7 Emergency Management")).to_be_checked()
    expect(page.locator('fieldset[data-seq="1"]').get_by_label("E1 Economy")).not_to_be_checked()

    # Publish: the summary is scheduled for every registered group at the next send slot.
    page.get_by_role("button", name="เผยแพร่และตั้งเวลาส่งสรุป").click()
    expect(page.locator(".flash.info")).to_contain_text("เผยแพร่แล้ว")
    expect(page.locator(".status.published")).to_be_visible()

    with services_of(console_app).db.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.number == "3/2565" and meeting.published_at is not None
        first_directive = session.scalars(
            select(Directive).where(Directive.meeting_id == meeting.id, Directive.seq == 1)
        ).one()
        assert [e.code for e in first_directive.categories] == ["Emergency Management", "Evaluation"]
        summary = session.scalars(select(Broadcast)).one()
        assert summary.meeting_id == meeting.id

    # Schedule the meeting's summary to one region, now; look at the preview and the cost first.
    page.get_by_role("navigation").get_by_role("link", name="ส่งข่าว").click()
    page.locator("#new-broadcast").click()
    page.locator("#content-meeting").check()
    page.locator("#meeting_id").select_option(str(meeting.id))
    page.locator("#target-regions").check()
    page.locator("#region-north").check()
    page.locator("#when-now").check()
    page.locator("#preview-button").click()
    expect(page.locator("#estimate-groups")).to_contain_text("2")
    expect(page.locator("#estimate-cost")).to_contain_text(str(25 + 12))
    expect(page.locator("#preview-chat")).to_contain_text("รับทราบ")  # the summary, drawn like LINE
    screenshot(page, "console-broadcast-new.png", full_page=True)
    with services_of(console_app).db.session() as session:
        assert len(session.scalars(select(Broadcast)).all()) == 1  # a preview stores nothing
    page.locator("#confirm-button").click()
    expect(page.locator("#broadcast-status span[data-status]")).to_have_attribute("data-status", "scheduled")
    expect(page.locator("#total-sent")).to_have_text("0")

    # The scheduler's round sends it (in a thread: Playwright holds this thread's event loop); the
    # page refreshes itself while sending, and the delivery table fills in.
    sender = threading.Thread(target=run_due, args=(services_of(console_app),))
    sender.start()
    sender.join(timeout=60)
    expect(page.locator("#total-sent")).to_have_text("2", timeout=20_000)
    expect(page.locator('#delivery-table tr[data-province="เชียงใหม่"] td[data-col="sent"]')).to_have_text("1")
    expect(page.locator('#delivery-table tr[data-province="น่าน"] td[data-col="sent"]')).to_have_text("1")
    expect(page.locator("#delivery-table")).not_to_contain_text("สงขลา")
    screenshot(page, "console-broadcast-detail.png", full_page=True)
    assert standin.delivery_counts() == {"Cnorth1": 1, "Cnorth2": 1}

    # The dashboard now tells the story: the meeting, the summary waiting for its slot, the last
    # broadcast's delivery rate, groups per region, the quota.
    page.get_by_role("navigation").get_by_role("link", name="ภาพรวม").click()
    expect(page.locator('[data-testid="delivery-rate"]')).to_have_text("100.0%")
    expect(page.locator("main")).to_contain_text("ส่งครบแล้ว")
    screenshot(page, "console-dashboard.png", full_page=True)


def test_the_console_fits_a_phone(
    chromium: Browser, console_app: Flask, serve: Callable[[Flask], LiveServer]
) -> None:
    """Provincial officers use phones: no page may need sideways scrolling (wide tables scroll inside
    their own box), and the menu stays reachable."""
    base = serve(console_app).url
    make_account(console_app, "boss", AdminRole.ADMIN)
    context = chromium.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        log_in(page, base, "boss")
        for path in (
            "/admin/",
            "/admin/meetings",
            "/admin/meetings/import",
            "/admin/groups",
            "/admin/broadcasts/",
            "/admin/broadcasts/new",
            "/admin/audit",
        ):
            page.goto(f"{base}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow} px wider than the phone"
            expect(page.get_by_role("navigation")).to_be_visible()
    finally:
        context.close()
