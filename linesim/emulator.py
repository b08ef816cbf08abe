"""The LINE emulator: the stand-in's Messaging API, plus the LINE users who talk to the bot.

LINE sits between a bot and its users. The stand-in (`LineStandIn`) plays the half the bot calls —
reply, push, profiles, quota — and `Emulator` adds the other half: officials who follow the bot or
block it, write to it one-to-one or in provincial groups, press its buttons, add it to a group or
remove it. Each of these becomes the webhook event LINE would send (`linesim.events`), checked
against `spec/webhook.yml`, signed with the channel secret and POSTed to the bot's webhook URL, the
same `/callback` LINE calls in production. A reply token is issued for the event's chat, so the bot's
reply lands in that chat.

Everything either side does goes into one timeline, per chat (a user's one-to-one chat has the user's
id, a group chat the group's): what the users sent (with the webhook body), what the bot sent (reply,
push, multicast: the request body), and what LINE refused (the stand-in's 4xx/5xx with LINE's error
body, e.g. a Flex bubble over 30 KB), and webhooks the bot did not accept. The simulator page
(`linesim.simulator`, http://HOST:PORT/simulator) draws it as LINE chats::

    with Emulator(token="t", channel_secret="s", webhook_url="http://127.0.0.1:8000/callback") as line:
        line.add_official("U…", "สมชาย ใจดี")
        line.say("U…", "ข้อสั่งการล่าสุด")          # → signed POST to /callback → the bot replies
        line.timeline()                              # [user message, bot's carousel]
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from linesim import events
from linesim.server import LineApi, LineStandIn
from linesim.state import SENDING_ENDPOINTS, EmulatorError, Group, RecordedRequest
from linesim.validation import default_webhook_spec

DEFAULT_BOT_NAME: Final = "บอท สถ."
_ANSWER_CHARS: Final = 2000  # of the bot's answer to a webhook, kept for display

ItemKind = Literal["message", "action", "event", "bot", "refused", "webhook_failed"]


@dataclass
class Official:
    """A LINE user of the emulated world: an official who may follow the bot and sit in groups."""

    user_id: str
    display_name: str
    following: bool = True
    ever_followed: bool = True  # a follow after an unfollow is an unblock (`follow.isUnblocked`)

    def to_json(self) -> dict[str, Any]:
        return {"userId": self.user_id, "displayName": self.display_name, "following": self.following}


@dataclass(frozen=True)
class WebhookCall:
    """One webhook request the emulator sent, and how the bot answered it (status None: unreachable)."""

    index: int
    time: float
    chat_id: str
    body: Mapping[str, Any]
    status: int | None
    answer: str
    error: str | None
    duration_ms: float

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "time": self.time,
            "chatId": self.chat_id,
            "body": self.body,
            "status": self.status,
            "answer": self.answer,
            "error": self.error,
            "durationMs": round(self.duration_ms, 1),
        }


@dataclass(frozen=True)
class ChatItem:
    """One line of the timeline, in the chat `chat_id` (None: a refused request with no known chat).

    - `message`: a user wrote `text` (or pressed a button whose `displayText` LINE shows as theirs);
      `raw` is the webhook event, `webhook` the index of the `WebhookCall`.
    - `action`: a user pressed a postback button without display text (LINE shows nothing).
    - `event`: follow, unfollow, join, leave, memberJoined (`event_type`), or a redelivery.
    - `bot`: the bot's `messages`, sent `via` reply, push or multicast; `raw` is the request body.
    - `refused`: LINE answered the bot's request with `status` and `error` (LINE's error body).
    - `webhook_failed`: the bot answered a webhook with `status` (None: could not be reached).
    """

    index: int
    time: float
    chat_id: str | None
    kind: ItemKind
    user_id: str | None = None
    text: str | None = None
    event_type: str | None = None
    messages: Sequence[Mapping[str, Any]] = ()
    via: str | None = None
    status: int | None = None
    error: Mapping[str, Any] | None = None
    webhook: int | None = None
    request: int | None = None
    raw: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "time": self.time,
            "chatId": self.chat_id,
            "kind": self.kind,
            "userId": self.user_id,
            "text": self.text,
            "eventType": self.event_type,
            "messages": list(self.messages),
            "via": self.via,
            "status": self.status,
            "error": None if self.error is None else dict(self.error),
            "webhook": self.webhook,
            "request": self.request,
            "raw": self.raw,
        }


@dataclass
class _Timeline:
    items: list[ChatItem] = field(default_factory=list)
    webhooks: dict[int, WebhookCall] = field(default_factory=dict)
    webhooks_reserved: int = 0


class Emulator(LineStandIn):
    """LINE on 127.0.0.1 for a bot under development: the stand-in's API, users, webhooks, a chat page.

    `webhook_url` (settable later: the bot may only know its port after the emulator has started) is
    where events go, signed with `channel_secret`. Reply tokens are strict: only those the emulator
    issued for an event are accepted, once, within a minute. Other keyword arguments are those of
    `LineStandIn` (`host`, `port`, `StandInConfig` fields).
    """

    def __init__(
        self,
        token: str,
        channel_secret: str,
        *,
        webhook_url: str | None = None,
        bot_user_id: str | None = None,
        bot_name: str = DEFAULT_BOT_NAME,
        webhook_timeout: float = 10.0,
        **standin_options: Any,
    ) -> None:
        standin_options.setdefault("strict_reply_tokens", True)
        super().__init__(token, **standin_options)
        self.channel_secret = channel_secret
        self.webhook_url = webhook_url
        self.bot_user_id = bot_user_id or events.line_id("U")
        self.bot_name = bot_name
        self.webhook_timeout = webhook_timeout
        self._officials: dict[str, Official] = {}
        self._timeline = _Timeline()
        self._sim_lock = threading.Lock()
        self._changed_items = threading.Condition(self._sim_lock)

    def api(self) -> LineApi:
        from linesim.simulator import add_simulator_routes

        return LineApi(self, extra_routes=lambda app: add_simulator_routes(app, self))

    @property
    def simulator_url(self) -> str:
        return f"{self.base_url}/simulator"

    # --- the world ------------------------------------------------------------------------------

    def add_official(self, user_id: str, display_name: str, *, following: bool = True) -> Official:
        """A LINE user; a follower of the bot (a friend the bot can push to) unless `following=False`."""
        official = Official(user_id, display_name, following, ever_followed=following)
        with self._sim_lock:
            self._officials[user_id] = official
        self.add_user(user_id, display_name)
        return official

    def official(self, user_id: str) -> Official:
        with self._sim_lock:
            found = self._officials.get(user_id)
        if found is None:
            raise EmulatorError(f"ไม่รู้จักผู้ใช้ {user_id}")
        return found

    def officials(self) -> list[Official]:
        with self._sim_lock:
            return list(self._officials.values())

    def page_world(self) -> dict[str, Any]:
        """What the simulator page shows: the bot, the officials, the groups, the quota."""
        world = self.world_json()
        with self._sim_lock:
            officials = [official.to_json() for official in self._officials.values()]
            following = len(self._timeline.items)
        return {
            "bot": {"userId": self.bot_user_id, "name": self.bot_name},
            "webhookUrl": self.webhook_url,
            "officials": officials,
            "groups": world["groups"],
            "quota": world["quota"],
            "totalUsage": world["totalUsage"],
            "richMenu": self._page_rich_menu(),
            "next": following,
        }

    def _page_rich_menu(self) -> dict[str, Any] | None:
        """The default rich menu (every user's, as LINE shows it) with where the page gets its image."""
        menu = self.default_rich_menu_json()
        if menu is None or self.rich_menu_image(str(menu["richMenuId"])) is None:
            return None
        return {**menu, "imageUrl": f"/simulator/api/richmenu/{menu['richMenuId']}/image"}

    # --- what users do --------------------------------------------------------------------------

    def say(self, user_id: str, text: str, group_id: str | None = None) -> WebhookCall:
        """`user_id` writes `text` to the bot (one-to-one) or in `group_id`; `@<bot name>` mentions it."""
        if not text.strip():
            raise EmulatorError("พิมพ์ข้อความก่อนส่ง")
        official = self._can_write(user_id, group_id)
        chat_id = group_id or user_id
        content = events.text_content(text, bot_user_id=self.bot_user_id, bot_name=self.bot_name)
        event = events.event(
            "message",
            events.source(official.user_id, group_id),
            reply_token=self.issue_reply_token(chat_id),
            message=content,
        )
        return self._send(chat_id, event, kind="message", user_id=user_id, text=text)

    def press(self, user_id: str, action: Mapping[str, Any], group_id: str | None = None) -> WebhookCall:
        """`user_id` presses a button, a tappable Flex area or a quick-reply chip with `action`."""
        kind = action.get("type")
        if kind == "message":
            return self.say(user_id, str(action.get("text") or ""), group_id)
        if kind not in ("postback", "datetimepicker"):
            raise EmulatorError(f"โปรแกรมจำลองยังไม่รองรับปุ่มแบบ {kind}")
        data = action.get("data")
        if not isinstance(data, str):
            raise EmulatorError("ปุ่มนี้ไม่มี data")
        params: dict[str, str] | None = None
        if kind == "datetimepicker":
            mode = str(action.get("mode") or "datetime")
            value = action.get("value")
            if not isinstance(value, str) or not value:
                raise EmulatorError("เลือกวันเวลาก่อน")
            params = {mode: value}
        official = self._can_write(user_id, group_id)
        chat_id = group_id or user_id
        event = events.event(
            "postback",
            # LINE's reference promises the user id in a group only on message events; in practice
            # postbacks carry it too, and a bot needs it to know who pressed.
            events.source(official.user_id, group_id),
            reply_token=self.issue_reply_token(chat_id),
            postback=events.postback_content(data, params),
        )
        display = action.get("displayText")
        if isinstance(display, str) and display:
            return self._send(chat_id, event, kind="message", user_id=user_id, text=display)
        label = action.get("label")
        return self._send(chat_id, event, kind="action", user_id=user_id, text=str(label or data))

    def follow(self, user_id: str) -> WebhookCall:
        """`user_id` adds the bot as a friend (again: unblocks it)."""
        official = self.official(user_id)
        if official.following:
            raise EmulatorError(f"{official.display_name} เป็นเพื่อนกับบอทอยู่แล้ว")
        with self._sim_lock:
            unblocked = official.ever_followed
            official.following = official.ever_followed = True
        self.add_user(user_id, official.display_name)
        event = events.event(
            "follow",
            events.source(user_id),
            reply_token=self.issue_reply_token(user_id),
            follow={"isUnblocked": unblocked},
        )
        return self._send(user_id, event, kind="event", user_id=user_id, event_type="follow")

    def unfollow(self, user_id: str) -> WebhookCall:
        """`user_id` blocks the bot. No reply token: the bot cannot answer."""
        official = self.official(user_id)
        if not official.following:
            raise EmulatorError(f"{official.display_name} ไม่ได้เป็นเพื่อนกับบอท")
        with self._sim_lock:
            official.following = False
        event = events.event("unfollow", events.source(user_id))
        return self._send(user_id, event, kind="event", user_id=user_id, event_type="unfollow")

    def join(self, group_id: str, invited_by: str | None = None) -> WebhookCall:
        """The bot is added to `group_id` (by `invited_by`, shown on the page)."""
        group = self._group(group_id)
        if group.bot_is_member:
            raise EmulatorError("บอทอยู่ในกลุ่มนี้แล้ว")
        self.set_bot_membership(group_id, True)
        event = events.event(
            "join", events.source(None, group_id), reply_token=self.issue_reply_token(group_id)
        )
        return self._send(group_id, event, kind="event", user_id=invited_by, event_type="join")

    def leave(self, group_id: str, removed_by: str | None = None) -> WebhookCall:
        """A member removes the bot from `group_id`. No reply token."""
        group = self._group(group_id)
        if not group.bot_is_member:
            raise EmulatorError("บอทไม่ได้อยู่ในกลุ่มนี้")
        self.set_bot_membership(group_id, False)
        event = events.event("leave", events.source(None, group_id))
        return self._send(group_id, event, kind="event", user_id=removed_by, event_type="leave")

    def member_joined(self, group_id: str, user_id: str) -> WebhookCall | None:
        """`user_id` joins `group_id`; None when the bot isn't in it (LINE tells the bot nothing)."""
        official = self.official(user_id)
        group = self._group(group_id)
        if user_id in group.member_ids:
            raise EmulatorError(f"{official.display_name} อยู่ในกลุ่มนี้แล้ว")
        self.add_group_member(group_id, user_id)
        if not group.bot_is_member:
            self._add_item(group_id, "event", user_id=user_id, event_type="memberJoined")
            return None
        event = events.event(
            "memberJoined",
            events.source(None, group_id),
            reply_token=self.issue_reply_token(group_id),
            joined={"members": [events.source(user_id)]},
        )
        return self._send(group_id, event, kind="event", user_id=user_id, event_type="memberJoined")

    def redeliver(self, index: int) -> WebhookCall:
        """Send webhook `index` again as LINE's redelivery does: same events, `isRedelivery: true`."""
        original = self.webhook(index)
        if not original.body.get("events"):
            raise EmulatorError("ไม่มีเหตุการณ์ให้ส่งซ้ำ")
        again = [events.redelivered(event) for event in original.body["events"]]
        body = events.callback_body(self.bot_user_id, again)
        index = self._reserve_webhook()
        self._add_item(
            original.chat_id, "event", event_type="redelivery", webhook=index, raw=json.loads(body)
        )
        return self._post(index, original.chat_id, body)

    def verify(self) -> WebhookCall:
        """The LINE console's Verify button: a webhook with no events, which must answer 200."""
        return self._post(self._reserve_webhook(), "", events.callback_body(self.bot_user_id, []))

    # --- what was said ----------------------------------------------------------------------------

    def timeline(self, since: int = 0, chat_id: str | None = None) -> list[ChatItem]:
        """Items with index >= `since`, oldest first; only those of `chat_id` if given."""
        with self._sim_lock:
            items = self._timeline.items[since:]
        return [item for item in items if chat_id is None or item.chat_id == chat_id]

    def conversation(self, chat_id: str) -> list[ChatItem]:
        """Everything in one chat: a user's one-to-one chat (their user id) or a group (its id)."""
        return self.timeline(chat_id=chat_id)

    def wait_for(
        self, predicate: Callable[[ChatItem], bool], *, since: int = 0, timeout: float = 10.0
    ) -> ChatItem:
        """Block until an item with index >= `since` satisfies `predicate`; TimeoutError if none does."""
        deadline = time.monotonic() + timeout
        with self._changed_items:
            while True:
                for item in self._timeline.items[since:]:
                    if predicate(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching timeline item after {timeout} s")
                self._changed_items.wait(remaining)

    def webhooks(self, since: int = 0) -> list[WebhookCall]:
        """Webhooks the bot has answered (or failed to), in the order they were sent."""
        with self._sim_lock:
            calls = self._timeline.webhooks
            return [calls[index] for index in sorted(calls) if index >= since]

    def webhook(self, index: int) -> WebhookCall:
        with self._sim_lock:
            found = self._timeline.webhooks.get(index)
            in_flight = 0 <= index < self._timeline.webhooks_reserved
        if found is None:
            raise EmulatorError("webhook นี้ยังส่งไม่เสร็จ" if in_flight else f"ไม่พบ webhook ลำดับที่ {index}")
        return found

    def reset(self, *, keep_world: bool = False) -> None:
        super().reset(keep_world=keep_world)
        with self._sim_lock:
            self._timeline = _Timeline()
            if not keep_world:
                self._officials.clear()

    # --- the bot's side, as the stand-in records it ----------------------------------------------

    def record(self, request: RecordedRequest) -> RecordedRequest:
        recorded = super().record(request)
        if recorded.endpoint in SENDING_ENDPOINTS:
            self._note_sent(recorded)
        return recorded

    def _note_sent(self, recorded: RecordedRequest) -> None:
        body = recorded.body if isinstance(recorded.body, dict) else {}
        chats: list[str | None]
        if recorded.endpoint == "reply":
            token = body.get("replyToken")
            chats = [self.reply_token_chat(token) if isinstance(token, str) else None]
        elif recorded.endpoint == "push":
            chats = [str(body["to"])] if isinstance(body.get("to"), str) else [None]
        else:
            given = body.get("to")
            chats = [str(to) for to in given] if isinstance(given, list) and given else [None]
        messages = body.get("messages")
        delivered = recorded.status == 200 or recorded.fault == "error_after_accept"
        for chat_id in dict.fromkeys(chats):
            if delivered and isinstance(messages, list):
                self._add_item(
                    chat_id,
                    "bot",
                    messages=messages,
                    via=recorded.endpoint,
                    status=recorded.status,
                    request=recorded.index,
                    raw=recorded.body,
                )
            elif recorded.status >= 400 and recorded.status != 409:  # 409: delivered before
                self._add_item(
                    chat_id,
                    "refused",
                    via=recorded.endpoint,
                    status=recorded.status,
                    error=recorded.response,
                    request=recorded.index,
                    raw=recorded.body,
                )

    # --- helpers --------------------------------------------------------------------------------

    def _group(self, group_id: str) -> Group:
        group = self.group(group_id)
        if group is None:
            raise EmulatorError(f"ไม่พบกลุ่ม {group_id}")
        return group

    def _can_write(self, user_id: str, group_id: str | None) -> Official:
        official = self.official(user_id)
        if group_id is None:
            if not official.following:
                raise EmulatorError(f"{official.display_name} บล็อกบอทอยู่: เพิ่มเพื่อนก่อนจึงจะคุยได้")
            return official
        group = self._group(group_id)
        if user_id not in group.member_ids:
            raise EmulatorError(f"{official.display_name} ยังไม่ได้อยู่ในกลุ่ม {group.name}")
        if not group.bot_is_member:
            raise EmulatorError(f"บอทไม่ได้อยู่ในกลุ่ม {group.name}: เชิญบอทเข้ากลุ่มก่อน")
        return official

    def _send(
        self,
        chat_id: str,
        event: events.Event,
        *,
        kind: ItemKind,
        user_id: str | None = None,
        text: str | None = None,
        event_type: str | None = None,
    ) -> WebhookCall:
        body = events.callback_body(self.bot_user_id, [event])
        problems = default_webhook_spec().problems(json.loads(body))
        if problems:  # the emulator's own mistake: LINE would never send this
            raise RuntimeError("emulator built an invalid webhook: " + "; ".join(map(str, problems)))
        index = self._reserve_webhook()
        self._add_item(
            chat_id, kind, user_id=user_id, text=text, event_type=event_type, webhook=index, raw=event
        )
        return self._post(index, chat_id, body)

    def _reserve_webhook(self) -> int:
        """The index of a webhook about to be sent: the page links the user's message to it at once."""
        with self._sim_lock:
            index = self._timeline.webhooks_reserved
            self._timeline.webhooks_reserved += 1
            return index

    def _post(self, index: int, chat_id: str, body: bytes) -> WebhookCall:
        """POST `body` to the bot, signed; record the call, and a visible failure if the bot refused it."""
        started = time.perf_counter()
        status: int | None = None
        answer = ""
        error: str | None = None
        url = self.webhook_url
        if not url or not url.startswith(("http://", "https://")):
            error = "ยังไม่ได้กำหนด webhook URL ของบอท"
        else:
            request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
                url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": events.USER_AGENT,
                    "X-Line-Signature": events.signature(self.channel_secret, body),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.webhook_timeout) as response:  # noqa: S310
                    status = response.status
                    answer = response.read(_ANSWER_CHARS).decode("utf-8", "replace")
            except urllib.error.HTTPError as failed:
                status = failed.code
                answer = failed.read(_ANSWER_CHARS).decode("utf-8", "replace")
            except (urllib.error.URLError, TimeoutError, OSError) as failed:
                error = str(getattr(failed, "reason", failed))
        elapsed = (time.perf_counter() - started) * 1000
        call = WebhookCall(index, self.clock(), chat_id, json.loads(body), status, answer, error, elapsed)
        with self._sim_lock:
            self._timeline.webhooks[index] = call
        if not call.accepted:
            self._add_item(
                chat_id or None,
                "webhook_failed",
                status=status,
                error={"message": error or answer},
                webhook=call.index,
                raw=call.body,
            )
        return call

    def _add_item(self, chat_id: str | None, kind: ItemKind, **values: Any) -> ChatItem:
        with self._changed_items:
            item = ChatItem(len(self._timeline.items), self.clock(), chat_id, kind, **values)
            self._timeline.items.append(item)
            self._changed_items.notify_all()
        return item
