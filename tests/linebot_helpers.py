"""Helpers for tests that talk to the bot the way LINE does: signed webhooks in, the stand-in's record out."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from handlers.webhook import signature_of
from linesim import LineStandIn

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
LINE_ENV = {"LINE_CHANNEL_SECRET": CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN}


def post_events(
    client: FlaskClient, events: list[dict[str, Any]], *, secret: str = CHANNEL_SECRET
) -> TestResponse:
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode("utf-8")
    # Buffered: the response is read and closed at once, as a WSGI server does once it has sent it
    # (closing it is when a request answers its own events, after LINE has its 200).
    return client.post(
        "/callback",
        data=body,
        headers={"X-Line-Signature": signature_of(secret, body), "Content-Type": "application/json"},
        buffered=True,
    )


class Chat:
    """Builds webhook events from one chat: a user one-to-one, or a user in a group."""

    def __init__(self, standin: LineStandIn, user_id: str = "U1000", group_id: str | None = None) -> None:
        self.standin = standin
        self.user_id = user_id
        self.group_id = group_id

    @property
    def chat_id(self) -> str:
        return self.group_id or self.user_id

    def source(self) -> dict[str, Any]:
        if self.group_id:
            return {"type": "group", "groupId": self.group_id, "userId": self.user_id}
        return {"type": "user", "userId": self.user_id}

    def event(
        self, event_type: str, *, age_seconds: float = 0.0, reply: bool = True, **fields: Any
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "type": event_type,
            "mode": "active",
            "timestamp": int((time.time() - age_seconds) * 1000),
            "source": self.source(),
            "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "deliveryContext": {"isRedelivery": False},
            **fields,
        }
        if reply:
            event["replyToken"] = self.standin.issue_reply_token(self.chat_id)
        return event

    def text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        message = {"type": "text", "id": uuid.uuid4().hex[:18], "quoteToken": "q", "text": text}
        mention = kwargs.pop("mention", None)
        if mention is not None:
            message["mention"] = mention
        return self.event("message", message=message, **kwargs)

    def sticker(self) -> dict[str, Any]:
        message = {
            "type": "sticker",
            "id": "1",
            "quoteToken": "q",
            "packageId": "446",
            "stickerId": "1988",
            "stickerResourceType": "STATIC",
        }
        return self.event("message", message=message)

    def postback(self, data: str) -> dict[str, Any]:
        return self.event("postback", postback={"data": data})

    def replies(self) -> list[dict[str, Any]]:
        """Messages this chat received, by reply or push, in order."""
        return [dict(m) for m in self.standin.messages_to(self.chat_id)]


def all_text(messages: list[dict[str, Any]]) -> str:
    """Every piece of text in messages, Flex included, for assertions about content."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "altText", "label", "displayText") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return "\n".join(found)
