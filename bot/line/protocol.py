"""What LINE's Messaging API answers mean: its paths, headers and status codes, the one error every
caller sees, and the one retry policy both faces of the client follow.

The status codes, as the bot reads them:

- 2xx: accepted. `x-line-request-id` names the request in LINE's logs.
- 409 to a push: LINE accepted this `X-Line-Retry-Key` before (it remembers a key for 24 hours), so
  the push counts as delivered; `x-line-accepted-request-id` names the first request.
- 429: too many requests: repeated, after a longer wait, and the broadcast sender slows down.
- 5xx, or no answer: LINE may or may not have processed the request. Repeated only where the repeat
  is the same request (a push with its retry key, a read); a reply has no retry key.
- 401: the channel's access token is refused: nothing else will go through.
- 400 naming the property 'to': the bot is not in that group (it left, or was removed).
- 400 to a reply: the reply token was used already, or ran out.
- 404 to a rich-menu call: no such menu, alias or default.
- 400, 403, 404 to a read: LINE knows no such group or user, or the bot may not see them.
- any other 4xx: refused for good; the error carries LINE's `message` (never our message text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from tenacity import RetryCallState
from tenacity.wait import wait_random_exponential

from bot import counters

REPLY_PATH: Final = "/v2/bot/message/reply"
PUSH_PATH: Final = "/v2/bot/message/push"

RETRY_KEY_HEADER: Final = "X-Line-Retry-Key"
REQUEST_ID_HEADER: Final = "x-line-request-id"
ACCEPTED_REQUEST_ID_HEADER: Final = "x-line-accepted-request-id"

MAX_REASON_CHARS: Final = 200  # what `LineApiError.reason` keeps of LINE's message


def request_headers(access_token: str, user_agent: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"}
    if user_agent:
        headers["User-Agent"] = user_agent
    return headers


def reply_body(reply_token: str, messages: bytes) -> bytes:
    """The reply's JSON, with `messages` (a JSON array, encoded once) spliced in, not re-encoded."""
    return b'{"replyToken":%s,"messages":%s}' % (json.dumps(reply_token).encode(), messages)


def push_body(to: str, messages: bytes) -> bytes:
    """The push's JSON, with `messages` (a JSON array, encoded once for many pushes) spliced in."""
    return b'{"to":%s,"messages":%s}' % (json.dumps(to).encode(), messages)


def error_message(body: Any) -> str:
    """LINE's `message` from an error answer's body, with its first detail; "" when there is none."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(data, dict):
        return ""
    message = str(data.get("message", ""))
    details = data.get("details") or []
    if isinstance(details, list) and details and isinstance(details[0], dict):
        first = details[0]
        message += f" ({first.get('property', '')}: {first.get('message', '')})"
    return " ".join(message.split())[:300]


class LineApiError(Exception):
    """LINE answered an error, or could not be reached. `status` is None when no answer came."""

    def __init__(self, status: int | None, message: str, request_id: str | None = None) -> None:
        super().__init__(f"LINE {status or 'unreachable'}: {message}")
        self.status = status
        self.message = message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        """Worth repeating as the same request: LINE may answer differently next time."""
        return self.status is None or self.status == 429 or self.status >= 500

    @property
    def rate_limited(self) -> bool:
        return self.status == 429

    @property
    def token_refused(self) -> bool:
        """The channel's access token is wrong or revoked: no other request will go through."""
        return self.status == 401

    @property
    def absent(self) -> bool:
        """404: LINE has no such thing (a rich menu, an alias, a default menu)."""
        return self.status == 404

    @property
    def not_found(self) -> bool:
        """A read found nothing: no such group or user, or not one the bot may see."""
        return self.status in (400, 403, 404)

    @property
    def reply_token_refused(self) -> bool:
        """A reply answered 400: its token was used already, or ran out (about a minute)."""
        return self.status == 400

    @property
    def not_in_group(self) -> bool:
        """A push refused because the bot is not in the group: "The property, 'to', … is invalid"."""
        return self.status == 400 and "'to'" in self.message

    @property
    def reason(self) -> str:
        """A short record of the failure: "<status> <LINE's message>", or what kept the answer away."""
        text = self.message if self.status is None else f"{self.status} {self.message}"
        return text.strip()[:MAX_REASON_CHARS]


def refused_for_sure(reason: str | None) -> bool:
    """Did the failure recorded as `reason` (`LineApiError.reason`) say LINE did not accept the push?

    A 4xx other than 409 and 429: it comes back the same for every attempt of one body, and had LINE
    accepted an earlier attempt it would have answered 409 to the same retry key. A 5xx, no answer or
    a 429 (which may follow an earlier 500) leaves open that LINE accepted an earlier attempt.
    """
    status, _, _ = (reason or "").partition(" ")
    return status.isdigit() and 400 <= int(status) < 500 and int(status) not in (409, 429)


class NotDelivered(LineApiError):
    """The request certainly never reached LINE (connection refused, DNS): safe to repeat anything."""


@dataclass(frozen=True)
class Sent:
    status: int
    request_id: str | None
    already_accepted: bool = False  # 409: LINE had accepted this retry key before


@dataclass(frozen=True)
class Quota:
    """This month's message quota. `limit` None: no monthly limit (LINE's quota type "none")."""

    limit: int | None
    used: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


def quota(kind: str, value: int | None, used: int) -> Quota:
    """LINE's two quota answers as one `Quota`: only the type "limited" has a limit."""
    return Quota(limit=value if kind == "limited" and value is not None else None, used=used)


def answer(endpoint: str, status: int, headers: Mapping[str, str], body: bytes | str | None) -> Sent:
    """What LINE's answer to a send means: `Sent`, or a `LineApiError`. `headers` ignore case."""
    counters.line_response(endpoint, status)
    if 200 <= status <= 299:
        return Sent(status, headers.get(REQUEST_ID_HEADER))
    if status == 409:
        return Sent(status, headers.get(ACCEPTED_REQUEST_ID_HEADER), already_accepted=True)
    raise refused(status, body, headers)


def refused(status: int, body: bytes | str | None, headers: Mapping[str, str] | None) -> LineApiError:
    request_id = headers.get(REQUEST_ID_HEADER) if headers else None
    return LineApiError(status, error_message(body), request_id)


def no_answer(endpoint: str, error: BaseException) -> LineApiError:
    """Timed out or cut off: LINE may have processed the request."""
    counters.line_response(endpoint, None)
    return LineApiError(None, f"no answer ({type(error).__name__})")


def not_delivered(endpoint: str, error: BaseException) -> NotDelivered:
    """The connection was never made: LINE certainly did not see the request."""
    counters.line_response(endpoint, None)
    return NotDelivered(None, f"cannot connect ({type(error).__name__})")


# --- the retry policy ---------------------------------------------------------------------------------


def reply_safe_to_repeat(error: BaseException) -> bool:
    """A reply is repeated only when LINE certainly did not take it: never reached, or 429."""
    return isinstance(error, NotDelivered) or (isinstance(error, LineApiError) and error.rate_limited)


def safe_to_repeat(error: BaseException) -> bool:
    """Pushes (each with its retry key) and reads: whatever LINE may answer differently next time."""
    return isinstance(error, LineApiError) and error.retryable


_WAIT_AFTER_ERROR = wait_random_exponential(multiplier=0.2, max=5)
_WAIT_AFTER_429 = wait_random_exponential(multiplier=0.5, max=10)  # the limit needs time to refill


def backoff(state: RetryCallState) -> float:
    """Exponential backoff with jitter before the next attempt; longer after a 429."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, LineApiError) and error.rate_limited:
        return float(_WAIT_AFTER_429(state))
    return float(_WAIT_AFTER_ERROR(state))
