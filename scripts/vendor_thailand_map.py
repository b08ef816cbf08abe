"""Vendor the province map of Thailand from the npm package @svg-maps/thailand (CC BY 4.0).

Run once when the package changes:
    cd /tmp && npm pack @svg-maps/thailand@2.0.0 && tar xzf svg-maps-thailand-2.0.0.tgz
    .venv/bin/python scripts/vendor_thailand_map.py /tmp/package
It writes bot/data/thailand-map.json (the viewBox and one outline per location) and
bot/data/LICENSE.svg-maps-thailand (the attribution, what we changed, the licence); both are
committed, so nothing is fetched at set-up or at run time. Which outline is which of our provinces is
bot/data/province_map.yaml, kept by hand and tested.

The package's outlines are relative polylines ("m x,y dx,dy … z") with five decimals. We keep the
shapes and make them lighter for a phone: every point is made absolute, rounded to a tenth of the
map's unit (a tenth of a pixel at the width the board shows it), repeated points dropped, and the
outline written again as relative integers on a viewBox ten times larger.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "bot" / "data"
SCALE = 10
_PART = re.compile(r"[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?")

Point = tuple[float, float]


def outlines(path: str) -> list[list[Point]]:
    """The absolute points of each closed outline of an SVG path made of relative moves and lines."""
    parts = _PART.findall(path)
    x = y = start_x = start_y = 0.0
    found: list[list[Point]] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part in "zZ":  # back to the outline's start, where the next relative move begins
            x, y = start_x, start_y
            i += 1
            continue
        if part == "m":
            found.append([])
            i += 1
        elif part == "M":
            raise ValueError("absolute moves are not expected in this package")
        x, y = x + float(parts[i]), y + float(parts[i + 1])
        if len(found[-1]) == 0:
            start_x, start_y = x, y
        found[-1].append((x, y))
        i += 2
    return found


def compact(path: str) -> str:
    """The path again, on the SCALE× grid, as relative integers; outlines shrunk below three points
    (specks smaller than the grid) are left out."""
    parts: list[str] = []
    previous = (0, 0)
    for outline in outlines(path):
        points: list[tuple[int, int]] = []
        for x, y in outline:
            point = (round(x * SCALE), round(y * SCALE))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue
        steps = []
        for px, py in points:
            steps.append(f"{px - previous[0]} {py - previous[1]}".replace(" -", "-"))
            previous = (px, py)
        parts.append("m" + " ".join(steps) + "z")
        previous = points[0]
    return "".join(parts)


def main(package: Path) -> None:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    source = (package / "index.js").read_text(encoding="utf-8")
    data = json.loads(source[source.index("{") :].rstrip().rstrip(";"))  # "export default {…}"
    left, top, width, height = (float(v) for v in data["viewBox"].split())
    if (left, top) != (0, 0):
        raise SystemExit(f"unexpected viewBox {data['viewBox']!r}")
    shapes = [{"id": loc["id"], "name": loc["name"], "d": compact(loc["path"])} for loc in data["locations"]]
    out = {
        "source": f"{meta['name']} {meta['version']}",
        "licence": meta["license"],
        "viewBox": f"0 0 {round(width * SCALE)} {round(height * SCALE)}",
        "shapes": shapes,
    }
    (DATA / "thailand-map.json").write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    attribution = f"""\
Map of Thailand's provinces: bot/data/thailand-map.json

Source: the npm package {meta["name"]} {meta["version"]}
        ({meta["repository"]["url"]})
Author: {meta["author"]}
        "This map is based on the work of MapSVG (https://mapsvg.com). The original map is available
        at https://mapsvg.com/maps/thailand under the Creative Commons Attribution 4.0 International
        license."
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0),
         https://creativecommons.org/licenses/by/4.0/ — the full text follows.

Changes made here (scripts/vendor_thailand_map.py): the outlines' points are rounded to a tenth of
the map's unit on a viewBox ten times larger and written as relative integers, repeated points and
specks below that size dropped; the locations' ids and names are kept. The map is shown coloured by
each province's follow-up status.

The package's LICENSE.md:

"""
    (DATA / "LICENSE.svg-maps-thailand").write_text(
        attribution + (package / "LICENSE.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    print(f"{len(shapes)} shapes, {sum(len(s['d']) for s in shapes):,} characters of outline")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: vendor_thailand_map.py PATH_TO_THE_EXTRACTED_PACKAGE")
    main(Path(sys.argv[1]))
