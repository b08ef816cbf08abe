"""The deadline a directive's own text states, as a date.

Read inside one directive's text only (never across items): the first of

- ``ภายในวันที่ 30 กันยายน 2565``, ``ภายใน 31 ม.ค. 64``, ``ก่อนวันที่ 15 พ.ค. 68``, ``ไม่เกินวันที่ ...``:
  that day (without a year, ``ภายในวันที่ 20 กรกฎาคมนี้``: the first such day on or after the meeting);
- ``ภายในเดือนเมษายน``, ``ภายในเดือน ม.ค.64``, ``ภายในสิ้นเดือนธันวาคม 2567``: the last day of the month
  (without a year: the first such month on or after the meeting);
- ``ภายในสิ้นเดือนนี้``, ``ภายในเดือนนี้``: the last day of the meeting's month;
- ``ภายในปีงบประมาณ พ.ศ. 2568``, ``ภายในปีงบประมาณนี้``: 30 September, the end of the Thai fiscal year
  (2568 runs from October 2024 to September 2025; without a year: the meeting's fiscal year).

A target year (``ภายในปี 2573``) is a goal, not a deadline: None.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Final

from bot import thai

_YEAR: Final = r"(?:พ\.?\s?ศ\.?\s*)?(?P<year>[\d๐-๙]{4}|[\d๐-๙]{2})(?![\d๐-๙])"
_DAY_CUE_RE: Final = re.compile(r"(?:ภายใน|ก่อน|ไม่เกิน)\s?(?:วันที่\s?)?(?=[\d๐-๙])")
_MONTH_RE: Final = re.compile(rf"ภายใน(?:สิ้น)?เดือน\s?(?P<month>{thai.MONTH_NAME_PATTERN})\.?\s?(?:{_YEAR})?")
_THIS_MONTH_RE: Final = re.compile(r"ภายใน(?:สิ้น)?เดือนนี้")
_FISCAL_RE: Final = re.compile(rf"ภายใน(?:สิ้น)?ปีงบประมาณ\s?(?:{_YEAR}|(?P<this>นี้))")
_DAY_WINDOW: Final = 4
"""The date must start right after its cue (a few characters of spacing at most)."""


def _fiscal_year_end(fiscal_year_ce: int) -> dt.date:
    return dt.date(fiscal_year_ce, 9, 30)


def _day(text: str, meeting_date: dt.date | None) -> tuple[int, dt.date] | None:
    default_year = meeting_date.year if meeting_date else None
    for cue in _DAY_CUE_RE.finditer(text):
        for found in thai.find_dates(text[cue.end() : cue.end() + 40], default_year=default_year):
            if found.start > _DAY_WINDOW:
                break
            if meeting_date is not None and not found.has_year and found.date < meeting_date:
                return cue.start(), _next_years(found.date)  # ``ภายในวันที่ 15 มกราคมนี้`` said in December
            return cue.start(), found.date
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _next_years(date: dt.date) -> dt.date:
    return date.replace(year=date.year + 1, day=min(date.day, _month_end(date.year + 1, date.month).day))


def _month(text: str, meeting_date: dt.date | None) -> tuple[int, dt.date] | None:
    match = _MONTH_RE.search(text)
    if match is None:
        return None
    month = thai.month_number(match.group("month"))
    if month is None:
        return None
    if match.group("year"):
        year = thai.year_to_ce(match.group("year"))
    elif meeting_date is not None:
        year = meeting_date.year + (1 if month < meeting_date.month else 0)
    else:
        return None
    if year is None:
        return None
    return match.start(), _month_end(year, month)


def _this_month(text: str, meeting_date: dt.date | None) -> tuple[int, dt.date] | None:
    match = _THIS_MONTH_RE.search(text)
    if match is None or meeting_date is None:
        return None
    return match.start(), _month_end(meeting_date.year, meeting_date.month)


def _fiscal(text: str, meeting_date: dt.date | None) -> tuple[int, dt.date] | None:
    match = _FISCAL_RE.search(text)
    if match is None:
        return None
    if match.group("year"):
        year = thai.year_to_ce(match.group("year"))
    elif meeting_date is not None:
        year = meeting_date.year + (1 if meeting_date.month >= 10 else 0)
    else:
        return None
    return (match.start(), _fiscal_year_end(year)) if year else None


def find_deadline(text: str, meeting_date: dt.date | None = None) -> dt.date | None:
    """The first deadline ``text`` states (see the module docstring), or None."""
    found = [
        reading
        for reading in (
            _day(text, meeting_date),
            _month(text, meeting_date),
            _this_month(text, meeting_date),
            _fiscal(text, meeting_date),
        )
        if reading
    ]
    return min(found)[1] if found else None
