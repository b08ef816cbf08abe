"""Seed content: regions, the 77 provinces, the 10Es and the seed meeting, loaded idempotently.

Reference data (regions, provinces, 10Es) is brought in line with the data files on every run, keyed
on natural keys, so running `setup` twice leaves the same rows and a corrected data file corrects the
database. The seed meeting is inserted once and then left alone: administrators may edit it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import Directive, Meeting, Province, Region, RegionScheme, TenE
from meetings.parsing.article import parse_article
from meetings.parsing.model import MeetingDraft
from meetings.store import save_draft

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_ARTICLE = DATA_DIR / "seed" / "meeting-3-2565.txt"


@dataclass(frozen=True)
class SeedSummary:
    regions: int
    provinces: int
    ten_es: int
    meetings: int
    directives: int
    seed_meeting_created: bool


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def seed_regions(session: Session) -> dict[tuple[RegionScheme, str], Region]:
    existing = {(r.scheme, r.code): r for r in session.scalars(select(Region))}
    for scheme_key, rows in _load_yaml(DATA_DIR / "regions.yaml").items():
        scheme = RegionScheme(scheme_key)
        for order, row in enumerate(rows, start=1):
            region = existing.get((scheme, row["code"]))
            if region is None:
                region = Region(scheme=scheme, code=row["code"])
                session.add(region)
                existing[(scheme, row["code"])] = region
            region.name_th, region.name_en, region.sort_order = row["name_th"], row["name_en"], order
    session.flush()
    return existing


def seed_provinces(session: Session, regions: dict[tuple[RegionScheme, str], Region]) -> None:
    existing = {p.name_th: p for p in session.scalars(select(Province))}
    rows = json.loads((DATA_DIR / "provinces.json").read_text(encoding="utf-8"))
    for row in rows:
        province = existing.get(row["name_th"])
        if province is None:
            province = Province(name_th=row["name_th"])
            session.add(province)
        province.name_en = row["name_en"]
        province.abbr_th = row["abbr_th"]
        province.abbr_en = row["abbr_en"]
        province.region = regions[(RegionScheme.GEOGRAPHIC, row["region"])]
        province.moi_region = regions[(RegionScheme.MOI, row["moi_region"])]
    session.flush()


def seed_ten_es(session: Session) -> None:
    existing = {e.number: e for e in session.scalars(select(TenE))}
    for row in _load_yaml(DATA_DIR / "ten_es.yaml"):
        ten_e = existing.get(row["number"])
        if ten_e is None:
            ten_e = TenE(number=row["number"])
            session.add(ten_e)
        ten_e.code, ten_e.name_th, ten_e.description = row["code"], row["name_th"], row["description"]
    session.flush()


def seed_meeting() -> tuple[MeetingDraft, str]:
    """The seed meeting, read from its article by the same parser every import uses."""
    raw_text = SEED_ARTICLE.read_text(encoding="utf-8")
    return parse_article(raw_text), raw_text


def seed_all(session: Session) -> SeedSummary:
    regions = seed_regions(session)
    seed_provinces(session, regions)
    seed_ten_es(session)
    draft, raw_text = seed_meeting()
    _, created = save_draft(session, draft, raw_text, publish=True)

    def count(model: type[Any]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return SeedSummary(
        regions=count(Region),
        provinces=count(Province),
        ten_es=count(TenE),
        meetings=count(Meeting),
        directives=count(Directive),
        seed_meeting_created=created,
    )
