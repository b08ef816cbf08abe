"""The meeting's date, number and chair, read from the body of a news article.

Each reader looks at all candidates and keeps the one with the best evidence, so that a deadline, the
date of the next meeting or the number of an earlier meeting does not win just by coming first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Final

from bot import thai
from meetings.parsing import vocabulary as vocab

_OPENING_CHARS: Final = 600
"""The opening (where the meeting sentence is) is the first paragraph, or at most this many characters."""

_MEETING_DATE_CUE_RES: Final = [re.compile(cue) for cue in vocab.MEETING_DATE_CUES]
_FUTURE_CUE_RE: Final = re.compile(vocab.FUTURE_EVENT_CUE)
_PAST_CUE_RE: Final = re.compile(vocab.PAST_EVENT_CUE)
_PAST_AFTER_RE: Final = re.compile(vocab.PAST_EVENT_AFTER)
_BACKGROUND_RE: Final = re.compile(vocab.BACKGROUND_EVENT_BEFORE)
_OCCASION_RE: Final = re.compile(vocab.OCCASION_BEFORE)
_MINUTES_ADOPTED_RE: Final = re.compile(vocab.MINUTES_ADOPTED_BEFORE)
_RESOLUTION_RE: Final = re.compile(vocab.RESOLUTION_BEFORE)
_YEARS_BEFORE_PAGE: Final = 1
"""A meeting reported was held in the page's year or the year before: an older day is a ground or history."""
_FORECAST_RE: Final = re.compile(vocab.FORECAST_BEFORE)
_SCHEDULED_RE: Final = re.compile(vocab.SCHEDULED_BEFORE)
_ORDER_PREAMBLE_RE: Final = re.compile(vocab.ORDER_PREAMBLE_BEFORE)
_ORDER_SENT_RE: Final = re.compile(vocab.ORDER_SENT)
_ROYAL_PRESIDES_RE: Final = re.compile(vocab.ROYAL_PRESIDES)
_ROYAL_OPENING_RE: Final = re.compile(vocab.ROYAL_OPENING_BEFORE)
_SLIP_DAYS: Final = 3
_REPORTED_WITHIN_DAYS: Final = 60
"""A meeting a statement reports on was held within weeks of it: an earlier day is something else it cites."""
_TOLD_DAY_BEFORE_RE: Final = re.compile(vocab.TOLD_DAY_BEFORE)
_RANGE_START_RE: Final = re.compile(r"(?<![\d๐-๙])(?P<day>[\d๐-๙]{1,2})\s*[-–]\s*$")
_RANGE_START_MONTH_RE: Final = re.compile(
    rf"(?<![\d๐-๙])(?P<day>[\d๐-๙]{{1,2}})\s*(?P<month>{thai.MONTH_NAME_PATTERN})\.?\s*[-–]\s*$"
)
"""The first day of a range across months, its month written (``30 ม.ค. - 1 ก.พ. 68``)."""


@dataclass(frozen=True)
class _DateCandidate:
    found: thai.FoundDate
    score: int
    paragraph: int
    cued: bool
    """A meeting-date cue stands right before it (``วันนี้ (``, ``เมื่อวันที่``...)."""


_ITEM_PARAGRAPH_RE: Final = re.compile(r"\s*[\"“]?\(?[0-9๐-๙]{1,2}\s?[.)]\s?(?![0-9๐-๙])")
"""A paragraph that is an item of a numbered list (``18) ...``, ``(2) ...``, ``3. ...``)."""


def _date_candidates(
    paragraphs: tuple[str, ...], default_year: int | None, sends_order: bool
) -> list[_DateCandidate]:
    candidates: list[_DateCandidate] = []
    offset = 0
    for index, paragraph in enumerate(paragraphs):
        for found in thai.find_dates(paragraph, default_year=default_year):
            if _FORECAST_RE.search(paragraph, max(0, found.start - 100), found.start):
                continue  # a forecast is never the event's day: ``คาดการณ์ว่า...จะขึ้นสูงสุดในวันที่ 2 ต.ค. 66``
            if _SCHEDULED_RE.search(paragraph, max(0, found.start - 60), found.start):
                continue  # planned for then: ``มีกำหนดจัดขึ้นระหว่างวันที่ 26 - 30 มิถุนายน 2567``
            # the first day of a range stands between the cue and the date: ``เมื่อวันที่ 1 - 2 ต.ค. 63``
            before = paragraph[max(0, found.start - 40) : found.start]
            before = _RANGE_START_RE.sub("", _RANGE_START_MONTH_RE.sub("", before))
            after = paragraph[found.end : found.end + 300]
            score = 0
            cued = any(cue.search(before) for cue in _MEETING_DATE_CUE_RES)
            if cued:
                score += 3
            if any(cue in before[-25:] for cue in vocab.OTHER_DATE_CUES):
                score -= 4
            elif _BACKGROUND_RE.search(paragraph, max(0, found.start - 80), found.start):
                score -= 4  # what came before the event told: ``ภายหลังจาก... เมื่อวันที่ 3 ม.ค. 67``
            elif _order_grounds(paragraph, found.start, sends_order):
                score -= 4  # an order's grounds: ``เปิดเผยว่า ด้วยในการประชุม... เมื่อวันที่ 16 ม.ค. 64``
            elif _RESOLUTION_RE.search(paragraph, max(0, found.start - 45), found.start):
                score -= 4  # a resolution cited: ``ตามมติคณะรัฐมนตรี เมื่อวันที่ 14 พฤษภาคม 2539``
            elif _MINUTES_ADOPTED_RE.search(paragraph, max(0, found.start - 110), found.start):
                score -= 6  # the minutes of the meeting before: ``รับรองรายงานการประชุม... เมื่อวันที่ 24 มี.ค. 68``
            elif _OCCASION_RE.search(paragraph, max(0, found.start - 90), found.start):
                score -= 6  # the occasion it is held for: ``เนื่องในโอกาส... เฉลิมพระชนมพรรษา 28 กรกฎาคม 2567``
            elif index > 0 and _ITEM_PARAGRAPH_RE.match(paragraph):
                score -= 6  # what a list's item tells: ``18) ส่งเสริม... จัดการประชุม... เมื่อวันที่ 21 ม.ค. 68``
            if index == 0:
                score += 3
            if offset + found.start < _OPENING_CHARS:
                score += 2
            if any(word in after for word in vocab.MEETING_WORDS):
                score += 1
            if not found.has_year:
                score -= 2
            if default_year is not None and found.date.year < default_year - _YEARS_BEFORE_PAGE:
                score -= 6  # years before the page: a history (``ภัยพิบัติดินโคลนถล่ม เมื่อวันที่ 28 กรกฎาคม 2561``)
            candidates.append(_DateCandidate(found, score, index, cued))
        offset += len(paragraph) + 1
    return candidates


def _order_grounds(paragraph: str, at: int, sends_order: bool) -> bool:
    """The date at ``at`` is in the grounds of an order the article sends to the provinces (``เปิดเผยว่า
    ด้วยในการประชุม ศปก.ศบค. เมื่อวันที่ 16 ม.ค. 64 ...``, then ``สั่งการไปยังผู้ว่าราชการจังหวัด...``), not the
    day of the order."""
    return sends_order and _ORDER_PREAMBLE_RE.search(paragraph, max(0, at - 260), at) is not None


def _sends_order(paragraphs: tuple[str, ...]) -> bool:
    return any(_ORDER_SENT_RE.search(paragraph) for paragraph in paragraphs)


_MEETING_NOT_VENUE_RE: Final = re.compile(
    "".join(f"(?<!{place})" for place in (*vocab.MEETING_PLACE_BEFORE, "ศูนย์", "ศูนย์การ")) + "ประชุม"
)
"""A meeting, not a venue named for meetings (``ห้องประชุม``, ``หอประชุม``, ``ศูนย์การประชุมแห่งชาติสิริกิติ์``)."""


def _preview_date(
    paragraphs: tuple[str, ...], best: _DateCandidate, sends_order: bool
) -> thai.FoundDate | None:
    """The date of the meeting when the best date is the day someone *reports* on it:
    ``วันนี้ (2 เม.ย. 68) โฆษก... เปิดเผยว่า วันพรุ่งนี้ (3 เม.ย. 68) นายกฯ จะ...`` (a preview: tomorrow's
    meeting) and ``วันนี้ (10 พ.ค. 65) รองปลัด... เปิดเผยถึงผลการประชุม... เมื่อวานนี้ (9 พ.ค. 65)`` (a
    report of yesterday's meeting): the later date, beside its relative day, is the meeting's."""
    paragraph = paragraphs[best.paragraph]
    window = paragraph[best.found.end : best.found.end + 250]
    if not any(verb in window for verb in vocab.REPORTING_VERBS):
        return None
    for found in thai.find_dates(paragraph, default_year=best.found.date.year):
        if not best.found.end < found.start <= best.found.end + 400:
            continue
        if (best.found.date - found.date).days > _REPORTED_WITHIN_DAYS:
            continue  # ``... ตามมติคณะรัฐมนตรี เมื่อวันที่ 14 พฤษภาคม 2539``: years before, a ground, not the meeting
        before = paragraph[: found.start]
        if found.start <= best.found.end + 250 and _FUTURE_CUE_RE.search(before):
            return found
        if found.date > best.found.date or _BACKGROUND_RE.search(before[-80:]):
            continue
        if _order_grounds(paragraph, found.start, sends_order):
            continue
        # the meeting told before the date (``... ในที่ประชุม... เมื่อวันศุกร์ที่ผ่านมา (18 ธ.ค)``) or after it
        # (``เปิดเผยว่า วานนี้ (18 ก.พ. 65) ที่ห้องประชุม...``, ``เมื่อช่วงเย็นของวันที่ 1 ต.ค. ... ตนได้ร่วมประชุม``)
        meeting = "ประชุม" in before[-200:] or "ประชุม" in paragraph[found.end : found.end + 120]
        if _PAST_CUE_RE.search(before) and meeting:
            return found
        # ``วันนี้ (26 มิ.ย. 65) NAME เปิดเผยว่า ในการประชุม... ระหว่างวันที่ 23 – 25 มิถุนายน 2565 ที่ผ่านมา``, and the
        # meeting told after it (``เปิดเผยว่า เมื่อวันที่ 12 มี.ค. 68 ที่ผ่านมา NAME ... เป็นประธานการประชุม...``)
        told_after = _MEETING_NOT_VENUE_RE.search(paragraph, found.end, found.end + 300) is not None
        if _PAST_AFTER_RE.match(paragraph, found.end) and ("ประชุม" in before[-200:] or told_after):
            return found
    return None


def _first_day_of_range(paragraph: str, found: thai.FoundDate) -> dt.date:
    """A meeting held over days (``1 - 2 ตุลาคม 2563``, ``30 ม.ค. - 1 ก.พ. 68``) is dated by its first day."""
    across = _RANGE_START_MONTH_RE.search(paragraph, max(0, found.start - 24), found.start)
    month = thai.month_number(across.group("month")) if across else None
    if across and month:
        year = found.date.year - (1 if month > found.date.month else 0)
        try:
            return dt.date(year, month, int(thai.thai_digits_to_arabic(across.group("day"))))
        except ValueError:
            return found.date
    start = _RANGE_START_RE.search(paragraph, max(0, found.start - 8), found.start)
    if start is None:
        return found.date
    try:
        return found.date.replace(day=int(thai.thai_digits_to_arabic(start.group("day"))))
    except ValueError:
        return found.date


def _best_date(paragraphs: tuple[str, ...], default_year: int | None, need_cue: bool) -> dt.date | None:
    sends_order = _sends_order(paragraphs)
    candidates = [
        c for c in _date_candidates(paragraphs, default_year, sends_order) if c.found.has_year or default_year
    ]
    if need_cue:
        candidates = [c for c in candidates if c.cued]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.paragraph, -c.found.start))
    if best.score < 1:
        return None
    preview = _preview_date(paragraphs, best, sends_order)
    if preview:
        return _first_day_of_range(paragraphs[best.paragraph], preview)
    if _told_day_before(paragraphs[best.paragraph], best.found):
        return best.found.date - dt.timedelta(days=1)
    return _first_day_of_range(paragraphs[best.paragraph], best.found)


def _told_day_before(paragraph: str, found: thai.FoundDate) -> bool:
    """``วันนี้ (3 ต.ค. 66) NAME POSITION เปิดเผยว่า วานนี้...``: the date is today's, of the statement, and
    what it tells happened the day before."""
    if "วันนี้" not in paragraph[max(0, found.start - 12) : found.start]:
        return False
    return _TOLD_DAY_BEFORE_RE.search(paragraph, found.end, found.end + 250) is not None


def find_meeting_date(
    paragraphs: tuple[str, ...], page_date: dt.date | None, headline: str = ""
) -> dt.date | None:
    """The date of the meeting reported, not of the page (which is often the day after): read in the
    body, else in the headline when a meeting cue stands before it (``เมื่อวันที่ 1 - 2 ตุลาคม 2563``),
    else from a relative day alone (``เมื่อวานนี้ นาย...เป็นประธานการประชุม``) counted from the page date."""
    default_year = page_date.year if page_date else None
    date = _best_date(paragraphs, default_year, need_cue=False)
    if date is None and headline:
        date = _best_date((headline,), default_year, need_cue=True)
    if date is None and page_date is not None:
        date = _relative_day(paragraphs, page_date)
    if date is not None and page_date is not None:
        date = _last_years_year_kept(date, page_date)
    return date


def _last_years_year_kept(date: dt.date, page_date: dt.date) -> dt.date:
    """``วันนี้ (9 มกราคม 2567)`` on a page of 9 January 2568: the day is the page's, the year a slip of the
    pen from the year before (seen in January and all year round). A date a year before, within days of the
    page's own day and month, is that day of the page's year."""
    if date.year != page_date.year - 1:
        return date
    try:
        same_day = date.replace(year=page_date.year)
    except ValueError:  # 29 February
        return date
    return same_day if abs((same_day - page_date).days) <= _SLIP_DAYS else date


def _relative_day(paragraphs: tuple[str, ...], page_date: dt.date) -> dt.date | None:
    opening = " ".join(paragraphs[:2])[:_OPENING_CHARS]
    for word, days in vocab.RELATIVE_DAYS:
        match = re.search(rf"(?<![\u0e01-\u0e4e]){word}(?!\s*\()", opening)
        if match and "ประชุม" in opening[match.end() : match.end() + 400]:
            return page_date + dt.timedelta(days=days)
    return None


# --- Meeting number ---------------------------------------------------------------------------------

_NUMBER_RE: Final = re.compile(
    r"ครั้ง(?:ที่)?\s*(?P<round>\d{1,3})\s*(?:"
    r"/\s*(?P<year>\d{4}|\d{2})(?![\d/])"
    r"|(?:[^\d\n]{0,60}?)ประจำปี(?:งบประมาณ)?\s*(?:พ\.?\s?ศ\.?\s*)?(?P<fiscal>\d{4})(?!\d))"
    r"|ประจำปี(?:งบประมาณ)?\s*(?:พ\.?\s?ศ\.?\s*)?(?P<year_first>\d{4})\s*ครั้งที่\s*(?P<round_after>\d{1,3})(?![\d/])"
)
"""``ครั้งที่ 3/2565``, ``ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2567``, ``ครั้งที่ 1 พื้นที่ภาคกลาง ประจำปี
2568`` (a few words between) and ``ประจำปี 2568 ครั้งที่ 3`` (the year first)."""


def _names_another_meeting(text: str, start: int, end: int) -> bool:
    """The number belongs to another meeting: an earlier resolution, the next meeting, or the meeting
    this one prepares for (``เตรียมความพร้อมสำหรับการประชุมคณะรัฐมนตรี... ครั้งที่ 3/2568``); or to another
    kind of event named before it with no meeting named there (a contest, games, a fair, a course)."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 20]
    if any(cue in before for cue in vocab.OTHER_MEETING_BEFORE):
        return True
    if any(after.lstrip().startswith(cue) for cue in vocab.OTHER_MEETING_AFTER):
        return True
    if _LATER_AFTER_RE.match(text, end) or _names_another_event(text, start):
        return True
    meeting = text.rfind("ประชุม", max(0, start - 80), start)
    return meeting >= 0 and _prepared_for(text, meeting)


def _names_another_event(text: str, start: int) -> bool:
    """``การแข่งขันทักษะทางวิชาการ ครั้งที่ 29 ... ประจำปีงบประมาณ 2567``, ``ที่ประชุมรับทราบหลักเกณฑ์การประกวด
    รางวัล... ครั้งที่ 25 ประจำปี 2568``: the edition of a contest, fair or course named closer before the number
    than any meeting; not ``การประชุมคณะกรรมการอำนวยการจัดงานมหกรรม... ครั้งที่ 1/2567``, the meeting of the
    committee that runs it (its name holds the event)."""
    window = max(0, start - 150)
    event = max(text.rfind(word, window, start) for word in vocab.OTHER_EVENT_ROUND_BEFORE)
    if event < 0 or "ประชุม" in text[event:start]:
        return False
    meeting = text.rfind("ประชุม", window, event)
    return meeting < 0 or not any(kind in text[meeting:event] for kind in vocab.BODY_KINDS)


_LATER_AFTER_RE: Final = re.compile(vocab.OTHER_MEETING_LATER_AFTER)
_RELEASE_FOOTER_RE: Final = re.compile(
    r"^\s*(?:[^\n]{0,80}?(?:ข่าว|ประชาสัมพันธ์|สารนิเทศ)[^\n]{0,60}?)?"
    r"ครั้งที่\s*[\d๐-๙]+\s*/\s*[\d๐-๙]{2,4}\s+(?:ณ\s*)?วันที่"
)
"""The press office's line under an article (``กองสารนิเทศ สป.มท.`` / ``ครั้งที่ 172/2568 วันที่ 12 มี.ค.
2568``, ``ข่าวประชาสัมพันธ์ กลุ่มงานประชาสัมพันธ์ สถ. ครั้งที่ 162/2568 ณ วันที่ 20 สิงหาคม 2568``): the number of
the press release, not of a meeting."""


def find_meeting_number(paragraphs: tuple[str, ...], headline: str = "") -> str | None:
    """``ครั้งที่ 3/2565`` or ``ครั้งที่ ๖/๒๕๖๗`` → ``3/2565``; ``ครั้งที่ 1 ประจำปีงบประมาณ พ.ศ. 2567`` →
    ``1/2567``. A round without a year (``ครั้งที่ ๒``) and the numbers of other meetings (an earlier
    resolution, the next meeting, one being prepared) are not the meeting's number. The body is read
    first, then the headline (some articles print the number only there)."""
    for paragraph in (*paragraphs, headline):
        if _RELEASE_FOOTER_RE.match(paragraph):
            continue
        text = thai.thai_digits_to_arabic(paragraph)
        for match in _NUMBER_RE.finditer(text):
            if _names_another_meeting(text, match.start(), match.end()):
                continue
            year_text = match.group("year") or match.group("fiscal") or match.group("year_first")
            year_ce = thai.year_to_ce(year_text)
            if year_ce is None:
                continue
            return f"{int(match.group('round') or match.group('round_after'))}/{thai.ce_to_be(year_ce)}"
    return None


# --- Chair ------------------------------------------------------------------------------------------

_TITLE_PATTERN: Final = "|".join(
    [
        *vocab.MONASTIC_TITLE_PATTERNS,
        *(re.escape(t) for t in sorted(vocab.PERSON_TITLES, key=len, reverse=True)),
    ]
)
_THAI_WORD: Final = r"[\u0e01-\u0e4e]+"
# A person: honorific, a first name, optionally a surname (one space apart).
_NOT_A_NAME: Final = "|".join(re.escape(word) for word in vocab.TITLE_LOOKALIKE_WORDS)
_NOT_A_SURNAME: Final = "|".join(re.escape(word) for word in vocab.NOT_A_SURNAME)
_PERSON_RE: Final = re.compile(
    r"(?:(?<![\u0e01-\u0e4e])|(?<=มี)|(?<=พร้อมด้วย)|(?<=จาก)|(?<=ให้)|(?<=ว่า)(?<!ผู้ว่า)|(?=เจ้าประคุณ)"
    + "".join(f"|(?<={word})" for word in vocab.MONK_ADDRESS_WORDS)
    + rf")(?P<person>(?:(?:{_TITLE_PATTERN})\s?)+(?!{_NOT_A_NAME}){_THAI_WORD}"
    rf"(?:\s(?!(?:{_TITLE_PATTERN})|{_NOT_A_SURNAME}){_THAI_WORD})?)"
)
_ATTENDEES_START_RE: Final = re.compile(
    "|".join(vocab.ATTENDEE_LIST_STARTS) + rf"|{vocab.ATTENDEE_LIST_SHORT}\s(?=(?:{_TITLE_PATTERN}))"
)
"""Where a list of those who attend or come along starts (``โดยมี``, ``พร้อมด้วย``, ``พร้อม NAME``)."""
_CHAIR_VERB_RE: Final = re.compile("(?:" + "|".join(vocab.CHAIR_VERBS) + ")")
_LEAD_VERB_RE: Final = re.compile("(?:" + "|".join(vocab.LEAD_VERBS) + ")")
_HOST_VERB_RE: Final = re.compile("(?:" + "|".join(vocab.HOST_VERBS) + ")")
_JOINS_BEFORE_RE: Final = re.compile(vocab.JOINS_BEFORE)
_TELLS_RE: Final = re.compile(vocab.TELLS_VERBS)
_NOT_PRESENT_BEFORE_RE: Final = re.compile(vocab.NOT_PRESENT_BEFORE)
_GUEST_BEFORE_RE: Final = re.compile("(?:" + "|".join(vocab.HOST_VERBS) + r")\s*$")  # a guest received
_STANDING_ROLE_RE: Final = re.compile(rf"(?:คณะ)?(?:อนุ)?กรรมการ\S*\s(?:ซึ่ง|(?:{_TITLE_PATTERN}))")
"""``เป็นประธานคณะกรรมการ`` then at once another person or ``ซึ่ง``: the committee a person chairs (his role,
told in a list of roles or a relative clause), not the meeting he presides (``เป็นประธานการประชุม...``,
``เป็นประธานคณะกรรมการ... ครั้งที่ 1/2566``)."""
_HOSTED_TALK_RE: Final = re.compile(vocab.HOSTED_TALK)
# characters between a position as cleaned and its ``ในฐานะประธาน`` (what cleaning cut off the position)
_CAPACITY_GAP: Final = 40
_POSITION_RE: Final = re.compile(
    r"\s(?P<position>(?:(?:"
    + "|".join(vocab.POSITION_HEADS)
    + r")\s(?:"
    + "|".join(vocab.POSITION_HEAD_CONTINUATIONS)
    + r")[^\s(]{0,80}|[^\s(]{2,80}(?:\s(?:และ|ในฐานะ)\S{2,80})?)"
    + r"(?:\s?\([^()\s]{2,12}\)(?=\s(?:"
    + "|".join(re.escape(word) for word in vocab.POSITION_MORE_STARTS)
    + r")))?"
    + r"(?:\s(?:และ\s?)?(?:"
    + "|".join(re.escape(word) for word in vocab.POSITION_MORE_STARTS)
    + r")[^\s(]{1,120}(?:\s?\([^()\s]{2,12}\))?"
    + r"|\s(?:"
    + "|".join(vocab.TEMPLE_RANKS)
    + r")(?![\u0e01-\u0e4e]))*"
    + rf"(?:\s{vocab.POSITION_ORDINAL})?)"
)
_LATE_CHAIR_VERB_RE: Final = re.compile(vocab.LATE_CHAIR_VERB)
_ORGANISATION_AFTER_RE: Final = re.compile(
    r"\s(?P<of>(?:" + "|".join(vocab.ORGANISATION_AFTER_POSITION) + r")[\u0e01-\u0e4e.]{2,60}"
    r"|(?:" + "|".join(vocab.HOUSES_OF_PARLIAMENT) + r")(?![\u0e01-\u0e4e])"
    r"|[\u0e01-\u0e2e]{1,6}\.(?:[\u0e01-\u0e2e]{1,4}\.)*(?![\u0e01-\u0e4e]))"  # or its abbreviation: สศช.
)
_MONK_NAME_RE: Final = re.compile(rf"(?:{'|'.join(vocab.MONASTIC_TITLE_PATTERNS)})[\u0e01-\u0e4e]+")


@dataclass(frozen=True)
class Chair:
    name: str
    position: str | None
    leads_less: bool = False
    """Found as the host who receives a delegation, or as the one whose position opens the headline of an
    event (``ผู้ว่าฯ ... มอบโล่``), not as one said to preside or lead a meeting: less sure to hand down
    orders."""
    guessed: bool = False
    """No one is said to preside, lead or host, nor named by the headline: the first person the opening
    names (not a spokesperson reporting), the issue's last resort. Said to the editor; weighs nothing for
    the lists."""

    @property
    def label(self) -> str:
        return f"{self.name} {self.position}" if self.position else self.name

    def first_name(self) -> str:
        """The given name without honorific (``นายประยูร`` → ``ประยูร``), also when the honorific is
        written apart (``พลเอก อนุพงษ์ เผ่าจินดา`` → ``อนุพงษ์``)."""
        title = re.match(rf"(?:(?:{_TITLE_PATTERN})\s?)+", self.name)
        rest = self.name[title.end() :] if title else self.name
        return rest.split(" ")[0]


def stated(chair: Chair | None) -> Chair | None:
    """The chair the article states: none for the last resort's guess, which is shown to the editor and
    never reasoned from (not for the lists, not for the body)."""
    return None if chair is None or chair.guessed else chair


_ANOTHER_PERSON_RE: Final = re.compile(rf"\s?และ\s?(?={_TITLE_PATTERN})")


def _clean_position(raw: str) -> str | None:
    position = _ANOTHER_PERSON_RE.split(raw.strip())[0]
    if position.startswith(vocab.POSITION_STOP_WORDS):  # ``NAME กล่าวว่า...``: no position written
        return None
    for stop in vocab.POSITION_STOP_WORDS:
        cut = position.find(stop, 2)
        if cut > 0:
            position = position[:cut]
    position = _CHAIR_VERB_RE.split(position)[0]
    position = _LEAD_VERB_RE.split(position)[0].strip()
    return position if len(position) >= 3 else None


_NAME_PART_RE: Final = re.compile(r"\s(?P<part>[\u0e01-\u0e4e]{2,30})(?=\s)")


def _person_with_position(text: str, match: re.Match[str]) -> Chair:
    """A person and the position written after the name. A third name (``ดร.วันดี กุญชรยาคง จุลเจริญ
    นายกสมาคม...``) belongs to the name when the word after it opens a position and it does not."""
    name = match.group("person").strip()
    end = match.end("person")
    monk = _MONK_NAME_RE.match(name)
    if monk:  # a monk's name is his title of rank and one word: what follows is his position
        name, end = monk.group(0), match.start("person") + monk.end()
    extra = _NAME_PART_RE.match(text, end)
    if extra and not extra.group("part").startswith(vocab.POSITION_STARTS):
        after = text[extra.end() :].lstrip()
        if after.startswith(vocab.POSITION_STARTS):
            name, end = f"{name} {extra.group('part')}", extra.end()
    position_match = _POSITION_RE.match(text, end)
    position = _clean_position(position_match.group("position")) if position_match else None
    if position and position_match and not any(org in position for org in vocab.ORGANISATION_AFTER_POSITION):
        of = _ORGANISATION_AFTER_RE.match(text, position_match.end())
        if of and position_match.group("position").strip() == position:
            position = f"{position} {of.group('of')}"
    return Chair(name, position)


_JOINED_BEFORE_RE: Final = re.compile(rf"(?:พร้อมด้วย|{vocab.ATTENDEE_LIST_SHORT}|และ)\s*$")
_PERIOD_RE: Final = re.compile(r"(?:โดยมี|เพื่อ|ซึ่ง|\n)")
"""What ends a list of people joined by พร้อมด้วย: another clause or paragraph."""
_ASSIGNED_BY_RE: Final = re.compile(r"ได้รับ(?:การ)?มอบหมาย(?:จาก)?\S{0,40}\s*\(?\s*$")
"""``NAME ได้รับมอบหมายจาก NAME2``, ``... จากปลัดกระทรวงเกษตรและสหกรณ์ (NAME2)``: NAME2 assigned, NAME acts."""


def _last_person_before(text: str, end: int, max_gap: int = 220) -> Chair | None:
    """The one named last before ``text[:end]`` (at most ``max_gap`` characters before), or the first of
    people joined to it: ``NAME พร้อมด้วย NAME2 เป็นประธาน`` and co-chairs ``NAME และ NAME2 เป็น
    ประธานร่วม`` are presided by the first named."""
    persons = list(_PERSON_RE.finditer(text, max(0, end - 600), end))
    if not persons or end - persons[-1].end() > max_gap:
        return None
    index = len(persons) - 1
    # ``NAME ได้รับมอบหมายจาก NAME2 เป็นประธาน``: NAME2 assigned, NAME presides.
    if index > 0 and _ASSIGNED_BY_RE.search(text[persons[index - 1].end() : persons[index].start()]):
        index -= 1
    while index > 0:
        between = text[persons[index - 1].end() : persons[index].start()]
        if len(between) > 250 or not _JOINED_BEFORE_RE.search(between):
            break
        index -= 1
    # ``NAME POSITION พร้อมด้วย NAME2 POSITION2 NAME3 POSITION3 เป็นประธาน``: a list of people joined to
    # the first named, written one after another: the first named presides.
    while index > 0:
        between = text[persons[index - 1].end() : persons[index].start()]
        joined = text.rfind("พร้อมด้วย", persons[0].start(), persons[index].start())
        if joined < 0 or len(between) > 250 or _PERIOD_RE.search(between):
            break
        first = max((i for i, p in enumerate(persons) if p.end() <= joined), default=None)
        if first is None or joined - persons[first].end() > 250:
            break
        index = first
    return _person_with_position(text, persons[index])


def _royal_before(text: str, verb: int) -> Chair | None:
    """``สมเด็จพระกนิษฐาธิราชเจ้า กรมสมเด็จพระเทพรัตนราชสุดาฯ สยามบรมราชกุมารี เสด็จเป็นองค์ประธาน...``: the royal
    named right before ``(เสด็จ)เป็นองค์ประธาน``, names and titles as written, no position."""
    presides = _ROYAL_PRESIDES_RE.search(text, max(0, verb - 40), verb + 20)
    if presides is None or presides.start() > verb:
        return None
    window = text[max(0, presides.start() - 200) : presides.start()]
    starts = [window.find(title) for title in vocab.ROYAL_TITLES if title in window]
    if not starts:
        return None
    at = min(starts)
    name = window[at:].strip()
    if "\n" in name or _PERSON_RE.search(name):  # another person named between: not the royal who presides
        return None
    # the opening sentence's subject, after its day or time (``เมื่อวันที่ 3 ธ.ค. 64 เวลา 17:00 น. สมเด็จพระ...``);
    # not a royal cited in a clause (``... เป็นความปลาบปลื้มของพวกเราที่ สมเด็จพระนางเจ้าฯ ... เสด็จ... เมื่อปี 2562``)
    before = window[max(0, at - 120) : at]
    if not _ROYAL_OPENING_RE.search(before) or before.rstrip().endswith("ที่"):
        return None
    name = name.split(" ทรง", 1)[0]
    return Chair(" ".join(name.split()), None)


_OFFICE_BEFORE_RE: Final = re.compile(
    r"(?:ที่|โดยมี|ซึ่งมี|ซึ่ง)\s?(?P<office>(?:"
    + "|".join(re.escape(word) for word in vocab.POSITION_STARTS)
    + r")[^\s(]{2,80})\s?$"
)


def _office_before(text: str, verb: int) -> str | None:
    """``... ได้ร่วมในการประชุม... ที่นายกรัฐมนตรีเป็นประธาน``: an office, not a name, right before the verb
    (after ที่, โดยมี, ซึ่ง): the one holding it presides, not whoever was named last."""
    found = _OFFICE_BEFORE_RE.search(text, max(0, verb - 100), verb)
    if found is None or _PERSON_RE.search(found.group("office")):
        return None
    return found.group("office")


def _holder_of(office: str, text: str) -> Chair | None:
    """The person the article names with that office (``น.ส.แพทองธาร ชินวัตร นายกรัฐมนตรี``), when one does."""
    wanted = canonical_position(office)
    for match in _PERSON_RE.finditer(text):
        person = _person_with_position(text, match)
        if person.position and canonical_position(person.position) == wanted:
            return person
    return None


def _resolve_reference(chair: Chair, text: str) -> Chair:
    """``นายภูมิธรรม เป็นประธาน`` after ``นายภูมิธรรม เวชยชัย รองนายกรัฐมนตรี...``: use the full mention; and
    ``NAME SURNAME เป็นประธาน`` with no position written there, the position another mention gives
    (``โอกาสนี้ NAME SURNAME ปลัดกระทรวงมหาดไทย ...``)."""
    if " " in chair.name and chair.position:
        return chair
    for match in _PERSON_RE.finditer(text):
        fuller = _person_with_position(text, match)
        if " " not in fuller.name or not fuller.name.startswith(chair.name):
            continue
        if " " not in chair.name or fuller.position:
            return fuller
    return chair


def canonical_position(text: str) -> str:
    """A position in one spelling, to compare two mentions: short forms written out (``ปลัด มท.``,
    ``รมว.มหาดไทย``, ``ผวจ.``), ministries by name without กระทรวง, no spaces."""
    text = "".join(text.split())
    for short, full in vocab.POSITION_SHORT_FORMS:
        text = text.replace(short, full)
    for full, short in vocab.ORGANISATIONS:
        text = text.replace(short, full)
    return text.replace("กระทรวง", "").replace("ฯ", "")


_DELEGATED_RE: Final = re.compile(vocab.DELEGATED_CHAIR)
_CEREMONY_RE: Final = re.compile(vocab.CEREMONY_NOT_MEETING)
_GUEST_OF_HONOUR_RE: Final = re.compile(vocab.GUEST_OF_HONOUR)
_PRESIDES_RE: Final = re.compile(r"เป็น(?:องค์)?ประธาน")
_HEADLINE_MEETS_RE: Final = re.compile("|".join(vocab.HEADLINE_LEAD_VERBS))
_HEADLINE_EVENT_RE: Final = re.compile(
    rf"^(?:(?!{vocab.HEADLINE_STATEMENT_VERBS}).)*?(?:" + "|".join(vocab.HEADLINE_EVENT_VERBS) + ")"
)
_HEADLINE_VERB_RE: Final = re.compile(r"(?:นำ|ร่วม|เป็น|เรียก)?(?:ประชุม|ประธาน)|นั่งหัวโต๊ะ|มอบ|สั่ง|เน้น|ย้ำ")


_STATEMENT_FIRST_RE: Final = re.compile(rf"(?:{vocab.HEADLINE_STATEMENT_VERBS})")
_QUOTED_HEAD_RE: Final = re.compile(r"^[\"“](?P<said>[\u0e01-\u0e4e.]{2,30})[\"”]\s*")


def _headline_leader(headline: str, people: list[Chair], verbs: re.Pattern[str]) -> Chair | None:
    """A headline that opens with a position (``ปลัดมหาดไทย นำประชุม...``, ``ผู้ว่าฯ กาฬสินธุ์ นำส่วนราชการ
    ประชุม...``, ``ผู้ว่าการ ยสท. ประชุมร่วมกับ...``) or with a given name in quotes (``“สมศักดิ์” ลงพื้นที่...``,
    ``"อนุทิน" ประชุม...``) and says a meeting was held (or, with the event verbs, that its holder did
    something at an event): the person the body names with that position (its first two words, else its
    first) or that given name, among the ``people`` the body names."""
    headline = headline.strip()
    quoted = _QUOTED_HEAD_RE.match(headline)
    if quoted:
        rest = headline[quoted.end() :]
        if _STATEMENT_FIRST_RE.match(rest) or not verbs.search(rest):
            return None
        said = quoted.group("said")
        named = next((chair for chair in people if chair.first_name() == said), None)
        if named is not None:
            return named
        headline = f"{said} {rest}"  # ``"ปลัดมหาดไทย" ...``: a position
    words = headline.split()
    opens_with_position = bool(words) and (
        words[0].startswith(vocab.POSITION_STARTS) or canonical_position(words[0]) != words[0]
    )
    if not opens_with_position or not verbs.search(headline):
        return None
    # ``ปลัดมหาดไทยนำประชุม...``: the position written tight against the verb
    tight = _HEADLINE_VERB_RE.search(words[0], 3)
    if tight:
        words = [words[0][: tight.start()]]
    for wanted in (" ".join(words[:2]), words[0]):
        canonical = canonical_position(wanted)
        for chair in people:
            if chair.position and canonical_position(chair.position).startswith(canonical):
                return chair
    return None


def _holds_capacity(text: str, chair: Chair, verb: int) -> bool:
    """``NAME POSITION ในฐานะประธาน...``: the capacity is said of the one named right before it (his
    position then the verb, nothing between), who is not a guest received nor the source of orders cited
    (``ตามข้อสั่งการของ NAME ... ในฐานะประธาน...``: his office, not this meeting)."""
    at = text.rfind(chair.name, 0, verb)
    if at < 0:
        return True
    if _NOT_PRESENT_BEFORE_RE.search(text, max(0, at - 30), at):
        return False
    end = at + len(chair.name)
    if chair.position:
        written = text.find(chair.position, end, verb)
        end = written + len(chair.position) if written >= 0 else end
    return len(text[end:verb].strip()) <= _CAPACITY_GAP


def _stands_aside(before: str) -> bool:
    """The one named at the end of ``before`` assigned another to act, or is a guest received."""
    return bool(_ASSIGNED_BY_RE.search(before) or _GUEST_BEFORE_RE.search(before))


def _attendees_start(text: str) -> int:
    """Where the first list of those who attend or come along starts in ``text`` (its length when none)."""
    found = _ATTENDEES_START_RE.search(text)
    return found.start() if found else len(text)


def _listed_attendee(text: str, chair: Chair, verb: int) -> bool:
    """``... มอบนโยบาย โดยมี NAME2 POSITION2 NAME3 ผู้ว่าราชการจังหวัด... ในฐานะประธานกรรมการการประปานครหลวง ...``:
    the capacity is said of one listed among those who attend, after others: his standing office (the board
    he chairs), not the meeting. The first named after ``โดยมี`` may still be the one presiding."""
    at = text.rfind(chair.name, 0, verb)
    if at < 0:
        return False
    paragraph = text.rfind("\n", 0, at) + 1
    starts = list(_ATTENDEES_START_RE.finditer(text, paragraph, at))
    return bool(starts) and _PERSON_RE.search(text, starts[-1].end(), at) is not None


def _first_to_lead(paragraph: str, hosts: bool) -> Chair | None:
    """The first person of the opening sentence followed by a verb of leading (of hosting, when ``hosts``)
    with no one else between (an attendee after ``โดยมี`` does not count; one joined by ``พร้อมด้วย``/``และ``,
    who assigned him or is his guest does not stand between)."""
    verbs = _HOST_VERB_RE if hosts else _LEAD_VERB_RE
    first = paragraph[:_OPENING_CHARS]
    attendees = _attendees_start(first)
    for person in _PERSON_RE.finditer(first, 0, attendees):
        if _stands_aside(first[: person.start()]):
            continue
        chair = _person_with_position(first, person)
        # the verb is looked for in the 160 characters after the position, however long it is written
        after = first[person.end() : person.end() + 160 + len(chair.position or "")]
        # ``NAME POSITION พร้อมด้วย NAME2 ... ประชุม``: the first named leads, the others join (the list
        # of those who join may be long: the verb is looked for after it, to the opening's end);
        # and co-leads ``NAME POSITION และ NAME2 POSITION มอบแนวทาง``: the first named
        joined = _attendees_start(after)
        if joined < len(after):
            after = first[person.end() :]
        lead = verbs.search(after)
        if lead and _JOINS_BEFORE_RE.search(after, 0, lead.start()):  # a delegate joins, does not lead
            continue
        if lead and _TELLS_RE.search(after, 0, lead.start()):  # he tells of it: the verb is in his words
            continue
        if lead and hosts:  # a host leads a talk or a meeting, not a visit
            talk_from = person.end() + lead.end()
            if not _HOSTED_TALK_RE.search(paragraph, talk_from, talk_from + 400):
                continue
        others = [
            other
            for other in _PERSON_RE.finditer(after, 0, min(lead.start(), joined) if lead else 0)
            if not _JOINED_BEFORE_RE.search(after[: other.start()])
            and not _stands_aside(after[: other.start()])
        ]
        if lead and not others and "เปิดเผย" not in lead.group(0):
            return replace(chair, leads_less=True) if hosts else chair
    return None


_MEETING_AFTER_VERB_RE: Final = re.compile(r"\s?(?:ใน)?(?:การ)?ประชุม")


def _presides_meeting(text: str, verb: re.Match[str]) -> bool:
    presides = _PRESIDES_RE.search(verb.group(0)) is not None
    return presides and _MEETING_AFTER_VERB_RE.match(text, verb.end()) is not None


def find_chair(paragraphs: tuple[str, ...], headline: str = "") -> Chair | None:
    """The person presiding: ``NAME POSITION เป็นประธาน`` (or ``ในฐานะประธาน...``, ``ประธานที่ประชุม``,
    ``นั่งหัวโต๊ะ``) in the opening paragraphs (the one assigned, when the committee's chair delegates:
    ``มอบหมายให้ NAME เป็นประธาน``), else the first person who leads the meeting in the opening
    sentence (not one of the attendees after ``โดยมี``); else, in a later paragraph, the one who
    ``เป็นประธานการประชุม`` (an article that opens with a visit); else the one whose position opens the
    headline before a meeting verb (``ปลัดมหาดไทย นำประชุม...``), else before a verb of doing something
    at an event (``ผู้ว่าฯ เชียงราย มอบโล่...``)."""
    opening = "\n".join(paragraphs[:4])[:6000]
    # who presides over a meeting before who presides over a ceremony told first (``... เป็นประธานในพิธีเปิด
    # การฝึกอบรม ... ต่อมา ... พล.ต.อ. NAME ... เป็นประธานการประชุม ...``)
    verbs = sorted(_CHAIR_VERB_RE.finditer(opening), key=lambda verb: not _presides_meeting(opening, verb))
    for verb in verbs:
        if _CEREMONY_RE.match(opening, verb.end()) and _GUEST_OF_HONOUR_RE.search(
            opening, max(0, verb.start() - 15), verb.start()
        ):
            continue
        presides = _PRESIDES_RE.search(verb.group(0)) is not None
        if presides and _STANDING_ROLE_RE.match(opening, verb.end()):
            continue  # ``โดยมี NAME เป็นประธานคณะกรรมการ NAME2 ...``: who chairs what, a list of roles
        if _DELEGATED_RE.search(opening, verb.end(), verb.end() + 300) and not presides:
            continue
        close_only = not presides
        royal = _royal_before(opening, verb.start()) if "องค์" in verb.group(0) else None
        if royal is not None:
            return royal
        office = _office_before(opening, verb.start()) if presides else None
        if office is not None:  # the holder of an office presides: named elsewhere, or not at all
            holder = _holder_of(office, "\n".join(paragraphs)[:20_000])
            if holder is None:
                continue
            return holder
        chair = _last_person_before(opening, verb.start(), 160 if close_only else 220)
        if chair is not None and close_only and not _holds_capacity(opening, chair, verb.start()):
            continue
        if chair is not None and close_only and _listed_attendee(opening, chair, verb.start()):
            continue
        if chair is not None:
            return _resolve_reference(chair, opening)
    # the opening sentence: the first paragraph naming someone (a summary under the headline names no one)
    first = next(
        (p for p in paragraphs[:3] if _PERSON_RE.search(p, 0, _OPENING_CHARS)),
        paragraphs[0] if paragraphs else "",
    )
    for hosts in (False, True):  # who leads; else who hosts
        chair = _first_to_lead(first, hosts)
        if chair is not None:
            return chair
    for paragraph in paragraphs[4:]:
        for verb in _LATE_CHAIR_VERB_RE.finditer(paragraph):
            chair = _last_person_before(paragraph, verb.start())
            if chair is not None:
                return _resolve_reference(chair, paragraph)
    if headline:
        text = "\n".join(paragraphs)[:6000]
        people = [_person_with_position(text, person) for person in _PERSON_RE.finditer(text)]
        chair = _headline_leader(headline, people, _HEADLINE_MEETS_RE)
        if chair is not None:
            return chair
        chair = _headline_leader(headline, people, _HEADLINE_EVENT_RE)
        if chair is not None:
            return replace(chair, leads_less=True)
    return _first_named(first)


def _first_named(opening: str) -> Chair | None:
    """The first person the opening sentence names with a position, when nothing says who presides, leads
    or hosts: not one who assigned another or is a guest, not a spokesperson or a reporter telling of it
    (``โฆษก...``), nor a spouse (``ภริยา...``)."""
    first = opening[:_OPENING_CHARS]
    for person in _PERSON_RE.finditer(first):
        if _stands_aside(first[: person.start()]):
            continue
        chair = _person_with_position(first, person)
        position = chair.position or ""
        if not position.startswith(vocab.POSITION_STARTS) or any(
            word in position for word in vocab.NOT_A_LEADER_POSITIONS
        ):
            continue  # no position written (a verb read as one), or one who reports or accompanies
        return replace(chair, guessed=True)
    return None


# --- Body -------------------------------------------------------------------------------------------

_COMMITTEE_RE: Final = re.compile(
    "".join(f"(?<!{place})" for place in vocab.MEETING_PLACE_BEFORE)
    + r"ประชุม(?:ใหญ่)?(?:สามัญ|วิสามัญ|เชิงปฏิบัติการ)?\s?(?P<name>(?:"
    + "|".join(vocab.BODY_KINDS)
    + r")[^\n]{2,220})"
)
_NAME_STOP_RE: Final = re.compile(r"ครั้งที่|\(|[“”\"]|,|\s(?:" + "|".join(vocab.BODY_NAME_STOPS) + r")")
_ABBREVIATION_RE: Final = re.compile(
    r"\s?\((?P<abbr>[\u0e01-\u0e2e]{1,6}\.(?:[\u0e01-\u0e2e]{1,4}\.?)*(?:\s?(?:จังหวัด)?[\u0e01-\u0e4e]{2,20})?)\)"
)
"""``(ศปถ.)``, ``(ก.ท.จ.)``, and with the province it serves written after it (``(ศจพ.จ.สงขลา)``,
``(พชจ.อุดรธานี)``, ``(ศปถ.จังหวัดนครสวรรค์)``): a committee's abbreviation as the article gives it."""
_MEETING_ABBREVIATION_RE: Final = re.compile(
    "".join(f"(?<!{place})" for place in vocab.MEETING_PLACE_BEFORE)
    + r"ประชุม\s?(?P<abbr>[\u0e01-\u0e2e]{1,6}\.(?:[\u0e01-\u0e2e]{1,4}\.)*"
    + r"(?:(?<=จ\.)[\u0e01-\u0e4e]{2,20}|จังหวัด[\u0e01-\u0e4e]{2,20})?)(?![\u0e01-\u0e4e])"
)
"""``ประชุม ครม.``, ``ประชุม ศบค.มท.``, and a provincial committee's with its province
(``ประชุม ก.ท.จ.ลำปาง``)."""
_BACK_REFERENCE_RE: Final = re.compile("(?:" + "|".join(vocab.BODY_KINDS) + ")ฯ")
"""``คณะกรรมการฯ``, ``คณะทำงานฯ``: the body named before (ฯ shortens a name already given)."""
_NAMED_BODY_RE: Final = re.compile(
    "(?:" + "|".join(vocab.BODY_KINDS) + r")[^\n()]{2,160}?" + _ABBREVIATION_RE.pattern
)
"""A body named anywhere with its abbreviation (``คณะกรรมการส่งเสริมการจัดการศึกษาท้องถิ่น (ก.ศ.ท.) ประชุม...``)."""
_VENUE_BEFORE_RE: Final = re.compile(vocab.VENUE_BEFORE_CITY)
_ASSOCIATION_RE: Final = re.compile(r"(?:สมาคม|มูลนิธิ)[\u0e01-\u0e4e]+")
_ATTENDEES_RE: Final = re.compile(r"\s(?:" + "|".join(vocab.ATTENDEE_LIST_STARTS) + ")")


def _prepared_for(text: str, meeting: int) -> bool:
    """The word ประชุม at ``meeting`` names a meeting still to be held or prepared for, or the one that keeps
    someone away (``ติดภารกิจเข้าร่วมการประชุม...``)."""
    if vocab.BUSY_ELSEWHERE_BEFORE in text[max(0, meeting - 40) : meeting]:
        return True
    return any(cue in text[max(0, meeting - 30) : meeting] for cue in vocab.PREPARED_MEETING_BEFORE)


def _committee(text: str) -> tuple[str, str | None] | None:
    """``การประชุมคณะกรรมการ... (ABBR)``: the committee's name, and its abbreviation when given."""
    match = next((m for m in _COMMITTEE_RE.finditer(text) if not _prepared_for(text, m.start())), None)
    if match is None:
        return None
    raw = match.group("name")
    stop = _NAME_STOP_RE.search(raw)
    name = raw[: stop.start()].strip() if stop else raw.strip()
    abbreviation = _ABBREVIATION_RE.match(text, match.start("name") + len(name))
    return name, abbreviation.group("abbr") if abbreviation else None


def _abbreviation_elsewhere(name: str, text: str) -> str | None:
    """A committee named in full where it meets, whose abbreviation is given at another mention (the
    headline's ``ศูนย์อำนวยการความปลอดภัยทางถนน (ศปถ.)`` for ``การประชุมคณะกรรมการศูนย์อำนวยการ...``, the chair's
    ``ในฐานะประธานอนุกรรมการ... (อพศ.)`` for ``คณะอนุกรรมการ...``): the name, the body it is the committee
    of, or the name without คณะ, followed by ``(ABBR)`` anywhere in ``text``."""
    names = [name] + [
        name[len(kind) :]
        for kind in vocab.BODY_KINDS
        if name.startswith(kind) and name[len(kind) :].startswith(vocab.BODY_KINDS)
    ]
    # ``ในฐานะประธานกรรมการขับเคลื่อน... (พชจ.เชียงราย)`` for ``การประชุมคณะกรรมการขับเคลื่อน...``: its members' title
    names += [name[len("คณะ") :]] if name.startswith("คณะ") and len(name) > 20 else []
    for candidate in names:
        for at in (m.end() for m in re.finditer(re.escape(candidate), text)):
            abbreviation = _ABBREVIATION_RE.match(text, at)
            if abbreviation:
                return abbreviation.group("abbr")
    return None


def _organisation_in(text: str, names: tuple[tuple[str, str], ...], places: bool = False) -> str | None:
    """The short name of the first organisation of ``names`` named in ``text``; with ``places``, not a
    city named as where something is (``ณ โรงแรม... แจ้งวัฒนะ กรุงเทพมหานคร``: the venue, not its council)."""
    best: tuple[int, str] | None = None
    for full, short in names:
        at = text.find(full)
        while (
            places and at >= 0 and full in vocab.CITY_ORGANISATIONS and _VENUE_BEFORE_RE.search(text, 0, at)
        ):
            at = text.find(full, at + len(full))
        if at >= 0 and (best is None or at < best[0]):
            best = (at, short)
    return best[1] if best else None


def find_body(paragraphs: tuple[str, ...], headline: str, chair: Chair | None) -> str | None:
    """The organisation whose meeting it is (สถ., มท., ครม., a committee, a provincial committee...):

    1. the committee, board, centre or association named after ประชุม in the opening, by its
       abbreviation when the article gives one (``คณะกรรมการ... (ก.น.บ.)``), in the body then the headline;
    2. else an abbreviation after ประชุม in the headline (``นายกฯ ประชุม ศบค.``), not a meeting being
       prepared for;
    3. else an association named with the meeting or in the chair's position (``นายกสมาคม...``);
    4. else the ministry or department the meeting is of (``การประชุม...ของกระทรวงมหาดไทย``), the one in
       the chair's position (``รมว.มหาดไทย``), the first one the opening names.
    A meeting still to be held or prepared for (``เร่งประชุมคณะกรรมการ...``) is not this one.
    """
    opening = "\n".join(paragraphs[:2])[:3000]
    found = _committee(opening) or _committee(headline)
    if found and _BACK_REFERENCE_RE.match(found[0]):  # ``คณะกรรมการฯ``: the one named before, in the headline
        named = _NAMED_BODY_RE.search(headline)
        found = (found[0], named.group("abbr")) if named else found
    if found and not found[1]:
        found = (found[0], _abbreviation_elsewhere(found[0], headline + "\n" + opening))
    if found and found[1]:
        return found[1]
    # an abbreviation right after ประชุม: in the headline (``นายกฯ ประชุม ศบค.``), else in the opening
    # (``ที่ประชุม ครม. (8 มี.ค. 65) มีมติ...``)
    for text in (headline, opening):
        abbreviation = _MEETING_ABBREVIATION_RE.search(text)
        if abbreviation and not _prepared_for(text, abbreviation.start()):
            return abbreviation.group("abbr")
    if found:
        return found[0]
    meeting = opening.find("ประชุม")
    meeting_phrase = opening[meeting : meeting + 200] if meeting >= 0 else ""
    chair = stated(chair)
    position = chair.position if chair and chair.position else ""
    association = _ASSOCIATION_RE.search(meeting_phrase) or _ASSOCIATION_RE.search(position)
    if association:
        return association.group(0)
    return (
        _organisation_in(_ATTENDEES_RE.split(meeting_phrase, 1)[0], vocab.ORGANISATIONS, places=True)
        or _organisation_in(position, vocab.ORGANISATIONS + vocab.ORGANISATION_ALIASES)
        or _organisation_in(opening, vocab.ORGANISATIONS, places=True)
    )
