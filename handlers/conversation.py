"""The answers to text intents and postbacks. Each handler: (context, captured values) → messages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, cards, content, flex, groups, postback
from bot.db import get_or_insert
from bot.line import LineApiError
from bot.models import GroupStatus, LineGroup, Meeting, Province, Region, RegionScheme, utcnow
from bot.provinces import ProvinceFinder, ProvinceName
from bot.thai import THAI_MONTHS, ce_to_be, format_thai_date
from broadcasts import service as broadcasts
from broadcasts import texts as broadcast_texts
from handlers import texts
from handlers.context import Context
from handlers.intents import Captured
from handlers.line_event import SourceKind

log = logging.getLogger(__name__)

Message = dict[str, Any]
IntentHandler = Callable[[Context, Captured], list[Message]]

MAX_LIST_ITEMS = 10
PROVINCES_PER_PAGE = 12  # quick replies: 12 provinces and "ถัดไป"
SEARCH_RESULTS = 5


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


# --- directives and meetings ----------------------------------------------------------------------


def latest(ctx: Context, _: Captured) -> list[Message]:
    """The most asked question: answered from the content cache until the content changes."""

    def build() -> list[Message]:
        with ctx.services.db.session() as session:
            meeting = content.latest_meeting(session)
            if meeting is None:
                return flex.Prepared([flex.text(texts.NO_MEETING, menu(ctx))])
            return flex.Prepared([cards.meeting_carousel(meeting, quick=menu(ctx))])

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


def _meeting_summary(meeting: Meeting, ctx: Context) -> list[Message]:
    items = "\n".join(f"{d.seq}. {d.title}" for d in meeting.directives)
    summary = texts.MEETING_SUMMARY.format(
        title=meeting.title,
        header=cards.meeting_heading(meeting),
        chair=meeting.chair or "-",
        count=len(meeting.directives),
        items=items or "-",
    )
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
        elif "month" in captured:
            latest_meeting = content.latest_meeting(session)
            year = captured.get("year") or (
                latest_meeting.meeting_date.year
                if latest_meeting and latest_meeting.meeting_date
                else utcnow().year
            )
            what = f"เดือน{THAI_MONTHS[captured['month'] - 1].full} {ce_to_be(year)}"
            meetings = content.meetings_in_month(session, year, captured["month"])
            found = meetings[0] if meetings else None
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


# --- search -------------------------------------------------------------------------------------------


def search(ctx: Context, captured: Captured) -> list[Message]:
    query = str(captured.get("query", "")).strip()
    hits = ctx.services.search.search(query, limit=SEARCH_RESULTS) if query else []
    if not hits:
        suggestions = ", ".join(ctx.services.search.suggestions()[:5])
        return [
            flex.text(
                texts.SEARCH_NONE.format(query=flex.shorten(query, 60), suggestions=suggestions), menu(ctx)
            )
        ]
    with ctx.services.db.session() as session:
        directives = [
            d for d in (content.directive(session, hit.directive_id) for hit in hits) if d is not None
        ]
        if not directives:
            return fallback(ctx)
        bubbles = [cards.directive_bubble(d, d.meeting) for d in directives]
        lines = [
            texts.SEARCH_HIT.format(n=n, title=d.title, date=cards.meeting_label(d.meeting, short=True))
            for n, d in enumerate(directives, start=1)
        ]
        header = texts.SEARCH_RESULTS.format(query=flex.shorten(query, 60), count=len(directives))
        return [flex.flex(header + "\n" + "\n".join(lines), flex.carousel(bubbles), menu(ctx))]


def search_or_fallback(ctx: Context, text: str) -> list[Message]:
    """What any other text gets: a topic search, or a friendly fallback with suggestions."""
    hits = ctx.services.search.search(text, limit=1) if text else []
    if hits:
        return search(ctx, {"query": text})
    return fallback(ctx)


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


INTENT_HANDLERS: dict[str, IntentHandler] = {
    "help": help_,
    "latest": latest,
    "ten_es": ten_es,
    "ten_e": ten_e,
    "meeting": meeting,
    "register": register,
    "status": status,
    "unsubscribe": unsubscribe,
    "search": search,
}


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
    return help_(ctx, {})


def intent_names() -> Sequence[str]:
    return list(INTENT_HANDLERS)
