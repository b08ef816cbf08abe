"""Storing meetings and their directives: one place that turns a parsed draft into rows and edits them.

Used by `setup` (the seed meeting), the ingest CLI, the admin API and feed polling. The same article —
same source URL or same normalised text — never becomes two meetings. Every function works inside
the caller's transaction, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from bot.models import Directive, DirectiveStatus, Meeting, TenE, utcnow
from meetings.parsing import article
from meetings.parsing.model import MeetingDraft


class MeetingError(ValueError):
    """A change that cannot be applied; the message is one Thai line for the administrator."""


def find_existing(session: Session, draft: MeetingDraft) -> Meeting | None:
    """The meeting already stored from the same article (same body, or same source URL). An empty body
    says nothing about which article it is: only its source URL can match it."""
    matches = []
    if draft.fingerprint is not None:
        matches.append(Meeting.content_hash == draft.fingerprint)
    if draft.source_url:
        matches.append(Meeting.source_url == draft.source_url)
    if not matches:
        return None
    return session.scalars(select(Meeting).where(or_(*matches)).limit(1)).first()


def load(session: Session, meeting_id: int) -> Meeting | None:
    """A meeting, published or not, with its directives and their categories."""
    return session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.directives).selectinload(Directive.categories))
    ).first()


def ten_es_by_code(session: Session) -> dict[str, TenE]:
    return {e.code: e for e in session.scalars(select(TenE))}


def _categories(codes: Sequence[str], known: dict[str, TenE]) -> list[TenE]:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise MeetingError(f"ไม่รู้จักหมวด 10Es {unknown[0]!r} (ใช้ได้: {', '.join(known)})")
    return [known[code] for code in dict.fromkeys(codes)]


def save_draft(
    session: Session, draft: MeetingDraft, raw_text: str, *, publish: bool = False
) -> tuple[Meeting, bool]:
    """Store a parsed meeting with its directives, or return the one already stored. (meeting, created)"""
    existing = find_existing(session, draft)
    if existing is not None:
        return existing, False
    known = ten_es_by_code(session)
    meeting = Meeting(
        title=draft.title,
        meeting_date=draft.date,
        number=draft.number,
        chair=draft.chair,
        body=draft.body,
        subject=draft.subject,
        source_url=draft.source_url or None,
        content_hash=draft.fingerprint,
        raw_text=raw_text,
        ten_es_restated=draft.ten_es,
        warnings=list(draft.warnings),
        published_at=utcnow() if publish else None,
    )
    for item in draft.directives:
        meeting.directives.append(
            Directive(
                seq=item.seq,
                title=item.title,
                text=item.text,
                categories=_categories(item.categories, known),
                deadline=item.deadline,
                warnings=list(item.warnings),
            )
        )
    session.add(meeting)
    session.flush()
    return meeting, True


@dataclass(frozen=True)
class DirectiveChange:
    """An edit of the directive with this `seq`; fields left None keep their value."""

    seq: int
    title: str | None = None
    text: str | None = None
    categories: Sequence[str] | None = None
    status: DirectiveStatus | None = None
    deadline: dt.date | None = None
    clear_deadline: bool = False  # the editor removed the deadline
    remove: bool = False


@dataclass(frozen=True)
class MeetingChange:
    """An edit of a meeting; fields left None keep their value. `clear` names fields to empty."""

    title: str | None = None
    date: dt.date | None = None
    number: str | None = None
    chair: str | None = None
    clear: frozenset[str] = frozenset()
    directives: Sequence[DirectiveChange] = ()


def apply_change(session: Session, meeting: Meeting, change: MeetingChange) -> list[str]:
    """Apply an administrator's edit; returns what changed (for the audit log)."""
    changed: list[str] = []
    for name in ("title", "date", "number", "chair"):
        value = getattr(change, name)
        column = "meeting_date" if name == "date" else name
        if value is not None and getattr(meeting, column) != value:
            setattr(meeting, column, value)
            changed.append(name)
        elif name in change.clear and name != "title" and getattr(meeting, column) is not None:
            setattr(meeting, column, None)
            changed.append(name)
    known = ten_es_by_code(session)
    by_seq = {d.seq: d for d in meeting.directives}
    for edit in change.directives:
        directive = by_seq.get(edit.seq)
        if edit.remove:
            if directive is None:
                raise MeetingError(f"ไม่มีข้อสั่งการข้อ {edit.seq} ที่จะลบ")
            meeting.directives.remove(directive)
            changed.append(f"directive {edit.seq} removed")
            continue
        if directive is None:
            if not edit.title or not edit.text:
                raise MeetingError(f"ข้อสั่งการข้อ {edit.seq} ใหม่ต้องมีทั้งหัวข้อและเนื้อหา")
            directive = Directive(seq=edit.seq, title=edit.title, text=edit.text)
            meeting.directives.append(directive)
            changed.append(f"directive {edit.seq} added")
        for name in ("title", "text", "status"):
            value = getattr(edit, name)
            if value is not None and getattr(directive, name) != value:
                setattr(directive, name, value)
                changed.append(f"directive {edit.seq} {name}")
        if edit.clear_deadline and directive.deadline is not None:
            directive.deadline = None
            changed.append(f"directive {edit.seq} deadline")
        elif edit.deadline is not None and directive.deadline != edit.deadline:
            directive.deadline = edit.deadline
            changed.append(f"directive {edit.seq} deadline")
        if edit.categories is not None:
            wanted = _categories(edit.categories, known)
            if {e.code for e in wanted} != {e.code for e in directive.categories}:
                directive.categories = wanted
                directive.categories_overridden = (
                    True  # re-classifying never undoes an administrator's choice
                )
                changed.append(f"directive {edit.seq} categories")
    answered = _answered_warnings(meeting, changed)
    holders: list[Meeting | Directive] = [meeting, *meeting.directives]  # a directive's are the meeting's too
    for holder in holders:
        if any(warning in answered for warning in holder.warnings or ()):
            holder.warnings = [w for w in holder.warnings if w not in answered]
    session.flush()
    return changed


# The importer's warnings that an edit answers: the title typed in answers "no title" (and a date typed
# or confirmed answers "no date" and "the page's date was used"). A warning about a field stays until
# the editor changes that field; one about a directive's categories until its categories are chosen.
_ANSWERED_BY: dict[str, tuple[str, ...]] = {
    "title": (article.WARN_NO_TITLE,),
    "date": (article.WARN_NO_DATE, article.WARN_PAGE_DATE),
    "number": (article.WARN_NO_NUMBER,),
    "chair": (article.WARN_NO_CHAIR,),
}


_CHAIR_GUESSED = article.WARN_CHAIR_GUESSED.split("{", 1)[0]
"""How the last resort's warning about the chair starts, whoever it names."""


def _answered_warnings(meeting: Meeting, changed: Sequence[str]) -> set[str]:
    answered = {warning for name in changed for warning in _ANSWERED_BY.get(name, ())}
    if "chair" in changed:  # the guess names who was guessed: any such warning is answered
        answered |= {warning for warning in meeting.warnings or () if warning.startswith(_CHAIR_GUESSED)}
    if meeting.directives:
        answered.add(article.WARN_NO_DIRECTIVES)
    for directive in meeting.directives:
        touched = {f"directive {directive.seq} categories", f"directive {directive.seq} added"}
        if directive.categories and touched.intersection(changed):
            answered.add(article.WARN_UNCATEGORISED.format(seq=directive.seq))
    return answered
