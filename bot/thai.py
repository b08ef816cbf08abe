"""Thai text for the whole bot: clean-up, digits, word segmentation, Buddhist-Era years and dates.

Every other module goes through here when it touches Thai text, so that one set of rules decides
what a month abbreviation, a two-digit year or a doubled tone mark means.

Year rule (documented once, used everywhere):

* a four-digit year of 2400 or more is Buddhist Era (BE, พ.ศ.); below 2400 it is Gregorian (CE, ค.ศ.).
  Thai government text never writes CE years past 2399 nor BE years before 2400, so the two ranges
  do not meet;
* a two-digit year is the short BE form that Thai news writes (``ก.ค. 66`` = 2566), i.e. ``25xx``;
* an explicit era marker wins: ``พ.ศ.``/``พุทธศักราช`` means BE, ``ค.ศ.``/``คริสต์ศักราช`` means CE
  (and a two-digit CE year is ``20xx``).

Positions returned by :func:`find_dates` are positions in the text as given: Thai digits are converted
one character for one, so offsets do not move.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

# --- Data -------------------------------------------------------------------------------------------

BE_OFFSET: Final = 543
"""Buddhist Era year minus Gregorian year."""

FIRST_BE_YEAR: Final = 2400
"""Four-digit years from here on are read as BE (see the module docstring)."""


@dataclass(frozen=True)
class MonthNames:
    """The ways Thai text names one month: the full name and every common abbreviation."""

    number: int
    full: str
    short: str
    """The abbreviation used for display, with its dots (``ม.ค.``)."""
    variants: tuple[str, ...] = ()
    """Other spellings seen in the wild, besides ``full``, ``short`` and ``short`` without dots."""


THAI_MONTHS: Final[tuple[MonthNames, ...]] = (
    MonthNames(1, "มกราคม", "ม.ค.", ("มกรา",)),
    MonthNames(2, "กุมภาพันธ์", "ก.พ.", ("กุมภาพันธ", "กุมภา")),
    MonthNames(3, "มีนาคม", "มี.ค.", ("มีนา",)),
    MonthNames(4, "เมษายน", "เม.ย.", ("เมษา",)),
    MonthNames(5, "พฤษภาคม", "พ.ค.", ("พฤษภา",)),
    MonthNames(6, "มิถุนายน", "มิ.ย.", ("มิถุนา",)),
    MonthNames(7, "กรกฎาคม", "ก.ค.", ("กรกฏาคม", "กรกฎา")),
    MonthNames(8, "สิงหาคม", "ส.ค.", ("สิงหา",)),
    MonthNames(9, "กันยายน", "ก.ย.", ("กันยา",)),
    MonthNames(10, "ตุลาคม", "ต.ค.", ("ตุลา",)),
    MonthNames(11, "พฤศจิกายน", "พ.ย.", ("พฤศจิกา",)),
    MonthNames(12, "ธันวาคม", "ธ.ค.", ("ธันวา",)),
)
"""Thai month names, data only. Abbreviations are matched with or without their dots."""

ZERO_WIDTH_CHARS: Final = "\u200b\u200c\u200d\ufeff\u2060\u00ad"
"""Zero-width space, non-joiner, joiner, BOM, word joiner, soft hyphen: invisible, and they break matching."""

BIDI_CONTROL_CHARS: Final = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Left-to-right and right-to-left marks, the Arabic letter mark, embeddings, overrides and isolates:
invisible too, and an override (U+202E) makes a text show in an order other than the one it is read
in, so a title or a chat message could look like something else in the console or in LINE."""

THAI_DIGITS: Final = "๐๑๒๓๔๕๖๗๘๙"

BE_ERA_MARKERS: Final = ("พ.ศ.", "พ.ศ", "พศ.", "พุทธศักราช")
CE_ERA_MARKERS: Final = ("ค.ศ.", "ค.ศ", "คศ.", "คริสต์ศักราช")

# Thai combining marks: the upper/lower vowels and the tone marks, in the order Unicode expects them.
_UPPER_LOWER_VOWELS: Final = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONE_MARKS: Final = "\u0e48\u0e49\u0e4a\u0e4b"
_NIKHAHIT: Final = "\u0e4d"
_SARA_AA: Final = "\u0e32"
_SARA_AM: Final = "\u0e33"
_THANTHAKHAT: Final = "\u0e4c"

# --- Normalisation ----------------------------------------------------------------------------------

_INVISIBLE_RE: Final = re.compile(f"[{ZERO_WIDTH_CHARS}{BIDI_CONTROL_CHARS}]")
# Every Unicode space except the line breaks we keep (\n); \r and form feeds become spaces or breaks below.
_SPACES_RE: Final = re.compile(r"[^\S\n]+")
_DOUBLED_MARK_RE: Final = re.compile(f"([{_UPPER_LOWER_VOWELS}{_TONE_MARKS}{_THANTHAKHAT}])\\1+")
_TONE_BEFORE_VOWEL_RE: Final = re.compile(f"([{_TONE_MARKS}])([{_UPPER_LOWER_VOWELS}])")
_DECOMPOSED_AM_RE: Final = re.compile(f"{_NIKHAHIT}([{_TONE_MARKS}]?){_SARA_AA}")
_TONE_AFTER_NIKHAHIT_RE: Final = re.compile(f"([{_TONE_MARKS}]){_NIKHAHIT}{_SARA_AA}")
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def normalize(text: str) -> str:
    """Clean Thai text so that equal-looking strings are equal strings.

    NFC; zero-width and bidirectional control characters removed; control characters and U+FFFD
    dropped; every Unicode space (no-break, thin, ideographic, tab...) becomes a plain space and runs
    collapse to one; line breaks are kept (``\\r\\n`` and ``\\r`` become ``\\n``) and trailing spaces
    on a line go; doubled tone marks and doubled combining vowels (``่่``) are written once; a tone typed
    before its vowel is put after it; Sara Am typed as Nikhahit + Sara Aa (``ํา``, with or without a
    tone between) becomes ``ำ``.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = _CONTROL_RE.sub(" ", text)
    text = _SPACES_RE.sub(" ", text)
    text = _DOUBLED_MARK_RE.sub(r"\1", text)
    text = _TONE_BEFORE_VOWEL_RE.sub(r"\2\1", text)
    text = _DECOMPOSED_AM_RE.sub(lambda m: m.group(1) + _SARA_AM, text)
    text = _TONE_AFTER_NIKHAHIT_RE.sub(lambda m: m.group(1) + _SARA_AM, text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


_THAI_TO_ARABIC: Final = str.maketrans(THAI_DIGITS, "0123456789")


def thai_digits_to_arabic(text: str) -> str:
    """Replace Thai digits (๐-๙) by 0-9, one character for one, so positions are unchanged."""
    return text.translate(_THAI_TO_ARABIC)


def thai_share(text: str) -> float:
    """Share of letters in ``text`` that are Thai (0.0 when there are no letters at all)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u0e00" <= ch <= "\u0e7f") / len(letters)


# --- Segmentation -----------------------------------------------------------------------------------


@functools.cache
def _word_tokenizer() -> Callable[[str], list[str]]:
    """Import PyThaiNLP and load the newmm dictionary once (the first call costs ~0.3 s)."""
    from pythainlp.tokenize import word_tokenize

    def tokenize(text: str) -> list[str]:
        tokens: list[str] = word_tokenize(text, engine="newmm", keep_whitespace=False)
        return tokens

    tokenize("อุ่นเครื่อง")  # warm-up: builds the dictionary trie now, not on a user's first message
    return tokenize


def segment(text: str) -> list[str]:
    """Split Thai text into words with PyThaiNLP's newmm engine; whitespace is dropped."""
    if not text.strip():
        return []
    return [token for token in _word_tokenizer()(text) if token.strip()]


# --- Years ------------------------------------------------------------------------------------------


def be_to_ce(year: int) -> int:
    """Buddhist Era year to Gregorian: 2565 → 2022."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Gregorian year to Buddhist Era: 2022 → 2565."""
    return year + BE_OFFSET


Era = Literal["BE", "CE"]


def year_to_ce(year_text: str, era: Era | None = None) -> int | None:
    """Read a written year (Thai or Arabic digits, 2 or 4 of them) as a Gregorian year.

    Follows the rule in the module docstring; ``era`` is an explicit era marker found next to it.
    Returns None for anything that is not a 2- or 4-digit year.
    """
    digits = thai_digits_to_arabic(year_text.strip())
    if not digits.isdigit() or len(digits) not in (2, 4):
        return None
    value = int(digits)
    if len(digits) == 2:
        return 2000 + value if era == "CE" else be_to_ce(2500 + value)
    if era == "BE" or (era is None and value >= FIRST_BE_YEAR):
        return be_to_ce(value)
    return value


def two_digit_be_year(year: int) -> int:
    """Expand the short BE year of Thai news: 64 → 2564."""
    return 2500 + year % 100


# --- Dates ------------------------------------------------------------------------------------------


def _abbreviation_pattern(dotted: str) -> str:
    """``ม.ค.`` → a pattern for ``ม.ค.``, ``ม.ค``, ``มค.``, ``มค`` and ``ม. ค.``."""
    parts = [re.escape(part) for part in dotted.split(".") if part]
    return r"\.?\s?".join(parts) + r"\.?"


def _month_alternatives() -> list[tuple[str, int]]:
    alternatives: list[tuple[str, int]] = []
    for month in THAI_MONTHS:
        for name in (month.full, *month.variants):
            alternatives.append((re.escape(name), month.number))
        alternatives.append((_abbreviation_pattern(month.short), month.number))
    return alternatives


_MONTH_ALTERNATIVES: Final = _month_alternatives()
# Longest first, so that มีนาคม wins over มีนา and "ม.ค." over a bare "ม".
_MONTH_PATTERN: Final = "|".join(
    f"(?:{pattern})" for pattern, _ in sorted(_MONTH_ALTERNATIVES, key=lambda item: -len(item[0]))
)
MONTH_NAME_PATTERN: Final = _MONTH_PATTERN
"""A regular expression (no groups) matching any Thai month name or abbreviation."""
_MONTH_MATCHERS: Final = [(re.compile(f"(?:{pattern})$"), number) for pattern, number in _MONTH_ALTERNATIVES]
_ERA_PATTERN: Final = "|".join(
    re.escape(marker) for marker in sorted(BE_ERA_MARKERS + CE_ERA_MARKERS, key=len, reverse=True)
)

_WORDED_DATE_RE: Final = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\s*"
    rf"(?:เดือน\s*)?(?P<month>{_MONTH_PATTERN})(?:(?![\u0e01-\u0e4e])|(?=นี้))"  # ``20 กรกฎาคมนี้``: this July
    rf"(?:\s*(?P<era>{_ERA_PATTERN}))?"
    r"(?:\s*(?P<year>\d{4}|\d{2})(?![\d/]))?"
)
_NUMERIC_DATE_RE: Final = re.compile(
    r"(?<![\d/.])(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"
)
_ISO_DATE_RE: Final = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text, with where it was: ``text[start:end]`` is the expression."""

    date: dt.date
    start: int
    end: int
    text: str
    has_year: bool = True
    """False when the text gave no year and the caller's ``default_year`` was used."""


def month_number(name: str) -> int | None:
    """The month (1-12) a Thai month name or abbreviation stands for, or None."""
    cleaned = name.strip()
    for matcher, number in _MONTH_MATCHERS:
        if matcher.match(cleaned):
            return number
    return None


def _era_of(marker: str | None) -> Era | None:
    if not marker:
        return None
    return "CE" if marker in CE_ERA_MARKERS else "BE"


def _safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iter_dates(text: str, default_year: int | None) -> Iterator[FoundDate]:
    arabic = thai_digits_to_arabic(text)
    for match in _WORDED_DATE_RE.finditer(arabic):
        month = month_number(match.group("month"))
        if month is None:  # pragma: no cover - the pattern only matches known names
            continue
        year_text = match.group("year")
        year = year_to_ce(year_text, _era_of(match.group("era"))) if year_text else default_year
        found = _safe_date(year, month, int(match.group("day")))
        if found is not None:
            end = match.end() if year_text else match.end("month")
            yield FoundDate(found, match.start(), end, text[match.start() : end], has_year=bool(year_text))
    for match in _NUMERIC_DATE_RE.finditer(arabic):
        found = _safe_date(
            year_to_ce(match.group("year")), int(match.group("month")), int(match.group("day"))
        )
        if found is not None:
            yield FoundDate(found, match.start(), match.end(), text[match.start() : match.end()])
    for match in _ISO_DATE_RE.finditer(arabic):
        found = _safe_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        if found is not None:
            yield FoundDate(found, match.start(), match.end(), text[match.start() : match.end()])


def find_dates(text: str, default_year: int | None = None) -> list[FoundDate]:
    """Every date in ``text``, in order of position.

    Understands ``21 มกราคม 2565``, ``2 ธ.ค. 64``, ``2 ธ.ค.63``, ``๑๗ กรกฎาคม ๒๕๖๗``,
    ``13 ตุลาคม พ.ศ. 2559``, ``17/07/2567`` (day/month/year), ``2022-01-21``, and the second day of a
    range (``10 – 13 ธันวาคม 2563`` gives 13 December). A day and month without a year is returned
    only when ``default_year`` (Gregorian) is given, flagged ``has_year=False``.
    """
    found = sorted(_iter_dates(text, default_year), key=lambda item: (item.start, -item.end))
    result: list[FoundDate] = []
    for item in found:
        if result and item.start < result[-1].end:
            continue  # overlapping matches of two patterns: keep the first, longest one
        result.append(item)
    return result


def parse_thai_date(text: str) -> dt.date | None:
    """The date in a single date expression (``วันนี้ (21 ม.ค. 65)`` → 2022-01-21), or None.

    The first date with a year wins; text without any is None.
    """
    for found in find_dates(text):
        if found.has_year:
            return found.date
    return None


DateStyle = Literal["full", "short"]


def format_thai_date(date: dt.date, style: DateStyle = "full") -> str:
    """Display a date the Thai way: ``21 มกราคม 2565`` (full) or ``21 ม.ค. 65`` (short)."""
    month = THAI_MONTHS[date.month - 1]
    be_year = ce_to_be(date.year)
    if style == "short":
        return f"{date.day} {month.short} {be_year % 100:02d}"
    return f"{date.day} {month.full} {be_year}"
