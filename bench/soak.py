"""Soak test: a small production on this machine, ten minutes of traffic, two faults, and the ledger.

    .venv/bin/python bench/soak.py [--minutes 10] [--rate 20] [--groups 3000] [--out docs/soak-results.json]

What runs (each its own process, as on separate hosts):
- two web processes: gunicorn with docs/deploy/gunicorn.conf.py, one worker each (webhook, API);
- two scheduler processes: `flask --app wsgi scheduler` (one active, one standby, by the Redis lock);
- one PostgreSQL (a fresh schema in the `test` database) and one Redis (database 13, own prefix);
- the LINE stand-in, in this process, answering 1% of requests with 500 (reply and push alike).

What happens:
- chat webhooks at `--rate` events/s, alternating between the two web processes: 70% one-to-one
  from 400 officials, 30% in 200 provincial groups, all questions the bot answers ("ข้อสั่งการล่าสุด",
  "เมนู", "E7", ...); ~5% are sent a second time (LINE's duplicates). A request that is not answered
  200 is sent again 2 s later with `isRedelivery: true`, as LINE does.
- a broadcast to every registered group (`--groups`) every minute, through the admin API.
- Redis is shut down and started again at 30% of the run, PostgreSQL restarted at 60%.

The ledger, printed and written to `--out` (docs/soak.md explains a run):
- events received (acknowledged 200 at least once), answered once, answered twice (two replies
  accepted for one event: must be 0), reply attempted twice, expired, failed (LINE answered the
  reply 500: a reply has no retry key, so it is not repeated), lost (acknowledged but never worked:
  must be 0);
- broadcast deliveries: per broadcast and group, pushes LINE accepted: duplicates and misses must be 0;
- acknowledgement latency p50/p99 outside the fault windows and during them;
- memory (RSS) of each process at start and end, and the slope of a straight line through it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import postgres_schema  # noqa: E402
from bot import postback  # noqa: E402
from handlers.webhook import signature_of  # noqa: E402
from linesim import LineStandIn  # noqa: E402

TOKEN = "soak-access-token"
SECRET = "soak-channel-secret"
ADMIN = "soak-admin-token"
REDIS_URL = "redis://127.0.0.1:6379/13"
QUESTIONS = ["ข้อสั่งการล่าสุด", "เมนู", "E7", "10Es", "ประชุมล่าสุด", "ขยะติดเชื้อ", "help", "สถานะ"]
GROUP_QUESTIONS = ["ข้อสั่งการล่าสุด", "เมนู", "E7", "10Es", "ประชุมล่าสุด"]
PROVINCES_SAMPLE = ["เชียงใหม่", "ขอนแก่น", "สงขลา", "ชลบุรี", "นครราชสีมา", "ภูเก็ต", "น่าน", "อุดรธานี"]


def acknowledged_broadcast(pushed: Any) -> int | None:
    """The broadcast that a pushed message's "รับทราบ" button names, wherever the button sits."""
    if isinstance(pushed, dict):
        if pushed.get("type") == "postback":
            pressed = postback.decode(str(pushed.get("data", "")))
            if isinstance(pressed, postback.Acknowledge):
                return pressed.broadcast_id
        children: Any = pushed.values()
    elif isinstance(pushed, list):
        children = pushed
    else:
        return None
    for child in children:
        found = acknowledged_broadcast(child)
        if found is not None:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def now() -> float:
    return time.monotonic()


# --- the processes ---------------------------------------------------------------------------------


@dataclass
class Deployment:
    env: dict[str, str]
    web_urls: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = Path(tempfile.gettempdir()) / "soak-logs"

    def start(self, name: str, command: list[str], extra: dict[str, str] | None = None) -> None:
        self.logs.mkdir(exist_ok=True)
        out = (self.logs / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **(extra or {})}, stdout=out, stderr=subprocess.STDOUT
        )

    def web(self, name: str) -> None:
        port = free_port()
        multiproc = Path(tempfile.mkdtemp(prefix=f"soak-metrics-{name}-"))
        self.start(
            name,
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "docs/deploy/gunicorn.conf.py", "wsgi:app"],
            {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "PROMETHEUS_MULTIPROC_DIR": str(multiproc)},
        )
        self.web_urls.append(f"http://127.0.0.1:{port}")

    def scheduler(self, name: str) -> None:
        self.start(name, [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "scheduler"])

    def pids(self) -> dict[str, int]:
        """Every process that does the work: gunicorn workers (not their masters) and schedulers."""
        found: dict[str, int] = {}
        for name, process in self.processes.items():
            if name.startswith("web"):
                children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
                kids = children.read_text().split() if children.exists() else []
                for kid in kids:
                    found[f"{name}-worker"] = int(kid)
            else:
                found[name] = process.pid
        return found

    def stop(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def http(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return 0, b""


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = now() + timeout
    while now() < deadline:
        if http("GET", f"{url}/healthz", timeout=2)[0] == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not come up")


# --- faults ------------------------------------------------------------------------------------------


def restart_redis() -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False, capture_output=True)
    time.sleep(5)  # down for a few seconds, as in a real restart
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log",
        ],
        check=True,
        capture_output=True,
    )
    for _ in range(60):
        try:
            redis.Redis.from_url(REDIS_URL).ping()
            return
        except redis.RedisError:
            time.sleep(0.5)


def restart_postgres() -> None:
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
        check=True,
        capture_output=True,
    )


# --- traffic -------------------------------------------------------------------------------------------


@dataclass
class Sent:
    event_id: str
    token: str
    at: float
    latency: float
    status: int


@dataclass
class Traffic:
    deployment: Deployment
    rate: float
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    sends: list[Sent] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)
    tokens: dict[str, str] = field(default_factory=dict)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    duplicates_sent: int = 0
    redeliveries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_web: Iterator[str] | None = None

    def web_url(self) -> str:
        if self._next_web is None:
            self._next_web = itertools.cycle(self.deployment.web_urls)
        with self.lock:
            return next(self._next_web)

    def new_event(self, groups: list[str]) -> dict[str, Any]:
        in_group = self.rng.random() < 0.3
        user = f"U{self.rng.randrange(400):032d}"
        source: dict[str, Any] = {"type": "user", "userId": user}
        text = self.rng.choice(QUESTIONS)
        if in_group:
            source = {"type": "group", "groupId": self.rng.choice(groups[:200]), "userId": user}
            text = self.rng.choice(GROUP_QUESTIONS)
        event_id = uuid.uuid4().hex.upper()[:26]
        token = uuid.uuid4().hex
        self.tokens[event_id] = token
        return {
            "type": "message",
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": source,
            "webhookEventId": event_id,
            "deliveryContext": {"isRedelivery": False},
            "replyToken": token,
            "message": {"type": "text", "id": uuid.uuid4().hex[:18], "quoteToken": "q", "text": text},
        }

    def post(self, event: dict[str, Any], pool: ThreadPoolExecutor, attempt: int = 0) -> None:
        body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Line-Signature": signature_of(SECRET, body)}
        started = now()
        status, _ = http("POST", f"{self.web_url()}/callback", body, headers, timeout=10)
        latency = now() - started
        with self.lock:
            self.sends.append(Sent(event["webhookEventId"], event["replyToken"], started, latency, status))
            if status == 200:
                self.acked.add(event["webhookEventId"])
        if status != 200 and attempt < 30:  # LINE redelivers what was not acknowledged
            redelivery = {**event, "deliveryContext": {"isRedelivery": True}}
            with self.lock:
                self.redeliveries += 1
            threading.Timer(2.0, lambda: pool.submit(self.post, redelivery, pool, attempt + 1)).start()

    def run(self, groups: list[str], until: float, pool: ThreadPoolExecutor) -> None:
        interval = 1.0 / self.rate
        tick = now()
        while now() < until:
            if self.bodies and self.rng.random() < 0.05:
                event = self.rng.choice(self.bodies)
                self.duplicates_sent += 1
            else:
                event = self.new_event(groups)
                self.bodies.append(event)
            pool.submit(self.post, event, pool)
            tick += interval
            time.sleep(max(0.0, tick - now()))


def broadcaster(
    deployment: Deployment, until: float, created: list[tuple[float, int]], stop: threading.Event
) -> None:
    number = 0
    next_at = now() + 20
    while now() < until and not stop.is_set():
        if now() < next_at:
            time.sleep(0.5)
            continue
        number += 1
        body = json.dumps(
            {"text": f"แจ้งเตือนทดสอบ {number}", "target": {"all": True}, "urgent": True}
        ).encode()
        headers = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}
        for attempt in range(30):
            status, answer = http(
                "POST", f"{deployment.web_urls[attempt % 2]}/api/broadcasts", body, headers, timeout=30
            )
            if status == 201:
                created.append((now(), int(json.loads(answer)["id"])))
                break
            time.sleep(3)
        next_at += 60


# --- the ledger ----------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    if len(points) < 3:
        return float("nan")
    xs = [t / 60 for t, _ in points]
    ys = [m for _, m in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator if denominator else 0.0


def ledger(
    traffic: Traffic,
    standin: LineStandIn,
    database_url: str,
    broadcasts: list[tuple[float, int]],
    windows: dict[str, tuple[float, float]],
    memory: dict[str, list[tuple[float, float]]],
    started: float,
) -> dict[str, Any]:
    replies: dict[str, list[int]] = defaultdict(list)
    for request in standin.received(endpoint="reply"):
        body = request.body if isinstance(request.body, dict) else {}
        replies[str(body.get("replyToken"))].append(request.status)
    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as connection:
        inbox = dict(connection.execute("SELECT webhook_event_id, status FROM inbox_events").fetchall())
        rows = connection.execute(
            "SELECT d.broadcast_id, g.line_group_id, d.status"
            " FROM deliveries d JOIN line_groups g ON g.id = d.group_id"
        ).fetchall()
    received = traffic.acked
    outcome: Counter[str] = Counter()
    for event_id in received:
        accepted = replies.get(traffic.tokens[event_id], [])
        status = inbox.get(event_id)
        if accepted.count(200) == 1:
            outcome["answered once"] += 1
        if accepted.count(200) >= 2:
            outcome["answered twice"] += 1
        if len(accepted) >= 2:
            outcome["reply attempted twice"] += 1
        if status == "expired":
            outcome["expired"] += 1
        if status == "failed":
            outcome["failed (LINE 500 on reply)"] += 1
        if status is None or status in ("pending", "processing"):
            outcome["lost"] += 1
    pushes: Counter[tuple[int, str]] = Counter()
    for delivery in standin.deliveries():
        if delivery.via != "push" or delivery.to is None:
            continue
        broadcast_id = acknowledged_broadcast(delivery.messages)
        if broadcast_id is not None:
            pushes[(broadcast_id, delivery.to)] += 1
    expected = {(int(b), str(g)) for b, g, _ in rows}
    statuses = Counter(str(s) for _, _, s in rows)
    duplicates = sum(1 for count in pushes.values() if count > 1)
    misses = sum(1 for key in expected if pushes[key] == 0)

    def in_window(at: float) -> bool:
        return any(start <= at <= end for start, end in windows.values())

    ok = [s for s in traffic.sends if s.status == 200]
    outside = [s.latency * 1000 for s in ok if not in_window(s.at)]
    during = [s.latency * 1000 for s in traffic.sends if in_window(s.at)]
    refused_during = sum(1 for s in traffic.sends if in_window(s.at) and s.status != 200)
    return {
        "events": {
            "sent (distinct)": len(traffic.bodies),
            "duplicates sent": traffic.duplicates_sent,
            "redeliveries sent": traffic.redeliveries,
            "received (acknowledged 200)": len(received),
            **dict(outcome),
            "lost": outcome.get("lost", 0),
            "answered twice": outcome.get("answered twice", 0),
        },
        "broadcasts": {
            "created": len(broadcasts),
            "deliveries (rows)": len(rows),
            "by status": dict(statuses),
            "pushes accepted by LINE": sum(pushes.values()),
            "duplicates": duplicates,
            "misses": misses,
        },
        "ack latency ms": {
            "outside faults p50": round(percentile(outside, 0.5), 1),
            "outside faults p99": round(percentile(outside, 0.99), 1),
            "during faults p50": round(percentile(during, 0.5), 1),
            "during faults p99": round(percentile(during, 0.99), 1),
            "requests during faults": len(during),
            "not acknowledged during faults (redelivered)": refused_during,
        },
        "fault windows s": {
            name: [round(a - started, 1), round(b - started, 1)] for name, (a, b) in windows.items()
        },
        "memory MB": {
            name: {
                "start": round(points[0][1], 1),
                "end": round(points[-1][1], 1),
                "slope MB/min (after warm-up)": round(
                    slope_mb_per_min([p for p in points if p[0] >= 120]), 3
                ),
            }
            for name, points in memory.items()
            if points
        },
    }


# --- main ----------------------------------------------------------------------------------------------


@contextmanager
def deployment(database_url: str, prefix: str, line_url: str) -> Iterator[Deployment]:
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": database_url,
        "DATABASE_POOL_SIZE": "10",
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "LINE_API_BASE_URL": line_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "ADMIN_TOKEN": ADMIN,
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "BROADCASTS_CHECK_SECONDS": "2",
        "SCHEDULER_HEARTBEAT_SECONDS": "5",
    }
    setup = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        raise SystemExit(setup.stderr)
    running = Deployment(env)
    try:
        running.web("web1")
        running.web("web2")
        running.scheduler("scheduler1")
        running.scheduler("scheduler2")
        for url in running.web_urls:
            wait_ready(url)
        yield running
    finally:
        running.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=20, help="chat webhooks per second")
    parser.add_argument("--groups", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "soak-results.json")
    parser.add_argument("--no-faults", action="store_true", help="no Redis or PostgreSQL restart (a dry run)")
    args = parser.parse_args()
    prefix = f"soak-{uuid.uuid4().hex[:8]}:"
    with postgres_schema() as database_url, LineStandIn(TOKEN, error_rate=0.01, seed=11) as standin:
        groups = standin.add_groups(args.groups, member_count=20, name_prefix="สถ.จ.")
        with deployment(database_url, prefix, standin.base_url) as running:
            rows = [
                {"group_id": g, "province": PROVINCES_SAMPLE[i % len(PROVINCES_SAMPLE)], "member_count": 20}
                for i, g in enumerate(groups)
            ]
            status, answer = http(
                "POST",
                f"{running.web_urls[0]}/api/groups",
                json.dumps({"groups": rows}).encode(),
                {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"},
                timeout=120,
            )
            if status != 200:
                raise SystemExit(f"group registration failed: {status} {answer[:200]!r}")
            duration = args.minutes * 60
            started = now()
            until = started + duration
            traffic = Traffic(running, args.rate)
            windows: dict[str, tuple[float, float]] = {}
            memory: dict[str, list[tuple[float, float]]] = defaultdict(list)
            created: list[tuple[float, int]] = []
            stop = threading.Event()

            def faults() -> None:
                for name, at, action in (
                    ("redis", 0.3, restart_redis),
                    ("postgresql", 0.6, restart_postgres),
                ):
                    time.sleep(max(0.0, started + at * duration - now()))
                    begin = now()
                    print(f"[{begin - started:6.1f} s] restarting {name}", flush=True)
                    action()
                    windows[name] = (begin, now() + 10)  # the window covers recovery too
                    print(f"[{now() - started:6.1f} s] {name} back", flush=True)

            def sample_memory() -> None:
                while not stop.is_set():
                    for name, pid in running.pids().items():
                        if (value := rss_mb(pid)) is not None:
                            memory[name].append((now() - started, value))
                    stop.wait(15)

            threads = [
                *([] if args.no_faults else [threading.Thread(target=faults, daemon=True)]),
                threading.Thread(target=sample_memory, daemon=True),
                threading.Thread(target=broadcaster, args=(running, until, created, stop), daemon=True),
            ]
            for thread in threads:
                thread.start()
            with ThreadPoolExecutor(max_workers=32) as pool:
                traffic.run(groups, until, pool)
                print(f"[{now() - started:6.1f} s] traffic stopped; waiting for the last answers", flush=True)
                time.sleep(5)
            drain_deadline = now() + 180
            while now() < drain_deadline:
                with psycopg.connect(database_url) as connection:
                    open_events = connection.execute(
                        "SELECT count(*) FROM inbox_events WHERE status IN ('pending', 'processing')"
                    ).fetchone()
                    open_deliveries = connection.execute(
                        "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')"
                    ).fetchone()
                if (open_events or [1])[0] == 0 and (open_deliveries or [1])[0] == 0:
                    break
                time.sleep(2)
            stop.set()
            for name, pid in running.pids().items():
                if (value := rss_mb(pid)) is not None:
                    memory[name].append((now() - started, value))
            result = ledger(traffic, standin, database_url, created, windows, memory, started)
            result["settings"] = {
                "minutes": args.minutes,
                "rate": args.rate,
                "groups": args.groups,
                "line 500 rate": 0.01,
            }
            text = json.dumps(result, ensure_ascii=False, indent=2)
            print(text, flush=True)  # before the clean-up: nothing after this can lose the figures
            args.out.parent.mkdir(exist_ok=True)
            args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
