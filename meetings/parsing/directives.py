"""Numbered items in an article, and which of them are directives (ข้อสั่งการ).

Three steps, each plain and inspectable:

1. **markers**: ``1)``, ``8 )``, ``1.``, ``(1)``, ``๑)``, ``ข้อ 1`` where they start an item (not
   ``โควิด-19)``, not the year of ``(7 ก.ค. 66)``, not ``13.30 น.``, not ``2.1`` which stays in its parent);
2. **lists**: markers of one style counting 1, 2, 3... form a list; a list that restarts inside an item
   ending with ``ดังนี้`` (or inside any item but the last) is a sub-list and belongs to that item;
3. **is it directives?** each top-level list gets a score from independent cues in ``vocabulary``
   (who speaks, and whether they speak for the meeting; what the lead-in says; what the items say:
   orders, people, places, dates, definitions); lists restating the 10Es, reporting progress, listing
   schedules or agenda items score low and are dropped. The evidence is graded, not a cliff: a list
   kept on thin evidence, or dropped as a near miss, gets a Thai warning naming its strongest cues
   (``texts``). :func:`explain_lists` shows the reasons.

A new item starts at the next number of a list whatever precedes it (``find_relaxed_markers``), so a
date is never read across two items. A list whose next item is numbered in words (``มาตรการที่ 3 คือ``,
``find_worded_markers``) or lost (``2) ... 4) 5)``) reads on through it, always with a warning; a wider gap
in its numbers is warned of.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from dataclasses import dataclass, field
from typing import Final

from bot import thai
from meetings.parsing import texts
from meetings.parsing import vocabulary as vocab
from meetings.parsing.fields import Chair, canonical_position, stated

# --- Markers ----------------------------------------------------------------------------------------

_ITEM_START: Final = r"(?:(?<=\s)|(?<=^)|(?<=[\"“”:])|(?<=ดังนี้)|(?<=ดังต่อไปนี้)|(?<=ได้แก่)|(?<=ประกอบด้วย))"
"""Where an item's marker may stand: after a space, a quote or a colon, or tight after the words that
announce a list (``... ดำเนินการ ดังนี้1)การยกระดับ...``)."""
_MARKER_RES: Final = {
    "paren": re.compile(_ITEM_START + r"(?P<value>\d{1,2})\s?\)"),
    "dot": re.compile(_ITEM_START + r"(?P<value>\d{1,2})\.(?=\s?[^\d\s.])"),
    "both": re.compile(_ITEM_START + r"\((?P<value>\d{1,2})\)"),
    "kho": re.compile(_ITEM_START + r"ข้อ\s?(?P<value>\d{1,2})(?=[\s.:)])"),
    "sub": re.compile(
        _ITEM_START
        + r"\(?(?P<parent>\d{1,2})\.(?P<value>\d{1,2})(?![\d.])\)?(?=\s?[^\d\s.,%])"
        + r"(?!\s?(?:"
        + "|".join(vocab.QUANTITY_UNITS)
        + "))"
    ),
}
"""``1)``, ``1.``, ``(1)``, ``ข้อ 1``, and ``1.1`` (style ``sub1``: the items of point 1, a list of their own
when no point 1 is numbered, ``1.1 ... 1.2 ... 1.3``; within point 1 of a list they stay in it)."""
_RELAXED_MARKER_RES: Final = {
    "paren": re.compile(r"(?<![\d.])(?P<value>\d{1,2})\s?\)"),
    "dot": re.compile(r"(?<![\d.])(?P<value>\d{1,2})\.(?=\s?[^\d\s.])"),
    "both": re.compile(r"\((?P<value>\d{1,2})\)"),
}
"""Markers written tight against what precedes them (``เมษายน 3. การ``, ``(ศปถ.)2)``, ``ประโยชน์2)``): they
only continue a list already counting up to them, never open one."""
_WORDED_MARKER_RES: Final = {
    "worded": re.compile(
        _ITEM_START
        + "(?:"
        + "|".join(vocab.WORDED_ITEM_CONNECTIVES)
        + ")?(?:"
        + "|".join(vocab.WORDED_ITEM_NOUNS)
        + r")ที่\s?(?P<value>\d{1,2})(?![\d.])(?:\s?(?:คือ|ได้แก่|[:：]))?\s?"
    ),
}
"""An item numbered in words among numbered ones (``2. มาตรการประชาสัมพันธ์ ... มาตรการที่ 3 คือ การเสริมกำลัง ...
4. มาตรการปราบปราม``): it only fills the one number missing between a list and the run that continues it."""
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
    markers = _scan(body, _MARKER_RES, skip_dates=True)
    markers.sort(key=lambda m: m.offset)
    return markers


def find_worded_markers(body: str) -> list[Marker]:
    """Every item numbered in words (see ``_WORDED_MARKER_RES``)."""
    return _scan(body, _WORDED_MARKER_RES, skip_dates=False)


def find_relaxed_markers(body: str) -> list[Marker]:
    """Every place a number could continue a list, whatever precedes it (see ``_RELAXED_MARKER_RES``)."""
    return _scan(body, _RELAXED_MARKER_RES, skip_dates=False)


def _scan(body: str, patterns: dict[str, re.Pattern[str]], *, skip_dates: bool) -> list[Marker]:
    """The matches of `patterns` in ``body`` as markers (at most ``_MAX_MARKERS`` a pattern, and one),
    but a "(1)" inside an open parenthesis and, with `skip_dates`, a number right after a date word."""
    arabic = thai.thai_digits_to_arabic(body)
    paragraph_starts = [0] + [i + 1 for i, char in enumerate(arabic) if char == "\n"]
    markers: list[Marker] = []
    for style, pattern in patterns.items():
        for match in pattern.finditer(arabic):
            start = match.start()
            line_start = arabic.rfind("\n", 0, start) + 1
            before = arabic[max(line_start, start - 30) : start]
            if style == "paren" and _opens_parenthesis(before):
                continue
            if skip_dates and _DATE_BEFORE_RE.search(before):
                continue
            paragraph = bisect.bisect_right(paragraph_starts, start) - 1
            parent = match.groupdict().get("parent")
            marker_style = f"{style}{int(parent)}" if parent else style
            markers.append(Marker(marker_style, int(match.group("value")), start, match.end(), paragraph))
            if len(markers) > _MAX_MARKERS:
                break
    return markers


# --- Lists ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One cue weighed for or against a list being directives: its points, its key in
    ``texts.CUES`` and the words that fired it."""

    points: int
    key: str
    cue: str = ""


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
    evidence: list[Evidence] = field(default_factory=list)
    ten_es: bool = False
    headless: bool = False
    """Its numbers start at 2: the first point stands unnumbered before them (see ``chain_lists``)."""
    opens_at: int | None = None
    """For a headless list: where its unnumbered first item starts in the body (its lead-in ends there)."""
    worded: list[int] = field(default_factory=list)
    """The numbers of its items read from words (``มาตรการที่ 3``), not from their markers."""
    skipped: list[int] = field(default_factory=list)
    """The numbers it skips (``1) 2) 4) 5)``): the run after the gap is read on, and the editor told."""

    @property
    def start(self) -> int:
        return self.markers[0].offset

    @property
    def end(self) -> int:
        return self.markers[-1].end

    @property
    def accepted(self) -> bool:
        """Its score reaches the line, and not only because of who speaks: a list whose lead-in and items
        say nothing of orders is the chair's talk (a report, a description), dropped with a warning."""
        return not self.ten_es and self.score >= vocab.DIRECTIVE_MIN_SCORE and self._says_something()

    def _says_something(self) -> bool:
        return any(e.points > 0 and e.key not in _SPEAKER_CUES for e in self.evidence)

    @property
    def thin(self) -> bool:
        """Kept, but the evidence is close to the line, or nothing says its items are orders (no hand-down
        verb before them, items not worded as orders), or its items are the named parts of a model being
        taught or rules by case: the editor is told."""
        ordered = any(e.key in ("hands_down", "items_order") for e in self.evidence)
        # a model's parts, rules by case, definitions, a first item read without its number: the editor looks
        always_look = any(
            e.key in ("items_named", "items_cases", "items_define", "headless", "worded", "skipped")
            for e in self.evidence
        )
        return self.accepted and (self.score < vocab.DIRECTIVE_SURE_SCORE or not ordered or always_look)

    @property
    def near_miss(self) -> bool:
        """Dropped, but some evidence says directives (the score is close, or at least half its items are
        worded as orders, whatever else speaks against it): the editor is told."""
        ordered = any(e.key == "items_order" for e in self.evidence)
        return not self.ten_es and not self.accepted and (self.score >= vocab.DIRECTIVE_NEAR_SCORE or ordered)


def chain_lists(
    markers: list[Marker], relaxed: list[Marker] | None = None, worded: list[Marker] | None = None
) -> list[NumberedList]:
    """Chain markers into lists: a 1 opens a list, n+1 continues the latest list of that style at n.

    A new item starts at the next number in sequence whatever precedes it: a ``relaxed`` marker of the
    right style and value continues a list when no ordinary marker does.

    A 2 that continues no list opens a *headless* one when a 3 follows: the writer put the first point
    in the sentence before, unnumbered (``กล่าวว่า ขอให้ผู้ว่าราชการจังหวัดกำกับดูแล ... 2) ติดตาม ... 3) ...``);
    ``_cut_items`` reads that sentence as item 1, and a list so read is never kept without a warning.

    A run counting up from 3 or more that continues no list is the rest of one whose next item was not
    numbered as the others: with that item numbered in words (``worded``) between them, or one number past
    the list's last, the list reads on through it; a run left over is a gap ``read_lists`` warns of."""
    return _chain(markers, relaxed, worded)[0]


def _chain(
    markers: list[Marker], relaxed: list[Marker] | None, worded: list[Marker] | None
) -> tuple[list[NumberedList], list[NumberedList]]:
    """The lists, and the runs counting up from 3 or more that continue none and that no item numbered in
    words (nor a skipped number) joins to the list before them."""
    known = {m.offset for m in markers}
    continuations = [m for m in relaxed or [] if m.value > 1 and m.offset not in known]
    lists: list[NumberedList] = []
    orphans: list[NumberedList] = []  # runs from 3 or more that continue no list (the rest of one)
    for marker in sorted([*markers, *continuations], key=lambda m: m.offset):
        if marker.offset not in known:
            _continue_with_relaxed(lists, marker)
            continue
        if marker.value == 1:
            lists.append(NumberedList([marker]))
            continue
        # a list counting up to it, else the rest of one (an orphan run) counting up to it
        candidate = _counting_up_to(lists, marker) or _counting_up_to(orphans, marker)
        if candidate is not None:
            candidate.markers.append(marker)
        elif marker.value == 2:
            lists.append(NumberedList([marker], headless=True))
        else:
            orphans.append(NumberedList([marker]))
    unjoined = [orphan for orphan in orphans if not _join_through_worded(orphan, lists, worded or [])]
    return [numbered for numbered in lists if len(numbered.markers) >= 2], unjoined


def _counting_up_to(lists: list[NumberedList], marker: Marker) -> NumberedList | None:
    """The latest list of the marker's style whose last number is one below it, within reach."""
    for candidate in reversed(lists):
        last = candidate.markers[-1]
        if (
            last.style == marker.style
            and last.value == marker.value - 1
            and marker.offset - last.offset <= _MAX_ITEM_GAP
        ):
            return candidate
    return None


def _join_through_worded(orphan: NumberedList, lists: list[NumberedList], worded: list[Marker]) -> bool:
    """Join an orphan run to the list before it counting up to two below its first number, when the item
    between them is numbered in words (``มาตรการที่ 3 คือ``) and stands between them."""
    first = orphan.markers[0]
    for numbered in reversed(lists):
        last = numbered.markers[-1]
        if last.offset >= first.offset or last.style != first.style:
            continue
        if last.value != first.value - 2 or first.offset - last.offset > 2 * _MAX_ITEM_GAP:
            return False
        between = [m for m in worded if last.end < m.offset < first.offset and m.value == first.value - 1]
        if between:
            numbered.markers.extend([between[0], *orphan.markers])
            numbered.worded.append(between[0].value)
            return True
        if len(orphan.markers) < 2:
            return False  # one number alone is a figure more often than an item
        numbered.markers.extend(orphan.markers)  # ``2) ... ต่อมา 4) ... 5) ...``: item 3 lost or run into 2
        numbered.skipped.append(first.value - 1)
        return True
    return False


def _continue_with_relaxed(lists: list[NumberedList], marker: Marker) -> None:
    for candidate in reversed(lists):
        last = candidate.markers[-1]
        if last.style == marker.style and marker.offset - last.offset <= _MAX_ITEM_GAP:
            if last.value == marker.value - 1 and marker.offset > last.end:
                candidate.markers.append(marker)
            return


def _paragraph_end(body: str, offset: int) -> int:
    end = body.find("\n", offset)
    return len(body) if end < 0 else end


def _nest(lists: list[NumberedList], body: str) -> list[NumberedList]:
    """Attach sub-lists to the item they sit in, and the next group of a list in groups to the list;
    return the top-level lists."""
    top: list[NumberedList] = []
    for numbered in sorted(lists, key=lambda n: n.start):
        if top and _next_group(numbered, top[-1], body):
            top[-1].markers.extend(numbered.markers)
            continue
        parent = _parent_of(numbered, top, body)
        if parent is None:
            top.append(numbered)
        else:
            parent.children.append(numbered)
    return top


def _next_group(numbered: NumberedList, previous: NumberedList, body: str) -> bool:
    """``3 ไร้ทุกข์ คือ (1)...(2)...(3) ... ต่อมา คือ แนวทาง 5 สร้างสุข ประกอบด้วย (1)...(5)``: numbered afresh in the
    same style at the end of the previous list's last item (one paragraph, announcing it), the list's next
    group: read with it, under its lead-in, not as the last item's sub-list."""
    if numbered.headless or numbered.markers[0].style != previous.markers[-1].style:
        return False
    if numbered.start <= previous.end or previous.children:
        return False
    return not _hands_down_afresh(previous, numbered, body) and _last_item_announces(previous, numbered, body)


def _hands_down_afresh(previous: NumberedList, following: NumberedList, body: str) -> bool:
    """``... 4) งบเงินอุดหนุน เบิกจ่ายแล้วร้อยละ 38.17 อธิบดีจึงสั่งการ ดังนี้ 1) ให้...``: a list numbered
    afresh, announced by words that hand orders down, in the same style or after a list none of whose items
    is worded as an order (a report): a list of its own with its own lead-in, neither the next group of the
    list before nor a sub-list of its last item. (``3) ขอให้ทุกจังหวัดเตรียมการ ดังนี้ (1)...``, an order's
    own points, stays its sub-list.)"""
    announcing = body[previous.markers[-1].end : following.start][-_LEAD_WEAK_WINDOW:]
    if _STRONG_RE.search(announcing) is None:
        return False
    if following.markers[0].style == previous.markers[-1].style:
        return True
    items = [body[m.end : n.offset] for m, n in itertools.pairwise(previous.markers)]
    return not any(cue.search(item) for item in items for cue in _IMPERATIVE_RES)


def _parent_of(child: NumberedList, candidates: list[NumberedList], body: str) -> NumberedList | None:
    for parent in reversed(candidates):
        if not parent.start < child.start:
            continue
        if child.start < parent.end and child.end < parent.end:
            return parent  # wholly between two items of the parent
        if _points_of_last_item(parent, child):
            return parent
        if child.start > parent.end and _last_item_announces(parent, child, body):
            return None if _hands_down_afresh(parent, child, body) else parent
    return None


def _points_of_last_item(parent: NumberedList, child: NumberedList) -> bool:
    """``... 3. ให้จังหวัด... 3.1 ... 3.2 ...``: the points numbered after the parent's last item, within it."""
    last = parent.markers[-1]
    return (
        child.markers[0].style == f"sub{last.value}"
        and last.end < child.start
        and child.start - last.end <= _MAX_LAST_ITEM
    )


def _last_item_announces(previous: NumberedList, following: NumberedList, body: str) -> bool:
    """The previous list's last item, one paragraph, ends by announcing the list that follows it (``... ดังนี้``,
    ``... ประกอบด้วย``): a sub-list of that item, or the next group of a list in groups."""
    last_item = body[previous.markers[-1].end : following.start].rstrip()
    announces = any(last_item.endswith(word) for word in vocab.NESTED_LIST_INTRODUCERS)
    return announces and "\n" not in last_item and len(last_item) < 800


_LAST_ITEM_BREAK_RE: Final = re.compile(
    r"\s(?:" + "|".join(re.escape(word) for word in vocab.LAST_ITEM_BREAKS) + r")"
)


_FIRST_POINT_OPENER_RE: Final = re.compile(
    r"(?:ดังต่อไปนี้|ดังนี้|[:：]|(?:กล่าว|เปิดเผย|แถลง|ระบุ|ย้ำ)ว่า"
    + rf"|(?:โดย)?(?:{'|'.join(vocab.WORDED_ITEM_NOUNS)})(?:แรก|ที่หนึ่ง)\s?(?:คือ|ได้แก่|[:：])?)\s*"
)
"""What opens the unnumbered first point of a headless list: ``ดังนี้``, a colon, ``กล่าวว่า``..., or the point
named first in words (``โดยประการแรก ให้...``, ``ภารกิจแรก คือ ...``), after which it starts."""
_STRAY_FIRST_NUMBER_RE: Final = re.compile(r"^\(?1\s?[.)]\s*")


def _first_point(numbered: NumberedList, body: str) -> tuple[int, str]:
    """Where the unnumbered first point of a headless list starts, and its text: what stands before the
    2 in its paragraph (or, when the 2 opens a paragraph, in the one before), after the last word that
    opens what is said (ดังนี้, a colon, กล่าวว่า...), else after the speech verb, else the whole of it."""
    first = numbered.markers[0]
    start = body.rfind("\n", 0, first.offset) + 1
    end = first.offset
    if len(body[start:end].strip()) < 10 and start > 0:
        end = start - 1
        start = body.rfind("\n", 0, end) + 1
    openers = list(_FIRST_POINT_OPENER_RE.finditer(body, start, end))
    if openers:
        start = openers[-1].end()
    else:
        verb = _SPEECH_RE.search(body, start, min(end, start + 150))
        start = verb.end() if verb else start
    text = _STRAY_FIRST_NUMBER_RE.sub("", _tidy(body[start:end]))
    return start, text


def _cut_items(numbered: NumberedList, body: str) -> None:
    items: list[str] = []
    if numbered.headless:
        numbered.opens_at, first_point = _first_point(numbered, body)
        items.append(first_point)
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
_STANDING_RE: Final = re.compile("|".join(vocab.STANDING_POLICY_CUES))
_CONDITIONS_RE: Final = re.compile("|".join(vocab.CONDITION_CUES))
_HABITUAL_RE: Final = re.compile("|".join(vocab.HABITUAL_CUES))
_FRAMEWORK_RE: Final = re.compile("|".join(vocab.FRAMEWORK_CUES), re.I)
_IMPERATIVE_RES: Final = [re.compile(cue) for cue in vocab.ITEM_IMPERATIVE_CUES]
_SPEAKER_CUES: Final = ("chair_speaks", "speaks_for_meeting")
_UPWARD_RE: Final = re.compile(vocab.UPWARD_REQUEST)
_AGREED_RE: Final = re.compile(vocab.ITEM_AGREED_CUE)
_ITEM_REPORT_RE: Final = re.compile("|".join(vocab.ITEM_REPORT_CUES))
_DEFINITION_RE: Final = re.compile(vocab.ITEM_DEFINITION_CUE)
_NAMED_TERM_RE: Final = re.compile(vocab.ITEM_NAMED_TERM_CUE)
_APPOINTMENT_RE: Final = re.compile(vocab.ITEM_APPOINTMENT_CUE)
_SPEECH_RE: Final = re.compile(vocab.SPEECH_VERBS)
_CONNECTIVE_RE: Final = re.compile(r"^(?:" + "|".join(vocab.PARAGRAPH_CONNECTIVES) + r")\s*")
_QUOTE_ATTRIBUTION_RE: Final = re.compile(
    r"[\"”]\s*(?P<who>[^\"“”]{2,80}?)\s*(?:ได้)?(?:กล่าว|เปิดเผย|เน้นย้ำ|ย้ำ|บอกเล่า)[^\"“”]{0,40}$"
)
_NOT_A_SPEAKER_START: Final = re.compile(r"^(?:วันนี้|เมื่อ|ใน(?:วัน|การ)|\(|ทั้งนี้|ซึ่ง|โดย)")
_LEAD_STRONG_WINDOW: Final = 300
SUBJECT_CHARS: Final = 200  # of a list's lead-in, kept as the meeting's subject
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
    position = canonical_position(chair.position or "")
    said = canonical_position(cleaned)
    if not position:
        return False
    at = said.find(position)
    if at >= 0:
        return not said[:at].endswith(vocab.NOT_THE_HOLDER)
    return len(said) >= 4 and said in position


def _lead_in(numbered: NumberedList, paragraphs: list[str], body: str) -> tuple[str, int]:
    """Text before the first item (with the previous paragraph when the list opens a paragraph)."""
    first = numbered.markers[0]
    opens_at = first.offset if numbered.opens_at is None else numbered.opens_at
    paragraph_start = body.rfind("\n", 0, opens_at) + 1
    lead = body[paragraph_start:opens_at]
    speaker_paragraph = body.count("\n", 0, opens_at)
    previous = speaker_paragraph - 1
    while len(lead.strip()) < 20 and previous >= 0:
        if len(paragraphs[previous].strip()) > 3:
            lead = paragraphs[previous] + " " + lead
            speaker_paragraph = previous
            if len(lead.strip()) >= 20:
                break
        previous -= 1
    return lead.strip(), speaker_paragraph


def _speaks_for_meeting(speaker: str, handed_down: bool) -> bool:
    """Someone other than the chair whose list still belongs to the meeting: a deputy or spokesperson
    speaking for it (not a รองศาสตราจารย์), or any official handing the items down (สั่งการ,
    ขอความร่วมมือ...) at it."""
    for title in vocab.ACADEMIC_TITLES:
        speaker = speaker.replace(title, "")
    return handed_down or any(role in speaker for role in vocab.DEPUTY_ROLE_WORDS)


_PERSON_START_RE: Final = re.compile(
    "^(?:"
    + "|".join(re.escape(t) for t in sorted(vocab.PERSON_TITLES, key=len, reverse=True))
    + r")\s?(?!"
    + "|".join(re.escape(w) for w in vocab.TITLE_LOOKALIKE_WORDS)
    + r")[\u0e01-\u0e4e]"
)


def _items_of_people(items: list[str]) -> int:
    """Items that open with a person's name (นางจุรีรัตน์ ..., ดร.นิรันดร์ ...), not นายอำเภอ..."""
    return sum(1 for item in items if _PERSON_START_RE.match(item.lstrip(' "“')))


def _items_starting_with(items: list[str], starts: tuple[str, ...]) -> int:
    return sum(1 for item in items if item.lstrip(' "“').startswith(starts))


def _score(numbered: NumberedList, paragraphs: list[str], body: str, chair: Chair | None) -> None:
    """Weigh independent cues (who speaks, what the lead-in says, what the items say) into a score."""
    lead, speaker_paragraph = _lead_in(numbered, paragraphs, body)
    numbered.lead_in = lead[-_LEAD_STRONG_WINDOW:]
    strong_window, weak_window = lead[-_LEAD_STRONG_WINDOW:], lead[-_LEAD_WEAK_WINDOW:]

    def add(points: int, key: str, cue: str = "") -> None:
        numbered.score += points
        numbered.evidence.append(Evidence(points, key, cue))
        numbered.reasons.append(f"{points:+d} {key}{': ' + cue if cue else ''}")

    speaker = paragraph_speaker(paragraphs[speaker_paragraph])
    numbered.speaker = speaker
    others_speak = bool(speaker and chair is not None and not speaker_is_chair(speaker, chair))
    person = others_speak and _speaker_is_person(speaker or "")
    asks_upward = _UPWARD_RE.search(weak_window) if person else None
    strong = None if asks_upward else _STRONG_RE.search(strong_window)
    if strong:
        add(3, "hands_down", strong.group(0))
    counted = _COUNTED_RE.search(weak_window)
    if counted:
        add(2, "counted", counted.group(0))
    weak = sorted({match.group(0) for cue in _WEAK_RES for match in cue.finditer(weak_window)})
    if weak:
        add(1, "mentions", ", ".join(weak))
    report = _REPORT_RE.search(weak_window)
    if report:
        add(-3, "reports", report.group(0))
    framework = _FRAMEWORK_RE.search(weak_window)
    if framework:
        add(-4, "framework", framework.group(0))
    standing = _STANDING_RE.search(weak_window)
    if standing:
        add(-2, "standing", standing.group(0))
    conditions = _CONDITIONS_RE.search(weak_window)
    if conditions:
        add(-3, "conditions", conditions.group(0))
    habitual = _HABITUAL_RE.search(weak_window)
    if habitual:
        add(-3, "habitual", habitual.group(0))

    if speaker and chair is not None:
        if not others_speak:  # a host, the doer of an event: less sure to hand down orders than a chair
            add(1 if chair.leads_less else 2, "chair_speaks", speaker)
        elif person:
            if asks_upward:
                add(-3, "asks_upward", asks_upward.group(0))
            elif _speaks_for_meeting(speaker, strong is not None and habitual is None):
                add(1, "speaks_for_meeting", speaker)
            else:
                add(-3, "someone_else", speaker)

    if numbered.headless:
        add(-1, "headless", numbered.items[0][:40])
    if numbered.worded:
        add(0, "worded", ", ".join(str(value) for value in numbered.worded))
    if numbered.skipped:
        add(0, "skipped", ", ".join(str(value) for value in numbered.skipped))
    items = numbered.items
    half = len(items) / 2
    imperative = sum(1 for item in items if any(cue.search(item) for cue in _IMPERATIVE_RES))
    if imperative >= half:
        add(2, "items_order", f"{imperative}/{len(items)}")
    reported = sum(1 for item in items if _ITEM_REPORT_RE.search(item))
    if reported >= half:
        add(-3, "items_noted", f"{reported}/{len(items)}")
    agreed = sum(1 for item in items if _AGREED_RE.search(item))
    if agreed >= half:
        add(-5, "items_agreed", f"{agreed}/{len(items)}")
    defined = sum(1 for item in items if _DEFINITION_RE.search(item))
    if defined >= half:
        add(-2, "items_define", f"{defined}/{len(items)}")
    appointed = sum(1 for item in items if _APPOINTMENT_RE.search(item[:300]))
    if appointed >= half:
        add(-5, "items_appointed", f"{appointed}/{len(items)}")
    cases = _items_starting_with(items, (vocab.ITEM_CASE_START,))
    if cases >= max(2, half):
        add(-1, "items_cases", f"{cases}/{len(items)}")
    purposes = _items_starting_with(items, (vocab.ITEM_PURPOSE_START,))
    if purposes >= max(2, half):
        add(-3, "items_purposes", f"{purposes}/{len(items)}")
    named = sum(1 for item in items if _NAMED_TERM_RE.match(item))
    if named >= half:
        add(-3, "items_named", f"{named}/{len(items)}")
    dated = sum(1 for item in items if thai.find_dates(item[:80]))
    if dated >= half:
        add(-2, "items_dated", f"{dated}/{len(items)}")
    people = _items_of_people(items)
    if people >= half:
        add(-4, "items_people", f"{people}/{len(items)}")
    sessions = _items_starting_with(items, vocab.ITEM_SESSION_STARTS)
    if sessions >= half:
        add(-3, "items_sessions", f"{sessions}/{len(items)}")
    kinds = _items_starting_with(items, vocab.ITEM_KIND_STARTS)
    if kinds >= half:
        add(-3, "items_kinds", f"{kinds}/{len(items)}")
    requests = _items_starting_with(items, vocab.ITEM_REQUEST_STARTS)
    if requests >= half:
        add(-3, "items_requests", f"{requests}/{len(items)}")
    places = _items_starting_with(items, vocab.PLACE_WORDS)
    if places >= half:
        add(-3, "items_places", f"{places}/{len(items)}")
    lengths = [len(item) for item in items[:-1]] or [len(items[-1])]
    if statistics.median(lengths) < _SHORT_ITEM:
        add(-2, "items_short", f"{statistics.median(lengths):.0f}")


def cue_names(numbered: NumberedList, sign: int) -> str:
    """The Thai names of the strongest cues for (sign > 0) or against (sign < 0) a list, for a warning."""
    # a cue of no weight (an item numbered in words) is a reason to look: named with those against
    chosen = sorted(
        (e for e in numbered.evidence if e.points * sign > 0 or (sign < 0 and e.points == 0)),
        key=lambda e: (e.points != 0, -abs(e.points)),
    )[:2]
    return ", ".join(texts.CUES[e.key].format(cue=e.cue) for e in chosen) or texts.NO_CUE


def evidence_summary(numbered: NumberedList) -> str:
    """The cues against and for a list, in Thai, for a warning."""
    return texts.EVIDENCE.format(against=cue_names(numbered, -1), support=cue_names(numbered, 1))


def _names_ten_es(text: str, codes: tuple[str, ...]) -> int:
    lowered = text.lower()
    return sum(1 for code in codes if code.lower() in lowered)


# --- Directive titles -------------------------------------------------------------------------------

TITLE_MAX: Final = 80
"""Characters of a title: two or three lines of a LINE card's bold title (``bot.flex.bubble`` shows at
most 3 lines and cuts at 120 UTF-16 units, which a title of this length never reaches)."""
_TITLE_MIN: Final = 20
_COLON_RE: Final = re.compile(r"\s?:\s")
_THAI_LETTER_RE: Final = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44]")
_ENDS_A_WORD_RE: Final = re.compile(r"[\u0e01-\u0e4e)”\"'’]")
_LATIN_RE: Final = re.compile(r"[A-Za-z]")
_BARE_NUMBER_RE: Final = re.compile(r"[\d๐-๙.,/:%-]+")
_ORGANISATION_START_RE: Final = re.compile(
    "^(?:และ)?(?:" + "|".join(re.escape(word) for word in vocab.ADDRESSEE_STARTS) + ")"
)


def _is_clause_boundary(line: str, space: int) -> bool | None:
    """Whether the space at ``line[space]`` ends a Thai clause. Thai writes a space between clauses,
    but also around English words and numbers (``แอปพลิเคชัน Traffy Fondue``, ``โคโรนา 2019``, ``ภายใน
    7 วัน``; an English word may end a clause, a number does not: its unit follows), before
    a word that carries the phrase on (``ขยายผลการดำเนินงาน ไปยังทุกจังหวัด``) and between the names
    of a list of agencies (``กระทรวงมหาดไทย กระทรวงกลาโหม``): none of those is a boundary."""
    before, after = line[:space].rstrip(), line[space + 1 :].lstrip()
    if not before or not after:
        return False
    previous_word = before.rsplit(" ", 1)[-1]
    ends_a_word = _ENDS_A_WORD_RE.match(before[-1]) or not _BARE_NUMBER_RE.fullmatch(previous_word)
    if not ends_a_word or not (_THAI_LETTER_RE.match(after[0]) or after[0] == "("):
        return False
    if _opens_with_word(after, vocab.CONTINUING_TITLE_WORDS):
        return False
    if _opens_with_word(after, vocab.COORDINATING_TITLE_WORDS) or _LATIN_RE.search(previous_word):
        return None
    return not (_ORGANISATION_START_RE.match(previous_word) and _ORGANISATION_START_RE.match(after))


def _opens_with_word(text: str, words: tuple[str, ...]) -> bool:
    """``text`` opens with one of ``words`` as whole words (``ให้แก่ผู้ประสบภัย``, not ``ของขวัญ``)."""
    ends, at = set(), 0
    for word in thai.segment(text[:30]):
        at = text.find(word, at) + len(word)
        ends.add(at)
    return any(text.startswith(word) and len(word) in ends for word in words)


def shorten_at_word(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters, else its longest prefix that ends at a word
    (PyThaiNLP segmentation: never inside an English word or a number), spacing kept, and "…"."""
    if len(text) <= limit:
        return text
    end = 0
    for word in thai.segment(text[: limit * 2]):
        at = text.find(word, end)
        if at < 0 or at + len(word) > limit - 1:
            break
        end = at + len(word)
    return (text[:end] or text[: limit - 1]).rstrip() + "…"


def _first_clause(line: str, subject_end: int = 0) -> str:
    depth = 0
    first_half = ""
    for index, char in enumerate(line):
        if char in "(“":
            depth += 1
        elif char in ")”" and depth:
            depth -= 1
        elif char == " " and depth == 0 and index >= max(_TITLE_MIN, subject_end + 1):
            if index > TITLE_MAX:
                break
            boundary = _is_clause_boundary(line, index)
            if boundary is False:
                continue
            candidate = line[:index].strip()
            if len(candidate) > TITLE_MAX:
                break
            last_words = thai.segment(candidate[-30:])
            if last_words and last_words[-1] in vocab.DANGLING_TITLE_ENDINGS:
                continue
            if boundary is None:
                first_half = first_half or candidate
                continue
            return candidate
    return first_half if first_half and len(line) > TITLE_MAX else shorten_at_word(line, TITLE_MAX)


def _addressees_end(line: str) -> int:
    """Where a leading list of agencies (``กระทรวงมหาดไทย กระทรวงกลาโหม สำนักงานตำรวจแห่งชาติ ให้...``)
    ends, or 0 when the line does not open with at least two of them."""
    end, count = 0, 0
    for match in re.finditer(r"\S+", line):
        if not _ORGANISATION_START_RE.match(match.group(0)):
            break
        end, count = match.end(), count + 1
    return end if count >= 2 else 0


def directive_title(text: str) -> str:
    """The directive's first meaningful clause, whole: up to ``:`` or the first clause boundary after
    20 characters (see ``_is_clause_boundary``), never inside brackets; a clause longer than
    ``TITLE_MAX`` is cut at a word with "…". A directive opening with a list of agencies is titled by
    what they are told to do when agencies and order do not fit together."""
    first_line = text.split("\n", 1)[0].strip().strip('"“”')
    colon = _COLON_RE.search(first_line, 0, TITLE_MAX + 5)
    if colon and colon.start() >= 4 and not _opens_parenthesis(first_line[: colon.start()]):
        return first_line[: colon.start()].strip()
    addressees = _addressees_end(first_line)
    title = _first_clause(first_line, addressees)
    order = first_line[addressees:].strip()
    if addressees and order and title.endswith("…"):
        return _first_clause(order)
    return title


# --- Entry point ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundDirective:
    title: str
    text: str
    list_number: int = 0
    """Which accepted list of the article it comes from (0, 1, ...)."""
    doubt: str | None = None
    """For a list kept on thin evidence: the Thai names of the cues for and against it."""


@dataclass(frozen=True)
class ListReading:
    """What the parser made of the numbered lists of an article."""

    directives: tuple[FoundDirective, ...]
    lists: tuple[NumberedList, ...]
    ten_es: bool
    warnings: tuple[str, ...] = ()
    """Thai warnings about lists dropped on thin evidence (see ``NumberedList.near_miss``)."""
    subject: str = ""
    """The lead-in of the first list kept as directives, from its last sentence that carries words."""


def read_lists(paragraphs: tuple[str, ...], chair: Chair | None, ten_e_codes: tuple[str, ...]) -> ListReading:
    """Find numbered lists, decide which are directives, return the directives in article order."""
    chair = stated(chair)  # a guess weighs nothing for or against the lists
    paragraph_list = list(paragraphs)
    body = "\n".join(paragraph_list)
    lists, unjoined = _chain(find_markers(body), find_relaxed_markers(body), find_worded_markers(body))
    top = _nest(lists, body)
    directives: list[FoundDirective] = []
    warnings: list[str] = []
    ten_es = _names_ten_es(body, ten_e_codes) >= len(ten_e_codes) // 2 + 1
    accepted = 0
    for numbered in top:
        _cut_items(numbered, body)
        if _names_ten_es(" ".join(numbered.items), ten_e_codes) >= vocab.TEN_ES_MIN_CODES:
            numbered.ten_es = True
            numbered.reasons.append("the list restates the 10Es")
            ten_es = True
            continue
        _score(numbered, paragraph_list, body, chair)
        if numbered.accepted:
            doubt = evidence_summary(numbered) if numbered.thin else None
            directives.extend(
                FoundDirective(directive_title(item), item, accepted, doubt)
                for item in numbered.items
                if item
            )
            accepted += 1
        elif numbered.near_miss:
            start = shorten_at_word(directive_title(numbered.items[0]), 40)
            warnings.append(
                texts.NEAR_LIST_DROPPED.format(
                    count=len(numbered.items), start=start, cues=evidence_summary(numbered)
                )
            )
    warnings += _gap_warnings(top, unjoined, body)
    kept = next((numbered for numbered in top if numbered.accepted), None)
    subject = lead_in_subject(kept.lead_in) if kept is not None else ""
    return ListReading(tuple(directives), tuple(top), ten_es, tuple(warnings), subject)


def _gap_warnings(top: list[NumberedList], unjoined: list[NumberedList], body: str) -> list[str]:
    """A run counting up from two or more past a kept list's last number (``1. ... 2. ... 5. ... 6. ...``):
    the items between were not numbered as the others or are lost, and the run was not read; the editor is
    told."""
    warnings = []
    for run in unjoined:
        first = run.markers[0]
        if len(run.markers) < 2:
            continue  # one number alone is a figure more often than an item
        before = [
            numbered
            for numbered in top
            if numbered.accepted
            and numbered.markers[-1].style == first.style
            and numbered.markers[-1].offset < first.offset
            and first.offset - numbered.markers[-1].offset <= _MAX_ITEM_GAP
        ]
        if before and before[-1].markers[-1].value < first.value - 1:
            start = shorten_at_word(directive_title(_tidy(body[first.end : run.markers[1].offset])), 40)
            warnings.append(
                texts.LIST_GAP.format(last=before[-1].markers[-1].value, next=first.value, start=start)
            )
    return warnings


def lead_in_subject(lead_in: str, most: int = SUBJECT_CHARS) -> str:
    """What a list's lead-in says it is about: its last `most` characters, from a word boundary (Thai
    separates sentences and clauses by spaces), without the closing "ดังนี้"/"ดังต่อไปนี้"."""
    text = " ".join(lead_in.split())
    text = re.sub(r"\s*(ดังต่อไปนี้|ดังนี้)\s*[:：]?\s*$", "", text)
    if len(text) > most:
        cut = text[-most:]
        space = cut.find(" ")
        text = cut[space + 1 :] if 0 <= space < most // 2 else cut
    return text.strip()


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
