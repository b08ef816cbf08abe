"""Finding a province from what people type: Thai or English, with "จ."/"จังหวัด", abbreviations, typos.

"เชียงใหม่", "จ.ชลบุรี", "Chiang Rai", "chiangrai", "กทม", "BKK", "เชียงใหมม" all find their province,
and so do everyday names ("โคราช", "อุบลฯ", "ปากน้ำ") from bot/data/province_aliases.yaml.
Exact keys first; then the closest name by similarity (difflib), only when it is close enough and
clearly better than the runner-up, so a typo never silently picks the wrong province.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Province
from bot.thai import normalize

_PREFIX = re.compile(r"^(จังหวัด|จ\s*\.|province\s+of|province)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(province|จังหวัด)$", re.IGNORECASE)
CUTOFF = 0.75
ALIASES_PATH = Path(__file__).resolve().parent / "data" / "province_aliases.yaml"


def province_key(text: str) -> str:
    value = normalize(text).strip().lower()
    value = _SUFFIX.sub("", _PREFIX.sub("", value))
    return re.sub(r"[\s\-_.'’ฯ()]+", "", value)


@functools.cache
def province_aliases() -> dict[str, tuple[str, ...]]:
    """Official Thai name → the everyday names of that province."""
    raw: dict[str, list[str]] = yaml.safe_load(ALIASES_PATH.read_text(encoding="utf-8"))
    return {name: tuple(str(alias) for alias in aliases) for name, aliases in raw.items()}


@dataclass(frozen=True)
class ProvinceName:
    id: int
    name_th: str
    name_en: str


class ProvinceFinder:
    def __init__(self, provinces: Sequence[Province]) -> None:
        self.by_key: dict[str, ProvinceName] = {}
        for p in provinces:
            entry = ProvinceName(p.id, p.name_th, p.name_en)
            for key in (p.name_th, p.name_en, p.abbr_th, p.abbr_en):
                if key:
                    self.by_key[province_key(key)] = entry
        by_name = {entry.name_th: entry for entry in self.by_key.values()}
        for name, aliases in province_aliases().items():
            if name in by_name:
                for alias in aliases:
                    self.by_key.setdefault(province_key(alias), by_name[name])
        self._names = [k for k in self.by_key if len(k) > 3]  # fuzzy only on names, not abbreviations

    @classmethod
    def load(cls, session: Session) -> ProvinceFinder:
        return cls(session.scalars(select(Province)).all())

    def find(self, text: str) -> ProvinceName | None:
        key = province_key(text)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        close = difflib.get_close_matches(key, self._names, n=3, cutoff=CUTOFF)
        if not close:
            return None
        best = self.by_key[close[0]]
        # Ambiguous: two different provinces about as close (e.g. สมุทรสาคร / สมุทรสงคราม).
        rivals = {self.by_key[c].id for c in close[1:] if _ratio(key, c) > _ratio(key, close[0]) - 0.05}
        return None if rivals - {best.id} else best

    def suggestions(self, text: str, n: int = 3) -> list[ProvinceName]:
        key = province_key(text)
        seen: dict[int, ProvinceName] = {}
        for match in difflib.get_close_matches(key, self._names, n=n * 2, cutoff=0.5):
            seen.setdefault(self.by_key[match].id, self.by_key[match])
        return list(seen.values())[:n]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()
