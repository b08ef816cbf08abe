"""How many pushes per second the LINE stand-in itself sustains (so it is never the bottleneck).

Starts `python -m linesim` in its own process (one core) with N groups and a latency per
request, then drives it from this process (the other core) with an aiohttp client keeping
`--concurrency` pushes in flight for `--seconds`, each to a different group with its own retry key,
and prints the rate, the status counts, latency percentiles and the stand-in's own delivery count.

    .venv/bin/python bench/linesim_capacity.py --latency-ms 40 --seconds 10 --concurrency 400

With --in-process the stand-in runs in a thread of this process instead, as tests embed it.
Traffic goes to 127.0.0.1 only; the run is bounded by --seconds and stops the stand-in itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import options, standin_process  # noqa: E402
from linesim import LineStandIn  # noqa: E402

TOKEN = "bench-token"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=400)
    parser.add_argument("--groups", type=int, default=7850)
    parser.add_argument("--rate", type=float, default=0.0, help="the stand-in's rate limit; 0 = none")
    parser.add_argument("--flex", action="store_true", help="send a flex bubble instead of a text")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="embed LineStandIn in this process (sharing its GIL with the client, as a test would)",
    )
    return parser.parse_args()


def message(flex: bool) -> dict[str, object]:
    if not flex:
        return {"type": "text", "text": "ประกาศ: ประชุมผู้บริหารท้องถิ่น วันจันทร์ 09:00 น."}
    rows = [{"type": "text", "text": f"ข้อ {n}: รายละเอียด", "wrap": True} for n in range(20)]
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": rows}}
    return {"type": "flex", "altText": "ประกาศ", "contents": bubble}


async def drive(base_url: str, args: argparse.Namespace, group_ids: list[str]) -> None:
    messages = [message(args.flex)]
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    deadline = time.perf_counter() + args.seconds
    next_group = iter(range(10**9))

    async def worker(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            to = group_ids[next(next_group) % len(group_ids)]
            body = json.dumps({"to": to, "messages": messages}).encode()
            headers = {"X-Line-Retry-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
            started = time.perf_counter()
            async with session.post(f"{base_url}/v2/bot/message/push", data=body, headers=headers) as answer:
                await answer.read()
                statuses[answer.status] += 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=args.concurrency)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession(base_url=None, connector=connector, headers=auth) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - started
        async with session.get(f"{base_url}/_standin/deliveries") as answer:
            deliveries = await answer.json()
    latencies.sort()
    total = sum(statuses.values())

    def percentile(fraction: float) -> float:
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000

    print(
        f"latency {args.latency_ms:g} ms, concurrency {args.concurrency}, {'flex' if args.flex else 'text'}: "
        f"{total} pushes in {elapsed:.1f} s = {total / elapsed:,.0f}/s; statuses {dict(statuses)}; "
        f"p50 {percentile(0.5):.1f} ms, p99 {percentile(0.99):.1f} ms; "
        f"the stand-in counted {deliveries['total']} deliveries"
    )


def main() -> None:
    args = parse_args()
    if args.in_process:
        with LineStandIn(token=TOKEN, latency_ms=args.latency_ms, rate_limit=args.rate or None) as standin:
            asyncio.run(drive(standin.base_url, args, standin.add_groups(args.groups)))
        return
    stand_in_options = options(latency_ms=args.latency_ms, rate=args.rate, groups=args.groups)
    with standin_process(TOKEN, *stand_in_options) as base_url:
        group_ids = [f"C{index:032x}" for index in range(args.groups)]  # as add_groups names them
        asyncio.run(drive(base_url, args, group_ids))


if __name__ == "__main__":
    main()
