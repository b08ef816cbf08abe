"""Publishing a meeting, taking it back, correcting it: the one path every surface takes.

`publish` (the console, the API's publish endpoint, trusted feeds) checks the meeting (a title, a
meeting date, at least one directive unless the editor chose "no directives", every directive titled),
marks it published with its audit entry in one transaction, and after the commit announces
`meeting_published` (the broadcasts feature schedules the summary). An import that stores and publishes
in one transaction (`ingest --publish`, the API's `"publish": true`, URL imports) calls its two halves,
`mark_published` then `announce_published`. `unpublish` takes a meeting out of the bot's answers at
once and announces `meeting_unpublished` (its summary, not yet sent, is cancelled);
`announce_correction` asks for a short notice to the groups that received a published meeting that
was edited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from bot import audit
from bot.models import Meeting, utcnow
from bot.services import Services
from meetings import store, texts
from meetings.store import MeetingError


class _Titled(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class Problem:
    """Why a meeting cannot be published yet, and the field it is about: "title", "date",
    "directives", or "directive:<seq>" (that directive's title)."""

    field: str
    message: str


class PublishRefused(MeetingError):
    """The meeting is not ready; `problems` says what, field by field (the message is one Thai line)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(texts.REFUSED.format(problems="; ".join(p.message for p in problems)))
        self.problems = tuple(problems)


def check(
    title: str | None, date: dt.date | None, directives: Sequence[_Titled], *, no_directives: bool = False
) -> list[Problem]:
    """What stands between these values and publication (empty: ready). Works on a stored meeting and
    on a parsed draft alike, so an import with `--publish` is refused before anything is stored."""
    problems = []
    if not (title or "").strip():
        problems.append(Problem("title", texts.NO_TITLE))
    if date is None:
        problems.append(Problem("date", texts.NO_DATE))
    if not directives and not no_directives:
        problems.append(Problem("directives", texts.NO_DIRECTIVES))
    problems += [
        Problem(f"directive:{d.seq}", texts.DIRECTIVE_NO_TITLE.format(seq=d.seq))
        for d in directives
        if not (d.title or "").strip()
    ]
    return problems


def check_meeting(meeting: Meeting, *, no_directives: bool = False) -> list[Problem]:
    return check(meeting.title, meeting.meeting_date, meeting.directives, no_directives=no_directives)


def _load(session: Session, meeting_id: int) -> Meeting:
    meeting = store.load(session, meeting_id)
    if meeting is None:
        raise MeetingError(texts.MEETING_GONE.format(id=meeting_id))
    return meeting


def expire_answers(services: Services) -> None:
    """This process answers from the new content on its next question (others within `check_seconds`)."""
    services.content.expire()
    services.search.expire()


def publish(
    services: Services, meeting_id: int, *, actor: str, urgent: bool = False, no_directives: bool = False
) -> bool:
    """Check and publish in a transaction of its own, then announce it; True when this call published
    it (False: it already was). Raises PublishRefused (nothing changed) when the meeting is not ready,
    MeetingError when it is gone."""
    with services.db.session() as session:
        published_now = mark_published(
            session, _load(session, meeting_id), actor=actor, urgent=urgent, no_directives=no_directives
        )
    if published_now:
        announce_published(services, meeting_id, urgent=urgent, actor=actor)
    return published_now


def mark_published(
    session: Session, meeting: Meeting, *, actor: str, urgent: bool = False, no_directives: bool = False
) -> bool:
    """`publish`'s first half, in the caller's transaction (an import that stores and publishes in one):
    check, mark, audit. The caller calls `announce_published` once it has committed."""
    if meeting.published_at is not None:
        return False
    problems = check_meeting(meeting, no_directives=no_directives)
    if problems:
        raise PublishRefused(problems)
    meeting.published_at = utcnow()
    details: dict[str, object] = {"urgent": urgent}
    if not meeting.directives:
        details["no_directives"] = True
    audit.record(session, actor, "meeting.publish", "meeting", meeting.id, **details)
    return True


def announce_published(services: Services, meeting_id: int, *, urgent: bool, actor: str) -> None:
    """After the commit: the bot answers with it, and the summary's scheduler reads a published meeting."""
    expire_answers(services)
    services.hooks.emit("meeting_published", meeting_id=meeting_id, urgent=urgent, actor=actor)


def unpublish(services: Services, meeting_id: int, *, actor: str) -> None:
    """Back to a draft: out of the bot's answers at once; its summary, if not yet sent, is cancelled."""
    with services.db.session() as session:
        meeting = _load(session, meeting_id)
        if meeting.published_at is None:
            raise MeetingError(texts.NOT_PUBLISHED)
        meeting.published_at = None
        audit.record(session, actor, "meeting.unpublish", "meeting", meeting.id)
    expire_answers(services)
    services.hooks.emit("meeting_unpublished", meeting_id=meeting_id, actor=actor)


def announce_correction(services: Services, meeting_id: int, changed: Sequence[str], *, actor: str) -> None:
    """A published meeting was edited: ask for a notice naming what changed to the groups that got it."""
    expire_answers(services)
    services.hooks.emit(
        "meeting_corrected", meeting_id=meeting_id, changes=describe_changes(changed), actor=actor
    )


_DIRECTIVE_CHANGE = re.compile(r"directive (\d+) (\w+)")


def describe_changes(changed: Sequence[str]) -> list[str]:
    """`apply_change`'s record of an edit ("title", "directive 2 text", ...) in Thai, one item per field
    or directive: "ชื่อเรื่อง", "ข้อสั่งการข้อ 2", "เพิ่มข้อสั่งการข้อ 4"."""
    names: list[str] = []
    for item in changed:
        match = _DIRECTIVE_CHANGE.fullmatch(item)
        if match is None:
            names.append(texts.CHANGE_NAMES.get(item, item))
            continue
        seq, what = match.groups()
        key = what if what in ("added", "removed") else "directive"
        names.append(texts.CHANGE_NAMES[key].format(seq=seq))
    return list(dict.fromkeys(names))
