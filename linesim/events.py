"""Webhook events as LINE sends them: ids, sources, event objects, the body and its signature.

Pure functions, no state: the emulator (`linesim.emulator`) uses them to write to a bot, and tests
may too. What they build follows LINE's webhook reference and `spec/webhook.yml`
(`validation.default_webhook_spec()` checks it):

- `webhookEventId` is a ULID (26 characters of Crockford base32: 48 bits of milliseconds, 80 random);
- each event has `mode: "active"`, `timestamp` in milliseconds, `deliveryContext.isRedelivery`, and a
  `source`; in a group the user id comes only with message and postback events;
- the body is `{"destination": <the bot's user id>, "events": [...]}` as compact UTF-8 JSON, and
  `X-Line-Signature` is Base64(HMAC-SHA256(channel secret, those exact bytes)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

Event = dict[str, Any]

_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
USER_AGENT: Final = "LineBotWebhook/2.0"


def webhook_event_id(now_ms: int | None = None) -> str:
    """A ULID, as LINE's `webhookEventId`: sortable by time, unique."""
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    value = ((millis & (2**48 - 1)) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def message_id() -> str:
    """A message id like LINE's: a string of 18 digits."""
    return str(secrets.randbelow(9 * 10**17) + 10**17)


def line_id(prefix: str) -> str:
    """A random user (`U`), group (`C`) or room (`R`) id: the prefix and 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def signature(channel_secret: str, body: bytes) -> str:
    """The `X-Line-Signature` of `body`."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def callback_body(destination: str, events: Sequence[Mapping[str, Any]]) -> bytes:
    """The webhook request body: compact JSON, UTF-8, sent (and signed) exactly as these bytes."""
    payload = {"destination": destination, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def source(user_id: str | None, group_id: str | None = None) -> dict[str, str]:
    """`{"type": "user", "userId"}`, or `{"type": "group", "groupId"[, "userId"]}`."""
    if group_id is None:
        if user_id is None:
            raise ValueError("a one-to-one source needs a user id")
        return {"type": "user", "userId": user_id}
    found = {"type": "group", "groupId": group_id}
    if user_id is not None:
        found["userId"] = user_id
    return found


def event(
    event_type: str,
    event_source: Mapping[str, str],
    *,
    reply_token: str | None = None,
    timestamp_ms: int | None = None,
    redelivery: bool = False,
    **fields: Any,
) -> Event:
    """One webhook event object; `fields` are the type's own (`message`, `postback`, `joined`...)."""
    millis = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    built: Event = {
        "type": event_type,
        "mode": "active",
        "timestamp": millis,
        "source": dict(event_source),
        "webhookEventId": webhook_event_id(millis),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if reply_token is not None:
        built["replyToken"] = reply_token
    built.update(fields)
    return built


def text_content(text: str, *, bot_user_id: str | None = None, bot_name: str | None = None) -> dict[str, Any]:
    """A text message as a user sends it. `@<bot_name>` in the text becomes a mention of the bot
    (`mention.mentionees[].isSelf`), as when a user picks the bot from LINE's @ list."""
    content: dict[str, Any] = {
        "type": "text",
        "id": message_id(),
        "quoteToken": secrets.token_urlsafe(24),
        "text": text,
    }
    if bot_user_id and bot_name:
        handle = f"@{bot_name}"
        mentionees = []
        start = text.find(handle)
        while start != -1:
            mentionees.append(
                {"index": start, "length": len(handle), "type": "user", "userId": bot_user_id, "isSelf": True}
            )
            start = text.find(handle, start + len(handle))
        if mentionees:
            content["mention"] = {"mentionees": mentionees}
    return content


def postback_content(data: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"data": data}
    if params:
        content["params"] = dict(params)
    return content


def redelivered(original: Mapping[str, Any]) -> Event:
    """The same event again, as LINE's redelivery sends it: identical but `isRedelivery: true`."""
    copy = json.loads(json.dumps(original))
    copy["deliveryContext"] = {"isRedelivery": True}
    return dict(copy)
