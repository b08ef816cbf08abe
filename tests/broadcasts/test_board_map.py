"""The follow-up map's data: the vendored outlines of @svg-maps/thailand and the table that says which
outline is which of our 77 provinces (the colouring, through the real board, is in test_board.py)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from flask import Flask
from sqlalchemy import select

from bot.models import Province
from bot.provinces import province_key
from broadcasts import board_map
from tests.conftest import services_of

DATA = Path(__file__).resolve().parents[2] / "bot" / "data"
OURS = json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))


def _script() -> ModuleType:
    """scripts/ is scripts, not a package: the vendoring script, loaded from its file."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "vendor_thailand_map.py"
    spec = importlib.util.spec_from_file_location("vendor_thailand_map", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


vendor = _script()


def test_every_province_has_exactly_one_outline_and_every_outline_is_a_province_or_water() -> None:
    table = board_map.table()
    codes = [p["abbr_en"] for p in OURS]
    assert len(codes) == 77 and len(set(codes)) == 77
    assert sorted(table.provinces) == sorted(codes)
    assert len(set(table.provinces.values())) == 77  # no outline shared by two provinces
    shapes = [o.id for o in board_map.outlines().outlines]
    assert len(shapes) == len(set(shapes)) == 78
    assert set(table.provinces.values()) | set(table.not_provinces) == set(shapes)
    assert not set(table.provinces.values()) & set(table.not_provinces)
    assert table.not_provinces == {"lksg": "ทะเลสาบสงขลา"}  # the only outline that is not a province


def test_the_table_file_names_each_province_once() -> None:
    """YAML keeps the last of two equal keys without a word: count the lines themselves."""
    text = (DATA / "province_map.yaml").read_text(encoding="utf-8")
    section = text[text.index("provinces:") : text.index("not_provinces:")]
    keys = re.findall(r"^  (\w+):", section, flags=re.MULTILINE)
    assert sorted(keys) == sorted(p["abbr_en"] for p in OURS)
    assert [k for k, n in Counter(keys).items() if n > 1] == []


def test_each_outline_is_the_province_of_the_same_name() -> None:
    """The map's English names, spelled its own way (Lop Buri, Si Sa Ket, Phangnga), are ours once
    spaces and case are set aside: a code paired with the wrong outline fails here."""
    names = {o.id: o.name for o in board_map.outlines().outlines}
    ours = {p["abbr_en"]: p for p in OURS}
    wrong = {
        code: (ours[code]["name_en"], names[shape])
        for code, shape in board_map.table().provinces.items()
        if province_key(ours[code]["name_en"]) != province_key(names[shape])
    }
    assert wrong == {}
    assert names[board_map.table().provinces["BKK"]] == "Bangkok"
    assert names[board_map.table().provinces["BKN"]] == "Bueng Kan"  # the 77th, split from Nong Khai in 2011
    assert names[board_map.table().provinces["NKI"]] == "Nong Khai"


def test_every_province_of_the_database_is_drawn(ready_app: Flask) -> None:
    with services_of(ready_app).db.session() as session:
        codes = set(session.scalars(select(Province.abbr_en)).all())
    drawn = {o.province_code for o in board_map.outlines().outlines if o.province_code}
    assert len(codes) == 77 and codes == drawn


def test_the_vendored_map_is_whole_and_carries_its_licence() -> None:
    shapes = board_map.outlines()
    assert shapes.source == "@svg-maps/thailand 2.0.0" and shapes.view_box == "0 0 5600 10250"
    assert all(re.fullmatch(r"(m[-\d ]+z)+", o.d) for o in shapes.outlines)
    licence = (DATA / "LICENSE.svg-maps-thailand").read_text(encoding="utf-8")
    assert "Tae Noppakun Wongsrinoppakun" in licence and "MapSVG" in licence
    assert "https://creativecommons.org/licenses/by/4.0/" in licence
    assert "Attribution 4.0 International Public License" in licence  # the licence's own text


def test_vendoring_keeps_each_point_and_drops_only_specks() -> None:
    """Relative moves after a close start from the closed outline's first point, as SVG says."""
    path = "m 1.04,2 3,0 0,3 z m 5,5 0.01,0 0.01,0.01 z m 1,1 0.5,0 0,0.5 z"
    assert vendor.outlines(path) == [
        [(1.04, 2.0), (4.04, 2.0), (4.04, 5.0)],
        [(6.04, 7.0), (6.05, 7.0), (6.06, 7.01)],
        [(7.04, 8.0), (7.54, 8.0), (7.54, 8.5)],
    ]
    # ×10 and rounded: the second outline shrinks to two points and goes; the third moves from the
    # first's start
    assert vendor.compact(path) == "m10 20 30 0 0 30zm60 60 5 0 0 5z"
