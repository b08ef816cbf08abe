"""Feed polling: news sources listed in config.yaml are read on a schedule and new articles ingested.

A source is an RSS/Atom feed (read with feedparser) or an HTML listing page whose links matching a
pattern are articles. Links stay on the source's host unless its pattern names another host (and
`fetch` holds every fetch to public addresses). Every link is remembered (`FeedItem`), so no article
is fetched or ingested twice. An article that fails (timeout, error page, not HTML, too big) is
retried next round, up to `feeds.max_attempts`; nothing that goes wrong with one source or one
article stops the others or the scheduler. An article without directives is recorded as not meeting
news and left alone. Trusted sources publish what they ingest; others leave drafts for an
administrator.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.models import FeedItem, FeedItemStatus, utcnow
from bot.scheduler import JobSpec
from bot.services import Services
from bot.settings import FeedSource
from meetings import publishing
from meetings.ingest.fetch import Fetched, FetchError, fetch
from meetings.ingest.service import IngestError, ingest_text, parse, read_article
from meetings.store import MeetingError

log = logging.getLogger(__name__)

POLL_LOCK = "feeds:poll"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def article_links(source: FeedSource, page: Fetched) -> list[str]:
    """The article URLs a feed or listing page points to, absolute, in order, without duplicates."""
    if source.kind == "feed":
        parsed = feedparser.parse(page.body)
        if parsed.bozo and not parsed.entries:
            raise FetchError(f"อ่านฟีดไม่ได้ ({type(parsed.bozo_exception).__name__}): {source.url}")
        hrefs = [str(entry.get("link", "")) for entry in parsed.entries]
    else:
        extractor = _Links()
        extractor.feed(page.text)
        hrefs = extractor.hrefs
    pattern = re.compile(source.link_pattern) if source.link_pattern else None
    home = {_host(source.url), _host(page.url)}  # the feed's host, and where it redirected to
    links: dict[str, None] = {}
    for href in hrefs:
        url = urldefrag(urljoin(page.url, href.strip())).url
        if url.startswith(("http://", "https://")) and _follows(url, home, pattern):
            links[url] = None
    return list(links)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


def _follows(url: str, home: set[str], pattern: re.Pattern[str] | None) -> bool:
    """A link on the feed's own host, matching the pattern if there is one. A link to another host
    only if the pattern names it from the URL's start (e.g. `https://www[.]thaigov[.]go[.]th/`): a
    feed must not lead the bot anywhere its administrator did not name."""
    if _host(url) in home:
        return pattern is None or pattern.search(url) is not None
    return pattern is not None and pattern.match(url) is not None


@dataclass
class PollReport:
    source: str
    new_links: int = 0
    ingested: int = 0
    not_meetings: int = 0
    failed: int = 0


def _remember(services: Services, source: FeedSource, links: list[str]) -> int:
    """Record links not seen before; returns how many were new."""
    with services.db.session() as session:
        known = set(session.scalars(select(FeedItem.url).where(FeedItem.url.in_(links))))
    new = 0
    for url in links:
        if url in known:
            continue
        try:
            with services.db.session() as session:
                session.add(FeedItem(source=source.name, url=url))
            new += 1
        except IntegrityError:  # another scheduler recorded it a moment ago: fine
            continue
    return new


def _ingest_item(services: Services, source: FeedSource, item_id: int, url: str, report: PollReport) -> None:
    settings = services.settings
    try:
        page = fetch(url, settings.ingest)
        text = read_article(page.body, settings.ingest.max_article_bytes)
        draft = parse(text, url)
        with services.db.session() as session:
            item = session.get_one(FeedItem, item_id)
            item.attempts += 1
            item.last_attempt_at = utcnow()
            if not draft.directives:
                item.status = FeedItemStatus.NOT_MEETING
                item.last_error = None
                report.not_meetings += 1
                return
            # A trusted source publishes, but only what reads as meeting news with directives.
            result = ingest_text(session, text, source_url=url, actor=f"feed:{source.name}")
            item.status = FeedItemStatus.INGESTED
            item.meeting_id = result.meeting.id
            item.last_error = None
        if source.trusted and not result.meeting.is_published:
            try:
                publishing.publish(services, result.meeting.id, actor=f"feed:{source.name}")
            except MeetingError as error:  # not ready (no date, a directive without a title): a draft
                log.warning("feed %s: %s kept as a draft: %s", source.name, url, error)
        report.ingested += 1
        log.info("feed %s: ingested %s as meeting %s", source.name, url, result.meeting.id)
    except (FetchError, IngestError, IntegrityError) as error:
        _record_failure(services, item_id, str(error).splitlines()[0])
        report.failed += 1
        log.warning("feed %s: %s: %s", source.name, url, str(error).splitlines()[0])


def _record_failure(services: Services, item_id: int, reason: str) -> None:
    with services.db.session() as session:
        item = session.get_one(FeedItem, item_id)
        item.attempts += 1
        item.last_attempt_at = utcnow()
        item.last_error = reason[:1000]
        if item.attempts >= services.settings.feeds.max_attempts:
            item.status = FeedItemStatus.GAVE_UP


def poll_source(services: Services, source: FeedSource) -> PollReport:
    report = PollReport(source=source.name)
    try:
        links = article_links(source, fetch(source.url, services.settings.ingest))
    except FetchError as error:
        log.warning("feed %s: %s", source.name, error)
        return report
    if links:
        report.new_links = _remember(services, source, links)
    with services.db.session() as session:
        due = session.execute(
            select(FeedItem.id, FeedItem.url)
            .where(FeedItem.source == source.name, FeedItem.status == FeedItemStatus.PENDING)
            .order_by(FeedItem.id)
        ).all()
    for item_id, url in due:
        _ingest_item(services, source, item_id, url, report)
    return report


def poll_feeds(services: Services) -> list[PollReport]:
    """One round over every source; a second scheduler finding the round in progress skips it."""
    token = uuid.uuid4().hex
    lock_seconds = services.settings.feeds.interval_minutes * 60
    if not services.kv.set_if_absent(POLL_LOCK, token, ttl_seconds=lock_seconds):
        log.info("feeds: another scheduler is polling; skipping this round")
        return []
    reports: list[PollReport] = []
    try:
        for source in services.settings.feeds.sources:
            try:
                reports.append(poll_source(services, source))
            except Exception:  # a source that breaks in a new way must not stop the others
                log.exception("feed %s: polling failed", source.name)
    finally:
        services.kv.delete_if_equals(POLL_LOCK, token)
    return reports


def run_feed_round(services: Services) -> None:
    for report in poll_feeds(services):
        log.info("feed %s: %s", report.source, report)


def feed_job(interval_minutes: float) -> JobSpec:
    return JobSpec("feeds", run_feed_round, interval_minutes * 60)
