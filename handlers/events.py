"""The event handlers: one per LINE event type, from a stored event to an `Answer`.

`make_processor` picks the handler by event type, checks the chat limits first, and leaves the
answer's delivery (handlers/delivery.py) for later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot import flex, groups, postback
from bot.db import get_or_insert
from bot.line import LineApiError
from bot.models import GroupStatus, InboxStatus, LineGroup, LineUser, utcnow
from bot.services import Services
from handlers import conversation, texts
from handlers.context import Context, build_context
from handlers.delivery import Answer, ChatLimits, deliver
from handlers.inbox import Claimed
from handlers.intents import match_intent, normalize_text
from handlers.line_event import EventType

log = logging.getLogger(__name__)

EventHandler = Callable[[Context], Answer]


# --- event types ------------------------------------------------------------------------------------


def on_message(ctx: Context) -> Answer:
    if ctx.event.message_type != "text":
        # Stickers and photos are everyday chatter in a group; one-to-one, they get a pointer.
        return Answer() if ctx.in_group else Answer([flex.text(conversation.bot_text(texts.NON_TEXT))])
    text = normalize_text(ctx.event.text)
    found = match_intent(text, conversation.INTENTS)
    # Within minutes of a report, its reporter's next line in the group is its note, unless it is a
    # command (answered as usual; the bot keeps waiting for the note).
    if found is None and (note := conversation.report_note(ctx, ctx.event.text)) is not None:
        return Answer(note)
    addressed = ctx.event.mentioned or not ctx.in_group
    if found is not None:
        intent, captured = found
        if intent.changes_group and _too_old_to_change(ctx, intent.name):
            return Answer()
        if intent.open_in_groups or addressed:
            return Answer(intent.handle(ctx, captured), push_if_late=intent.changes_group)
    if not addressed:
        return Answer()  # group chatter not meant for the bot
    if not text:
        return Answer(conversation.help_(ctx, {}))
    return Answer(conversation.search_or_fallback(ctx, text))


def on_postback(ctx: Context) -> Answer:
    pressed = postback.decode(ctx.event.postback_data)
    if isinstance(pressed, postback.GROUP_CHANGES) and _too_old_to_change(ctx, pressed.action):
        return Answer()
    return Answer(
        conversation.pressed_button(ctx, pressed), push_if_late=isinstance(pressed, postback.Register)
    )


def _too_old_to_change(ctx: Context, what: str) -> bool:
    """An event older than `webhook.state_change_max_age_seconds` changes no group's registration: held
    back by an outage, or a signed body replayed after its id was forgotten, it would act on what the
    group said long ago. Nothing is answered either (the group can simply ask again)."""
    limit = ctx.services.settings.webhook.state_change_max_age_seconds
    if ctx.age_seconds <= limit:
        return False
    log.warning(
        "event %s: %s ignored, the event is %.0f s old (changes only within %.0f s)",
        ctx.webhook_event_id,
        what,
        ctx.age_seconds,
        limit,
    )
    return True


def on_follow(ctx: Context) -> Answer:
    profile = _profile(ctx)
    with ctx.services.db.session() as session:
        user = get_or_insert(session, LineUser, "line_user_id", ctx.user_id or "")
        user.following, user.followed_at, user.unfollowed_at = True, utcnow(), None
        if profile:
            user.display_name = (
                str(profile.get("display_name") or profile.get("displayName") or "")[:255] or None
            )
            user.language = str(profile.get("language") or user.language or "th")[:8]
    greeting = conversation.bot_text(texts.GREETING_FOLLOW) + conversation.bot_text(texts.HELP)
    return Answer([flex.text(greeting, conversation.menu(ctx))])


def _profile(ctx: Context) -> dict[str, Any] | None:
    if not ctx.user_id:
        return None
    try:
        return ctx.services.line.profile(ctx.user_id)
    except LineApiError as error:  # a greeting without a name is still a greeting
        log.info("follow: profile not available (%s)", error.status)
        return None


def on_unfollow(ctx: Context) -> Answer:
    with ctx.services.db.session() as session:
        user = session.scalars(select(LineUser).where(LineUser.line_user_id == ctx.user_id)).first()
        if user is not None:
            user.following, user.unfollowed_at = False, utcnow()
    return Answer()


def on_join(ctx: Context) -> Answer:
    group_id = ctx.group_id or ""
    summary: dict[str, Any] | None = None
    members: int | None = None
    try:
        summary = ctx.services.line.group_summary(group_id)
        members = ctx.services.line.group_member_count(group_id)
    except LineApiError as error:
        log.info("join: group details not available (%s)", error.status)
    with ctx.services.db.session() as session:
        group = get_or_insert(session, LineGroup, "line_group_id", group_id, status=GroupStatus.PENDING)
        if group.status == GroupStatus.LEFT:
            group.status = GroupStatus.ACTIVE if group.province_id else GroupStatus.PENDING
        group.joined_at, group.left_at = utcnow(), None
        if summary:
            group.name = str(summary.get("group_name") or summary.get("groupName") or "")[:255] or group.name
        if members is not None:
            group.member_count, group.member_count_at = members, utcnow()
        picker = conversation.region_picker(session)
    return Answer([flex.text(conversation.bot_text(texts.GREETING_JOIN), picker)], push_if_late=True)


def on_leave(ctx: Context) -> Answer:
    with ctx.services.db.session() as session:
        group = groups.by_line_id(session, ctx.group_id)
        if group is not None:
            group.left_at = utcnow()
            # Removing the bot and inviting it back must not undo an administrator: a group switched
            # off stays off, and a registration never approved is not kept for the return.
            if group.status == GroupStatus.PENDING:
                group.province_id = None
            if group.status != GroupStatus.INACTIVE:
                group.status = GroupStatus.LEFT
    return Answer()


def on_member_joined(ctx: Context) -> Answer:
    with ctx.services.db.session() as session:
        group = groups.by_line_id(session, ctx.group_id)
        if group is not None and group.member_count is not None:
            group.member_count += ctx.event.members_joined
    return Answer([flex.text(conversation.bot_text(texts.WELCOME_MEMBER))])


EVENT_HANDLERS: dict[EventType, EventHandler] = {
    EventType.MESSAGE: on_message,
    EventType.POSTBACK: on_postback,
    EventType.FOLLOW: on_follow,
    EventType.UNFOLLOW: on_unfollow,
    EventType.JOIN: on_join,
    EventType.LEAVE: on_leave,
    EventType.MEMBER_JOINED: on_member_joined,
}


def make_processor(services: Services) -> Callable[[Claimed], Callable[[], InboxStatus]]:
    """Handle an event now (CPU), and return the delivery of its answer for later (I/O)."""
    limits = ChatLimits(services)

    def process(claimed: Claimed) -> Callable[[], InboxStatus]:
        ctx = build_context(services, claimed.event, claimed.webhook_event_id)
        handler = EVENT_HANDLERS[claimed.event.type]
        log.debug("event %s: %s from %s", claimed.webhook_event_id, claimed.event.type, ctx.source_type)
        answer = limits.check(ctx) or handler(ctx)
        return lambda: deliver(ctx, answer, claimed)

    return process
