"""meetings.parsing.classify: the 10Es lexicon and keyword classifier."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from meetings.parsing.classify import LEXICON_PATH, MIN_SCORE, classify, explain, load_lexicon, ten_e_codes

CODES = (
    "Economy",
    "Education",
    "Equality",
    "Election",
    "Environment",
    "Effective Healthcare",
    "Emergency Management",
    "Evaluation",
    "Essential Infrastructure",
    "e-Service",
)


def test_codes_come_from_ten_es_yaml_in_order() -> None:
    assert ten_e_codes() == CODES


def test_lexicon_covers_every_code_with_positive_weights() -> None:
    lexicon = load_lexicon()
    assert tuple(lexicon) == CODES
    for code, terms in lexicon.items():
        assert len(terms) >= 5, code
        assert all(term.weight > 0 for term in terms)


def test_lexicon_file_keys_are_exactly_the_codes() -> None:
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(raw) == set(CODES)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("แนวทางปฏิบัติในการบริหารจัดการมูลฝอยติดเชื้อภายหลังเทศกาลปีใหม่", "Environment"),
        ("การดำเนินการแก้ไขปัญหาและบรรเทาปัญหาค่าครองชีพ", "Economy"),
        ("การดำเนินการของศูนย์พัฒนาเด็กเล็กสังกัดองค์กรปกครองส่วนท้องถิ่น ภาคเรียนที่ 2", "Education"),
        ("การประเมินคุณธรรมและความโปร่งใส (Integrity and Transparency Assessment : ITA)", "Evaluation"),
        ("เตรียมความพร้อมการเลือกตั้งสมาชิกสภาท้องถิ่น", "Election"),
        ("เร่งจ่ายเบี้ยยังชีพผู้สูงอายุและผู้พิการ", "Equality"),
        ("เร่งฉีดวัคซีนให้ประชาชนในพื้นที่", "Effective Healthcare"),
        ("เตรียมรับมืออุทกภัยและช่วยเหลือผู้ประสบภัย", "Emergency Management"),
        ("ซ่อมแซมถนนและสะพานที่ชำรุด", "Essential Infrastructure"),
        ("พัฒนาเว็บไซต์และระบบสารสนเทศขององค์กรปกครองส่วนท้องถิ่น", "e-Service"),
        ("แก้ไขปัญหาฝุ่น PM 2.5 ในพื้นที่ภาคเหนือ", "Environment"),
    ],
)
def test_classify_first_category(text: str, first: str) -> None:
    categories = classify(text)
    assert categories
    assert categories[0] == first


def test_unrelated_text_has_no_category() -> None:
    assert classify("ขอขอบคุณทุกท่านที่มาร่วมงาน") == []
    assert classify("") == []


@pytest.mark.parametrize("variant", ["ITA", "ita", "Ita", " ITA "])
def test_english_terms_are_case_insensitive(variant: str) -> None:
    assert classify(f"การประเมิน {variant}")[0] == "Evaluation"


@pytest.mark.parametrize("variant", ["PM2.5", "PM 2.5", "pm2.5", "Pm 2.5"])
def test_pm25_spacing_and_case(variant: str) -> None:
    (environment,) = [score for score in explain(f"ฝุ่น {variant}") if score.code == "Environment"]
    assert any(match.term == "PM2.5" for match in environment.matches)


def test_terms_match_whole_words_only() -> None:
    assert "Evaluation" not in classify("CITATION CAPITAL")
    assert classify("ขยะ") == ["Environment"]


def test_multi_word_terms_match_across_tokens() -> None:
    (top,) = explain("มูลฝอยติดเชื้อ")[:1]
    assert top.code == "Environment"
    assert {match.term for match in top.matches} >= {"มูลฝอยติดเชื้อ"}


def test_explain_shows_scores_and_matches_best_first() -> None:
    scores = explain("บรรเทาค่าครองชีพ ค่าครองชีพ และจัดเก็บขยะ")
    assert [score.code for score in scores][:2] == ["Economy", "Environment"]
    economy = scores[0]
    (match,) = [m for m in economy.matches if m.term == "ค่าครองชีพ"]
    assert match.count == 2
    assert economy.score == match.weight * 2 + sum(
        m.weight * m.count for m in economy.matches if m is not match
    )


def test_repeats_are_capped() -> None:
    (once,) = explain("ขยะ")
    (many,) = explain("ขยะ " * 20)
    assert many.score == once.score * 3


def test_min_score_filters_weak_signals() -> None:
    weak = [score for score in explain("ก่อสร้าง") if score.score < MIN_SCORE]
    assert weak
    assert weak[0].code not in classify("ก่อสร้าง")


def test_custom_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("Economy:\n  - ตลาดนัด\nEducation:\n  - {term: ห้องสมุด, weight: 5}\n", encoding="utf-8")
    lexicon = load_lexicon(path)
    assert classify("ตลาดนัด ตลาดนัด", lexicon) == ["Economy"]
    assert classify("เปิดห้องสมุด", lexicon) == ["Education"]
    assert lexicon["Environment"] == ()


@pytest.mark.parametrize(
    "content",
    [
        "Economics:\n  - ตลาด\n",
        "Economy:\n  - {term: ตลาด, weight: 0}\n",
        "Economy:\n  - {term: ' ', weight: 1}\n",
    ],
)
def test_bad_lexicon_is_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="lexicon"):
        load_lexicon(path)
