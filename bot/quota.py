"""LINE's monthly message quota as the dashboard and /metrics show it: asked at most once a minute.

The reading is cached in the key-value store (Redis, shared by every process); when Redis is down
LINE is asked directly. The broadcast quota guard does not use this cache: it asks LINE each time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Final

from bot.line import LineApiError, Quota
from bot.services import Services

log = logging.getLogger(__name__)

CACHE_KEY: Final = "line:quota"
CACHE_SECONDS: Final = 60


def reading(services: Services) -> Quota | None:
    """The current quota, or None when LINE is not configured or cannot be reached."""
    if not services.settings.line.configured:
        return None
    try:
        cached = services.kv.get(CACHE_KEY)
    except Exception as error:  # Redis down: ask LINE instead
        log.info("quota cache unavailable (%s)", type(error).__name__)
        cached = None
    if cached is not None:
        return Quota(**json.loads(cached))
    try:
        result = services.line.quota()
    except (LineApiError, OSError) as error:
        log.warning("quota unavailable: %s", type(error).__name__)
        return None
    try:
        services.kv.set(CACHE_KEY, json.dumps(asdict(result)), CACHE_SECONDS)
    except Exception as error:
        log.info("quota cache unavailable (%s)", type(error).__name__)
    return result
