"""What the benchmarks share: a fresh PostgreSQL schema, the LINE stand-in in its own process, its
control API. Benchmarks run as scripts (`.venv/bin/python bench/NAME.py`) from the project root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A database URL whose search_path is a new, empty schema, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        # A new connection: the soak test restarts PostgreSQL meanwhile.
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def standin_process(token: str, *options: str) -> Iterator[str]:
    """`python -m linesim` on a free port, with `options`; yields its base URL."""
    command = [sys.executable, "-m", "linesim", "--port", "0", "--token", token, *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        process.wait()
        raise SystemExit(f"the stand-in did not start: {line!r}")
    try:
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def control(line_url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The stand-in's control API: GET, or POST with a JSON body."""
    data = None if body is None else json.dumps(body).encode()
    method = "POST" if data else "GET"
    request = urllib.request.Request(f"{line_url}/_standin/{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def options(**values: object) -> Sequence[str]:
    """`--latency-ms 40 --rate 2000 ...` from keyword arguments (underscores become dashes)."""
    return [item for key, value in values.items() for item in (f"--{key.replace('_', '-')}", str(value))]
