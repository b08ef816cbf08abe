"""The LINE client: one pooled line-bot-sdk v3 client per process, explicit timeouts, safe retries.

- Reply: retried only when LINE certainly did not process it (connection refused, 429); never after a
  timeout or a 5xx, where the reply may have gone out — a reply token is single-use and reply takes no
  retry key, so a second try could only fail or, worse, answer twice.
- Push: always sent with an `X-Line-Retry-Key`; retried with the same key on 5xx, timeouts and 429
  (exponential backoff with jitter, tenacity). A 409 means LINE accepted that key before: delivered.
- Other 4xx are not retried: the caller gets a `LineApiError` with the status and LINE's message.
- Logs carry LINE's request id, the status and the endpoint — never message text or tokens.
- Reply and push bodies are serialised once, by us, and sent through the SDK's pooled REST client:
  the SDK's model round trip costs ~12 ms of CPU per Flex carousel (measured, bench/webhook.py), more
  than everything else an answer takes. What we send is checked against LINE's schema in the tests.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import urllib3
from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApi
from linebot.v3.messaging.api_response import ApiResponse
from linebot.v3.messaging.rest import RESTResponse
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from bot import metrics
from bot.flex import Message, Prepared
from bot.settings import LineSettings

log = logging.getLogger(__name__)

T = TypeVar("T")


class LineApiError(Exception):
    """LINE answered an error, or could not be reached. `status` is None when no answer came."""

    def __init__(self, status: int | None, message: str, request_id: str | None = None) -> None:
        super().__init__(f"LINE {status or 'unreachable'}: {message}")
        self.status = status
        self.message = message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


class NotDelivered(LineApiError):
    """The request certainly never reached LINE (connection refused, DNS): safe to retry anything."""


@dataclass(frozen=True)
class Sent:
    status: int
    request_id: str | None
    already_accepted: bool = False  # 409: LINE had accepted this retry key before


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name:
            return str(value)
    return None


def _error_message(body: Any) -> str:
    try:
        data = json.loads(body)
        return str(data.get("message", ""))[:300]
    except (TypeError, ValueError, AttributeError):
        return ""


def _reply_safe_to_repeat(error: BaseException) -> bool:
    """A reply is repeated only when LINE certainly did not take it: never reached, or 429."""
    return isinstance(error, NotDelivered) or (isinstance(error, LineApiError) and error.status == 429)


def _retryable(error: BaseException) -> bool:
    """Pushes (with their retry key) and reads: whatever LINE may answer differently next time."""
    return isinstance(error, LineApiError) and error.retryable


def _encoded(messages: Sequence[Message]) -> bytes:
    if isinstance(messages, Prepared):
        return messages.encoded
    return json.dumps(list(messages), ensure_ascii=False).encode()


class LineClient:
    """Thread-safe; build one per process (`Services.line`)."""

    def __init__(self, settings: LineSettings, *, max_attempts: int = 4, pool_size: int = 20) -> None:
        token = settings.channel_access_token.get_secret_value() if settings.channel_access_token else ""
        configuration = Configuration(host=settings.api_base_url, access_token=token)
        configuration.retries = False  # tenacity decides, knowing which requests are safe to repeat
        configuration.connection_pool_maxsize = pool_size
        self._api_client = ApiClient(configuration)
        self.api = MessagingApi(self._api_client)
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "User-Agent": self._api_client.user_agent,
        }
        self.timeout = (min(3.0, settings.timeout_seconds), settings.timeout_seconds)
        self._timeout = urllib3.Timeout(connect=self.timeout[0], read=self.timeout[1])
        self.max_attempts = max_attempts
        self._lock = threading.Lock()
        # The pool of connections to LINE's host, looked up once (not per request, by URL) ...
        self._pool = self._api_client.rest_client.pool_manager.connection_from_url(settings.api_base_url)
        self._prefix = urlsplit(settings.api_base_url).path.rstrip("/")
        # ... and the retry policies, built once (tenacity keeps each call's state per thread).
        self._retry_reply = self._retrying(_reply_safe_to_repeat)
        self._retry_other = self._retrying(_retryable)

    def close(self) -> None:
        with self._lock:
            self._api_client.close()

    # --- plumbing --------------------------------------------------------------------------

    def _call(self, endpoint: str, send: Callable[[], ApiResponse]) -> ApiResponse:
        """One HTTP exchange, with LINE's failures turned into LineApiError."""
        try:
            response = send()
        except ApiException as error:
            metrics.line_response(endpoint, error.status)
            request_id = _header(error.headers, "x-line-request-id")
            if error.status == 409:
                accepted = _header(error.headers, "x-line-accepted-request-id")
                log.info("line %s: 409, accepted before as %s", endpoint, accepted)
                return ApiResponse(
                    status_code=409, headers={"x-line-request-id": accepted}, data=None, raw_data=b""
                )
            log.warning("line %s: %s (request %s)", endpoint, error.status, request_id)
            raise LineApiError(error.status, _error_message(error.body), request_id) from None
        except urllib3.exceptions.ConnectTimeoutError as error:  # includes refused connections
            metrics.line_response(endpoint, None)
            raise NotDelivered(None, f"cannot connect ({type(error).__name__})") from None
        except urllib3.exceptions.HTTPError as error:  # timeouts, resets: LINE may have processed it
            metrics.line_response(endpoint, None)
            log.warning("line %s: no answer (%s)", endpoint, type(error).__name__)
            raise LineApiError(None, f"no answer ({type(error).__name__})") from None
        metrics.line_response(endpoint, response.status_code)
        log.debug(
            "line %s: %s (request %s)",
            endpoint,
            response.status_code,
            _header(response.headers, "x-line-request-id"),
        )
        return response

    def _retrying(self, should_retry: Callable[[BaseException], bool]) -> Retrying:
        def note(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.info("line: retrying after %s (attempt %d)", error, state.attempt_number)

        return Retrying(
            retry=retry_if_exception(should_retry),
            stop=stop_after_attempt(self.max_attempts),
            wait=wait_random_exponential(multiplier=0.2, max=5),
            before_sleep=note,
            reraise=True,
        )

    # --- sending -----------------------------------------------------------------------------

    def _post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> ApiResponse:
        """POST ready-made JSON through the SDK's connection pool (its REST layer would re-encode it)."""
        response = self._pool.urlopen(
            "POST",
            self._prefix + path,
            body=body,
            headers={**self._headers, **headers} if headers else self._headers,
            timeout=self._timeout,
            retries=False,
            redirect=False,
        )
        if not 200 <= response.status <= 299:
            raise ApiException(http_resp=RESTResponse(response))
        return ApiResponse(
            status_code=response.status, headers=dict(response.headers), data=None, raw_data=b""
        )

    def reply(self, reply_token: str, messages: Sequence[Message]) -> Sent:
        # Spliced rather than re-encoded: a cached answer's messages are JSON already (flex.Prepared).
        body = b'{"replyToken":%s,"messages":%s}' % (json.dumps(reply_token).encode(), _encoded(messages))
        response = self._retry_reply(self._call, "reply", lambda: self._post("/v2/bot/message/reply", body))
        return Sent(response.status_code, _header(response.headers, "x-line-request-id"))

    def push(self, to: str, messages: Sequence[Message] | bytes, retry_key: str | None = None) -> Sent:
        """Push with a retry key (a new one unless given); every retry is the same request.

        `messages` may be the JSON of the message list, serialised once for many pushes (broadcasts).
        """
        key = retry_key or str(uuid.uuid4())
        encoded = messages if isinstance(messages, bytes) else _encoded(messages)
        body = b'{"to":%s,"messages":%s}' % (json.dumps(to).encode(), encoded)
        response = self._retry_other(
            self._call, "push", lambda: self._post("/v2/bot/message/push", body, {"X-Line-Retry-Key": key})
        )
        request_id = _header(response.headers, "x-line-request-id")
        return Sent(response.status_code, request_id, already_accepted=response.status_code == 409)

    # --- reading -----------------------------------------------------------------------------

    def _get(self, endpoint: str, send: Callable[[], ApiResponse]) -> Any:
        return self._retry_other(self._call, endpoint, send).data

    def _optional(self, endpoint: str, send: Callable[[], ApiResponse]) -> Any:
        """A read that may find nothing: None when LINE says there is no such group or user."""
        try:
            return self._get(endpoint, send)
        except LineApiError as error:
            if error.status in (400, 403, 404):
                return None
            raise

    def group_summary(self, group_id: str) -> dict[str, Any] | None:
        """`{group_id, group_name, picture_url}`, or None when the bot is not in the group (404)."""
        data = self._optional(
            "group summary",
            lambda: self.api.get_group_summary_with_http_info(group_id, _request_timeout=self.timeout),
        )
        return None if data is None else dict(data.to_dict())

    def group_member_count(self, group_id: str) -> int | None:
        data = self._optional(
            "member count",
            lambda: self.api.get_group_member_count_with_http_info(group_id, _request_timeout=self.timeout),
        )
        return None if data is None else int(data.count)

    def profile(self, user_id: str) -> dict[str, Any] | None:
        data = self._optional(
            "profile", lambda: self.api.get_profile_with_http_info(user_id, _request_timeout=self.timeout)
        )
        return None if data is None else dict(data.to_dict())

    def group_member_profile(self, group_id: str, user_id: str) -> dict[str, Any] | None:
        """`{displayName, userId, pictureUrl?}` of a member, or None when LINE doesn't know them in
        the group (404: not a member, or the bot isn't in it)."""
        data = self._optional(
            "group member profile",
            lambda: self.api.get_group_member_profile_with_http_info(
                group_id, user_id, _request_timeout=self.timeout
            ),
        )
        return None if data is None else dict(data.to_dict())

    def quota(self) -> tuple[str, int | None]:
        """(type, value): type "none" means no monthly limit."""
        data = self._get(
            "quota", lambda: self.api.get_message_quota_with_http_info(_request_timeout=self.timeout)
        )
        kind = getattr(data.type, "value", data.type)  # the SDK gives an enum
        return str(kind), None if data.value is None else int(data.value)

    def quota_consumption(self) -> int:
        data = self._get(
            "quota consumption",
            lambda: self.api.get_message_quota_consumption_with_http_info(_request_timeout=self.timeout),
        )
        return int(data.total_usage)
