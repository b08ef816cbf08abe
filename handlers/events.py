"""From a stored event to LINE: dispatch by event type, then deliver what the handler returned.

Event handlers return an `Answer`: the messages, and whether a late answer is worth a push whatever
its age (group registration is). Delivery replies while the reply token is fresh. An event the bot
acknowledged in time but held past its token (its process died, a backlog) is answered by push up to
`webhook.late_answer_seconds` after it happened; one already late when it arrived (LINE redelivering
after an outage) or older than that is recorded as expired. A push carries a retry key derived from
the event id, so a re-processed event never pushes twice; and an event taken over from a process that
died, whose still-fresh reply token LINE refuses, was answered by that process (a token is single-use).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from limits import RateLimitItemPerMinute
from sqlalchemy import select

from bot import flex, metrics
from bot.db import get_or_insert
from bot.line import LineApiError
from bot.models import GroupStatus, InboxStatus, LineGroup, LineUser, utcnow
from bot.ratelimit import Limiter
from bot.services import Services
from handlers import conversation, texts
from handlers.context import Context, build_context
from handlers.inbox import Claimed
from handlers.intents import match_intent, normalize_text

log = logging.getLogger(__name__)

Message = dict[str, Any]
RETRY_KEY_NAMESPACE = uuid.UUID("6f1c2f2e-6a53-4f0e-9b1e-2f3c9d8a7b10")


@dataclass(frozen=True)
class Answer:
    messages: list[Message] = field(default_factory=list)
    push_if_late: bool = False


EventHandler = Callable[[Context], Answer]


# --- event types ------------------------------------------------------------------------------------


def _mention_free_text(event: dict[str, Any]) -> tuple[str, bool]:
    """The text without @-mentions of the bot, and whether the bot was mentioned."""
    message = event.get("message") or {}
    body = str(message.get("text", ""))
    mentioned = False
    mentionees = (message.get("mention") or {}).get("mentionees") or []
    for mention in sorted(mentionees, key=lambda m: -int(m.get("index", 0))):
        if mention.get("isSelf"):
            mentioned = True
            start, length = int(mention.get("index", 0)), int(mention.get("length", 0))
            body = body[:start] + body[start + length :]
    return body, mentioned


def on_message(ctx: Context) -> Answer:
    message = ctx.event.get("message") or {}
    if message.get("type") != "text":
        # Stickers and photos are everyday chatter in a group; one-to-one, they get a pointer.
        return Answer() if ctx.in_group else Answer([flex.text(conversation.bot_text(texts.NON_TEXT))])
    body, mentioned = _mention_free_text(ctx.event)
    text = normalize_text(body)
    found = match_intent(text)
    addressed = mentioned or not ctx.in_group
    if found is not None:
        intent, captured = found
        if intent.changes_group and _too_old_to_change(ctx, intent.name):
            return Answer()
        if intent.open_in_groups or addressed:
            messages = conversation.INTENT_HANDLERS[intent.name](ctx, captured)
            return Answer(messages, push_if_late=intent.name == "register")
    if not addressed:
        return Answer()  # group chatter not meant for the bot
    if not text:
        return Answer(conversation.help_(ctx, {}))
    return Answer(conversation.search_or_fallback(ctx, text))


def on_postback(ctx: Context) -> Answer:
    pressed = conversation.parse_postback(str((ctx.event.get("postback") or {}).get("data", "")))
    if pressed.changes_group and _too_old_to_change(ctx, pressed.action):
        return Answer()
    return Answer(conversation.postback(ctx, pressed), push_if_late=pressed.action == "register")


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
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == ctx.group_id)).first()
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
    joined = ((ctx.event.get("joined") or {}).get("members")) or []
    with ctx.services.db.session() as session:
        group = session.scalars(select(LineGroup).where(LineGroup.line_group_id == ctx.group_id)).first()
        if group is not None and group.member_count is not None:
            group.member_count += len(joined)
    return Answer([flex.text(conversation.bot_text(texts.WELCOME_MEMBER))])


EVENT_HANDLERS: dict[str, EventHandler] = {
    "message": on_message,
    "postback": on_postback,
    "follow": on_follow,
    "unfollow": on_unfollow,
    "join": on_join,
    "leave": on_leave,
    "memberJoined": on_member_joined,
}


# --- delivery -----------------------------------------------------------------------------------------


def deliver(ctx: Context, answer: Answer, claimed: Claimed) -> InboxStatus:
    messages = (
        answer.messages if len(answer.messages) <= flex.MAX_MESSAGES else answer.messages[: flex.MAX_MESSAGES]
    )
    if not messages:
        return InboxStatus.DONE
    try:
        status, outcome = _deliver(ctx, answer, messages, claimed)
    except Exception:
        metrics.REPLIES.labels("failed").inc()
        raise
    metrics.REPLIES.labels(outcome).inc()
    return status


def _late_answer_due(ctx: Context, claimed: Claimed) -> bool:
    """Acknowledged while its reply token was fresh (the delay is ours), and not too old to matter."""
    settings = ctx.services.settings.webhook
    happened = ctx.now - dt.timedelta(seconds=ctx.age_seconds)
    on_arrival = (claimed.received_at - happened).total_seconds()
    return on_arrival <= settings.reply_token_seconds and ctx.age_seconds <= settings.late_answer_seconds


def _deliver(
    ctx: Context, answer: Answer, messages: list[Message], claimed: Claimed
) -> tuple[InboxStatus, str]:
    fresh = ctx.age_seconds <= ctx.services.settings.webhook.reply_token_seconds
    if fresh and ctx.reply_token:
        try:
            sent = ctx.services.line.reply(ctx.reply_token, messages)
            log.info("event %s answered (request %s)", ctx.webhook_event_id, sent.request_id)
            return InboxStatus.DONE, "reply"
        except LineApiError as error:
            if error.status != 400:  # 400: the token was spent or had run out; anything else: a failure
                raise
            if claimed.attempts > 1:  # a process that held it before died after using the token
                log.info("event %s: reply token already used: answered before", ctx.webhook_event_id)
                return InboxStatus.DONE, "replied_before"
            log.info("event %s: reply token refused", ctx.webhook_event_id)
    if ctx.chat_id and (answer.push_if_late or _late_answer_due(ctx, claimed)):
        key = str(uuid.uuid5(RETRY_KEY_NAMESPACE, ctx.webhook_event_id))
        sent = ctx.services.line.push(ctx.chat_id, messages, retry_key=key)
        log.info("event %s answered late by push (request %s)", ctx.webhook_event_id, sent.request_id)
        return InboxStatus.DONE, "push"
    log.info("event %s expired: %.0f s old, answer dropped", ctx.webhook_event_id, ctx.age_seconds)
    return InboxStatus.EXPIRED, "expired"


class ChatLimits:
    """Per-person and per-group limits on answered chat messages (Redis, else this process)."""

    CHAT_EVENTS: Final = frozenset({"message", "postback"})

    def __init__(self, services: Services) -> None:
        settings = services.settings.webhook
        self.limiter = Limiter(services.settings.redis)
        self.per_user = RateLimitItemPerMinute(settings.user_messages_per_minute or 1)
        self.per_group = RateLimitItemPerMinute(settings.group_messages_per_minute or 1)
        self.user_on = settings.user_messages_per_minute > 0
        self.group_on = settings.group_messages_per_minute > 0
        self.notice = RateLimitItemPerMinute(1)

    def check(self, ctx: Context) -> Answer | None:
        """None: answer as usual. Else what to send instead (a notice, or nothing)."""
        if str(ctx.event.get("type")) not in self.CHAT_EVENTS:
            return None
        scope = None
        if (
            self.group_on
            and ctx.group_id
            and not self.limiter.hit(self.per_group, "chat-group", ctx.group_id)
        ):
            scope = "group"
        elif self.user_on and ctx.user_id and not self.limiter.hit(self.per_user, "chat-user", ctx.user_id):
            scope = "user"
        if scope is None:
            return None
        metrics.CHAT_RATE_LIMITED.labels(scope).inc()
        chat = ctx.chat_id or "?"
        if self.limiter.hit(self.notice, "chat-notice", chat):
            log.warning("event %s: %s over its message rate; one notice sent", ctx.webhook_event_id, scope)
            return Answer([flex.text(texts.RATE_LIMITED)])
        log.info("event %s: %s over its message rate; not answered", ctx.webhook_event_id, scope)
        return Answer([])


def make_processor(services: Services) -> Callable[[Claimed], Callable[[], InboxStatus]]:
    """Handle an event now (CPU), and return the delivery of its answer for later (I/O)."""
    limits = ChatLimits(services)

    def process(claimed: Claimed) -> Callable[[], InboxStatus]:
        event = claimed.payload
        ctx = build_context(services, event, claimed.webhook_event_id)
        handler = EVENT_HANDLERS.get(str(event.get("type")))
        if handler is None:
            return lambda: InboxStatus.DONE
        log.info("event %s: %s from %s", claimed.webhook_event_id, event.get("type"), ctx.source_type)
        answer = limits.check(ctx) or handler(ctx)
        return lambda: deliver(ctx, answer, claimed)

    return process
