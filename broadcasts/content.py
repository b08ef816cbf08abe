"""What a broadcast says: one set of LINE messages, encoded once, the same for every group.

A meeting summary is a Flex carousel — a summary card with the "รับทราบ" button, then one card per
directive with its deadline and a "รายงานผล" button — whose `altText` is the text version. A directive
is its card with both buttons; a reminder, the directive's title and deadline with "รายงานผล"; an alert
is a text with the button as a quick reply. The buttons' postbacks name the broadcast or the
directive; the group is known from the event, so the body is identical for every group and is encoded
once for thousands of pushes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import cards, content, flex, postback
from bot.models import Broadcast, BroadcastKind, Meeting
from broadcasts import texts


class ContentGone(ValueError):
    """The meeting or directive of a broadcast is no longer published."""


def acknowledge_action(broadcast_id: int) -> dict[str, object]:
    return flex.postback_action(texts.ACK, postback.Acknowledge(broadcast_id), texts.ACK)


def messages_for(session: Session, broadcast: Broadcast) -> flex.Prepared:
    ack = acknowledge_action(broadcast.id)
    if broadcast.kind is BroadcastKind.TEXT:
        return flex.Prepared([flex.text(broadcast.text or "", [ack])])
    if broadcast.kind is BroadcastKind.REMINDER:
        return _reminder(session, broadcast)
    if broadcast.kind is BroadcastKind.DIRECTIVE:
        directive = content.directive(session, broadcast.directive_id or 0)
        if directive is None:
            raise ContentGone(texts.DIRECTIVE_GONE)
        bubble = cards.directive_bubble(directive, directive.meeting, [ack, cards.report_action(directive)])
        alt = texts.DIRECTIVE_ALT.format(
            meeting=cards.meeting_label(directive.meeting), title=directive.title
        )
        return flex.Prepared([flex.flex(alt, bubble)])
    meeting = content.meeting(session, broadcast.meeting_id or 0)
    if meeting is None:
        raise ContentGone(texts.MEETING_GONE)
    return summary_messages(meeting, ack)


def summary_messages(meeting: Meeting, ack: dict[str, object]) -> flex.Prepared:
    """A meeting's summary (also drawn for an editor before the meeting is published): a carousel of the
    summary card and the directives, each with its "รายงานผล" button; a meeting with more directives than
    one carousel holds goes on in further carousels of the same request (a group push is billed per
    member, not per message), up to LINE's five messages."""
    summary = flex.bubble(
        texts.SUMMARY_HEADER.format(meeting=cards.meeting_label(meeting)),
        meeting.title,
        texts.SUMMARY_BODY.format(chair=meeting.chair or "-", count=len(meeting.directives)),
        buttons=[ack],
    )
    directives = list(meeting.directives)
    bubbles = [summary, *(cards.directive_bubble(d, meeting, [cards.report_action(d)]) for d in directives)]
    alt = texts.SUMMARY_ALT.format(title=meeting.title, alt=cards.directives_alt_text(meeting, directives))
    messages = []
    shown = 0  # directives in the carousels before this one
    for number, contents in enumerate(flex.carousels(bubbles)):
        count = len(contents["contents"]) - (1 if number == 0 else 0)
        if number:
            part = directives[shown : shown + count]
            alt = texts.SUMMARY_MORE_ALT.format(
                first=part[0].seq, last=part[-1].seq, alt=cards.directives_alt_text(meeting, part)
            )
        messages.append(flex.flex(alt, contents))
        shown += count
    return flex.Prepared(messages)


def _reminder(session: Session, broadcast: Broadcast) -> flex.Prepared:
    """The directive's title and deadline with its "รายงานผล" button; no "รับทราบ": the answer asked
    for is the report."""
    directive = content.directive(session, broadcast.directive_id or 0)
    if directive is None:
        raise ContentGone(texts.DIRECTIVE_GONE)
    bubble = flex.bubble(
        texts.REMINDER_HEADER.format(meeting=cards.meeting_label(directive.meeting, short=True)),
        directive.title,
        texts.REMINDER_BODY,
        buttons=[cards.report_action(directive), cards.read_more(directive)],
        badge=cards.deadline_badge(directive),
    )
    alt = texts.REMINDER_ALT.format(deadline=cards.alt_deadline(directive), title=directive.title)
    return flex.Prepared([flex.flex(alt, bubble)])
