"""The deployment as shipped: gunicorn with docs/deploy/gunicorn.conf.py, stopped with SIGTERM while
LINE is slow. Events in hand are answered before the worker exits; the others wait in the inbox for
the next process; nothing is answered twice. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from bot.models import InboxEvent, InboxStatus
from handlers.inbox import Inbox
from handlers.webhook import signature_of
from linesim import LineStandIn
from tests.conftest import free_port, services_of
from tests.linebot_helpers import ACCESS_TOKEN, CHANNEL_SECRET, LINE_ENV, Chat

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    # Generous: each worker imports the app (seconds of CPU), and on a loaded 2-core machine gunicorn
    # answered /healthz, but each time after the 2 s the client waited, for a whole minute.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited at start"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not come up")


def test_sigterm_finishes_the_answers_in_hand_and_loses_nothing(
    build_app: Callable[..., Flask], database_url: str, tmp_path: Path
) -> None:
    with LineStandIn(token=ACCESS_TOKEN, latency_ms=1500) as standin:
        # The database, migrated and seeded, shared with the gunicorn process.
        later = build_app({"line": {"api_base_url": standin.base_url}}, env=LINE_ENV)
        port = free_port()
        env = {
            **os.environ,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
            "ENVIRONMENT": "test",
            "DATABASE_URL": database_url,
            "LINE_API_BASE_URL": standin.base_url,
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
            "WEBHOOK_WORKERS": "2",  # two answers in hand at a time; the rest wait their turn
            "WEBHOOK_BATCH_SIZE": "1",
            "SCHEDULER_EMBEDDED": "false",
        }
        env.pop("BOT_CONFIG", None)
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "docs/deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_up(url, process)
            chats = [Chat(standin, user_id=f"U{n:032d}") for n in range(8)]
            events = [chat.text("เมนู") for chat in chats]
            for event in events:
                assert _post(url, [event]) == 200
            standin.wait_for_requests(1, timeout=10)  # answers are in flight (LINE takes 1.5 s)
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

        with services_of(later).db.session() as session:
            statuses = Counter(e.status for e in session.scalars(select(InboxEvent)))
        assert statuses[InboxStatus.PROCESSING] == 0, "an answer in hand was abandoned at exit"
        assert statuses[InboxStatus.DONE] >= 1
        assert statuses[InboxStatus.DONE] + statuses[InboxStatus.PENDING] == len(events)

        # The next process answers the rest; every event is answered exactly once.
        inbox: Inbox = later.extensions["inbox"]
        inbox.drain()
        replies = Counter(
            r.body["replyToken"] for r in standin.received(endpoint="reply") if isinstance(r.body, dict)
        )
        assert sorted(replies) == sorted(e["replyToken"] for e in events)
        assert set(replies.values()) == {1}


def _post(url: str, events: list[dict[str, object]]) -> int:
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        f"{url}/callback",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": signature_of(CHANNEL_SECRET, body)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def test_with_log_format_json_every_line_gunicorn_writes_is_json(tmp_path: Path) -> None:
    """Its own lines (start, worker boot and exit, signals) and its access lines, with the request id."""
    port = free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "SCHEDULER_EMBEDDED": "false",
        "LOG_FORMAT": "json",
    }
    env.pop("BOT_CONFIG", None)
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "docs/deploy/gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_up(url, process)
        request = urllib.request.Request(f"{url}/healthz", headers={"X-Request-Id": "deploy-test-1"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    lines = [line for line in (stdout + stderr).decode().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, or this raises
    messages = " | ".join(str(record["message"]) for record in records)
    for said in (
        "Starting gunicorn",
        "Listening at",
        "Booting worker",
        "Handling signal: term",
        "Worker exiting",
    ):
        assert said in messages
    access = [
        r for r in records if r["logger"] == "gunicorn.access" and r.get("request_id") == "deploy-test-1"
    ]
    assert len(access) == 1
    assert (access[0]["method"], access[0]["path"], access[0]["status"]) == ("GET", "/healthz", "200")
