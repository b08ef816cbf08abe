"""A provincial office's whole day in a real browser (#20): log in, approve a group of its province,
send an alert to its province, see its own delivery table, and fail to reach another province's pages.
On SQLite and PostgreSQL, with the app served over real HTTP and LINE's stand-in behind it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from admin.console import accounts
from bot import migrate
from bot.app import create_app
from bot.models import AdminRole, Broadcast, BroadcastKind, BroadcastTarget, GroupStatus, LineGroup, Province
from bot.seed import seed_provinces, seed_regions, seed_ten_es
from bot.settings import Settings
from broadcasts import service
from broadcasts.scheduler import run_due
from linesim import LineStandIn
from tests.browser.conftest import LiveServer, screenshot
from tests.conftest import services_of
from tests.console_helpers import PASSWORD
from tests.linebot_helpers import ACCESS_TOKEN, LINE_ENV

# (province, members, status): the office runs เชียงใหม่; สงขลา is another office's.
GROUPS = {
    "Cmueang": ("เชียงใหม่", 25, GroupStatus.ACTIVE),
    "Cfang": ("เชียงใหม่", 14, GroupStatus.PENDING),
    "Csongkhla": ("สงขลา", 30, GroupStatus.ACTIVE),
    "Chatyai": ("สงขลา", 11, GroupStatus.PENDING),
}


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token=ACCESS_TOKEN) as running:
        running.set_quota("limited", 10_000)
        for group_id, (province, members, _) in GROUPS.items():
            running.add_group(group_id, name=f"สถ.จ.{province} {group_id}", member_count=members)
        yield running


@pytest.fixture
def office_app(
    make_settings: Callable[..., Settings], database_url: str, standin: LineStandIn
) -> Iterator[Flask]:
    settings = make_settings(
        {"database": {"url": database_url}, "line": {"api_base_url": standin.base_url}}, env=LINE_ENV
    )
    app = create_app(settings)
    services = services_of(app)
    migrate.upgrade(services.db.engine)
    with services.db.session() as session:
        seed_provinces(session, seed_regions(session))
        seed_ten_es(session)
        for group_id, (province, members, status) in GROUPS.items():
            session.add(
                LineGroup(
                    line_group_id=group_id,
                    name=f"สถ.จ.{province} {group_id}",
                    province_id=session.scalar(select(Province.id).where(Province.name_th == province)),
                    status=status,
                    member_count=members,
                )
            )
        accounts.create(
            session, "chiangmai-office", PASSWORD, AdminRole.PROVINCE, "test", provinces=["เชียงใหม่"]
        )
    yield app
    app.extensions["inbox"].stop()
    services.close()


def _department_broadcast_to_songkhla(app: Flask) -> int:
    services = services_of(app)
    with services.db.session() as session:
        songkhla = session.scalar(select(Province.id).where(Province.name_th == "สงขลา"))
        assert songkhla is not None
        record, _ = service.create(
            services,
            session,
            kind=BroadcastKind.TEXT,
            text="ข่าวของกรมถึงสงขลา",
            target=service.Target(BroadcastTarget.PROVINCES, (songkhla,)),
            actor="editor",
        )
        return record.id


def test_a_provincial_office_runs_its_own_province_for_a_day(
    page: Page, office_app: Flask, serve: Callable[[Flask], LiveServer], standin: LineStandIn
) -> None:
    base = serve(office_app).url
    elsewhere = _department_broadcast_to_songkhla(office_app)

    # Log in: the office's menu has its groups and its alerts, not the department's meetings.
    page.goto(f"{base}/admin/")
    page.get_by_label("ชื่อผู้ใช้").fill("chiangmai-office")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="ภาพรวม")).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="การประชุม", exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="บันทึกการใช้งาน")).to_have_count(0)

    # Its groups: เชียงใหม่'s only; approve the one waiting.
    nav.get_by_role("link", name="กลุ่ม LINE").click()
    expect(page.locator("tr[data-group]")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("สงขลา")
    page.locator('tr[data-group="Cfang"]').get_by_role("button", name="อนุมัติ").click()
    expect(page.locator(".flash.info")).to_be_visible()
    expect(page.locator('tr[data-group="Cfang"] .status')).to_have_class(re.compile(r"\bactive\b"))
    screenshot(page, "console-province-groups.png", full_page=True)

    # An alert to its province: offered its province only, previewed with its cost, then sent.
    nav.get_by_role("link", name="ส่งข่าว").click()
    page.locator("#new-broadcast").click()
    expect(page.locator("#target-all")).to_have_count(0)
    expect(page.locator("#target-regions")).to_have_count(0)
    expect(page.locator('input[name="provinces"]')).to_have_count(1)
    page.locator("#content-text").check()
    page.locator("#text").fill("แจ้งเตือนไฟป่าและหมอกควัน ขอให้ อปท. เตรียมพร้อม")
    page.locator("#when-now").check()
    page.locator("#preview-button").click()
    expect(page.locator("#estimate-groups")).to_contain_text("2")
    expect(page.locator("#estimate-cost")).to_contain_text(str(25 + 14))
    page.locator("#confirm-button").click()
    expect(page.locator("#broadcast-status span[data-status]")).to_have_attribute("data-status", "scheduled")
    expect(page.locator("#broadcast-sender")).to_contain_text("chiangmai-office (เชียงใหม่)")

    # The scheduler sends it; its delivery table fills in with its own groups.
    sender = threading.Thread(target=run_due, args=(services_of(office_app),))
    sender.start()
    sender.join(timeout=60)
    expect(page.locator("#total-sent")).to_have_text("2", timeout=20_000)
    expect(page.locator('#delivery-table tr[data-province="เชียงใหม่"] td[data-col="sent"]')).to_have_text("2")
    expect(page.locator("#delivery-table tr[data-province]")).to_have_count(1)
    screenshot(page, "console-province-broadcast.png", full_page=True)
    counts = standin.delivery_counts()
    assert counts.get("Cmueang") == 1 and counts.get("Cfang") == 1
    # The department's broadcast went to สงขลา in the same round: that is not the office's page.
    assert counts.get("Csongkhla") == 1

    # Another province's pages are not there for it; the department's are refused.
    for path, status in (
        (f"/admin/broadcasts/{elsewhere}", 404),
        (f"/admin/broadcasts/{elsewhere}/deliveries.csv", 404),
        ("/admin/meetings", 403),
        ("/admin/audit", 403),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == status, path
    page.goto(f"{base}/admin/broadcasts/")
    expect(page.locator("tr[data-broadcast]")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("ข่าวของกรมถึงสงขลา")
    with services_of(office_app).db.session() as session:
        assert len(session.scalars(select(Broadcast)).all()) == 2
        assert session.scalars(
            select(LineGroup).where(LineGroup.line_group_id == "Chatyai")
        ).one().status is (GroupStatus.PENDING)
