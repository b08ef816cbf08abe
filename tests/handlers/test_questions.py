"""The evaluation set (questions.yaml) through the real /callback, on SQLite and PostgreSQL: every
question is answered right, but for the known gaps marked `miss`. bench/questions.py prints the
score of all of them, class by class."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from linesim import LineStandIn
from tests.conftest import services_of
from tests.handlers.questions import add_meetings, clock, load_questions
from tests.handlers.test_webhook import ask
from tests.linebot_helpers import Chat, all_text


def test_officials_questions_are_answered_right(make_bot: Callable[..., Flask], standin: LineStandIn) -> None:
    bot = make_bot(clock=clock)
    with services_of(bot).db.session() as session:
        add_meetings(session)
    questions = load_questions()
    wrong: list[str] = []
    for number, question in enumerate(questions):
        chat = Chat(standin, user_id=f"U{number:04d}")
        for earlier in question.after:
            ask(bot, chat, earlier)
        mistakes = question.wrong_in(all_text(ask(bot, chat, question.text)))
        if mistakes and question.miss is None:
            wrong.append(f"{question.text}: {'; '.join(mistakes)}")
    assert len(questions) >= 40
    assert wrong == []
