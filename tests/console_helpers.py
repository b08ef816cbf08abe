"""Helpers for console tests: accounts, and a browser-like client that logs in through the real form."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from admin.console import accounts
from bot.models import AdminRole
from tests.conftest import services_of

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def make_account(app: Flask, username: str, role: AdminRole, password: str = PASSWORD) -> None:
    with services_of(app).db.session() as session:
        accounts.create(session, username, password, role, actor="test")


def csrf_token(page: TestResponse) -> str:
    match = CSRF_INPUT.search(page.get_data(as_text=True))
    assert match is not None, "the page has no CSRF token"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that submits forms the way a browser does: with the token from the page."""

    def __init__(self, app: Flask, address: str | None = None) -> None:
        self.client: FlaskClient = app.test_client()
        if address is not None:  # the client's IP address, as the app sees it
            self.client.environ_base["REMOTE_ADDR"] = address

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def submit(self, form_page: str, action: str | None = None, **data: Any) -> TestResponse:
        """GET `form_page`, then POST `data` with its CSRF token to `action` (default: the same page)."""
        token = csrf_token(self.client.get(form_page))
        return self.client.post(action or form_page, data={"csrf_token": token, **data})

    def login(self, username: str, password: str = PASSWORD) -> TestResponse:
        return self.submit("/admin/login", username=username, password=password)


def logged_in(app: Flask, username: str, role: AdminRole) -> Browser:
    make_account(app, username, role)
    browser = Browser(app)
    response = browser.login(username)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return browser


def publish(browser: Browser, meeting_id: int, **data: str) -> TestResponse:
    """Confirm a meeting's publish review page as it was shown (with the version it reviewed)."""
    review = browser.get(f"/admin/meetings/{meeting_id}/publish")
    assert review.status_code == 200, review.get_data(as_text=True)[:300]
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', review.get_data(as_text=True))
    assert version is not None, "no publish form: the meeting is not ready, or published already"
    return browser.client.post(
        f"/admin/meetings/{meeting_id}/publish",
        data={"csrf_token": csrf_token(review), "version": version.group(1), **data},
    )
