"""What the stand-in knows and remembers: the world, LINE's rules, the faults, and every request.

`StandInState` is plain, thread-safe Python with no HTTP in it: the server calls its operations
(`push`, `reply`, `leave_group`, ...) from its event loop, and tests call its world and recording
methods (`add_group`, `received`, `delivery_counts`, ...) from theirs. One lock guards everything;
no operation awaits while holding it, so each LINE call is atomic, as a retry-key check must be.

Time comes from `clock` (seconds since the epoch, `time.time` by default) so tests can move it to
expire reply tokens (60 s) and retry keys (24 h) without sleeping.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import random
import secrets
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import orjson

from linesim.validation import LIMITS, image_size


class EmulatorError(ValueError):
    """Something LINE's app would not let a user do (write to a group the bot isn't in, follow twice…).
    The message is one Thai line for the simulator page."""


QuotaType = Literal["none", "limited"]

# The endpoints, by the names used for latency, rate limits, faults and recordings.
ENDPOINTS: Final = (
    "reply",
    "push",
    "multicast",
    "profile",
    "group_summary",
    "group_member_count",
    "group_member_profile",
    "group_leave",
    "quota",
    "quota_consumption",
    "loading",
    "richmenu_create",
    "richmenu_validate",
    "richmenu_list",
    "richmenu_get",
    "richmenu_delete",
    "richmenu_image_upload",
    "richmenu_image_download",
    "richmenu_default_set",
    "richmenu_default_get",
    "richmenu_default_cancel",
    "richmenu_alias_create",
    "richmenu_alias_list",
    "richmenu_alias_get",
    "richmenu_alias_update",
    "richmenu_alias_delete",
    "unknown",
)
SENDING_ENDPOINTS: Final = frozenset({"reply", "push", "multicast"})
# Types whose sent message can be quoted later, so LINE returns a quoteToken for them.
_QUOTABLE: Final = frozenset({"text", "textV2", "sticker", "image", "video"})

AUTH_FAILED: Final = (
    "Authentication failed. Confirm that the access token in the authorization header is valid."
)
RATE_LIMITED: Final = "The API rate limit has been exceeded. Try again later."
MONTHLY_LIMIT: Final = "You have reached your monthly limit."
INVALID_REPLY_TOKEN: Final = "Invalid reply token"  # noqa: S105 - LINE's error message
RETRY_KEY_ACCEPTED: Final = "The retry key is already accepted"
NOT_FOUND: Final = "Not found"
SERVER_ERROR: Final = "An error occurred in the server. Try again later."
RICH_MENU_NOT_FOUND: Final = "richmenu not found"
RICH_MENU_LIMIT: Final = "The number of rich menus has reached the upper limit (1000)"
RICH_MENU_IMAGE_TOO_LARGE: Final = "The image file is too large (at most 1 MB)"
RICH_MENU_IMAGE_EXISTS: Final = "An image has already been uploaded to the richmenu"
RICH_MENU_IMAGE_SIZE: Final = "The image size must match the rich menu's size"
RICH_MENU_NO_IMAGE: Final = "must upload richmenu image before applying it to user"
NO_DEFAULT_RICH_MENU: Final = "no default richmenu"
RICH_MENU_ALIAS_CONFLICT: Final = "conflict richmenu alias id"
RICH_MENU_ALIAS_LIMIT: Final = "The number of rich menu aliases has reached the upper limit (1000)"
RICH_MENU_ALIAS_NOT_FOUND: Final = "richmenu alias not found"


def invalid_property(name: str) -> str:
    return f"The property, '{name}', in the request body is invalid (line: -, column: -)"


def line_error(message: str, details: Sequence[Mapping[str, str]] = ()) -> dict[str, Any]:
    """LINE's error body: `{"message": ..., "details": [...]}` (details only when there are some)."""
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = list(details)
    return body


@dataclass
class User:
    """A LINE user who has added the bot as a friend (push and profile work for them)."""

    user_id: str
    display_name: str
    picture_url: str | None = None
    language: str | None = None
    status_message: str | None = None

    def profile(self) -> dict[str, Any]:
        """As `GET /v2/bot/profile/{userId}` answers (absent fields are left out, as LINE does)."""
        answer = {"userId": self.user_id, "displayName": self.display_name}
        for key, value in (
            ("pictureUrl", self.picture_url),
            ("language", self.language),
            ("statusMessage", self.status_message),
        ):
            if value is not None:
                answer[key] = value
        return answer

    def to_json(self) -> dict[str, Any]:
        return self.profile()


@dataclass
class Group:
    """A group chat. `member_count` excludes the bot; each push to the group costs that much quota."""

    group_id: str
    name: str
    member_count: int
    picture_url: str | None = None
    bot_is_member: bool = True
    member_ids: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        answer = {"groupId": self.group_id, "groupName": self.name}
        if self.picture_url is not None:
            answer["pictureUrl"] = self.picture_url
        return answer

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "memberCount": self.member_count,
            "botIsMember": self.bot_is_member,
            "memberIds": list(self.member_ids),
        }


@dataclass
class RichMenu:
    """A rich menu as created (the validated request), with its image once uploaded."""

    rich_menu_id: str
    menu: Mapping[str, Any]
    image: bytes | None = None
    image_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As `GET /v2/bot/richmenu/{richMenuId}` answers."""
        return {"richMenuId": self.rich_menu_id, **self.menu}


@dataclass(frozen=True)
class StandInConfig:
    """How the stand-in behaves. Change it at runtime with `configure(**changes)` or POST /_standin/config.

    - `latency_ms` before every answer (awaited, not blocking), `latency_by_endpoint` overrides it
      per endpoint (names in `ENDPOINTS`), `jitter_ms` adds a random 0..N ms.
    - `error_rate`: fraction answered 500 on arrival, nothing processed. `error_after_accept_rate`:
      fraction of accepted sends (push, multicast, reply) answered 500 although delivered, retry key
      recorded and reply token used. `too_many_requests_rate`: fraction answered 429 on arrival.
      `seed` makes these reproducible.
    - `rate_limit` (requests/s, None = unlimited) is each endpoint's token bucket, except those named
      in `rate_limits`; LINE allows 2,000/s for most endpoints and 200/s for multicast. A bucket
      holds `burst_seconds` worth of requests.
    - `reply_token_ttl_s`: issued reply tokens expire (LINE: 1 minute). `strict_reply_tokens`: only
      issued tokens are valid (otherwise any unseen token works once). `retry_key_ttl_s`: how long
      an accepted `X-Line-Retry-Key` answers 409 (LINE: 24 hours).
    - `auto_create_targets`: unknown `U…` ids become friends and `C…`/`R…` ids groups of
      `auto_group_member_count` members, for local runs with a world nobody set up.
    - `max_recorded`: requests kept in memory (the oldest go first; indexes keep counting).
    """

    latency_ms: float = 0.0
    latency_by_endpoint: Mapping[str, float] = field(default_factory=dict)
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    error_after_accept_rate: float = 0.0
    too_many_requests_rate: float = 0.0
    rate_limit: float | None = 2000.0
    rate_limits: Mapping[str, float | None] = field(default_factory=lambda: {"multicast": 200.0})
    burst_seconds: float = 1.0
    reply_token_ttl_s: float = 60.0
    strict_reply_tokens: bool = False
    retry_key_ttl_s: float = 24 * 3600.0
    auto_create_targets: bool = False
    auto_group_member_count: int = 10
    max_recorded: int = 200_000
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "error_after_accept_rate", "too_many_requests_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        for name in ("latency_ms", "jitter_ms", "reply_token_ttl_s", "retry_key_ttl_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.burst_seconds <= 0 or self.max_recorded < 1:
            raise ValueError("burst_seconds and max_recorded must be positive")
        unknown = (set(self.latency_by_endpoint) | set(self.rate_limits)) - set(ENDPOINTS)
        if unknown:
            raise ValueError(f"unknown endpoints {sorted(unknown)}; known: {', '.join(ENDPOINTS)}")

    def replace(self, **changes: Any) -> StandInConfig:
        """A copy with `changes`; unknown names raise TypeError, bad values ValueError."""
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received (Authorization header removed) and the status it was answered.

    The body is kept as the bytes received and parsed when first read (`body`). Kept parsed, the
    requests of a long run are millions of objects that each garbage collection walks: with a few
    thousand Flex replies recorded, every new request cost three times as much (bench/webhook.py).
    """

    index: int
    time: float
    endpoint: str
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    raw_body: bytes | None  # None: not kept (over the size limit)
    status: int
    request_id: str
    retry_key: str | None
    fault: str | None
    response: Mapping[str, Any] | None = None  # the JSON answered (LINE's error body on a refusal)

    @functools.cached_property
    def body(self) -> Any:
        """The body as JSON; None when it was empty, not kept or not JSON."""
        return json_or_none(self.raw_body)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "time": self.time,
            "endpoint": self.endpoint,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": dict(self.headers),
            "body": self.body,
            "status": self.status,
            "requestId": self.request_id,
            "retryKey": self.retry_key,
            "fault": self.fault,
            "response": None if self.response is None else dict(self.response),
        }


@dataclass(frozen=True)
class Delivery:
    """Messages LINE accepted for delivery: one per push target, per multicast recipient, per reply.

    The messages are kept encoded and parsed when first read, as a recorded request's body is.
    """

    index: int
    time: float
    via: str
    to: str | None
    encoded_messages: bytes
    request_id: str
    retry_key: str | None

    @functools.cached_property
    def messages(self) -> Sequence[Mapping[str, Any]]:
        messages: list[Mapping[str, Any]] = orjson.loads(self.encoded_messages)
        return messages

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "time": self.time,
            "via": self.via,
            "to": self.to,
            "messages": list(self.messages),
            "requestId": self.request_id,
            "retryKey": self.retry_key,
        }


@dataclass(frozen=True)
class Answer:
    """What to send back: status, JSON body and extra headers; `fault` names an injected failure."""

    status: int
    body: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    fault: str | None = None
    # A file rather than JSON (a rich menu's image): these bytes, of this type, are the answer.
    content: bytes | None = None
    content_type: str = "application/json"


@dataclass
class _ScriptedFailure:
    remaining: int
    status: int
    endpoint: str | None


@dataclass
class _ReplyToken:
    issued_at: float | None
    chat_id: str | None
    used: bool = False


@dataclass(frozen=True)
class _AcceptedKey:
    request_id: str
    accepted_at: float
    sent_messages: list[dict[str, str]]


class TokenBucket:
    """`rate` tokens per second, holding at most `capacity`; `take()` spends one if there is one."""

    def __init__(self, rate: float, capacity: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.capacity, self._clock = rate, capacity, clock
        self._tokens = capacity
        self._updated = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class StandInState:
    """The LINE channel the stand-in plays: its token, world, rules, faults and recordings."""

    # Set by _reset_locked (at construction and on reset()).
    _config: StandInConfig
    _random: random.Random
    _buckets: dict[str, TokenBucket]
    _scripted: deque[_ScriptedFailure]
    _users: dict[str, User]
    _groups: dict[str, Group]
    _quota: tuple[QuotaType, int | None]
    _consumption: int
    _reply_tokens: dict[str, _ReplyToken]
    _retry_keys: dict[str, _AcceptedKey]
    _records: list[RecordedRequest]
    _records_dropped: int
    _deliveries: list[Delivery]
    _delivery_counts: Counter[str]
    _rich_menus: dict[str, RichMenu]
    _default_rich_menu: str | None
    _rich_menu_aliases: dict[str, str]

    def __init__(
        self,
        token: str,
        config: StandInConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.clock = clock
        self._initial_config = config or StandInConfig()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._message_ids = itertools.count(600_000_000_000_000_000)
        self._reset_locked()

    # --- Configuration and faults ---------------------------------------------------------------

    @property
    def config(self) -> StandInConfig:
        return self._config

    def configure(self, **changes: Any) -> StandInConfig:
        """Change the behaviour (any `StandInConfig` field); returns the new configuration."""
        with self._lock:
            self._config = self._config.replace(**changes)
            self._buckets.clear()
            if "seed" in changes:
                self._random = _fault_random(self._config.seed)
            return self._config

    def fail_next(self, count: int, status: int = 500, endpoint: str | None = None) -> None:
        """Answer the next `count` requests (to `endpoint`, or any) with `status`, before processing."""
        if count < 1 or not 400 <= status <= 599:
            raise ValueError("count must be positive and status a 4xx or 5xx code")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}; known: {', '.join(ENDPOINTS)}")
        with self._lock:
            self._scripted.append(_ScriptedFailure(count, status, endpoint))

    def reset(self, *, keep_world: bool = False) -> None:
        """Back to the state at construction: configuration, faults, recordings; the world too unless kept."""
        with self._lock:
            users, groups, quota = self._users, self._groups, self._quota
            menus = self._rich_menus, self._default_rich_menu, self._rich_menu_aliases
            self._reset_locked()
            if keep_world:
                self._users, self._groups, self._quota = users, groups, quota
                self._rich_menus, self._default_rich_menu, self._rich_menu_aliases = menus

    def _reset_locked(self) -> None:
        self._config = self._initial_config
        self._random = _fault_random(self._config.seed)
        self._buckets = {}
        self._scripted = deque()
        self._users = {}
        self._groups = {}
        self._quota = ("none", None)
        self._consumption = 0
        self._reply_tokens = {}
        self._retry_keys = {}
        self._records = []
        self._records_dropped = 0
        self._deliveries = []
        self._delivery_counts = Counter()
        self._rich_menus = {}
        self._default_rich_menu = None
        self._rich_menu_aliases = {}

    def latency_for(self, endpoint: str) -> float:
        """Seconds to wait before answering a request to `endpoint`."""
        config = self._config
        millis = config.latency_by_endpoint.get(endpoint, config.latency_ms)
        if config.jitter_ms:
            with self._lock:
                millis += self._random.uniform(0.0, config.jitter_ms)
        return millis / 1000.0

    def admit(self, endpoint: str) -> Answer | None:
        """The failure to answer at arrival, if any: scripted, rate limit, random 500 or 429."""
        with self._lock:
            for scripted in self._scripted:
                if scripted.endpoint in (None, endpoint):
                    scripted.remaining -= 1
                    if not scripted.remaining:
                        self._scripted.remove(scripted)
                    message = RATE_LIMITED if scripted.status == 429 else SERVER_ERROR
                    return Answer(scripted.status, line_error(message), fault="scripted")
            if not self._bucket(endpoint):
                return Answer(429, line_error(RATE_LIMITED), fault="rate_limit")
            config = self._config
            if config.error_rate and self._random.random() < config.error_rate:
                return Answer(500, line_error(SERVER_ERROR), fault="error")
            if config.too_many_requests_rate and self._random.random() < config.too_many_requests_rate:
                return Answer(429, line_error(RATE_LIMITED), fault="too_many_requests")
        return None

    def _bucket(self, endpoint: str) -> bool:
        config = self._config
        rate = config.rate_limits.get(endpoint, config.rate_limit)
        if not rate:
            return True
        bucket = self._buckets.get(endpoint)
        if bucket is None:
            bucket = self._buckets[endpoint] = TokenBucket(rate, max(1.0, rate * config.burst_seconds))
        return bucket.take()

    def _fails_after_accept(self) -> bool:
        rate = self._config.error_after_accept_rate
        return bool(rate) and self._random.random() < rate

    # --- The world ------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        display_name: str | None = None,
        *,
        picture_url: str | None = None,
        language: str | None = None,
        status_message: str | None = None,
    ) -> User:
        """Add (or replace) a user who is the bot's friend."""
        user = User(user_id, display_name or f"User {user_id[-6:]}", picture_url, language, status_message)
        with self._lock:
            self._users[user_id] = user
        return user

    def add_group(
        self,
        group_id: str,
        name: str | None = None,
        *,
        member_count: int | None = None,
        picture_url: str | None = None,
        bot_is_member: bool = True,
        member_ids: Iterable[str] = (),
    ) -> Group:
        """Add (or replace) a group; `member_count` defaults to len(member_ids), or 1 without them."""
        members = tuple(member_ids)
        count = member_count if member_count is not None else max(1, len(members))
        if count < 0:
            raise ValueError("member_count must not be negative")
        group = Group(group_id, name or f"Group {group_id[-6:]}", count, picture_url, bot_is_member, members)
        with self._lock:
            self._groups[group_id] = group
        return group

    def add_groups(self, count: int, *, member_count: int = 10, name_prefix: str = "Group") -> list[str]:
        """Bulk-create `count` groups the bot is in (ids like LINE's: C + 32 hex); returns their ids."""
        with self._lock:
            start = len(self._groups)
            ids = [f"C{index:032x}" for index in range(start, start + count)]
            for number, group_id in enumerate(ids, start=start + 1):
                self._groups[group_id] = Group(group_id, f"{name_prefix} {number}", member_count)
        return ids

    def set_bot_membership(self, group_id: str, member: bool) -> Group:
        """The bot joins (True) or leaves (False) a known group; KeyError if there is no such group."""
        with self._lock:
            group = self._groups[group_id]
            group.bot_is_member = member
            return group

    def add_group_member(self, group_id: str, user_id: str) -> Group:
        """`user_id` joins a known group (its member count grows by one unless already a member)."""
        with self._lock:
            group = self._groups[group_id]
            if user_id not in group.member_ids:
                group.member_ids = (*group.member_ids, user_id)
                group.member_count += 1
            return group

    def set_quota(self, quota_type: QuotaType = "limited", value: int | None = None) -> None:
        """`limited` with a monthly `value`, or `none` (no limit)."""
        if quota_type not in ("none", "limited") or (quota_type == "limited" and value is None):
            raise ValueError("quota is ('none', None) or ('limited', value)")
        with self._lock:
            self._quota = (quota_type, value)

    def set_consumption(self, total_usage: int) -> None:
        with self._lock:
            self._consumption = total_usage

    def user(self, user_id: str) -> User | None:
        with self._lock:
            return self._users.get(user_id)

    def group(self, group_id: str) -> Group | None:
        with self._lock:
            return self._groups.get(group_id)

    def world_json(self) -> dict[str, Any]:
        with self._lock:
            quota_type, value = self._quota
            return {
                "users": [user.to_json() for user in self._users.values()],
                "groups": [group.to_json() for group in self._groups.values()],
                "quota": {"type": quota_type, "value": value},
                "totalUsage": self._consumption,
            }

    @property
    def consumption(self) -> int:
        """Messages counted against the monthly quota so far."""
        return self._consumption

    def reply_token_chat(self, token: str) -> str | None:
        """The chat a reply token was issued for (None: not issued, or issued for no chat)."""
        with self._lock:
            issued = self._reply_tokens.get(token)
            return None if issued is None else issued.chat_id

    def issue_reply_token(
        self, chat_id: str | None = None, *, token: str | None = None, issued_at: float | None = None
    ) -> str:
        """A reply token as if LINE had just sent a webhook from `chat_id`; it expires after the TTL."""
        token = token or secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = _ReplyToken(self.clock() if issued_at is None else issued_at, chat_id)
        return token

    # --- Recordings -----------------------------------------------------------------------------

    def record(self, request: RecordedRequest) -> RecordedRequest:
        """Keep `request` (its index is assigned here) and wake anyone waiting for requests."""
        with self._lock:
            recorded = dataclasses.replace(request, index=self._records_dropped + len(self._records))
            self._records.append(recorded)
            excess = len(self._records) - self._config.max_recorded
            if excess > self._config.max_recorded // 10:
                del self._records[:excess]
                self._records_dropped += excess
            self._changed.notify_all()
        return recorded

    def received(self, since: int = 0, *, endpoint: str | None = None) -> list[RecordedRequest]:
        """Requests with index >= `since` (optionally to one endpoint), oldest first."""
        with self._lock:
            records = self._records[max(0, since - self._records_dropped) :]
        return [r for r in records if endpoint is None or r.endpoint == endpoint]

    def wait_for_requests(self, count: int, *, since: int = 0, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until at least `count` requests with index >= `since` are recorded; TimeoutError if not."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._records_dropped + len(self._records) - since < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"fewer than {count} requests after {timeout} s")
                self._changed.wait(remaining)
        return self.received(since)

    def deliveries(self, since: int = 0) -> list[Delivery]:
        """Every accepted delivery (push target, multicast recipient, reply), oldest first."""
        with self._lock:
            return self._deliveries[since:]

    def delivery_counts(self) -> dict[str, int]:
        """How many distinct accepted pushes (and multicasts) each target received."""
        with self._lock:
            return dict(self._delivery_counts)

    def messages_to(self, to: str) -> list[Mapping[str, Any]]:
        """Every message delivered to `to` (push, multicast, or reply to a token issued for `to`)."""
        with self._lock:
            return [message for d in self._deliveries if d.to == to for message in d.messages]

    # --- LINE's operations (called by the server with a validated body) ------------------------

    def push(self, body: Mapping[str, Any], retry_key: str | None, request_id: str) -> Answer:
        to = str(body["to"])
        with self._lock:
            if (accepted := self._accepted(retry_key)) is not None:
                return accepted
            cost = self._push_cost(to)
            if cost is None:
                return Answer(400, line_error(invalid_property("to")))
            if not self._within_quota(cost):
                return Answer(429, line_error(MONTHLY_LIMIT))
            return self._deliver("push", [to], cost, body["messages"], retry_key, request_id)

    def multicast(self, body: Mapping[str, Any], retry_key: str | None, request_id: str) -> Answer:
        recipients = list(dict.fromkeys(str(to) for to in body["to"]))
        with self._lock:
            if (accepted := self._accepted(retry_key)) is not None:
                return accepted
            for index, to in enumerate(recipients):
                if not self._known_user(to):
                    return Answer(400, line_error(invalid_property(f"to[{index}]")))
            if not self._within_quota(len(recipients)):
                return Answer(429, line_error(MONTHLY_LIMIT))
            answer = self._deliver(
                "multicast", recipients, len(recipients), body["messages"], retry_key, request_id
            )
        return answer if answer.status != 200 else dataclasses.replace(answer, body={})

    def reply(self, body: Mapping[str, Any], request_id: str) -> Answer:
        token_value = str(body["replyToken"])
        with self._lock:
            token = self._reply_tokens.get(token_value)
            if token is None:
                if self._config.strict_reply_tokens:
                    return Answer(400, line_error(INVALID_REPLY_TOKEN))
                token = self._reply_tokens[token_value] = _ReplyToken(None, None)
            expired = (
                token.issued_at is not None
                and self.clock() - token.issued_at > self._config.reply_token_ttl_s
            )
            if token.used or expired:
                return Answer(400, line_error(INVALID_REPLY_TOKEN))
            token.used = True
            sent = self._sent_messages(body["messages"])
            self._append_delivery("reply", token.chat_id, orjson.dumps(body["messages"]), None, request_id)
            return self._maybe_fail_after_accept(Answer(200, {"sentMessages": sent}))

    def profile(self, user_id: str) -> Answer:
        with self._lock:
            user = self._users.get(user_id)
            return Answer(200, user.profile()) if user else Answer(404, line_error(NOT_FOUND))

    def group_summary(self, group_id: str) -> Answer:
        with self._lock:
            group = self._joined_group(group_id)
            return Answer(200, group.summary()) if group else Answer(404, line_error(NOT_FOUND))

    def group_member_count(self, group_id: str) -> Answer:
        with self._lock:
            group = self._joined_group(group_id)
            return Answer(200, {"count": group.member_count}) if group else Answer(404, line_error(NOT_FOUND))

    def group_member_profile(self, group_id: str, user_id: str) -> Answer:
        with self._lock:
            group = self._joined_group(group_id)
            if group is None or user_id not in group.member_ids:
                return Answer(404, line_error(NOT_FOUND))
            user = self._users.get(user_id) or User(user_id, f"User {user_id[-6:]}")
            profile = {key: value for key, value in user.profile().items() if key != "statusMessage"}
            profile.pop("language", None)
            return Answer(200, profile)

    def leave_group(self, group_id: str) -> Answer:
        with self._lock:
            group = self._joined_group(group_id)
            if group is None:
                return Answer(404, line_error(NOT_FOUND))
            group.bot_is_member = False
            return Answer(200, {})

    def quota(self) -> Answer:
        with self._lock:
            quota_type, value = self._quota
        return Answer(200, {"type": quota_type} if value is None else {"type": quota_type, "value": value})

    def quota_consumption(self) -> Answer:
        return Answer(200, {"totalUsage": self._consumption})

    def show_loading(self, body: Mapping[str, Any]) -> Answer:
        seconds = body.get("loadingSeconds", 20)
        if isinstance(seconds, int) and seconds % 5:
            detail = {"message": "must be a multiple of 5", "property": "loadingSeconds"}
            return Answer(400, line_error("The request body has 1 error(s)", [detail]))
        with self._lock:
            if not self._known_user(str(body["chatId"])):
                return Answer(400, line_error(invalid_property("chatId")))
        return Answer(202, {})

    # --- Rich menus (the body is checked against the spec and LINE's rules by the server) --------

    def create_rich_menu(self, menu: Mapping[str, Any]) -> Answer:
        with self._lock:
            if len(self._rich_menus) >= LIMITS.rich_menus:
                return Answer(400, line_error(RICH_MENU_LIMIT))
            rich_menu_id = f"richmenu-{uuid.uuid4().hex}"
            self._rich_menus[rich_menu_id] = RichMenu(rich_menu_id, dict(menu))
        return Answer(200, {"richMenuId": rich_menu_id})

    def rich_menu(self, rich_menu_id: str) -> Answer:
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            return Answer(200, menu.to_json()) if menu else Answer(404, line_error(RICH_MENU_NOT_FOUND))

    def rich_menu_list(self) -> Answer:
        with self._lock:
            return Answer(200, {"richmenus": [menu.to_json() for menu in self._rich_menus.values()]})

    def delete_rich_menu(self, rich_menu_id: str) -> Answer:
        """Deleting the default menu leaves no default; aliases keep their id (LINE's)."""
        with self._lock:
            if self._rich_menus.pop(rich_menu_id, None) is None:
                return Answer(404, line_error(RICH_MENU_NOT_FOUND))
            if self._default_rich_menu == rich_menu_id:
                self._default_rich_menu = None
        return Answer(200, {})

    def upload_rich_menu_image(self, rich_menu_id: str, content_type: str, image: bytes) -> Answer:
        """The image once per menu: PNG or JPEG, at most 1 MB, exactly the menu's size."""
        if content_type not in LIMITS.rich_menu_image_types:
            return Answer(415, line_error(f"Unsupported Content-Type: {content_type or '(none)'}"))
        if len(image) > LIMITS.rich_menu_image_bytes:
            return Answer(413, line_error(RICH_MENU_IMAGE_TOO_LARGE))
        size = image_size(image, content_type)
        if size is None:
            return Answer(400, line_error(f"The image is not a valid {content_type} file"))
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            if menu is None:
                return Answer(404, line_error(RICH_MENU_NOT_FOUND))
            if menu.image is not None:
                return Answer(400, line_error(RICH_MENU_IMAGE_EXISTS))
            expected = (menu.menu["size"]["width"], menu.menu["size"]["height"])
            if size != expected:
                message = (
                    f"{RICH_MENU_IMAGE_SIZE} (image {size[0]}x{size[1]}, menu {expected[0]}x{expected[1]})"
                )
                return Answer(400, line_error(message))
            menu.image, menu.image_type = image, content_type
        return Answer(200, {})

    def rich_menu_image(self, rich_menu_id: str) -> tuple[bytes, str] | None:
        """The uploaded image and its type (None: no such menu, or no image yet)."""
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            if menu is None or menu.image is None or menu.image_type is None:
                return None
            return menu.image, menu.image_type

    def set_default_rich_menu(self, rich_menu_id: str) -> Answer:
        with self._lock:
            menu = self._rich_menus.get(rich_menu_id)
            if menu is None:
                return Answer(404, line_error(RICH_MENU_NOT_FOUND))
            if menu.image is None:
                return Answer(400, line_error(RICH_MENU_NO_IMAGE))
            self._default_rich_menu = rich_menu_id
        return Answer(200, {})

    def default_rich_menu(self) -> Answer:
        with self._lock:
            if self._default_rich_menu is None:
                return Answer(404, line_error(NO_DEFAULT_RICH_MENU))
            return Answer(200, {"richMenuId": self._default_rich_menu})

    def default_rich_menu_json(self) -> dict[str, Any] | None:
        """The default menu as `GET /v2/bot/richmenu/{id}` answers it (None: no default)."""
        with self._lock:
            menu = self._rich_menus.get(self._default_rich_menu or "")
            return None if menu is None else menu.to_json()

    def cancel_default_rich_menu(self) -> Answer:
        with self._lock:
            self._default_rich_menu = None
        return Answer(200, {})

    def create_rich_menu_alias(self, alias: str, rich_menu_id: str) -> Answer:
        with self._lock:
            if alias in self._rich_menu_aliases:
                return Answer(400, line_error(RICH_MENU_ALIAS_CONFLICT))
            if len(self._rich_menu_aliases) >= LIMITS.rich_menu_aliases:
                return Answer(400, line_error(RICH_MENU_ALIAS_LIMIT))
            if rich_menu_id not in self._rich_menus:
                return Answer(400, line_error(RICH_MENU_NOT_FOUND))
            self._rich_menu_aliases[alias] = rich_menu_id
        return Answer(200, {})

    def update_rich_menu_alias(self, alias: str, rich_menu_id: str) -> Answer:
        with self._lock:
            if alias not in self._rich_menu_aliases:
                return Answer(404, line_error(RICH_MENU_ALIAS_NOT_FOUND))
            if rich_menu_id not in self._rich_menus:
                return Answer(400, line_error(RICH_MENU_NOT_FOUND))
            self._rich_menu_aliases[alias] = rich_menu_id
        return Answer(200, {})

    def rich_menu_alias(self, alias: str) -> Answer:
        with self._lock:
            target = self._rich_menu_aliases.get(alias)
            if target is None:
                return Answer(404, line_error(RICH_MENU_ALIAS_NOT_FOUND))
            return Answer(200, {"richMenuAliasId": alias, "richMenuId": target})

    def rich_menu_alias_list(self) -> Answer:
        with self._lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": m} for a, m in self._rich_menu_aliases.items()]
        return Answer(200, {"aliases": aliases})

    def delete_rich_menu_alias(self, alias: str) -> Answer:
        with self._lock:
            if self._rich_menu_aliases.pop(alias, None) is None:
                return Answer(404, line_error(RICH_MENU_ALIAS_NOT_FOUND))
        return Answer(200, {})

    # --- Helpers, called with the lock held ----------------------------------------------------

    def _accepted(self, retry_key: str | None) -> Answer | None:
        if retry_key is None:
            return None
        accepted = self._retry_keys.get(retry_key)
        if accepted is None:
            return None
        if self.clock() - accepted.accepted_at >= self._config.retry_key_ttl_s:
            del self._retry_keys[retry_key]
            return None
        return Answer(
            409,
            {"message": RETRY_KEY_ACCEPTED, "sentMessages": accepted.sent_messages},
            {"x-line-accepted-request-id": accepted.request_id},
        )

    def _known_user(self, user_id: str) -> bool:
        if user_id in self._users:
            return True
        if self._config.auto_create_targets and user_id.startswith("U"):
            self._users[user_id] = User(user_id, f"User {user_id[-6:]}")
            return True
        return False

    def _joined_group(self, group_id: str) -> Group | None:
        group = self._groups.get(group_id)
        if group is None and self._config.auto_create_targets and group_id.startswith(("C", "R")):
            count = self._config.auto_group_member_count
            group = self._groups[group_id] = Group(group_id, f"Group {group_id[-6:]}", count)
        return group if group is not None and group.bot_is_member else None

    def _push_cost(self, to: str) -> int | None:
        if self._known_user(to):
            return 1
        group = self._joined_group(to)
        return None if group is None else group.member_count

    def _within_quota(self, cost: int) -> bool:
        quota_type, value = self._quota
        return quota_type == "none" or value is None or self._consumption + cost <= value

    def _deliver(
        self,
        via: str,
        recipients: list[str],
        cost: int,
        messages: Sequence[Mapping[str, Any]],
        retry_key: str | None,
        request_id: str,
    ) -> Answer:
        sent = self._sent_messages(messages)
        encoded = orjson.dumps(messages)
        for to in recipients:
            self._append_delivery(via, to, encoded, retry_key, request_id)
            self._delivery_counts[to] += 1
        self._consumption += cost
        if retry_key is not None:
            self._retry_keys[retry_key] = _AcceptedKey(request_id, self.clock(), sent)
        return self._maybe_fail_after_accept(Answer(200, {"sentMessages": sent}))

    def _append_delivery(
        self,
        via: str,
        to: str | None,
        encoded_messages: bytes,
        retry_key: str | None,
        request_id: str,
    ) -> None:
        index = len(self._deliveries)
        self._deliveries.append(
            Delivery(index, self.clock(), via, to, encoded_messages, request_id, retry_key)
        )

    def _maybe_fail_after_accept(self, answer: Answer) -> Answer:
        if self._fails_after_accept():
            return Answer(500, line_error(SERVER_ERROR), fault="error_after_accept")
        return answer

    def _sent_messages(self, messages: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
        sent = []
        for message in messages:
            entry = {"id": str(next(self._message_ids))}
            if message.get("type") in _QUOTABLE:
                entry["quoteToken"] = secrets.token_urlsafe(24)
            sent.append(entry)
        return sent


def _fault_random(seed: int | None) -> random.Random:
    """The generator deciding random faults: seedable, so a failing run can be replayed."""
    return random.Random(seed)  # noqa: S311 - faults, not secrets


def json_or_none(raw: bytes | None) -> Any:
    """`raw` parsed as JSON; None when it is empty, None or not JSON."""
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def new_request_id() -> str:
    return str(uuid.uuid4())
