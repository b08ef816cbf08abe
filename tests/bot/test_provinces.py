"""Finding provinces from what people type: Thai, English, prefixes, abbreviations, typos."""

from __future__ import annotations

import pytest
from flask import Flask

from bot.provinces import ProvinceFinder, province_aliases
from tests.conftest import services_of


@pytest.fixture
def finder(ready_app: Flask) -> ProvinceFinder:
    with services_of(ready_app).db.session() as session:
        return ProvinceFinder.load(session)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("เชียงใหม่", "เชียงใหม่"),
        ("จ.ชลบุรี", "ชลบุรี"),
        ("จ. ชลบุรี", "ชลบุรี"),
        ("จังหวัดน่าน", "น่าน"),
        ("Chiang Rai", "เชียงราย"),
        ("chiangrai", "เชียงราย"),
        ("CHIANG MAI province", "เชียงใหม่"),
        ("กทม", "กรุงเทพมหานคร"),
        ("กรุงเทพ", "กรุงเทพมหานคร"),
        ("BKK", "กรุงเทพมหานคร"),
        ("Lop Buri", "ลพบุรี"),
        ("Lopburi", "ลพบุรี"),
        ("เชียงใหมม", "เชียงใหม่"),  # typo
        ("นครราชสีมาา", "นครราชสีมา"),  # typo
        ("ubon ratchathani", "อุบลราชธานี"),
        ("Ubon Rachathani", "อุบลราชธานี"),  # typo in English
        # everyday names (bot/data/province_aliases.yaml)
        ("โคราช", "นครราชสีมา"),
        ("จ.โคราช", "นครราชสีมา"),
        ("โคราท", "นครราชสีมา"),  # an everyday name with a typo
        ("อุบลฯ", "อุบลราชธานี"),
        ("อุบล", "อุบลราชธานี"),
        ("กทม.", "กรุงเทพมหานคร"),
        ("กรุงเทพฯ", "กรุงเทพมหานคร"),
        ("อยุธยา", "พระนครศรีอยุธยา"),
        ("สุราษฎร์", "สุราษฎร์ธานี"),
        ("ปากน้ำ", "สมุทรปราการ"),
        ("Phuket", "ภูเก็ต"),
        ("korat", "นครราชสีมา"),
    ],
)
def test_finds_the_province(finder: ProvinceFinder, typed: str, expected: str) -> None:
    found = finder.find(typed)
    assert found is not None, typed
    assert found.name_th == expected


@pytest.mark.parametrize("typed", ["", "ดาวอังคาร", "xyz", "สมุทร", "นคร"])
def test_no_guess_when_unsure(finder: ProvinceFinder, typed: str) -> None:
    assert finder.find(typed) is None


def test_every_everyday_name_belongs_to_a_province_of_the_data(finder: ProvinceFinder) -> None:
    official = {entry.name_th for entry in finder.by_key.values()}
    assert set(province_aliases()) <= official


def test_suggestions_for_near_misses(finder: ProvinceFinder) -> None:
    names = [p.name_th for p in finder.suggestions("สมุทรสา")]
    assert "สมุทรสาคร" in names
