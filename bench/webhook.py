"""Webhook benchmark: the bot under gunicorn against a flask-echo-shaped bot, same load, same run.

    .venv/bin/python bench/webhook.py [--requests 2000] [--concurrency 32] [--slow-requests 600]
                                      [--variant WEBHOOK_CPU_SLOTS=3] [--bots bot]

Both bots run under gunicorn with the same settings (default: 4 worker processes — two per core of
the 2-core development machine — gthread, 8 threads each; `--gunicorn-workers/--gunicorn-threads`),
the bot's inbox with 16 worker threads per process (`--inbox-workers`), on PostgreSQL
(127.0.0.1:5432/test, a fresh schema), with the LINE stand-in (`python -m linesim`) in its own
process. Every request is a signed webhook holding one text event "ข้อสั่งการล่าสุด" with a unique
webhookEventId and reply token.

1. Throughput: after an unreported warm-up of each bot, `--repeat` rounds in which the bots take turns
   sending `--requests` webhooks, `--concurrency` at a time, LINE answering at once. Reports
   acknowledgements/s, p50/p99 acknowledgement latency, and answers/s (replies the stand-in accepted,
   up to the last one) for each run, then the medians and their ratio. Target: the bot's rate ≥ the
   echo bot's. Then the CPU each party spent per event (median of the runs, from /proc: the bot's
   gunicorn processes, the stand-in, every PostgreSQL process, this load generator): on a machine
   whose cores are shared by all four, the rates follow the sum, and the split says whose it is.
2. Slow LINE: the stand-in takes 1 s per API call; `--slow-requests` webhooks sent at `--slow-rate`/s.
   Target: the bot's acknowledgement p99 < 500 ms and every event answered. The echo bot replies inside
   the request, so its acknowledgement carries LINE's second.

`--variant NAME=VALUE` (repeatable) adds `bot*`, a second copy of the bot with that environment
variable set, in its own schema, taking turns with the others: an A/B of a setting in one run.
`--bots bot` drives the bot alone (for a profiler).

Machines are noisy: compare the bots of one run, not runs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import control, postgres_schema  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"


def gunicorn_settings(workers: int, threads: int) -> list[str]:
    return [
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "30",
    ]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process and its reaped children; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


def _tree(pid: int) -> list[int]:
    """pid and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(child) for child in children)
    return found


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


class CpuMeter:
    """CPU seconds spent by each party during one run: the bot under test, the stand-in, PostgreSQL
    and the load generator. Per-process figures do not suffer from the machine's noise the way
    wall-clock rates do: they say what each event costs, whoever else is running."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots

    def sample(self) -> dict[str, float]:
        sample = {name: sum(_proc_cpu(p) for p in _tree(pid)) for name, pid in self.roots.items()}
        sample["postgres"] = sum(_proc_cpu(p) for p in _postgres_pids())
        usage = os.times()
        sample["load"] = usage.user + usage.system
        return sample

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: max(0.0, after[name] - before[name]) for name in after}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def process(args: list[str], env: dict[str, str], ready_url: str) -> Iterator[subprocess.Popen[bytes]]:
    # Logs go to a file, not a pipe nobody reads (a full pipe would block the server's log writes).
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(ready_url)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def webhook_body(text: str) -> bytes:
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": "U" + uuid.uuid4().hex},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": uuid.uuid4().hex[:18], "quoteToken": "q", "text": text},
    }
    return json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


async def _send(
    session: aiohttp.ClientSession, url: str, latencies: list[float], failures: list[int]
) -> None:
    body = webhook_body("ข้อสั่งการล่าสุด")
    started = time.perf_counter()
    async with session.post(
        url, data=body, headers={"X-Line-Signature": sign(body), "Content-Type": "application/json"}
    ) as response:
        await response.read()
        if response.status != 200:
            failures.append(response.status)
    latencies.append(time.perf_counter() - started)


async def closed_loop(url: str, total: int, concurrency: int) -> tuple[float, list[float], list[int]]:
    latencies: list[float] = []
    failures: list[int] = []
    queue = iter(range(total))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:

        async def worker() -> None:
            for _ in queue:
                await _send(session, url, latencies, failures)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, failures


async def open_loop(url: str, total: int, rate: float) -> tuple[float, list[float], list[int]]:
    latencies: list[float] = []
    failures: list[int] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000)) as session:
        started = time.perf_counter()
        tasks = []
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_send(session, url, latencies, failures)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return elapsed, latencies, failures


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def answered(standin: str, since: int) -> tuple[int, float]:
    """Replies LINE accepted since `since`, and the time (epoch) of the last one."""
    summary = control(standin, f"received?since={since}&endpoint=reply&summary=1")
    return summary["statuses"].get("200", 0), summary["lastTime"].get("200", 0.0)


def wait_answered(standin: str, since: int, expected: int, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    count, last = 0, 0.0
    while time.perf_counter() - started < timeout:
        count, last = answered(standin, since)
        if count >= expected:
            break
        time.sleep(0.5)
    return count, last


def report(
    name: str,
    started: float,
    elapsed: float,
    latencies: list[float],
    failures: list[int],
    answer: tuple[int, float],
) -> tuple[float, float]:
    """Print one run; return (acknowledgements/s, answers/s)."""
    count, last = answer
    acks = len(latencies) / elapsed
    answers = count / (last - started) if last > started else 0.0
    p50, p99 = statistics.median(latencies) * 1000, percentile(latencies, 99) * 1000
    print(
        f"  {name:<5} {acks:7.1f} acks/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  non-200 {len(failures):3d}"
        f"  answered {count}/{len(latencies)} at {answers:6.1f}/s"
    )
    return acks, answers


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs per bot, taking turns")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--slow-requests", type=int, default=600)
    parser.add_argument("--slow-rate", type=float, default=60.0)
    parser.add_argument("--inbox-workers", type=int, default=16, help="WEBHOOK_WORKERS of the bot")
    parser.add_argument("--gunicorn-workers", type=int, default=4, help="processes, both bots")
    parser.add_argument("--gunicorn-threads", type=int, default=8, help="threads per process, both bots")
    parser.add_argument(
        "--deploy",
        action="store_true",
        help="as an outside reviewer runs it: both bots under docs/deploy/gunicorn.conf.py"
        " (WEB_CONCURRENCY=--gunicorn-workers, its access log), the bot with config.yaml's own"
        " log level and inbox workers",
    )
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="the embedded default as a reviewer runs it: both bots under plain gunicorn"
        " (`gunicorn --workers N`: sync workers), the bot on SQLite with config.yaml's settings",
    )
    parser.add_argument(
        "--bots", default="echo,bot", help="which bots to drive (one alone: for profiling, no ratio)"
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="also drive `bot*`, the bot with this environment variable set (repeatable), in its own"
        " schema: A/B of a setting in one run, e.g. --variant WEBHOOK_GROUP_COMMIT=false",
    )
    args = parser.parse_args()
    variant = dict(item.split("=", 1) for item in args.variant)

    line_port = free_port()
    standin = f"http://127.0.0.1:{line_port}"
    base_env = {
        **os.environ,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": standin,
    }
    stand_in = [PYTHON, "-m", "linesim", "--port", str(line_port), "--token", TOKEN, "--rate", "0"]
    if args.embedded:
        settings = ["--workers", str(args.gunicorn_workers)]
    elif args.deploy:
        settings = ["-c", "docs/deploy/gunicorn.conf.py"]
        base_env["WEB_CONCURRENCY"] = str(args.gunicorn_workers)
        base_env["WEB_THREADS"] = str(args.gunicorn_threads)
    else:
        settings = gunicorn_settings(args.gunicorn_workers, args.gunicorn_threads)
    gunicorn = [str(BIN / "gunicorn"), *settings]
    names = [name for name in ("echo", "bot") if name in args.bots.split(",")]
    if variant:
        names.append("bot*")
    with contextlib.ExitStack() as stack:
        standin_proc = stack.enter_context(process(stand_in, base_env, f"{standin}/_standin/health"))
        ports, pids = {}, {"standin": standin_proc.pid}
        for name in names:
            port = ports[name] = free_port()
            bind = ["--bind", f"127.0.0.1:{port}"]
            if name == "echo":
                command, env, ready = [*gunicorn, *bind, "bench.echo_bot:app"], base_env, "/"
            else:
                tuned = {"WEBHOOK_WORKERS": str(args.inbox_workers), "LOG_LEVEL": "WARNING"}
                if args.deploy or args.embedded:
                    tuned = {}
                if args.embedded:
                    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-sqlite-"))
                    database = f"sqlite:///{folder}/bot.sqlite3"
                else:
                    database = stack.enter_context(postgres_schema())
                env = {
                    **base_env,
                    "DATABASE_URL": database,
                    **tuned,
                    "SCHEDULER_EMBEDDED": "false",
                    **(variant if name == "bot*" else {}),
                }
                setup = [str(BIN / "flask"), "--app", "wsgi", "setup"]
                subprocess.run(setup, cwd=ROOT, env=env, check=True, capture_output=True)
                command, ready = [*gunicorn, *bind, "wsgi:app"], "/healthz"
            pids[name] = stack.enter_context(process(command, env, f"http://127.0.0.1:{port}{ready}")).pid
        meter = CpuMeter(pids)
        run_bots(args, standin, ports, meter, settings, variant)


def run_bots(
    args: argparse.Namespace,
    standin: str,
    bots: dict[str, int],
    meter: CpuMeter,
    settings: list[str],
    variant: dict[str, str],
) -> None:
    cpu: dict[str, list[dict[str, float]]] = {name: [] for name in bots}
    inbox = "config.yaml's" if args.deploy or args.embedded else str(args.inbox_workers)
    database = "SQLite" if args.embedded else "PostgreSQL"
    print(f"gunicorn {' '.join(settings)}; bot inbox {inbox} threads/process; {database}")
    if variant:
        print("bot*: the bot with " + " ".join(f"{k}={v}" for k, v in variant.items()))
    print(f"\n1. {args.requests} webhooks, {args.concurrency} at a time, LINE answering at once")
    warm_up = next_index(standin)
    for port in bots.values():  # warm-up, not reported: the first run of a fresh worker is slow
        asyncio.run(closed_loop(f"http://127.0.0.1:{port}/callback", 300, args.concurrency))
    wait_answered(standin, warm_up, 300 * len(bots), 60)  # its answers must not count later
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in bots}
    for _ in range(args.repeat):  # the bots take turns, so all see the same noise
        for name, port in bots.items():
            since, started = next_index(standin), time.time()
            url = f"http://127.0.0.1:{port}/callback"
            before = meter.sample()
            elapsed, latencies, failures = asyncio.run(closed_loop(url, args.requests, args.concurrency))
            answer = wait_answered(standin, since, args.requests, 120)
            cpu[name].append(CpuMeter.spent(before, meter.sample()))
            rates[name].append(report(name, started, elapsed, latencies, failures, answer))
    if args.repeat > 1 and "echo" in bots and len(bots) > 1:
        medians = {n: [statistics.median(r[i] for r in rs) for i in (0, 1)] for n, rs in rates.items()}
        for name, (acks, answers) in medians.items():
            print(f"  median {name:<5} {acks:7.1f} acks/s, answers {answers:7.1f}/s")
        echo = medians["echo"]
        for name in bots.keys() - {"echo"}:
            ours = medians[name]
            print(f"  ratio {name}/echo: acks {ours[0] / echo[0]:.2f}, answers {ours[1] / echo[1]:.2f}")
    print("  CPU ms per event (median of the runs): the bot itself, the stand-in, PostgreSQL, the load")
    for name in bots:
        parts = {
            party: statistics.median(run[party] for run in cpu[name]) * 1000 / args.requests
            for party in (name, "standin", "postgres", "load")
        }
        print("  " + f"{name:<5} " + "  ".join(f"{party} {ms:5.2f}" for party, ms in parts.items()))
    if not args.slow_requests:
        return
    control(standin, "config", {"latency_ms": 1000})
    print(f"\n2. slow LINE (1 s per call): {args.slow_requests} webhooks at {args.slow_rate:g}/s")
    for name, port in bots.items():
        since, started = next_index(standin), time.time()
        url = f"http://127.0.0.1:{port}/callback"
        elapsed, latencies, failures = asyncio.run(open_loop(url, args.slow_requests, args.slow_rate))
        answer = wait_answered(standin, since, args.slow_requests, 120)
        report(name, started, elapsed, latencies, failures, answer)


def next_index(standin: str) -> int:
    """The index the stand-in will give its next recorded request."""
    index: int = control(standin, "received?since=0&summary=1")["next"]
    return index


if __name__ == "__main__":
    main()
