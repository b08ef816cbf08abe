"""The LINE client: everything that knows how LINE's Messaging API answers lives in this package."""

from bot.line.client import LineApiError, LineClient, NotDelivered, Sent

__all__ = ["LineApiError", "LineClient", "NotDelivered", "Sent"]
