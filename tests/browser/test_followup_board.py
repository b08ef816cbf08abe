"""The follow-up board in a real browser, on a desktop and at 390 px (a phone): after provinces reported
through the real /callback, the board shows their statuses and the meeting's map, filters, leads to a
directive's page and its map; on a phone it shows one directive at a time, the maps fit the screen's
width, and nothing runs off the side of the screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from bot.models import AdminRole
from linesim import LineStandIn
from tests.broadcasts.test_reports import TOKEN, choose, press, report_button, send_summary
from tests.browser.conftest import LiveServer
from tests.console_helpers import PASSWORD, make_account
from tests.linebot_helpers import LINE_ENV, Chat


@pytest.fixture
def bot(build_app: Callable[..., Flask], standin: LineStandIn) -> Flask:
    app = build_app({"line": {"api_base_url": standin.base_url}}, env={**LINE_ENV, "ADMIN_TOKEN": TOKEN})
    make_account(app, "viewer", AdminRole.VIEWER)
    return app


@pytest.fixture
def meeting(bot: Flask, standin: LineStandIn) -> dict[str, Any]:
    """The summary sent; เชียงใหม่ reports the first directive done, สงขลา in progress. In a thread:
    Playwright holds this thread's event loop, and the sender runs one of its own."""
    sent: dict[str, Any] = {}

    def report() -> None:
        sent.update(send_summary(bot, standin))
        summary = standin.messages_to("C1")[0]
        for chat, status in (
            (Chat(standin, "U1", group_id="C1"), "ดำเนินการแล้ว"),
            (Chat(standin, "U2", group_id="C2"), "อยู่ระหว่างดำเนินการ"),
        ):
            press(bot, chat, choose(press(bot, chat, report_button(summary, 1)["data"]), status))

    worker = threading.Thread(target=report)
    worker.start()
    worker.join(timeout=120)
    assert sent, "the summary was not sent"
    return sent


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_label("ชื่อผู้ใช้").fill("viewer")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="ภาพรวม")).to_be_visible()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_the_board_on_a_desktop(
    bot: Flask, meeting: dict[str, Any], page: Page, serve: Callable[[Flask], LiveServer]
) -> None:
    base = serve(bot).url
    log_in(page, base)
    page.get_by_role("navigation").get_by_role("link", name="ติดตามผล").click()
    board = page.locator("#board")
    expect(board).to_be_visible()
    expect(page.locator("#phone-board")).to_be_hidden()
    meeting_map = page.locator("#board-map svg")
    expect(meeting_map).to_be_visible()
    # the whole meeting: เชียงใหม่ reported one directive of four, so it has not finished
    expect(meeting_map.locator('path[data-province="เชียงใหม่"]')).to_have_attribute("data-status", "none")
    expect(page.locator('#board-map li[data-status="no_group"]')).to_contain_text("74")
    box = meeting_map.bounding_box()
    assert box is not None and 200 < box["width"] <= 400 and box["height"] > 1.5 * box["width"]
    first = meeting["directives"][0]["id"]
    row = board.locator(f'tr[data-directive="{first}"]')
    expect(row.locator('td[data-province="เชียงใหม่"]')).to_have_attribute("data-status", "done")
    expect(row.locator('td[data-province="สงขลา"]')).to_have_attribute("data-status", "in_progress")
    expect(row.locator('td[data-province="ขอนแก่น"]')).to_have_attribute("data-status", "none")
    page.locator("#status").select_option("done")
    page.get_by_role("button", name="กรอง").click()
    expect(row.locator('td[data-province="สงขลา"]')).to_have_class("cell in_progress dim")
    expect(row.locator('td[data-province="เชียงใหม่"]')).not_to_have_class("cell done dim")
    row.get_by_role("link").click()
    waiting = page.locator("#not-reported")
    expect(waiting.locator('li[data-province="ขอนแก่น"] [data-group="C3"]')).to_be_visible()
    expect(waiting.locator('li[data-province="เชียงใหม่"]')).to_have_count(0)
    directive_map = page.locator("#directive-map svg")
    expect(directive_map).to_be_visible()
    expect(directive_map.locator('path[data-province="เชียงใหม่"]')).to_have_attribute("data-status", "done")
    expect(directive_map.locator('path[data-province="สงขลา"]')).to_have_attribute(
        "data-status", "in_progress"
    )


def test_the_board_on_a_phone_shows_one_directive_at_a_time(
    bot: Flask, meeting: dict[str, Any], page: Page, serve: Callable[[Flask], LiveServer]
) -> None:
    base = serve(bot).url
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base)
    page.goto(f"{base}/admin/followup/")
    expect(page.locator("#board")).to_be_hidden()
    phone = page.locator("#phone-board")
    expect(phone).to_be_visible()
    ids = [str(d["id"]) for d in meeting["directives"]]
    expect(phone).to_have_attribute("data-directive", ids[0])
    expect(phone.locator('li[data-province="เชียงใหม่"] [data-status="done"]')).to_be_visible()
    assert fits_the_screen(page)
    meeting_map = page.locator("#board-map svg")
    expect(meeting_map).to_be_visible()
    box = meeting_map.bounding_box()
    assert box is not None and 300 < box["width"] <= 390  # the screen's width, less the margins
    expect(page.locator('#board-map li[data-status="problem"]')).to_be_visible()
    page.locator("#phone-next").click()
    expect(page.locator("#phone-board")).to_have_attribute("data-directive", ids[1])
    page.locator("#phone-prev").click()
    expect(page.locator("#phone-board")).to_have_attribute("data-directive", ids[0])
    page.locator("#phone-board h2 a").click()
    expect(page.locator("#not-reported")).to_be_visible()
    expect(page.locator('#directive-map path[data-province="เชียงใหม่"]')).to_have_attribute(
        "data-status", "done"
    )
    expect(page.locator("#directive-map svg")).to_be_visible()
    assert fits_the_screen(page)
    page.goto(f"{base}/admin/")
    expect(page.locator("#dashboard-map svg")).to_be_visible()
    expect(page.locator('#dashboard-map path[data-province="สงขลา"]')).to_have_attribute(
        "data-status", "none"
    )
    assert fits_the_screen(page)
