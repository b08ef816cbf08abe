"""The async face of the LINE client: pushes for the broadcast fan-out, thousands at LINE's rate limit.

`AsyncPushClient` holds one aiohttp session (connections reused, `concurrency` requests in flight) and
sends one push per call: the same body as the sync face (`protocol.push_body`, the message list
encoded once for the whole broadcast), the same headers and the same meaning of each answer
(`protocol.answer`: `Sent`, or a `LineApiError`). The caller (`broadcasts.sender`) repeats a push
with `protocol.backoff` while `LineApiError.retryable`, between two turns of its rate limiter.

Why not line-bot-sdk's `AsyncMessagingApi.push_message`: the SDK builds a pydantic request model for
every push, serialises it, re-encodes the body with `json.dumps` and parses every answer into a
response model. Measured with `bench/broadcast.py --runs sdk-async` (the two transports alone, three
runs): 0.59–0.84 ms of CPU per push through the SDK — at most 1,200–1,700 pushes/s on a whole core,
under LINE's 2,000/s before the sender does any work of its own — against 0.21–0.23 ms here
(docs/performance.md).
The SDK also opens its aiohttp session in its constructor and takes only a float timeout. So the
fan-out posts ready-made JSON itself, and everything it knows about LINE's answers comes from
`bot.line.protocol`.
"""

from __future__ import annotations

import aiohttp

from bot.line import protocol
from bot.line.protocol import Sent
from bot.settings import LineSettings


class AsyncPushClient:
    """`async with AsyncPushClient(settings, concurrency) as line: await line.push(...)`: one event loop."""

    def __init__(self, settings: LineSettings, concurrency: int) -> None:
        token = settings.channel_access_token
        self._headers = protocol.request_headers(token.get_secret_value() if token else "")
        self._url = settings.api_base_url + protocol.PUSH_PATH
        self._timeout = aiohttp.ClientTimeout(
            total=settings.timeout_seconds, connect=min(3.0, settings.timeout_seconds)
        )
        self._concurrency = concurrency
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> AsyncPushClient:
        connector = aiohttp.TCPConnector(limit=self._concurrency, limit_per_host=self._concurrency)
        self._session = aiohttp.ClientSession(
            connector=connector, headers=self._headers, timeout=self._timeout
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def push(self, to: str, messages: bytes, retry_key: str) -> Sent:
        """One push of `messages` (a JSON array) with its retry key: `Sent`, or `LineApiError`."""
        assert self._session is not None, "use AsyncPushClient as an async context manager"
        try:
            async with self._session.post(
                self._url,
                data=protocol.push_body(to, messages),
                headers={protocol.RETRY_KEY_HEADER: retry_key},
            ) as response:
                body = await response.read()
        except aiohttp.ClientConnectorError as error:  # refused, DNS: the request never left
            raise protocol.not_delivered("push", error) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            raise protocol.no_answer("push", error) from None
        return protocol.answer("push", response.status, response.headers, body)
