"""linesim: a stand-in for LINE's Messaging API, strict like LINE, fast, and able to misbehave.

LINE is unreachable from tests, benchmarks and local runs; the bot reaches LINE through
`LINE_API_BASE_URL`, and this package answers there. Importing it does nothing: no spec is loaded, no
server starts.

Embedding (tests, benchmarks)::

    from linesim import LineStandIn

    with LineStandIn(token="t", latency_ms=40) as standin:       # own thread, event loop, free port
        standin.add_user("U1", "Somchai")
        standin.add_groups(7850, member_count=20)
        standin.set_quota("limited", 200_000)
        ...  # point the bot at standin.base_url
        assert set(standin.delivery_counts().values()) == {1}   # every group exactly once

    @pytest.fixture
    def standin() -> Iterator[LineStandIn]:
        with LineStandIn(token="test-token") as running:
            yield running

The other half of LINE, the users: `Emulator` (`emulator.py`) is a `LineStandIn` that also plays
the officials who write to the bot. It builds their webhook events (`events.py`, checked against
`spec/webhook.yml`), signs them with the channel secret and POSTs them to the bot's `/callback`, keeps
each chat's conversation (what users sent, what the bot replied or pushed, what LINE refused), and
serves a chat simulator at `/simulator` (`simulator.py`, `page/`). `flask --app wsgi serve` runs the bot
against it when no LINE channel is configured (`bot/devseed.py` seeds its world)::

    with Emulator(token="t", channel_secret="s", webhook_url="http://127.0.0.1:8000/callback") as line:
        line.add_official("U…", "สมชาย ใจดี")
        line.say("U…", "ข้อสั่งการล่าสุด")             # the bot's real /callback, signed
        line.conversation("U…")                         # [the message, the bot's carousel]

Out of process: `python -m linesim --host 127.0.0.1 --port 9000 --token TOKEN [--latency-ms 40]
[--rate 2000] [--error-rate 0.05] [--error-after-accept-rate 0.02] [--groups 7850] ...` (see --help).

LINE's endpoints (paths, JSON bodies and error bodies `{"message", "details"}` as LINE's):
`POST /v2/bot/message/reply` (reply token single-use; tokens issued by `issue_reply_token` expire
after 60 s; `X-Line-Retry-Key` refused), `POST /v2/bot/message/push` (`X-Line-Retry-Key`: UUID,
a repeat within 24 h → 409 + `x-line-accepted-request-id`; quota: a group costs its member count),
`POST /v2/bot/message/multicast`, `GET /v2/bot/profile/{userId}`, `GET /v2/bot/group/{groupId}/summary`,
`GET /v2/bot/group/{groupId}/members/count`, `GET /v2/bot/group/{groupId}/member/{userId}`,
`POST /v2/bot/group/{groupId}/leave`, `GET /v2/bot/message/quota`,
`GET /v2/bot/message/quota/consumption`, `POST /v2/bot/chat/loading/start`; rich menus:
`POST /v2/bot/richmenu` and `/validate` (size 800–2500 wide, ≥ 250 high, width/height ≥ 1.45, areas
inside it), `GET /v2/bot/richmenu/list`, `GET|DELETE /v2/bot/richmenu/{richMenuId}`,
`POST|GET /v2/bot/richmenu/{richMenuId}/content` (LINE's data host: PNG or JPEG, ≤ 1 MB, the menu's
exact size, once), `POST /v2/bot/user/all/richmenu/{richMenuId}` (needs the image),
`GET|DELETE /v2/bot/user/all/richmenu`, `POST /v2/bot/richmenu/alias`, `GET /v2/bot/richmenu/alias/list`,
`GET|POST|DELETE /v2/bot/richmenu/alias/{richMenuAliasId}`. Every answer carries
`x-line-request-id`; every request needs `Authorization: Bearer <token>` (else 401). Bodies are
validated against `spec/messaging-api.yml` following its discriminators, plus LINE's limits
(`validation.LIMITS`); see `validate_messages`.

Control API (no auth; JSON; names as `StandInConfig` and the Python methods):

=======================================  =========================================================
`GET  /_standin/health`                  `{"ok": true}`
`GET  /_standin/received?since=N`        `{"requests": [...], "next": M}`; `&endpoint=push` filters;
                                         `&summary=1`: `{"count", "statuses": {"200": n},
                                         "lastTime": {"200": epoch}, "next"}`, no bodies
`GET  /_standin/deliveries`              `{"counts": {to: n}, "total": n}`; `?detail=1[&since=N]`
                                         adds `"deliveries": [{via, to, messages, requestId, ...}]`
`GET  /_standin/config`                  the current `StandInConfig` as JSON
`POST /_standin/config`                  partial update, e.g. `{"latency_ms": 40, "error_rate": 0.05,
                                         "latency_by_endpoint": {"push": 100}, "rate_limit": 2000,
                                         "rate_limits": {"push": 10}, "seed": 7}`
`POST /_standin/fail-next`               `{"count": 3, "status": 500, "endpoint": "push"}`
`GET  /_standin/world`                   users, groups, quota, totalUsage
`POST /_standin/world`                   `{"users": [{"userId", "displayName", "pictureUrl",
                                         "language"}], "groups": [{"groupId", "groupName",
                                         "memberCount", "pictureUrl", "botIsMember", "memberIds"}],
                                         "bulkGroups": {"count": 7850, "memberCount": 20},
                                         "quota": {"type": "limited", "value": 1000},
                                         "totalUsage": 0}` → `{"createdGroupIds": [...], ...}`
`POST /_standin/reply-tokens`            `{"chatId"?, "replyToken"?, "issuedAt"?}` → `{"replyToken"}`
`POST /_standin/reset`                   back to the start-up state; `{"keepWorld": true}` keeps
                                         users, groups and quota
=======================================  =========================================================
"""

from linesim.emulator import ChatItem, Emulator, WebhookCall
from linesim.server import LineApi, LineStandIn
from linesim.state import (
    ENDPOINTS,
    Delivery,
    EmulatorError,
    Group,
    RecordedRequest,
    StandInConfig,
    StandInState,
    User,
)
from linesim.validation import (
    LIMITS,
    MessagingSpec,
    ValidationProblem,
    message_problems,
    utf16_units,
    validate_messages,
)

__all__ = [
    "ENDPOINTS",
    "LIMITS",
    "ChatItem",
    "Delivery",
    "Emulator",
    "EmulatorError",
    "Group",
    "LineApi",
    "LineStandIn",
    "MessagingSpec",
    "RecordedRequest",
    "StandInConfig",
    "StandInState",
    "User",
    "ValidationProblem",
    "WebhookCall",
    "message_problems",
    "utf16_units",
    "validate_messages",
]
