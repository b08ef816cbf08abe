"""`flask --app wsgi setup`: migrations plus seed content, idempotent, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.app import create_app
from bot.models import Base, Meeting, Province, Region, RegionScheme, TenE
from bot.settings import Settings
from tests.conftest import services_of

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "bot" / "data" / "seed" / "meeting-3-2565.txt"


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with services_of(app).db.session() as session:
        return {
            name: [tuple(row) for row in session.execute(table.select().order_by(*table.primary_key.columns))]
            for name, table in Base.metadata.tables.items()
        }


def test_setup_twice_gives_the_same_rows(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "77 จังหวัด" in first.output
    before = _snapshot(app)
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "มีอยู่แล้ว" in second.output
    assert _snapshot(app) == before
    assert len(before["provinces"]) == 77
    assert len(before["ten_es"]) == 10
    assert len(before["meetings"]) == 1
    assert len(before["directives"]) == 4


def _session(app: Flask) -> Session:
    return services_of(app).db.sessions()


def test_provinces_and_both_region_schemes(ready_app: Flask) -> None:
    with _session(ready_app) as session:
        provinces = session.scalars(select(Province)).all()
        assert len({p.name_th for p in provinces}) == 77
        assert all(p.name_en and p.abbr_th and p.abbr_en for p in provinces)
        geo: dict[str, int] = {}
        moi: dict[str, int] = {}
        for p in provinces:
            assert p.region.scheme is RegionScheme.GEOGRAPHIC and p.moi_region.scheme is RegionScheme.MOI
            geo[p.region.code] = geo.get(p.region.code, 0) + 1
            moi[p.moi_region.code] = moi.get(p.moi_region.code, 0) + 1
        # The six geographic regions, and the ministry's four (ภาคเหนือ = 17 provinces).
        assert geo == {"north": 9, "northeast": 20, "central": 22, "east": 7, "west": 5, "south": 14}
        assert moi == {"north": 17, "northeast": 20, "central": 26, "south": 14}
        by_name = {p.name_th: p for p in provinces}
        assert by_name["เชียงใหม่"].region.name_th == "ภาคเหนือ"
        assert by_name["พิษณุโลก"].region.code == "central" and by_name["พิษณุโลก"].moi_region.code == "north"
        assert by_name["กรุงเทพมหานคร"].abbr_th == "กทม"
        assert session.scalar(select(Region).where(Region.code == "south", Region.scheme == "geo6"))


def test_province_data_file_matches_its_source() -> None:
    """bot/data/provinces.json is generated from thai-province-data: names and regions agree."""
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "thai-province-data"
    ours = json.loads((Path(__file__).resolve().parents[2] / "bot/data/provinces.json").read_text())
    if not shared.exists():  # the source lives beside the repository on development machines only
        assert len(ours) == 77
        return
    source = json.loads((shared / "provinces.json").read_text())
    regions = {1: "north", 2: "central", 3: "northeast", 4: "west", 5: "east", 6: "south"}
    assert {(p["name_th"], p["name_en"], regions[p["geography_id"]]) for p in source} == {
        (p["name_th"], p["name_en"], p["region"]) for p in ours
    }


def test_ten_es_are_named_as_in_the_seed_article(ready_app: Flask) -> None:
    article = " ".join(SEED_ARTICLE.read_text(encoding="utf-8").split())
    with _session(ready_app) as session:
        ten_es = session.scalars(select(TenE).order_by(TenE.number)).all()
    assert [e.number for e in ten_es] == list(range(1, 11))
    for e in ten_es:
        # "1) Economy ส่งเสริมเศรษฐกิจ", "8)Evaluation การประเมิน ...": number, English, Thai as written.
        assert re.search(rf"{e.number}\)\s*{re.escape(e.code)} {re.escape(e.name_th)}", article), e.code
        assert e.description


def test_seed_meeting(ready_app: Flask) -> None:
    with _session(ready_app) as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.meeting_date == dt.date(2022, 1, 21)
        assert meeting.number == "3/2565"
        assert meeting.chair is not None and meeting.chair.startswith("นายประยูร รัตนเสนีย์")
        assert meeting.is_published and meeting.ten_es_restated
        assert meeting.raw_text == SEED_ARTICLE.read_text(encoding="utf-8")
        assert [d.seq for d in meeting.directives] == [1, 2, 3, 4]
        keywords = ["มูลฝอยติดเชื้อ", "ค่าครองชีพ", "ศูนย์พัฒนาเด็กเล็ก", "ITA"]
        for directive, keyword in zip(meeting.directives, keywords, strict=True):
            assert keyword in directive.text
            assert directive.text in " ".join(meeting.raw_text.split())
        first_categories = [d.categories[0].code for d in meeting.directives]
        assert first_categories == ["Environment", "Economy", "Education", "Evaluation"]
        assert meeting.published_at is not None and meeting.published_at.tzinfo is not None
        assert meeting.published_at.utcoffset() == dt.timedelta(0)


def test_setup_creates_the_folder_of_a_sqlite_file(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    """A fresh clone has no instance/ folder: setup makes it rather than failing."""
    target = tmp_path / "not" / "yet" / "bot.sqlite3"
    app = create_app(make_settings({"database": {"url": f"sqlite:///{target}"}}))
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert target.exists()
    services_of(app).close()


def test_setup_with_the_database_down_is_one_line(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings({"database": {"url": "postgresql://127.0.0.1:1/test"}}))
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("ติดต่อฐานข้อมูลไม่ได้")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [["ask", "ข้อสั่งการล่าสุด"], ["inbox", "status"], ["broadcast", "list"], ["broadcast", "run"]],
)
@pytest.mark.parametrize("state", ["no file", "no tables"])
def test_a_command_before_setup_is_one_thai_line(
    make_settings: Callable[..., Settings], tmp_path: Path, args: list[str], state: str
) -> None:
    """A fresh clone, `setup` not run yet: the database file or its tables are missing. Every command
    says so in one Thai line and exits 2, rather than a traceback."""
    target = tmp_path / ("missing-folder/bot.sqlite3" if state == "no file" else "bot.sqlite3")
    if state == "no tables":
        sqlite3.connect(target).close()
    app = create_app(make_settings({"database": {"url": f"sqlite:///{target}"}}))
    try:
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 2, result.output
        assert "ฐานข้อมูลยังไม่พร้อม" in result.output and "make setup" in result.output
        assert "Traceback" not in result.output
    finally:
        services_of(app).close()
