"""The conversation as officials meet it: questions sent as signed events through the real /callback,
answers read from the LINE stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from linesim import LineStandIn
from tests.conftest import services_of
from tests.handlers.test_webhook import ask
from tests.linebot_helpers import Chat, all_text


@pytest.fixture
def bot(make_bot: Callable[..., Flask]) -> Flask:
    return make_bot()


def test_a_topic_without_a_command_is_searched_once(
    bot: Flask, standin: LineStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = services_of(bot).search
    calls: list[str] = []
    real = search.search

    def counted(query: Any, limit: int = 10) -> Any:
        calls.append(str(query))
        return real(query, limit)

    monkeypatch.setattr(search, "search", counted)
    answer = all_text(ask(bot, Chat(standin), "ขยะติดเชื้อ"))
    assert "มูลฝอยติดเชื้อ" in answer
    assert len(calls) == 1
