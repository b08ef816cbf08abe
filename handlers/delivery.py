"""Delivering an answer to LINE, and the chat limits checked before an event handler runs.

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
from dataclasses import dataclass, field
from typing import Any

from limits import RateLimitItemPerMinute

from bot import counters, flex
from bot.limiter import Limiter
from bot.line import LineApiError
from bot.models import InboxStatus
from bot.services import Services
from handlers import texts
from handlers.context import Context
from handlers.inbox import Claimed
from handlers.line_event import CHAT_TYPES

log = logging.getLogger(__name__)

Message = dict[str, Any]
RETRY_KEY_NAMESPACE = uuid.UUID("6f1c2f2e-6a53-4f0e-9b1e-2f3c9d8a7b10")


@dataclass(frozen=True)
class Answer:
    messages: list[Message] = field(default_factory=list)
    push_if_late: bool = False


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
        counters.REPLIES.labels("failed").inc()
        raise
    counters.REPLIES.labels(outcome).inc()
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
            # The common case, at DEBUG: what is unusual (late, refused, expired) is logged at INFO.
            log.debug("event %s answered (request %s)", ctx.webhook_event_id, sent.request_id)
            return InboxStatus.DONE, "reply"
        except LineApiError as error:
            if not error.reply_token_refused:  # the token was spent or had run out; anything else: a failure
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
        if ctx.event.type not in CHAT_TYPES:
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
        counters.CHAT_RATE_LIMITED.labels(scope).inc()
        chat = ctx.chat_id or "?"
        if self.limiter.hit(self.notice, "chat-notice", chat):
            log.warning("event %s: %s over its message rate; one notice sent", ctx.webhook_event_id, scope)
            return Answer([flex.text(texts.RATE_LIMITED)])
        log.info("event %s: %s over its message rate; not answered", ctx.webhook_event_id, scope)
        return Answer([])
