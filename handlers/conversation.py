"""The answers to text intents and postbacks. Each handler: (context, captured values) → messages."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, cards, content, flex, groups, postback
from bot.db import get_or_insert
from bot.kv import StoreError
from bot.line import LineApiError
from bot.models import (
    Directive,
    GroupStatus,
    LineGroup,
    Meeting,
    Province,
    Region,
    RegionScheme,
    ReportStatus,
)
from bot.provinces import ProvinceFinder, ProvinceName
from bot.search import Hit
from bot.thai import format_thai_date
from broadcasts import reports
from broadcasts import service as broadcasts
from broadcasts import texts as broadcast_texts
from handlers import texts
from handlers.context import Context
from handlers.intents import (
    Captured,
    Intent,
    Message,
    match_chair,
    match_contact,
    match_due,
    match_follow_up,
    match_greeting,
    match_help,
    match_latest,
    match_meeting,
    match_meetings_of_period,
    match_more,
    match_period,
    match_register,
    match_search,
    match_status,
    match_ten_e,
    match_ten_es,
    match_thanks,
    match_unsubscribe,
    match_whats_new,
)
from handlers.line_event import SourceKind
from handlers.query import LAST, Chair, Period, QuestionKind, find_period, passage, question_kind

log = logging.getLogger(__name__)

MAX_LIST_ITEMS = 10
DUE_FETCHED = 50  # directives due soon read for a province, before those it has done are left out
MAX_MEETINGS_SHOWN = 4
# How long "ข้อ 3" refers to the list a chat was shown last.
FOLLOW_UP_SECONDS = 15 * 60
LATEST_LIST = "latest"  # remembered instead of ids: the latest meeting's list, whatever it is then
PROVINCES_PER_PAGE = 12  # quick replies: 12 provinces and "ถัดไป"
SEARCH_RESULTS = 5  # shown at once; "ดูเพิ่ม" shows the next
SEARCH_FETCHED = 10  # relevant hits kept for "ดูเพิ่ม"
# A hit scoring under this share of the best one only shares a common word with the question (or
# holds the topic in its meeting's headline only): noise next to the hits about it, so not shown.
SEARCH_RELEVANCE_FLOOR = 0.25


def bot_text(template: str, **values: Any) -> str:
    return template.format(bot=texts.BOT_NAME, **values)


def menu(ctx: Context) -> list[dict[str, Any]]:
    actions = [
        flex.message_action(texts.MENU_LATEST, texts.MENU_LATEST),
        flex.message_action(texts.MENU_TEN_ES, texts.MENU_TEN_ES),
        flex.message_action(texts.MENU_MEETING, texts.MENU_MEETING),
        flex.message_action(texts.MENU_SEARCH, texts.MENU_SEARCH),
    ]
    if ctx.in_group:
        actions += [
            flex.message_action(texts.MENU_REGISTER, texts.MENU_REGISTER),
            flex.message_action(texts.MENU_STATUS, texts.MENU_STATUS),
        ]
    return actions


# --- help, fallback -----------------------------------------------------------------------------


def help_(ctx: Context, _: Captured) -> list[Message]:
    return [flex.text(bot_text(texts.HELP), menu(ctx))]


def fallback(ctx: Context) -> list[Message]:
    return [flex.text(texts.FALLBACK, menu(ctx))]


def greeting(ctx: Context, _: Captured) -> list[Message]:
    return [flex.text(bot_text(texts.GREETING), menu(ctx))]


def thanks(ctx: Context, _: Captured) -> list[Message]:
    return [flex.text(bot_text(texts.THANKS), menu(ctx))]


def contact(ctx: Context, _: Captured) -> list[Message]:
    """The department's contact details as config.yaml gives them; none made up."""
    given = ctx.services.settings.contact
    lines = [
        template.format(value=value)
        for template, value in (
            (texts.CONTACT_PHONE, given.phone),
            (texts.CONTACT_EMAIL, given.email),
            (texts.CONTACT_WEBSITE, given.website),
            (texts.CONTACT_ADDRESS, given.address),
        )
        if value.strip()
    ]
    if not lines:
        return [flex.text(bot_text(texts.CONTACT_NONE, name=given.name), menu(ctx))]
    return [flex.text(texts.CONTACT.format(name=given.name, lines="\n".join(lines)), menu(ctx))]


# --- the list a chat was shown last, for "ข้อ 3" -------------------------------------------------------


def _list_key(ctx: Context) -> str:
    return f"conversation:list:{ctx.chat_id}"


@dataclass(frozen=True)
class Shown:
    """The list a chat was shown last: directives in order, how many of them it has seen, and what
    they answered (for the header of "ดูเพิ่ม")."""

    ids: tuple[int, ...]
    seen: int
    what: str = ""


def remember_list(
    ctx: Context, directive_ids: Sequence[int] | None, *, seen: int | None = None, what: str = ""
) -> None:
    """What "ข้อ n" and "ดูเพิ่ม" mean in this chat for a while: these directives in order, the first
    `seen` of them shown (None: the latest meeting's). In Redis when configured, so that every process
    of the bot knows it."""
    if not ctx.chat_id:
        return
    if directive_ids is None:
        value = LATEST_LIST
    else:
        ids = list(directive_ids)
        value = json.dumps({"ids": ids, "seen": len(ids) if seen is None else seen, "what": what})
    try:
        ctx.services.kv.set(_list_key(ctx), value, FOLLOW_UP_SECONDS)
    except StoreError as error:  # Redis down: the answer still goes; "ข้อ 3" will find no list
        log.warning("conversation: list not remembered (%s)", type(error).__name__)


def _remembered(ctx: Context) -> Shown | None:
    try:
        value = ctx.services.kv.get(_list_key(ctx)) if ctx.chat_id else None
    except StoreError as error:
        log.warning("conversation: remembered list not read (%s)", type(error).__name__)
        return None
    if not value or value == LATEST_LIST:
        return None
    try:
        data = json.loads(value)
        return Shown(tuple(int(i) for i in data["ids"]), int(data["seen"]), str(data.get("what", "")))
    except (ValueError, TypeError, KeyError):
        return None  # not a list of ours: as if none


def _remembered_list(ctx: Context, session: Session) -> list[int]:
    shown = _remembered(ctx)
    if shown is not None:
        return list(shown.ids)
    latest_meeting = content.latest_meeting(session)
    return [d.id for d in latest_meeting.directives] if latest_meeting else []


def more(ctx: Context, _: Captured) -> list[Message]:
    """ "ดูเพิ่ม" after a list cut short: its next items."""
    shown = _remembered(ctx)
    if shown is None or shown.seen >= len(shown.ids):
        return [flex.text(texts.MORE_NONE, menu(ctx))]
    with ctx.services.db.session() as session:
        directives = [
            d
            for d in (
                content.directive(session, i) for i in shown.ids[shown.seen : shown.seen + SEARCH_RESULTS]
            )
            if d is not None
        ]
        seen = shown.seen + SEARCH_RESULTS
        remember_list(ctx, shown.ids, seen=seen, what=shown.what)
        if not directives:
            return [flex.text(texts.MORE_NONE, menu(ctx))]
        return [_hits_carousel(ctx, shown.what, directives, first=shown.seen + 1, total=len(shown.ids))]


def _hits_carousel(
    ctx: Context, query: str, directives: Sequence[Directive], *, first: int, total: int
) -> Message:
    """Hits `first`… of `total` as a numbered list (the alt text) and their cards; "ดูเพิ่ม" if more."""
    lines = [
        texts.SEARCH_HIT.format(n=n, title=d.title, date=cards.meeting_label(d.meeting, short=True))
        for n, d in enumerate(directives, start=first)
    ]
    header = texts.SEARCH_RESULTS.format(query=flex.shorten(query, 60), count=total)
    last = first + len(directives) - 1
    if first > 1 or last < total:
        header += texts.SEARCH_SHOWING.format(first=first, last=last)
    quick = menu(ctx)
    if last < total:
        quick = [flex.message_action(texts.MORE, texts.MORE), *quick]
    bubbles = [cards.directive_bubble(d, d.meeting) for d in directives]
    return flex.flex(header + "\n" + "\n".join(lines), flex.carousel(bubbles), quick)


def follow_up(ctx: Context, captured: Captured) -> list[Message]:
    """ "ข้อ 3" after a list: that item in full. Without a recent list, the latest meeting's."""
    position = int(captured["position"])
    with ctx.services.db.session() as session:
        shown = _remembered_list(ctx, session)
    if not shown:
        return [flex.text(texts.FOLLOW_UP_NOTHING, menu(ctx))]
    if position == LAST:
        position = len(shown)
    if position > len(shown):
        return [flex.text(texts.FOLLOW_UP_OUT_OF_RANGE.format(count=len(shown)), menu(ctx))]
    return directive_full(ctx, shown[position - 1])


# --- directives and meetings ----------------------------------------------------------------------


def latest(ctx: Context, _: Captured) -> list[Message]:
    """The most asked question: answered from the content cache until the content changes."""

    def build() -> list[Message]:
        with ctx.services.db.session() as session:
            meeting = content.latest_meeting(session)
            if meeting is None:
                return flex.Prepared([flex.text(texts.NO_MEETING, menu(ctx))])
            return flex.Prepared([cards.meeting_carousel(meeting, quick=menu(ctx))])

    remember_list(ctx, None)
    return ctx.services.content.get(("latest", ctx.in_group), build)


def directive_full(ctx: Context, directive_id: int) -> list[Message]:
    with ctx.services.db.session() as session:
        directive = content.directive(session, directive_id)
        if directive is None:
            return [flex.text(texts.DIRECTIVE_GONE)]
        body = texts.DIRECTIVE_FULL.format(
            seq=directive.seq,
            meeting=cards.meeting_label(directive.meeting),
            title=directive.title,
            text=directive.text,
            tags=", ".join(cards.tags(directive)) or texts.NO_TAGS,
        )
        return flex.texts(body, parts=3)


def _summary_text(meeting: Meeting) -> str:
    items = "\n".join(f"{d.seq}. {d.title}{cards.alt_deadline(d)}" for d in meeting.directives)
    return texts.MEETING_SUMMARY.format(
        title=meeting.title,
        header=cards.meeting_heading(meeting),
        chair=meeting.chair or "-",
        count=len(meeting.directives),
        items=items or "-",
    )


def _meeting_summary(meeting: Meeting, ctx: Context) -> list[Message]:
    remember_list(ctx, [d.id for d in meeting.directives])
    summary = _summary_text(meeting)
    messages = [flex.text(summary)]
    if meeting.directives:
        messages.append(cards.meeting_carousel(meeting, quick=menu(ctx)))
    else:
        messages[0] = flex.text(summary, menu(ctx))
    return messages


def meeting(ctx: Context, captured: Captured) -> list[Message]:
    with ctx.services.db.session() as session:
        found = None
        what = ""
        if "number" in captured:
            what = f" ครั้งที่ {captured['number']}"
            found = content.meeting_by_number(session, captured["number"])
        else:
            found = content.latest_meeting(session)
        if found is None:
            latest_meeting = content.latest_meeting(session)
            if latest_meeting is None:
                return [flex.text(texts.MEETING_NOT_FOUND_NONE.format(what=what), menu(ctx))]
            return [
                flex.text(
                    texts.MEETING_NOT_FOUND.format(what=what, latest=cards.meeting_label(latest_meeting)),
                    [flex.message_action(texts.MENU_MEETING, texts.MENU_MEETING), *menu(ctx)[:3]],
                )
            ]
        return _meeting_summary(found, ctx)


def meetings_of_period(ctx: Context, captured: Captured) -> list[Message]:
    """The meetings of a period ("เดือนนี้", "ม.ค. 65", "ปีที่แล้ว"), today being Bangkok's today: one is
    summed up; several are listed, the latest with its cards; none says so and offers the nearest."""
    period: Period = captured["period"]
    today = ctx.now.astimezone(ctx.services.settings.tz).date()
    start, end = period.span(today)
    what = period.label(today)
    with ctx.services.db.session() as session:
        found = content.meetings_between(session, start, end)
        if not found:
            return [_no_meeting_in(what, content.meetings_around(session, start, end), ctx)]
        return _meetings(ctx, texts.MEETINGS_IN.format(what=what, count=len(found)), found)


def meetings_of_chair(ctx: Context, captured: Captured) -> list[Message]:
    """What an office ordered ("นายกสั่งอะไรบ้าง"): the meetings it chaired, as `meetings_of_period`."""
    chair: Chair = captured["chair"]
    with ctx.services.db.session() as session:
        found = [m for m in content.meetings_chaired(session, chair.title) if chair.chaired(m.chair)]
        if not found:
            return [flex.text(texts.NO_MEETING_CHAIRED.format(who=chair.title), menu(ctx))]
        return _meetings(ctx, texts.MEETINGS_CHAIRED.format(who=chair.title, count=len(found)), found)


def _meetings(ctx: Context, header: str, found: Sequence[Meeting]) -> list[Message]:
    """One meeting summed up; several listed under `header`, the latest with its cards."""
    if len(found) == 1:
        return _meeting_summary(found[0], ctx)
    shown = found[:MAX_MEETINGS_SHOWN]
    parts = [header, *(_summary_text(m) for m in shown)]
    if len(found) > len(shown):
        parts.append(texts.MEETINGS_MORE.format(count=len(found) - len(shown)))
    messages = flex.texts("\n\n".join(parts), parts=3)
    remember_list(ctx, [d.id for d in shown[0].directives])
    if shown[0].directives:
        messages.append(cards.meeting_carousel(shown[0], quick=menu(ctx)))
    return messages


def _no_meeting_in(what: str, nearest: Sequence[Meeting], ctx: Context) -> Message:
    body = texts.NO_MEETING_IN.format(what=what)
    if nearest:
        items = "\n".join(texts.NEAREST_ITEM.format(label=cards.meeting_label(m)) for m in nearest)
        body += texts.NEAREST_MEETINGS.format(items=items)
    actions = [
        flex.message_action(label, f"ประชุม {label}")
        for label in (format_thai_date(m.meeting_date, "short") for m in nearest if m.meeting_date)
    ]
    return flex.text(body, actions + menu(ctx)[: 4 - len(actions)])


# --- the 10Es ---------------------------------------------------------------------------------------


def ten_es(ctx: Context, _: Captured) -> list[Message]:
    with ctx.services.db.session() as session:
        rows = content.ten_es(session)
        items = "\n".join(f"E{e.number} {e.code} — {e.name_th}" for e in rows)
    quick = [flex.message_action(f"E{n}", f"E{n}") for n in range(1, 11)]
    return [flex.text(texts.TEN_ES_LIST.format(items=items), quick)]


def ten_e(ctx: Context, captured: Captured) -> list[Message]:
    number = int(captured["number"])
    with ctx.services.db.session() as session:
        ten_e_row = next((e for e in content.ten_es(session) if e.number == number), None)
        if ten_e_row is None:
            return ten_es(ctx, {})
        body = texts.TEN_E_ONE.format(
            number=number, code=ten_e_row.code, name_th=ten_e_row.name_th, description=ten_e_row.description
        )
        directives = content.directives_of_ten_e(session, number, limit=MAX_LIST_ITEMS)
        if directives:
            items = "\n".join(
                f"• {d.title} ({cards.meeting_label(d.meeting, short=True)})" for d in directives
            )
            body += texts.TEN_E_DIRECTIVES.format(items=items)
            bubbles = [cards.directive_bubble(d, d.meeting) for d in directives]
            return [flex.text(body), flex.flex(body, flex.carousel(bubbles), menu(ctx))]
        return [flex.text(body + texts.TEN_E_NO_DIRECTIVES, menu(ctx))]


def due(ctx: Context, captured: Captured) -> list[Message]:
    """Directives whose deadline is today (Bangkok's) or later, the soonest first: the rich menu's
    "งานที่ใกล้ครบกำหนด". In a provincial group, that province's open ones (not reported done), each
    with the province's status and its "รายงานผล" button."""
    today = ctx.now.astimezone(ctx.services.settings.tz).date()
    with ctx.services.db.session() as session:
        group = reports.province_group(session, ctx.group_id) if ctx.in_group else None
        if group is not None and group.province is not None:
            return _due_in_province(ctx, session, group.province, today)
        directives = content.directives_due(session, today, limit=MAX_LIST_ITEMS)
        if not directives:
            return [flex.text(texts.DUE_NONE, menu(ctx))]
        items = "\n".join(
            texts.DUE_ITEM.format(
                deadline=format_thai_date(d.deadline, "short"),
                title=d.title,
                meeting=cards.meeting_label(d.meeting, short=True),
            )
            for d in directives
            if d.deadline is not None
        )
        body = texts.DUE_HEADER.format(items=items)
        bubbles = [cards.directive_bubble(d, d.meeting) for d in directives]
        return [flex.text(body), flex.flex(body, flex.carousel(bubbles), menu(ctx))]


def _due_in_province(ctx: Context, session: Session, province: Province, today: dt.date) -> list[Message]:
    due_soon = content.directives_due(session, today, limit=DUE_FETCHED)
    statuses = reports.statuses_of(session, province.id, [d.id for d in due_soon])
    open_ = [d for d in due_soon if statuses.get(d.id) is not ReportStatus.DONE][:MAX_LIST_ITEMS]
    if not open_:
        return [flex.text(texts.DUE_PROVINCE_NONE.format(province=province.name_th), menu(ctx))]
    items = "\n".join(
        texts.DUE_PROVINCE_ITEM.format(
            deadline=format_thai_date(d.deadline, "short"),
            title=d.title,
            status=broadcast_texts.REPORT_STATUS_NAMES.get(
                statuses[d.id].value if d.id in statuses else "", broadcast_texts.REPORT_NONE
            ),
        )
        for d in open_
        if d.deadline is not None
    )
    body = texts.DUE_PROVINCE_HEADER.format(province=province.name_th, items=items)
    bubbles = [cards.directive_bubble(d, d.meeting, [cards.report_action(d)]) for d in open_]
    return [flex.text(body), flex.flex(body, flex.carousel(bubbles), menu(ctx))]


# --- search -------------------------------------------------------------------------------------------


def search(ctx: Context, captured: Captured) -> list[Message]:
    text = str(captured.get("query", "")).strip()
    asked = _topic_question(ctx, text)
    if not asked.hits:
        if asked.elsewhere:
            return [_nothing_in_period(ctx, asked)]
        suggestions = ", ".join(ctx.services.search.suggestions()[:5])
        return [
            flex.text(
                texts.SEARCH_NONE.format(query=flex.shorten(text, 60), suggestions=suggestions), menu(ctx)
            )
        ]
    return _search_results(ctx, asked.label, asked.hits, asked.kind) or fallback(ctx)


@dataclass(frozen=True)
class TopicQuestion:
    """A topic question read: its topic, what it asks for, the period it names (label) and its hits;
    `elsewhere`: the topic has hits outside that period."""

    topic: str
    kind: QuestionKind | None
    period: str | None
    hits: list[Hit]
    elsewhere: bool = False

    @property
    def label(self) -> str:
        """How the answer names what was asked: "น้ำท่วม", "น้ำท่วม ในปี 2567"."""
        return (
            self.topic if self.period is None else texts.TOPIC_IN.format(topic=self.topic, what=self.period)
        )


def _topic_question(ctx: Context, text: str) -> TopicQuestion:
    """Search the topic of a question; "น้ำท่วมปีที่แล้ว", "ITA ปี 2565": only meetings of that period."""
    kind, topic = question_kind(text)
    found = find_period(topic)
    if found is None or not found[1].strip():
        hits = ctx.services.search.search(topic, limit=SEARCH_FETCHED) if topic else []
        return TopicQuestion(topic, kind, None, hits)
    period, topic = found[0], found[1].strip()
    today = ctx.now.astimezone(ctx.services.settings.tz).date()
    start, end = period.span(today)
    found_anywhere = ctx.services.search.search(topic, limit=SEARCH_FETCHED * 5)
    hits = [hit for hit in found_anywhere if hit.meeting_date is not None and start <= hit.meeting_date < end]
    return TopicQuestion(topic, kind, period.label(today), hits[:SEARCH_FETCHED], bool(found_anywhere))


def _nothing_in_period(ctx: Context, asked: TopicQuestion) -> Message:
    body = texts.SEARCH_NONE_IN.format(query=flex.shorten(asked.topic, 60), what=asked.period)
    return flex.text(body, menu(ctx))


def _search_results(
    ctx: Context, query: str, hits: Sequence[Hit], kind: QuestionKind | None
) -> list[Message] | None:
    """The hits worth showing as a list and a carousel (the first SEARCH_RESULTS, "ดูเพิ่ม" for the
    rest), after the part of each that answers a "when" or "how" question; None if none of them is
    still published."""
    best = max((hit.score for hit in hits), default=0.0)
    hits = [hit for hit in hits if hit.score >= SEARCH_RELEVANCE_FLOOR * best]
    with ctx.services.db.session() as session:
        directives = [
            d for d in (content.directive(session, hit.directive_id) for hit in hits) if d is not None
        ]
        if not directives:
            return None
        shown = directives[:SEARCH_RESULTS]
        remember_list(ctx, [d.id for d in directives], seen=len(shown), what=query)
        carousel = _hits_carousel(ctx, query, shown, first=1, total=len(directives))
        if kind is None:
            return [carousel]
        answers = [
            texts.SEARCH_PASSAGE.format(
                n=n,
                title=d.title,
                date=cards.meeting_label(d.meeting, short=True),
                passage=passage(d.text, kind) or texts.SEARCH_NO_DATE,
            )
            for n, d in enumerate(shown, start=1)
        ]
        asked = (texts.SEARCH_WHEN if kind == "when" else texts.SEARCH_HOW).format(
            query=flex.shorten(query, 60)
        )
        return [flex.text("\n\n".join([asked, *answers])), carousel]


def search_or_fallback(ctx: Context, text: str) -> list[Message]:
    """What any other text gets: a topic search (run once), or a friendly fallback with suggestions."""
    asked = _topic_question(ctx, text)
    if not asked.hits:
        # Found in other periods: say it is not in this one. Found nowhere: what the bot can do.
        return [_nothing_in_period(ctx, asked)] if asked.elsewhere else fallback(ctx)
    return _search_results(ctx, asked.label, asked.hits, asked.kind) or fallback(ctx)


# --- provincial groups -----------------------------------------------------------------------------------


def _group(session: Session, ctx: Context) -> LineGroup:
    """The group this event came from, created if the bot never saw it join."""
    return get_or_insert(session, LineGroup, "line_group_id", ctx.group_id or "", status=GroupStatus.PENDING)


def region_picker(session: Session) -> list[dict[str, Any]]:
    regions = session.scalars(
        select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC).order_by(Region.sort_order)
    ).all()
    return [flex.postback_action(r.name_th, postback.PickRegion(r.code), r.name_th) for r in regions]


def province_picker(ctx: Context, region_code: str, page: int) -> list[Message]:
    with ctx.services.db.session() as session:
        region = session.scalars(
            select(Region).where(Region.scheme == RegionScheme.GEOGRAPHIC, Region.code == region_code)
        ).first()
        if region is None:
            return [flex.text(texts.REGISTER_ASK_REGION, region_picker(session))]
        provinces = session.scalars(
            select(Province).where(Province.region_id == region.id).order_by(Province.name_th)
        ).all()
        start = page * PROVINCES_PER_PAGE
        shown = provinces[start : start + PROVINCES_PER_PAGE]
        actions = [
            flex.postback_action(p.name_th, postback.Register(p.id), f"ลงทะเบียน {p.name_th}") for p in shown
        ]
        if start + PROVINCES_PER_PAGE < len(provinces):
            actions.append(flex.postback_action(texts.NEXT_PAGE, postback.PickRegion(region_code, page + 1)))
        return [flex.text(texts.REGISTER_ASK_PROVINCE.format(region=region.name_th), actions)]


def member_name(ctx: Context) -> str | None:
    """The display name of the member who sent the event, as LINE shows it in the group; None when
    LINE won't say (a room, a member who left, LINE unreachable): callers fall back to the user id."""
    group_id, user_id = ctx.group_id, ctx.user_id
    if ctx.source_type is not SourceKind.GROUP or not group_id or not user_id:
        return None
    try:
        profile = ctx.services.line.group_member_profile(group_id, user_id)
    except LineApiError as error:
        log.info("member profile not available (%s)", error.status)
        return None
    name = str((profile or {}).get("displayName") or "").strip()
    return name[:255] or None


def _register(ctx: Context, province: ProvinceName) -> list[Message]:
    """A registered group keeps its province: another one asked for is a request to the administrators.
    Any other group (never registered, or never approved) registers as `groups.require_approval` says."""
    with ctx.services.db.session() as session:
        group = _group(session, ctx)
        if group.status == GroupStatus.INACTIVE:
            return [flex.text(texts.GROUP_DISABLED)]
        if group.status == GroupStatus.LEFT:
            # LINE sent this, so the bot is there now; but only a join brings a group back, so that a
            # member's message can't undo what the group's leave said.
            log.info("group %s marked left: registration not taken", group.id)
            return [flex.text(texts.GROUP_LEFT)]
        if group.status != GroupStatus.ACTIVE or group.province is None or group.province_id == province.id:
            return _take_registration(session, ctx, group, province)
        group_id, current = group.id, group.province.name_th
    name = member_name(ctx)  # asked of LINE outside the transaction
    with ctx.services.db.session() as session:
        groups.request_change(session, session.get_one(LineGroup, group_id), province.id, ctx.user_id, name)
    return [flex.text(texts.CHANGE_REQUESTED.format(province=province.name_th, current=current), menu(ctx))]


def _take_registration(
    session: Session, ctx: Context, group: LineGroup, province: ProvinceName
) -> list[Message]:
    already = group.status == GroupStatus.ACTIVE and group.province_id == province.id
    group.province_id = province.id
    if not already:
        group.status = (
            GroupStatus.PENDING if ctx.services.settings.groups.require_approval else GroupStatus.ACTIVE
        )
    audit.record(
        session,
        ctx.actor,
        "group.register",
        "line_group",
        group.id,
        province=province.name_th,
        status=group.status.value,
    )
    template = texts.REGISTER_PENDING if group.status == GroupStatus.PENDING else texts.REGISTER_DONE
    return [flex.text(template.format(province=province.name_th), menu(ctx))]


def register(ctx: Context, captured: Captured) -> list[Message]:
    if not ctx.in_group:
        return [flex.text(texts.REGISTER_ONLY_GROUPS, menu(ctx))]
    wanted = str(captured.get("province", "")).strip()
    with ctx.services.db.session() as session:
        if not wanted:
            return [flex.text(texts.REGISTER_ASK_REGION, region_picker(session))]
        finder = ProvinceFinder.load(session)
        province = finder.find(wanted)
        if province is None:
            close = finder.suggestions(wanted)
            suggest = (
                texts.REGISTER_SUGGEST.format(names=" / ".join(p.name_th for p in close)) if close else ""
            )
            actions = [
                flex.postback_action(p.name_th, postback.Register(p.id), f"ลงทะเบียน {p.name_th}")
                for p in close
            ]
            return [
                flex.text(
                    texts.REGISTER_UNKNOWN.format(text=flex.shorten(wanted, 40), suggest=suggest),
                    actions or region_picker(session),
                )
            ]
    return _register(ctx, province)


def register_by_id(ctx: Context, province_id: int) -> list[Message]:
    with ctx.services.db.session() as session:
        province = session.get(Province, province_id)
        if province is None:
            return [flex.text(texts.REGISTER_ASK_REGION, region_picker(session))]
        name = ProvinceName(province.id, province.name_th, province.name_en)
    return _register(ctx, name)


def status(ctx: Context, _: Captured) -> list[Message]:
    if not ctx.in_group:
        return [flex.text(bot_text(texts.STATUS_USER), menu(ctx))]
    with ctx.services.db.session() as session:
        group = groups.by_line_id(session, ctx.group_id)
        if group is None or group.province is None or group.status == GroupStatus.LEFT:
            return [
                flex.text(texts.STATUS_NONE, [flex.message_action(texts.MENU_REGISTER, texts.MENU_REGISTER)])
            ]
        if group.status == GroupStatus.INACTIVE:
            return [flex.text(texts.GROUP_DISABLED)]
        province = group.province.name_th
        if group.status == GroupStatus.PENDING:
            return [flex.text(texts.STATUS_PENDING.format(province=province))]
        since = format_thai_date(group.updated_at.astimezone(ctx.services.settings.tz).date())
        return [flex.text(texts.STATUS_ACTIVE.format(province=province, since=since), menu(ctx))]


def _subscribed_group(session: Session, ctx: Context) -> LineGroup | Message:
    """The group of this chat if it receives (or waits to receive) a province's news; else the answer."""
    group = groups.by_line_id(session, ctx.group_id)
    if group is None or group.province is None or group.status == GroupStatus.LEFT:
        return flex.text(texts.NOT_SUBSCRIBED)
    if group.status == GroupStatus.INACTIVE:
        return flex.text(texts.GROUP_DISABLED)
    return group


def unsubscribe(ctx: Context, _: Captured) -> list[Message]:
    """Asked, not done: any member may type it, so the group sees the question and one presses "yes"."""
    if not ctx.in_group:
        return [flex.text(texts.REGISTER_ONLY_GROUPS)]
    with ctx.services.db.session() as session:
        group = _subscribed_group(session, ctx)
        if not isinstance(group, LineGroup):
            return [group]
        assert group.province is not None
        province, province_id = group.province.name_th, group.province.id
    actions = [
        flex.postback_action(texts.UNSUBSCRIBE_YES, postback.Unsubscribe(province_id), texts.UNSUBSCRIBE_YES),
        flex.postback_action(texts.UNSUBSCRIBE_NO, postback.KeepSubscription(), texts.UNSUBSCRIBE_NO),
    ]
    return [flex.text(texts.UNSUBSCRIBE_CONFIRM.format(province=province), actions)]


def confirm_unsubscribe(ctx: Context, province_id: int) -> list[Message]:
    """ "Yes" pressed under the question: the group stops receiving `province_id`'s news, if that is
    still what it receives (a question answered after the group moved changes nothing)."""
    if not ctx.in_group:
        return [flex.text(texts.REGISTER_ONLY_GROUPS)]
    name = member_name(ctx)  # asked of LINE outside the transaction
    with ctx.services.db.session() as session:
        group = _subscribed_group(session, ctx)
        if not isinstance(group, LineGroup):
            return [group]
        if group.province_id != province_id:
            return [flex.text(texts.UNSUBSCRIBE_OUTDATED)]
        before = group.province.name_th if group.province else None
        group.province_id, group.province = None, None
        group.status = GroupStatus.PENDING
        member = name or ctx.user_id or "?"
        audit.record(
            session, ctx.actor, "group.unsubscribe", "line_group", group.id, province=before, member=member
        )
    return [flex.text(texts.UNSUBSCRIBED.format(member=member))]


def acknowledge(ctx: Context, broadcast_id: int) -> list[Message]:
    """A group presses "รับทราบ" under a broadcast: the first press counts, later ones are told when."""
    if not ctx.group_id:
        return [flex.text(broadcast_texts.ACK_UNKNOWN)]
    with ctx.services.db.session() as session:
        pressed = broadcasts.acknowledge(session, broadcast_id, ctx.group_id, ctx.user_id)
    if pressed is None:
        return [flex.text(broadcast_texts.ACK_UNKNOWN)]
    if pressed.first:
        return [flex.text(broadcast_texts.ACKNOWLEDGED)]
    local = pressed.at.astimezone(ctx.services.settings.tz)
    stamp = f"{format_thai_date(local.date(), 'short')} {local:%H:%M} น."
    return [flex.text(broadcast_texts.ACKNOWLEDGED_BEFORE.format(when=stamp))]


# --- reports back from the provinces ("รายงานผล") -----------------------------------------------------


def _note_key(ctx: Context) -> str:
    return f"conversation:report-note:{ctx.group_id}:{ctx.user_id}"


def ask_report(ctx: Context, directive_id: int) -> list[Message]:
    """ "รายงานผล" pressed: the three statuses, as buttons that report for the group's province."""
    if not ctx.in_group:
        return [flex.text(texts.REPORT_ONLY_GROUPS)]
    with ctx.services.db.session() as session:
        directive = reports.reportable_directive(session, directive_id)
        if directive is None:
            return [flex.text(texts.REPORT_NO_DIRECTIVE)]
        group = reports.province_group(session, ctx.group_id)
        if group is None or group.province is None:
            return [flex.text(texts.REPORT_NO_PROVINCE)]
        deadline = cards.deadline_badge(directive)
        body = texts.REPORT_ASK.format(
            province=group.province.name_th,
            title=flex.shorten(directive.title, 200),
            deadline=f"\n{deadline}" if deadline else "",
        )
        actions = [
            flex.postback_action(name, postback.GiveReport(directive.id, ReportStatus(value)), name)
            for value, name in broadcast_texts.REPORT_STATUS_NAMES.items()
        ]
    return [flex.text(body, actions)]


def give_report(ctx: Context, directive_id: int, status: ReportStatus) -> list[Message]:
    """A status picked: the province's report, once per event; then the bot waits a few minutes for
    the reporter's note."""
    if not ctx.in_group:
        return [flex.text(texts.REPORT_ONLY_GROUPS)]
    name = member_name(ctx)  # asked of LINE outside the transaction
    with ctx.services.db.session() as session:
        done = reports.record(
            session,
            directive_id=directive_id,
            line_group_id=ctx.group_id,
            status=status,
            user_id=ctx.user_id,
            user_name=name,
            at=ctx.event.timestamp or ctx.now,
            webhook_event_id=ctx.webhook_event_id,
        )
    if done is reports.Refusal.NO_DIRECTIVE:
        return [flex.text(texts.REPORT_NO_DIRECTIVE)]
    if done is reports.Refusal.NO_PROVINCE:
        return [flex.text(texts.REPORT_NO_PROVINCE)]
    status_name = broadcast_texts.REPORT_STATUS_NAMES[done.status.value]
    if done.again:
        return [flex.text(texts.REPORT_AGAIN.format(status=status_name))]
    window = ctx.services.settings.reports.note_window_seconds
    if ctx.user_id:
        ctx.services.kv.set(_note_key(ctx), str(done.report_id), window)
    body = texts.REPORT_RECORDED.format(
        province=done.province,
        status=status_name,
        title=flex.shorten(done.directive_title, 200),
        window=note_window_text(window),
    )
    return [flex.text(body)]


def note_window_text(seconds: int) -> str:
    """How long the reporter has to add a note, as the bot says it: minutes, or seconds when the
    setting is not a whole number of minutes."""
    if seconds % 60 == 0:
        return texts.REPORT_NOTE_MINUTES.format(minutes=seconds // 60)
    return texts.REPORT_NOTE_SECONDS.format(seconds=seconds)


def report_note(ctx: Context, text: str) -> list[Message] | None:
    """The reporter's next text in the group, within a few minutes of their report: its note. None
    when this person owes no note here (the text is answered as usual)."""
    if not ctx.in_group or not ctx.user_id:
        return None
    key = _note_key(ctx)
    waiting = ctx.services.kv.get(key)
    if waiting is None or not ctx.services.kv.delete_if_equals(key, waiting):
        return None  # none, or another process took this text as the note
    try:
        report_id = int(waiting)
    except ValueError:
        return None
    with ctx.services.db.session() as session:
        if not reports.add_note(session, report_id, text):
            return None
    return [flex.text(texts.REPORT_NOTE_SAVED)]


# --- postbacks ------------------------------------------------------------------------------------------


def pressed_button(ctx: Context, pressed: postback.Postback | None) -> list[Message]:
    """The answer to a button of ours; the menu for data that is not one of ours."""
    match pressed:
        case postback.ShowDirective(directive_id):
            return directive_full(ctx, directive_id)
        case postback.PickRegion(code, page):
            return province_picker(ctx, code, page)
        case postback.Register(province_id):
            return register_by_id(ctx, province_id)
        case postback.Unsubscribe(province_id):
            return confirm_unsubscribe(ctx, province_id)
        case postback.KeepSubscription():
            return [flex.text(texts.UNSUBSCRIBE_KEPT)]
        case postback.Acknowledge(broadcast_id):
            return acknowledge(ctx, broadcast_id)
        case postback.StartSearch():
            return [flex.text(texts.SEARCH_PROMPT)]
        case postback.AskReport(directive_id):
            return ask_report(ctx, directive_id)
        case postback.GiveReport(directive_id, status):
            return give_report(ctx, directive_id, status)
    return help_(ctx, {})


# --- the text intents, registered in order: the first match wins --------------------------------------

INTENTS: Final[tuple[Intent, ...]] = (
    Intent("help", match_help, help_),
    Intent("due", match_due, due),
    Intent("latest", match_latest, latest),
    Intent("ten_es", match_ten_es, ten_es),
    Intent("ten_e", match_ten_e, ten_e),
    Intent("meeting", match_meeting, meeting),
    Intent("period", match_meetings_of_period, meetings_of_period),
    # "เมื่อวานมีอะไรบ้าง" without the word ประชุม or ข้อสั่งการ: in a group, members may be asking each other.
    Intent("period_unnamed", match_period, meetings_of_period, open_in_groups=False),
    # Members of a group say these to each other all day ("ผู้ว่าว่าไง", "ข้อ 3", "ขอบคุณค่ะ", "ขอเบอร์
    # ติดต่อหน่อย"): in a group the bot answers them only when @-mentioned.
    Intent("chair", match_chair, meetings_of_chair, open_in_groups=False),
    Intent("follow_up", match_follow_up, follow_up, open_in_groups=False),
    Intent("more", match_more, more, open_in_groups=False),
    Intent("greeting", match_greeting, greeting, open_in_groups=False),
    Intent("thanks", match_thanks, thanks, open_in_groups=False),
    Intent("contact", match_contact, contact, open_in_groups=False),
    Intent("whats_new", match_whats_new, latest, open_in_groups=False),
    Intent("register", match_register, register, changes_group=True),
    Intent("status", match_status, status),
    Intent("unsubscribe", match_unsubscribe, unsubscribe),
    Intent("search", match_search, search),
)
