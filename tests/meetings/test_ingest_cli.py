"""`flask --app wsgi ingest`: the JSON interface, storing drafts once, and one-line errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from bot.models import AuditLog, Meeting
from tests.conftest import services_of
from tests.httpserver import LocalServer, Route

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "bot" / "data" / "seed" / "meeting-3-2565.txt"


def _meetings(app: Flask) -> int:
    with services_of(app).db.session() as session:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0


@pytest.fixture
def app_env() -> dict[str, str]:
    return {"INGEST_ALLOW_PRIVATE_ADDRESSES": "[127.0.0.1]"}  # the local test server


@pytest.fixture
def cli(ready_app: Flask) -> FlaskCliRunner:
    return ready_app.test_cli_runner()


def test_json_has_the_documented_shape_and_stores_nothing(cli: FlaskCliRunner, ready_app: Flask) -> None:
    before = _meetings(ready_app)
    result = cli.invoke(args=["ingest", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "title",
        "date",
        "number",
        "chair",
        "body",
        "directives",
        "ten_es",
        "source_url",
        "warnings",
    ]
    assert (data["date"], data["number"], data["body"], data["ten_es"], data["source_url"]) == (
        "2022-01-21",
        "3/2565",
        "สถ.",
        True,
        None,
    )
    assert data["chair"].startswith("นายประยูร รัตนเสนีย์")
    assert [d["seq"] for d in data["directives"]] == [1, 2, 3, 4]
    for directive in data["directives"]:
        assert set(directive) == {"seq", "title", "text", "categories", "deadline"}
        assert isinstance(directive["title"], str) and directive["title"]
    assert [d["categories"][0] for d in data["directives"]] == [
        "Environment",
        "Economy",
        "Education",
        "Evaluation",
    ]
    assert _meetings(ready_app) == before


def test_store_a_draft_once_then_publish(cli: FlaskCliRunner, ready_app: Flask) -> None:
    article = CORPUS / "thaigov-70492.txt"
    first = cli.invoke(args=["ingest", str(article)])
    assert first.exit_code == 0, first.output
    meeting_id = int(first.stdout.strip())
    second = cli.invoke(args=["ingest", str(article), "--publish"])
    assert second.exit_code == 0
    assert int(second.stdout.strip()) == meeting_id
    with services_of(ready_app).db.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        assert meeting.is_published and meeting.number == "3/2566"
        actions = session.scalars(select(AuditLog.action).where(AuditLog.target_id == str(meeting_id))).all()
    assert actions == ["meeting.import", "meeting.publish"]


def test_stdin(cli: FlaskCliRunner, ready_app: Flask) -> None:
    text = (CORPUS / "thaigov-37251.txt").read_bytes()
    result = cli.invoke(args=["ingest", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["number"] == "4/2563"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def test_url(cli: FlaskCliRunner, ready_app: Flask, server: LocalServer) -> None:
    server.routes["/news/1"] = Route(
        (CORPUS / "thaigov-88664.txt").read_bytes(), content_type="text/plain; charset=utf-8"
    )
    result = cli.invoke(args=["ingest", server.url("/news/1")])
    assert result.exit_code == 0, result.output
    with services_of(ready_app).db.session() as session:
        meeting = session.get_one(Meeting, int(result.stdout.strip()))
        assert meeting.source_url == server.url("/news/1")
        assert len(meeting.directives) == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ไม่มีข้อความ"),
        (b"  \n \t\n", "ไม่มีข้อความ"),
        (bytes(range(256)) * 40, "ไม่ใช่ข้อความ"),
        ("ก".encode() * 4_000_000, "ใหญ่เกินไป"),  # 12 MB of Thai
    ],
)
def test_bad_files_exit_2_with_one_line(
    cli: FlaskCliRunner, ready_app: Flask, tmp_path: Path, content: bytes, message: str
) -> None:
    before = _meetings(ready_app)
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = cli.invoke(args=["ingest", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert result.stdout == "" and "Traceback" not in result.output
    assert _meetings(ready_app) == before


def test_missing_file_and_unreachable_url(cli: FlaskCliRunner) -> None:
    missing = cli.invoke(args=["ingest", "/no/such/article.txt"])
    assert missing.exit_code == 2 and "เปิดไฟล์" in missing.stderr
    unreachable = cli.invoke(args=["ingest", "http://127.0.0.1:1/news"])
    assert unreachable.exit_code == 2 and "ติดต่อเว็บไซต์ไม่ได้" in unreachable.stderr


def test_an_article_without_date_or_list_is_a_draft_with_warnings(
    cli: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("ประชาสัมพันธ์\nขอเชิญชวนประชาชนร่วมกิจกรรมปลูกต้นไม้ในชุมชน\n", encoding="utf-8")
    result = cli.invoke(args=["ingest", str(path)])
    assert result.exit_code == 0
    assert "ไม่พบวันที่ประชุม" in result.stderr and "ไม่พบข้อสั่งการ" in result.stderr
    assert result.stdout.strip().isdigit()


def test_json_and_publish_together_is_a_usage_error(cli: FlaskCliRunner) -> None:
    result = cli.invoke(args=["ingest", str(SEED), "--json", "--publish"])
    assert result.exit_code == 2


def test_body_deadlines_and_directive_warnings_are_stored(cli: FlaskCliRunner, ready_app: Flask) -> None:
    text = "\n".join(
        (
            "อธิบดี สถ. ประชุมผู้บริหาร",
            "วันนี้ (14 ม.ค. 64) นายประยูร รัตนเสนีย์ อธิบดีกรมส่งเสริมการปกครองท้องถิ่น เป็นประธานการประชุม"
            "คณะกรรมการพัฒนาท้องถิ่น (กพถ.) ครั้งที่ 1/2564 โดยได้สั่งการ ดังนี้ "
            "1) ให้ทุกจังหวัดสำรวจแหล่งน้ำและรายงานกรมภายในเดือนมีนาคม 2564 "
            "2) ขอให้องค์กรปกครองส่วนท้องถิ่นจัดทำแผนป้องกันไฟป่าให้แล้วเสร็จภายในวันที่ 31 ม.ค. 64 "
            "3) ให้ท้องถิ่นจังหวัดติดตามผลการดำเนินงานอย่างใกล้ชิด",
        )
    )
    result = cli.invoke(args=["ingest", "-"], input=text.encode())
    assert result.exit_code == 0, result.output
    with services_of(ready_app).db.session() as session:
        meeting = session.get_one(Meeting, int(result.stdout.strip()))
        assert meeting.body == "กพถ."
        assert [d.deadline for d in meeting.directives] == [
            dt.date(2021, 3, 31),
            dt.date(2021, 1, 31),
            None,
        ]
        assert all(isinstance(d.warnings, list) for d in meeting.directives)
