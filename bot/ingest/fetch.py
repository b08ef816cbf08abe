"""Fetching news pages and feeds: timeouts, a size cap, and text decoded the way Thai sites need.

Every failure — timeout, refused connection, HTTP error, not text, too big — becomes a `FetchError`
with a one-line Thai message; callers log it and try again later, nothing crashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests

from bot.settings import IngestSettings

_TEXTUAL = re.compile(r"^(text/|application/(xhtml\+xml|xml|rss\+xml|atom\+xml|json))")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHUNK = 64 * 1024


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


def check_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^\s/]+", url):
        raise FetchError(f"ที่อยู่เว็บไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://): {url[:200]}")
    return url


def fetch(url: str, settings: IngestSettings, session: requests.Session | None = None) -> Fetched:
    """GET a text page, refusing anything bigger than `max_article_bytes`."""
    url = check_url(url)
    http = session or requests.Session()
    cap = settings.max_article_bytes
    try:
        with http.get(
            url,
            timeout=(min(5.0, settings.fetch_timeout_seconds), settings.fetch_timeout_seconds),
            headers={"User-Agent": settings.user_agent, "Accept": "text/html, application/xml, */*;q=0.5"},
            stream=True,
        ) as response:
            if response.status_code >= 400:
                raise FetchError(f"เว็บไซต์ตอบกลับด้วยรหัส {response.status_code}: {url}")
            content_type = response.headers.get("Content-Type", "")
            if content_type and not _TEXTUAL.match(content_type.lower()):
                raise FetchError(f"ไม่ใช่หน้าเว็บหรือฟีดข่าว ({content_type.split(';')[0]}): {url}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > cap:
                raise FetchError(f"หน้าเว็บใหญ่เกิน {cap:,} ไบต์: {url}")
            body = bytearray()
            for chunk in response.iter_content(_CHUNK):
                body += chunk
                if len(body) > cap:
                    raise FetchError(f"หน้าเว็บใหญ่เกิน {cap:,} ไบต์: {url}")
            return Fetched(url=response.url, content_type=content_type, body=bytes(body))
    except requests.Timeout:
        raise FetchError(f"เว็บไซต์ไม่ตอบภายใน {settings.fetch_timeout_seconds:g} วินาที: {url}") from None
    except requests.RequestException as error:
        raise FetchError(f"ติดต่อเว็บไซต์ไม่ได้ ({type(error).__name__}): {url}") from None
    finally:
        if session is None:
            http.close()
