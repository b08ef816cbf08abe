"""The scheduler: jobs registered by features run under it; a failing job never stops it."""

from __future__ import annotations

import logging
import threading

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
