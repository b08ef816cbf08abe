"""The app factory and the pages of the core: nothing at import, Thai pages, escaped content."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.app import create_app
from bot.models import Meeting, TenE
from bot.settings import Settings
from tests.conftest import services_of

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_packages_does_nothing(tmp_path: Path) -> None:
    """No database file, no connection, no thread: importing is free of side effects."""
    code = (
        "import threading, bot, bot.app, bot.models, bot.cli, handlers, broadcasts;"
        "assert threading.active_count() == 1, threading.enumerate()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/never.db"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_each_app_has_its_own_services(make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    one = create_app(make_settings({"database": {"url": f"sqlite:///{tmp_path}/one.db"}}))
    two = create_app(make_settings({"database": {"url": f"sqlite:///{tmp_path}/two.db"}}))
    assert services_of(one).db is not services_of(two).db
    assert services_of(one).db.url != services_of(two).db.url


def test_create_app_accepts_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app({"server": {"port": 8765}})
    settings = services_of(app).settings
    assert settings.server.port == 8765
    assert settings.database.url.endswith("/env.db")


def test_home_page_shows_the_latest_directives_in_thai(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="th">' in page
    assert "ข้อสั่งการล่าสุด" in page
    assert "21 มกราคม 2565" in page
    assert "3/2565" in page
    assert page.count('<span class="tag">E') >= 4
    assert "Emergency Management" in page


def test_outside_text_is_escaped(ready_app: Flask) -> None:
    with services_of(ready_app).db.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        meeting.title = '<script>alert("x")</script>'
        meeting.directives[0].text = "<img src=x onerror=alert(1)>"
    page = ready_app.test_client().get("/").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_not_found_is_thai_html_for_people_and_json_for_apis(client: FlaskClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page.get_data(as_text=True)
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404
    assert api.json == {"error": "ไม่พบหน้าที่ต้องการ", "status": 404}


def test_unexpected_error_is_a_thai_500_without_traceback(ready_app: Flask) -> None:
    @ready_app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = ready_app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "ระบบขัดข้อง" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_datetimes_are_aware_utc_on_both_databases(ready_app: Flask) -> None:
    bangkok = dt.timezone(dt.timedelta(hours=7))
    published = dt.datetime(2022, 1, 21, 17, 30, tzinfo=bangkok)
    with services_of(ready_app).db.session() as session:
        session.scalars(select(Meeting)).one().published_at = published
    with services_of(ready_app).db.session() as session:
        stored = session.scalars(select(Meeting)).one().published_at
    assert stored == published
    assert stored is not None and stored.utcoffset() == dt.timedelta(0)
    assert stored.hour == 10


def test_naive_datetimes_are_refused(ready_app: Flask) -> None:
    with services_of(ready_app).db.sessions() as session:
        session.scalars(select(Meeting)).one().published_at = dt.datetime(2022, 1, 21, 10)  # noqa: DTZ001
        with pytest.raises(Exception, match="naive datetime"):
            session.flush()


def test_ten_es_have_unique_codes(ready_app: Flask) -> None:
    with services_of(ready_app).db.session() as session:
        codes = session.scalars(select(TenE.code)).all()
    assert len(set(codes)) == 10
