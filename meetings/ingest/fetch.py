"""Fetching news pages and feeds: public web servers only, one deadline, a size cap, Thai-aware decoding.

Every URL fetched here is someone else's choice (an editor's import, a feed's links), so the fetch
must not become a way into the bot's own network:

- Only http(s) URLs, on the domains of `ingest.allowed_domains` when that list is set.
- The address check happens where the socket is opened. Our urllib3 connection classes resolve the
  host themselves, refuse the name when any of its addresses is not a public one (loopback, private,
  link-local, multicast, reserved, unspecified, shared, and IPv6 forms that carry such an IPv4
  address: mapped, 6to4, NAT64), and connect to exactly the addresses they checked. There is no
  second lookup for a DNS-rebinding answer to slip into. Only the socket is ours: the Host header,
  TLS server name and certificate check still use the host name. (urllib3's documented hook for this
  is `PoolManager._new_pool`; requests reaches it through an `HTTPAdapter`.)
- Proxies from the environment are not used: a proxy would resolve the name out of our sight.
- Redirects are followed here, at most `MAX_REDIRECTS`, each hop checked like the first (scheme,
  domain, and the address check of its own connection).
- One deadline for the whole fetch, every hop, headers and body: a timer shuts the fetch's sockets
  down when it passes. Per-read timeouts alone let a server that sends a byte every few seconds hold
  a fetch for hours.

Tests fetch from a server on 127.0.0.1 by listing it in `ingest.allow_private_addresses`, which
production refuses to start with. Every failure becomes a `FetchError` with one Thai line; callers
log it or show it, nothing crashes.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util import connection, parse_url

from bot.settings import IngestSettings
from meetings.ingest import texts

_TEXTUAL = re.compile(r"^(text/|application/(xhtml\+xml|xml|rss\+xml|atom\+xml|json))")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHUNK = 64 * 1024
_CONNECT_SECONDS = 5.0
MAX_REDIRECTS = 3
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway would reach.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# (host, port) -> the addresses to connect to, as strings (what getaddrinfo gives).
Resolver = Callable[[str, int], Sequence[str]]


class FetchError(Exception):
    """A page could not be fetched; the message is one Thai line."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return decode(self.body, self.content_type)


def decode(body: bytes, content_type: str = "") -> str:
    """Bytes to text: the header's charset, else the page's own declaration, else UTF-8 (then TIS-620)."""
    candidates: list[str] = []
    header = re.search(r"charset=([A-Za-z0-9_\-]+)", content_type)
    if header:
        candidates.append(header.group(1))
    for pattern in (_META_CHARSET, _XML_ENCODING):
        declared = pattern.search(body[:4096])
        if declared:
            candidates.append(declared.group(1).decode("ascii"))
    candidates += ["utf-8", "tis-620"]  # older Thai government sites still serve TIS-620
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


# --- which addresses may be reached ----------------------------------------------------------------


def resolve_host(host: str, port: int) -> list[str]:
    """The system resolver: every address of `host`, in the order to try them."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to (mapped, 6to4, NAT64), if it carries one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in prefix for prefix in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """An address on the public internet. `is_global` alone lets multicast and NAT64/6to4 forms of
    private addresses through, so each kind is refused by name as well."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None and not is_public(inner):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _domain_allowed(host: str, domains: Sequence[str]) -> bool:
    return any(host.endswith(domain[1:]) if domain.startswith("*.") else host == domain for domain in domains)


@dataclass(frozen=True)
class AddressPolicy:
    """Where a fetch may connect: public addresses on the allowed domains (and the tests' networks)."""

    allowed_domains: tuple[str, ...] = ()
    private_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = resolve_host

    @classmethod
    def of(cls, settings: IngestSettings, resolver: Resolver = resolve_host) -> AddressPolicy:
        networks = tuple(ipaddress.ip_network(n, strict=False) for n in settings.allow_private_addresses)
        return cls(settings.allowed_domains, networks, resolver)

    def permits(self, address: IPAddress) -> bool:
        return is_public(address) or any(address in network for network in self.private_networks)

    def addresses(self, host: str, port: int) -> list[str]:
        """The checked addresses of `host` to connect to; FetchError when the host may not be reached."""
        name = host.strip("[]").rstrip(".").lower()
        if self.allowed_domains and not _domain_allowed(name, self.allowed_domains):
            raise FetchError(texts.DOMAIN_REFUSED.format(host=name))
        try:
            found = list(self.resolver(name, port))
        except (OSError, UnicodeError):
            found = []
        if not found:
            raise FetchError(texts.HOST_UNKNOWN.format(host=name))
        for address in found:
            try:
                allowed = self.permits(ipaddress.ip_address(address))
            except ValueError:
                allowed = False
            if not allowed:
                raise FetchError(texts.ADDRESS_REFUSED.format(host=name, address=address))
        return found


def check_url(url: str) -> str:
    """The URL stripped, or FetchError when it is not an http(s) URL with a host."""
    url = url.strip()
    if not re.match(r"^https?://[^\s/?#]+", url):
        raise FetchError(texts.URL_INVALID.format(url=url[:200]))
    return url


def check_target(url: str, settings: IngestSettings, resolver: Resolver = resolve_host) -> str:
    """Check a URL before queueing its fetch (scheme, domain, addresses), for an answer at once.
    The fetch checks again where it connects: this is for a clear early refusal, not the defence."""
    url = check_url(url)
    try:
        parsed = parse_url(url)
    except ValueError:  # a port out of range, a malformed IPv6 literal
        raise FetchError(texts.URL_INVALID.format(url=url[:200])) from None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    AddressPolicy.of(settings, resolver).addresses(parsed.host or "", port)
    return url


# --- connections that dial only checked addresses --------------------------------------------------


class _CheckedHTTPConnection(HTTPConnection):
    def __init__(
        self, *args: Any, policy: AddressPolicy, watch: Callable[[socket.socket], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._policy = policy
        self._watch = watch

    def _new_conn(self) -> socket.socket:
        """Resolve, check and connect in one place: the address dialled is an address checked."""
        error: Exception | None = None
        for address in self._policy.addresses(self._dns_host, self.port):
            try:
                sock = connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as timeout:
                error = ConnectTimeoutError(self, f"Connection to {self.host} timed out: {timeout}")
            except OSError as failure:
                error = NewConnectionError(self, f"Failed to establish a new connection: {failure}")
            else:
                self._watch(sock)
                return sock
        assert error is not None  # `addresses` never returns an empty list
        raise error


class _CheckedHTTPSConnection(_CheckedHTTPConnection, HTTPSConnection):
    pass


class _CheckedPoolManager(PoolManager):
    def __init__(
        self, *args: Any, policy: AddressPolicy, watch: Callable[[socket.socket], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._connection_kw = {"policy": policy, "watch": watch}

    def _new_pool(
        self, scheme: str, host: str, port: int, request_context: dict[str, Any] | None = None
    ) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.ConnectionCls = _CheckedHTTPSConnection if scheme == "https" else _CheckedHTTPConnection
        pool.conn_kw.update(self._connection_kw)
        return pool


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, policy: AddressPolicy, watch: Callable[[socket.socket], None]) -> None:
        self._policy = policy
        self._watch = watch
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kwargs: Any) -> None:
        self.poolmanager = _CheckedPoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            policy=self._policy,
            watch=self._watch,
            **kwargs,
        )


# --- one deadline per fetch -------------------------------------------------------------------------


class _Deadline:
    """Shuts down the sockets of a fetch when its time is up, whatever they are waiting for."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self._ends - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        # A descriptor of our own for the same socket: when the connection closes its descriptor, this
        # one never comes to name another socket of the process (a database connection) to shut down.
        with self._lock:
            own = sock.dup()
            self._sockets.append(own)
            if self.passed:
                _shut(own)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed by the other side already
        sock.shutdown(socket.SHUT_RDWR)


# --- the fetch ---------------------------------------------------------------------------------------


def fetch(url: str, settings: IngestSettings, *, resolver: Resolver = resolve_host) -> Fetched:
    """GET a text page from a public web server within `fetch_timeout_seconds`, at most
    `max_article_bytes`, following at most MAX_REDIRECTS redirects."""
    current = check_url(url)
    seconds = settings.fetch_timeout_seconds
    with _Deadline(seconds) as deadline, requests.Session() as session:
        session.trust_env = False  # no proxies from the environment: they would resolve names themselves
        adapter = _CheckedAdapter(AddressPolicy.of(settings, resolver), deadline.watch)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                remaining = deadline.remaining()
                if remaining <= 0:
                    raise FetchError(texts.TIMEOUT.format(seconds=seconds, url=current))
                with session.get(
                    current,
                    timeout=(min(_CONNECT_SECONDS, remaining), remaining),
                    headers={
                        "User-Agent": settings.user_agent,
                        "Accept": "text/html, application/xml, */*;q=0.5",
                    },
                    stream=True,
                    allow_redirects=False,
                ) as response:
                    location = response.headers.get("Location")
                    if response.status_code in _REDIRECT_STATUSES and location:
                        current = check_url(urljoin(current, location))
                        continue
                    return _read(response, current, settings, deadline)
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            http.client.HTTPException,
            OSError,
        ) as error:
            if deadline.passed or isinstance(error, requests.Timeout):
                raise FetchError(texts.TIMEOUT.format(seconds=seconds, url=current)) from None
            raise FetchError(texts.UNREACHABLE.format(error=type(error).__name__, url=current)) from None
        if deadline.passed:
            raise FetchError(texts.TIMEOUT.format(seconds=seconds, url=current))
        raise FetchError(texts.TOO_MANY_REDIRECTS.format(limit=MAX_REDIRECTS, url=url))


def _read(response: requests.Response, url: str, settings: IngestSettings, deadline: _Deadline) -> Fetched:
    if response.status_code >= 400:
        raise FetchError(texts.HTTP_STATUS.format(status=response.status_code, url=url))
    content_type = response.headers.get("Content-Type", "")
    if content_type and not _TEXTUAL.match(content_type.lower()):
        raise FetchError(texts.NOT_TEXT.format(content_type=content_type.split(";")[0], url=url))
    cap = settings.max_article_bytes
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise FetchError(texts.TOO_BIG.format(limit=cap, url=url))
    body = bytearray()
    for chunk in response.iter_content(_CHUNK):
        body += chunk
        if len(body) > cap:
            raise FetchError(texts.TOO_BIG.format(limit=cap, url=url))
    if deadline.passed:  # a body cut short by the deadline can look like one that ended
        raise FetchError(texts.TIMEOUT.format(seconds=deadline.seconds, url=url))
    return Fetched(url=url, content_type=content_type, body=bytes(body))
