"""Building LINE messages (plain JSON dicts in the Messaging API's shape) within LINE's limits.

Everything the bot sends is built here or from these pieces, so the limits are kept in one place:
text ≤ 5,000 UTF-16 code units, altText ≤ 1,500, quick reply ≤ 13 items with labels ≤ 20 characters,
postback data ≤ 300, a bubble ≤ 30 KB, a carousel ≤ 12 bubbles and ≤ 50 KB, ≤ 5 messages per request.
Conversation replies and broadcasts share the meeting and directive bubbles.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from bot import postback

Message = dict[str, Any]


class Prepared(list[Message]):
    """Messages sent many times (a cached answer, a broadcast): their JSON is encoded once."""

    @functools.cached_property
    def encoded(self) -> bytes:
        return json.dumps(list(self), ensure_ascii=False).encode()


MAX_TEXT_UNITS = 5000
MAX_ALT_TEXT = 1500
MAX_QUICK_REPLIES = 13
MAX_ACTION_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_BUBBLES = 12
MAX_MESSAGES = 5

LINE_GREEN = "#06C755"
MUTED = "#8C8C8C"
BADGE = "#C0392B"  # a deadline: red enough to be seen first
ELLIPSIS = "…"


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """Cut to `limit` UTF-16 code units (emoji count two), ending with … when cut."""
    if utf16_units(text) <= limit:
        return text
    cut = text
    # Halve the overshoot until it fits: a few steps even for megabytes.
    while utf16_units(cut) > limit - 1:
        overshoot = utf16_units(cut) - (limit - 1)
        cut = cut[: max(0, len(cut) - max(1, overshoot // 2))]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_TEXT_UNITS, parts: int = MAX_MESSAGES) -> list[str]:
    """Long text as up to `parts` messages, cut at line ends where possible; the last part shortened."""
    chunks: list[str] = []
    rest = text
    while rest and len(chunks) < parts - 1 and utf16_units(rest) > limit:
        window = shorten(rest, limit + 1)[:-1]  # the longest prefix that fits
        cut = window.rfind("\n")
        cut = cut if cut > len(window) // 2 else len(window)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest:
        chunks.append(shorten(rest, limit))
    return chunks


def message_action(label: str, text: str) -> dict[str, Any]:
    return {"type": "message", "label": shorten(label, MAX_ACTION_LABEL), "text": shorten(text, 300)}


def postback_action(
    label: str, pressed: postback.Postback, display_text: str | None = None
) -> dict[str, Any]:
    """A button that sends `pressed` back (`bot.postback` writes its data)."""
    data = postback.encode(pressed)
    if len(data) > MAX_POSTBACK_DATA:
        raise ValueError(f"postback data longer than {MAX_POSTBACK_DATA}: {data[:40]}…")
    action: dict[str, Any] = {"type": "postback", "label": shorten(label, MAX_ACTION_LABEL), "data": data}
    if display_text:
        action["displayText"] = shorten(display_text, 300)
    return action


def quick_reply(actions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": action} for action in actions[:MAX_QUICK_REPLIES]]}


def text(body: str, quick: Sequence[dict[str, Any]] | None = None) -> Message:
    message: Message = {"type": "text", "text": shorten(body, MAX_TEXT_UNITS) or "-"}
    if quick:
        message["quickReply"] = quick_reply(quick)
    return message


def texts(
    body: str, quick: Sequence[dict[str, Any]] | None = None, parts: int = MAX_MESSAGES
) -> list[Message]:
    """Text too long for one message, as several; quick replies go on the last."""
    chunks = split_text(body, parts=parts) or ["-"]
    messages = [text(chunk) for chunk in chunks]
    if quick:
        messages[-1]["quickReply"] = quick_reply(quick)
    return messages


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def flex(alt_text: str, contents: dict[str, Any], quick: Sequence[dict[str, Any]] | None = None) -> Message:
    message: Message = {
        "type": "flex",
        "altText": shorten(alt_text, MAX_ALT_TEXT) or "-",
        "contents": contents,
    }
    if quick:
        message["quickReply"] = quick_reply(quick)
    return message


def carousel(bubbles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Up to 12 bubbles, dropping from the end until the carousel fits in 50 KB."""
    kept = [b for b in bubbles[:MAX_BUBBLES] if _size(b) <= MAX_BUBBLE_BYTES]
    while len(kept) > 1 and _size({"type": "carousel", "contents": kept}) > MAX_CAROUSEL_BYTES:
        kept.pop()
    return {"type": "carousel", "contents": kept}


def carousels(bubbles: Sequence[dict[str, Any]], limit: int = MAX_MESSAGES) -> list[dict[str, Any]]:
    """The bubbles in order as up to `limit` carousels (one request's messages), each within LINE's
    limits: a carousel takes as many as fit and the next one goes on from there. A bubble over 30 KB is
    left out; what does not fit in `limit` carousels is dropped from the end."""
    rest = [b for b in bubbles if _size(b) <= MAX_BUBBLE_BYTES]
    made: list[dict[str, Any]] = []
    while rest and len(made) < limit:
        made.append(carousel(rest))
        rest = rest[len(made[-1]["contents"]) :]
    return made


def label_text(
    value: str,
    *,
    size: str = "sm",
    color: str | None = None,
    bold: bool = False,
    wrap: bool = True,
    max_lines: int | None = None,
) -> dict[str, Any]:
    component: dict[str, Any] = {"type": "text", "text": value or "-", "size": size, "wrap": wrap}
    if color:
        component["color"] = color
    if bold:
        component["weight"] = "bold"
    if max_lines:
        component["maxLines"] = max_lines
    return component


def tag_box(tags: Sequence[str]) -> dict[str, Any]:
    """10E tags as small green labels."""
    return {
        "type": "box",
        "layout": "horizontal",
        "spacing": "sm",
        "contents": [
            {
                "type": "box",
                "layout": "vertical",
                "backgroundColor": "#E8F7EE",
                "cornerRadius": "md",
                "paddingAll": "xs",
                "flex": 0,
                "contents": [label_text(tag, size="xxs", color="#05843B", wrap=False)],
            }
            for tag in tags[:3]
        ]
        or [label_text(" ", size="xxs")],
    }


def bubble(
    header: str,
    title: str,
    body: str,
    tags: Sequence[str] = (),
    buttons: Sequence[dict[str, Any]] = (),
    badge: str | None = None,
) -> dict[str, Any]:
    """A card: small header line, an optional badge (a deadline), bold title, a few lines of text,
    tags, buttons."""
    contents: list[dict[str, Any]] = [label_text(header, size="xs", color=MUTED)]
    if badge:
        contents.append(label_text(badge, size="xs", color=BADGE, bold=True, wrap=False))
    contents.append(label_text(shorten(title, 120), size="md", bold=True, max_lines=3))
    if body:
        contents.append(label_text(shorten(body, 400), size="sm", max_lines=6))
    if tags:
        contents.append(tag_box(tags))
    result: dict[str, Any] = {
        "type": "bubble",
        "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": contents},
    }
    if buttons:
        result["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {
                    "type": "button",
                    "style": "primary" if n == 0 else "secondary",
                    "color": LINE_GREEN if n == 0 else None,
                    "height": "sm",
                    "action": action,
                }
                for n, action in enumerate(buttons[:3])
            ],
        }
        for button in result["footer"]["contents"]:
            if button["color"] is None:
                del button["color"]
    return result
