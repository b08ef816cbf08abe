"""Numbered items in an article, and which of them are directives (ข้อสั่งการ).

Three steps, each plain and inspectable:

1. **markers**: ``1)``, ``8 )``, ``1.``, ``(1)``, ``๑)``, ``ข้อ 1`` where they start an item (not
   ``โควิด-19)``, not the year of ``(7 ก.ค. 66)``, not ``13.30 น.``, not ``2.1`` which stays in its parent);
2. **lists**: markers of one style counting 1, 2, 3... form a list; a list that restarts inside an item
   ending with ``ดังนี้`` (or inside any item but the last) is a sub-list and belongs to that item;
3. **is it directives?** each top-level list gets a score from the cues in ``vocabulary`` (who speaks,
   what the lead-in says, what the items say); lists restating the 10Es, reporting progress, listing
   schedules or agenda items score low and are dropped. :func:`explain_lists` shows the reasons.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Final

from bot import thai
from meetings.parsing import vocabulary as vocab
from meetings.parsing.fields import Chair

# --- Markers ----------------------------------------------------------------------------------------

_ITEM_START: Final = r"(?:(?<=\s)|(?<=^)|(?<=[\"“”:]))"
_MARKER_RES: Final = {
    "paren": re.compile(_ITEM_START + r"(?P<value>\d{1,2})\s?\)"),
    "dot": re.compile(_ITEM_START + r"(?P<value>\d{1,2})\.(?=\s?[^\d\s.])"),
    "both": re.compile(_ITEM_START + r"\((?P<value>\d{1,2})\)"),
    "kho": re.compile(_ITEM_START + r"ข้อ\s?(?P<value>\d{1,2})(?=[\s.:)])"),
}
_DATE_BEFORE_RE: Final = re.compile(rf"(?:{thai.MONTH_NAME_PATTERN})\s*(?:พ\.?\s?ศ\.?\s*)?$")
_MAX_ITEM_GAP: Final = 6000
"""Characters allowed between item n and n+1 of one list."""
_MAX_LAST_ITEM: Final = 1500
_MAX_MARKERS: Final = 2000
"""A text with more markers than this is not an article: stop looking (keeps garbage input fast)."""


@dataclass(frozen=True)
class Marker:
    style: str
    value: int
    offset: int
    """Position of the marker in the whole body (paragraphs joined by newlines)."""
    end: int
    paragraph: int


def _opens_parenthesis(before: str) -> bool:
    """True when ``before`` leaves a ``(`` open: the number closes a parenthesis, e.g. ``(อายุ 19)``."""
    depth = 0
    for char in before:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    return depth > 0


def find_markers(body: str) -> list[Marker]:
    """Every item marker in ``body``, in order."""
    arabic = thai.thai_digits_to_arabic(body)
    paragraph_starts = [0] + [i + 1 for i, char in enumerate(arabic) if char == "\n"]
    markers: list[Marker] = []
    for style, pattern in _MARKER_RES.items():
        for match in pattern.finditer(arabic):
            start = match.start()
            line_start = arabic.rfind("\n", 0, start) + 1
            before = arabic[max(line_start, start - 30) : start]
            if style == "paren" and _opens_parenthesis(before):
                continue
            if _DATE_BEFORE_RE.search(before):
                continue
            paragraph = _bisect(paragraph_starts, start)
            markers.append(Marker(style, int(match.group("value")), start, match.end(), paragraph))
            if len(markers) > _MAX_MARKERS:
                break
    markers.sort(key=lambda m: m.offset)
    return markers


def _bisect(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts)
    while low + 1 < high:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle
    return low


# --- Lists ------------------------------------------------------------------------------------------


@dataclass
class NumberedList:
    """Markers of one style counting 1, 2, 3..., with their item texts once cut."""

    markers: list[Marker]
    children: list[NumberedList] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    lead_in: str = ""
    speaker: str | None = None
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    ten_es: bool = False

    @property
    def start(self) -> int:
        return self.markers[0].offset

    @property
    def end(self) -> int:
        return self.markers[-1].end

    @property
    def accepted(self) -> bool:
        return not self.ten_es and self.score >= vocab.DIRECTIVE_MIN_SCORE


def chain_lists(markers: list[Marker]) -> list[NumberedList]:
    """Chain markers into lists: a 1 opens a list, n+1 continues the latest list of that style at n."""
    lists: list[NumberedList] = []
    for marker in markers:
        if marker.value == 1:
            lists.append(NumberedList([marker]))
            continue
        for candidate in reversed(lists):
            last = candidate.markers[-1]
            if (
                last.style == marker.style
                and last.value == marker.value - 1
                and marker.offset - last.offset <= _MAX_ITEM_GAP
            ):
                candidate.markers.append(marker)
                break
    return [numbered for numbered in lists if len(numbered.markers) >= 2]


def _paragraph_end(body: str, offset: int) -> int:
    end = body.find("\n", offset)
    return len(body) if end < 0 else end


def _nest(lists: list[NumberedList], body: str) -> list[NumberedList]:
    """Attach sub-lists to the item they sit in; return the top-level lists."""
    top: list[NumberedList] = []
    for numbered in sorted(lists, key=lambda n: n.start):
        parent = _parent_of(numbered, top, body)
        if parent is None:
            top.append(numbered)
        else:
            parent.children.append(numbered)
    return top


def _parent_of(child: NumberedList, candidates: list[NumberedList], body: str) -> NumberedList | None:
    for parent in reversed(candidates):
        if not parent.start < child.start:
            continue
        if child.start < parent.end and child.end < parent.end:
            return parent  # wholly between two items of the parent
        if child.start > parent.end:
            # The parent's last item itself (one paragraph) must end by announcing the sub-list.
            last_item = body[parent.markers[-1].end : child.start].rstrip()
            opens_sub_list = any(last_item.endswith(word) for word in vocab.NESTED_LIST_INTRODUCERS)
            if opens_sub_list and "\n" not in last_item and len(last_item) < 800:
                return parent
    return None


_LAST_ITEM_BREAK_RE: Final = re.compile(
    r"\s(?:" + "|".join(re.escape(word) for word in vocab.LAST_ITEM_BREAKS) + r")"
)


def _cut_items(numbered: NumberedList, body: str) -> None:
    items: list[str] = []
    for index, marker in enumerate(numbered.markers):
        if index + 1 < len(numbered.markers):
            end = numbered.markers[index + 1].offset
        else:
            end = _paragraph_end(body, marker.end)
            for child in numbered.children:
                if child.start >= marker.end:
                    end = max(end, _paragraph_end(body, child.end))
            tail = body[marker.end : end]
            cut = _LAST_ITEM_BREAK_RE.search(tail, 20)
            if cut and not numbered.children:
                end = marker.end + cut.start()
            end = min(end, marker.end + _MAX_LAST_ITEM) if not numbered.children else end
        items.append(_tidy(body[marker.end : end]))
    numbered.items = items


def _tidy(text: str) -> str:
    text = re.sub(r"\s*\n\s*", "\n", text).strip(" \n:;,")
    return re.sub(r"\s+และ$", "", text)


# --- Is it a list of directives? --------------------------------------------------------------------

_STRONG_RE: Final = re.compile("|".join(vocab.STRONG_DIRECTIVE_CUES))
_COUNTED_RE: Final = re.compile(vocab.COUNTED_DIRECTIVE_CUE)
_WEAK_RES: Final = [re.compile(cue) for cue in vocab.WEAK_DIRECTIVE_CUES]
_REPORT_RE: Final = re.compile("|".join(vocab.REPORT_CUES))
_FRAMEWORK_RE: Final = re.compile("|".join(vocab.FRAMEWORK_CUES), re.I)
_IMPERATIVE_RES: Final = [re.compile(cue) for cue in vocab.ITEM_IMPERATIVE_CUES]
_ITEM_REPORT_RE: Final = re.compile("|".join(vocab.ITEM_REPORT_CUES))
_DEFINITION_RE: Final = re.compile(vocab.ITEM_DEFINITION_CUE)
_SPEECH_RE: Final = re.compile(vocab.SPEECH_VERBS)
_CONNECTIVE_RE: Final = re.compile(r"^(?:" + "|".join(vocab.PARAGRAPH_CONNECTIVES) + r")\s*")
_QUOTE_ATTRIBUTION_RE: Final = re.compile(
    r"[\"”]\s*(?P<who>[^\"“”]{2,80}?)\s*(?:ได้)?(?:กล่าว|เปิดเผย|เน้นย้ำ|ย้ำ|บอกเล่า)[^\"“”]{0,40}$"
)
_NOT_A_SPEAKER_START: Final = re.compile(r"^(?:วันนี้|เมื่อ|ใน(?:วัน|การ)|\(|ทั้งนี้|ซึ่ง|โดย)")
_LEAD_STRONG_WINDOW: Final = 300
_LEAD_WEAK_WINDOW: Final = 120
_SHORT_ITEM: Final = 50


def paragraph_speaker(paragraph: str) -> str | None:
    """Who speaks in a paragraph: ``NAME POSITION กล่าวว่า ...`` or ``"..." NAMEฯ กล่าว``."""
    text = paragraph.strip()
    if text[:1] in '"“':
        attribution = _QUOTE_ATTRIBUTION_RE.search(text[-200:])
        return attribution.group("who").strip() if attribution else None
    text = _CONNECTIVE_RE.sub("", text)
    if _NOT_A_SPEAKER_START.match(text):
        return None
    verb = _SPEECH_RE.search(text, 0, 150)
    if verb is None or verb.start() < 3:
        return None
    return text[: verb.start()].strip()


def _speaker_is_person(speaker: str) -> bool:
    return any(word in speaker for word in vocab.SPEAKER_ROLE_WORDS) or any(
        speaker.startswith(title) for title in vocab.PERSON_TITLES
    )


def speaker_is_chair(speaker: str, chair: Chair) -> bool:
    cleaned = speaker.replace("ฯ", "").strip()
    first = chair.first_name()
    if first and len(first) >= 2 and first in cleaned:
        return True
    position = chair.position or ""
    return bool(position) and (position in cleaned or (len(cleaned) >= 4 and cleaned in position))


def _lead_in(numbered: NumberedList, paragraphs: list[str], body: str) -> tuple[str, int]:
    """Text before the first item (with the previous paragraph when the list opens a paragraph)."""
    first = numbered.markers[0]
    paragraph_start = body.rfind("\n", 0, first.offset) + 1
    lead = body[paragraph_start : first.offset]
    speaker_paragraph = first.paragraph
    previous = first.paragraph - 1
    while len(lead.strip()) < 20 and previous >= 0:
        if len(paragraphs[previous].strip()) > 3:
            lead = paragraphs[previous] + " " + lead
            speaker_paragraph = previous
            if len(lead.strip()) >= 20:
                break
        previous -= 1
    return lead.strip(), speaker_paragraph


def _score(numbered: NumberedList, paragraphs: list[str], body: str, chair: Chair | None) -> None:
    lead, speaker_paragraph = _lead_in(numbered, paragraphs, body)
    numbered.lead_in = lead[-_LEAD_STRONG_WINDOW:]
    strong_window, weak_window = lead[-_LEAD_STRONG_WINDOW:], lead[-_LEAD_WEAK_WINDOW:]
    reasons = numbered.reasons

    def add(points: int, why: str) -> None:
        numbered.score += points
        reasons.append(f"{points:+d} {why}")

    strong = _STRONG_RE.search(strong_window)
    if strong:
        add(3, f"lead-in hands down: {strong.group(0)}")
    counted = _COUNTED_RE.search(weak_window)
    if counted:
        add(2, f"lead-in counts directives: {counted.group(0)}")
    weak = sorted({match.group(0) for cue in _WEAK_RES for match in cue.finditer(weak_window)})
    if weak:
        add(1, f"lead-in mentions: {', '.join(weak)}")
    report = _REPORT_RE.search(weak_window)
    if report:
        add(-3, f"lead-in reports or schedules: {report.group(0)}")
    framework = _FRAMEWORK_RE.search(weak_window)
    if framework:
        add(-4, f"lead-in restates a framework: {framework.group(0)}")

    speaker = paragraph_speaker(paragraphs[speaker_paragraph])
    numbered.speaker = speaker
    if speaker and chair is not None:
        if speaker_is_chair(speaker, chair):
            add(2, f"the chair speaks: {speaker}")
        elif _speaker_is_person(speaker):
            add(-3, f"someone else speaks: {speaker}")

    items = numbered.items
    half = len(items) / 2
    imperative = sum(1 for item in items if any(cue.search(item) for cue in _IMPERATIVE_RES))
    if imperative >= half:
        add(2, f"{imperative}/{len(items)} items give orders")
    reported = sum(1 for item in items if _ITEM_REPORT_RE.search(item))
    if reported >= half:
        add(-3, f"{reported}/{len(items)} items say what the meeting took note of")
    defined = sum(1 for item in items if _DEFINITION_RE.search(item))
    if defined >= half:
        add(-2, f"{defined}/{len(items)} items define terms")
    dated = sum(1 for item in items if thai.find_dates(item[:80]))
    if dated >= half:
        add(-2, f"{dated}/{len(items)} items are dates or periods")
    lengths = [len(item) for item in items[:-1]] or [len(items[-1])]
    if statistics.median(lengths) < _SHORT_ITEM:
        add(-2, f"items are short names (median {statistics.median(lengths):.0f} characters)")


def _names_ten_es(text: str, codes: tuple[str, ...]) -> int:
    lowered = text.lower()
    return sum(1 for code in codes if code.lower() in lowered)


# --- Directive titles -------------------------------------------------------------------------------

TITLE_MAX: Final = 80
_TITLE_MIN: Final = 20
_COLON_RE: Final = re.compile(r"\s?:\s")


def directive_title(text: str) -> str:
    """The first clause of a directive: up to ``:`` or the first space after 20 characters (Thai puts a
    space between clauses), never inside brackets, at most ~80 characters cut at a word boundary."""
    first_line = text.split("\n", 1)[0].strip().strip('"“”')
    colon = _COLON_RE.search(first_line, 0, TITLE_MAX + 5)
    if colon and colon.start() >= 4 and not _opens_parenthesis(first_line[: colon.start()]):
        return first_line[: colon.start()].strip()
    depth = 0
    for index, char in enumerate(first_line):
        if char in "(“":
            depth += 1
        elif char in ")”" and depth:
            depth -= 1
        elif char == " " and depth == 0 and index >= _TITLE_MIN:
            candidate = first_line[:index].strip()
            if len(candidate) > TITLE_MAX:
                break
            if not candidate.endswith(vocab.DANGLING_TITLE_ENDINGS):
                return candidate
    if len(first_line) <= TITLE_MAX:
        return first_line
    words = thai.segment(first_line[: TITLE_MAX * 2])
    title = ""
    for word in words:
        if len(title) + len(word) > TITLE_MAX - 1:
            break
        title += word
    return (title or first_line[: TITLE_MAX - 1]).rstrip() + "…"


# --- Entry point ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundDirective:
    title: str
    text: str


@dataclass(frozen=True)
class ListReading:
    """What the parser made of the numbered lists of an article."""

    directives: tuple[FoundDirective, ...]
    lists: tuple[NumberedList, ...]
    ten_es: bool


def read_lists(paragraphs: tuple[str, ...], chair: Chair | None, ten_e_codes: tuple[str, ...]) -> ListReading:
    """Find numbered lists, decide which are directives, return the directives in article order."""
    paragraph_list = list(paragraphs)
    body = "\n".join(paragraph_list)
    top = _nest(chain_lists(find_markers(body)), body)
    directives: list[FoundDirective] = []
    ten_es = _names_ten_es(body, ten_e_codes) >= len(ten_e_codes) // 2 + 1
    for numbered in top:
        _cut_items(numbered, body)
        if _names_ten_es(" ".join(numbered.items), ten_e_codes) >= vocab.TEN_ES_MIN_CODES:
            numbered.ten_es = True
            numbered.reasons.append("the list restates the 10Es")
            ten_es = True
            continue
        _score(numbered, paragraph_list, body, chair)
        if numbered.accepted:
            directives.extend(FoundDirective(directive_title(item), item) for item in numbered.items if item)
    return ListReading(tuple(directives), tuple(top), ten_es)


def explain_lists(
    paragraphs: tuple[str, ...], chair: Chair | None, ten_e_codes: tuple[str, ...]
) -> list[str]:
    """One line per numbered list: where it starts, its score, and why (for tests and debugging)."""
    reading = read_lists(paragraphs, chair, ten_e_codes)
    lines = []
    for numbered in reading.lists:
        verdict = "directives" if numbered.accepted else "not directives"
        lines.append(
            f"{len(numbered.items)} items from {numbered.items[0][:30]!r}: {verdict} "
            f"(score {numbered.score}; {'; '.join(numbered.reasons)})"
        )
    return lines
