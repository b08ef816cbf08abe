"""Broadcast benchmark: a national broadcast to 7,850 groups at LINE's push rate limit, exactly once.

    .venv/bin/python bench/broadcast.py [--groups 7850] [--latency-ms 40] [--rate 2000] [--sample 200]
                                        [--runs throughput,reminder,memory,sdk,errors,kill,two]

Each run gets a fresh PostgreSQL schema (127.0.0.1:5432/test, dropped afterwards; `create_app` +
`bot.migrate.upgrade` + `bot.seed.seed_all`), groups spread over the 77 provinces, a text broadcast
with one pending delivery per group, a fresh key prefix in Redis (127.0.0.1:6379) for the shared rate
limit, and its own LINE stand-in process (`python -m linesim`: every request answered after
`--latency-ms`, `--rate` pushes/s enforced with 429s). The sender runs in a child process
(`bench/broadcast.py send ...`, which calls `send_broadcast`), as a scheduler would.

- throughput: elapsed, pushes/s, share of requests answered 429, peak memory of the sender
  (ru_maxrss, and its growth during the send). Target: ≥ 90 % of the rate (7,850 in ≤ 4.4 s), < 1 % 429.
- reminder: the same figures for two broadcasts the bot makes itself, one after the other: the seed
  meeting's summary (`service.schedule_meeting_summary`, as publishing schedules it) to every group,
  then the reminder a week before its first directive's deadline (`broadcasts.reminders.plan`, as the
  scheduler makes it) to the groups of the 76 provinces that have not reported it done, while the
  province that has (its report recorded by `broadcasts.reports.record`) has 100 more groups, which
  must get nothing. Each falls due as the scheduler takes it (`claim_due`, `write_deliveries`), and the
  sender pushes its own messages (`broadcasts.content.messages_for`); then the ratio of the two.
- memory: the same send with tracemalloc on: the peak of Python allocations while sending.
- sdk: a plain loop of line-bot-sdk `push_message` calls to `--sample` groups, for the ratio.
- sdk-async: the fan-out's transport alone (no database, no rate limit), through line-bot-sdk's
  `AsyncMessagingApi` and through `bot.line.fanout.AsyncPushClient`: pushes/s and CPU per push.
- errors: 5 % of pushes answered 500 (3 % on arrival, 2 % after the stand-in accepted them).
- kill: the sender is SIGKILLed once half the groups have it, then started again at once: the
  restarted one waits out the dead one's claims (`broadcasts.sender.LEASE_SECONDS`) and sends the rest.
- two: two sender processes at once on one database and one Redis.

Every run counts what the stand-in accepted per group id and checks each targeted group exactly once
and no other group, each push with its delivery row's retry key (all distinct), and that the database
agrees (every delivery delivered, the broadcast done).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import control, options, postgres_schema, standin_process  # noqa: E402

TOKEN = "bench-access-token"
SECRET = "bench-channel-secret"
T = TypeVar("T")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
MESSAGES = json.dumps(
    [{"type": "text", "text": "แจ้งเวียนด่วน: ขอให้ อปท. ทุกแห่งรายงานผลการดำเนินงานตามข้อสั่งการภายในวันศุกร์"}],
    ensure_ascii=False,
).encode()


def group_id(index: int) -> str:
    return f"C{index:032x}"  # as the stand-in's add_groups names them


def settings_for(database_url: str, line_url: str, key_prefix: str, concurrency: int) -> Any:
    from bot.settings import load_settings

    return load_settings(
        {
            "environment": "test",
            "log_level": "WARNING",
            "database": {"url": database_url, "pool_size": 5},
            "redis": {"url": REDIS, "key_prefix": key_prefix},
            "line": {"api_base_url": line_url},
            "scheduler": {"embedded": False},
            "webhook": {"workers": 0},
            "broadcasts": {"concurrency": concurrency},
        },
        env={"LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_CHANNEL_SECRET": SECRET},
    )


# --- the child: one sender process ------------------------------------------------------------------


def send_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench/broadcast.py send")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--line-url", required=True)
    parser.add_argument("--key-prefix", required=True)
    parser.add_argument("--broadcast-id", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--lease-seconds", type=float, default=None, help="default: the sender's")
    parser.add_argument("--tracemalloc", action="store_true", help="peak of Python allocations (slower)")
    parser.add_argument(
        "--content", action="store_true", help="the broadcast's own messages (as the scheduler sends them)"
    )
    args = parser.parse_args(argv)

    from bot.app import create_app, services_of
    from bot.models import Broadcast
    from broadcasts.content import messages_for
    from broadcasts.sender import send_broadcast

    app = create_app(settings_for(args.database_url, args.line_url, args.key_prefix, args.concurrency))
    services = services_of(app)
    services.db.ping()
    messages = MESSAGES
    if args.content:
        with services.db.session() as session:
            messages = messages_for(session, session.get_one(Broadcast, args.broadcast_id)).encoded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.tracemalloc:
        tracemalloc.start()
    lease = {} if args.lease_seconds is None else {"lease_seconds": args.lease_seconds}
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    report = send_broadcast(services, args.broadcast_id, messages, **lease)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    traced_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    services.close()
    memory = {"maxrss_kb": after, "maxrss_growth_kb": after - before, "traced_peak_bytes": traced_peak}
    memory["cpu_seconds"] = round(cpu_seconds, 3)  # the sender's CPU while sending (all its threads)
    memory["body_bytes"] = len(messages)
    print(json.dumps({**report.__dict__, **memory}), flush=True)


# --- the parent: setup, runs, checks -----------------------------------------------------------------


@dataclass
class World:
    database_url: str
    line_url: str
    key_prefix: str
    broadcast_id: int
    wanted: frozenset[str]  # the LINE group ids the broadcast must reach, each once
    content: bool  # the sender pushes the broadcast's own messages, not the bench's text


@contextmanager
def standin(args: argparse.Namespace, *extra: str) -> Iterator[str]:
    groups = args.groups + max(args.sample, DONE_GROUPS)
    stand_in_options = options(latency_ms=args.latency_ms, rate=args.rate, groups=groups, group_members=20)
    with standin_process(TOKEN, *stand_in_options, *extra) as url:
        yield url


def populate(services: Any, groups: int, done_groups: int = 0) -> None:
    """Migrate and seed, then `groups` groups over the provinces; with `done_groups`, that many more in
    the first province (the one that reports done in the reminder run) and the others over the rest."""
    from sqlalchemy import insert, select

    from bot import migrate
    from bot.models import GroupStatus, LineGroup, Province, utcnow
    from bot.seed import seed_all

    migrate.upgrade(services.db.engine)
    with services.db.session() as session:
        seed_all(session)
    now = utcnow()
    with services.db.session() as session:
        provinces = list(session.scalars(select(Province.id).order_by(Province.id)))
        spread = provinces[1:] if done_groups else provinces
        homes = [spread[n % len(spread)] for n in range(groups)] + [provinces[0]] * done_groups
        session.execute(
            insert(LineGroup),
            [
                {
                    "line_group_id": group_id(n),
                    "name": f"อปท. {n + 1}",
                    "province_id": province,
                    "status": GroupStatus.ACTIVE,
                    "member_count": 20,
                    "member_count_at": now,  # known today: estimating the cost asks LINE nothing
                    "joined_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for n, province in enumerate(homes)
            ],
        )


def text_broadcast(services: Any) -> int:
    """A text broadcast to every group, its deliveries written directly (the sender's own work only)."""
    from sqlalchemy import insert, select

    from bot.models import (
        Broadcast,
        BroadcastKind,
        BroadcastStatus,
        BroadcastTarget,
        Delivery,
        LineGroup,
        new_retry_key,
        utcnow,
    )

    now = utcnow()
    with services.db.session() as session:
        groups = list(session.scalars(select(LineGroup.id).order_by(LineGroup.id)))
        broadcast = Broadcast(
            kind=BroadcastKind.TEXT,
            text="แจ้งเวียนด่วน",
            target_kind=BroadcastTarget.ALL,
            scheduled_at=now,
            status=BroadcastStatus.SENDING,
            started_at=now,
            estimated_cost=20 * len(groups),
        )
        session.add(broadcast)
        session.flush()
        session.execute(
            insert(Delivery),
            [
                {
                    "broadcast_id": broadcast.id,
                    "group_id": gid,
                    "retry_key": new_retry_key(),
                    "created_at": now,
                    "updated_at": now,
                }
                for gid in groups
            ],
        )
        broadcast_id: int = broadcast.id
    return broadcast_id


def _falls_due(services: Any, broadcast_id: int) -> int:
    """What the scheduler does with a broadcast that fell due (broadcasts.scheduler.due_broadcasts):
    claim it, write its deliveries. Called directly so that the bench's own clock (quiet hours now)
    does not postpone it."""
    from bot.models import Broadcast
    from broadcasts import service

    with services.db.session() as session:
        if not service.claim_due(session, broadcast_id):
            raise SystemExit(f"broadcast {broadcast_id} was not scheduled")
        return service.write_deliveries(session, session.get_one(Broadcast, broadcast_id))


def summary_broadcast(services: Any) -> int:
    """The seed meeting's summary, scheduled as publishing it schedules it, to every active group."""
    from sqlalchemy import select

    from bot.models import Meeting
    from broadcasts import service

    with services.db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.published_at.is_not(None))).one()
        broadcast = service.schedule_meeting_summary(services, session, meeting, actor="bench")
        if broadcast is None:
            raise SystemExit("the summary was not scheduled")
        broadcast_id: int = broadcast.id
    _falls_due(services, broadcast_id)
    return broadcast_id


def reminder_broadcast(services: Any) -> int:
    """The reminder the scheduler makes a week before a deadline (broadcasts.reminders.plan): the seed
    meeting's first directive gets a deadline in 7 days, the first province reports it done from one
    of its groups, and the groups of every other province are reminded."""
    from sqlalchemy import select

    from bot.models import Directive, LineGroup, Meeting, Province, ReportStatus, utcnow
    from broadcasts import reminders, reports
    from meetings import store

    today = utcnow().astimezone(services.settings.tz).date()
    with services.db.session() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.published_at.is_not(None))).one()
        change = store.DirectiveChange(seq=1, deadline=today + dt.timedelta(days=7))
        store.apply_change(session, meeting, store.MeetingChange(directives=[change]))
        directive_id = session.scalars(
            select(Directive.id).where(Directive.meeting_id == meeting.id, Directive.seq == 1)
        ).one()
        done_group = session.scalars(
            select(LineGroup.line_group_id)
            .join(Province, LineGroup.province_id == Province.id)
            .order_by(Province.id, LineGroup.id)
        ).first()
        reported = reports.record(
            session,
            directive_id=directive_id,
            line_group_id=done_group,
            status=ReportStatus.DONE,
            user_id="Ubench",
            user_name="bench",
            at=utcnow(),
            webhook_event_id="bench-report-done",
        )
        if not isinstance(reported, reports.Reported):
            raise SystemExit(f"the report was refused: {reported}")
    made = reminders.plan(services)
    if len(made) != 1:
        raise SystemExit(f"reminders.plan made {made}, not one reminder")
    _falls_due(services, made[0])
    return made[0]


BROADCASTS = {"text": text_broadcast, "summary": summary_broadcast, "reminder": reminder_broadcast}
DONE_GROUPS = 100  # the reminder run's groups of the province that reported done: reminded never


def create_world(database_url: str, line_url: str, groups: int, kind: str) -> tuple[int, frozenset[str]]:
    """A populated schema and one broadcast of `kind` ready to send; (its id, the groups it must reach)."""
    from bot.app import create_app, services_of

    done_groups = DONE_GROUPS if kind == "reminder" else 0
    app = create_app(settings_for(database_url, line_url, "bench:", 1))
    services = services_of(app)
    try:
        populate(services, groups, done_groups)
        broadcast_id = BROADCASTS[kind](services)
    finally:
        services.close()
    return broadcast_id, frozenset(group_id(n) for n in range(groups))


def start_sender(world: World, args: argparse.Namespace, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "send",
        "--database-url",
        world.database_url,
        "--line-url",
        world.line_url,
        "--key-prefix",
        world.key_prefix,
        "--broadcast-id",
        str(world.broadcast_id),
        "--concurrency",
        str(args.concurrency),
        *(["--content"] if world.content else []),
        *extra,
    ]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def finish_sender(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate(timeout=300)
    if process.returncode != 0:
        raise SystemExit(f"the sender failed ({process.returncode})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def push_statuses(line_url: str) -> Counter[int]:
    """The statuses the stand-in answered pushes with, counted there (no bodies: see `in_child`)."""
    page = control(line_url, "received?endpoint=push&summary=1")
    return Counter({int(status): count for status, count in page["statuses"].items()})


def in_child(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a fresh process: a sender started from this one inherits its peak memory
    in ru_maxrss (Linux keeps it across fork and exec), so this one imports and reads nothing big."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def check_exactly_once(world: World) -> str:
    return in_child(exactly_once, world)


def exactly_once(world: World) -> str:
    """Each wanted group accepted exactly once by the stand-in, no other group at all, each push with its
    delivery row's retry key (all distinct), one body for all; the database agrees."""
    from sqlalchemy import func, select

    from bot.db import Database
    from bot.models import Broadcast, Delivery, LineGroup
    from bot.settings import DatabaseSettings

    accepted: list[dict[str, Any]] = control(world.line_url, "deliveries?detail=1")["deliveries"]
    counts = Counter(str(delivery["to"]) for delivery in accepted)
    missing = world.wanted - set(counts)
    twice = {to: n for to, n in counts.items() if n != 1}
    unwanted = set(counts) - world.wanted
    db = Database(DatabaseSettings(url=world.database_url))
    with db.session() as session:
        statuses = dict(
            (status, count)
            for status, count in session.execute(
                select(Delivery.status, func.count())
                .where(Delivery.broadcast_id == world.broadcast_id)
                .group_by(Delivery.status)
            )
        )
        keys = {
            line_group: key
            for line_group, key in session.execute(
                select(LineGroup.line_group_id, Delivery.retry_key)
                .join(LineGroup, Delivery.group_id == LineGroup.id)
                .where(Delivery.broadcast_id == world.broadcast_id)
            )
        }
        broadcast = session.get(Broadcast, world.broadcast_id)
        state = None if broadcast is None else broadcast.status.value
    db.dispose()
    ok = not missing and not twice and not unwanted
    verdict = (
        f"every one of the {len(world.wanted)} groups exactly once, no other group"
        if ok
        else f"MISSING {len(missing)}, MORE THAN ONCE {len(twice)}, NOT TARGETED {len(unwanted)}"
    )
    pushed_keys = [delivery["retryKey"] for delivery in accepted]
    own = sum(1 for delivery in accepted if keys.get(str(delivery["to"])) == delivery["retryKey"])
    bodies = {json.dumps(delivery["messages"], sort_keys=True) for delivery in accepted}
    first = accepted[0]["messages"][0] if accepted else {}
    said = str(first.get("altText") or first.get("text") or "")
    rows = ", ".join(f"{status.value} {count}" for status, count in statuses.items())
    return (
        f"{verdict}; retry keys: {len(set(pushed_keys))} distinct of {len(pushed_keys)} accepted pushes, "
        f"{own} the group's delivery row's; {len(bodies)} distinct message bodies ({said[:60]!r}…); "
        f"database: {rows}; "
        f"broadcast {state}"
    )


def describe(label: str, elapsed: float, statuses: Counter[int], extra: str = "") -> None:
    total = sum(statuses.values())
    share = statuses.get(429, 0) / total if total else 0.0
    print(
        f"{label}: {total} push requests in {elapsed:.2f} s = {total / elapsed:,.0f} requests/s; "
        f"statuses {dict(sorted(statuses.items()))}; 429 share {share:.2%}{extra}"
    )


@contextmanager
def world_for(args: argparse.Namespace, *standin_args: str, kind: str = "text") -> Iterator[World]:
    with postgres_schema() as database_url, standin(args, *standin_args) as line_url:
        broadcast_id, wanted = in_child(create_world, database_url, line_url, args.groups, kind)
        prefix = f"bench-{uuid.uuid4().hex[:8]}:"
        yield World(database_url, line_url, prefix, broadcast_id, wanted, content=kind != "text")


def throughput(args: argparse.Namespace, kind: str, label: str) -> dict[str, Any]:
    """One broadcast of `kind` to `--groups` groups, sent by one sender process; prints and returns its
    report with the process's wall time."""
    with world_for(args, kind=kind) as world:
        started = time.perf_counter()
        report = finish_sender(start_sender(world, args))
        wall = time.perf_counter() - started
        statuses = push_statuses(world.line_url)
        target = args.groups / (0.9 * args.rate)
        describe(
            label,
            report["elapsed_seconds"],
            statuses,
            f"\n  sender: {args.groups / report['elapsed_seconds']:,.0f} groups/s "
            f"({args.groups / report['elapsed_seconds'] / args.rate:.0%} of the rate limit; target ≤ "
            f"{target:.1f} s); sender CPU {report['cpu_seconds'] * 1e3 / args.groups:.3f} ms per group; "
            f"process wall time {wall:.2f} s incl. start-up; "
            f"ru_maxrss {report['maxrss_kb'] / 1024:.0f} MB (+{report['maxrss_growth_kb'] / 1024:.0f} MB "
            f"during the send); report {report}\n  {check_exactly_once(world)}",
        )
    return {**report, "wall_seconds": wall}


def run_throughput(args: argparse.Namespace) -> None:
    throughput(args, "text", "throughput")


def run_reminder(args: argparse.Namespace) -> None:
    """A meeting's summary and a directive's reminder, each made by the bot's own code (publishing's
    `schedule_meeting_summary`, the scheduler's `reminders.plan`), written and sent as the scheduler
    does, one after the other on this machine: the ratio is the figure to compare."""
    summary = throughput(args, "summary", "summary (the seed meeting's carousel, every group)")
    reminder = throughput(
        args,
        "reminder",
        f"reminder (7 days before; {DONE_GROUPS} more groups in a province that reported done)",
    )

    def ratio(name: str) -> str:
        return f"{reminder[name] / summary[name]:.2f}"

    print(
        f"reminder / summary: send time {ratio('elapsed_seconds')}x, sender CPU {ratio('cpu_seconds')}x, "
        f"process wall time {ratio('wall_seconds')}x, body {ratio('body_bytes')}x "
        f"({reminder['body_bytes']:,} / {summary['body_bytes']:,} bytes)"
    )


def run_memory(args: argparse.Namespace) -> None:
    with world_for(args) as world:
        report = finish_sender(start_sender(world, args, "--tracemalloc"))
        print(
            f"memory: peak of Python allocations during the send (tracemalloc, which slows it: "
            f"{report['elapsed_seconds']:.2f} s) {report['traced_peak_bytes'] / 2**20:.1f} MiB; "
            f"ru_maxrss {report['maxrss_kb'] / 1024:.0f} MB, of which the send added "
            f"{report['maxrss_growth_kb'] / 1024:.0f} MB\n  {check_exactly_once(world)}"
        )


def run_sdk(args: argparse.Namespace) -> None:
    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, PushMessageRequest, TextMessage

    with standin(args) as line_url:
        text = json.loads(MESSAGES)[0]["text"]
        configuration = Configuration(host=line_url, access_token=TOKEN)
        with ApiClient(configuration) as client:
            api = MessagingApi(client)
            started = time.perf_counter()
            for n in range(args.groups, args.groups + args.sample):
                api.push_message(
                    PushMessageRequest(to=group_id(n), messages=[TextMessage(text=text)]),
                    x_line_retry_key=str(uuid.uuid4()),
                )
            elapsed = time.perf_counter() - started
        rate = args.sample / elapsed
        print(
            f"sdk loop: {args.sample} push_message calls in {elapsed:.2f} s = {rate:,.1f}/s; "
            f"7,850 groups would take {args.groups / rate:,.0f} s"
        )


def run_sdk_async(args: argparse.Namespace) -> None:
    """The fan-out's transport alone, twice: line-bot-sdk's AsyncMessagingApi, then our AsyncPushClient.

    No database and no rate limiter: `--concurrency` pushes in flight to `--groups` groups, so the
    figures are what each transport costs (CPU per push) and how fast it can go on this machine.
    """
    import asyncio

    from linebot.v3.messaging import (
        AsyncApiClient,
        AsyncMessagingApi,
        Configuration,
        PushMessageRequest,
        TextMessage,
    )
    from pydantic import SecretStr

    from bot.line.fanout import AsyncPushClient
    from bot.settings import LineSettings

    text = json.loads(MESSAGES)[0]["text"]

    async def fan_out(push: Any) -> None:
        gate = asyncio.Semaphore(args.concurrency)

        async def one(n: int) -> None:
            async with gate:
                await push(group_id(n), str(uuid.uuid4()))

        await asyncio.gather(*(one(n) for n in range(args.groups)))

    async def through_sdk(line_url: str) -> None:
        configuration = Configuration(host=line_url, access_token=TOKEN)
        configuration.connection_pool_maxsize = args.concurrency
        async with AsyncApiClient(configuration) as client:
            api = AsyncMessagingApi(client)

            async def push(to: str, key: str) -> None:
                request = PushMessageRequest(to=to, messages=[TextMessage(text=text)])
                await api.push_message_with_http_info(request, x_line_retry_key=key, _request_timeout=10)

            await fan_out(push)

    async def through_ours(line_url: str) -> None:
        settings = LineSettings(api_base_url=line_url, channel_access_token=SecretStr(TOKEN))
        async with AsyncPushClient(settings, args.concurrency) as line:

            async def push(to: str, key: str) -> None:
                await line.push(to, MESSAGES, key)

            await fan_out(push)

    for label, transport in (("AsyncMessagingApi", through_sdk), ("AsyncPushClient", through_ours)):
        with standin(args, "--rate", "1000000") as line_url:
            started, cpu = time.perf_counter(), time.process_time()
            asyncio.run(transport(line_url))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            accepted = control(line_url, "deliveries")["total"]
        print(
            f"sdk-async, {label}: {accepted} pushes accepted in {elapsed:.2f} s = "
            f"{args.groups / elapsed:,.0f}/s; CPU {cpu / args.groups * 1e3:.3f} ms per push "
            f"(one core allows {args.groups / cpu:,.0f}/s)"
        )


def run_errors(args: argparse.Namespace) -> None:
    with world_for(
        args, "--error-rate", "0.03", "--error-after-accept-rate", "0.02", "--seed", "11"
    ) as world:
        report = finish_sender(start_sender(world, args))
        statuses = push_statuses(world.line_url)
        describe(
            "errors (3 % 500, 2 % 500 after accept)",
            report["elapsed_seconds"],
            statuses,
            f"\n  report {report}\n  {check_exactly_once(world)}",
        )


def run_kill(args: argparse.Namespace) -> None:
    from broadcasts.sender import LEASE_SECONDS

    with world_for(args) as world:
        started = time.perf_counter()
        first = start_sender(world, args)
        while control(world.line_url, "deliveries")["total"] < args.groups // 2:
            if first.poll() is not None:
                raise SystemExit("the sender ended before it could be killed")
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = control(world.line_url, "deliveries")["total"]
        killed_at = time.perf_counter() - started
        report = finish_sender(start_sender(world, args))
        statuses = push_statuses(world.line_url)
        describe(
            "kill",
            time.perf_counter() - started,
            statuses,
            f"\n  SIGKILL at {killed_at:.2f} s with {at_kill} groups sent; the restarted sender (lease "
            f"{LEASE_SECONDS:g} s) took {report['elapsed_seconds']:.2f} s: report {report}\n"
            f"  {check_exactly_once(world)}",
        )


def run_two(args: argparse.Namespace) -> None:
    with world_for(args) as world:
        started = time.perf_counter()
        senders = [start_sender(world, args) for _ in range(2)]
        reports = [finish_sender(sender) for sender in senders]
        elapsed = time.perf_counter() - started
        statuses = push_statuses(world.line_url)
        shares = " + ".join(str(report["total"]) for report in reports)
        slowest = max(report["elapsed_seconds"] for report in reports)
        describe(
            "two senders",
            slowest,
            statuses,
            f"\n  groups worked {shares}; wall {elapsed:.2f} s incl. start-up; reports {reports}\n"
            f"  {check_exactly_once(world)}",
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "send":
        send_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=7850)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--rate", type=float, default=2000.0)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--sample", type=int, default=200, help="groups for the line-bot-sdk loop")
    parser.add_argument("--runs", default="throughput,reminder,memory,sdk,errors,kill,two")
    args = parser.parse_args()
    runs = {
        "throughput": run_throughput,
        "reminder": run_reminder,
        "memory": run_memory,
        "sdk": run_sdk,
        "sdk-async": run_sdk_async,
        "errors": run_errors,
        "kill": run_kill,
        "two": run_two,
    }
    print(
        f"{args.groups} groups, stand-in latency {args.latency_ms:g} ms, rate limit {args.rate:g}/s, "
        f"concurrency {args.concurrency}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    for name in args.runs.split(","):
        runs[name](args)


if __name__ == "__main__":
    main()
