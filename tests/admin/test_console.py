"""The admin console's core pages (accounts, dashboard, meetings, groups, audit), on SQLite and PostgreSQL.

Forms are submitted the way a browser does, with the CSRF token read from the page.
"""

from __future__ import annotations

import html
import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from flask import Flask
from limits import RateLimitItemPerSecond
from sqlalchemy import func, select

from admin.console import accounts
from admin.console.auth import CookieSessions, LoginLimiter
from bot.app import create_app
from bot.models import (
    AdminRole,
    AdminUser,
    AuditLog,
    Broadcast,
    Directive,
    GroupStatus,
    ImportJob,
    LineGroup,
    Meeting,
    Province,
)
from linesim import LineStandIn
from meetings.ingest.service import ingest_text
from tests.conftest import services_of
from tests.console_helpers import PASSWORD, Browser, csrf_token, logged_in, make_account, publish
from tests.httpserver import LocalServer, Route

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def _count(app: Flask, model: type[Any], *where: Any) -> int:
    with services_of(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _seed_meeting_id(app: Flask) -> int:
    with services_of(app).db.session() as session:
        meeting_id = session.scalar(select(Meeting.id).where(Meeting.number == "3/2565"))
    assert meeting_id is not None
    return meeting_id


def _draft_meeting_id(app: Flask, name: str = "thaigov-37251.txt") -> int:
    """A meeting imported from a corpus article and not yet published."""
    with services_of(app).db.session() as session:
        result = ingest_text(session, (CORPUS / name).read_text("utf-8"), actor="test")
        assert result.meeting.published_at is None
        return result.meeting.id


def _add_group(
    app: Flask, group_id: str, province: str | None, status: GroupStatus, name: str = "กลุ่ม"
) -> int:
    with services_of(app).db.session() as session:
        province_id = (
            session.scalar(select(Province.id).where(Province.name_th == province)) if province else None
        )
        group = LineGroup(
            line_group_id=group_id, name=name, province_id=province_id, status=status, member_count=10
        )
        session.add(group)
        session.flush()
        return group.id


# --- accounts and sessions -----------------------------------------------------------------------


def test_pages_need_a_login_and_come_back_after_it(ready_app: Flask) -> None:
    browser = Browser(ready_app)
    page = browser.get("/admin/meetings?status=draft")
    assert page.status_code == 302
    assert page.location.startswith("/admin/login?next=")
    make_account(ready_app, "somchai", AdminRole.VIEWER)
    token = csrf_token(browser.get(page.location))
    response = browser.client.post(
        page.location, data={"csrf_token": token, "username": "somchai", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/admin/meetings?status=draft"


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "/admin/../\\evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(ready_app: Flask, target: str) -> None:
    make_account(ready_app, "somchai", AdminRole.VIEWER)
    browser = Browser(ready_app)
    path = f"/admin/login?next={target}"
    response = browser.submit(path, username="somchai", password=PASSWORD)
    assert response.status_code == 302
    assert response.location == "/admin/"


def test_wrong_password_is_refused_and_audited_without_the_password(ready_app: Flask) -> None:
    make_account(ready_app, "somchai", AdminRole.ADMIN)
    browser = Browser(ready_app)
    response = browser.login("somchai", "wrong password!")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in _text(response)
    assert browser.get("/admin/").status_code == 302  # still not logged in
    with services_of(ready_app).db.session() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "login.failed")).one()
        assert entry.actor == "somchai"
        assert "wrong password" not in str(entry.details)


def test_passwords_are_stored_as_argon2_hashes(ready_app: Flask) -> None:
    make_account(ready_app, "somchai", AdminRole.VIEWER)
    with services_of(ready_app).db.session() as session:
        stored = session.scalars(select(AdminUser.password_hash)).one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.verify_password(stored, PASSWORD)
    assert not accounts.verify_password(stored, PASSWORD + "x")


ATTACKER = "203.0.113.66"


def _limited_login(app: Flask) -> None:
    make_account(app, "somchai", AdminRole.ADMIN)
    attacker = Browser(app, address=ATTACKER)
    statuses = [attacker.login("somchai", f"guess {n}").status_code for n in range(10)]
    assert statuses == [401] * 10
    # From that address the next try waits, even with the right password, and whatever the account.
    refused = attacker.login("somchai")
    assert refused.status_code == 429
    assert "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป" in _text(refused)
    assert attacker.get("/admin/").status_code == 302
    make_account(app, "somying", AdminRole.VIEWER)
    assert attacker.login("somying").status_code == 429
    # The account's owner, elsewhere, is not locked out by them.
    assert Browser(app, address="198.51.100.7").login("somchai").status_code == 302


def test_failed_logins_back_off_per_address_without_locking_the_owner_out(ready_app: Flask) -> None:
    _limited_login(ready_app)
    # Hammering on changes nothing: refused tries are not counted, the owner still gets in.
    attacker = Browser(ready_app, address=ATTACKER)
    assert {attacker.login("somchai", f"more {n}").status_code for n in range(30)} == {429}
    assert Browser(ready_app, address="198.51.100.8").login("somchai").status_code == 302


@pytest.mark.redis
def test_login_back_off_is_shared_through_redis(build_app: Callable[..., Flask], redis_url: str) -> None:
    # Not id(request): an address, which a later run on the same Redis may be given again, and would
    # find this attacker's failures (counted per hour and per day) still there.
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    first = build_app({"redis": {"url": redis_url, "key_prefix": prefix}})
    _limited_login(first)
    # A second process on the same Redis sees the same failures.
    second = build_app({"redis": {"url": redis_url, "key_prefix": prefix}})
    assert Browser(second, address=ATTACKER).login("somchai").status_code == 429


def test_the_right_password_gets_in_once_the_back_off_window_is_over(
    ready_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real tiers wait minutes; these wait five seconds, counted the same way. The tries below must
    # fall within one window: with the real argon2 parameters a loaded 2-core machine took 0.9 s a try,
    # the five failures spread over more than five seconds, and the owner got in instead of waiting.
    # The cheapest argon2 makes a try take milliseconds; what is tested here is the window, not the hash.
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    window = 5
    limiter: LoginLimiter = ready_app.extensions["login_limiter"]
    ready_app.extensions["login_limiter"] = LoginLimiter(
        limiter.limiter,
        address_tiers=(RateLimitItemPerSecond(3, window),),
        username_tiers=(RateLimitItemPerSecond(5, window),),
    )
    make_account(ready_app, "somchai", AdminRole.ADMIN)
    attacker = Browser(ready_app, address=ATTACKER)
    assert [attacker.login("somchai", f"guess {n}").status_code for n in range(4)] == [401] * 3 + [429]
    time.sleep(window + 0.2)
    assert attacker.login("somchai").status_code == 302
    # Failures from several addresses slow the username down everywhere, for one window only.
    addresses = [f"203.0.113.{n}" for n in range(1, 6)]
    assert [Browser(ready_app, address=a).login("somchai", "guess").status_code for a in addresses] == [
        401
    ] * 5
    owner = Browser(ready_app, address="198.51.100.7")
    assert owner.login("somchai").status_code == 429
    time.sleep(window + 0.2)
    assert owner.login("somchai").status_code == 302


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification made, by the real hasher: the hash verified against, in order."""
    made: list[str] = []
    verify = PasswordHasher.verify

    def counted(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> Literal[True]:
        made.append(str(hash))
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return made


def test_an_unknown_username_costs_the_same_argon2_work_as_a_known_one(
    ready_app: Flask, verifications: list[str]
) -> None:
    make_account(ready_app, "somchai", AdminRole.ADMIN)
    make_account(ready_app, "retired", AdminRole.ADMIN)
    with services_of(ready_app).db.session() as session:
        retired = accounts.find(session, "retired")
        assert retired is not None
        retired.active = False
    attempts = [("nobody", PASSWORD, 401), ("somchai", "wrong password", 401), ("retired", PASSWORD, 401)]
    for username, password, status in [*attempts, ("somchai", PASSWORD, 302)]:
        verifications.clear()
        assert Browser(ready_app).login(username, password).status_code == status
        assert len(verifications) == 1, username
        assert verifications[0].startswith("$argon2id$")
    # The decoy is made once, with the parameters of real hashes.
    Browser(ready_app).login("someone else", PASSWORD)
    decoy = verifications[-1]
    Browser(ready_app).login("nobody", PASSWORD)
    assert verifications[-1] == decoy
    with services_of(ready_app).db.session() as session:
        real = session.scalars(select(AdminUser.password_hash)).first()
    assert real is not None and decoy.split("$")[:4] == real.split("$")[:4]


def test_changing_the_password_ends_open_sessions(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    assert browser.get("/admin/").status_code == 200
    with services_of(ready_app).db.session() as session:
        user = accounts.find(session, "somchai")
        assert user is not None
        accounts.set_password(session, user, "another good password", actor="test")
    assert browser.get("/admin/").status_code == 302


def _copy_of_the_cookie(app: Flask, browser: Browser) -> Browser:
    """Another browser holding the same session cookie (say, one copied off the first)."""
    cookie = browser.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    copy = Browser(app)
    copy.client.set_cookie(cookie.key, cookie.value)
    assert copy.get("/admin/").status_code == 200
    return copy


def test_logging_out_ends_the_session_even_for_a_copy_of_its_cookie(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    copy = _copy_of_the_cookie(ready_app, browser)
    assert browser.submit("/admin/", "/admin/logout").status_code == 302
    replayed = copy.get("/admin/")
    assert replayed.status_code == 302
    assert replayed.location.startswith("/admin/login")
    # Logging in again opens a new session; the old cookie stays dead.
    assert browser.login("somchai").status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert copy.get("/admin/").status_code == 302


def test_admin_password_command_ends_open_sessions(ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    copy = _copy_of_the_cookie(ready_app, browser)
    monkeypatch.setenv("ADMIN_PASSWORD", "another good password")
    result = ready_app.test_cli_runner().invoke(args=["admin", "password", "somchai"])
    assert result.exit_code == 0, result.output
    for holder in (browser, copy):
        replayed = holder.get("/admin/")
        assert replayed.status_code == 302
        assert replayed.location.startswith("/admin/login")
    assert browser.login("somchai", "another good password").status_code == 302


def test_logout_needs_a_post_with_its_token(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    assert browser.client.post("/admin/logout").status_code == 400  # no token: refused, still logged in
    assert browser.get("/admin/").status_code == 200
    assert browser.submit("/admin/", "/admin/logout").status_code == 302
    assert browser.get("/admin/").status_code == 302


def test_session_cookie_is_http_only_and_same_site(ready_app: Flask) -> None:
    make_account(ready_app, "somchai", AdminRole.VIEWER)
    response = Browser(ready_app).login("somchai")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development and tests are plain http


def test_sessions_survive_a_key_rotation_and_requests_without_a_cookie_get_none(ready_app: Flask) -> None:
    first = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    second = logged_in(ready_app, "somsri", AdminRole.VIEWER)
    anonymous = ready_app.test_client().get("/api/openapi.json")
    assert anonymous.status_code == 200 and "Set-Cookie" not in anonymous.headers
    interface = ready_app.session_interface
    assert isinstance(interface, CookieSessions)
    assert interface.get_signing_serializer(ready_app) is interface.get_signing_serializer(ready_app)
    old_key = ready_app.secret_key
    ready_app.secret_key = "a new key of at least thirty-two characters"
    ready_app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert first.get("/admin/").status_code == 200  # the old key, as a fallback, still opens it
    ready_app.config["SECRET_KEY_FALLBACKS"] = []
    assert first.get("/admin/").status_code == 200  # its cookie was signed anew with the new key
    assert second.get("/admin/").status_code == 302  # signed with a key nobody accepts any more


def test_production_cookies_are_secure(make_settings: Callable[..., Any]) -> None:
    settings = make_settings({"environment": "production"}, env={"SECRET_KEY": "x" * 40})
    app = create_app(settings)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_console_pages_send_security_headers(ready_app: Flask) -> None:
    page = Browser(ready_app).get("/admin/login")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"


# --- roles -----------------------------------------------------------------------------------------


@pytest.fixture
def seeded_group(ready_app: Flask) -> int:
    return _add_group(ready_app, "C" + "1" * 32, "เชียงใหม่", GroupStatus.PENDING)


def _forbidden_requests(meeting_id: int, group_id: int) -> dict[str, list[tuple[str, str]]]:
    return {
        "viewer": [
            ("GET", "/admin/meetings/import"),
            ("POST", "/admin/meetings/import"),
            ("POST", f"/admin/meetings/{meeting_id}"),
            ("POST", f"/admin/meetings/{meeting_id}/publish"),
            ("POST", f"/admin/groups/{group_id}/approve"),
            ("POST", f"/admin/groups/{group_id}/province"),
            ("POST", f"/admin/groups/{group_id}/deactivate"),
            ("GET", "/admin/audit"),
        ],
        "editor": [
            ("POST", f"/admin/groups/{group_id}/approve"),
            ("POST", f"/admin/groups/{group_id}/deactivate"),
            ("GET", "/admin/audit"),
        ],
    }


@pytest.mark.parametrize("role", [AdminRole.VIEWER, AdminRole.EDITOR])
def test_an_account_without_the_role_gets_403(ready_app: Flask, seeded_group: int, role: AdminRole) -> None:
    meeting_id = _draft_meeting_id(ready_app)
    browser = logged_in(ready_app, "somchai", role)
    token = csrf_token(browser.get("/admin/"))
    for method, path in _forbidden_requests(meeting_id, seeded_group)[role.value]:
        response = browser.client.open(path, method=method, data={"csrf_token": token, "value": ""})
        assert response.status_code == 403, (method, path)
        assert "ไม่มีสิทธิ์เข้าถึง" in _text(response)
    with services_of(ready_app).db.session() as session:
        assert session.scalar(select(Meeting.published_at).where(Meeting.id == meeting_id)) is None
        assert session.get(LineGroup, seeded_group).status == GroupStatus.PENDING  # type: ignore[union-attr]


def test_viewers_read_every_page(ready_app: Flask, seeded_group: int) -> None:
    meeting_id = _seed_meeting_id(ready_app)
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    for path in ["/admin/", "/admin/meetings", f"/admin/meetings/{meeting_id}", "/admin/groups"]:
        page = browser.get(path)
        assert page.status_code == 200, path
    meeting_page = _text(browser.get(f"/admin/meetings/{meeting_id}"))
    assert 'id="meeting-form"' not in meeting_page  # read-only for a viewer
    assert "บันทึกการใช้งาน" not in _text(browser.get("/admin/"))  # the audit entry is an admin's


# --- CSRF ------------------------------------------------------------------------------------------


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    ready_app: Flask, seeded_group: int
) -> None:
    meeting_id = _draft_meeting_id(ready_app)
    browser = logged_in(ready_app, "somchai", AdminRole.ADMIN)
    before = _count(ready_app, AuditLog)
    attempts = [
        ("/admin/meetings/import", {"text": (CORPUS / "thaigov-39440.txt").read_text("utf-8")}),
        (f"/admin/meetings/{meeting_id}", {"title": "hijacked"}),
        (f"/admin/meetings/{meeting_id}/publish", {}),
        (f"/admin/groups/{seeded_group}/approve", {}),
    ]
    for path, data in attempts:
        for token in (None, "forged-token"):
            sent = data if token is None else {**data, "csrf_token": token}
            response = browser.client.post(path, data=sent)
            assert response.status_code == 400, path
            assert "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง" in _text(response)
    assert _count(ready_app, AuditLog) == before
    assert _count(ready_app, Meeting) == 2
    with services_of(ready_app).db.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.title != "hijacked" and meeting.published_at is None
        assert session.get(LineGroup, seeded_group).status == GroupStatus.PENDING  # type: ignore[union-attr]


# --- meetings --------------------------------------------------------------------------------------


def test_import_shows_the_parsed_meeting_beside_its_source(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    article = (CORPUS / "thaigov-37251.txt").read_text("utf-8")
    response = browser.submit("/admin/meetings/import", text=article)
    assert response.status_code == 302
    page = browser.get(response.location)
    body = _text(page)
    assert "นำเข้าการประชุมแล้ว" in body
    with services_of(ready_app).db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.number != "3/2565")).one()
        assert meeting.published_at is None  # a draft until someone publishes it
        titles = [d.title for d in meeting.directives]
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "meeting.import")).one()
        assert entry.actor == "editor"
    assert response.location == f"/admin/meetings/{meeting.id}"
    for title in titles:
        assert html.escape(title, quote=True) in body or html.escape(title, quote=False) in body
    # the source, escaped, in its own pane
    first_line = next(line for line in article.splitlines() if line.strip())
    assert html.escape(first_line.strip(), quote=False) in body


def test_importing_the_same_article_again_shows_the_stored_meeting(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    article = (CORPUS / "thaigov-37251.txt").read_text("utf-8")
    first = browser.submit("/admin/meetings/import", text=article)
    second = browser.submit("/admin/meetings/import", text=article)
    assert first.location == second.location
    assert "เคยนำเข้าแล้ว" in _text(browser.get(second.location))
    assert _count(ready_app, Meeting) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "กรุณาวางเนื้อหาบทความหรือใส่ URL"),
        ({"text": "สวัสดี", "url": "https://example.org/a"}, "กรุณาวางเนื้อหาบทความหรือใส่ URL"),
        ({"text": "\x00\x01 garbage"}, ""),
        ({"url": "not a url"}, ""),
    ],
)
def test_a_bad_import_says_why_and_stores_nothing(
    ready_app: Flask, data: dict[str, str], message: str
) -> None:
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    response = browser.submit("/admin/meetings/import", **data)
    assert response.status_code in (400, 422)
    body = _text(response)
    assert 'class="errors"' in body
    assert message in body
    assert "Traceback" not in body
    assert _count(ready_app, Meeting) == 1


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def _follow_import(browser: Browser, location: str, seconds: float = 20) -> Any:
    """Reload the import's page as its meta refresh does, until it sends the browser on or fails."""
    ends = time.monotonic() + seconds
    page = browser.get(location)
    while page.status_code == 200 and 'http-equiv="refresh"' in _text(page) and time.monotonic() < ends:
        time.sleep(0.05)
        page = browser.get(location)
    return page


def test_a_url_import_runs_while_its_page_waits(build_app: Callable[..., Flask], server: LocalServer) -> None:
    app = build_app({"ingest": {"allow_private_addresses": ["127.0.0.1"]}})
    server.routes["/news/1"] = Route(
        (CORPUS / "thaigov-88664.txt").read_bytes(), content_type="text/plain; charset=utf-8", delay=1.0
    )
    browser = logged_in(app, "editor", AdminRole.EDITOR)
    response = browser.submit("/admin/meetings/import", url=server.url("/news/1"))
    assert response.status_code == 302 and response.location.startswith("/admin/imports/")
    waiting = browser.get(response.location)  # the site takes a second: the page waits, refreshing
    assert waiting.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in _text(waiting) and "กำลังดึงบทความ" in _text(waiting)

    done = _follow_import(browser, response.location)
    assert done.status_code == 302 and done.location.startswith("/admin/meetings/")
    assert "นำเข้าการประชุมแล้ว" in _text(browser.get(done.location))
    with services_of(app).db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.source_url == server.url("/news/1"))).one()
        assert done.location == f"/admin/meetings/{meeting.id}" and len(meeting.directives) == 6


def test_a_url_import_that_fails_shows_why_on_the_form(build_app: Callable[..., Flask]) -> None:
    app = build_app({"ingest": {"allow_private_addresses": ["127.0.0.1"]}})
    browser = logged_in(app, "editor", AdminRole.EDITOR)
    response = browser.submit("/admin/meetings/import", url="http://127.0.0.1:1/news/1")
    failed = _follow_import(browser, response.location)
    body = _text(failed)
    assert failed.status_code == 200 and 'class="errors"' in body and "ติดต่อเว็บไซต์ไม่ได้" in body
    assert 'value="http://127.0.0.1:1/news/1"' in body  # to correct and try again
    assert 'action="/admin/meetings/import"' in body
    assert _count(app, Meeting) == 1


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:{port}/news/1", "http://localhost:{port}/news/1", "http://2130706433:{port}/news/1"],
)
def test_a_url_import_from_this_host_is_refused(ready_app: Flask, server: LocalServer, url: str) -> None:
    server.routes["/news/1"] = Route((CORPUS / "thaigov-88664.txt").read_bytes())
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    response = browser.submit("/admin/meetings/import", url=url.format(port=server.port))
    assert response.status_code == 422
    body = _text(response)
    assert 'class="errors"' in body and "ไม่อนุญาตให้ดึงข้อมูล" in body
    assert sum(server.hits.values()) == 0
    assert _count(ready_app, Meeting) == 1 and _count(ready_app, ImportJob) == 0


def _edit_form(browser: Browser, meeting_id: int) -> dict[str, Any]:
    """The meeting form's current values, as a browser would post them back."""
    page = _text(browser.get(f"/admin/meetings/{meeting_id}"))
    form = page[page.index('id="meeting-form"') :]
    form = form[: form.index("</form>")]
    data: dict[str, Any] = {}
    for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form):
        if 'type="checkbox"' not in name:
            data[name] = html.unescape(value)
    for tag in re.findall(r"<input[^>]*>", form):
        if 'type="checkbox"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            assert name is not None
            data.pop(name.group(1), None) if "checked" not in tag else None
            if "checked" in tag and value is not None:
                data.setdefault(name.group(1) + "[]", []).append(value.group(1))
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', form, re.S):
        data[name] = html.unescape(value)
    for key in [k for k in data if k.endswith("[]")]:
        data[key[:-2]] = data.pop(key)
    return data


def test_an_editor_fixes_a_directives_category(ready_app: Flask) -> None:
    meeting_id = _seed_meeting_id(ready_app)
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    data = _edit_form(browser, meeting_id)
    assert data["directives-0-seq"] == "1"
    data["directives-0-categories"] = ["Emergency Management", "Evaluation"]
    data["csrf_token"] = csrf_token(browser.get(f"/admin/meetings/{meeting_id}"))
    response = browser.client.post(f"/admin/meetings/{meeting_id}", data=data)
    assert response.status_code == 302
    assert "บันทึกการแก้ไขแล้ว" in _text(browser.get(response.location))
    with services_of(ready_app).db.session() as session:
        first = session.scalars(
            select(Directive).where(Directive.meeting_id == meeting_id, Directive.seq == 1)
        ).one()
        assert [e.code for e in first.categories] == ["Emergency Management", "Evaluation"]
        assert first.categories_overridden
        # The seed meeting is published: its edit is a correction, announced to nobody unless asked.
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "meeting.correct")).one()
        assert entry.actor == "editor"
        assert entry.details == {"changed": ["directive 1 categories"], "notify": False}  # nothing else
        assert session.scalars(select(Broadcast)).all() == []


def test_a_directive_containing_a_script_tag_shows_as_text(ready_app: Flask) -> None:
    meeting_id = _seed_meeting_id(ready_app)
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    data = _edit_form(browser, meeting_id)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data["directives-1-title"] = f"หัวข้อ {hostile}"
    data["directives-1-text"] = f"เนื้อหา {hostile}"
    data["csrf_token"] = csrf_token(browser.get(f"/admin/meetings/{meeting_id}"))
    assert browser.client.post(f"/admin/meetings/{meeting_id}", data=data).status_code == 302
    for path in (f"/admin/meetings/{meeting_id}", "/admin/meetings", "/"):
        body = _text(browser.get(path))
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body, path
    body = _text(browser.get(f"/admin/meetings/{meeting_id}"))
    assert "&lt;script&gt;alert(" in body
    viewer = logged_in(ready_app, "viewer", AdminRole.VIEWER)
    read_only = _text(viewer.get(f"/admin/meetings/{meeting_id}"))
    assert "&lt;script&gt;alert(" in read_only and "<script>alert" not in read_only


def test_an_invalid_edit_says_which_field_and_changes_nothing(ready_app: Flask) -> None:
    meeting_id = _seed_meeting_id(ready_app)
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    data = _edit_form(browser, meeting_id)
    data["number"] = "third"
    data["directives-0-title"] = ""
    data["directives-0-categories"] = ["Not an E"]
    data["csrf_token"] = csrf_token(browser.get(f"/admin/meetings/{meeting_id}"))
    response = browser.client.post(f"/admin/meetings/{meeting_id}", data=data)
    assert response.status_code == 422
    body = _text(response)
    assert "ใช้รูปแบบ ครั้ง/ปี พ.ศ." in body
    assert body.count('class="errors"') >= 2
    with services_of(ready_app).db.session() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.number == "3/2565"
        assert meeting.directives[0].title


def test_adding_and_removing_directives(ready_app: Flask) -> None:
    meeting_id = _seed_meeting_id(ready_app)
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    data = _edit_form(browser, meeting_id)
    data["directives-3-remove"] = "y"
    data["new-title"] = "ข้อสั่งการที่เพิ่ม"
    data["new-text"] = "ให้จังหวัดรายงานผลภายในวันที่ ๓๐"
    data["new-categories"] = ["e-Service"]
    data["csrf_token"] = csrf_token(browser.get(f"/admin/meetings/{meeting_id}"))
    assert browser.client.post(f"/admin/meetings/{meeting_id}", data=data).status_code == 302
    with services_of(ready_app).db.session() as session:
        directives = session.scalars(
            select(Directive).where(Directive.meeting_id == meeting_id).order_by(Directive.seq)
        ).all()
        assert [d.seq for d in directives] == [1, 2, 3, 5]
        assert directives[-1].title == "ข้อสั่งการที่เพิ่ม"
        assert [e.code for e in directives[-1].categories] == ["e-Service"]


def test_publishing_schedules_the_summary(ready_app: Flask) -> None:
    meeting_id = _draft_meeting_id(ready_app)
    _add_group(ready_app, "C" + "2" * 32, "ชลบุรี", GroupStatus.ACTIVE)
    browser = logged_in(ready_app, "editor", AdminRole.EDITOR)
    response = publish(browser, meeting_id)
    assert response.status_code == 302
    assert "เผยแพร่แล้ว" in _text(browser.get(response.location))
    with services_of(ready_app).db.session() as session:
        assert session.scalar(select(Meeting.published_at).where(Meeting.id == meeting_id)) is not None
        broadcast = session.scalars(select(Broadcast)).one()
        assert broadcast.meeting_id == meeting_id
        assert (
            session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "meeting.publish")
            )
            == 1
        )
    dashboard = _text(browser.get("/admin/"))
    assert "สรุปการประชุม" in dashboard and "meeting_summary" not in dashboard  # Thai, not the enum
    again = browser.submit(
        f"/admin/meetings/{meeting_id}", f"/admin/meetings/{meeting_id}/publish", version="x"
    )
    assert again.status_code == 302
    assert _count(ready_app, Broadcast) == 1  # publishing twice schedules once


def test_an_unknown_meeting_is_a_thai_404(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    response = browser.get("/admin/meetings/999999")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in _text(response)


# --- groups ----------------------------------------------------------------------------------------


def test_groups_filter_by_province_region_and_status(ready_app: Flask) -> None:
    _add_group(ready_app, "Cchiangmai", "เชียงใหม่", GroupStatus.ACTIVE, name="ท้องถิ่นเชียงใหม่")
    _add_group(ready_app, "Cchonburi", "ชลบุรี", GroupStatus.PENDING, name="ท้องถิ่นชลบุรี")
    _add_group(ready_app, "Cleft", "ชลบุรี", GroupStatus.LEFT, name="กลุ่มเก่า")
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    with services_of(ready_app).db.session() as session:
        chonburi = session.scalars(select(Province).where(Province.name_th == "ชลบุรี")).one()
        chiangmai = session.scalars(select(Province).where(Province.name_th == "เชียงใหม่")).one()
        north, east = chiangmai.region_id, chonburi.region_id

    def shown(query: str) -> set[str]:
        return set(re.findall(r'data-group="([^"]+)"', _text(browser.get(f"/admin/groups?{query}"))))

    assert shown("") == {"Cchiangmai", "Cchonburi", "Cleft"}
    assert shown(f"province={chonburi.id}") == {"Cchonburi", "Cleft"}
    assert shown(f"region={north}") == {"Cchiangmai"}
    assert shown(f"region={east}&status=pending") == {"Cchonburi"}
    assert shown("q=เก่า") == {"Cleft"}


def test_an_admin_approves_moves_and_deactivates_groups(ready_app: Flask) -> None:
    group_id = _add_group(ready_app, "Cpending", "ชลบุรี", GroupStatus.PENDING, name="รอ <b>อนุมัติ</b>")
    browser = logged_in(ready_app, "boss", AdminRole.ADMIN)
    listing = _text(browser.get("/admin/groups"))
    assert "รอ &lt;b&gt;อนุมัติ&lt;/b&gt;" in listing  # a name from LINE, escaped
    assert browser.submit("/admin/groups", f"/admin/groups/{group_id}/approve").status_code == 302
    with services_of(ready_app).db.session() as session:
        assert session.get(LineGroup, group_id).status == GroupStatus.ACTIVE  # type: ignore[union-attr]
        rayong = session.scalar(select(Province.id).where(Province.name_th == "ระยอง"))
    moved = browser.submit("/admin/groups", f"/admin/groups/{group_id}/province", province=str(rayong))
    assert moved.status_code == 302
    assert browser.submit("/admin/groups", f"/admin/groups/{group_id}/deactivate").status_code == 302
    with services_of(ready_app).db.session() as session:
        group = session.get(LineGroup, group_id)
        assert group is not None
        assert group.province_id == rayong
        assert group.status == GroupStatus.INACTIVE
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.target_type == "line_group").order_by(AuditLog.id)
        ).all()
    assert actions == ["group.approve", "group.province", "group.deactivate"]
    assert browser.submit("/admin/groups", f"/admin/groups/{group_id}/reactivate").status_code == 302
    with services_of(ready_app).db.session() as session:
        assert session.get(LineGroup, group_id).status == GroupStatus.ACTIVE  # type: ignore[union-attr]


def test_approving_a_group_that_is_not_pending_changes_nothing(ready_app: Flask) -> None:
    group_id = _add_group(ready_app, "Cnoprov", None, GroupStatus.PENDING)
    browser = logged_in(ready_app, "boss", AdminRole.ADMIN)
    response = browser.submit("/admin/groups", f"/admin/groups/{group_id}/approve")
    assert "ไม่ได้รออนุมัติ" in _text(browser.get(response.location))
    with services_of(ready_app).db.session() as session:
        assert session.get(LineGroup, group_id).status == GroupStatus.PENDING  # type: ignore[union-attr]


@pytest.mark.parametrize("target", OFF_SITE)
def test_group_actions_never_go_back_off_site(ready_app: Flask, target: str) -> None:
    group_id = _add_group(ready_app, "Cpending", "ชลบุรี", GroupStatus.PENDING)
    browser = logged_in(ready_app, "boss", AdminRole.ADMIN)
    response = browser.submit("/admin/groups", f"/admin/groups/{group_id}/approve", back=target)
    assert response.status_code == 302
    assert response.location == "/admin/groups"
    # A path on the site is where the admin came from (a filtered list): that one is kept.
    back = browser.submit(
        "/admin/groups", f"/admin/groups/{group_id}/deactivate", back="/admin/groups?page=2"
    )
    assert back.location == "/admin/groups?page=2"


HUGE = "99999999999999999999999"  # past 64 bits: SQLite raises OverflowError on it


def test_numbers_past_the_databases_integers_are_4xx(ready_app: Flask) -> None:
    group_id = _add_group(ready_app, "Cx", "ชลบุรี", GroupStatus.ACTIVE)
    browser = logged_in(ready_app, "boss", AdminRole.ADMIN)
    for path in (
        f"/admin/meetings/{HUGE}",
        f"/admin/broadcasts/{HUGE}",
        f"/admin/broadcasts/{HUGE}/deliveries.csv",
    ):
        assert browser.get(path).status_code == 404, path
    for action in (
        f"/admin/groups/{HUGE}/approve",
        f"/admin/meetings/{HUGE}/publish",
        f"/admin/broadcasts/{HUGE}/cancel",
    ):
        assert browser.submit("/admin/groups", action).status_code == 404, action
    for query in (f"page={HUGE}", f"province={HUGE}", f"region={HUGE}", "page=²", "page=0"):
        assert browser.get(f"/admin/groups?{query}").status_code == 400, query
    assert browser.get(f"/admin/meetings?page={HUGE}").status_code == 400
    assert browser.get(f"/admin/broadcasts/?page={HUGE}").status_code == 400
    # A number for something that is not there is an empty list, as before.
    assert browser.get("/admin/groups?province=999999").status_code == 200
    new = browser.get(f"/admin/broadcasts/new?meeting_id={HUGE}")
    assert new.status_code == 200
    chosen = browser.submit(
        "/admin/broadcasts/new", content="meeting", meeting_id=HUGE, target="provinces", provinces=HUGE
    )
    assert chosen.status_code in (400, 422)
    meeting_id = _seed_meeting_id(ready_app)
    data = _edit_form(browser, meeting_id)
    data["directives-0-seq"] = HUGE
    data["csrf_token"] = csrf_token(browser.get(f"/admin/meetings/{meeting_id}"))
    assert browser.client.post(f"/admin/meetings/{meeting_id}", data=data).status_code == 422
    with services_of(ready_app).db.session() as session:
        assert session.get(LineGroup, group_id) is not None
        assert session.scalar(select(func.count()).select_from(Broadcast)) == 0
        assert session.scalars(select(Directive.seq).where(Directive.meeting_id == meeting_id)).all() == [
            1,
            2,
            3,
            4,
        ]


def test_moving_a_group_to_an_unknown_province_is_refused(ready_app: Flask) -> None:
    group_id = _add_group(ready_app, "Cx", "ชลบุรี", GroupStatus.ACTIVE)
    browser = logged_in(ready_app, "boss", AdminRole.ADMIN)
    response = browser.submit("/admin/groups", f"/admin/groups/{group_id}/province", province="999999")
    assert response.status_code == 400


# --- dashboard and audit ---------------------------------------------------------------------------


@pytest.fixture
def standin() -> Iterator[LineStandIn]:
    with LineStandIn(token="console-token") as server:
        server.set_quota("limited", 10_000)
        yield server


def test_dashboard_shows_content_groups_and_the_line_quota(
    build_app: Callable[..., Flask], standin: LineStandIn
) -> None:
    app = build_app(
        {"line": {"api_base_url": standin.base_url}},
        env={"LINE_CHANNEL_SECRET": "s" * 32, "LINE_CHANNEL_ACCESS_TOKEN": "console-token"},
    )
    _add_group(app, "Cactive", "เชียงใหม่", GroupStatus.ACTIVE)
    _add_group(app, "Cwaiting", "เชียงใหม่", GroupStatus.PENDING)
    standin.set_consumption(1234)
    browser = logged_in(app, "somchai", AdminRole.VIEWER)
    body = _text(browser.get("/admin/"))
    assert "การประชุมผู้บริหาร" in body or "3/2565" in body
    assert re.search(r"ภาคเหนือ</td><td class=\"num\">1</td><td class=\"num\">1</td>", body)
    assert "กลุ่มรออนุมัติ 1 กลุ่ม" in body
    assert '<td class="num" data-testid="quota-left">8,766</td>' in body


def test_dashboard_without_line_says_so(ready_app: Flask) -> None:
    browser = logged_in(ready_app, "somchai", AdminRole.VIEWER)
    assert "ยังไม่ได้ตั้งค่าช่อง LINE" in _text(browser.get("/admin/"))


def test_the_audit_log_shows_who_did_what(ready_app: Flask) -> None:
    meeting_id = _draft_meeting_id(ready_app)
    editor = logged_in(ready_app, "editor", AdminRole.EDITOR)
    publish(editor, meeting_id)
    admin = logged_in(ready_app, "boss", AdminRole.ADMIN)
    body = _text(admin.get("/admin/audit"))
    assert "<strong>editor</strong> เผยแพร่การประชุม" in body and 'data-action="login"' in body
    assert "meeting.publish:" not in body and "forced" not in body  # words, not codes
    only_publish = _text(admin.get("/admin/audit?action=meeting.publish"))
    assert 'data-action="meeting.publish"' in only_publish
    assert 'data-action="login"' not in only_publish
    by_actor = _text(admin.get("/admin/audit?actor=boss"))
    assert "<strong>editor</strong>" not in by_actor


# --- command line and first start ----------------------------------------------------------------


def test_admin_create_command(ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = ready_app.test_cli_runner()
    monkeypatch.setenv("ADMIN_PASSWORD", "a long enough password")
    result = runner.invoke(args=["admin", "create", "somchai", "--role", "editor"])
    assert result.exit_code == 0, result.output
    assert Browser(ready_app).login("somchai", "a long enough password").status_code == 302
    again = runner.invoke(args=["admin", "create", "SOMCHAI"])
    assert again.exit_code == 2
    assert "มีบัญชี SOMCHAI อยู่แล้ว" in again.output
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    assert runner.invoke(args=["admin", "create", "somying"]).exit_code == 2
    with services_of(ready_app).db.session() as session:
        users = session.scalars(select(AdminUser)).all()
        assert [(u.username, u.role) for u in users] == [("somchai", AdminRole.EDITOR)]


def test_admin_create_prompts_for_the_password(ready_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    runner = ready_app.test_cli_runner()
    result = runner.invoke(args=["admin", "create", "somchai"], input="typed password 1\ntyped password 1\n")
    assert result.exit_code == 0, result.output
    assert "typed password 1" not in result.output
    assert Browser(ready_app).login("somchai", "typed password 1").status_code == 302
    bad = runner.invoke(args=["admin", "create", "bad name!"], input="typed password 1\ntyped password 1\n")
    assert bad.exit_code == 2


def test_the_first_admin_is_created_once(ready_app: Flask) -> None:
    services = services_of(ready_app)
    password = accounts.ensure_first_admin(services)
    assert password is not None and len(password) >= 12
    assert accounts.ensure_first_admin(services) is None
    assert Browser(ready_app).login("admin", password).status_code == 302


THIN_LIST_ARTICLE = "\n".join(
    (
        "อธิบดี สถ. ประชุมผู้บริหาร",
        "วันนี้ (21 มกราคม 2565) นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น เป็นประธานการประชุม"
        "กรมส่งเสริมการปกครองท้องถิ่น ครั้งที่ 3/2565",
        "นายประยูร รัตนเสนีย์ เปิดเผยว่า แผนการตรวจราชการมีสาระสำคัญ ดังนี้ "
        "1. การตรวจราชการตามยุทธศาสตร์ชาติและนโยบายสำคัญของรัฐบาลภายในเดือนมีนาคม 2565 "
        "2. การตรวจราชการตามภารกิจของกระทรวงในอำนาจหน้าที่ของผู้ตรวจราชการ "
        "3. การตรวจติดตามภารกิจสำคัญของกระทรวงประจำปีงบประมาณ",
    )
)


@pytest.mark.parametrize("role", [AdminRole.EDITOR, AdminRole.VIEWER])
def test_the_meeting_page_shows_warnings_next_to_the_directives_they_are_about(
    ready_app: Flask, role: AdminRole
) -> None:
    with services_of(ready_app).db.session() as session:
        result = ingest_text(session, THIN_LIST_ARTICLE, actor="test")
        meeting_id = result.meeting.id
        warning = result.meeting.directives[0].warnings[0]
        assert all(d.warnings == [warning] or warning in d.warnings for d in result.meeting.directives)
    page = _text(logged_in(ready_app, "someone", role).get(f"/admin/meetings/{meeting_id}"))
    escaped = html.escape(warning, quote=False)
    top = page.split('<div class="split">', 1)[0]
    items = page.split('<div class="split">', 1)[1]
    assert escaped not in top  # not among the meeting's own warnings
    assert items.count(escaped) == 3  # once beside each of the three directives of the list
    assert "สถ." in top  # the body that held the meeting
    assert "กำหนดเสร็จ 31 มีนาคม 2565" in items  # the first directive's deadline
