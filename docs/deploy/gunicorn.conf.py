"""Gunicorn settings for the web processes (LINE webhook, admin console, admin API).

    gunicorn -c docs/deploy/gunicorn.conf.py wsgi:app

Chosen for a small machine (2 cores, a few GB), explained line by line. Every value can be changed
from the environment without editing this file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

# Listen where the reverse proxy (TLS ends there) forwards to. Never expose gunicorn directly.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# One process per core. Each process is a full bot: its own DB pool, inbox workers and caches.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Threads, not async: the work is short database transactions and LINE calls through pooled
# clients. 8 request threads per process keep the webhook answering (it only stores events) while
# the admin console renders a page; inbox worker threads (webhook.workers) are separate.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))

# A webhook is answered in milliseconds and a console page in well under a second; 30 s only
# catches a stuck worker (an article fetched from a slow site is bounded by ingest.fetch_timeout).
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))

# SIGTERM (deploys, restarts): stop accepting, let requests in flight finish for up to 25 s, then
# `worker_exit` below stops the inbox: answers already built are sent, no new events are taken
# (they wait in the database for the other processes, or for this one after the restart).
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "25"))

# The proxy keeps connections to gunicorn open between requests.
keepalive = 5

# Recycle a worker after this many requests (with jitter so they don't all restart at once):
# bounds the effect of any slow leak. A recycled worker exits gracefully, as on SIGTERM.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000

# Each worker builds its app after the fork: no database connection, thread or Redis client is
# shared between processes.
preload_app = False

# The proxy runs on this host; only it may tell gunicorn the scheme (https) of the request.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log to stdout (journald); the request id ties it to the application's JSON lines.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms req=%({x-request-id}o)s'


def _logconfig() -> dict[str, Any]:
    """With LOG_FORMAT=json (the bot's `log_format`), gunicorn's own lines and its access lines are
    JSON objects like the app's, the access line with the request id as a field (bot/logs.py)."""
    from bot.logs import gunicorn_logconfig
    from bot.settings import ConfigError, load_settings

    try:
        return gunicorn_logconfig(load_settings())
    except ConfigError:
        return {}  # gunicorn's own format; the worker then stops with the setting's one-line error


logconfig_dict = _logconfig()

# Prometheus: every worker (and the scheduler, given the same variable) counts into one directory,
# and /metrics of any worker adds them up. Emptied when gunicorn starts.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(tempfile.gettempdir(), "dla-bot-metrics")
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


def on_starting(server: Any) -> None:
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def worker_exit(server: Any, worker: Any) -> None:
    """Graceful shutdown of one worker: finish the events in hand, take no new ones."""
    app = getattr(worker, "wsgi", None)
    extensions = getattr(app, "extensions", {})
    if "inbox" in extensions:
        extensions["inbox"].stop(timeout=graceful_timeout)
    if "bot" in extensions:
        extensions["bot"].close()
