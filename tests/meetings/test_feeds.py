"""Feed polling against a real local HTTP server serving fixture feeds and article pages."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.app import create_app
from bot.models import FeedItem, FeedItemStatus, Meeting
from bot.scheduler import registered_jobs
from bot.services import Services
from bot.settings import Settings
from meetings.ingest.feeds import POLL_LOCK, poll_feeds
from tests.conftest import services_of
from tests.httpserver import LocalServer, Route

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "bot" / "data" / "seed" / "meeting-3-2565.txt"


def article_page(path: Path) -> bytes:
    """A corpus article as a news site would serve it: an HTML page, one paragraph per line."""
    lines = path.read_text("utf-8").splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    head = f"<head><meta charset='utf-8'><title>{html.escape(lines[0])}</title></head>"
    return f"<html>{head}<body>{body}</body></html>".encode()


def rss(items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>ข่าว {n}</title><link>{link}</link></item>" for n, link in enumerate(items)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>ข่าว สถ.</title>"
        f"<link>http://example.invalid/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture
def feed_app(build_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """An app polling the given sources, on a migrated, seeded database; it may fetch from 127.0.0.1
    (the local server) unless the test says otherwise."""

    def build(sources: list[dict[str, Any]], **ingest: Any) -> Flask:
        return build_app(
            {
                "feeds": {"sources": sources, "max_attempts": 2},
                "ingest": {"fetch_timeout_seconds": 0.5, "allow_private_addresses": ["127.0.0.1"], **ingest},
            }
        )

    return build


def items(services: Services) -> dict[str, tuple[FeedItemStatus, int]]:
    with services.db.session() as session:
        return {i.url: (i.status, i.attempts) for i in session.scalars(select(FeedItem))}


def meetings(services: Services) -> list[tuple[str | None, bool]]:
    with services.db.session() as session:
        rows = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        return [(m.source_url, m.is_published) for m in rows]


def test_rss_items_become_drafts_once(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/a/37251"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/a/70492"] = Route(article_page(CORPUS / "thaigov-70492.txt"))
    server.routes["/a/35622"] = Route(article_page(CORPUS / "thaigov-35622.txt"))  # no directives
    server.routes["/rss"] = Route(
        rss([server.url("/a/37251"), server.url("/a/70492"), server.url("/a/35622")]),
        content_type="application/rss+xml",
    )
    services = services_of(feed_app([{"name": "ข่าว", "url": server.url("/rss")}]))

    report = poll_feeds(services)[0]
    assert (report.new_links, report.ingested, report.not_meetings, report.failed) == (3, 2, 1, 0)
    stored = meetings(services)
    assert (server.url("/a/37251"), False) in stored and (server.url("/a/70492"), False) in stored
    assert items(services)[server.url("/a/35622")] == (FeedItemStatus.NOT_MEETING, 1)

    again = poll_feeds(services)[0]
    assert (again.new_links, again.ingested, again.failed) == (0, 0, 0)
    assert meetings(services) == stored
    assert server.hits["/a/37251"] == 1 and server.hits["/rss"] == 2


def test_trusted_source_publishes(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss"] = Route(rss([server.url("/a/1")]), content_type="application/rss+xml")
    services = services_of(feed_app([{"name": "สถ.", "url": server.url("/rss"), "trusted": True}]))
    poll_feeds(services)
    assert (server.url("/a/1"), True) in meetings(services)


def test_an_article_already_imported_is_not_imported_again(
    feed_app: Callable[..., Flask], server: LocalServer
) -> None:
    server.routes["/seed"] = Route(article_page(SEED))
    server.routes["/rss"] = Route(rss([server.url("/seed")]), content_type="application/rss+xml")
    services = services_of(feed_app([{"name": "สถ.", "url": server.url("/rss")}]))
    before = len(meetings(services))
    poll_feeds(services)
    assert len(meetings(services)) == before  # the seed meeting, recognised by its text
    assert items(services)[server.url("/seed")][0] is FeedItemStatus.INGESTED


def test_listing_page_links_matching_the_pattern(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/news/details/88664"] = Route(article_page(CORPUS / "thaigov-88664.txt"))
    server.routes["/news"] = Route(
        (
            "<html><body><a href='/news/details/88664'>ข่าว</a><a href='/news/details/88664#top'>ซ้ำ</a>"
            "<a href='/about'>เกี่ยวกับ</a><a href='mailto:x@y'>mail</a></body></html>"
        ).encode()
    )
    source = {
        "name": "list",
        "url": server.url("/news"),
        "kind": "listing",
        "link_pattern": r"/news/details/\d+$",
    }
    services = services_of(feed_app([source]))
    report = poll_feeds(services)[0]
    assert report.new_links == 1 and report.ingested == 1
    assert server.hits["/about"] == 0


def test_failures_are_retried_then_given_up(
    feed_app: Callable[..., Flask], server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    good = article_page(CORPUS / "thaigov-70492.txt")
    server.routes["/a/down"] = Route(b"oops", 500, "text/plain")
    server.routes["/a/slow"] = Route(good, delay=1.5)  # beyond the 0.5 s timeout
    server.routes["/a/image"] = Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")
    server.routes["/a/huge"] = Route(b"<p>" + "ก".encode() * 400_000 + b"</p>")
    server.routes["/a/good"] = Route(good)
    links = ["/a/down", "/a/slow", "/a/image", "/a/huge", "/a/good"]
    server.routes["/rss"] = Route(rss([server.url(p) for p in links]), content_type="application/rss+xml")
    services = services_of(
        feed_app([{"name": "ข่าว", "url": server.url("/rss")}], max_article_bytes=1_000_000)
    )

    with caplog.at_level(logging.WARNING, logger="meetings.ingest.feeds"):
        report = poll_feeds(services)[0]
    assert (report.ingested, report.failed) == (1, 4)  # the good one is not held up by the others
    state = items(services)
    assert state[server.url("/a/down")] == (FeedItemStatus.PENDING, 1)
    assert any("500" in r.getMessage() for r in caplog.records)

    server.routes["/a/down"] = Route(article_page(CORPUS / "thaigov-37251.txt"))  # the site recovers
    poll_feeds(services)
    state = items(services)
    assert state[server.url("/a/down")][0] is FeedItemStatus.INGESTED
    for path in ("/a/slow", "/a/image", "/a/huge"):  # max_attempts = 2: given up, and not fetched again
        assert state[server.url(path)] == (FeedItemStatus.GAVE_UP, 2), path
    hits = dict(server.hits)
    poll_feeds(services)
    assert server.hits["/a/image"] == hits["/a/image"]


def test_a_dead_feed_does_not_stop_the_others(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss"] = Route(rss([server.url("/a/1")]), content_type="application/rss+xml")
    server.routes["/broken"] = Route(b"this is not a feed <<<", content_type="application/rss+xml")
    services = services_of(
        feed_app(
            [
                {"name": "ปิดอยู่", "url": "http://127.0.0.1:1/rss"},
                {"name": "เสีย", "url": server.url("/broken")},
                {"name": "ดี", "url": server.url("/rss")},
            ]
        )
    )
    reports = poll_feeds(services)
    assert [r.ingested for r in reports] == [0, 0, 1]


def test_one_round_at_a_time(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/rss"] = Route(rss([]), content_type="application/rss+xml")
    services = services_of(feed_app([{"name": "ข่าว", "url": server.url("/rss")}]))
    assert services.kv.set_if_absent(POLL_LOCK, "other-scheduler", ttl_seconds=60)
    assert poll_feeds(services) == []
    assert server.hits["/rss"] == 0
    services.kv.delete_if_equals(POLL_LOCK, "other-scheduler")
    assert len(poll_feeds(services)) == 1


def test_the_job_is_registered_only_with_sources(make_settings: Callable[..., Settings]) -> None:
    assert "feeds" not in [j.id for j in registered_jobs(create_app(make_settings()))]
    app = create_app(make_settings({"feeds": {"sources": [{"name": "x", "url": "http://127.0.0.1:1/"}]}}))
    assert "feeds" in [j.id for j in registered_jobs(app)]


def test_feed_items_are_unique_per_url(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    """Two sources listing the same article still fetch it once."""
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss1"] = Route(rss([server.url("/a/1")]), content_type="application/rss+xml")
    server.routes["/rss2"] = Route(rss([server.url("/a/1")]), content_type="application/rss+xml")
    services = services_of(
        feed_app([{"name": "one", "url": server.url("/rss1")}, {"name": "two", "url": server.url("/rss2")}])
    )
    poll_feeds(services)
    assert server.hits["/a/1"] == 1
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(FeedItem)) == 1


# --- where a feed may lead the bot -----------------------------------------------------------------


def test_a_feed_on_this_host_is_not_fetched(feed_app: Callable[..., Flask], server: LocalServer) -> None:
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss"] = Route(rss([server.url("/a/1")]), content_type="application/rss+xml")
    services = services_of(feed_app([{"name": "ข่าว", "url": server.url("/rss")}], allow_private_addresses=[]))
    before = meetings(services)
    report = poll_feeds(services)[0]
    assert (report.new_links, report.ingested) == (0, 0)
    assert sum(server.hits.values()) == 0 and items(services) == {} and meetings(services) == before


@pytest.fixture
def inside() -> Iterator[LocalServer]:
    """A server on a private address no test allows."""
    local = LocalServer("127.0.0.2").start()
    yield local
    local.stop()


def test_a_feed_link_to_a_private_address_is_refused(
    feed_app: Callable[..., Flask], server: LocalServer, inside: LocalServer
) -> None:
    inside.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss"] = Route(rss([inside.url("/a/1")]), content_type="application/rss+xml")
    # The pattern lets the link leave the feed's host; the address check still stops it.
    source = {"name": "ข่าว", "url": server.url("/rss"), "link_pattern": r"^http://127\.0\.0\.2:\d+/a/"}
    services = services_of(feed_app([source]))
    before = meetings(services)
    report = poll_feeds(services)[0]
    assert (report.new_links, report.ingested, report.failed) == (1, 0, 1)
    assert inside.hits["/a/1"] == 0 and meetings(services) == before
    with services.db.session() as session:
        error = session.scalars(select(FeedItem.last_error)).one()
    assert error is not None and "127.0.0.2" in error


def test_feed_links_stay_on_its_host_unless_the_pattern_names_another(
    feed_app: Callable[..., Flask], server: LocalServer
) -> None:
    """`localhost` is the same server under another name: a host the feed's administrator never named."""
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    other_host = f"http://localhost:{server.port}/a/1"
    server.routes["/rss"] = Route(rss([other_host]), content_type="application/rss+xml")
    services = services_of(feed_app([{"name": "ข่าว", "url": server.url("/rss")}]))
    assert poll_feeds(services)[0].new_links == 0
    assert server.hits["/a/1"] == 0

    named = {"name": "อื่น", "url": server.url("/rss"), "link_pattern": r"^http://localhost:\d+/a/"}
    services = services_of(feed_app([named], allow_private_addresses=["127.0.0.1", "::1"]))
    report = poll_feeds(services)[0]
    assert (report.new_links, report.ingested) == (1, 1)
    assert (other_host, False) in meetings(services)


def test_a_path_pattern_does_not_lead_off_the_feeds_host(
    feed_app: Callable[..., Flask], server: LocalServer
) -> None:
    server.routes["/a/1"] = Route(article_page(CORPUS / "thaigov-37251.txt"))
    server.routes["/rss"] = Route(
        rss([f"http://localhost:{server.port}/a/1", server.url("/a/1")]), content_type="application/rss+xml"
    )
    services = services_of(feed_app([{"name": "ข่าว", "url": server.url("/rss"), "link_pattern": r"/a/\d+$"}]))
    report = poll_feeds(services)[0]
    assert (report.new_links, report.ingested) == (1, 1)
    assert list(items(services)) == [server.url("/a/1")]
