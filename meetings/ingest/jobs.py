"""URL imports off the request thread: the console and the admin API queue a job, a small thread pool
of the web process fetches and ingests it, and the page (or the API client) polls the job's row.

The row is the truth, so any web process answers the poll. A job whose process died while it was
queued or running is marked failed once it is older than the fetch deadline plus a margin. A worker
starts a job only if it is still queued and records the outcome only if it is still running, in the
transaction that stores the meeting: a job reported failed never turns into a meeting afterwards.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.models import ImportJob, ImportJobStatus, utcnow
from bot.services import Services
from bot.settings import Settings
from meetings import publishing
from meetings.ingest import texts
from meetings.ingest.service import IngestError, check_import_url, fetch_article, ingest_text

log = logging.getLogger(__name__)

# Beyond the fetch's own deadline: parsing and storing, and a wait in the pool's queue.
STALE_MARGIN_SECONDS = 120
_UNFINISHED = (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)


class _GivenUp(Exception):
    """The job was marked failed (stale) while it ran: its meeting is not stored."""


class ImportRunner:
    """The import threads of one web process, started with its first job (after gunicorn's fork)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.services.settings.ingest.import_workers, thread_name_prefix="import"
                )
            self._executor.submit(run_job, self.services, job_id)

    def stop(self) -> None:
        """Finish the jobs in hand; those still queued are left to be marked stale."""
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None


def queue_import(
    services: Services, runner: ImportRunner, url: str, *, actor: str, publish: bool
) -> ImportJob:
    """Check the URL (IngestError at once if the fetch would refuse it), record the job, queue it."""
    url = check_import_url(url, services.settings.ingest)
    with services.db.session() as session:
        job = ImportJob(url=url, actor=actor, publish=publish, status=ImportJobStatus.QUEUED)
        session.add(job)
        session.flush()
    runner.submit(job.id)
    return job


def stale_after(settings: Settings) -> dt.timedelta:
    return dt.timedelta(seconds=settings.ingest.fetch_timeout_seconds + STALE_MARGIN_SECONDS)


def load_job(session: Session, job_id: int, settings: Settings) -> ImportJob | None:
    """A job as it stands; one left unfinished by a process that died is marked failed first."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status not in _UNFINISHED or job.updated_at >= utcnow() - stale_after(settings):
        return job
    _set(session, job_id, job.status, status=ImportJobStatus.FAILED, error=texts.IMPORT_ABANDONED)
    session.refresh(job)
    return job


def _set(session: Session, job_id: int, expected: ImportJobStatus, **values: Any) -> bool:
    """Move a job on from `expected`; False when it is no longer there (another actor moved it)."""
    now = utcnow()
    if values.get("status") in (ImportJobStatus.DONE, ImportJobStatus.FAILED):
        values["finished_at"] = now
    moved: int = session.execute(  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == expected)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    return moved == 1


def run_job(services: Services, job_id: int) -> None:
    """Fetch and ingest one queued job, recording how it ended."""
    with services.db.session() as session:
        if not _set(
            session, job_id, ImportJobStatus.QUEUED, status=ImportJobStatus.RUNNING, started_at=utcnow()
        ):
            return
        job = session.get_one(ImportJob, job_id)
        url, actor, publish = job.url, job.actor, job.publish
    try:
        text = fetch_article(url, services.settings.ingest)
        with services.db.session() as session:
            result = ingest_text(session, text, source_url=url, to_publish=publish, actor=actor)
            done = _set(
                session,
                job_id,
                ImportJobStatus.RUNNING,
                status=ImportJobStatus.DONE,
                meeting_id=result.meeting.id,
                meeting_created=result.created,
            )
            if not done:
                raise _GivenUp
    except IngestError as error:
        _fail(services, job_id, str(error).splitlines()[0])
        return
    except _GivenUp:
        log.warning("import %s: given up as stale while it ran; nothing stored", job_id)
        return
    except Exception as error:  # the job must end, whatever broke: the editor is waiting for it
        log.exception("import %s failed", job_id)
        _fail(services, job_id, texts.IMPORT_FAILED.format(error=type(error).__name__))
        return
    if result.published_now:
        publishing.announce_published(services, result.meeting.id, urgent=False, actor=actor)
    log.info("import %s: %s is meeting %s", job_id, url, result.meeting.id)


def _fail(services: Services, job_id: int, message: str) -> None:
    with services.db.session() as session:
        _set(session, job_id, ImportJobStatus.RUNNING, status=ImportJobStatus.FAILED, error=message[:1000])
