"""The meeting's date, number and chair, read from the body of a news article.

Each reader looks at all candidates and keeps the one with the best evidence, so that a deadline, the
date of the next meeting or the number of an earlier meeting does not win just by coming first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from bot import thai
from meetings.parsing import vocabulary as vocab

_OPENING_CHARS: Final = 600
"""The opening (where the meeting sentence is) is the first paragraph, or at most this many characters."""

_MEETING_DATE_CUE_RES: Final = [re.compile(cue) for cue in vocab.MEETING_DATE_CUES]
_FUTURE_CUE_RE: Final = re.compile(vocab.FUTURE_EVENT_CUE)


@dataclass(frozen=True)
class _DateCandidate:
    found: thai.FoundDate
    score: int
    paragraph: int


def _date_candidates(paragraphs: tuple[str, ...], default_year: int | None) -> list[_DateCandidate]:
    candidates: list[_DateCandidate] = []
    offset = 0
    for index, paragraph in enumerate(paragraphs):
        for found in thai.find_dates(paragraph, default_year=default_year):
            before = paragraph[max(0, found.start - 40) : found.start]
            after = paragraph[found.end : found.end + 300]
            score = 0
            if any(cue.search(before) for cue in _MEETING_DATE_CUE_RES):
                score += 3
            if any(cue in before[-25:] for cue in vocab.OTHER_DATE_CUES):
                score -= 4
            if index == 0:
                score += 3
            if offset + found.start < _OPENING_CHARS:
                score += 2
            if any(word in after for word in vocab.MEETING_WORDS):
                score += 1
            if not found.has_year:
                score -= 2
            candidates.append(_DateCandidate(found, score, index))
        offset += len(paragraph) + 1
    return candidates


def _preview_date(paragraphs: tuple[str, ...], best: _DateCandidate) -> thai.FoundDate | None:
    """``วันนี้ (2 เม.ย. 68) โฆษก... เปิดเผยว่า วันพรุ่งนี้ (3 เม.ย. 68) นายกฯ จะ...``: the news is
    about tomorrow's meeting; the later date is the meeting's."""
    paragraph = paragraphs[best.paragraph]
    window = paragraph[best.found.end : best.found.end + 250]
    if not any(verb in window for verb in vocab.REPORTING_VERBS):
        return None
    for found in thai.find_dates(paragraph):
        if best.found.end < found.start <= best.found.end + 250 and _FUTURE_CUE_RE.search(
            paragraph[: found.start]
        ):
            return found
    return None


def find_meeting_date(paragraphs: tuple[str, ...], page_date: dt.date | None) -> dt.date | None:
    """The date of the meeting reported, not of the page (which is often the day after)."""
    default_year = page_date.year if page_date else None
    candidates = [c for c in _date_candidates(paragraphs, default_year) if c.found.has_year or default_year]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.paragraph, -c.found.start))
    if best.score < 1:
        return None
    preview = _preview_date(paragraphs, best)
    return preview.date if preview else best.found.date


# --- Meeting number ---------------------------------------------------------------------------------

_NUMBER_RE: Final = re.compile(
    r"ครั้งที่\s*(?P<round>\d{1,3})\s*(?:"
    r"/\s*(?P<year>\d{4}|\d{2})(?![\d/])"
    r"|ประจำปี(?:งบประมาณ)?\s*(?:พ\.?\s?ศ\.?\s*)?(?P<fiscal>\d{4})(?!\d))"
)


def find_meeting_number(paragraphs: tuple[str, ...]) -> str | None:
    """``ครั้งที่ 3/2565`` or ``ครั้งที่ ๖/๒๕๖๗`` → ``3/2565``; ``ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2567`` →
    ``1/2567``. A round without a year (``ครั้งที่ ๒``) and the numbers of other meetings (an earlier
    resolution, the next meeting) are not the meeting's number."""
    for paragraph in paragraphs:
        text = thai.thai_digits_to_arabic(paragraph)
        for match in _NUMBER_RE.finditer(text):
            before = text[max(0, match.start() - 30) : match.start()]
            after = text[match.end() : match.end() + 20]
            if any(cue in before for cue in vocab.OTHER_MEETING_BEFORE):
                continue
            if any(after.lstrip().startswith(cue) for cue in vocab.OTHER_MEETING_AFTER):
                continue
            year_text = match.group("year") or match.group("fiscal")
            year_ce = thai.year_to_ce(year_text)
            if year_ce is None:
                continue
            return f"{int(match.group('round'))}/{thai.ce_to_be(year_ce)}"
    return None


# --- Chair ------------------------------------------------------------------------------------------

_TITLE_PATTERN: Final = "|".join(re.escape(t) for t in sorted(vocab.PERSON_TITLES, key=len, reverse=True))
_THAI_WORD: Final = r"[\u0e01-\u0e4e]+"
# A person: honorific, a first name, optionally a surname (one space apart).
_NOT_A_NAME: Final = "|".join(re.escape(word) for word in vocab.TITLE_LOOKALIKE_WORDS)
_PERSON_RE: Final = re.compile(
    rf"(?<![\u0e01-\u0e4e])(?P<person>(?:(?:{_TITLE_PATTERN})\s?)+(?!{_NOT_A_NAME}){_THAI_WORD}"
    rf"(?:\s(?!(?:{_TITLE_PATTERN})){_THAI_WORD})?)"
)
_CHAIR_VERB_RE: Final = re.compile("(?:" + "|".join(vocab.CHAIR_VERBS) + ")")
_LEAD_VERB_RE: Final = re.compile("(?:" + "|".join(vocab.LEAD_VERBS) + ")")
_POSITION_RE: Final = re.compile(r"\s(?P<position>[^\s(]{2,80}(?:\s(?:และ|ในฐานะ)\S{2,80})?)")


@dataclass(frozen=True)
class Chair:
    name: str
    position: str | None

    @property
    def label(self) -> str:
        return f"{self.name} {self.position}" if self.position else self.name

    def first_name(self) -> str:
        """The given name without honorific (``นายประยูร`` → ``ประยูร``), also when the honorific is
        written apart (``พลเอก อนุพงษ์ เผ่าจินดา`` → ``อนุพงษ์``)."""
        title = re.match(rf"(?:(?:{_TITLE_PATTERN})\s?)+", self.name)
        rest = self.name[title.end() :] if title else self.name
        return rest.split(" ")[0]


def _clean_position(raw: str) -> str | None:
    position = raw.strip()
    for stop in vocab.POSITION_STOP_WORDS:
        cut = position.find(stop, 2)
        if cut > 0:
            position = position[:cut]
    position = _CHAIR_VERB_RE.split(position)[0]
    position = _LEAD_VERB_RE.split(position)[0].strip()
    return position if len(position) >= 3 else None


def _person_with_position(text: str, match: re.Match[str]) -> Chair:
    name = match.group("person").strip()
    position_match = _POSITION_RE.match(text, match.end("person"))
    position = _clean_position(position_match.group("position")) if position_match else None
    return Chair(name, position)


def _last_person_before(text: str, end: int) -> Chair | None:
    """The last person named in ``text[:end]`` within the same clause (no one else in between)."""
    window_start = max(0, end - 220)
    persons = list(_PERSON_RE.finditer(text, window_start, end))
    if not persons:
        return None
    return _person_with_position(text, persons[-1])


def _resolve_reference(chair: Chair, text: str) -> Chair:
    """``นายภูมิธรรม เป็นประธาน`` after ``นายภูมิธรรม เวชยชัย รองนายกรัฐมนตรี...``: use the full mention."""
    if " " in chair.name:
        return chair
    for match in _PERSON_RE.finditer(text):
        fuller = _person_with_position(text, match)
        if fuller.name.startswith(chair.name) and " " in fuller.name:
            return fuller
    return chair


def find_chair(paragraphs: tuple[str, ...]) -> Chair | None:
    """The person presiding: ``NAME POSITION เป็นประธาน`` in the opening paragraphs, else the first
    person who leads the meeting in the opening sentence."""
    opening = "\n".join(paragraphs[:4])[:6000]
    for verb in _CHAIR_VERB_RE.finditer(opening):
        chair = _last_person_before(opening, verb.start())
        if chair is not None:
            return _resolve_reference(chair, opening)
    first = paragraphs[0][:_OPENING_CHARS] if paragraphs else ""
    for person in _PERSON_RE.finditer(first):
        after = first[person.end() : person.end() + 160]
        chair = _person_with_position(first, person)
        lead = _LEAD_VERB_RE.search(after)
        if lead and not _PERSON_RE.search(after, 0, lead.start()) and "เปิดเผย" not in lead.group(0):
            return chair
    return None
