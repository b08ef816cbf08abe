"""`python -m linesim`: the LINE stand-in as its own process, until SIGINT or SIGTERM.

Prints `linesim listening on http://HOST:PORT` once it serves (with `--port 0`, the port it got), so
a script that starts it can read where to point `LINE_API_BASE_URL`. The token may come from
`--token` or the environment variable `LINESIM_TOKEN`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from linesim.server import LineApi, bound_port, start_runner
from linesim.state import StandInConfig, StandInState


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m linesim", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000, help="0 takes a free port")
    parser.add_argument("--token", default=os.environ.get("LINESIM_TOKEN"), help="channel access token")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency, 0..N ms")
    parser.add_argument("--rate", type=float, default=2000.0, help="requests/s per endpoint; 0 = unlimited")
    parser.add_argument("--error-rate", type=float, default=0.0, help="fraction answered 500 up front")
    parser.add_argument(
        "--error-after-accept-rate", type=float, default=0.0, help="fraction of sends accepted, then 500"
    )
    parser.add_argument("--too-many-requests-rate", type=float, default=0.0, help="fraction answered 429")
    parser.add_argument("--seed", type=int, default=None, help="seed for the random faults")
    parser.add_argument("--reply-token-ttl", type=float, default=60.0, help="seconds")
    parser.add_argument("--strict-reply-tokens", action="store_true", help="only issued tokens are valid")
    parser.add_argument(
        "--auto-create-targets", action="store_true", help="unknown U…/C… ids become users/groups"
    )
    parser.add_argument("--quota", type=int, default=None, help="monthly limit (default: none)")
    parser.add_argument("--groups", type=int, default=0, help="create N groups the bot is in")
    parser.add_argument("--group-members", type=int, default=10, help="members of each created group")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or LINESIM_TOKEN) is required")
    return args


def build_state(args: argparse.Namespace) -> StandInState:
    config = StandInConfig(
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        rate_limit=args.rate or None,
        error_rate=args.error_rate,
        error_after_accept_rate=args.error_after_accept_rate,
        too_many_requests_rate=args.too_many_requests_rate,
        seed=args.seed,
        reply_token_ttl_s=args.reply_token_ttl,
        strict_reply_tokens=args.strict_reply_tokens,
        auto_create_targets=args.auto_create_targets,
    )
    state = StandInState(args.token, config)
    if args.quota is not None:
        state.set_quota("limited", args.quota)
    if args.groups:
        state.add_groups(args.groups, member_count=args.group_members)
    return state


async def serve(state: StandInState, host: str, port: int) -> None:
    runner = await start_runner(LineApi(state), host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        print(f"linesim listening on http://{host}:{bound_port(runner)}", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        state = build_state(args)
    except ValueError as error:
        print(f"linesim: {error}", file=sys.stderr)
        return 2
    asyncio.run(serve(state, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
