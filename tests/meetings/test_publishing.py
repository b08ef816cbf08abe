"""meetings.publishing and the edits that answer the importer's warnings, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from bot.models import Directive, Meeting, TenE
from meetings import publishing
from meetings.parsing import article
from meetings.store import DirectiveChange, MeetingChange, apply_change
from tests.conftest import services_of

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def _stored(app: Flask, warnings: list[str], directives: int = 1) -> int:
    with services_of(app).db.session() as session:
        meeting = Meeting(title="", raw_text="ข่าว", warnings=warnings)
        for seq in range(1, directives + 1):
            mine = [w for w in warnings if w == article.WARN_UNCATEGORISED.format(seq=seq)]
            meeting.directives.append(Directive(seq=seq, title=f"ข้อ {seq}", text="เนื้อหา", warnings=mine))
        session.add(meeting)
        session.flush()
        return meeting.id


GUESSED = article.WARN_CHAIR_GUESSED.format(chair="นายสุทธิพงษ์ จุลเจริญ ปลัดกระทรวงมหาดไทย")


@pytest.mark.parametrize(
    ("change", "answered"),
    [
        (MeetingChange(title="การประชุมผู้บริหาร"), [article.WARN_NO_TITLE]),
        (MeetingChange(date=dt.date(2026, 5, 1)), [article.WARN_NO_DATE, article.WARN_PAGE_DATE]),
        (
            MeetingChange(number="4/2569", chair="อธิบดี"),
            [article.WARN_NO_NUMBER, article.WARN_NO_CHAIR, GUESSED],
        ),
        (
            MeetingChange(directives=[DirectiveChange(seq=2, categories=["Economy"])]),
            [article.WARN_UNCATEGORISED.format(seq=2)],
        ),
    ],
)
def test_an_edit_clears_the_warnings_it_answers_and_only_those(
    ready_app: Flask, change: MeetingChange, answered: list[str]
) -> None:
    warnings = [
        article.WARN_NO_TITLE,
        article.WARN_NO_DATE,
        article.WARN_PAGE_DATE,
        article.WARN_NO_NUMBER,
        article.WARN_NO_CHAIR,
        GUESSED,
        article.WARN_UNCATEGORISED.format(seq=2),
        article.WARN_NOT_THAI,
    ]
    meeting_id = _stored(ready_app, warnings, directives=2)
    with services_of(ready_app).db.session() as session:
        meeting = session.get_one(Meeting, meeting_id)
        apply_change(session, meeting, change)
    with services_of(ready_app).db.session() as session:
        stored = session.get_one(Meeting, meeting_id)
        kept, beside_directive = stored.warnings, stored.directives[1].warnings
    assert kept == [w for w in warnings if w not in answered]
    uncategorised = article.WARN_UNCATEGORISED.format(seq=2)
    assert beside_directive == ([] if uncategorised in answered else [uncategorised])


def test_an_unchanged_field_keeps_its_warning(ready_app: Flask) -> None:
    meeting_id = _stored(ready_app, [article.WARN_NO_TITLE])
    with services_of(ready_app).db.session() as session:
        apply_change(session, session.get_one(Meeting, meeting_id), MeetingChange(title=""))
        assert session.get_one(Meeting, meeting_id).warnings == [article.WARN_NO_TITLE]


def test_an_added_directive_answers_no_directives(ready_app: Flask) -> None:
    meeting_id = _stored(ready_app, [article.WARN_NO_DIRECTIVES], directives=0)
    with services_of(ready_app).db.session() as session:
        economy = session.scalars(select(TenE.code).where(TenE.code == "Economy")).one()
        change = MeetingChange(
            directives=[DirectiveChange(seq=1, title="ค่าครองชีพ", text="ช่วยประชาชน", categories=[economy])]
        )
        apply_change(session, session.get_one(Meeting, meeting_id), change)
        assert session.get_one(Meeting, meeting_id).warnings == []


def test_ingest_publish_refuses_an_article_that_is_not_ready_and_stores_nothing(
    ready_app: Flask,
) -> None:
    cli: FlaskCliRunner = ready_app.test_cli_runner()
    with services_of(ready_app).db.session() as session:
        before = session.scalar(select(func.count()).select_from(Meeting))
    result = cli.invoke(args=["ingest", str(CORPUS / "thaigov-96606.txt"), "--publish"])
    assert result.exit_code == 2
    assert "ยังเผยแพร่ไม่ได้" in result.output and "Traceback" not in result.output
    with services_of(ready_app).db.session() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == before


def test_check_names_every_problem_of_a_draft_or_a_stored_meeting() -> None:
    class Item:
        def __init__(self, seq: int, title: str) -> None:
            self.seq, self.title = seq, title

    problems = publishing.check("", None, [Item(1, "ขยะ"), Item(2, " "), Item(3, "")])
    assert [p.field for p in problems] == ["title", "date", "directive:2", "directive:3"]
    assert publishing.check("ประชุม", dt.date(2026, 1, 1), [], no_directives=True) == []
