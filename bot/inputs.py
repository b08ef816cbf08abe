"""Numbers and JSON from outside (paths, query strings, forms, request bodies), read within bounds.

An integer past what the database holds (SQLite stores 64 bits and raises OverflowError beyond) or
JSON nested deeper than Python's recursion limit (RecursionError) would otherwise end in a 500. Read
through here they are refused where they enter, like any other bad input: a path with such a number
is no page (404: `IdConverter` serves every `<int:...>` of the app), a query or a form field is
refused by its view or form (`parse_int`, `db_int`), an API body field by its schema (`DbInt`), and
JSON by `loads` (ValueError, as a syntax error is) — which Flask's `request.get_json` uses too
(`JsonProvider`).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Final

from flask.json.provider import DefaultJSONProvider
from pydantic import Field
from werkzeug.routing import IntegerConverter

DB_INT_MAX: Final = 2**63 - 1
"""The largest integer SQLite (and PostgreSQL's bigint) stores."""

MAX_JSON_DEPTH: Final = 32
"""No request the bot serves nests further (a LINE event is about 5 levels deep, an API body 4)."""

_INTEGER: Final = re.compile(r"[+-]?[0-9]{1,19}")

DbInt = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
"""An id or a count in an API body: 0 up to what the database stores."""


def parse_int(text: str | None, *, low: int = -DB_INT_MAX, high: int = DB_INT_MAX) -> int | None:
    """`text` (ASCII digits, an optional sign) as an integer from `low` to `high`; else None."""
    if text is None or not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def db_int(value: object) -> int:
    """A form field's value as an id the database can hold (a wtforms `coerce`); else ValueError."""
    number = parse_int(str(value), low=0)
    if number is None:
        raise ValueError(f"not an id: {str(value)[:32]!r}")
    return number


class IdConverter(IntegerConverter):
    """`<int:...>` in every route of the app, with at most 18 digits: a number the database cannot
    hold matches no route at all, so it is a 404 whatever the method (a number refused after it
    matched would be a 405 for the methods of the route's neighbours)."""

    regex = r"[0-9]{1,18}"


def loads(data: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads`, refusing (ValueError) what nests deeper than `max_depth` arrays and objects."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if _deeper_than(value, max_depth):
        raise ValueError("JSON nested too deeply")
    return value


def _deeper_than(value: Any, max_depth: int) -> bool:
    # A loop, not recursion: the walk must not fail where the parsing did not.
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > max_depth:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies read through `loads`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
