"""The bot's cards for meetings and directives, shared by the conversation and broadcasts.

A directive is a bubble (title, short text, 10E tags, "อ่านต่อ" for the full text by postback); a
meeting is a carousel of its directives with a text fallback in `altText`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import flex, postback, texts
from bot.models import Directive, Meeting
from bot.thai import format_thai_date

Message = dict[str, Any]


def meeting_label(meeting: Meeting, *, short: bool = False) -> str:
    number = texts.CARD_NUMBER.format(number=meeting.number) if meeting.number else ""
    date = (
        format_thai_date(meeting.meeting_date, "short" if short else "full")
        if meeting.meeting_date
        else texts.CARD_NO_DATE
    )
    return f"{number}{date}"


def meeting_heading(meeting: Meeting) -> str:
    """ "การประชุม สถ. ครั้งที่ 3/2565 · 21 มกราคม 2565", named by the body that held it ("มท.",
    "คณะกรรมการ…"); the department when the article named none."""
    body = " ".join((meeting.body or "").split()) or texts.CARD_DEFAULT_BODY
    if len(body) > texts.CARD_BODY_CHARS:
        body = body[: texts.CARD_BODY_CHARS - 1].rstrip() + "…"
    return texts.CARD_MEETING.format(body=body, meeting=meeting_label(meeting))


def tags(directive: Directive) -> list[str]:
    return [f"E{e.number} {e.code}" for e in directive.categories]


def deadline_badge(directive: Directive) -> str | None:
    """ "กำหนด 31 มี.ค. 68" when the directive states a deadline."""
    if directive.deadline is None:
        return None
    return texts.CARD_DEADLINE.format(date=format_thai_date(directive.deadline, "short"))


def report_action(directive: Directive) -> dict[str, Any]:
    """ "รายงานผล": a provincial group reports what its province has done about the directive."""
    return flex.postback_action(
        texts.CARD_REPORT,
        postback.AskReport(directive.id),
        f"{texts.CARD_REPORT}: ข้อ {directive.seq}",
    )


def read_more(directive: Directive) -> dict[str, Any]:
    return flex.postback_action(
        texts.CARD_READ_MORE,
        postback.ShowDirective(directive.id),
        f"{texts.CARD_READ_MORE}: ข้อ {directive.seq}",
    )


def directive_bubble(
    directive: Directive, meeting: Meeting, extra_buttons: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    header = texts.CARD_DIRECTIVE_HEADER.format(seq=directive.seq, meeting=meeting_label(meeting, short=True))
    return flex.bubble(
        header,
        directive.title,
        directive.text,
        tags(directive),
        [read_more(directive), *extra_buttons],
        badge=deadline_badge(directive),
    )


def alt_deadline(directive: Directive) -> str:
    """ " (กำหนด 31 มี.ค. 68)" after a directive's title in a text, or nothing."""
    if directive.deadline is None:
        return ""
    return texts.CARD_ALT_DEADLINE.format(date=format_thai_date(directive.deadline, "short"))


def directives_alt_text(meeting: Meeting, directives: Sequence[Directive]) -> str:
    items = "\n".join(
        texts.CARD_ALT_ITEM.format(seq=d.seq, title=d.title) + alt_deadline(d) for d in directives
    )
    return texts.CARD_ALT_DIRECTIVES.format(meeting=meeting_heading(meeting), items=items)


def meeting_carousel(
    meeting: Meeting,
    directives: Sequence[Directive] | None = None,
    quick: Sequence[dict[str, Any]] | None = None,
    extra_buttons: Sequence[dict[str, Any]] = (),
) -> Message:
    """The meeting's directives as a carousel (12 at most), with every title in the text fallback."""
    shown = list(meeting.directives if directives is None else directives)
    bubbles = [directive_bubble(d, meeting, extra_buttons) for d in shown]
    return flex.flex(directives_alt_text(meeting, shown), flex.carousel(bubbles), quick)
