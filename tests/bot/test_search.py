"""bot.search: topic search over published directives — query reading, ranking, the index kept fresh."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import search as search_module
from bot.models import Meeting, utcnow
from bot.search import Document, Search, SearchIndex, Synonyms, load_synonyms, parse_query, snippet
from meetings.parsing.model import DirectiveDraft, MeetingDraft
from meetings.store import DirectiveChange, MeetingChange, apply_change, save_draft
from tests.conftest import services_of

# --- A small corpus of directives, each there for a reason -------------------------------------------

INFECTIOUS_WASTE = Document(
    directive_id=1,
    meeting_id=10,
    seq=1,
    title="แนวทางการจัดการมูลฝอยติดเชื้อ",
    text="แนวทางการจัดการมูลฝอยติดเชื้อ ให้ อปท. เก็บและกำจัดมูลฝอยติดเชื้อตามมาตรฐานของกรมอนามัย",
    meeting_date=dt.date(2022, 1, 21),
    meeting_number="3/2565",
    meeting_title="การประชุม สถ. ประจำเดือนมกราคม 2565",
    categories=("Environment", "ส่งเสริมสิ่งแวดล้อม"),
)  # says only มูลฝอยติดเชื้อ, never ขยะติดเชื้อ
COST_OF_LIVING = Document(
    2, 10, 2, "การบรรเทาปัญหาค่าครองชีพ", "การบรรเทาปัญหาค่าครองชีพของครัวเรือน ส่งเสริมการปลูกผักสวนครัว"
)
CHILD_CENTRES = Document(
    3,
    10,
    3,
    "การดำเนินการของศูนย์พัฒนาเด็กเล็ก",
    "การดำเนินการของศูนย์พัฒนาเด็กเล็กสังกัดองค์กรปกครองส่วนท้องถิ่น ภาคเรียนที่ 2",
)
ITA = Document(
    4,
    10,
    4,
    "การประเมินคุณธรรมและความโปร่งใส",
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
)
FLOODS = Document(5, 11, 1, "การเตรียมรับมืออุทกภัย", "การเตรียมรับมืออุทกภัยในฤดูฝน ให้จังหวัดสำรวจพื้นที่เสี่ยง")
DUST = Document(6, 11, 2, "การแก้ไขปัญหาฝุ่นละออง", "ให้เฝ้าระวังฝุ่นละอองขนาดเล็ก PM 2.5 และงดการเผาในที่โล่ง")
SORTING = Document(7, 11, 3, "การคัดแยกขยะในครัวเรือน", "การคัดแยกขยะในครัวเรือน เพื่อลดปริมาณขยะ")
RELIEF = Document(
    8,
    11,
    4,
    "มาตรการช่วยเหลือประชาชน",
    "มาตรการช่วยเหลือประชาชน ลดค่าน้ำค่าไฟ เพื่อบรรเทาภาระค่าครองชีพ",
)  # ค่าครองชีพ in its text only
COVID = Document(
    9, 11, 5, "การป้องกันโรคโควิด-19", "การป้องกันโรคโควิด-19 ให้แยกกักผู้ติดเชื้อและเฝ้าระวังในชุมชน"
)  # ติดเชื้อ without ขยะ: a vague match for ขยะติดเชื้อ

CORPUS = (INFECTIOUS_WASTE, COST_OF_LIVING, CHILD_CENTRES, ITA, FLOODS, DUST, SORTING, RELIEF, COVID)


@functools.cache
def corpus_index() -> SearchIndex:
    return SearchIndex.build(CORPUS)


def first(query: str) -> int | None:
    hits = corpus_index().search(query, limit=5)
    return hits[0].directive_id if hits else None


def ranked(query: str) -> list[int]:
    return [hit.directive_id for hit in corpus_index().search(query, limit=20)]


# --- What a query finds first ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the topics of the issue
        ("ขยะติดเชื้อ", 1),  # synonym: the directive says only มูลฝอยติดเชื้อ
        ("ค่าครองชีพ", 2),
        ("ITA", 4),
        ("ศูนย์พัฒนาเด็กเล็ก", 3),
        ("น้ำท่วม", 5),  # synonym: the directive says อุทกภัย
        # questions as officials type them
        ("เรื่องขยะติดเชื้อต้องทำอย่างไรครับ", 1),
        ("ค่าครองชีพคืออะไร", 2),
        ("มีข้อสั่งการเรื่องน้ำท่วมไหมคะ", 5),
        ("อยากทราบเรื่อง ITA ค่ะ", 4),
        # abbreviations, English and long forms
        ("ศพด.", 3),
        ("ศพด", 3),
        ("การประเมินคุณธรรมและความโปร่งใส", 4),
        ("pm2.5", 6),
        ("PM 2.5", 6),
        ("ฝุ่น", 6),
        ("โควิด", 9),
        ("COVID-19", 9),
        # spacing, case, Thai digits
        ("ขยะ ติดเชื้อ", 1),
        ("ค่า ครอง ชีพ", 2),
        ("ita", 4),
        ("Ita ๒๕๖๕", 4),
        ("PM ๒.๕", 6),
        ("ภาคเรียนที่ ๒", 3),
        # typos
        ("ขยะติดเชือ", 1),  # tone mark missing
        ("ค่าครองชิพ", 2),  # short vowel for long
        ("ศูนย์พัฒนาเด็กเลก", 3),  # tone mark missing, inside a compound
        ("อุทกพัย", 5),  # sound-alike consonant
        ("ศูนพัฒนาเด็กเล็ก", 3),  # Thanthakhat forgotten
        ("ศูนย์พัฒนเด็กเล็ก", 3),  # a vowel left out: found by trigrams
    ],
)
def test_query_finds_the_expected_directive_first(query: str, expected: int) -> None:
    assert first(query) == expected


@pytest.mark.parametrize(
    "query",
    ["การบินอวกาศ", "ครับ", "เรื่องอะไรคะ", "", "   ", "???", "capital", "สวัสดีครับ", "ข้อสั่งการ"],
)
def test_nothing_about_the_query_finds_nothing(query: str) -> None:
    assert corpus_index().search(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ค่าครองชีบ", {COST_OF_LIVING.directive_id, RELIEF.directive_id}),  # wrong final consonant
        ("ศูนย์พัฒนเด็กเล็ก", {CHILD_CENTRES.directive_id}),  # a vowel left out
        ("มูลฝอยติดเชือก", {INFECTIOUS_WASTE.directive_id}),  # a letter too many
    ],
)
def test_typos_beyond_spelling_rules_are_found_by_trigrams(query: str, expected: set[int]) -> None:
    assert set(ranked(query)[: len(expected)]) == expected


def test_title_beats_body() -> None:
    order = ranked("ค่าครองชีพ")
    assert order[:2] == [COST_OF_LIVING.directive_id, RELIEF.directive_id]


def test_specific_match_beats_vague_one() -> None:
    order = ranked("ขยะติดเชื้อ")
    assert order[0] == INFECTIOUS_WASTE.directive_id
    # ขยะ alone and ติดเชื้อ alone come after, if at all
    for vague in (SORTING.directive_id, COVID.directive_id):
        assert vague not in order or order.index(vague) > 0


def test_a_directive_matching_more_of_the_query_ranks_higher() -> None:
    order = ranked("คัดแยกขยะในครัวเรือน")
    assert order[0] == SORTING.directive_id


def test_synonyms_expand_both_ways() -> None:
    assert first("มูลฝอยติดเชื้อ") == INFECTIOUS_WASTE.directive_id
    assert first("อุทกภัย") == FLOODS.directive_id
    assert first("องค์กรปกครองส่วนท้องถิ่น") in {CHILD_CENTRES.directive_id, INFECTIOUS_WASTE.directive_id}
    assert INFECTIOUS_WASTE.directive_id in ranked("องค์กรปกครองส่วนท้องถิ่น")  # it says อปท.


def test_related_terms_rank_below_the_words_typed() -> None:
    synonyms = Synonyms.from_groups(related=[["ไฟป่า", "ฝุ่นละออง"]])
    fire = Document(20, 12, 1, "การป้องกันไฟป่า", "การป้องกันไฟป่าในฤดูแล้ง")
    index = SearchIndex.build([DUST, fire], synonyms=synonyms)
    assert [hit.directive_id for hit in index.search("ไฟป่า")] == [20, DUST.directive_id]


# --- The meeting's subject: its headline is the context of every directive in it --------------------------

FLOOD_HEADLINE = "นายกฯ ประชุมรับมือฤดูน้ำหลาก เน้นย้ำทุกจังหวัดเตรียมพร้อม"
EVACUATE = Document(
    40, 20, 1, "เตรียมแผนอพยพประชาชน", "เตรียมแผนอพยพประชาชนในพื้นที่เสี่ยง", meeting_title=FLOOD_HEADLINE
)
PUMPS = Document(41, 20, 2, "ตรวจสอบเครื่องสูบน้ำ", "ตรวจสอบเครื่องสูบน้ำให้พร้อมใช้งาน", meeting_title=FLOOD_HEADLINE)
LEVEES = Document(42, 21, 1, "เสริมคันกั้นน้ำ", "เสริมคันกั้นน้ำริมแม่น้ำ", meeting_title="ผู้ว่าฯ ประชุมติดตามสถานการณ์อุทกภัย")
SAYS_IT = Document(43, 22, 1, "การเตรียมรับมือน้ำท่วมขัง", "การเตรียมรับมือน้ำท่วมขังในเขตเมือง")
ROADS = Document(44, 23, 1, "ซ่อมถนนในหมู่บ้าน", "ซ่อมถนนในหมู่บ้านให้ปลอดภัย", meeting_title="ประชุมพัฒนาถนน")


@pytest.mark.parametrize("query", ["น้ำท่วม", "อุทกภัย", "น้ำหลาก", "เรื่องน้ำท่วมต้องทำยังไง"])
def test_a_directive_is_found_through_its_meetings_subject(query: str) -> None:
    found = [
        hit.directive_id for hit in SearchIndex.build([EVACUATE, PUMPS, LEVEES, SAYS_IT, ROADS]).search(query)
    ]
    assert {40, 41, 42} <= set(found) and 44 not in found
    assert found[0] == 43  # a directive that says it itself comes first


@pytest.mark.parametrize("query", ["น้ำท่วม", "อุทกภัย", "ภัยแล้ง", "ยาเสพติด"])
def test_the_sentence_introducing_the_directives_is_their_subject_too(query: str) -> None:
    """Headlines often name only who met ("มท.1 ประชุมผู้ว่าฯ ทั่วประเทศ"); the lead-in of the list says
    what about ("…สถานการณ์อุทกภัยและภัยแล้ง และปัญหายาเสพติด จึงขอให้ดำเนินการ"). Its words count like the
    headline's, below the directive's own, and it is never shown as the meeting's title."""
    lead_in = "เพื่อรับมือสถานการณ์อุทกภัยและภัยแล้ง รวมทั้งปัญหายาเสพติดในพื้นที่ จึงขอให้ทุกจังหวัดดำเนินการ"
    met = "มท.1 ประชุมผู้ว่าราชการจังหวัดทั่วประเทศ"
    listed = Document(
        60, 40, 1, "เตรียมแผนอพยพ", "เตรียมแผนอพยพประชาชน", meeting_title=met, meeting_subject=lead_in
    )
    elsewhere = Document(61, 41, 1, "ซ่อมถนนในหมู่บ้าน", "ซ่อมถนนในหมู่บ้าน", meeting_title=met)
    hits = SearchIndex.build([listed, elsewhere, ROADS]).search(query)
    assert [hit.directive_id for hit in hits] == [60]
    assert hits[0].meeting_title == met


def test_a_meeting_stores_the_lead_in_of_its_directives_as_its_subject(ready_app: Flask) -> None:
    with services_of(ready_app).db.session() as session:
        (seed,) = session.scalars(select(Meeting)).all()
        assert seed.subject and "ภารกิจ" in seed.subject and not seed.subject.endswith("ดังนี้")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("ยาบ้า", "ยาเสพติด"),
        ("ดิจิตอล", "ดิจิทัล"),
        ("digital", "ดิจิทัล"),
        ("แอพ", "แอปพลิเคชัน"),
        ("เว็บไซท์", "เว็บไซต์"),
        ("website", "เว็บไซต์"),
        ("สังคมสูงวัย", "ผู้สูงอายุ"),
        ("อีเซอร์วิส", "e-Service"),
    ],
)
def test_the_thesaurus_joins_thai_words_and_spellings_of_english_ones(query: str, says: str) -> None:
    directive = Document(50, 30, 1, f"ส่งเสริม{says}ในท้องถิ่น", f"ให้ อปท. ส่งเสริม{says}ในท้องถิ่น")
    assert [hit.directive_id for hit in SearchIndex.build([directive, ROADS]).search(query)] == [50]


def test_a_recent_meeting_wins_a_tie() -> None:
    old = Document(30, 13, 1, "การจัดการน้ำเสีย", "การจัดการน้ำเสียในชุมชน", meeting_date=dt.date(2021, 1, 5))
    new = Document(31, 14, 1, "การจัดการน้ำเสีย", "การจัดการน้ำเสียในชุมชน", meeting_date=dt.date(2024, 1, 5))
    assert [hit.directive_id for hit in SearchIndex.build([old, new]).search("น้ำเสีย")] == [31, 30]
    assert [hit.directive_id for hit in SearchIndex.build([new, old]).search("น้ำเสีย")] == [31, 30]


def test_an_old_exact_match_beats_a_new_vague_one() -> None:
    old = Document(32, 13, 1, "การจัดการน้ำเสีย", "การจัดการน้ำเสียในชุมชน", meeting_date=dt.date(2015, 1, 5))
    vague = Document(33, 14, 1, "การประปา", "การจัดการน้ำประปาเสียบ่อย", meeting_date=dt.date(2024, 1, 5))
    hits = SearchIndex.build([old, vague]).search("การจัดการน้ำเสีย")
    assert hits[0].directive_id == 32


def test_a_hit_carries_its_meeting_the_matched_terms_and_a_snippet() -> None:
    (hit, *_) = corpus_index().search("ขยะติดเชื้อ")
    assert (hit.directive_id, hit.meeting_id, hit.seq) == (1, 10, 1)
    assert (hit.meeting_date, hit.meeting_number) == (dt.date(2022, 1, 21), "3/2565")
    assert hit.meeting_title == INFECTIOUS_WASTE.meeting_title
    assert hit.title == INFECTIOUS_WASTE.title
    assert hit.matched_terms == ("มูลฝอยติดเชื้อ",)
    assert "มูลฝอยติดเชื้อ" in hit.snippet
    assert hit.score > 0


def test_search_respects_the_limit() -> None:
    assert len(corpus_index().search("การ ขยะ ค่าครองชีพ ศูนย์พัฒนาเด็กเล็ก", limit=2)) <= 2
    assert corpus_index().search("ขยะติดเชื้อ", limit=0) == []


def test_an_empty_index_finds_nothing() -> None:
    assert SearchIndex.build([]).search("ขยะติดเชื้อ") == []
    assert SearchIndex.build([]).suggestions() == []


# --- Reading queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "concepts"),
    [
        ("เรื่องขยะติดเชื้อต้องทำอย่างไร", ["ขยะติดเชื้อ"]),
        ("ขยะ   ติดเชื้อ ครับ", ["ขยะติดเชื้อ"]),
        ("น้ำท่วม ภัยแล้ง", ["น้ำท่วม", "ภัยแล้ง"]),
        ("PM 2.5 คืออะไร", ["PM2.5"]),
        ("ฝุ่น PM๒.๕", ["ฝุ่น PM2.5"]),
        ("ข้อสั่งการเกี่ยวกับการจัดการน้ำเสียล่าสุด", ["การจัดการน้ำเสีย"]),
        ("ข้อสั่งการเกี่ยวกับบ่อบำบัดล่าสุด", ["บ่อบำบัด"]),
        ("ค่าครองชิพ", ["ค่าครองชิพ"]),
        ("capital", ["capital"]),  # "ita" inside a word is not ITA
        ("ครับ", []),
    ],
)
def test_parse_query_finds_the_concepts(query: str, concepts: list[str]) -> None:
    assert [concept.text for concept in parse_query(query).concepts] == concepts


def test_parse_query_expands_synonyms_with_weights() -> None:
    (concept,) = parse_query("ขยะติดเชื้อ").concepts
    weights = {alternative.text: alternative.weight for alternative in concept.alternatives}
    assert weights["ขยะติดเชื้อ"] == 1.0
    assert weights["มูลฝอยติดเชื้อ"] == search_module.SYNONYM_WEIGHT


def test_a_long_pasted_text_is_cut() -> None:
    query = "ขยะติดเชื้อ " + "ก" * 10_000
    assert len(parse_query(query).concepts) <= 2


# --- Data files --------------------------------------------------------------------------------------------


def test_synonyms_file_loads_and_covers_the_issue() -> None:
    synonyms = load_synonyms()
    for typed, other in [
        ("ขยะติดเชื้อ", "มูลฝอยติดเชื้อ"),
        ("น้ำท่วม", "อุทกภัย"),
        ("ศพด.", "ศูนย์พัฒนาเด็กเล็ก"),
        ("อปท.", "องค์กรปกครองส่วนท้องถิ่น"),
        ("ita", "การประเมินคุณธรรมและความโปร่งใส"),
        ("โควิด", "covid-19"),
        ("pm2.5", "ฝุ่นละออง"),
    ]:
        key = search_module.squash(search_module.fold(typed))
        expanded = {search_module.squash(search_module.fold(term)) for term, _ in synonyms.expansions[key]}
        assert search_module.squash(search_module.fold(other)) in expanded, typed
    assert "ขยะติดเชื้อ" in synonyms.topics


def test_synonym_terms_that_hide_inside_words_are_refused() -> None:
    with pytest.raises(ValueError, match="too short"):
        Synonyms.from_groups([["สถ.", "กรมส่งเสริมการปกครองท้องถิ่น"]])


def test_a_malformed_synonyms_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("synonyms:\n  - [ขยะ]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="two terms"):
        load_synonyms(path)
    path.write_text("synonym:\n  - [ขยะ, มูลฝอย]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown sections"):
        load_synonyms(path)


def test_suggestions_are_topics_that_find_something_newest_first() -> None:
    synonyms = Synonyms.from_groups([["ขยะติดเชื้อ", "มูลฝอยติดเชื้อ"]], topics=["ขยะติดเชื้อ", "การบินอวกาศ", "น้ำเสีย"])
    old = Document(40, 15, 1, "มูลฝอยติดเชื้อ", "มูลฝอยติดเชื้อ", meeting_date=dt.date(2021, 1, 1))
    new = Document(41, 16, 1, "น้ำเสีย", "การจัดการน้ำเสีย", meeting_date=dt.date(2024, 1, 1))
    index = SearchIndex.build([old, new], synonyms=synonyms)
    assert index.suggestions() == ["น้ำเสีย", "ขยะติดเชื้อ"]
    assert index.suggestions(limit=1) == ["น้ำเสีย"]


# --- Snippets and rebuilding --------------------------------------------------------------------------------


def test_snippet_shows_the_match_in_a_long_text() -> None:
    text = "ก" * 300 + " การจัดการมูลฝอยติดเชื้อ " + "ข" * 300
    piece = snippet(text, ["มูลฝอย ติดเชื้อ"])
    assert "มูลฝอยติดเชื้อ" in piece
    assert piece.startswith("…") and piece.endswith("…")
    assert len(piece) <= search_module.SNIPPET_CHARS + 4
    assert snippet("สั้น ๆ", ["ไม่มี"]) == "สั้น ๆ"


def test_snippet_finds_a_loosely_spelt_match_past_tone_marks() -> None:
    """Found in the loosened text (tone marks dropped, ศ as ส): the window still starts at the match."""
    text = "ก่อน " * 80 + "การแก้ไขปัญหาไฟป่าและหมอกควันในพื้นที่ภาคเหนือ" + " หลัง" * 80
    piece = snippet(text, ["ไฟปาและหมอกควัน"])  # without the tone mark
    assert "ไฟป่าและหมอกควัน" in piece


@pytest.mark.parametrize("text", ["น้ำท่วม่ ๆ ฯ PM 2.5 ก็ได้", "ศาสตร์ ษ ธ ที่ ผู้ ก่้๊๋็์", "  แก้ไข,  ปัญหา!! ", "a-b c"])
def test_every_squashed_character_maps_back_to_where_it_came_from(text: str) -> None:
    folded = search_module.fold(text)
    for loose in (False, True):
        squashed = search_module.squash(folded)
        if loose:
            squashed = search_module.loosen(squashed)
        for index, char in enumerate(squashed):
            source = folded[search_module._folded_position(folded, index, loose=loose)]
            assert (search_module.loosen(source) if loose else source) == char
        with pytest.raises(IndexError):
            search_module._folded_position(folded, len(squashed), loose=loose)


def test_rebuilding_segments_only_changed_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    analysed: list[int] = []
    original = search_module._analyse

    def counting(document: Document) -> search_module._Analysis:
        analysed.append(document.directive_id)
        return original(document)

    monkeypatch.setattr(search_module, "_analyse", counting)
    first_index = SearchIndex.build(CORPUS)
    assert sorted(analysed) == sorted(d.directive_id for d in CORPUS)
    analysed.clear()
    changed = Document(2, 10, 2, COST_OF_LIVING.title, COST_OF_LIVING.text + " ตลาดชุมชน")
    SearchIndex.build([changed, *CORPUS[2:]], previous=first_index)
    assert analysed == [2]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_search_never_raises_on_arbitrary_text(query: str) -> None:
    hits = corpus_index().search(query, limit=3)
    assert len(hits) <= 3


THAI_AND_MORE = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F) | st.sampled_from(
    list(" .-()/?!\u200b\u00a00123456789abcITA")
)


@settings(max_examples=150, deadline=None)
@given(st.text(THAI_AND_MORE, max_size=120))
def test_search_never_raises_on_thai_like_text(query: str) -> None:
    for hit in corpus_index().search(query):
        assert hit.directive_id in {d.directive_id for d in CORPUS}


# --- The service over the database (SQLite and PostgreSQL) -----------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _draft(fingerprint: str, *items: tuple[str, str]) -> MeetingDraft:
    return MeetingDraft(
        title=f"การประชุม {fingerprint}",
        date=dt.date(2025, 3, 7),
        number="3/2568",
        directives=tuple(
            DirectiveDraft(seq, title, text, ("Environment",))
            for seq, (title, text) in enumerate(items, start=1)
        ),
        fingerprint=fingerprint,
    )


def test_seed_meeting_is_searchable(ready_app: Flask) -> None:
    search = Search(services_of(ready_app).db)
    (hit, *_) = search.search("ขยะติดเชื้อ")
    assert "มูลฝอยติดเชื้อ" in hit.title
    assert (hit.meeting_date, hit.meeting_number, hit.seq) == (dt.date(2022, 1, 21), "3/2565", 1)
    assert search.search("ITA")[0].seq == 4
    assert search.search("ศพด.")[0].seq == 3
    assert search.search("ค่าครองชีพ")[0].seq == 2
    assert search.search("การบินอวกาศ") == []
    assert "ขยะติดเชื้อ" in search.suggestions(limit=20)


def test_index_is_rebuilt_when_a_meeting_is_published(ready_app: Flask) -> None:
    db = services_of(ready_app).db
    clock = FakeClock()
    search = Search(db, check_seconds=5, clock=clock)
    assert search.search("ไฟป่า") == []
    with db.session() as session:
        meeting, _ = save_draft(
            session, _draft("fire-1", ("การป้องกันไฟป่า", "ให้จังหวัดเฝ้าระวังไฟป่าและหมอกควัน")), "raw"
        )
        meeting_id = meeting.id
    clock.now += 6
    assert search.search("ไฟป่า") == []  # a draft is not searchable
    with db.session() as session:
        stored = session.get(Meeting, meeting_id)
        assert stored is not None
        stored.published_at = utcnow()  # what publishing sets (this Search is not the services' one)
    clock.now += 1
    assert search.search("ไฟป่า") == []  # checked at most every check_seconds
    clock.now += 5
    hits = search.search("ไฟป่า")
    assert [(hit.meeting_id, hit.title) for hit in hits] == [(meeting_id, "การป้องกันไฟป่า")]
    assert hits[0].meeting_date == dt.date(2025, 3, 7)


def test_index_follows_edits_of_a_directive(ready_app: Flask) -> None:
    db = services_of(ready_app).db
    search = Search(db, check_seconds=0)
    with db.session() as session:
        meeting, _ = save_draft(
            session, _draft("edit-1", ("การจัดการน้ำเสีย", "ให้ อปท. บำบัดน้ำเสียชุมชน")), "raw", publish=True
        )
        meeting_id = meeting.id
    assert [hit.meeting_id for hit in search.search("น้ำเสีย")] == [meeting_id]
    with db.session() as session:
        stored = session.get(Meeting, meeting_id)
        assert stored is not None
        apply_change(
            session,
            stored,
            MeetingChange(directives=[DirectiveChange(seq=1, title="ธนาคารน้ำใต้ดิน", text="ธนาคารน้ำใต้ดิน")]),
        )
    assert search.search("น้ำเสีย") == []
    assert [hit.meeting_id for hit in search.search("ธนาคารน้ำใต้ดิน")] == [meeting_id]


def test_refresh_reports_whether_it_rebuilt(ready_app: Flask) -> None:
    search = Search(services_of(ready_app).db)
    assert search.refresh() is True
    assert search.refresh() is False
    assert search.refresh(force=True) is True
