"""Text intents: small pure matchers, and the `Intent` that registers one with its handler.

A matcher takes the normalised text (`normalize_text`) and returns the values it captured, or None.
Matchers know nothing of the database or LINE, so each is a table-driven test away from certainty.
The registrations themselves, in order (the first match wins), are `handlers.conversation.INTENTS`,
next to the handlers they name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import thai
from handlers import query
from handlers.context import Context

Captured = dict[str, Any]
Matcher = Callable[[str], Captured | None]
Message = dict[str, Any]
IntentHandler = Callable[[Context, Captured], list[Message]]

TEN_ES_FILE = Path(__file__).resolve().parent.parent / "bot" / "data" / "ten_es.yaml"

# Politeness and filler around a request: "ขอข้อสั่งการล่าสุดหน่อยครับ" asks for "ข้อสั่งการล่าสุด".
_POLITE_PREFIX = re.compile(r"^(ขอดู|ขอ|ช่วย|อยากทราบ|อยากรู้|ดู|แสดง|show|please)\s*")
_POLITE_SUFFIX = re.compile(r"\s*(หน่อย|ด้วย|ครับ|คับ|ค่ะ|คะ|จ้า|จ้ะ|นะ|please|\?|？|!|\.)+$")


def normalize_text(text: str) -> str:
    """Spacing, Thai digits, case and invisible characters out of the way."""
    value = thai.thai_digits_to_arabic(thai.normalize(text)).lower().strip()
    return re.sub(r"\s+", " ", value)


def without_politeness(text: str) -> str:
    """ "ขอข้อสั่งการล่าสุดหน่อยครับ" → "ข้อสั่งการล่าสุด". Tried after the text as typed, because Thai
    has no spaces: "สถานะ" ends like the particle "นะ", "ช่วยเหลือ" starts like "ช่วย"."""
    value = text
    for _ in range(2):
        value = _POLITE_SUFFIX.sub("", _POLITE_PREFIX.sub("", value)).strip()
    return value


def _pattern(regex: str) -> Matcher:
    compiled = re.compile(regex)

    def match(text: str) -> Captured | None:
        found = compiled.fullmatch(text)
        return None if found is None else {k: v for k, v in found.groupdict().items() if v is not None}

    return match


match_help = _pattern(r"เมนู|menu|ช่วยเหลือ|help|วิธีใช้|ใช้ยังไง|ใช้งานอย่างไร|ทำอะไรได้บ้าง|\?|start|เริ่ม")
_match_latest_command = _pattern(
    r"ข้อสั่งการ\s*(ล่าสุด|ใหม่|ใหม่ล่าสุด)?|ข้อสั่งการของ\s*(อธิบดี|สถ\.?)|latest(\s+directives)?|directives"
)


def match_latest(text: str) -> Captured | None:
    """ "ข้อสั่งการล่าสุด", "latest", and the same in other words: "ล่าสุดมีข้อสั่งการอะไร"."""
    captured = _match_latest_command(text)
    if captured is None and query.is_phrase(text, "latest"):
        captured = {}
    return captured


match_ten_es = _pattern(r"(10\s*e'?s?|10\s*อี|สิบ\s*อี|10\s*ภารกิจ|10\s*ด้าน|ten\s*es)(\s*คืออะไร|\s*มีอะไรบ้าง)?")
match_status = _pattern(r"สถานะ|status|สถานะกลุ่ม|ตรวจสอบสถานะ")
match_unsubscribe = _pattern(r"ยกเลิกการรับข่าว|ยกเลิกรับข่าว|หยุดรับข่าว|ยกเลิกการลงทะเบียน|unsubscribe|stop")
match_register = _pattern(r"(ลงทะเบียน|register|สมัครรับข่าว|รับข่าว)\s*(จังหวัด|จ\.)?\s*(?P<province>.*)")
match_search = _pattern(r"(ค้นหา|หา|search|find)\s+(?P<query>.+)")


@functools.cache
def _ten_e_names() -> dict[str, int]:
    """Every name an official may use for one of the 10Es: code, Thai name, aliases."""
    names: dict[str, int] = {}
    for row in yaml.safe_load(TEN_ES_FILE.read_text(encoding="utf-8")):
        number = int(row["number"])
        for name in (row["code"], row["name_th"], *row.get("aliases", [])):
            names[re.sub(r"[\s\-]+", "", str(name).lower())] = number
    return names


def match_ten_e(text: str) -> Captured | None:
    """ "E7", "e 7", "อี7", "E๗", "Emergency Management", "สาธารณภัย", "ด้านสาธารณภัย"."""
    found = re.fullmatch(r"(e|อี)\s*-?\s*(?P<n>\d{1,2})(\s*คืออะไร)?", text)
    if found and 1 <= int(found["n"]) <= 10:
        return {"number": int(found["n"])}
    key = re.sub(r"^(ด้าน|เรื่อง|ภารกิจ)|คืออะไร$", "", text).strip()
    number = _ten_e_names().get(re.sub(r"[\s\-]+", "", key))
    return None if number is None else {"number": number}


# "ครั้งที่ 3/2565", and the body that met written before it: "ประชุม ก.ท.จ. ครั้งที่ 2/2567",
# "ประชุมคณะกรรมการ ครั้งที่ 4/66" (the number is what identifies the meeting).
_MEETING_NUMBER = re.compile(
    r"(การ)?(ประชุม\s*)?([\u0e01-\u0e4ea-z.]{1,30}\s*)?(ครั้งที่|meeting|no\.?)\s*"
    r"(?P<round>\d{1,3})\s*/\s*(?P<year>\d{2,4})"
)


# The same with the question after it: "ครั้งที่ 4/63 สั่งอะไรบ้าง", "ประชุมครั้งที่ 2/2567 ว่าไง".
_MEETING_NUMBER_ASKED = re.compile(
    _MEETING_NUMBER.pattern + r"\s*(สั่ง(การ)?|มี)?\s*(อะไร|ไร)?\s*(บ้าง|ว่า\s*(ไง|ยังไง|อย่างไร))?"
)


def match_meeting(text: str) -> Captured | None:
    """ "ประชุมล่าสุด", "ครั้งที่ 3/2565", "ประชุมครั้งที่ 3 / 65", "meeting 3/2565". (A meeting named by
    its month or day is `match_period`.)"""
    number = _MEETING_NUMBER.fullmatch(text) or _MEETING_NUMBER_ASKED.fullmatch(text)
    if number:
        written = int(number["year"])
        year = thai.two_digit_be_year(written) if written < 100 else written
        return {"number": f"{int(number['round'])}/{year}"}
    if re.fullmatch(r"(การ)?ประชุม(ครั้ง)?\s*(ล่าสุด|สถ\.?|ครั้งล่าสุด)?|(latest|last)\s+meeting|meeting", text):
        return {"latest": True}
    return None


def match_period(text: str) -> Captured | None:
    """A question about the meetings of a period: "ข้อสั่งการเดือนนี้", "ประชุม ม.ค. 65 มีไรบ้าง",
    "เมื่อวานประชุมอะไร", "ปีที่แล้วสั่งอะไรไว้บ้าง", "เดือนนี้มีอะไรบ้าง" (see `query.period_question`)."""
    period = query.period_question(text)
    return None if period is None else {"period": period}


def match_meetings_of_period(text: str) -> Captured | None:
    """`match_period`, when the question names meetings or directives ("ข้อสั่งการเดือนนี้")."""
    return match_period(text) if query.names_meetings(text) else None


def match_chair(text: str) -> Captured | None:
    """What a chair ordered: "นายกสั่งอะไรบ้าง", "มท.1 ว่าไง", "อธิบดีสั่งเรื่องอะไร"."""
    chair = query.chair_question(text)
    return None if chair is None else {"chair": chair}


def match_greeting(text: str) -> Captured | None:
    """ "สวัสดีครับ", "หวัดดีค่ะ", "สวัสดีตอนเช้าครับ", "hello"."""
    return {} if query.is_phrase(text, "greeting") else None


def match_thanks(text: str) -> Captured | None:
    """ "ขอบคุณค่ะ", "ขอบคุณมากๆ ครับ", "ขอบใจนะ", "thank you"."""
    return {} if query.is_phrase(text, "thanks") else None


def match_whats_new(text: str) -> Captured | None:
    """ "มีอะไรใหม่ไหม", "อัปเดตหน่อย", "ช่วงนี้มีข่าวอะไรใหม่บ้าง" (not "ข้อสั่งการปีใหม่")."""
    return {} if query.is_phrase(text, "whats_new") else None


def match_due(text: str) -> Captured | None:
    """Which directives are due soon: "งานที่ใกล้ครบกำหนด", "มีงานอะไรใกล้ครบกำหนดบ้าง", "deadline ช่วงนี้"."""
    return {} if query.is_phrase(text, "due") else None


def match_contact(text: str) -> Captured | None:
    """ "ขอเบอร์ติดต่อ สถ.", "อีเมลของ สถ. คืออะไร", "ติดต่อเจ้าหน้าที่ได้ทางไหน"."""
    return {} if query.is_phrase(text, "contact") else None


def match_more(text: str) -> Captured | None:
    """The rest of a list cut short: "ดูเพิ่ม", "มีอีกไหม", "ขอดูต่อ"."""
    return {} if query.is_phrase(text, "more") else None


def match_follow_up(text: str) -> Captured | None:
    """One item of the list just shown: "ข้อ 3", "ข้อสาม", "อันที่สอง", "อ่านต่อข้อแรก", "ข้อสุดท้าย"."""
    position = query.ordinal(text)
    return None if position is None else {"position": position}


@dataclass(frozen=True)
class Intent:
    """One registration: the pure `match` decides, `handle` answers with what it captured."""

    name: str
    match: Matcher
    handle: IntentHandler
    # Answer in a group without being @-mentioned: commands yes; searches and fallbacks no, or the bot
    # would talk over every conversation in a provincial group.
    open_in_groups: bool = True
    # It changes the group's registration: not done from an event older than a few minutes, and its
    # answer is pushed if the reply token ran out meanwhile (the group must learn what happened).
    changes_group: bool = False


def match_intent(text: str, intents: Sequence[Intent]) -> tuple[Intent, Captured] | None:
    """The first intent matching the text as typed, else the text without polite words, else the same
    two with typos in command words corrected ("ข้อสังการ", "ปะชุม"): a text that means something as
    typed is never corrected."""
    for candidate in _readings(text):
        for intent in intents:
            captured = intent.match(candidate)
            if captured is not None:
                return intent, captured
    return None


def _readings(text: str) -> Iterator[str]:
    """The ways to read a text, most literal first, each once; the corrections only if asked for."""
    polite = without_politeness(text)
    seen = {text, polite}
    yield from dict.fromkeys((text, polite))
    for typed in dict.fromkeys((text, polite)):
        for fixed in query.corrections(typed):
            if fixed not in seen:
                seen.add(fixed)
                yield fixed
