"""Browser tests: headless Chromium (Debian's package) driven by Playwright, against a live server.

Chromium is never downloaded: Playwright launches /usr/bin/chromium (`BOT_CHROMIUM` overrides).
Without it these tests skip locally, and fail in CI (`BOT_TEST_REQUIRE_SERVICES=1`, set by .ci/run,
which installs the package when it is missing).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("BOT_CHROMIUM", "/usr/bin/chromium")
# As root in a container: no sandbox; and nothing that reaches for the internet (it is closed here).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parents[2] / "docs"
# CI runs the browser, the bot, the LINE emulator and the test on two cores: a message that takes a
# few seconds to appear there is slow, not missing. Playwright's 5 s default failed on that twice.
expect.set_options(timeout=15_000)


# Module scope, not session: sync Playwright keeps an asyncio loop running in the main thread while
# it lives, and tests of other modules run `asyncio.run` there (the broadcast sender, the stand-in).
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message}; BOT_TEST_REQUIRE_SERVICES=1: browser tests must not skip")
        pytest.skip(message)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def chromium(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_context(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(
        locale="th-TH", timezone_id="Asia/Bangkok", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


class LiveServer:
    """A Flask app served over real HTTP on 127.0.0.1, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], LiveServer]]:
    servers: list[LiveServer] = []

    def start(app: Flask) -> LiveServer:
        server = LiveServer(app)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def screenshot(page: Page, name: str, **options: Any) -> None:
    """Refresh a screenshot in docs/ when BOT_SCREENSHOTS=1 (`make screenshots`); tests never depend on it."""
    if os.environ.get("BOT_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / name), **options)
