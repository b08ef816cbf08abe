"""From raw article text or HTML to a headline, a body of paragraphs, and what the page said about itself.

The news pages carry furniture around the article: the site name glued to the headline, the headline
repeated two or three times (sometimes cut short), the publication date, a print button, a visitor
counter, hashtags, related-news boxes and the source URL. This module takes it all off and keeps what
is useful (source URL, publication date) apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from bot import thai
from meetings.parsing import vocabulary as vocab

MAX_INPUT_CHARS: Final = 2_000_000
"""Raw input beyond this is cut before any work (a 10 MB paste must not stall the bot)."""

MAX_TEXT_CHARS: Final = 200_000
"""Clean text beyond this is cut: real articles are under 40,000 characters."""

_HTML_HINT_RE: Final = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|html|body|span|table|tr|td|a|strong|b)\b", re.I
)
_BLOCK_TAGS: Final = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
    | {"article", "header", "footer", "blockquote", "title", "hr", "dd", "dt", "figcaption"}
)
_SKIPPED_TAGS: Final = frozenset({"script", "style", "noscript", "template", "svg"})


class _TextExtractor(HTMLParser):
    """HTML to text that keeps paragraph and list breaks; ``<ol>`` items get their numbers back."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._ordered_counters: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "ol":
            self._ordered_counters.append(0)
        elif tag == "ul":
            self._ordered_counters.append(None)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li" and self._ordered_counters and self._ordered_counters[-1] is not None:
            counter = self._ordered_counters[-1] + 1
            self._ordered_counters[-1] = counter
            self.parts.append(f"{counter}. ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in ("ol", "ul") and self._ordered_counters:
            self._ordered_counters.pop()
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT_RE.search(text[:20_000]))


def html_to_text(html: str) -> str:
    """Strip tags with the standard library's parser, keeping paragraph and list breaks."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # html.parser is lenient; whatever it still rejects we keep as plain text
        return re.sub(r"<[^>]{0,500}>", "\n", html)
    return "".join(extractor.parts)


@dataclass(frozen=True)
class CleanArticle:
    """An article without its page furniture."""

    title: str
    paragraphs: tuple[str, ...]
    """Body paragraphs (one per line of the source), without headline repeats."""
    source_url: str | None
    page_date: dt.date | None
    """The publication date the page printed under the headline (not the meeting date)."""
    truncated: bool


_FURNITURE_RE: Final = re.compile("(?:" + "|".join(vocab.FURNITURE_LINE_PATTERNS) + r")\s*", re.I)
_SOURCE_RE: Final = re.compile(vocab.SOURCE_LINE_PATTERN)
_PAGE_DATE_RE: Final = re.compile("(?:" + "|".join(vocab.PAGE_DATE_LINE_PATTERNS) + r")\s*")
_TITLE_MAX: Final = 250
_SITE_TITLE_CUT: Final = 178
"""thaigov.go.th cuts page titles at 180 characters: a title this long may have lost its end."""
_REWORDED_HEADLINE_RATIO: Final = 0.75


def _strip_title_prefix(line: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in vocab.TITLE_PREFIXES:
            if line.startswith(prefix) and len(line) > len(prefix) + 3:
                line = line[len(prefix) :].strip(" -–")
                changed = True
    return line


def _common_prefix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def _is_headline_repeat(line: str, title: str) -> bool:
    """A headline line again: cut short by the site, longer (with the sub-headline), or reworded a little
    (``ปลัด มท.`` for ``ปลัดมหาดไทย``)."""
    if not title:
        return False
    line = _strip_title_prefix(line)
    shared = _common_prefix_length(line, title)
    if shared >= min(len(title), len(line)) * 0.85 or (shared >= 40 and shared >= 0.6 * len(title)):
        return True
    head = line[: len(title)]
    return difflib.SequenceMatcher(None, head, title, autojunk=False).ratio() >= _REWORDED_HEADLINE_RATIO


def _best_title(first_line: str, repeats: list[str]) -> str:
    """The page title is sometimes cut (``...แนวพระราชดำริฯร``); a repeat then gives the whole headline."""
    title = first_line
    extensions = [
        line
        for line in repeats
        if len(line) > len(title) and _common_prefix_length(line, title) >= len(title) - 3
    ]
    if extensions and len(title) >= _SITE_TITLE_CUT:
        title = min(extensions, key=len)
    return title


def clean_article(raw: str) -> CleanArticle:
    """Split raw text (or HTML) into headline, body paragraphs, source URL and publication date."""
    truncated = len(raw) > MAX_INPUT_CHARS
    raw = raw[:MAX_INPUT_CHARS]
    if looks_like_html(raw):
        raw = html_to_text(raw)
    text = thai.normalize(raw)
    if len(text) > MAX_TEXT_CHARS:
        truncated = True
        text = text[:MAX_TEXT_CHARS]

    lines = [line for line in text.split("\n") if line.strip()]
    source_url: str | None = None
    page_date: dt.date | None = None
    kept: list[str] = []
    in_trailing_box = False
    for line in lines:
        source = _SOURCE_RE.fullmatch(line)
        if source:
            source_url = source_url or source.group("url").rstrip(".,)")
            in_trailing_box = False
            continue
        if any(line.startswith(start) for start in vocab.TRAILING_SECTION_STARTS):
            in_trailing_box = True
        if in_trailing_box or _FURNITURE_RE.fullmatch(line):
            continue
        if len(kept) < 4 and _PAGE_DATE_RE.fullmatch(line):  # the date lines sit under the headline
            page_date = page_date or thai.parse_thai_date(line)
            continue
        kept.append(line)

    if not kept:
        return CleanArticle("", (), source_url, page_date, truncated)

    # A stray line above a headline that the page repeats (a site name taken from an HTML <title>):
    # the repeated line is the headline, the stray one is furniture.
    if (
        len(kept) >= 3
        and not _is_headline_repeat(kept[1], _strip_title_prefix(kept[0]))
        and _is_headline_repeat(kept[2], _strip_title_prefix(kept[1]))
    ):
        kept = kept[1:]
    first = _strip_title_prefix(kept[0])
    body_start = 1
    repeats: list[str] = []
    while body_start < len(kept) and _is_headline_repeat(kept[body_start], first):
        repeats.append(_strip_title_prefix(kept[body_start]))
        body_start += 1
    if len(first) > _TITLE_MAX:  # no headline line: the text starts with the body
        return CleanArticle("", tuple(kept), source_url, page_date, truncated)
    title = _best_title(first, repeats)
    return CleanArticle(title, tuple(kept[body_start:]), source_url, page_date, truncated)
