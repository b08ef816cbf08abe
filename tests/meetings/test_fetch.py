"""Fetching: only public addresses (checked where the socket is opened), redirects checked hop by hop,
an allow-list of domains, and one deadline for a whole fetch; against real local HTTP servers."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from bot.settings import IngestSettings
from meetings.ingest.fetch import AddressPolicy, FetchError, check_target, fetch, is_public
from tests.httpserver import LocalServer, Route, redirect

ARTICLE = "<html><body><p>ข่าวการประชุม</p></body></html>".encode()


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """The news site the tests allow (127.0.0.1, listed in allow_private_addresses)."""
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture
def inside() -> Iterator[LocalServer]:
    """A server on another private address, which no test allows: it must never be reached."""
    local = LocalServer("127.0.0.2").start()
    yield local
    local.stop()


def allowing_site(**settings: Any) -> IngestSettings:
    return IngestSettings(allow_private_addresses=("127.0.0.1",), **settings)


def resolving(names: dict[str, Sequence[str]]) -> Any:
    """A resolver that knows only `names`: the fetch can reach them through no other lookup."""

    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in names:
            raise OSError(f"unknown host {host}")
        return names[host]

    return resolve


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("1.1.1.1", True),
        ("2001:4860:4860::8888", True),
        ("2002:808:808::", True),  # 6to4 of a public address
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104  # an address to check, not one to bind
        ("224.0.0.1", False),  # multicast, which is_global alone lets through
        ("255.255.255.255", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("fec0::1", False),
        ("ff0e::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", False),
        ("::127.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::", False),  # 6to4 of 192.168.1.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2001:db8::1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_a_name_with_any_private_address_is_refused() -> None:
    policy = AddressPolicy(resolver=resolving({"news.example": ["93.184.216.34", "10.0.0.7"]}))
    with pytest.raises(FetchError, match=r"news\.example.*10\.0\.0\.7"):
        policy.addresses("news.example", 80)
    assert AddressPolicy(resolver=resolving({"news.example": ["93.184.216.34"]})).addresses(
        "news.example", 443
    ) == ["93.184.216.34"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://news.example:99999/a",
        "http://[::1/a",
        "http:///a",
    ],
)
def test_urls_that_are_not_web_addresses_are_refused_before_any_lookup(url: str) -> None:
    def no_lookup(host: str, port: int) -> Sequence[str]:
        raise AssertionError(f"looked up {host}")

    with pytest.raises(FetchError, match="ที่อยู่เว็บไม่ถูกต้อง"):
        check_target(url, IngestSettings(), no_lookup)


def test_the_address_checked_is_the_address_dialled(site: LocalServer) -> None:
    """The name is resolved once, by the check; the request goes there, and still names the host."""
    site.routes["/a"] = Route(ARTICLE)
    resolver = resolving({"news.invalid": ["127.0.0.1"]})
    page = fetch(f"http://news.invalid:{site.port}/a", allowing_site(), resolver=resolver)
    assert page.text.endswith("</html>") and page.url == f"http://news.invalid:{site.port}/a"
    assert site.host_headers == [f"news.invalid:{site.port}"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/a",
        "http://localhost:{port}/a",
        "http://2130706433:{port}/a",
        "http://0x7f.1:{port}/a",
        "http://0.0.0.0:{port}/a",
        "http://[::ffff:127.0.0.1]:{port}/a",
    ],
)
def test_this_host_is_refused_in_every_spelling(site: LocalServer, url: str) -> None:
    site.routes["/a"] = Route(ARTICLE)
    with pytest.raises(FetchError, match="ไม่อนุญาตให้ดึงข้อมูล"):
        fetch(url.format(port=site.port), IngestSettings())
    assert sum(site.hits.values()) == 0


def test_a_redirect_to_a_private_address_is_refused(site: LocalServer, inside: LocalServer) -> None:
    inside.routes["/secret"] = Route(b"internal")
    site.routes["/r"] = redirect(inside.url("/secret"))
    with pytest.raises(FetchError, match=r"127\.0\.0\.2"):
        fetch(site.url("/r"), allowing_site())
    assert site.hits["/r"] == 1 and inside.hits["/secret"] == 0


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/a", "gopher://127.0.0.1:6379/_INFO"]
)
def test_a_redirect_to_another_scheme_is_refused(site: LocalServer, location: str) -> None:
    site.routes["/r"] = redirect(location)
    with pytest.raises(FetchError, match="http:// หรือ https://"):
        fetch(site.url("/r"), allowing_site())


def test_at_most_three_redirects(site: LocalServer) -> None:
    site.routes["/a"] = Route(ARTICLE)
    for n in range(1, 5):
        site.routes[f"/r{n}"] = redirect(f"/r{n - 1}" if n > 1 else "/a", 301 if n % 2 else 307)
    assert fetch(site.url("/r3"), allowing_site()).url == site.url("/a")
    site.hits.clear()
    with pytest.raises(FetchError, match="เปลี่ยนเส้นทางเกิน 3 ครั้ง"):
        fetch(site.url("/r4"), allowing_site())
    assert site.hits["/a"] == 0


def test_the_allow_list_holds_at_every_hop(site: LocalServer) -> None:
    site.routes["/a"] = Route(ARTICLE)
    site.routes["/away"] = redirect(f"http://elsewhere.example:{site.port}/a")
    settings = allowing_site(allowed_domains=("*.go.th",))
    resolver = resolving({"news.dla.go.th": ["127.0.0.1"], "elsewhere.example": ["127.0.0.1"]})
    assert fetch(f"http://news.dla.go.th:{site.port}/a", settings, resolver=resolver).body == ARTICLE
    with pytest.raises(FetchError, match=r"elsewhere\.example"):
        fetch(f"http://news.dla.go.th:{site.port}/away", settings, resolver=resolver)
    with pytest.raises(FetchError, match=r"ingest\.allowed_domains"):
        fetch(site.url("/a"), settings)
    assert site.hits["/a"] == 1


def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_deadline(site: LocalServer) -> None:
    site.routes["/drip"] = Route(ARTICLE * 4, drip=0.05)  # every read succeeds; the whole takes 10 s
    started = time.monotonic()
    with pytest.raises(FetchError, match="ไม่ตอบให้ครบภายใน 1 วินาที"):
        fetch(site.url("/drip"), allowing_site(fetch_timeout_seconds=1))
    assert time.monotonic() - started < 2.5  # the deadline, and slack for a busy machine


def test_the_deadline_covers_every_redirect(site: LocalServer) -> None:
    site.routes["/a"] = Route(ARTICLE, delay=0.4)
    for n in (1, 2):
        site.routes[f"/r{n}"] = Route(
            b"", 302, headers={"Location": f"/r{n - 1}" if n > 1 else "/a"}, delay=0.4
        )
    started = time.monotonic()
    with pytest.raises(FetchError, match="ไม่ตอบให้ครบภายใน"):  # each hop is quick; all three are not
        fetch(site.url("/r2"), allowing_site(fetch_timeout_seconds=1))
    assert time.monotonic() - started < 2.5  # the deadline, and slack for a busy machine
