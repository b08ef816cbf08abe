"""The admin console in a real browser: an editor's whole round, from article to delivery table.

Log in; import the seed article; fix a directive's category; publish; schedule a broadcast to one
region (after its preview and cost); run the sender against the LINE stand-in; watch the delivery
table fill in. On SQLite and
PostgreSQL, with the app served over real HTTP.
"""

from __future__ import annotations

import datetime as dt
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
from bot.models import (
    AdminRole,
    Broadcast,
    BroadcastKind,
    BroadcastTarget,
    Directive,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    utcnow,
)
from bot.seed import seed_provinces, seed_regions, seed_ten_es
from bot.settings import Settings
from broadcasts import service
from broadcasts.scheduler import run_due
from linesim import LineStandIn
from meetings.parsing.article import parse_article
from meetings.store import save_draft
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
def broadcast_settings() -> dict[str, str]:
    """The `broadcasts` settings of the deployment (a module may override them: quiet hours)."""
    return {}


@pytest.fixture
def console_app(
    make_settings: Callable[..., Settings],
    database_url: str,
    standin: LineStandIn,
    broadcast_settings: dict[str, str],
) -> Iterator[Flask]:
    """A deployment with provinces, the 10Es and four registered groups, but no meeting yet."""
    overrides = {
        "database": {"url": database_url},
        "line": {"api_base_url": standin.base_url},
        "broadcasts": broadcast_settings,
    }
    settings = make_settings(overrides, env=LINE_ENV)
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

    # Publish: a review of exactly what the groups will get, then the summary is scheduled for every
    # registered group at the next send slot.
    page.get_by_role("button", name="บันทึกและตรวจก่อนเผยแพร่ ›").click()
    expect(page.get_by_role("heading", name="ตรวจก่อนเผยแพร่")).to_be_visible()
    expect(page.locator("#estimate-groups")).to_have_text(str(len(GROUPS)))
    expect(page.locator("#estimate-cost")).to_have_text(str(sum(m for _, m in GROUPS.values())))
    expect(page.locator("#preview-chat")).to_contain_text("รับทราบ")
    page.get_by_role("button", name="ยืนยันเผยแพร่และตั้งเวลาส่งสรุป").click()
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


# Which elements stick out, for the failure message.
WIDE_ELEMENTS = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391).slice(0, 8)
  .map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().width)}px`)"""


def _with_data(app: Flask) -> dict[str, int]:
    """What a console holds after a month: a published meeting sent to every group (one group the bot
    had left), a draft, a broadcast waiting, a pending group with a long name, audit entries."""
    services = services_of(app)
    with services.db.session() as session:
        published, _ = save_draft(
            session, parse_article(SEED_ARTICLE.read_text("utf-8")), "ข่าว", publish=True
        )
        draft = Meeting(title="ร่าง " + "การประชุมผู้บริหาร" * 6, raw_text="ข่าว", warnings=["ไม่พบวันที่ประชุม"])
        ready = Meeting(
            title="ร่างที่พร้อมเผยแพร่", meeting_date=dt.date(2026, 1, 15), raw_text="ข่าว", warnings=[]
        )
        ready.directives.append(Directive(seq=1, title="ค่าครองชีพ " * 12, text="ช่วยเหลือประชาชน " * 30))
        session.add_all([draft, ready])
        session.add(
            LineGroup(
                line_group_id="C" + "9" * 32,
                name="กลุ่มประสานงานองค์กรปกครองส่วนท้องถิ่นจังหวัดแม่ฮ่องสอนและอำเภอรอบนอกทั้งหมด",
                status=GroupStatus.PENDING,
                member_count=140,
            )
        )
        session.add(
            LineGroup(
                line_group_id="Cgone",
                name="สถ.จ.ลำพูน",
                province_id=session.scalar(select(Province.id).where(Province.name_th == "ลำพูน")),
                status=GroupStatus.ACTIVE,
                member_count=9,
            )
        )
        session.flush()
        ids = {"published": published.id, "draft": draft.id, "ready": ready.id}
        sent, _ = service.create(
            services,
            session,
            kind=BroadcastKind.MEETING_SUMMARY,
            meeting_id=published.id,
            target=service.Target(BroadcastTarget.ALL),
            actor="editor",
        )
        waiting, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text="นัดประชุมทางไกล " * 20,
            target=service.Target(BroadcastTarget.ALL),
            at=utcnow() + dt.timedelta(days=1),
            actor="editor",
        )
        ids |= {"sent": sent.id, "waiting": waiting.id}
    sender = threading.Thread(target=run_due, args=(services,))  # Playwright holds this thread's loop
    sender.start()
    sender.join(timeout=60)
    return ids


def test_every_page_fits_a_phone_with_data(
    chromium: Browser, console_app: Flask, serve: Callable[[Flask], LiveServer], standin: LineStandIn
) -> None:
    """At 390 px, logged in, with a month of data: no page is wider than the phone, and the columns
    that matter (delivered, failed, acknowledged per province; each group's status and actions) are
    on screen without scrolling sideways."""
    ids = _with_data(console_app)
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
            f"/admin/meetings/{ids['published']}",
            f"/admin/meetings/{ids['draft']}",
            f"/admin/meetings/{ids['published']}/unpublish",
            f"/admin/meetings/{ids['draft']}/publish",
            f"/admin/meetings/{ids['ready']}/publish",
            "/admin/meetings/import",
            "/admin/groups",
            "/admin/broadcasts/",
            "/admin/broadcasts/new",
            f"/admin/broadcasts/{ids['sent']}",
            f"/admin/broadcasts/{ids['waiting']}",
            f"/admin/broadcasts/{ids['waiting']}/cancel",
            "/admin/audit",
            "/admin/accounts/",
        ):
            page.goto(f"{base}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide: {page.evaluate(WIDE_ELEMENTS)}"
            expect(page.get_by_role("navigation")).to_be_visible()

        page.goto(f"{base}/admin/broadcasts/{ids['sent']}")
        row = page.locator('#delivery-table tr[data-province="ลำพูน"]')
        for column in ("sent", "failed", "acknowledged"):
            box = row.locator(f'td[data-col="{column}"]').bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390, column
        expect(row.locator('td[data-col="failed"]')).to_have_text("1")
        expect(page.locator("#failed-table")).to_contain_text("บอทไม่ได้อยู่ในกลุ่มนี้")
        expect(page.locator("#failed-table")).not_to_contain_text("'to'")

        page.goto(f"{base}/admin/groups")
        group = page.locator('tr[data-group="Cgone"]')
        for locator in (group.locator(".status"), group.get_by_role("button", name="ย้ายจังหวัด")):
            box = locator.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390
        expect(group.locator(".status")).to_have_text("บอทออกจากกลุ่ม")
    finally:
        context.close()
