"""Understanding officials' questions before the matchers: periods of time, phrases made of known words
(small talk, contact, "ดูเพิ่ม"), offices that chair meetings, ordinals that refer to a list, question
words and the passage of a directive that answers them, and typos in command words. Pure: no
database, no LINE, no clock (a period is resolved against the day the caller gives).

The words are data (handlers/data/queries.yaml); the rules here say which Thai usage each handles.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from bot import thai

QUERIES_FILE: Final = Path(__file__).resolve().parent / "data" / "queries.yaml"

Unit = Literal["day", "week", "month", "year", "fiscal_year"]


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """PyThaiNLP's words of a short text, cached: every matcher of one message asks for the same."""
    return tuple(thai.segment(text))


# --- periods of time -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A period an official names, as typed: relative to today (`back` units ago) or absolute (a month
    with or without its year, a year, a day). `span` resolves it against a day."""

    unit: Unit
    back: int | None = None
    day: dt.date | None = None
    month: int | None = None
    year: int | None = None  # Gregorian

    def span(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """First day, and the day after the last."""
        if self.unit == "day":
            day = self.day or today - dt.timedelta(days=self.back or 0)
            return day, day + dt.timedelta(days=1)
        if self.unit == "week":  # Monday to Sunday, as Thai offices count a working week
            monday = today - dt.timedelta(days=today.weekday() + 7 * (self.back or 0))
            return monday, monday + dt.timedelta(days=7)
        if self.unit == "year":
            year = self.year if self.year is not None else today.year - (self.back or 0)
            return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        if self.unit == "fiscal_year":  # the government's: 1 October of the year before to 30 September
            year = self.year if self.year is not None else today.year + (today.month >= 10) - (self.back or 0)
            return dt.date(year - 1, 10, 1), dt.date(year, 10, 1)
        year, month = self._year_month(today)
        return dt.date(year, month, 1), dt.date(
            year, month, calendar.monthrange(year, month)[1]
        ) + dt.timedelta(days=1)

    def _year_month(self, today: dt.date) -> tuple[int, int]:
        if self.month is None:  # relative: this month, last month
            index = today.year * 12 + today.month - 1 - (self.back or 0)
            return index // 12, index % 12 + 1
        if self.year is not None:
            return self.year, self.month
        # A month without a year is the last one of that name, this one included: in July "ตุลาคม"
        # is last October, "กรกฎาคม" this July.
        return (today.year if self.month <= today.month else today.year - 1), self.month

    def label(self, today: dt.date) -> str:
        """In Thai, with the Buddhist-Era year: "เดือนมิถุนายน 2568", "ปี 2568", "วันที่ 19 กรกฎาคม 2568"."""
        start, end = self.span(today)
        if self.unit == "day":
            return f"วันที่ {thai.format_thai_date(start)}"
        if self.unit == "week":
            last = end - dt.timedelta(days=1)
            return f"สัปดาห์ {thai.format_thai_date(start)} – {thai.format_thai_date(last)}"
        if self.unit == "year":
            return f"ปี {thai.ce_to_be(start.year)}"
        if self.unit == "fiscal_year":
            return f"ปีงบประมาณ {thai.ce_to_be(end.year)}"
        return f"เดือน{thai.THAI_MONTHS[start.month - 1].full} {thai.ce_to_be(start.year)}"


_YEAR = r"(?:\s*(?:พ\.?\s?ศ\.?|ปี)?\s*(?P<year>\d{4}|\d{2})(?![\d/]))?"
# A month by name, full or short, dotted or not ("ตุลาคม", "ต.ค.", "ตค", "ตุลา"), not the start of a
# longer word ("ตุลาการ"), with a 2- or 4-digit BE year or none ("ม.ค.66", "มกราคม 2566").
_MONTH_RE: Final = re.compile(
    rf"(?:เดือน\s*)?(?P<month>{thai.MONTH_NAME_PATTERN})(?![\u0e01-\u0e2e\u0e30-\u0e4e]){_YEAR}"
)
# A month by its number after the word month: "เดือน 7/66", "เดือน 07/2566" (without เดือน, "3/66"
# is a meeting's number).
_NUMBERED_MONTH_RE: Final = re.compile(r"เดือน\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4}|\d{2})(?![\d/])")
# A fiscal year: "ปีงบ 68", "ปีงบประมาณ พ.ศ. 2568".
_FISCAL_YEAR_RE: Final = re.compile(r"ปีงบ(?:ประมาณ)?\s*(?:พ\.?\s?ศ\.?)?\s*(?P<year>\d{4}|\d{2})(?![\d/])")
# A year alone: "ปี 2566", "ปี 66", "พ.ศ. 2567".
_YEAR_RE: Final = re.compile(r"(?:ปี|พ\.?\s?ศ\.?)\s*(?P<year>\d{4}|\d{2})(?![\d/])")


@functools.cache
def _relative_phrases() -> list[tuple[re.Pattern[str], Unit, int]]:
    phrases = [(say, row["unit"], int(row["back"])) for row in _data()["relative_time"] for say in row["say"]]
    phrases.sort(key=lambda item: -len(item[0]))  # "เมื่อวานซืน" before "เมื่อวาน"
    return [(re.compile(re.escape(say)), unit, back) for say, unit, back in phrases]


def _year(written: str | None) -> int | None:
    return None if not written else thai.year_to_ce(written)


def find_period(text: str) -> tuple[Period, str] | None:
    """The period a question names, and the question without it; None if it names none.

    Handles: relative days, months and years ("เมื่อวาน", "เดือนที่แล้ว", "ปีนี้", from the data file);
    a dated day ("18 ก.ค. 66", "18/07/2566", via bot.thai); a month by name with or without a year;
    a year alone. Thai digits are expected already converted (`normalize_text`)."""
    for pattern, unit, back in _relative_phrases():
        found = pattern.search(text)
        if found:
            return Period(unit, back=back), _without(text, found)
    for date in thai.find_dates(text):
        if date.has_year:
            return Period("day", day=date.date), text[: date.start] + " " + text[date.end :]
    numbered = _NUMBERED_MONTH_RE.search(text)
    if numbered and 1 <= int(numbered["month"]) <= 12:
        period = Period("month", month=int(numbered["month"]), year=_year(numbered["year"]))
        return period, _without(text, numbered)
    fiscal = _FISCAL_YEAR_RE.search(text)
    if fiscal:
        return Period("fiscal_year", year=_year(fiscal["year"])), _without(text, fiscal)
    found_month = _MONTH_RE.search(text)
    if found_month:
        month = thai.month_number(found_month["month"])
        if month is not None:
            return Period("month", month=month, year=_year(found_month["year"])), _without(text, found_month)
    found_year = _YEAR_RE.search(text)
    if found_year:
        return Period("year", year=_year(found_year["year"])), _without(text, found_year)
    return None


def _without(text: str, found: re.Match[str]) -> str:
    return (text[: found.start()] + " " + text[found.end() :]).strip()


def only_words_of(text: str, allowed: Iterable[str]) -> bool:
    """Whether every PyThaiNLP word of `text` is one of `allowed` (an empty text is). Emoji,
    punctuation and the repetition mark ๆ ("ใหม่ๆ", "ขอบคุณครับ 🙏") are no words."""
    words = set(allowed)
    return all(word in words for word in tokens(text.replace("ๆ", " ")) if _is_word(word))


def _is_word(token: str) -> bool:
    return any(char.isalnum() for char in token)


def period_question(text: str) -> Period | None:
    """A question about a period and nothing else: "ข้อสั่งการเดือนนี้", "ประชุม มี.ค.66 มีไรบ้าง",
    "ปีที่แล้วสั่งอะไรไว้บ้าง". Words besides the period must be the frame of such a question (meetings,
    directives, question words, polite filler): "ข้อสั่งการปีใหม่" or "น้ำท่วมเดือนนี้" are not."""
    found = find_period(text)
    if found is None:
        return None
    period, rest = found
    return period if only_words_of(rest, _data()["period_frame"]) else None


def names_meetings(text: str) -> bool:
    """Whether a question says it is about meetings or directives ("ข้อสั่งการเดือนนี้"), not only
    about a period ("เมื่อวานมีอะไรบ้าง", which members of a group also ask each other)."""
    words = set(_data()["meeting_words"])
    return any(word in words for word in tokens(text))


# --- phrases made of known words: greetings, thanks, what is new --------------------------------------


def is_phrase(text: str, kind: str) -> bool:
    """Whether the text is small talk of `kind` (a list in the data file): one of its key phrases, and
    otherwise only its companion words and polite particles. "ปีใหม่" in "ข้อสั่งการปีใหม่" is not
    "ใหม่": "ข้อสั่งการ" is no companion of asking what is new. Keys, and companions PyThaiNLP cuts
    in pieces ("หวัด|ดี", "ส|ถ."), are matched as written."""
    keys, written, companions = _phrase(kind)
    if not keys.search(text):
        return False
    rest = written.sub(" ", keys.sub(" ", text)) if written.pattern else keys.sub(" ", text)
    return only_words_of(rest, companions)


@functools.cache
def _phrase(kind: str) -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    phrase = _data()[kind]
    companions = [str(word).lower() for word in (*phrase["with"], *_data()["particles"])]
    written = [word for word in companions if len(tokens(word)) > 1]
    return _alternatives(phrase["key"]), _alternatives(written), frozenset(companions)


def _alternatives(words: Iterable[str]) -> re.Pattern[str]:
    """Any of the words, the longest first."""
    ordered = sorted((str(word).lower() for word in words), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered))


# --- who chaired: "นายกสั่งอะไรบ้าง", "มท.1 ว่าไง", "อธิบดีสั่งเรื่องอะไร" ----------------------------------


@dataclass(frozen=True)
class Chair:
    """An office that chairs meetings: its title as the meeting's `chair` text writes it."""

    title: str
    not_after: tuple[str, ...] = ()

    def chaired(self, chair: str | None) -> bool:
        """Whether a meeting's chair text holds this office ("รองนายกรัฐมนตรี" is not "นายกรัฐมนตรี")."""
        if not chair:
            return False
        for found in re.finditer(re.escape(self.title), chair):
            if not any(chair[: found.start()].endswith(word) for word in self.not_after):
                return True
        return False


@functools.cache
def _chair_sayings() -> tuple[re.Pattern[str], dict[str, Chair]]:
    by_saying: dict[str, Chair] = {}
    for row in _data()["chairs"]:
        chair = Chair(str(row["title"]), tuple(row.get("not_after") or ()))
        for say in row["say"]:
            by_saying[str(say).lower()] = chair  # compared with text through `normalize_text`
    keys = sorted(by_saying, key=len, reverse=True)  # "นายกรัฐมนตรี" before "นายก"
    return re.compile("|".join(re.escape(key) for key in keys)), by_saying


def chair_question(text: str) -> Chair | None:
    """A question about what a chair ordered, and nothing else: "นายกสั่งอะไรบ้าง", "ปลัดมหาดไทยสั่ง
    อะไรไว้บ้าง". "นายกเทศมนตรี" or "นายก อบต." are other offices: their rest is no frame word."""
    pattern, by_saying = _chair_sayings()
    found = pattern.search(text)
    if found is None:
        return None
    rest = _without(text, found)
    return by_saying[found.group(0)] if only_words_of(rest, _data()["chair_frame"]) else None


# --- ordinals: "ข้อ 3", "ข้อสาม", "อันที่สอง", "อ่านต่อข้อแรก", "ข้อสุดท้าย" -------------------------------

LAST: Final = -1

_ORDINAL_RE: Final = re.compile(
    r"(?:อ่าน(?:ต่อ)?|ขอ(?:ดู)?(?:รายละเอียด)?|ดู|เปิด|รายละเอียด)?\s*(?:ข้อ|อัน|รายการ|เรื่อง)\s*(?:ที่)?"
    r"\s*(?P<n>\S+?)\s*(?:ต่อ|นะ)*"
)
_FIRST_LAST: Final = {"แรก": 1, "สุดท้าย": LAST, "ท้าย": LAST, "ท้ายสุด": LAST, "หลังสุด": LAST}


def ordinal(text: str) -> int | None:
    """The position a follow-up asks for (1 is the first, LAST the last), in digits or in Thai words."""
    found = _ORDINAL_RE.fullmatch(text)
    if found is None:
        return None
    written = found["n"]
    if written.isdigit():
        return int(written) if 0 < int(written) <= 99 else None
    if written in _FIRST_LAST:
        return _FIRST_LAST[written]
    try:
        from pythainlp.util import thaiword_to_num

        number = int(thaiword_to_num(written))
    except (ValueError, TypeError):
        return None
    return number if 0 < number <= 99 else None


# --- typos in command words ------------------------------------------------------------------------------


def _distance(a: str, b: str) -> int:
    """Edit distance with swaps of two neighbours (optimal string alignment), on Thai characters, so a
    tone mark typed before its consonant counts one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


MAX_TYPO_TEXT: Final = 60


# Which reading of a typo to try first: a letter wrong (same length), one left out, one too many. The
# first reading that means something wins, so "ข้อสั่งกาเดือนนี้" (ร left out) is not read as
# "ข้อสั่งการ" + "ดือนนี้" (the เ taken for the ร).
_TYPO_READINGS: Final = ((0, -1, 1), (-1, 0, 1), (1, 0, -1))


def corrections(text: str, words: Sequence[str] | None = None) -> list[str]:
    """The text with command words typed one edit off written right, each distinct reading once:
    "ข้อสังการ" → "ข้อสั่งการ", "ปะชุม" → "ประชุม", "ล่าสดุ" → "ล่าสุด", and a key held too long
    ("ล่าสุดด"). Only for short texts: a command is short, and a topic is never corrected (the caller
    tries these only when nothing matched as typed)."""
    if len(text) > MAX_TYPO_TEXT:
        return [text]
    commands = sorted(words if words is not None else _data()["command_words"], key=len, reverse=True)
    readings = (_corrected(text, commands, order) for order in _TYPO_READINGS)
    return list(dict.fromkeys(readings))


def corrected(text: str, words: Sequence[str] | None = None) -> str:
    """The first reading of `corrections`."""
    return corrections(text, words)[0]


def _corrected(text: str, commands: Sequence[str], order: Sequence[int]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        replaced = _command_at(text, i, commands, order)
        if replaced is None:
            out.append(text[i])
            i += 1
            continue
        word, length = replaced
        out.append(word)
        i += length
    return "".join(out)


def _command_at(text: str, i: int, commands: Sequence[str], order: Sequence[int]) -> tuple[str, int] | None:
    """The command word written at text[i:], and how many characters it takes there."""
    for word in commands:
        if text.startswith(word, i):
            length = len(word)
            while i + length < len(text) and text[i + length] == word[-1]:
                length += 1  # "ล่าสุดด": the last letter pressed twice
            return word, length
    for word in commands:
        if len(word) < 5:
            continue  # one edit from a short word is too often another word
        for length in (len(word) + change for change in order):
            window = text[i : i + length]
            if len(window) == length and window[0] == word[0] and _distance(window, word) == 1:
                return word, length
    return None


# --- question words: "เมื่อไหร่" asks for a date, "ต้องทำยังไง" for the action ------------------------------

QuestionKind = Literal["when", "how"]
PASSAGE_CHARS: Final = 200


@functools.cache
def _question_words() -> dict[QuestionKind, re.Pattern[str]]:
    asks = _data()["question_words"]
    return {"when": _alternatives(asks["when"]), "how": _alternatives(asks["how"])}


def question_kind(text: str) -> tuple[QuestionKind | None, str]:
    """What a topic question asks for: a date or period ("ส่งเมื่อไหร่", "ภายในวันไหน", "กำหนดส่ง"), or
    the action ("ต้องทำยังไง", "ต้องดำเนินการอย่างไร"), None for a plain topic; and the topic without
    the question words."""
    for kind, pattern in _question_words().items():
        if pattern.search(text):
            return kind, re.sub(r"\s+", " ", pattern.sub(" ", text)).strip()
    return None, text


# A space between two Thai letters ends a clause in Thai writing; one next to a digit or a dot does
# not ("พ.ศ. 2565", "ภาคเรียนที่ 2").
_CLAUSE_BREAK: Final = re.compile(r"(?<=[\u0e01-\u0e4e)”\"])\s+(?=[\u0e01-\u0e4e(“\"])")


MIN_CLAUSE_CHARS: Final = 8


def clauses(text: str) -> list[str]:
    """A directive's clauses; a piece too short to be one ("ให้" before "อปท.") joins the next."""
    merged: list[str] = []
    carry = ""
    for part in _CLAUSE_BREAK.split(text.strip()):
        part = f"{carry} {part}" if carry else part
        carry = part if len(part) < MIN_CLAUSE_CHARS else ""
        if not carry and part:
            merged.append(part)
    if carry:
        merged.append(carry)
    return merged


def passage(text: str, kind: QuestionKind) -> str | None:
    """The part of a directive that answers `kind`: from the first clause holding a date (for "when",
    then a period cue: ภายใน, ช่วง, ปีงบประมาณ...) or an action cue (for "how": ขอให้, ต้อง, ให้...), as
    far as PASSAGE_CHARS; None when the directive holds none (it gives no date)."""
    parts = clauses(text)
    if kind == "when":
        dated = _first(parts, _holds_a_date)
        if dated is not None:
            return _extend(parts, dated)
    for cue in _answer_cues()[kind]:
        found = _first(parts, cue.search)
        if found is not None:
            return _extend(parts, found)
    return None


@functools.cache
def _answer_cues() -> dict[str, list[re.Pattern[str]]]:
    return {kind: [re.compile(str(cue)) for cue in cues] for kind, cues in _data()["answer_cues"].items()}


def _holds_a_date(part: str) -> bool:
    return any(found.has_year for found in thai.find_dates(part))


def _first(parts: Sequence[str], test: Callable[[str], object]) -> int | None:
    return next((number for number, part in enumerate(parts) if test(part)), None)


def _extend(parts: Sequence[str], start: int) -> str:
    chosen = [parts[start]]
    for part in parts[start + 1 :]:
        if sum(len(p) + 1 for p in chosen) + len(part) > PASSAGE_CHARS:
            break
        chosen.append(part)
    return " ".join(chosen)
