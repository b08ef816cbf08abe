"""The one path from an article to a stored meeting, shared by the CLI, the admin API and feed polling.

Input is checked before anything is parsed (empty, binary, too big → `IngestError`, one Thai line);
the draft and its directives are stored in the caller's transaction, so a failure stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot import audit
from bot.models import Meeting
from bot.settings import IngestSettings
from meetings.ingest import texts
from meetings.ingest.fetch import FetchError, Resolver, check_target, decode, fetch, resolve_host
from meetings.parsing.article import parse_article
from meetings.parsing.model import MeetingDraft
from meetings.publishing import PublishRefused, mark_published
from meetings.store import save_draft

# Share of control characters above which "text" is really a binary file.
_MAX_CONTROL_SHARE = 0.05


class IngestError(Exception):
    """The input cannot become a meeting; the message is one Thai line for the user."""


@dataclass(frozen=True)
class IngestResult:
    meeting: Meeting
    created: bool
    draft: MeetingDraft
    published_now: bool = False  # this call published it: `announce_published` after the commit


def read_article(data: bytes | str, max_bytes: int) -> str:
    """Check raw input and turn it into text, or raise IngestError saying what is wrong with it."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise IngestError(f"ข้อมูลใหญ่เกินไป ({size:,} ไบต์; รับได้ไม่เกิน {max_bytes:,} ไบต์)")
    if isinstance(data, bytes):
        if b"\x00" in data[:65536]:
            raise IngestError("ข้อมูลไม่ใช่ข้อความ (ดูเหมือนไฟล์ไบนารี)")
        text = decode(data)
    else:
        text = data
    if not text.strip():
        raise IngestError("ไม่มีข้อความข่าวให้นำเข้า")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if "\x00" in text or controls / len(text) > _MAX_CONTROL_SHARE:
        raise IngestError("ข้อมูลไม่ใช่ข้อความ (ดูเหมือนไฟล์ไบนารี)")
    return text


def check_source_url(url: str | None) -> str | None:
    """A source URL as given, None when empty; IngestError unless it is http(s) (it becomes a link)."""
    if not url or not url.strip():
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+\S*", url.strip(), re.IGNORECASE):
        raise IngestError(texts.SOURCE_URL_INVALID)
    return url.strip()


def parse(text: str, source_url: str | None = None) -> MeetingDraft:
    """Parse without storing anything (`ingest --json`)."""
    return parse_article(text, source_url=source_url or None)


def ingest_text(
    session: Session,
    text: str,
    *,
    source_url: str | None = None,
    to_publish: bool = False,
    actor: str,
) -> IngestResult:
    """Parse and store an article; the same article twice gives the meeting stored the first time.

    `to_publish`: published in the same transaction (`meetings.publishing.mark_published`; the caller
    announces it after the commit); a meeting that is not ready is refused (IngestError), storing nothing."""
    draft = parse(text, check_source_url(source_url))
    meeting, created = save_draft(session, draft, text)
    if created:
        audit.record(session, actor, "meeting.import", "meeting", meeting.id, source_url=draft.source_url)
    try:
        published_now = to_publish and mark_published(session, meeting, actor=actor)
    except PublishRefused as error:
        raise IngestError(str(error)) from None
    return IngestResult(meeting=meeting, created=created, draft=draft, published_now=published_now)


def check_import_url(url: str, settings: IngestSettings, resolver: Resolver = resolve_host) -> str:
    """Refuse at once a URL the fetch would refuse (scheme, domain, address), before queueing it."""
    try:
        return check_target(url, settings, resolver)
    except FetchError as error:
        raise IngestError(str(error)) from None


def fetch_article(url: str, settings: IngestSettings) -> str:
    """Fetch an article page and check it like any other input."""
    try:
        page = fetch(url, settings)
    except FetchError as error:
        raise IngestError(str(error)) from None
    return read_article(page.body, settings.max_article_bytes)
