"""10Es categories of a directive, from a keyword lexicon (``meetings/data/ten_e_lexicon.yaml``).

Transparent on purpose: a category's score is the sum of the weights of its lexicon terms found in the
text, each term counted at most ``MAX_HITS_PER_TERM`` times. Terms are matched on PyThaiNLP word
boundaries (a term may span several words: ``มูลฝอยติดเชื้อ`` = ``มูลฝอย`` + ``ติดเชื้อ``), ignoring
spaces and case, so ``PM2.5`` finds ``PM 2.5`` and ``ITA`` does not fire inside a longer word.
:func:`explain` shows which terms fired.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from bot import thai

DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data"
LEXICON_PATH: Final = DATA_DIR / "ten_e_lexicon.yaml"
TEN_ES_PATH: Final = Path(__file__).resolve().parents[2] / "bot" / "data" / "ten_es.yaml"

MIN_SCORE: Final = 2.0
"""A category needs at least this score to be given to a text."""
MAX_HITS_PER_TERM: Final = 3
"""Repeating one word does not make a text more about it after the third time."""


@dataclass(frozen=True)
class Term:
    text: str
    weight: float
    key: str
    """``text`` lower-cased without whitespace: what is looked for."""


@dataclass(frozen=True)
class Match:
    term: str
    weight: float
    count: int


@dataclass(frozen=True)
class CategoryScore:
    code: str
    score: float
    matches: tuple[Match, ...]


def _key(text: str) -> str:
    return "".join(thai.normalize(text).lower().split())


@functools.cache
def ten_e_codes() -> tuple[str, ...]:
    """The ten codes, in the department's order (from ``bot/data/ten_es.yaml``)."""
    entries: list[dict[str, Any]] = yaml.safe_load(TEN_ES_PATH.read_text(encoding="utf-8"))
    return tuple(str(entry["code"]) for entry in sorted(entries, key=lambda e: int(e["number"])))


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, tuple[Term, ...]]:
    """Read and check a lexicon file: every key must be a 10E code, every weight positive."""
    raw: dict[str, list[Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = ten_e_codes()
    unknown = set(raw) - set(codes)
    if unknown:
        raise ValueError(f"lexicon {path} has unknown 10E codes: {sorted(unknown)}")
    lexicon: dict[str, tuple[Term, ...]] = {}
    for code in codes:
        terms: list[Term] = []
        for entry in raw.get(code) or []:
            text, weight = (
                (entry, 1.0) if isinstance(entry, str) else (str(entry["term"]), float(entry["weight"]))
            )
            if weight <= 0 or not text.strip():
                raise ValueError(f"lexicon {path}: bad entry {entry!r} under {code}")
            terms.append(Term(text, weight, _key(text)))
        lexicon[code] = tuple(terms)
    return lexicon


@functools.cache
def _default_lexicon() -> dict[str, tuple[Term, ...]]:
    return load_lexicon()


def _token_stream(text: str) -> tuple[str, frozenset[int]]:
    """Words joined without spaces, lower-cased, and the offsets where words start or end."""
    joined = ""
    boundaries = {0}
    for token in thai.segment(thai.normalize(text)):
        piece = "".join(token.lower().split())
        if piece:
            joined += piece
            boundaries.add(len(joined))
    return joined, frozenset(boundaries)


def _count(term: Term, joined: str, boundaries: frozenset[int]) -> int:
    count = 0
    start = joined.find(term.key)
    while start >= 0 and count < MAX_HITS_PER_TERM:
        if start in boundaries and start + len(term.key) in boundaries:
            count += 1
        start = joined.find(term.key, start + 1)
    return count


def explain(text: str, lexicon: dict[str, tuple[Term, ...]] | None = None) -> list[CategoryScore]:
    """Every category with a non-zero score, best first, with the terms that fired."""
    lexicon = lexicon if lexicon is not None else _default_lexicon()
    joined, boundaries = _token_stream(text)
    order = {code: index for index, code in enumerate(lexicon)}
    scores: list[CategoryScore] = []
    for code, terms in lexicon.items():
        matches = []
        for term in terms:
            count = _count(term, joined, boundaries)
            if count:
                matches.append(Match(term.text, term.weight, count))
        if matches:
            scores.append(CategoryScore(code, sum(m.weight * m.count for m in matches), tuple(matches)))
    return sorted(scores, key=lambda s: (-s.score, order[s.code]))


def classify(text: str, lexicon: dict[str, tuple[Term, ...]] | None = None) -> list[str]:
    """10E codes for a text, best first; only categories scoring at least ``MIN_SCORE``."""
    return [score.code for score in explain(text, lexicon) if score.score >= MIN_SCORE]
