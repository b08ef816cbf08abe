"""The sync face of the LINE client: replies, pushes, profiles, group summaries and the quota, for the
webhook's handlers and the admin surfaces. One pooled line-bot-sdk v3 `MessagingApi` per process,
explicit timeouts, and the retry policy of `bot.line.protocol`:

- Reply: repeated only when LINE certainly did not process it (connection refused, 429); never after
  a timeout or a 5xx, where the reply may have gone out — a reply token is single-use and reply takes
  no retry key, so a second try could only fail or, worse, answer twice.
- Push: always sent with an `X-Line-Retry-Key`; repeated with the same key on 5xx, timeouts and 429.
  A 409 means LINE accepted that key before: delivered.
- Reads (profiles, summaries, quota) go through the SDK's `MessagingApi`, which knows their paths.
- Logs carry LINE's request id, the status and the endpoint — never message text or tokens.

Reply and push bodies are serialised once, by us, and sent through the SDK's pooled connection to
LINE, not through `MessagingApi.reply_message`: the SDK's model round trip of a Flex carousel costs
about 12 ms of CPU (bench/webhook.py's profile), more than everything else an answer takes
(docs/performance.md). What we send is checked against LINE's schema in the tests.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import urllib3
from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApi
from linebot.v3.messaging.api_response import ApiResponse
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from bot import counters
from bot.flex import Message, Prepared
from bot.line import protocol
from bot.line.protocol import LineApiError, Quota, Sent
from bot.settings import LineSettings

log = logging.getLogger(__name__)

T = TypeVar("T")


def _encoded(messages: Sequence[Message]) -> bytes:
    if isinstance(messages, Prepared):
        return messages.encoded
    return json.dumps(list(messages), ensure_ascii=False).encode()


@contextmanager
def _transport_errors(endpoint: str) -> Iterator[None]:
    """urllib3's failures as `LineApiError`: never connected (safe to repeat) or no answer (maybe sent)."""
    try:
        yield
    except urllib3.exceptions.ConnectTimeoutError as error:  # includes refused connections
        raise protocol.not_delivered(endpoint, error) from None
    except urllib3.exceptions.HTTPError as error:  # timeouts, resets: LINE may have processed it
        log.warning("line %s: no answer (%s)", endpoint, type(error).__name__)
        raise protocol.no_answer(endpoint, error) from None


class LineClient:
    """Thread-safe; build one per process (`Services.line`)."""

    def __init__(self, settings: LineSettings, *, max_attempts: int = 4, pool_size: int = 20) -> None:
        token = settings.channel_access_token.get_secret_value() if settings.channel_access_token else ""
        configuration = Configuration(host=settings.api_base_url, access_token=token)
        configuration.retries = False  # our retry policy decides, knowing which requests may repeat
        configuration.connection_pool_maxsize = pool_size
        self._api_client = ApiClient(configuration)
        self.api = MessagingApi(self._api_client)
        self._headers = protocol.request_headers(token, self._api_client.user_agent)
        self.timeout = (min(3.0, settings.timeout_seconds), settings.timeout_seconds)
        self._timeout = urllib3.Timeout(connect=self.timeout[0], read=self.timeout[1])
        self.max_attempts = max_attempts
        self._lock = threading.Lock()
        # The pool of connections to LINE's host, looked up once (not per request, by URL) ...
        self._pool = self._api_client.rest_client.pool_manager.connection_from_url(settings.api_base_url)
        self._prefix = urlsplit(settings.api_base_url).path.rstrip("/")
        # ... and the retry policies, built once (tenacity keeps each call's state per thread).
        self._retry_reply = self._retrying(protocol.reply_safe_to_repeat)
        self._retry_other = self._retrying(protocol.safe_to_repeat)

    def close(self) -> None:
        with self._lock:
            self._api_client.close()

    def _retrying(self, should_retry: Callable[[BaseException], bool]) -> Retrying:
        def note(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.info("line: retrying after %s (attempt %d)", error, state.attempt_number)

        return Retrying(
            retry=retry_if_exception(should_retry),
            stop=stop_after_attempt(self.max_attempts),
            wait=protocol.backoff,
            before_sleep=note,
            reraise=True,
        )

    # --- sending -----------------------------------------------------------------------------

    def _post(self, endpoint: str, path: str, body: bytes, headers: dict[str, str] | None = None) -> Sent:
        """POST ready-made JSON through the SDK's connection pool (its REST layer would re-encode it)."""
        with _transport_errors(endpoint):
            response = self._pool.urlopen(
                "POST",
                self._prefix + path,
                body=body,
                headers={**self._headers, **headers} if headers else self._headers,
                timeout=self._timeout,
                retries=False,
                redirect=False,
            )
        try:
            sent = protocol.answer(endpoint, response.status, response.headers, response.data)
        except LineApiError as error:
            log.warning("line %s: %s (request %s)", endpoint, error.status, error.request_id)
            raise
        if sent.already_accepted:
            log.info("line %s: 409, accepted before as %s", endpoint, sent.request_id)
        else:
            log.debug("line %s: %s (request %s)", endpoint, sent.status, sent.request_id)
        return sent

    def reply(self, reply_token: str, messages: Sequence[Message]) -> Sent:
        # Spliced rather than re-encoded: a cached answer's messages are JSON already (flex.Prepared).
        body = protocol.reply_body(reply_token, _encoded(messages))
        return self._retry_reply(self._post, "reply", protocol.REPLY_PATH, body)

    def push(self, to: str, messages: Sequence[Message] | bytes, retry_key: str | None = None) -> Sent:
        """Push with a retry key (a new one unless given); every retry is the same request.

        `messages` may be the JSON of the message list, serialised once for many pushes (broadcasts).
        """
        key = retry_key or str(uuid.uuid4())
        encoded = messages if isinstance(messages, bytes) else _encoded(messages)
        body = protocol.push_body(to, encoded)
        return self._retry_other(
            self._post, "push", protocol.PUSH_PATH, body, {protocol.RETRY_KEY_HEADER: key}
        )

    # --- reading -----------------------------------------------------------------------------

    def _read_once(self, endpoint: str, send: Callable[[], ApiResponse]) -> Any:
        with _transport_errors(endpoint):
            try:
                response = send()
            except ApiException as error:
                counters.line_response(endpoint, error.status)
                failure = protocol.refused(error.status, error.body, error.headers)
                log.warning("line %s: %s (request %s)", endpoint, error.status, failure.request_id)
                raise failure from None
        counters.line_response(endpoint, response.status_code)
        return response.data

    def _get(self, endpoint: str, send: Callable[[], ApiResponse]) -> Any:
        return self._retry_other(self._read_once, endpoint, send)

    def _optional(self, endpoint: str, send: Callable[[], ApiResponse]) -> Any:
        """A read that may find nothing: None when LINE says there is no such group or user."""
        try:
            return self._get(endpoint, send)
        except LineApiError as error:
            if error.not_found:
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

    def quota(self) -> Quota:
        """This month's message quota: its limit (None: no monthly limit) and what was used."""
        limit = self._get(
            "quota", lambda: self.api.get_message_quota_with_http_info(_request_timeout=self.timeout)
        )
        used = self._get(
            "quota consumption",
            lambda: self.api.get_message_quota_consumption_with_http_info(_request_timeout=self.timeout),
        )
        kind = getattr(limit.type, "value", limit.type)  # the SDK gives an enum
        value = None if limit.value is None else int(limit.value)
        return protocol.quota(str(kind), value, int(used.total_usage))
