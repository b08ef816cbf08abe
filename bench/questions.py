"""How many of the officials' questions of tests/handlers/questions.yaml the bot answers right.

    .venv/bin/python bench/questions.py [--verbose]

Builds the bot as `setup` does on a fresh SQLite database (seed, then the set's real meetings), with
the set's fixed clock, sends each question as a signed webhook event to /callback (after the
messages it follows), lets the inbox answer, and judges what the LINE stand-in received. Prints the
score per usage class and in total. Not a speed benchmark: it runs anywhere.
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask

from bot import migrate
from bot.app import create_app
from bot.seed import seed_all
from bot.settings import load_settings
from linesim import LineStandIn
from tests.handlers.questions import add_meetings, clock, load_questions
from tests.linebot_helpers import ACCESS_TOKEN, LINE_ENV, Chat, all_text, post_events


def build(workdir: Path, standin: LineStandIn) -> Flask:
    settings: dict[str, Any] = {
        "environment": "test",
        "database": {"url": f"sqlite:///{workdir / 'questions.sqlite3'}"},
        "scheduler": {"embedded": False},
        "content": {"check_seconds": 0},
        "webhook": {"workers": 0},
        "line": {"api_base_url": standin.base_url},
    }
    loaded = load_settings(settings, env=LINE_ENV)
    try:
        app = create_app(loaded, clock=clock)  # type: ignore[call-arg, unused-ignore]
    except TypeError:  # a version of the bot before the injectable clock
        app = create_app(loaded)
    services = app.extensions["bot"]
    migrate.upgrade(services.db.engine)
    with services.db.session() as session:
        seed_all(session)
        add_meetings(session)
    return app


def ask(app: Flask, chat: Chat, text: str) -> str:
    before = len(chat.replies())
    post_events(app.test_client(), [chat.text(text)])
    app.extensions["inbox"].drain()
    return all_text(chat.replies()[before:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each wrong answer")
    args = parser.parse_args()
    questions = load_questions()
    right: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as workdir, LineStandIn(token=ACCESS_TOKEN) as standin:
        app = build(Path(workdir), standin)
        logging.disable(logging.INFO)  # one line per event otherwise
        for number, question in enumerate(questions):
            chat = Chat(standin, user_id=f"U{number:04d}")
            for earlier in question.after:
                ask(app, chat, earlier)
            wrong = question.wrong_in(ask(app, chat, question.text))
            total[question.usage] += 1
            if not wrong:
                right[question.usage] += 1
            elif args.verbose:
                print(f"✗ [{question.usage}] {question.text}: {'; '.join(wrong)}")
        app.extensions["inbox"].stop()
        app.extensions["bot"].close()
    for usage in total:
        print(f"{usage:10s} {right[usage]:3d} / {total[usage]}")
    print(f"{'total':10s} {sum(right.values()):3d} / {sum(total.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
