"""The LINE stand-in (`linesim`), through real HTTP: requests, line-bot-sdk v3 and aiohttp clients.

One stand-in serves the module (its port is bound once); each test starts from `reset()` with a
small world: one user, one group of 20 members. Time is a fake clock the tests move forward to
expire reply tokens and retry keys without sleeping.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    QuotaType,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)

from linesim import LineStandIn, StandInConfig, utf16_units, validate_messages
from linesim.validation import default_spec

TOKEN = "test-channel-access-token"
USER = "U" + "1" * 32
OTHER_USER = "U" + "2" * 32
GROUP = "C" + "a" * 32
ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    """Wall-clock time plus an offset the tests move forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def server(clock: FakeClock) -> Iterator[LineStandIn]:
    with LineStandIn(token=TOKEN, clock=clock) as running:
        yield running


@pytest.fixture
def standin(server: LineStandIn, clock: FakeClock) -> LineStandIn:
    server.reset()
    clock.offset = 0.0
    server.add_user(USER, "สมชาย ใจดี", picture_url="https://example.com/somchai.png", language="th")
    server.add_group(GROUP, "อบต. บ้านใหม่", member_count=20, member_ids=[USER])
    return server


@pytest.fixture
def http(standin: LineStandIn) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        yield session


@pytest.fixture
def line_api(standin: LineStandIn) -> Iterator[MessagingApi]:
    with ApiClient(Configuration(host=standin.base_url, access_token=TOKEN)) as client:
        yield MessagingApi(client)
        client.rest_client.pool_manager.clear()  # ApiClient.close() leaves its sockets open


def text(value: str = "สวัสดีครับ") -> dict[str, Any]:
    return {"type": "text", "text": value}


def push(
    http: requests.Session,
    standin: LineStandIn,
    to: str,
    messages: list[Any],
    retry_key: str | None = None,
    timeout: float = 5.0,
) -> requests.Response:
    headers = {"X-Line-Retry-Key": retry_key} if retry_key else {}
    return http.post(
        f"{standin.base_url}/v2/bot/message/push",
        json={"to": to, "messages": messages},
        headers=headers,
        timeout=timeout,
    )


def push_raw(http: requests.Session, standin: LineStandIn, data: bytes | str) -> requests.Response:
    """A push whose body is sent as given, not encoded from JSON."""
    return http.post(
        f"{standin.base_url}/v2/bot/message/push",
        data=data,
        headers={"Content-Type": "application/json"},
        timeout=5,
    )


def bubble(*contents: dict[str, Any]) -> dict[str, Any]:
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": list(contents)}}


def flex(contents: dict[str, Any], alt_text: str = "ประกาศ") -> dict[str, Any]:
    return {"type": "flex", "altText": alt_text, "contents": contents}


def quick_reply(count: int) -> dict[str, Any]:
    item = {"type": "action", "action": {"type": "message", "label": "ตกลง", "text": "ตกลง"}}
    return {"items": [item] * count}


# --- Authentication, request ids, recording ------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}"])
def test_requests_without_the_channel_token_are_refused(
    standin: LineStandIn, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = requests.post(
        f"{standin.base_url}/v2/bot/message/push",
        json={"to": USER, "messages": [text()]},
        headers=headers,
        timeout=5,
    )
    assert answer.status_code == 401
    assert answer.json()["message"].startswith("Authentication failed")
    [recorded] = standin.received()
    assert recorded.status == 401 and "Authorization" not in recorded.headers
    assert standin.delivery_counts() == {}


def test_every_answer_carries_a_fresh_request_id(http: requests.Session, standin: LineStandIn) -> None:
    answers = [
        push(http, standin, USER, [text()]),
        push(http, standin, "Cunknown", [text()]),
        http.get(f"{standin.base_url}/v2/bot/message/quota", timeout=5),
        http.get(f"{standin.base_url}/v2/bot/no/such/path", timeout=5),
    ]
    assert [a.status_code for a in answers] == [200, 400, 200, 404]
    ids = [a.headers["x-line-request-id"] for a in answers]
    assert len(set(ids)) == 4
    assert [r.request_id for r in standin.received()] == ids


def test_push_through_the_sdk_is_accepted_recorded_and_delivered(
    line_api: MessagingApi, standin: LineStandIn
) -> None:
    key = str(uuid.uuid4())
    answer = line_api.push_message(
        PushMessageRequest(to=GROUP, messages=[TextMessage(text="ประชุมวันจันทร์")], notificationDisabled=True),
        x_line_retry_key=key,
    )
    assert len(answer.sent_messages) == 1 and answer.sent_messages[0].quote_token
    [recorded] = standin.received()
    assert (recorded.endpoint, recorded.status, recorded.retry_key) == ("push", 200, key)
    assert recorded.body == {
        "to": GROUP,
        "messages": [{"type": "text", "text": "ประชุมวันจันทร์"}],
        "notificationDisabled": True,
    }
    assert standin.delivery_counts() == {GROUP: 1}
    assert standin.messages_to(GROUP) == [{"type": "text", "text": "ประชุมวันจันทร์"}]


def test_push_to_a_stranger_or_a_group_the_bot_left_is_refused(
    http: requests.Session, standin: LineStandIn
) -> None:
    standin.add_group("Cleft", member_count=5, bot_is_member=False)
    for to in ("Unobody", "Cnowhere", "Cleft"):
        answer = push(http, standin, to, [text()])
        assert answer.status_code == 400
        assert "'to'" in answer.json()["message"]
    assert standin.delivery_counts() == {} and standin.consumption == 0


# --- Reply tokens --------------------------------------------------------------------------------


def test_a_reply_token_works_once(line_api: MessagingApi, standin: LineStandIn) -> None:
    token = standin.issue_reply_token(USER)
    request = ReplyMessageRequest(replyToken=token, messages=[TextMessage(text="รับทราบ")])
    assert line_api.reply_message(request).sent_messages
    with pytest.raises(ApiException) as refused:
        line_api.reply_message(request)
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["message"] == "Invalid reply token"
    assert standin.messages_to(USER) == [{"type": "text", "text": "รับทราบ"}]
    assert standin.consumption == 0  # replies are free


def test_an_unissued_reply_token_also_works_once(http: requests.Session, standin: LineStandIn) -> None:
    url = f"{standin.base_url}/v2/bot/message/reply"
    body: dict[str, Any] = {"replyToken": "made-up-by-a-test", "messages": [text()]}
    statuses = [http.post(url, json=body, timeout=5).status_code for _ in range(2)]
    assert statuses == [200, 400]


def test_issued_reply_tokens_expire_after_a_minute(
    http: requests.Session, standin: LineStandIn, clock: FakeClock
) -> None:
    fresh, stale = standin.issue_reply_token(USER), standin.issue_reply_token(USER)
    url = f"{standin.base_url}/v2/bot/message/reply"
    clock.offset = 59
    assert http.post(url, json={"replyToken": fresh, "messages": [text()]}, timeout=5).status_code == 200
    clock.offset = 61
    answer = http.post(url, json={"replyToken": stale, "messages": [text()]}, timeout=5)
    assert (answer.status_code, answer.json()["message"]) == (400, "Invalid reply token")


def test_strict_reply_tokens_accept_only_issued_ones(http: requests.Session, standin: LineStandIn) -> None:
    standin.configure(strict_reply_tokens=True)
    url = f"{standin.base_url}/v2/bot/message/reply"
    issued = standin.issue_reply_token(USER)
    assert http.post(url, json={"replyToken": "made-up", "messages": [text()]}, timeout=5).status_code == 400
    assert http.post(url, json={"replyToken": issued, "messages": [text()]}, timeout=5).status_code == 200


def test_reply_refuses_a_retry_key(http: requests.Session, standin: LineStandIn) -> None:
    answer = http.post(
        f"{standin.base_url}/v2/bot/message/reply",
        json={"replyToken": standin.issue_reply_token(USER), "messages": [text()]},
        headers={"X-Line-Retry-Key": str(uuid.uuid4())},
        timeout=5,
    )
    assert answer.status_code == 400
    assert standin.deliveries() == []


# --- Retry keys ----------------------------------------------------------------------------------


def test_a_retry_key_must_be_a_uuid(http: requests.Session, standin: LineStandIn) -> None:
    assert push(http, standin, USER, [text()], retry_key="not-a-uuid").status_code == 400
    assert standin.delivery_counts() == {}


def test_a_repeated_retry_key_gets_409_and_nothing_is_delivered_again(
    http: requests.Session, standin: LineStandIn
) -> None:
    key = str(uuid.uuid4())
    first = push(http, standin, GROUP, [text()], retry_key=key)
    again = push(http, standin, GROUP, [text()], retry_key=key)
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert again.headers["x-line-request-id"] != first.headers["x-line-request-id"]
    assert again.json()["sentMessages"] == first.json()["sentMessages"]
    assert standin.delivery_counts() == {GROUP: 1}
    assert standin.consumption == 20


def test_a_retry_key_is_forgotten_after_24_hours(
    http: requests.Session, standin: LineStandIn, clock: FakeClock
) -> None:
    key = str(uuid.uuid4())
    assert push(http, standin, USER, [text()], retry_key=key).status_code == 200
    clock.offset = 24 * 3600 - 1
    assert push(http, standin, USER, [text()], retry_key=key).status_code == 409
    clock.offset = 24 * 3600 + 1
    assert push(http, standin, USER, [text()], retry_key=key).status_code == 200
    assert standin.delivery_counts() == {USER: 2}


def test_a_500_after_accepting_then_a_retry_gets_409_and_exactly_one_delivery(
    line_api: MessagingApi, standin: LineStandIn
) -> None:
    standin.configure(error_after_accept_rate=1.0)
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=GROUP, messages=[TextMessage(text="ด่วน")])
    with pytest.raises(ApiException) as failed:
        line_api.push_message(request, x_line_retry_key=key)
    assert failed.value.status == 500
    standin.configure(error_after_accept_rate=0.0)
    with pytest.raises(ApiException) as conflict:
        line_api.push_message(request, x_line_retry_key=key)
    assert conflict.value.status == 409
    first = standin.received()[0]
    assert (first.status, first.fault) == (500, "error_after_accept")
    assert conflict.value.headers["x-line-accepted-request-id"] == first.request_id
    assert standin.delivery_counts() == {GROUP: 1}


def test_a_send_the_client_gave_up_on_is_still_delivered_and_its_retry_gets_409(
    http: requests.Session, standin: LineStandIn
) -> None:
    standin.configure(latency_ms=300.0)
    key = str(uuid.uuid4())
    with pytest.raises(requests.Timeout):
        push(http, standin, USER, [text()], retry_key=key, timeout=0.1)
    [given_up] = standin.wait_for_requests(1, timeout=5)
    assert given_up.status == 200  # LINE got it; only the answer was lost
    assert push(http, standin, USER, [text()], retry_key=key).status_code == 409
    assert standin.delivery_counts() == {USER: 1}


# --- Validation ----------------------------------------------------------------------------------

BUTTON_WITHOUT_LABEL = bubble({"type": "button", "action": {"type": "postback", "data": "yes"}})
INVALID_MESSAGES: list[tuple[str, list[dict[str, Any]], str, str]] = [
    ("unknown message type", [{"type": "letter", "text": "x"}], "messages[0].type", "unknown"),
    ("text missing", [{"type": "text"}], "messages[0].text", "must be specified"),
    ("a message that is not an object", ["สวัสดี"], "messages[0]", "object"),  # type: ignore[list-item]
    (
        "unknown flex component",
        [flex(bubble({"type": "text", "text": "ok"}, {"type": "marquee", "text": "x"}))],
        "messages[0].contents.body.contents[1].type",
        "unknown",
    ),
    (
        "button action without a label",
        [flex(BUTTON_WITHOUT_LABEL)],
        "messages[0].contents.body.contents[0].action.label",
        "must be specified",
    ),
    (
        "unknown action type",
        [flex(bubble({"type": "button", "action": {"type": "teleport", "label": "go"}}))],
        "messages[0].contents.body.contents[0].action.type",
        "unknown",
    ),
    (
        "a box where a carousel wants a bubble",
        [flex({"type": "carousel", "contents": [{"type": "box", "layout": "vertical", "contents": []}]})],
        "messages[0].contents.contents[0].type",
        "bubble",
    ),
    ("six messages", [text()] * 6, "messages", "between 1 and 5"),
    ("no messages", [], "messages", "between 1 and 5"),
    # 2,500 emoji are 2,500 characters but 5,000 UTF-16 units: one more character is one too many.
    ("5,001 UTF-16 units", [text("😀" * 2500 + "ก")], "messages[0].text", "between 1 and 5000"),
    (
        "13-bubble carousel",
        [flex({"type": "carousel", "contents": [bubble({"type": "text", "text": "x"})] * 13})],
        "messages[0].contents.contents",
        "between 1 and 12",
    ),
    (
        "14 quick-reply items",
        [{**text(), "quickReply": quick_reply(14)}],
        "messages[0].quickReply.items",
        "13",
    ),
    ("altText of 1,501", [flex(bubble(), alt_text="ก" * 1501)], "messages[0].altText", "1500"),
    (
        "bubble over 30 KB",
        [flex(bubble(*[{"type": "text", "text": "ข้อความ" * 40}] * 50))],
        "messages[0].contents",
        "bubble JSON",
    ),
    (
        "image over plain http",
        [{"type": "image", "originalContentUrl": "http://example.com/a.jpg", "previewImageUrl": "x"}],
        "messages[0].originalContentUrl",
        "https",
    ),
]


@pytest.mark.parametrize(
    ("messages", "prop", "fragment"),
    [case[1:] for case in INVALID_MESSAGES],
    ids=[case[0] for case in INVALID_MESSAGES],
)
def test_invalid_messages_are_refused_with_details_naming_the_property(
    http: requests.Session, standin: LineStandIn, messages: list[dict[str, Any]], prop: str, fragment: str
) -> None:
    answer = push(http, standin, USER, messages)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["message"].startswith("The request body has")
    matching = [d for d in body["details"] if d["property"] == prop]
    assert matching and fragment in matching[0]["message"], body["details"]
    assert standin.delivery_counts() == {}
    assert any(problem.startswith(f"{prop}: ") for problem in validate_messages(messages))


VALID_MESSAGES: list[tuple[str, list[dict[str, Any]]]] = [
    ("text of exactly 5,000 UTF-16 units", [text("😀" * 2500)]),
    ("five messages", [text()] * 5),
    (
        "12-bubble carousel",
        [flex({"type": "carousel", "contents": [bubble({"type": "text", "text": "x"})] * 12})],
    ),
    ("13 quick-reply items", [{**text(), "quickReply": quick_reply(13)}]),
    ("altText of 1,500", [flex(bubble(), alt_text="ก" * 1500)]),
    (
        "a bubble with labelled buttons, spans, images and a separator",
        [
            flex(
                bubble(
                    {"type": "text", "contents": [{"type": "span", "text": "ตัวหนา", "weight": "bold"}]},
                    {"type": "image", "url": "https://example.com/a.png", "aspectMode": "cover"},
                    {"type": "separator"},
                    {"type": "button", "action": {"type": "uri", "label": "เปิด", "uri": "https://dla.go.th"}},
                    {"type": "button", "action": {"type": "postback", "label": "ตอบ", "data": "a=1"}},
                )
            )
        ],
    ),
    (
        "a buttons template",
        [
            {
                "type": "template",
                "altText": "เลือก",
                "template": {
                    "type": "buttons",
                    "text": "เลือกหัวข้อ",
                    "actions": [{"type": "message", "label": "10E", "text": "10E"}],
                },
            }
        ],
    ),
    ("a sticker", [{"type": "sticker", "packageId": "446", "stickerId": "1988"}]),
]


@pytest.mark.parametrize("messages", [case[1] for case in VALID_MESSAGES], ids=[c[0] for c in VALID_MESSAGES])
def test_valid_messages_are_accepted(
    http: requests.Session, standin: LineStandIn, messages: list[dict[str, Any]]
) -> None:
    assert validate_messages(messages) == []
    answer = push(http, standin, USER, messages)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["sentMessages"]) == len(messages)


def test_validate_messages_takes_sdk_models_and_counts_utf16() -> None:
    assert validate_messages([TextMessage(text="สวัสดี")]) == []
    assert utf16_units("😀ก") == 3
    [problem] = validate_messages([TextMessage(text="😀" * 2501)])
    assert problem.startswith("messages[0].text: Length must be between 1 and 5000")


def test_identical_messages_are_validated_once() -> None:
    spec = default_spec()
    message = flex(bubble({"type": "text", "text": f"cache probe {uuid.uuid4()}"}))
    misses = spec.cache_info().misses
    for _ in range(50):
        assert validate_messages([message]) == []
    assert spec.cache_info().misses == misses + 1


def test_bodies_over_2_mb_get_413(http: requests.Session, standin: LineStandIn) -> None:
    body = json.dumps({"to": USER, "messages": [text("x" * 2_000_001)]})
    answer = push_raw(http, standin, body)
    assert answer.status_code == 413
    [recorded] = standin.received()
    assert (recorded.status, recorded.raw_body, recorded.body) == (413, None, None)


def test_a_body_that_is_not_json_gets_400(http: requests.Session, standin: LineStandIn) -> None:
    answer = push_raw(http, standin, b"{not json")
    assert answer.status_code == 400
    [recorded] = standin.received()
    assert (recorded.raw_body, recorded.body) == (b"{not json", None)


def test_records_and_deliveries_keep_bytes_and_parse_them_when_read(
    http: requests.Session, standin: LineStandIn
) -> None:
    """Kept parsed, a long run's records were objects for every garbage collection to walk."""
    body = json.dumps({"to": GROUP, "messages": [text("ประชุม")]}, ensure_ascii=False).encode()
    answer = push_raw(http, standin, body)
    assert answer.status_code == 200
    [recorded] = standin.received()
    [delivery] = standin.deliveries()
    assert recorded.raw_body == body and "body" not in vars(recorded)
    assert isinstance(delivery.encoded_messages, bytes) and "messages" not in vars(delivery)
    assert recorded.body == {"to": GROUP, "messages": [text("ประชุม")]}
    assert delivery.messages == [text("ประชุม")]
    assert recorded.body is recorded.body  # parsed once


# --- Quota ---------------------------------------------------------------------------------------


def test_quota_counts_group_members_and_refuses_pushes_beyond_it(
    http: requests.Session, line_api: MessagingApi, standin: LineStandIn
) -> None:
    standin.set_quota("limited", 45)
    statuses = [push(http, standin, to, [text(), text()]).status_code for to in (GROUP, GROUP, USER)]
    assert statuses == [200, 200, 200]  # 20 + 20 + 1: per member, not per message object
    refused = push(http, standin, GROUP, [text()])
    assert refused.status_code == 429
    assert refused.json()["message"] == "You have reached your monthly limit."
    assert line_api.get_message_quota_consumption().total_usage == 41
    quota = line_api.get_message_quota()
    assert (quota.type, quota.value) == (QuotaType.LIMITED, 45)
    assert standin.delivery_counts() == {GROUP: 2, USER: 1}


def test_unlimited_quota_has_no_value(line_api: MessagingApi, standin: LineStandIn) -> None:
    quota = line_api.get_message_quota()
    assert (quota.type, quota.value) == (QuotaType.NONE, None)


def test_multicast_reaches_each_user_and_refuses_groups(http: requests.Session, standin: LineStandIn) -> None:
    standin.add_user(OTHER_USER)
    url = f"{standin.base_url}/v2/bot/message/multicast"
    answer = http.post(url, json={"to": [USER, OTHER_USER], "messages": [text()]}, timeout=5)
    assert (answer.status_code, answer.json()) == (200, {})
    assert http.post(url, json={"to": [GROUP], "messages": [text()]}, timeout=5).status_code == 400
    assert standin.delivery_counts() == {USER: 1, OTHER_USER: 1}
    assert standin.consumption == 2


# --- Rate limit, latency, faults -----------------------------------------------------------------


def test_requests_beyond_the_bucket_get_429(http: requests.Session, standin: LineStandIn) -> None:
    standin.configure(rate_limits={"push": 1.0}, burst_seconds=5.0)  # 5 at once, then 1 a second
    statuses = [push(http, standin, USER, [text()]).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert standin.received()[-1].fault == "rate_limit"
    limited = push(http, standin, USER, [text()])
    assert limited.json() == {"message": "The API rate limit has been exceeded. Try again later."}
    quota = http.get(f"{standin.base_url}/v2/bot/message/quota", timeout=5)
    assert quota.status_code == 200  # each endpoint has its own bucket


def test_injected_latency_delays_the_answer(http: requests.Session, standin: LineStandIn) -> None:
    standin.configure(latency_by_endpoint={"push": 200.0})
    started = time.perf_counter()
    assert push(http, standin, USER, [text()]).status_code == 200
    pushed = time.perf_counter() - started
    started = time.perf_counter()
    assert http.get(f"{standin.base_url}/v2/bot/message/quota", timeout=5).status_code == 200
    quota = time.perf_counter() - started
    assert pushed >= 0.2 > quota


def test_latency_is_awaited_so_requests_overlap(standin: LineStandIn) -> None:
    """200 pushes each delayed 100 ms take far less than the 20 s they would take one at a time."""
    standin.configure(latency_ms=100.0)
    standin.add_groups(200, member_count=3)

    async def send_all() -> list[int]:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        async with aiohttp.ClientSession(headers=auth) as session:

            async def one(to: str) -> int:
                body = {"to": to, "messages": [text()]}
                async with session.post(f"{standin.base_url}/v2/bot/message/push", json=body) as answer:
                    return answer.status

            groups = [g["groupId"] for g in standin.world_json()["groups"] if g["groupId"] != GROUP]
            return await asyncio.gather(*(one(to) for to in groups))

    started = time.perf_counter()
    statuses = asyncio.run(send_all())
    elapsed = time.perf_counter() - started
    assert statuses == [200] * 200
    assert 0.1 <= elapsed < 3.0
    assert set(standin.delivery_counts().values()) == {1} and len(standin.delivery_counts()) == 200


def test_fail_next_answers_the_next_requests_with_the_status(
    http: requests.Session, standin: LineStandIn
) -> None:
    standin.fail_next(2, status=503, endpoint="push")
    assert http.get(f"{standin.base_url}/v2/bot/message/quota", timeout=5).status_code == 200
    statuses = [push(http, standin, USER, [text()]).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert standin.delivery_counts() == {USER: 1}


def test_random_faults_are_seeded(http: requests.Session, standin: LineStandIn) -> None:
    def run() -> list[int]:
        standin.configure(error_rate=0.3, too_many_requests_rate=0.3, seed=42)
        return [push(http, standin, USER, [text()]).status_code for _ in range(30)]

    first = run()
    assert {200, 429, 500} <= set(first)
    assert run() == first
    assert standin.delivery_counts()[USER] == 2 * first.count(200)


def test_config_rejects_nonsense(standin: LineStandIn) -> None:
    with pytest.raises(ValueError, match="error_rate"):
        standin.configure(error_rate=1.5)
    with pytest.raises(TypeError):
        standin.configure(no_such_setting=1)
    with pytest.raises(ValueError, match="unknown endpoints"):
        StandInConfig(latency_by_endpoint={"pushh": 10.0})


# --- Profiles and groups -------------------------------------------------------------------------


def test_group_summary_member_count_member_profile_and_leave(
    line_api: MessagingApi, standin: LineStandIn
) -> None:
    summary = line_api.get_group_summary(GROUP)
    assert (summary.group_id, summary.group_name) == (GROUP, "อบต. บ้านใหม่")
    assert line_api.get_group_member_count(GROUP).count == 20
    member = line_api.get_group_member_profile(GROUP, USER)
    assert (member.user_id, member.display_name) == (USER, "สมชาย ใจดี")
    line_api.leave_group(GROUP)
    calls: list[Callable[[], object]] = [
        lambda: line_api.get_group_summary(GROUP),
        lambda: line_api.get_group_member_count(GROUP),
        lambda: line_api.leave_group(GROUP),
    ]
    for call in calls:
        with pytest.raises(ApiException) as missing:
            call()
        assert missing.value.status == 404
    with pytest.raises(ApiException) as refused:
        line_api.push_message(PushMessageRequest(to=GROUP, messages=[TextMessage(text="x")]))
    assert refused.value.status == 400


def test_profiles_of_friends_only(line_api: MessagingApi, standin: LineStandIn) -> None:
    profile = line_api.get_profile(USER)
    assert (profile.display_name, profile.language) == ("สมชาย ใจดี", "th")
    with pytest.raises(ApiException) as missing:
        line_api.get_profile(OTHER_USER)
    assert missing.value.status == 404
    with pytest.raises(ApiException) as stranger:
        line_api.get_group_member_profile(GROUP, OTHER_USER)
    assert stranger.value.status == 404


def test_loading_animation_in_a_users_chat(line_api: MessagingApi, standin: LineStandIn) -> None:
    line_api.show_loading_animation(ShowLoadingAnimationRequest(chatId=USER, loadingSeconds=10))
    with pytest.raises(ApiException) as refused:
        line_api.show_loading_animation(ShowLoadingAnimationRequest(chatId=GROUP, loadingSeconds=10))
    assert refused.value.status == 400
    assert [r.status for r in standin.received()] == [202, 400]


# --- Control API ---------------------------------------------------------------------------------


def test_control_api(standin: LineStandIn) -> None:
    control = f"{standin.base_url}/_standin"
    with requests.Session() as session:
        world = session.post(
            f"{control}/world",
            json={
                "users": [{"userId": OTHER_USER, "displayName": "สมศรี"}],
                "groups": [{"groupId": "Cbig", "groupName": "ใหญ่", "memberCount": 300}],
                "bulkGroups": {"count": 3, "memberCount": 7},
                "quota": {"type": "limited", "value": 1000},
            },
            timeout=5,
        ).json()
        assert world["groups"] == 5 and len(world["createdGroupIds"]) == 3
        configured = session.post(f"{control}/config", json={"latency_ms": 1.0}, timeout=5).json()
        assert configured["latency_ms"] == 1.0
        assert session.get(f"{control}/config", timeout=5).json()["latency_ms"] == 1.0
        assert session.post(f"{control}/config", json={"error_rate": 7}, timeout=5).status_code == 400
        assert session.post(f"{control}/fail-next", json={"count": 1, "status": 500}, timeout=5).ok
        token = session.post(f"{control}/reply-tokens", json={"chatId": OTHER_USER}, timeout=5).json()

        session.headers["Authorization"] = f"Bearer {TOKEN}"
        assert push(session, standin, "Cbig", [text()]).status_code == 500  # the failure asked for
        for to in ["Cbig", *world["createdGroupIds"]]:
            assert push(session, standin, to, [text()]).status_code == 200
        reply = {"replyToken": token["replyToken"], "messages": [text("ตอบ")]}
        assert session.post(f"{standin.base_url}/v2/bot/message/reply", json=reply, timeout=5).ok

        received = session.get(f"{control}/received", params={"since": 1}, timeout=5).json()
        assert [r["status"] for r in received["requests"]] == [200] * 5
        assert received["next"] == 6
        assert "Authorization" not in received["requests"][0]["headers"]
        assert session.get(f"{control}/received?since=6", timeout=5).json()["requests"] == []
        summary = session.get(f"{control}/received?since=0&summary=1", timeout=5).json()
        assert summary["count"] == 6 and summary["statuses"] == {"500": 1, "200": 5}
        assert summary["lastTime"]["200"] == received["requests"][-1]["time"] and summary["next"] == 6
        assert "requests" not in summary
        deliveries = session.get(f"{control}/deliveries", params={"detail": 1}, timeout=5).json()
        assert deliveries["counts"] == {"Cbig": 1, **dict.fromkeys(world["createdGroupIds"], 1)}
        assert deliveries["deliveries"][-1]["to"] == OTHER_USER
        state = session.get(f"{control}/world", timeout=5).json()
        assert state["totalUsage"] == 300 + 3 * 7
        assert session.post(f"{control}/reset", json={"keepWorld": True}, timeout=5).ok
        assert session.get(f"{control}/deliveries", timeout=5).json() == {"counts": {}, "total": 0}
        assert len(session.get(f"{control}/world", timeout=5).json()["groups"]) == 5
    assert standin.config.latency_ms == 0.0


# A web page elsewhere, in the browser of someone running the stand-in: a form it posts (text/plain or
# urlencoded, no preflight), or its own host name pointed at 127.0.0.1 (DNS rebinding).
FOREIGN_HOSTS = [
    "evil.example",
    "evil.example:80",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "[::1",
]


def test_the_control_api_answers_programs_on_this_machine_only(standin: LineStandIn) -> None:
    control = f"{standin.base_url}/_standin"
    port = standin.base_url.rsplit(":", 1)[1]
    standin.fail_next(1, status=500)
    with requests.Session() as session:
        for body, content_type in [
            ('{"keepWorld": false}', "text/plain"),
            ("keepWorld=false", "application/x-www-form-urlencoded"),
            (None, None),
        ]:
            headers = {"Content-Type": content_type} if content_type else {}
            refused = session.post(f"{control}/reset", data=body, headers=headers, timeout=5)
            assert refused.status_code == 415, content_type
            assert "application/json" in refused.json()["message"]
        for host in FOREIGN_HOSTS:
            for method, path in [("GET", "/received"), ("GET", "/world"), ("POST", "/reset")]:
                answer = session.request(
                    method, f"{control}{path}", json={}, headers={"Host": host}, timeout=5
                )
                assert answer.status_code == 403, (host, path)
        assert standin.received() == []
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
            assert session.get(f"{control}/health", headers={"Host": host}, timeout=5).status_code == 200, (
                host
            )
        # Not the LINE API: LINE's paths answer whatever the Host, as LINE does.
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        quota = session.get(
            f"{standin.base_url}/v2/bot/message/quota", headers={"Host": "api.line.me"}, timeout=5
        )
        assert quota.status_code == 500  # the failure asked for above, still waiting: no reset went through


def test_wait_for_requests_from_another_thread(http: requests.Session, standin: LineStandIn) -> None:
    sender = threading.Thread(target=lambda: push(http, standin, USER, [text()]))
    sender.start()
    [recorded] = standin.wait_for_requests(1, timeout=5)
    sender.join()
    assert recorded.status == 200
    with pytest.raises(TimeoutError):
        standin.wait_for_requests(2, timeout=0.05)


# --- Running it ----------------------------------------------------------------------------------


def test_stop_closes_the_port_and_ends_the_thread() -> None:
    before = set(threading.enumerate())
    standin = LineStandIn(token=TOKEN).start()
    port = standin.port
    [serving] = set(threading.enumerate()) - before
    standin.stop()
    assert not standin.running and not serving.is_alive()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    with pytest.raises(RuntimeError):
        _ = standin.base_url


def test_a_taken_port_fails_start(server: LineStandIn) -> None:
    with pytest.raises(RuntimeError, match="could not start"):
        LineStandIn(token=TOKEN, port=server.port).start()


def test_command_line_serves_until_terminated() -> None:
    command = [sys.executable, "-m", "linesim", "--port", "0", "--token", TOKEN, "--groups", "3"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("linesim listening on http://127.0.0.1:")
            base_url = line.rsplit(" ", 1)[1].strip()
            world = requests.get(f"{base_url}/_standin/world", timeout=5).json()
            assert len(world["groups"]) == 3
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_command_line_requires_a_token() -> None:
    env = {"PATH": "/usr/bin:/bin"}
    finished = subprocess.run(
        [sys.executable, "-m", "linesim", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert finished.returncode == 2 and "--token" in finished.stderr
