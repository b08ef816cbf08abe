"""``parse_article``: one news article (text or HTML) in, one :class:`MeetingDraft` out.

Never raises on bad input: empty text, another language, binary garbage or a 10 MB paste all give a
draft whose Thai ``warnings`` say what is missing. Work is capped (see ``cleanup.MAX_*``), so the
parser stays fast whatever it is given.
"""

from __future__ import annotations

import hashlib
from typing import Final

from bot import thai
from meetings.parsing import cleanup, deadlines, fields, texts
from meetings.parsing.classify import classify, ten_e_codes
from meetings.parsing.directives import FoundDirective, read_lists
from meetings.parsing.model import DirectiveDraft, MeetingDraft

MAX_DIRECTIVES: Final = 60
"""More numbered items than this is not a list of directives; keep the first ones and warn."""
MIN_THAI_SHARE: Final = 0.3

WARN_EMPTY: Final = "ไม่พบเนื้อหาข่าว"
WARN_NOT_THAI: Final = "ข้อความส่วนใหญ่ไม่ใช่ภาษาไทย ผลการอ่านอาจไม่ถูกต้อง"
WARN_TRUNCATED: Final = "ข้อความยาวเกินไป อ่านเฉพาะ {limit:,} ตัวอักษรแรก"
WARN_NO_TITLE: Final = "ไม่พบหัวข่าว"
WARN_NO_DATE: Final = "ไม่พบวันที่ประชุม"
WARN_PAGE_DATE: Final = "ไม่พบวันที่ประชุมในเนื้อข่าว ใช้วันที่เผยแพร่ข่าวแทน โปรดตรวจสอบ"
WARN_NO_NUMBER: Final = "ไม่พบครั้งที่ของการประชุม (เช่น ครั้งที่ 3/2565)"
WARN_NO_CHAIR: Final = "ไม่พบผู้เป็นประธานการประชุม"
WARN_CHAIR_GUESSED: Final = "ข่าวไม่ระบุผู้เป็นประธานหรือผู้นำการประชุม จึงใช้บุคคลแรกที่ข่าวกล่าวถึง ({chair}) โปรดตรวจสอบ"
WARN_NO_DIRECTIVES: Final = "ไม่พบข้อสั่งการ"
WARN_TOO_MANY: Final = "พบข้อสั่งการมากเกิน {limit} ข้อ เก็บเฉพาะ {limit} ข้อแรก"
WARN_UNCATEGORISED: Final = "ข้อสั่งการข้อ {seq} จัดหมวด 10Es ไม่ได้ โปรดเลือกหมวดเอง"


def fingerprint(paragraphs: tuple[str, ...]) -> str | None:
    """What makes two inputs the same article: the body's words, whatever the markup and spacing.
    None for an empty body: pages without one (a title alone) are not all the same article."""
    canonical = " ".join(thai.normalize(" ".join(paragraphs)).split())
    if not canonical:
        return None
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _seqs_by_list(found: list[FoundDirective]) -> dict[int, list[int]]:
    """The directive numbers (1, 2, ...) of each kept list, by list number."""
    seqs: dict[int, list[int]] = {}
    for seq, item in enumerate(found, start=1):
        seqs.setdefault(item.list_number, []).append(seq)
    return seqs


def _thin_list_warnings(found: list[FoundDirective]) -> dict[int, str]:
    """One warning per list kept on thin evidence (by list number), naming its directives and the cues."""
    return {
        list_number: texts.THIN_LIST_KEPT.format(first=seqs[0], last=seqs[-1], cues=doubt)
        for list_number, seqs in _seqs_by_list(found).items()
        if (doubt := found[seqs[0] - 1].doubt)
    }


def _no_mission_warnings(found: list[FoundDirective], categories: list[tuple[str, ...]]) -> dict[int, str]:
    """One warning per kept list none of whose items falls under any of the 10Es (by list number): a
    directive of the department is about one of its missions; a list of names (fabric patterns, awards,
    a model's principles) is about none, however it is introduced."""
    return {
        list_number: texts.NO_MISSION_LIST_KEPT.format(first=seqs[0], last=seqs[-1])
        for list_number, seqs in _seqs_by_list(found).items()
        if len(seqs) >= 2 and not any(categories[seq - 1] for seq in seqs)
    }


def parse_article(text_or_html: str, source_url: str | None = None) -> MeetingDraft:
    """Read a meeting news article into a draft: title, meeting date, number, chair, directives with
    their 10E categories, whether the 10Es are restated, source URL, and Thai warnings."""
    if not isinstance(text_or_html, str):  # callers from untyped code (a webhook payload)
        text_or_html = str(text_or_html or "")
    article = cleanup.clean_article(text_or_html)
    warnings: list[str] = []
    if article.truncated:
        warnings.append(WARN_TRUNCATED.format(limit=cleanup.MAX_TEXT_CHARS))
    url = source_url or article.source_url
    if not article.title and not article.paragraphs:
        warnings += [WARN_EMPTY, WARN_NO_DATE, WARN_NO_DIRECTIVES]
        return MeetingDraft(title="", source_url=url, warnings=tuple(warnings))

    all_text = article.title + "\n" + "\n".join(article.paragraphs)
    if thai.thai_share(all_text[:50_000]) < MIN_THAI_SHARE:
        warnings.append(WARN_NOT_THAI)
    if not article.title:
        warnings.append(WARN_NO_TITLE)
    paragraphs = article.paragraphs or (article.title,)

    date = fields.find_meeting_date(paragraphs, article.page_date, article.title)
    if date is None and article.page_date is not None:
        date = article.page_date
        warnings.append(WARN_PAGE_DATE)
    elif date is None:
        warnings.append(WARN_NO_DATE)

    number = fields.find_meeting_number(paragraphs, article.title)
    if number is None:
        warnings.append(WARN_NO_NUMBER)

    chair = fields.find_chair(paragraphs, article.title)
    if chair is None:
        warnings.append(WARN_NO_CHAIR)
    elif chair.guessed:
        warnings.append(WARN_CHAIR_GUESSED.format(chair=chair.label))

    reading = read_lists(paragraphs, chair, ten_e_codes())
    found = list(reading.directives)
    warnings += reading.warnings
    if len(found) > MAX_DIRECTIVES:
        warnings.append(WARN_TOO_MANY.format(limit=MAX_DIRECTIVES))
        found = found[:MAX_DIRECTIVES]
    thin = _thin_list_warnings(found)
    # The title counts twice: what a directive is about is said first.
    classified = [tuple(classify(f"{item.title}\n{item.text[:3000]}")) for item in found]
    no_mission = _no_mission_warnings(found, classified)
    directives: list[DirectiveDraft] = []
    for seq, (item, categories) in enumerate(zip(found, classified, strict=True), start=1):
        about = [warning[item.list_number] for warning in (thin, no_mission) if item.list_number in warning]
        if not categories:
            about.append(WARN_UNCATEGORISED.format(seq=seq))
            warnings.append(about[-1])
        directives.append(
            DirectiveDraft(
                seq=seq,
                title=item.title,
                text=item.text,
                categories=categories,
                deadline=deadlines.find_deadline(item.text, date),
                warnings=tuple(about),
            )
        )
    if not directives:
        warnings.append(WARN_NO_DIRECTIVES)
    warnings += thin.values()
    warnings += no_mission.values()

    return MeetingDraft(
        title=article.title,
        date=date,
        number=number,
        chair=chair.label if chair else None,
        chair_name=chair.name if chair else None,
        chair_position=chair.position if chair else None,
        body=fields.find_body(paragraphs, article.title, chair),
        subject=reading.subject or None,
        directives=tuple(directives),
        ten_es=reading.ten_es,
        source_url=url,
        warnings=tuple(warnings),
        fingerprint=fingerprint(article.paragraphs),
    )
