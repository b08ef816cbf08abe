"""The follow-up map: Thailand's provinces coloured by their status on one directive or a whole meeting.

The outlines are the npm package @svg-maps/thailand's (CC BY 4.0; vendored into
bot/data/thailand-map.json by scripts/vendor_thailand_map.py, attribution in
bot/data/LICENSE.svg-maps-thailand), and bot/data/province_map.yaml says which outline is which of
our provinces, by our province code. The statuses are the board's (`broadcasts.board`), so the map,
the table, the CSV and the API agree; the template draws it inline, nothing is fetched.

- A province's status on a directive is its current report (done, in progress, problem). One that has
  not reported is "none" ("not yet") when it has an active group, and "no_group" when no group of it
  receives the department's broadcasts, so nobody there was asked.
- Its status on a meeting is the worst of its statuses on the meeting's directives, in the order
  problem, no group, not yet, in progress, done: a problem on any directive shows, and a province is
  done only when it reported every directive done.
- Provinces the board leaves out (another region under the region filter; another office's, for a
  provincial account) are drawn uncoloured and unnamed, so the country keeps its shape and an office
  sees only its own province coloured. The status filter does not change the map: it shows every status,
  with the counts beside it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final

import yaml

from bot.models import Province, ReportStatus
from broadcasts import texts
from broadcasts.board import NOT_REPORTED, Board, Row

DATA_DIR: Final = Path(__file__).resolve().parents[1] / "bot" / "data"
MAP_PATH: Final = DATA_DIR / "thailand-map.json"
TABLE_PATH: Final = DATA_DIR / "province_map.yaml"

NO_GROUP: Final = "no_group"
STATUSES: Final = (  # the legend's order
    ReportStatus.DONE.value,
    ReportStatus.IN_PROGRESS.value,
    ReportStatus.PROBLEM.value,
    NOT_REPORTED,
    NO_GROUP,
)
WORST_FIRST: Final = (
    ReportStatus.PROBLEM.value,
    NO_GROUP,
    NOT_REPORTED,
    ReportStatus.IN_PROGRESS.value,
    ReportStatus.DONE.value,
)
WATER: Final = "water"
OUTSIDE: Final = "outside"  # a province the board leaves out


@dataclass(frozen=True)
class Outline:
    id: str  # the map's location id
    name: str  # the map's (English) name
    d: str  # the SVG path
    province_code: str | None  # ours (Province.abbr_en); None: not a province


@dataclass(frozen=True)
class Table:
    """Our province code → the map's location id, and the outlines that are not provinces."""

    provinces: dict[str, str]
    not_provinces: dict[str, str]  # location id → its Thai name


@dataclass(frozen=True)
class Outlines:
    view_box: str
    source: str
    outlines: tuple[Outline, ...]


@functools.cache
def table() -> Table:
    raw = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
    return Table(
        {str(k): str(v) for k, v in raw["provinces"].items()},
        {str(k): str(v) for k, v in raw["not_provinces"].items()},
    )


@functools.cache
def outlines() -> Outlines:
    raw = json.loads(MAP_PATH.read_text(encoding="utf-8"))
    code_of = {shape: code for code, shape in table().provinces.items()}
    return Outlines(
        raw["viewBox"],
        raw["source"],
        tuple(Outline(s["id"], s["name"], s["d"], code_of.get(s["id"])) for s in raw["shapes"]),
    )


@dataclass(frozen=True)
class Area:
    outline: Outline
    status: str  # one of STATUSES, or WATER / OUTSIDE
    name: str | None  # the province's (or the water's) Thai name; None outside the board

    @property
    def title(self) -> str:
        """What hovering shows: the province's Thai name and its status."""
        if self.status in STATUSES:
            return f"{self.name}: {texts.MAP_STATUS_NAMES[self.status]}"
        return self.name or ""


@dataclass(frozen=True)
class StatusMap:
    view_box: str
    areas: list[Area]
    counts: dict[str, int]  # provinces by status, every one of STATUSES
    label: str  # the map's accessible name, with the counts
    heading: str
    rule: str | None  # how a meeting's map is coloured; None on a directive's

    credit: ClassVar[str] = texts.MAP_CREDIT  # the attribution CC BY asks for, under the map
    licence_url: ClassVar[str] = "https://creativecommons.org/licenses/by/4.0/"

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        return [(key, texts.MAP_STATUS_NAMES[key], self.counts[key]) for key in STATUSES]


def directive_status(board: Board, row: Row, province: Province) -> str:
    status = row.cell(province.id).key
    if status == NOT_REPORTED and not board.groups.get(province.id):
        return NO_GROUP
    return status


def meeting_status(board: Board, province: Province) -> str:
    return min((directive_status(board, row, province) for row in board.rows), key=WORST_FIRST.index)


def statuses(board: Board, row: Row | None = None) -> dict[int, str]:
    """Each of the board's provinces' status (by province id): on `row`'s directive, or on the whole
    meeting when `row` is None."""
    return {
        p.id: directive_status(board, row, p) if row is not None else meeting_status(board, p)
        for p in board.provinces
    }


def _areas(by_code: Mapping[str, tuple[str, str]]) -> list[Area]:
    areas = []
    water = table().not_provinces
    for outline in outlines().outlines:
        if outline.id in water:
            areas.append(Area(outline, WATER, water[outline.id]))
        elif (province := by_code.get(outline.province_code or "")) is not None:
            name, status = province
            areas.append(Area(outline, status, name))
        else:
            areas.append(Area(outline, OUTSIDE, None))
    return areas


def status_map(board: Board, row: Row | None = None) -> StatusMap:
    """The map of the board's provinces, on `row`'s directive or (None) on the board's whole meeting."""
    found = statuses(board, row)
    by_code = {p.abbr_en: (p.name_th, found[p.id]) for p in board.provinces if p.abbr_en}
    counts = dict.fromkeys(STATUSES, 0)
    for status in found.values():
        counts[status] += 1
    label = texts.MAP_LABEL.format(
        counts=", ".join(f"{texts.MAP_STATUS_NAMES[key]} {counts[key]}" for key in STATUSES)
    )
    if row is not None:
        heading, rule = texts.MAP_TITLE_DIRECTIVE, None
    else:
        order = " › ".join(texts.MAP_STATUS_NAMES[key] for key in WORST_FIRST)
        heading, rule = texts.MAP_TITLE_MEETING, texts.MAP_MEETING_RULE.format(order=order)
    return StatusMap(outlines().view_box, _areas(by_code), counts, label, heading, rule)
