"""The chat simulator in a real browser, against the bot served over HTTP and the LINE emulator.

The world is `make run`'s (bot/devseed.py): five registered provincial groups, one the bot is not in,
three officials. In the page: ask for the latest directives and see the carousel, press "อ่านต่อ" and
read the full text, add the bot to a group and register it with the region and province buttons, and
watch a broadcast arrive without reloading; a message LINE refuses shows in red. On SQLite and
PostgreSQL, with webhook workers on, as `make run` runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from bot import devseed
from bot.models import DirectiveReport, GroupStatus, LineGroup, Meeting
from linesim.emulator import Emulator
from tests.browser.conftest import LiveServer, screenshot
from tests.conftest import services_of
from tests.linebot_helpers import ACCESS_TOKEN, CHANNEL_SECRET, LINE_ENV

ADMIN_TOKEN = "test-admin-token"
GROUPS = {group.key: group for group in devseed.GROUPS}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET, bot_user_id=devseed.BOT_USER_ID) as line:
        line.set_quota("limited", devseed.MONTHLY_QUOTA)
        yield line


@pytest.fixture
def bot(build_app: Callable[..., Flask], emulator: Emulator, serve: Callable[[Flask], LiveServer]) -> Flask:
    app = build_app(
        {"line": {"api_base_url": emulator.base_url}, "webhook": {"workers": 2}},
        env={**LINE_ENV, "ADMIN_TOKEN": ADMIN_TOKEN},
    )
    emulator.webhook_url = f"{serve(app).url}/callback"
    devseed.seed(services_of(app), emulator)
    return app


@pytest.fixture
def simulator(page: Page, bot: Flask, emulator: Emulator) -> Iterator[Page]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(emulator.simulator_url)
    expect(page.locator("#chat-title")).to_have_text(emulator.bot_name)
    yield page
    assert errors == [], errors


def chat_log(page: Page) -> Locator:
    return page.locator(".sim-log:not([hidden])")


def open_chat(page: Page, name: str) -> None:
    page.locator(".sim-chat-entry", has_text=name).click()
    expect(page.locator("#chat-title")).to_have_text(name)


def type_message(page: Page, text: str) -> None:
    page.locator("#text").fill(text)
    page.locator("#send").click()


def test_latest_directives_carousel_then_read_more(simulator: Page) -> None:
    page = simulator
    type_message(page, "ข้อสั่งการล่าสุด")
    log = chat_log(page)
    expect(log.locator(".lc-from-user .lc-say")).to_have_text("ข้อสั่งการล่าสุด")
    carousel = log.locator(".lc-from-bot .lc-carousel")
    expect(carousel).to_be_visible()
    expect(carousel.locator(".lc-bubble")).to_have_count(4)
    expect(carousel.locator(".lc-bubble").first).to_contain_text("มูลฝอยติดเชื้อ")
    expect(log.locator(".lc-chip").first).to_be_visible()  # the menu's quick replies
    page.set_viewport_size({"width": 1100, "height": 720})
    screenshot(page, "simulator.png")

    carousel.locator(".lc-bubble").first.get_by_role("button", name="อ่านต่อ").click()
    expect(log.locator(".lc-from-user .lc-say").last).to_have_text("อ่านต่อ: ข้อ 1")  # its displayText
    full = log.locator(".lc-from-bot .lc-say", has_text="ข้อสั่งการข้อ 1")
    expect(full).to_be_visible()
    expect(full).to_contain_text("หมวด 10Es:")

    # The raw webhook behind my message, and what the bot answered it.
    log.locator(".lc-from-user .sim-raw-toggle").first.click()
    raw = log.locator(".sim-raw").first
    expect(raw).to_contain_text('"webhookEventId"')
    expect(raw).to_contain_text("บอทตอบ 200")


def test_add_the_bot_to_a_group_and_register_it_with_the_buttons(simulator: Page, bot: Flask) -> None:
    page = simulator
    new_group = GROUPS["kanchanaburi"]
    open_chat(page, new_group.name)
    expect(page.locator("#composer")).to_be_hidden()
    page.locator("#banner-button", has_text="เชิญบอทเข้ากลุ่ม").click()
    log = chat_log(page)
    expect(log.locator(".sim-notice", has_text="เชิญ บอท สถ. เข้ากลุ่ม")).to_be_visible()
    expect(page.locator("#composer")).to_be_visible()
    log.locator(".lc-chip", has_text="ภาคตะวันตก").click()
    log.locator(".lc-chip", has_text="กาญจนบุรี").click()
    expect(log.locator(".lc-from-bot .lc-say", has_text="ลงทะเบียนกลุ่มนี้กับจังหวัดกาญจนบุรี")).to_be_visible()
    with services_of(bot).db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == new_group.group_id)).one()
        assert group.status == GroupStatus.ACTIVE and group.province is not None
        assert group.province.name_th == "กาญจนบุรี"


def test_a_broadcast_arrives_without_reloading(simulator: Page, bot: Flask) -> None:
    from broadcasts.scheduler import run_due

    page = simulator
    chiang_mai, songkhla = GROUPS["chiangmai"], GROUPS["songkhla"]
    open_chat(page, chiang_mai.name)
    client = bot.test_client()
    with services_of(bot).db.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).first()
    created = client.post(
        "/api/broadcasts",
        json={"meeting_id": meeting_id, "target": {"provinces": ["เชียงใหม่", "สงขลา"]}},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert created.status_code == 201, created.json
    # The sender runs its own event loop; Playwright's sync API holds this thread's.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run_due, services_of(bot)).result(timeout=60)

    log = chat_log(page)
    summary = log.locator(".lc-from-bot .lc-flex").last
    expect(summary).to_be_visible()
    expect(log.locator(".sim-meta", has_text="push").last).to_be_visible()
    expect(page.locator(".sim-chat-entry", has_text=songkhla.name).locator(".sim-unread")).to_have_text("1")
    summary.get_by_role("button", name="รับทราบ").first.click()
    expect(log.locator(".lc-from-bot .lc-say", has_text="รับทราบแล้ว")).to_be_visible()


def test_a_message_line_refuses_shows_in_red(simulator: Page, bot: Flask) -> None:
    from bot.line import LineApiError

    page = simulator
    chiang_mai = GROUPS["chiangmai"]
    open_chat(page, chiang_mai.name)
    with pytest.raises(LineApiError):
        services_of(bot).line.push(chiang_mai.group_id, [{"type": "text", "text": "ก" * 5001}])
    refusal = chat_log(page).locator(".sim-error")
    expect(refusal).to_contain_text("LINE ไม่รับคำขอ")
    expect(refusal).to_contain_text("The request body has 1 error(s)")
    expect(refusal).to_contain_text("messages[0].text")


def test_on_a_phone_the_list_then_the_chat(simulator: Page) -> None:
    page = simulator
    page.set_viewport_size({"width": 390, "height": 760})
    page.reload()
    expect(page.locator(".sim-side")).to_be_visible()
    expect(page.locator(".sim-main")).to_be_hidden()
    page.locator(".sim-chat-entry").first.click()
    expect(page.locator(".sim-main")).to_be_visible()
    type_message(page, "10Es")
    expect(chat_log(page).locator(".lc-from-bot .lc-say", has_text="E7")).to_be_visible()
    page.locator("#back").click()
    expect(page.locator(".sim-side")).to_be_visible()


def test_the_rich_menu_under_the_chat_sends_what_line_sends(
    simulator: Page, bot: Flask, emulator: Emulator
) -> None:
    """`flask richmenu deploy` against the emulator; the page draws the default menu's image under my
    chat with its areas over it; a message area sends its text, the search area a postback and opens
    the keyboard."""
    page = simulator
    expect(page.locator("#richmenu")).to_be_hidden()
    result = bot.test_cli_runner().invoke(args=["richmenu", "deploy"])
    assert result.exit_code == 0, result.output + result.stderr

    menu = page.locator("#richmenu")
    expect(menu).to_be_visible()  # at the next look at the world: no reload
    expect(page.locator("#richmenu-bar")).to_contain_text("เมนู สถ.")
    page.wait_for_function("document.getElementById('richmenu-image').naturalWidth === 2500")
    areas = page.locator(".sim-richmenu-area")
    expect(areas).to_have_count(6)
    image_box = page.locator("#richmenu-image").bounding_box()
    first_box = areas.first.bounding_box()
    assert image_box is not None and first_box is not None
    assert abs(first_box["x"] - image_box["x"]) < 2 and abs(first_box["width"] - image_box["width"] / 3) < 2

    page.locator(".sim-richmenu-area[aria-label='ข้อสั่งการล่าสุด']").click()
    log = chat_log(page)
    expect(log.locator(".lc-from-user .lc-say").last).to_have_text("ข้อสั่งการล่าสุด")
    expect(log.locator(".lc-from-bot .lc-carousel")).to_be_visible()
    screenshot(page, "simulator-richmenu.png")

    page.locator(".sim-richmenu-area[aria-label='ค้นหา']").click()
    expect(page.locator("#text")).to_have_value("ค้นหา ")
    expect(log.locator(".lc-from-user .lc-say").last).to_have_text("ค้นหา")  # the postback's displayText
    postbacks = [
        event["postback"]["data"]
        for call in emulator.webhooks()
        for event in call.body["events"]
        if event["type"] == "postback"
    ]
    assert postbacks == ["action=search"]

    page.locator("#richmenu-bar").click()  # folds the menu away, as LINE's chat bar does
    expect(page.locator("#richmenu-panel")).to_be_hidden()
    open_chat(page, GROUPS["chiangmai"].name)
    expect(menu).to_be_hidden()  # LINE shows rich menus in one-to-one chats only


def test_a_province_reports_on_a_directive_from_the_summary(simulator: Page, bot: Flask) -> None:
    from broadcasts.scheduler import run_due

    page = simulator
    open_chat(page, GROUPS["chiangmai"].name)
    with services_of(bot).db.session() as session:
        meeting_id = session.scalars(select(Meeting.id)).first()
    created = bot.test_client().post(
        "/api/broadcasts",
        json={"meeting_id": meeting_id, "target": {"provinces": ["เชียงใหม่"]}},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert created.status_code == 201, created.json
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run_due, services_of(bot)).result(timeout=60)
    log = chat_log(page)
    summary = log.locator(".lc-from-bot .lc-flex").last
    summary.get_by_role("button", name="รายงานผล").first.click()
    expect(log.locator(".lc-from-bot .lc-say", has_text="เลือกสถานะ")).to_be_visible()
    log.locator(".lc-chip", has_text="อยู่ระหว่างดำเนินการ").click()
    expect(log.locator(".lc-from-bot .lc-say", has_text="บันทึกผลของจังหวัดเชียงใหม่")).to_be_visible()
    type_message(page, "รอการอนุมัติงบประมาณ")
    expect(log.locator(".lc-from-bot .lc-say", has_text="บันทึกหมายเหตุ")).to_be_visible()
    with services_of(bot).db.session() as session:
        report = session.scalars(select(DirectiveReport)).one()
        assert (report.status.value, report.note) == ("in_progress", "รอการอนุมัติงบประมาณ")
