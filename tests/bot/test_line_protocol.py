"""What LINE's answers mean (bot.line.protocol): one reading for the sync and the async face."""

from __future__ import annotations

import pytest

from bot.line import protocol
from bot.line.protocol import LineApiError, NotDelivered, Quota


@pytest.mark.parametrize(
    ("status", "headers", "sent"),
    [
        (200, {"x-line-request-id": "r1"}, protocol.Sent(200, "r1")),
        (
            409,
            {"x-line-accepted-request-id": "r0", "x-line-request-id": "r2"},
            protocol.Sent(409, "r0", True),
        ),
    ],
)
def test_accepted_answers(status: int, headers: dict[str, str], sent: protocol.Sent) -> None:
    assert protocol.answer("push", status, headers, b"{}") == sent


@pytest.mark.parametrize(
    ("status", "body", "retryable", "rate_limited", "token_refused", "not_in_group", "not_found"),
    [
        (429, b'{"message":"Too Many Requests"}', True, True, False, False, False),
        (500, b'{"message":"Internal"}', True, False, False, False, False),
        (503, b"not json", True, False, False, False, False),
        (401, b'{"message":"Authentication failed"}', False, False, True, False, False),
        (
            400,
            b'{"message":"The property, \'to\', in the request body is invalid"}',
            False,
            False,
            False,
            True,
            True,
        ),
        (400, b'{"message":"Invalid reply token"}', False, False, False, False, True),
        (404, b'{"message":"Not found"}', False, False, False, False, True),
        (403, b"[]", False, False, False, False, True),
        (413, b'{"message":"Request Entity Too Large"}', False, False, False, False, False),
    ],
)
def test_refusals(
    status: int,
    body: bytes,
    retryable: bool,
    rate_limited: bool,
    token_refused: bool,
    not_in_group: bool,
    not_found: bool,
) -> None:
    with pytest.raises(LineApiError) as refused:
        protocol.answer("push", status, {"x-line-request-id": "r9"}, body)
    error = refused.value
    assert (error.status, error.request_id) == (status, "r9")
    assert (error.retryable, error.rate_limited, error.token_refused) == (
        retryable,
        rate_limited,
        token_refused,
    )
    assert (error.not_in_group, error.not_found) == (not_in_group, not_found)
    assert error.reason.startswith(f"{status}") and len(error.reason) <= protocol.MAX_REASON_CHARS


def test_no_answer_may_have_been_processed_and_no_connection_was_not() -> None:
    lost = protocol.no_answer("reply", TimeoutError())
    never = protocol.not_delivered("reply", ConnectionRefusedError())
    assert lost.retryable and never.retryable and lost.status is None
    assert not protocol.reply_safe_to_repeat(lost) and protocol.reply_safe_to_repeat(never)
    assert isinstance(never, NotDelivered) and lost.reason == "no answer (TimeoutError)"


@pytest.mark.parametrize(
    ("reason", "for_sure"),
    [
        ("400 The property, 'to', in the request body is invalid", True),
        ("403 Forbidden", True),
        ("409 accepted before", False),
        ("429 Too Many Requests", False),
        ("500 Internal", False),
        ("no answer (TimeoutError)", False),
        (None, False),
    ],
)
def test_refused_for_sure(reason: str | None, for_sure: bool) -> None:
    assert protocol.refused_for_sure(reason) is for_sure


@pytest.mark.parametrize(
    ("kind", "value", "used", "limit", "left"),
    [
        ("limited", 1000, 250, 1000, 750),
        ("limited", 1000, 1200, 1000, 0),
        ("none", None, 900, None, None),
        ("none", 500, 900, None, None),  # the value of an unlimited quota means nothing
    ],
)
def test_the_quota_is_limited_only_when_line_says_so(
    kind: str, value: int | None, used: int, limit: int | None, left: int | None
) -> None:
    quota = protocol.quota(kind, value, used)
    assert quota == Quota(limit, used) and quota.left == left


def test_bodies_splice_ready_messages() -> None:
    messages = b'[{"type":"text","text":"\xe0\xb8\x81"}]'
    assert protocol.push_body('C1"x', messages) == b'{"to":"C1\\"x","messages":' + messages + b"}"
    assert protocol.reply_body("t", messages) == b'{"replyToken":"t","messages":' + messages + b"}"
