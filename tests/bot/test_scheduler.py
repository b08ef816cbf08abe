"""The scheduler: jobs registered by features run under it; a failing job never stops it."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from flask import Flask

from bot.scheduler import HEARTBEAT_KEY, JobSpec, build_scheduler, register_job, registered_jobs
from bot.services import Services
from tests.conftest import services_of


def test_registered_jobs_and_heartbeat_are_scheduled(app: Flask) -> None:
    register_job(app, JobSpec("example", lambda services: None, seconds=60))
    scheduler = build_scheduler(services_of(app), registered_jobs(app), background=True)
    ids = {job.id for job in scheduler.get_jobs()}
    assert {"example", "heartbeat", "inbox-purge"} <= ids


def test_jobs_run_in_the_background_with_the_services(app: Flask) -> None:
    ran = threading.Event()
    seen: list[Services] = []

    def job(services: Services) -> None:
        seen.append(services)
        ran.set()

    scheduler = build_scheduler(services_of(app), [JobSpec("probe", job, seconds=3600)], background=True)
    scheduler.start()
    try:
        assert ran.wait(timeout=10), "the job did not run at start"
    finally:
        scheduler.shutdown(wait=True)
    assert seen == [services_of(app)]
    assert services_of(app).kv.get(HEARTBEAT_KEY) is not None


def test_a_failing_job_is_logged_and_the_scheduler_goes_on(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    failed = threading.Event()
    healthy = threading.Event()

    def broken(_: Services) -> None:
        failed.set()
        raise RuntimeError("feed down")

    scheduler = build_scheduler(
        services_of(app),
        [JobSpec("broken", broken, seconds=3600), JobSpec("healthy", lambda s: healthy.set(), seconds=3600)],
        background=True,
    )
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        scheduler.start()
        try:
            assert failed.wait(timeout=10) and healthy.wait(timeout=10)
        finally:
            scheduler.shutdown(wait=True)
    assert scheduler.state == 0  # stopped cleanly, not crashed
    assert any("broken failed" in record.getMessage() for record in caplog.records)


SIGTERM_PROBE = """
import sys, time
from pathlib import Path
from bot.scheduler import JobSpec, run_until_stopped
from bot.services import build_services
from bot.settings import load_settings

marks = Path(sys.argv[1])
services = build_services(load_settings({"environment": "test", "database": {"url": sys.argv[2]}}, env={}))

def long_job(services):
    (marks / "started").touch()
    while not services.stopping.is_set():  # a broadcast in progress watches the same flag
        time.sleep(0.05)
    time.sleep(0.5)  # finishing the pushes in flight
    (marks / "finished").touch()

run_until_stopped(services, [JobSpec("long", long_job, seconds=3600)])
(marks / "exited").touch()
"""


def test_sigterm_lets_the_running_job_finish_then_exits(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_PROBE, str(marks), f"sqlite:///{tmp_path / 'db.sqlite3'}"],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 30
        while not (marks / "started").exists():
            assert time.monotonic() < deadline, "the job never started"
            assert process.poll() is None, "the scheduler died"
            time.sleep(0.05)
        assert not (marks / "finished").exists()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert (marks / "finished").exists(), "the job was cut short"
    assert (marks / "exited").exists()
