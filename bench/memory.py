"""Memory of a web process under sustained chat traffic: does it level off, or grow with every event?

    .venv/bin/python bench/memory.py [--rate 200] [--blocks 12] [--seconds 10]

The deployment of bench/soak.py (two gunicorn web processes and two schedulers on PostgreSQL and
Redis, the LINE stand-in in this process), driven at `--rate` chat webhooks/s in blocks of
`--seconds`; after each block the resident memory (RSS) of each web worker is printed. A process
that keeps something per event grows block after block; one that only warms up (caches, the search
index, thread stacks) levels off after the first block. The baseline is the first block of the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import soak  # noqa: E402
from bench.harness import postgres_schema  # noqa: E402
from linesim import LineStandIn  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--blocks", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with (
        postgres_schema() as url,
        LineStandIn(soak.TOKEN, max_recorded=2000) as standin,
        soak.deployment(url, f"memory-{uuid.uuid4().hex[:6]}:", standin.base_url) as running,
    ):
        traffic = soak.Traffic(running, args.rate)
        groups = [f"C{n:032d}" for n in range(200)]

        def workers() -> dict[str, float]:
            return {
                name: round(soak.rss_mb(pid) or 0.0, 1)
                for name, pid in running.pids().items()
                if name.startswith("web")
            }

        start = workers()
        print(f"start: {start}", flush=True)
        first: dict[str, float] = {}
        with ThreadPoolExecutor(max_workers=32) as pool:
            for _ in range(args.blocks):
                traffic.run(groups, time.monotonic() + args.seconds, pool)
                time.sleep(1)
                now = workers()
                first = first or now
                growth = {name: round(now[name] - first[name], 1) for name in now}
                print(
                    f"after {len(traffic.bodies):6d} events: {now}  since the first block: {growth}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
