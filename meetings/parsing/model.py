"""What the parser hands back: a draft of a meeting and its directives, for an official to check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DirectiveDraft:
    """One numbered directive (ข้อสั่งการ) as read from an article."""

    seq: int
    """1, 2, 3... in the order of the article, across lists; sub-items are part of their parent."""
    title: str
    """The first clause or phrase of the text, at most ~80 characters."""
    text: str
    """The whole item, sub-items included, without its number."""
    categories: tuple[str, ...] = ()
    """10E codes, best first (see ``meetings.parsing.classify``)."""
    deadline: dt.date | None = None
    """The deadline the directive's own text states (``meetings.parsing.deadlines``), or None."""
    warnings: tuple[str, ...] = ()
    """The draft's warnings about this directive (also in ``MeetingDraft.warnings``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "title": self.title,
            "text": self.text,
            "categories": list(self.categories),
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass(frozen=True)
class MeetingDraft:
    """A meeting as read from one news article. Every field may be wrong: ``warnings`` says where to look."""

    title: str
    date: dt.date | None = None
    number: str | None = None
    """``3/2565``: meeting number / Buddhist-Era year."""
    chair: str | None = None
    """Name and position of the person presiding, in one string."""
    chair_name: str | None = None
    chair_position: str | None = None
    body: str | None = None
    """The organisation that held the meeting (``สถ.``, ``มท.``, ``ก.น.บ.``, a committee's name)."""
    subject: str | None = None
    """The words that introduce the directives (the end of the lead-in before the first kept list)."""
    directives: tuple[DirectiveDraft, ...] = ()
    ten_es: bool = False
    """The article restates the department's 10Es framework."""
    source_url: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    """Thai, one line each, for the official who checks the draft."""
    fingerprint: str | None = None
    """SHA-256 of the article's body without page furniture, spacing or invisible characters: the
    same article as text, as HTML or with another site's header has the same fingerprint. None when
    the body is empty."""

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape the rest of the bot relies on (keys and types never change; keys are only
        added: ``body``, and each directive's ``deadline``)."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "number": self.number,
            "chair": self.chair,
            "body": self.body,
            "directives": [directive.to_json() for directive in self.directives],
            "ten_es": self.ten_es,
            "source_url": self.source_url,
            "warnings": list(self.warnings),
        }
