"""The evaluation set of officials' questions (questions.yaml): its meetings, its clock, and the judge.

Shared by tests/handlers/test_questions.py (both databases, through the real /callback) and
bench/questions.py (prints the score, to compare a branch with main)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from meetings.ingest.service import ingest_text

HERE = Path(__file__).resolve().parent
QUESTIONS_FILE = HERE / "questions.yaml"
CORPUS = HERE.parent / "fixtures" / "corpus"
# Real meetings besides the seed: two in one month (July 2566), a flood meeting chaired by the prime
# minister, the latest one (16 Jul 2568) chaired by the interior minister.
MEETING_FILES = (
    "thaigov-37251.txt",
    "thaigov-70020.txt",
    "thaigov-70492.txt",
    "thaigov-88664.txt",
    "thaigov-98490.txt",
)
# Sunday 20 July 2568, 10:00 in Bangkok.
NOW = dt.datetime(2025, 7, 20, 3, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return NOW


@dataclass(frozen=True)
class Question:
    text: str
    usage: str
    contains: tuple[str, ...]
    absent: tuple[str, ...] = ()
    after: tuple[str, ...] = field(default=())
    miss: str | None = None
    """Why it is answered wrong today (a known gap), or None."""

    def wrong_in(self, answer: str) -> list[str]:
        """What the answer lacks or should not say; empty when it is right."""
        missing = [f"lacks {text!r}" for text in self.contains if text not in answer]
        return missing + [f"says {text!r}" for text in self.absent if text in answer]


def load_questions() -> list[Question]:
    rows: list[dict[str, Any]] = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return [
        Question(
            text=str(row["q"]),
            usage=str(row["class"]),
            contains=tuple(row.get("contains", ())),
            absent=tuple(row.get("absent", ())),
            after=tuple(row.get("after", ())),
            miss=row.get("miss"),
        )
        for row in rows
    ]


def add_meetings(session: Session) -> None:
    """The real meetings of the set, imported and published as an administrator would."""
    for name in MEETING_FILES:
        text = (CORPUS / name).read_text(encoding="utf-8")
        ingest_text(session, text, source_url=f"https://example.test/{name}", to_publish=True, actor="test")
