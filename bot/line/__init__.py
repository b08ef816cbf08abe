"""The LINE client: everything that knows how LINE's Messaging API answers lives in this package.

- `protocol`: its paths, headers and status codes, the `LineApiError` every caller sees, the retry
  policy;
- `client`: `LineClient`, the sync face (replies, pushes, profiles, group summaries, the quota);
- `fanout`: `AsyncPushClient`, the async face for the broadcast fan-out.

Callers catch `LineApiError` and ask it what happened (`retryable`, `not_found`, ...); none of them
sees an HTTP status.
"""

from bot.line.client import LineClient
from bot.line.protocol import LineApiError, NotDelivered, Quota, Sent

__all__ = ["LineApiError", "LineClient", "NotDelivered", "Quota", "Sent"]
