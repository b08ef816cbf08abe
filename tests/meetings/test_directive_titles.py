"""Directive titles (issue 14, "Directive titles"): the directive's first meaningful clause, whole, never
cut inside an English word or a number, nor before the word that carries it on, nor as a bare list of
agencies; a clause too long for a LINE card is cut at a word. Several sentences per class of Thai
writing."""

from __future__ import annotations

import pytest

from meetings.parsing.directives import TITLE_MAX, directive_title, shorten_at_word

# (directive text, the title it must have)
ENGLISH_WORDS_AND_NUMBERS = [
    (
        "ให้นำแอปพลิเคชัน Traffy Fondue มาใช้รับเรื่องร้องเรียนของประชาชน ทุกองค์กรปกครองส่วนท้องถิ่น",
        "ให้นำแอปพลิเคชัน Traffy Fondue มาใช้รับเรื่องร้องเรียนของประชาชน",
    ),
    (
        "การป้องกันโรคติดเชื้อไวรัสโคโรนา 2019 (โควิด-19) ในสถานศึกษา ให้ปฏิบัติตามมาตรการอย่างเคร่งครัด",
        "การป้องกันโรคติดเชื้อไวรัสโคโรนา 2019 (โควิด-19) ในสถานศึกษา",
    ),
    (
        "มุ่งมั่นทำให้เกิดการ Change for Good ด้วย Passion และจิตวิญญาณของการเป็นข้าราชการที่ดี",
        "มุ่งมั่นทำให้เกิดการ Change for Good",
    ),
    (
        "การปฏิบัติหน้าที่ผู้อำนวยการเขตเลือกตั้งจำนวน 400 เขตเลือกตั้ง ให้เป็นไปด้วยความเรียบร้อย",
        "การปฏิบัติหน้าที่ผู้อำนวยการเขตเลือกตั้งจำนวน 400 เขตเลือกตั้ง",
    ),
    (
        "ให้ทุกจังหวัดรายงานผลการสำรวจภายใน 7 วัน นับแต่วันที่ได้รับหนังสือ",
        "ให้ทุกจังหวัดรายงานผลการสำรวจภายใน 7 วัน",
    ),
]

CARRIED_ON = [
    (
        "ขยายผลการดำเนินงาน ไปยังองค์กรปกครองส่วนท้องถิ่นทุกแห่ง ภายในปีงบประมาณนี้",
        "ขยายผลการดำเนินงาน ไปยังองค์กรปกครองส่วนท้องถิ่นทุกแห่ง",
    ),
    (
        "โครงการพัฒนาพื้นที่ต้นแบบการพัฒนาคุณภาพชีวิต ตามหลักทฤษฎีใหม่ ประยุกต์สู่โคก หนอง นา",
        "โครงการพัฒนาพื้นที่ต้นแบบการพัฒนาคุณภาพชีวิต ตามหลักทฤษฎีใหม่",
    ),
    (
        "การมอบเครื่องอุปโภคบริโภคที่จำเป็น ให้แก่ผู้ประสบอุทกภัยในพื้นที่ โดยให้อำเภอประสานงาน",
        "การมอบเครื่องอุปโภคบริโภคที่จำเป็น ให้แก่ผู้ประสบอุทกภัยในพื้นที่",
    ),
    (
        "จัดพิธีทำบุญตักบาตรถวายพระราชกุศล และพิธีวางพวงมาลา โดยให้ทุกอำเภอร่วมกัน",
        "จัดพิธีทำบุญตักบาตรถวายพระราชกุศล และพิธีวางพวงมาลา",
    ),
    (
        "การเสริมสร้างปลูกฝังความตระหนักรู้ต่าง ๆ ให้กับเยาวชนในพื้นที่ ผ่านสื่อทุกช่องทาง",
        "การเสริมสร้างปลูกฝังความตระหนักรู้ต่าง ๆ ให้กับเยาวชนในพื้นที่",
    ),
]

AGENCY_LISTS = [
    (
        "กระทรวงมหาดไทย กระทรวงกลาโหม สำนักงานตำรวจแห่งชาติ ให้เร่งตรวจสอบพื้นที่เสี่ยง และรายงานผล",
        "กระทรวงมหาดไทย กระทรวงกลาโหม สำนักงานตำรวจแห่งชาติ ให้เร่งตรวจสอบพื้นที่เสี่ยง",
    ),
    (
        "กรมการปกครอง กรมส่งเสริมการปกครองท้องถิ่น กรมป้องกันและบรรเทาสาธารณภัย กรมการพัฒนาชุมชน "
        "และกรมโยธาธิการและผังเมือง ร่วมกันจัดทำแผนเผชิญเหตุ ในพื้นที่เสี่ยงภัย",
        "ร่วมกันจัดทำแผนเผชิญเหตุ ในพื้นที่เสี่ยงภัย",
    ),
    (
        "สำนักงานปลัดกระทรวงมหาดไทย การไฟฟ้าส่วนภูมิภาค การประปาส่วนภูมิภาค สนับสนุนเครื่องจักรกล ให้จังหวัด",
        "สนับสนุนเครื่องจักรกล",
    ),
]


@pytest.mark.parametrize(("text", "title"), ENGLISH_WORDS_AND_NUMBERS)
def test_a_title_is_not_cut_at_an_english_word_or_a_number(text: str, title: str) -> None:
    assert directive_title(text) == title


@pytest.mark.parametrize(("text", "title"), CARRIED_ON)
def test_a_title_is_not_cut_before_the_word_that_carries_it_on(text: str, title: str) -> None:
    assert directive_title(text) == title


@pytest.mark.parametrize(("text", "title"), AGENCY_LISTS)
def test_a_title_is_not_only_a_list_of_agencies(text: str, title: str) -> None:
    assert directive_title(text) == title


def test_both_halves_that_do_not_fit_end_before_the_second() -> None:
    first = "การจัดเก็บรายได้ของท้องถิ่นให้ครบถ้วนตามกฎหมายว่าด้วยภาษีที่ดินและสิ่งปลูกสร้าง"
    text = f"{first} และการขอรับเงินอุดหนุนจากรัฐบาลให้สอดคล้องกับแผนพัฒนาท้องถิ่นของทุกองค์กร"
    assert directive_title(text) == first


@pytest.mark.parametrize(
    "clause",
    [
        "ให้องค์กรปกครองส่วนท้องถิ่นทุกแห่งเร่งรัดการเบิกจ่ายงบประมาณรายจ่ายประจำปีงบประมาณพ.ศ.2568ให้เป็นไปตามเป้าหมายที่รัฐบาลกำหนด",
        "การรณรงค์ให้ประชาชนเข้ารับวัคซีนป้องกันโรคโควิด-19อย่างทั่วถึงโดยเฉพาะกลุ่มผู้สูงอายุและผู้มีโรคประจำตัวเรื้อรังทุกพื้นที่",
        "ส่งเสริมการใช้แอปพลิเคชันThaiDด้วยการประชาสัมพันธ์ผ่านหอกระจายข่าวและเครือข่ายอาสาสมัครสาธารณสุขประจำหมู่บ้านทุกแห่ง",
    ],
)
def test_one_long_clause_is_cut_at_a_word_within_the_card_limit(clause: str) -> None:
    title = directive_title(clause)
    assert len(title) <= TITLE_MAX
    assert title.endswith("…")
    assert clause.startswith(title[:-1])
    rest = clause[len(title) - 1 :]
    for word in ("2568", "19", "ThaiD"):  # never inside a number or an English word
        at = clause.find(word)
        assert at < 0 or not (at < len(title) - 1 < at + len(word))
    assert rest


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("โรคติดเชื้อไวรัสโคโรนา 2019 ระบาดหนัก", 26, "โรคติดเชื้อไวรัสโคโรนา…"),
        ("ให้นำแอปพลิเคชัน Traffy Fondue มาใช้", 22, "ให้นำแอปพลิเคชัน…"),
        ("ส่งเสริมการใช้ผ้าไทย", 40, "ส่งเสริมการใช้ผ้าไทย"),
    ],
)
def test_shortening_keeps_spaces_and_whole_words(text: str, limit: int, short: str) -> None:
    assert shorten_at_word(text, limit) == short
