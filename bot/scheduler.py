"""The scheduler: APScheduler (3.x) running the jobs that features register.

In production it is its own process, `flask --app wsgi scheduler`; `flask --app wsgi serve`
(make run) embeds it in a background thread. Never start it in gunicorn web workers: an APScheduler
job store cannot be shared by several processes. Jobs keep no state in the scheduler: the database is
the source of truth, so a restarted scheduler simply finds due work again.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from redis import RedisError
from sqlalchemy.exc import OperationalError

from bot.models import utcnow
from bot.services import Services

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "scheduler:heartbeat"
JOBS_EXTENSION = "bot.jobs"


@dataclass(frozen=True)
class JobSpec:
    """A job run every `seconds`; `run` gets the services and nothing else."""

    id: str
    run: Callable[[Services], None]
    seconds: float


def register_job(app: Flask, job: JobSpec) -> None:
    """Called by a feature's `init_app` to have its job run by whichever scheduler runs."""
    app.extensions.setdefault(JOBS_EXTENSION, {})[job.id] = job


def registered_jobs(app: Flask) -> list[JobSpec]:
    jobs: dict[str, JobSpec] = app.extensions.get(JOBS_EXTENSION, {})
    return list(jobs.values())


def heartbeat(services: Services) -> None:
    """Record that a scheduler is alive (shown by /healthz); expires if the scheduler dies."""
    ttl = services.settings.scheduler.heartbeat_seconds * 3
    services.kv.set(HEARTBEAT_KEY, utcnow().isoformat(timespec="seconds"), ttl_seconds=ttl)


def _guarded(job: JobSpec, services: Services) -> Callable[[], None]:
    def run() -> None:
        try:
            job.run(services)
        except (RedisError, OperationalError) as error:  # a backing service is down: said in one line
            log.warning("scheduled job %s skipped: %s (%s)", job.id, type(error).__name__, _first_line(error))
        except Exception:  # one failing run must not stop the scheduler; the next run tries again
            log.exception("scheduled job %s failed", job.id)

    return run


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]


def build_scheduler(services: Services, jobs: list[JobSpec], *, background: bool) -> BaseScheduler:
    tz = services.settings.tz
    scheduler: BaseScheduler = (
        BackgroundScheduler(timezone=tz) if background else BlockingScheduler(timezone=tz)
    )
    every = [JobSpec("heartbeat", heartbeat, services.settings.scheduler.heartbeat_seconds), *jobs]
    for job in every:
        scheduler.add_job(
            _guarded(job, services),
            "interval",
            seconds=job.seconds,
            id=job.id,
            name=job.id,
            replace_existing=True,
            coalesce=True,  # after a pause, run once, not once per missed interval
            max_instances=1,
            next_run_time=utcnow(),  # first run at start, not one interval later
        )
    return scheduler


def run_until_stopped(services: Services, jobs: list[JobSpec]) -> None:
    """The scheduler's own process (`flask --app wsgi scheduler`): run the jobs until SIGTERM/SIGINT.

    A signal only sets `services.stopping` and asks the scheduler to shut down; the job running at
    that moment sees the flag (a broadcast finishes the pushes in flight and takes no more), and the
    process exits when it has returned. Work not done is found again by the next scheduler."""
    scheduler = build_scheduler(services, jobs, background=False)

    def stop(signum: int, _frame: object) -> None:
        log.info("scheduler: %s received, finishing the job in hand", signal.Signals(signum).name)
        services.stopping.set()
        threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, name="scheduler-stop").start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler starting with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()
    log.info("scheduler stopped")
