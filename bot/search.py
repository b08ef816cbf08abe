"""Topic search over published directives: ranked, and tolerant of the ways Thai is typed.

An official types a topic ("ขยะติดเชื้อ"), a question ("เรื่องขยะติดเชื้อต้องทำอย่างไร"), an English
term ("ITA", "PM2.5"), Thai digits or a typo; the bot answers with the directives of all published
meetings about it, best first, each with its meeting. Pure Python over an in-memory index: the
department publishes a few thousand directives at most, and a search costs a few milliseconds.

Reading a query (:func:`parse_query`)
  1. Folded like the documents: :func:`bot.thai.normalize`, Thai digits to Arabic, lower case; spaces
     between Thai letters dropped (Thai writes words without spaces: "ขยะ ติดเชื้อ" = "ขยะติดเชื้อ").
  2. Terms of ``bot/data/synonyms.yaml`` are found in it, longest first, ignoring spaces and punctuation
     ("PM 2.5" = "pm2.5"). Each becomes a *concept*: the term, its synonyms (weight 0.9) and related
     terms (0.5).
  3. The rest is segmented (:func:`bot.thai.segment`); question words and particles (``STOP_WORDS``:
     "เรื่อง", "ต้องทำอย่างไร", "คืออะไร", "ไหม", "ครับ"...) are dropped, and each run of words between
     them is one more concept.

Scoring a directive (:meth:`SearchIndex.search`)
  * Words: BM25 over PyThaiNLP words (k1 1.2, b 0.5), fields weighted before saturation (BM25F):
    directive title ×3, text ×1, its 10E categories' names ×0.3, its meeting's headline ×0.3 (the
    context of every directive in it: a flood meeting's directives say พร่องน้ำ, its headline น้ำหลาก).
  * Phrases: each alternative is also looked for as a substring of the directive with spaces and
    punctuation removed, so a compound is found however the segmenter cut it ("ศูนย์พัฒนาเด็กเล็ก",
    "PM 2.5"); it adds the phrase's IDF, doubled when the phrase is in the title. Where the exact
    spelling is absent, the spelling without tone marks (a common typo: "ติดเชือ") counts 0.7 as much;
    found only in the meeting's headline, 0.4 as much.
  * A concept scores its best alternative (×1.5 for a term of the synonyms file: the topic, which
    the other words qualify); a directive scores the sum over concepts times its
    *coverage*, the IDF-weighted share of the query's concepts it matches (a word matched in part
    counts in part), so a directive about the rare word of the query beats one that repeats the
    common one. Directives covering less than half of the query are not hits.
  * Fallback: a concept found nowhere, not even without tone marks, is looked for by character
    trigrams (tone marks dropped); directives holding 60% of its trigrams (IDF-weighted) match it, in
    proportion ("ค่าครองชิพ" finds "ค่าครองชีพ"). A concept that matches nothing at all is ignored.
  * Recency: ×(1 + 0.15 × 2^(−age / 2 years)), the age counted from the newest meeting in the index:
    of two equal matches the newer meeting wins; an old exact match still beats a new vague one.

:class:`Search` holds an index built from the database and rebuilds it when content changes (see
its docstring); every web process holds its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import thai
from bot.db import Database
from bot.models import Directive, Meeting, TenE, directive_ten_es

log = logging.getLogger(__name__)

SYNONYMS_PATH: Final = Path(__file__).resolve().parent / "data" / "synonyms.yaml"

# --- Ranking knobs (see the module docstring) ------------------------------------------------------

TITLE_WEIGHT: Final = 3.0
TEXT_WEIGHT: Final = 1.0
CATEGORY_WEIGHT: Final = 0.3
# The meeting's subject (its headline, and the sentence introducing its directives) is every directive's
# context: a flood meeting's directives say อพยพ or พร่องน้ำ, its headline says น้ำหลาก, its lead-in
# สถานการณ์อุทกภัย. Their words and phrases count, well below the directive's own.
MEETING_WEIGHT: Final = 0.3
MEETING_PHRASE_FACTOR: Final = 0.4
BM25_K1: Final = 1.2
BM25_B: Final = 0.5
PHRASE_TITLE_BOOST: Final = 2.0
LOOSE_FACTOR: Final = 0.7
SYNONYM_WEIGHT: Final = 0.9
RELATED_WEIGHT: Final = 0.5
MIN_COVERAGE: Final = 0.5
FUZZY_MIN_SHARE: Final = 0.7
FUZZY_MIN_GRAMS: Final = 4
FUZZY_FACTOR: Final = 0.5
TOPIC_BOOST: Final = 1.5
"""A concept from the synonyms file is a topic of the department; other words of the query qualify it."""
RECENCY_WEIGHT: Final = 0.15
RECENCY_HALF_LIFE_DAYS: Final = 730.0

MIN_TERM_CHARS: Final = 3
"""Synonym terms and phrases are at least this long once squashed: shorter ones hide inside other
words (สถ. in สถานการณ์, มท. in สมทบ)."""
MIN_LATIN_PHRASE_CHARS: Final = 4
"""A Latin term shorter than this (ITA, ATK) is matched as a word only, never inside one (capital)."""
ABBREVIATION_CHARS: Final = 4
"""A term this short is matched whole, not segmented (the segmenter cuts ศพด. into ศพ + ด)."""
MAX_QUERY_CHARS: Final = 200
"""A pasted article is not a topic: only its start is read."""
SNIPPET_CHARS: Final = 160
SNIPPET_LEAD_CHARS: Final = 40

STOP_WORDS: Final = frozenset(
    {
        # what every query is about anyway
        "ข้อสั่งการ", "ข้อ", "สั่งการ", "สั่ง", "การสั่งการ", "อธิบดี", "ท่านอธิบดี", "ประชุม",
        "ที่ประชุม", "การประชุม", "เรื่อง", "เรื่องของ", "ประเด็น", "หัวข้อ", "เกี่ยวกับ", "ด้าน",
        # question words
        "อะไร", "ไร", "อย่างไร", "ยังไง", "อย่างไรบ้าง", "ไง", "ไหม", "มั้ย", "ไม๊", "หรือไม่",
        "หรือเปล่า", "เปล่า", "บ้าง", "คือ", "เมื่อไร", "เมื่อไหร่", "ที่ไหน", "ใคร", "ทำไม", "กี่",
        # requests and politeness
        "ครับ", "ค่ะ", "คะ", "คับ", "ฮะ", "จ้ะ", "จ้า", "นะ", "น่ะ", "หน่อย", "ขอ", "ขอดู", "ดู",
        "อยาก", "ทราบ", "อยากทราบ", "รู้", "อยากรู้", "ช่วย", "บอก", "หา", "ค้นหา", "สอบถาม", "ถาม",
        "แจ้ง", "รบกวน", "สวัสดี", "ขอบคุณ", "hello", "hi", "please",
        # glue
        "มี", "ที่", "ใน", "และ", "หรือ", "ของ", "ให้", "ได้", "จะ", "เป็น", "กับ", "ว่า", "ต้อง", "ทำ",
        "การ", "ความ", "แล้ว", "ยัง", "อยู่", "ไว้", "นี้", "นั้น", "ไป", "มา", "โดย", "เพื่อ", "ล่าสุด",
        "ตอนนี้", "ปัจจุบัน", "ช่วงนี้",
        # English
        "a", "an", "the", "of", "about", "on", "in", "for", "and", "or", "what", "is", "how", "to",
    }
)  # fmt: skip
"""Words of a query that say nothing about its topic; dropped after segmentation."""

# --- Folding ---------------------------------------------------------------------------------------

_THAI_LETTER: Final = "\u0e01-\u0e4e"
_THAI_COMBINING: Final = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_TONE_MARKS: Final = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # ็ ่ ้ ๊ ๋ ์: what typists get wrong
# Letters typed for one another because they sound alike: long and short vowels, the rarer consonants.
_SOUND_ALIKE: Final = {"ี": "ิ", "ู": "ุ", "ศ": "ส", "ษ": "ส", "ธ": "ท", "ฑ": "ท", "ฒ": "ท", "ฏ": "ต",
                       "ฎ": "ด", "ณ": "น", "ฬ": "ล", "ภ": "พ", "ฆ": "ค", "ฅ": "ค", "ฃ": "ข", "ฌ": "ช",
                       "ฐ": "ถ", "ญ": "ย"}  # fmt: skip
_KEPT_RE: Final = re.compile(rf"(?:[^\W_ฯๆ]|[{_THAI_COMBINING}])+")
_THAI_SPACE_RE: Final = re.compile(rf"(?<=[{_THAI_LETTER}])\s+(?=[{_THAI_LETTER}])")
_LOOSE_TABLE: Final = str.maketrans({**dict.fromkeys(_TONE_MARKS), **_SOUND_ALIKE})
_ASCII_ALNUM: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
_FIELD_SEPARATOR: Final = "|"  # never in a squashed string


def fold(text: str) -> str:
    """Normalised, Thai digits as Arabic, lower case; one character for one after normalising."""
    normalized = thai.normalize(text)
    folded = thai.thai_digits_to_arabic(normalized).lower()
    return folded if len(folded) == len(normalized) else thai.thai_digits_to_arabic(normalized)


def squash(folded: str) -> str:
    """Folded text without spaces, punctuation or symbols: ``"PM 2.5"`` → ``"pm25"``."""
    return "".join(_KEPT_RE.findall(folded))


def loosen(squashed: str) -> str:
    """Squashed text spelt loosely, for typo-tolerant matching: no tone marks, Maitaikhu or
    Thanthakhat; long vowels ี ู as short; sound-alike consonants as the common one (ศ ษ → ส, ธ → ท...).
    One character for one, except the marks dropped."""
    return squashed.translate(_LOOSE_TABLE)


def _squash_with_offsets(folded: str) -> tuple[str, list[int]]:
    """:func:`squash`, with the position in ``folded`` of every character kept."""
    pieces: list[str] = []
    offsets: list[int] = []
    for match in _KEPT_RE.finditer(folded):
        pieces.append(match.group())
        offsets.extend(range(*match.span()))
    return "".join(pieces), offsets


def _folded_position(folded: str, index: int, *, loose: bool = False) -> int:
    """Where in ``folded`` the character at ``index`` of its :func:`squash` (or, loose, of that
    loosened) comes from: one position, without a list of them as long as the text."""
    seen = 0
    for match in _KEPT_RE.finditer(folded):
        piece = match.group()
        kept = piece.translate(_LOOSE_TABLE) if loose else piece
        if index < seen + len(kept):
            if len(kept) == len(piece):
                return match.start() + index - seen
            for offset, char in enumerate(piece):
                if char.translate(_LOOSE_TABLE):
                    if seen == index:
                        return match.start() + offset
                    seen += 1
        seen += len(kept)
    raise IndexError(index)


def tokens(folded: str) -> list[str]:
    """Words of folded text (PyThaiNLP newmm), each squashed; punctuation-only tokens dropped."""
    return [key for token in thai.segment(folded) if (key := squash(token))]


def _is_latin_phrase_too_short(key: str) -> bool:
    return len(key) < MIN_LATIN_PHRASE_CHARS and bool(_ASCII_LETTERS.intersection(key))


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


# --- Synonyms --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    """Groups of interchangeable and related terms, and the topics suggested when nothing is found."""

    expansions: Mapping[str, tuple[tuple[str, float], ...]]
    """Squashed term → (other term, weight) for each term of its groups."""
    terms: Mapping[str, str]
    """Squashed term → the term as written in the file."""
    topics: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
    """Every squashed term, longest first, for finding them in a squashed query."""

    @classmethod
    def from_groups(
        cls,
        synonyms: Iterable[Sequence[str]] = (),
        related: Iterable[Sequence[str]] = (),
        topics: Iterable[str] = (),
    ) -> Synonyms:
        terms: dict[str, str] = {}

        def linked(groups: Iterable[Sequence[str]]) -> dict[str, set[str]]:
            links: dict[str, set[str]] = defaultdict(set)
            for group in groups:
                keys = [_term_key(str(term)) for term in group]
                for key, term in zip(keys, group, strict=True):
                    terms.setdefault(key, str(term))
                    links[key].update(other for other in keys if other != key)
            return links

        same = linked(synonyms)
        near: dict[str, set[str]] = defaultdict(set)
        for group in related:  # the first term is the topic, the others are related to it (one way)
            topic, *others = (_term_key(str(term)) for term in group)
            for key, term in zip((topic, *others), group, strict=True):
                terms.setdefault(key, str(term))
            near[topic].update(others)
        expansions: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
        for key in same.keys() | near.keys():
            for other in same.get(key, set()):
                expansions[key][other] = (terms[other], SYNONYM_WEIGHT)
            # Related to the word or to one of its synonyms: related to the word.
            for synonym in {key} | same.get(key, set()):
                for other in near.get(synonym, set()) - {key} - same.get(key, set()):
                    expansions[key][other] = (terms[other], RELATED_WEIGHT)
        frozen = {key: tuple(found.values()) for key, found in expansions.items()}
        alternation = "|".join(re.escape(key) for key in sorted(frozen, key=lambda key: (-len(key), key)))
        pattern = re.compile(alternation) if alternation else None
        return cls(expansions=frozen, terms=terms, topics=tuple(topics), pattern=pattern)


def _term_key(term: str) -> str:
    key = squash(fold(term))
    if len(key) < MIN_TERM_CHARS:
        raise ValueError(f"synonym term {term!r} is too short (at least {MIN_TERM_CHARS} letters)")
    return key


def load_synonyms(path: Path = SYNONYMS_PATH) -> Synonyms:
    """Read and check a synonyms file (``synonyms``, ``related``: lists of groups; ``topics``)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(raw) - {"synonyms", "related", "topics"}
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")
    for section in ("synonyms", "related"):
        for group in raw.get(section) or []:
            if not isinstance(group, list) or len(group) < 2:
                raise ValueError(f"{path}: {section}: a group needs two terms or more, got {group!r}")
    return Synonyms.from_groups(raw.get("synonyms") or [], raw.get("related") or [], raw.get("topics") or [])


@functools.cache
def default_synonyms() -> Synonyms:
    return load_synonyms()


# --- Queries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One way of saying a concept: the words typed, a synonym or a related term."""

    text: str
    key: str
    """Squashed: what is looked for as a phrase."""
    tokens: tuple[str, ...]
    weight: float = 1.0

    @property
    def loose(self) -> str:
        return loosen(self.key)

    @property
    def phrase(self) -> bool:
        """Whether to look for it inside words too (too short or Latin and short: words only)."""
        return len(self.loose) >= MIN_TERM_CHARS and not _is_latin_phrase_too_short(self.key)


@dataclass(frozen=True)
class Concept:
    """Something the query asks about; ``alternatives[0]`` is how the official wrote it."""

    alternatives: tuple[Alternative, ...]
    topic: bool = False
    """Found in the synonyms file: it weighs TOPIC_BOOST times more than the other words."""

    @property
    def text(self) -> str:
        return self.alternatives[0].text


@dataclass(frozen=True)
class Query:
    text: str
    concepts: tuple[Concept, ...]


def _term_tokens(key: str, words: Sequence[str]) -> tuple[str, ...]:
    """The words of a term to match: an abbreviation (ศพด., อปท.) is one word, whatever the segmenter
    makes of it; one-letter debris of segmentation is dropped when there are real words."""
    if len(key) <= ABBREVIATION_CHARS and not _ASCII_ALNUM.intersection(key):
        return (key,)
    kept = tuple(dict.fromkeys(word for word in words if len(word) > 1))
    return kept or tuple(dict.fromkeys(words))


def _alternative(term: str, weight: float) -> Alternative:
    """A synonym's way of writing a topic. Its words are matched without the stop words among them
    (การ, และ, ความ: in nearly every directive, they were most of a query's work and none of its
    meaning); the whole term still counts as a phrase."""
    folded = fold(term)
    key = squash(folded)
    words = tokens(folded)
    return Alternative(
        term, key, _term_tokens(key, [w for w in words if w not in STOP_WORDS] or words), weight
    )


def _synonym_concept(key: str, written: str, synonyms: Synonyms) -> Concept:
    alternatives = [_alternative(written, 1.0)]
    alternatives += [_alternative(term, weight) for term, weight in synonyms.expansions.get(key, ())]
    return Concept(tuple(alternatives), topic=True)


def _latin_boundary_ok(folded: str, start: int, end: int) -> bool:
    """A Latin term found in a query must not be part of a longer Latin word ("ita" in "capital")."""
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    if folded[start] in _ASCII_LETTERS and before in _ASCII_LETTERS:
        return False
    return not (folded[end - 1] in _ASCII_ALNUM and after in _ASCII_LETTERS)


def _join(words: Sequence[str]) -> str:
    joined = ""
    for word in words:
        if joined and joined[-1] in _ASCII_ALNUM and word[0] in _ASCII_ALNUM:
            joined += " "
        joined += word
    return joined


def _runs(folded_piece: str) -> Iterator[list[str]]:
    """Runs of topic words in a piece of query: stop words split them."""
    run: list[str] = []
    for word in tokens(folded_piece):
        if word in STOP_WORDS:
            if run:
                yield run
            run = []
        else:
            run.append(word)
    if run:
        yield run


def parse_query(query: str, synonyms: Synonyms | None = None) -> Query:
    """Read a query into concepts (see the module docstring)."""
    synonyms = synonyms if synonyms is not None else default_synonyms()
    folded = _THAI_SPACE_RE.sub("", fold(query[: MAX_QUERY_CHARS * 2]))[:MAX_QUERY_CHARS]
    squashed, offsets = _squash_with_offsets(folded)
    concepts: list[Concept] = []
    pieces: list[str] = []
    cursor = 0
    for match in synonyms.pattern.finditer(squashed) if synonyms.pattern else ():
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if not _latin_boundary_ok(folded, start, end):
            continue
        pieces.append(folded[cursor:start])
        cursor = end
        concepts.append(_synonym_concept(match.group(), synonyms.terms[match.group()], synonyms))
    pieces.append(folded[cursor:])
    for piece in pieces:
        for run in _runs(piece):
            key = "".join(run)
            concepts.append(Concept((Alternative(_join(run), key, _term_tokens(key, run)),)))
    unique = {concept.alternatives[0].key: concept for concept in concepts}
    return Query(query, tuple(unique.values()))


# --- The index -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What is searched: a directive of a published meeting, with what the reply shows of its meeting."""

    directive_id: int
    meeting_id: int
    seq: int
    title: str
    text: str
    meeting_date: dt.date | None = None
    meeting_number: str | None = None
    meeting_title: str = ""
    meeting_subject: str = ""
    """The sentence that introduces the meeting's directives: read with the headline, never shown."""
    categories: tuple[str, ...] = ()
    """10E codes and Thai names."""


@dataclass(frozen=True)
class Hit:
    """A directive found, best first; ``matched_terms`` are the query's words (or their synonyms) it holds."""

    directive_id: int
    meeting_id: int
    meeting_date: dt.date | None
    meeting_number: str | None
    meeting_title: str
    seq: int
    title: str
    snippet: str
    score: float
    matched_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Analysis:
    term_weights: dict[str, float]
    length: int
    title_key: str
    key: str
    """Squashed title and text, separated by ``_FIELD_SEPARATOR``."""
    loose: str
    meeting_key: str
    """The meeting's headline, squashed."""
    meeting_loose: str


def _analyse(document: Document) -> _Analysis:
    title, text = fold(document.title), fold(document.text)
    weights: dict[str, float] = defaultdict(float)
    text_tokens = tokens(text)
    for token in tokens(title):
        weights[token] += TITLE_WEIGHT
    for token in text_tokens:
        weights[token] += TEXT_WEIGHT
    for category in document.categories:
        for token in tokens(fold(category)):
            weights[token] += CATEGORY_WEIGHT
    meeting = fold(" ".join(part for part in (document.meeting_title, document.meeting_subject) if part))
    for token in tokens(meeting):
        weights[token] += MEETING_WEIGHT
    title_key = squash(title)
    key = title_key + _FIELD_SEPARATOR + squash(text)
    meeting_key = squash(meeting)
    return _Analysis(
        dict(weights), max(len(text_tokens), 1), title_key, key, loosen(key), meeting_key, loosen(meeting_key)
    )


@dataclass
class _ConceptMatch:
    score: float
    coverage: float
    terms: tuple[str, ...]


class SearchIndex:
    """An immutable index of documents; :meth:`search` is safe to call from several threads."""

    def __init__(
        self,
        documents: Sequence[Document],
        analyses: Sequence[_Analysis],
        synonyms: Synonyms,
    ) -> None:
        self.documents = tuple(documents)
        self.synonyms = synonyms
        self._analyses = tuple(analyses)
        self._by_document = dict(zip(self.documents, self._analyses, strict=True))
        count = len(self.documents)
        self._count = count
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        grams: dict[str, int] = defaultdict(int)
        gram_docs: dict[str, list[int]] = defaultdict(list)
        meeting_gram_docs: dict[str, list[int]] = defaultdict(list)
        total_length = 0
        for number, analysis in enumerate(self._analyses):
            total_length += analysis.length
            for term, weight in analysis.term_weights.items():
                postings[term][number] = weight
            for gram in _trigrams(analysis.loose):
                gram_docs[gram].append(number)
            for gram in _trigrams(analysis.meeting_loose) - _trigrams(analysis.loose):
                meeting_gram_docs[gram].append(number)
        # Candidates for a phrase may hold it in their meeting's headline; the fuzzy fallback looks
        # at the directive's own text only.
        for gram in gram_docs.keys() | meeting_gram_docs.keys():
            grams[gram] = sum(
                1 << number for number in (*gram_docs.get(gram, ()), *meeting_gram_docs.get(gram, ()))
            )
        self._idf = {term: self._idf_of(len(found)) for term, found in postings.items()}
        average = total_length / count if count else 1.0
        norm = [1 - BM25_B + BM25_B * a.length / average for a in self._analyses]
        # Term → directive → its BM25 share, computed once here rather than in every query's inner loop.
        self._bm25 = {
            term: {
                number: idf * weight * (BM25_K1 + 1) / (weight + BM25_K1 * norm[number])
                for number, weight in postings[term].items()
            }
            for term, idf in self._idf.items()
        }
        self._grams = dict(grams)
        self._gram_docs = {gram: tuple(numbers) for gram, numbers in gram_docs.items()}
        dates = [d.meeting_date for d in self.documents if d.meeting_date is not None]
        newest = max(dates) if dates else None
        self._recency = [
            1.0 + RECENCY_WEIGHT * 0.5 ** ((newest - d.meeting_date).days / RECENCY_HALF_LIFE_DAYS)
            if newest is not None and d.meeting_date is not None
            else 1.0
            for d in self.documents
        ]
        self._suggestions: list[str] | None = None

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        *,
        synonyms: Synonyms | None = None,
        previous: SearchIndex | None = None,
    ) -> SearchIndex:
        """Index documents; those unchanged since ``previous`` are not segmented again."""
        documents = list(documents)
        reuse = previous._by_document if previous is not None else {}
        analyses = [reuse.get(document) or _analyse(document) for document in documents]
        return cls(documents, analyses, synonyms if synonyms is not None else default_synonyms())

    def __len__(self) -> int:
        return self._count

    def _idf_of(self, document_frequency: int) -> float:
        return math.log(1 + (self._count - document_frequency + 0.5) / (document_frequency + 0.5))

    # -- matching one concept -----------------------------------------------------------------------

    def _word_matches(self, alternative: Alternative) -> tuple[dict[int, float], dict[int, list[str]]]:
        """Directive → BM25 of the alternative's words it holds, and directive → those words."""
        scores: dict[int, float] = {}
        held: dict[int, list[str]] = {}
        for token in alternative.tokens:
            found = self._bm25.get(token)
            if not found:
                continue
            for number, share in found.items():
                if number in scores:
                    scores[number] += share
                    held[number].append(token)
                else:
                    scores[number] = share
                    held[number] = [token]
        return scores, held

    def _candidates(self, loose_key: str) -> Iterator[int]:
        """Directives holding every trigram of a loose key (a superset of those holding the key)."""
        grams = _trigrams(loose_key)
        if not grams:
            return
        bits = -1
        for gram in sorted(grams, key=lambda g: self._grams.get(g, 0).bit_count()):
            bits &= self._grams.get(gram, 0)
            if not bits:
                return
        while bits:
            lowest = bits & -bits
            yield lowest.bit_length() - 1
            bits ^= lowest

    def _phrase_matches(self, alternative: Alternative) -> dict[int, float]:
        """Directive → weight of the alternative found as a phrase: in the title, loosely spelt..."""
        key, loose = alternative.key, alternative.loose
        found: dict[int, float] = {}
        for number in self._candidates(loose):
            analysis = self._analyses[number]
            if key in analysis.key:
                found[number] = PHRASE_TITLE_BOOST if key in analysis.title_key else 1.0
            elif loose in analysis.loose:
                in_title = loose in analysis.loose.partition(_FIELD_SEPARATOR)[0]
                found[number] = LOOSE_FACTOR * (PHRASE_TITLE_BOOST if in_title else 1.0)
            elif key in analysis.meeting_key:
                found[number] = MEETING_PHRASE_FACTOR
            elif loose in analysis.meeting_loose:
                found[number] = LOOSE_FACTOR * MEETING_PHRASE_FACTOR
        return found

    def _fuzzy_matches(self, alternative: Alternative) -> dict[int, float]:
        """Directive → share of the alternative's loose trigrams it holds, when at least FUZZY_MIN_SHARE."""
        grams = _trigrams(alternative.loose)
        if len(grams) < FUZZY_MIN_GRAMS:
            return {}
        counts: dict[int, int] = defaultdict(int)
        for gram in grams:
            for number in self._gram_docs.get(gram, ()):
                counts[number] += 1
        needed = FUZZY_MIN_SHARE * len(grams)
        return {number: count / len(grams) for number, count in counts.items() if count >= needed}

    def _concept_matches(self, concept: Concept) -> dict[int, _ConceptMatch]:
        """Directive → how well it matches the concept: the best of the concept's alternatives."""
        phrases = [self._phrase_matches(a) if a.phrase else {} for a in concept.alternatives]
        # A word and its synonyms are one term: their phrases share one IDF, so that a rare spelling is
        # not worth more than the common one. A related term keeps its own, never above theirs.
        same = [
            found for a, found in zip(concept.alternatives, phrases, strict=True) if a.weight > RELATED_WEIGHT
        ]
        shared_idf = self._idf_of(len(set().union(*same)))
        best: dict[int, _ConceptMatch] = {}
        complete_anywhere = False
        for alternative, phrase in zip(concept.alternatives, phrases, strict=True):
            phrase_idf = shared_idf if alternative.weight > RELATED_WEIGHT else self._idf_of(len(phrase))
            phrase_idf = min(phrase_idf, shared_idf)
            word_scores, held = self._word_matches(alternative)
            all_idf = sum(self._idf.get(token, self._idf_of(0)) for token in alternative.tokens)
            size, weight, whole = len(alternative.tokens), alternative.weight, (alternative.text,)
            for number in word_scores.keys() | phrase.keys():
                word, factor = word_scores.get(number), phrase.get(number)
                terms: tuple[str, ...]
                score = (word / size if word is not None else 0.0) + phrase_idf * (factor or 0.0)
                if factor is not None or len(words := held[number]) == size:
                    coverage, terms = 1.0, whole
                    complete_anywhere = True
                else:
                    coverage, terms = sum(self._idf[t] for t in words) / all_idf, tuple(words)
                score *= weight
                known = best.get(number)
                if known is None:
                    best[number] = _ConceptMatch(score, coverage, terms)
                elif score > known.score:
                    best[number] = _ConceptMatch(score, max(coverage, known.coverage), terms)
                else:
                    known.coverage = max(known.coverage, coverage)
        if not complete_anywhere:
            typed = concept.alternatives[0]
            fuzzy = self._fuzzy_matches(typed)
            fuzzy_idf = self._idf_of(len(fuzzy))
            for number, share in fuzzy.items():
                known = best.get(number)
                score = max(share * fuzzy_idf * LOOSE_FACTOR, known.score if known else 0.0)
                if known is None or share > known.coverage:
                    best[number] = _ConceptMatch(score, share, (typed.text,))
        return best

    def _concept_weight(self, concept: Concept) -> float:
        """How much a concept counts in coverage: the IDF of its rarest word as typed."""
        typed = concept.alternatives[0]
        idfs = [self._idf[token] for token in typed.tokens if token in self._idf]
        weight = max(idfs, default=self._idf_of(self._count // 10 + 1))
        return weight * TOPIC_BOOST if concept.topic else weight

    # -- searching ----------------------------------------------------------------------------------

    def search(self, query: str | Query, limit: int = 10) -> list[Hit]:
        """The best ``limit`` directives for a query; an empty list when nothing is about it."""
        parsed = query if isinstance(query, Query) else parse_query(query, self.synonyms)
        if not self._count or limit <= 0:
            return []
        per_concept = [(concept, self._concept_matches(concept)) for concept in parsed.concepts]
        per_concept = [(concept, matches) for concept, matches in per_concept if matches]
        if not per_concept:
            return []
        weights = [self._concept_weight(concept) for concept, _ in per_concept]
        total_weight = sum(weights)
        numbers = set().union(*(matches for _, matches in per_concept))
        ranked: list[tuple[float, int, tuple[str, ...]]] = []
        for number in numbers:
            score = coverage = 0.0
            terms: list[str] = []
            for (concept, matches), weight in zip(per_concept, weights, strict=True):
                match = matches.get(number)
                if match is not None:
                    score += match.score * (TOPIC_BOOST if concept.topic else 1.0)
                    coverage += weight * match.coverage
                    terms.extend(match.terms)
            coverage /= total_weight
            if coverage >= MIN_COVERAGE:
                final = score * coverage * self._recency[number]
                ranked.append((final, number, tuple(dict.fromkeys(terms))))
        ranked.sort(key=lambda item: (-item[0], -self.documents[item[1]].directive_id))
        return [self._hit(number, score, terms) for score, number, terms in ranked[:limit]]

    def _hit(self, number: int, score: float, terms: tuple[str, ...]) -> Hit:
        document = self.documents[number]
        return Hit(
            directive_id=document.directive_id,
            meeting_id=document.meeting_id,
            meeting_date=document.meeting_date,
            meeting_number=document.meeting_number,
            meeting_title=document.meeting_title,
            seq=document.seq,
            title=document.title,
            snippet=snippet(document.text, terms),
            score=round(score, 4),
            matched_terms=terms,
        )

    def suggestions(self, limit: int = 5) -> list[str]:
        """Topics of the synonyms file that find directives, most recently discussed first."""
        if self._suggestions is None:
            found: list[tuple[dt.date, str]] = []
            for topic in self.synonyms.topics:
                hits = self.search(topic, limit=20)
                if hits:
                    newest = max((h.meeting_date for h in hits if h.meeting_date), default=dt.date.min)
                    found.append((newest, topic))
            found.sort(key=lambda item: item[0], reverse=True)
            self._suggestions = [topic for _, topic in found]
        return self._suggestions[:limit]


def snippet(text: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """A short piece of ``text`` around the first of ``terms`` it holds (ignoring spaces, case, tones)."""
    shown = " ".join(thai.normalize(text).split())
    folded = fold(shown)
    if len(folded) != len(shown):  # pragma: no cover - only for characters whose case folding grows
        folded = shown
    start = 0
    squashed = squash(folded)
    for loose in (False, True):
        if loose:
            squashed = loosen(squashed)
        positions = [
            squashed.find(needle)
            for term in terms
            if (needle := (loosen if loose else str)(squash(fold(term))))
        ]
        positions = [p for p in positions if p >= 0]
        if positions:
            start = _folded_position(folded, min(positions), loose=loose)
            break
    if len(shown) <= width:
        return shown
    begin = max(0, min(start - SNIPPET_LEAD_CHARS, len(shown) - width))
    space = shown.rfind(" ", max(0, begin - 15), begin + 1)
    if space >= 0 and begin > 0:
        begin = space + 1
    while begin > 0 and re.match(f"[{_THAI_COMBINING}]", shown[begin]):
        begin -= 1  # never start in the middle of a syllable
    end = min(len(shown), begin + width)
    while end < len(shown) and re.match(f"[{_THAI_COMBINING}]", shown[end]):
        end += 1
    piece = shown[begin:end].strip()
    return ("…" if begin > 0 else "") + piece + ("…" if end < len(shown) else "")


# --- Database --------------------------------------------------------------------------------------


def content_fingerprint(session: Session) -> tuple[Any, ...]:
    """A cheap summary of meetings, directives and their 10Es that changes when any of them does.

    Counts and latest ``updated_at`` (publishing or editing a meeting bumps it), plus a checksum of
    the directive–10E links, which an edit of categories alone does not reflect in ``updated_at``.
    """
    links = directive_ten_es.c
    statement = select(
        select(func.count()).select_from(Meeting).scalar_subquery(),
        select(func.max(Meeting.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Directive).scalar_subquery(),
        select(func.max(Directive.updated_at)).scalar_subquery(),
        select(func.count()).select_from(directive_ten_es).scalar_subquery(),
        select(func.coalesce(func.sum(links.directive_id * 16 + links.ten_e_number), 0)).scalar_subquery(),
    )
    return tuple(session.execute(statement).one())


def load_documents(session: Session) -> list[Document]:
    """Every directive of a published meeting, as a document to index."""
    categories: dict[int, list[str]] = defaultdict(list)
    category_rows = session.execute(
        select(directive_ten_es.c.directive_id, TenE.code, TenE.name_th)
        .join(TenE, TenE.number == directive_ten_es.c.ten_e_number)
        .order_by(directive_ten_es.c.directive_id, TenE.number)
    )
    for directive_id, code, name in category_rows:
        categories[directive_id] += [code, name]
    rows = session.execute(
        select(
            Directive.id,
            Directive.meeting_id,
            Directive.seq,
            Directive.title,
            Directive.text,
            Meeting.meeting_date,
            Meeting.number,
            Meeting.title,
            Meeting.subject,
        )
        .join(Meeting, Meeting.id == Directive.meeting_id)
        .where(Meeting.published_at.is_not(None))
        .order_by(Directive.id)
    )
    return [
        Document(
            directive_id=row[0],
            meeting_id=row[1],
            seq=row[2],
            title=row[3],
            text=row[4],
            meeting_date=row[5],
            meeting_number=row[6],
            meeting_title=row[7],
            meeting_subject=row[8] or "",
            categories=tuple(categories.get(row[0], ())),
        )
        for row in rows
    ]


class Search:
    """Topic search for one process: an index of the database, rebuilt when its content changes.

    At most every ``check_seconds`` a search asks the database for :func:`content_fingerprint` (one
    small query); when it changed, the index is rebuilt, segmenting only the directives that changed.
    One thread rebuilds while the others keep answering from the index they have. If the database
    cannot be reached, searches go on with the last index. Every ``max_age_seconds`` the index is
    rebuilt whatever the fingerprint says, in case two edits committed out of order left the latest
    ``updated_at`` unchanged.
    """

    def __init__(
        self,
        db: Database,
        *,
        synonyms: Synonyms | None = None,
        check_seconds: float = 5.0,
        max_age_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._synonyms = synonyms if synonyms is not None else default_synonyms()
        self._check_seconds = check_seconds
        self._max_age_seconds = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked_at = -math.inf
        self._built_at = -math.inf

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Directives about ``query``, best first (see the module docstring)."""
        return self.index().search(query, limit)

    def suggestions(self, limit: int = 5) -> list[str]:
        """Topics to offer when a search finds nothing."""
        return self.index().suggestions(limit)

    def index(self) -> SearchIndex:
        """The current index, brought up to date first when it is time to check."""
        index = self._index
        if index is not None and self._clock() - self._checked_at < self._check_seconds:
            return index
        if self._lock.acquire(blocking=index is None):
            try:
                self._refresh(force=False)
            except SQLAlchemyError:
                if self._index is None:
                    raise
                log.warning("search: cannot check the database; searching the last index", exc_info=True)
            finally:
                self._lock.release()
        assert self._index is not None
        return self._index

    def expire(self) -> None:
        """Check the content on the next search (this process just changed it)."""
        self._checked_at = -math.inf

    def refresh(self, *, force: bool = False) -> bool:
        """Check now and rebuild if content changed (or ``force``); True when rebuilt."""
        with self._lock:
            return self._refresh(force=force)

    def _refresh(self, *, force: bool) -> bool:
        now = self._clock()
        self._checked_at = now
        force = force or now - self._built_at >= self._max_age_seconds
        with self._db.session() as session:
            fingerprint = content_fingerprint(session)
            if not force and self._index is not None and fingerprint == self._fingerprint:
                return False
            documents = load_documents(session)
        started = time.perf_counter()
        self._index = SearchIndex.build(documents, synonyms=self._synonyms, previous=self._index)
        self._fingerprint, self._built_at = fingerprint, now
        log.info("search: indexed %d directives in %.2f s", len(documents), time.perf_counter() - started)
        return True
