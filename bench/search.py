"""Benchmark of topic search (bot/search.py) at realistic scale, against a naive SQL LIKE baseline.

    .venv/bin/python bench/search.py [--limit N] [--corpus PATH] [--workdir DIR] [--repeat R]

1. Ingests the articles of the corpus (default: all 4,157 of /work/shared/corpus/thaigov-moi.jsonl.gz)
   into a fresh SQLite database under --workdir (default /tmp/dla-bench-search), built like `setup`
   does (create_app, migrate.upgrade, seed_all), one transaction per article: articles/s.
2. Builds the search index from the database (first build, and a rebuild with nothing changed).
3. Runs every query of bench/data/search_queries.yaml (topics × templates, plus chat-style extras)
   --repeat times through `Search` and through the baseline: latency p50/p99 of each and their ratio.
4. Judges the first hit of the judged sample with the rules written in the data file: the share of
   queries whose first hit is relevant (or, where the corpus has nothing, that find nothing).

The machine is noisy: compare the two columns, not the absolute times between runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import or_, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import migrate
from bot.app import create_app, services_of
from bot.db import Database
from bot.models import Directive, Meeting, utcnow
from bot.search import Search
from bot.seed import seed_all
from meetings.ingest.service import ingest_text

DEFAULT_CORPUS = Path("/work/shared/corpus/thaigov-moi.jsonl.gz")
QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.yaml"
LIMIT = 10


@dataclass(frozen=True)
class Found:
    """The first hit of a search as the judge sees it (None: nothing found)."""

    first: str | None
    count: int


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: re.Pattern[str] | None


def read_articles(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def load_queries(path: Path) -> tuple[list[str], list[Judged]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = [template.format(topic) for topic in data["topics"] for template in data["templates"]]
    queries += [str(query) for query in data["extra"]]
    judged = [
        Judged(str(item["query"]), re.compile(item["relevant"]) if item["relevant"] else None)
        for item in data["judged"]
    ]
    return queries, judged


def ingest(db: Database, articles: Iterator[dict[str, Any]]) -> tuple[int, float]:
    count = 0
    started = time.perf_counter()
    for article in articles:
        with db.session() as session:
            # Loaded as published content, without an editor's review (some corpus articles lack a date).
            result = ingest_text(session, article["text"], source_url=article["url"], actor="bench")
            result.meeting.published_at = result.meeting.published_at or utcnow()
        count += 1
    return count, time.perf_counter() - started


def like_baseline(db: Database) -> Callable[[str], Found]:
    """The naive search: directives whose title or text contains the query as typed, newest first."""

    def search(query: str) -> Found:
        pattern = f"%{query.strip()}%"
        with db.session() as session:
            rows = session.execute(
                select(Directive.title, Directive.text)
                .join(Meeting, Meeting.id == Directive.meeting_id)
                .where(Meeting.published_at.is_not(None))
                .where(or_(Directive.title.like(pattern), Directive.text.like(pattern)))
                .order_by(Meeting.meeting_date.desc(), Directive.id.desc())
                .limit(LIMIT)
            ).all()
        return Found(f"{rows[0][0]}\n{rows[0][1]}" if rows else None, len(rows))

    return search


def topic_search(engine: Search, texts: dict[int, str]) -> Callable[[str], Found]:
    def search(query: str) -> Found:
        hits = engine.search(query, limit=LIMIT)
        return Found(texts[hits[0].directive_id] if hits else None, len(hits))

    return search


def latencies(search: Callable[[str], Found], queries: Sequence[str], repeat: int) -> list[float]:
    timings: list[float] = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def judge(search: Callable[[str], Found], sample: Sequence[Judged]) -> tuple[int, list[str]]:
    good = 0
    misses: list[str] = []
    for item in sample:
        found = search(item.query)
        if item.relevant is None:
            ok = found.first is None
        else:
            ok = found.first is not None and item.relevant.search(found.first) is not None
        good += ok
        if not ok:
            first_line = (found.first or "—").split("\n", 1)[0][:60]
            misses.append(f"{item.query!r} → {first_line}")
    return good, misses


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="ingest only the first N articles")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "dla-bench-search")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole query list")
    parser.add_argument("--show-misses", action="store_true", help="list the judged queries missed")
    args = parser.parse_args(argv)

    args.workdir.mkdir(parents=True, exist_ok=True)
    database = args.workdir / "bench.sqlite3"
    for stale in args.workdir.glob("bench.sqlite3*"):
        stale.unlink()
    app = create_app(
        {
            "environment": "test",
            "log_level": "WARNING",
            "database": {"url": f"sqlite:///{database}"},
            "scheduler": {"embedded": False},
        }
    )
    logging.getLogger("bot").setLevel(logging.WARNING)
    db = services_of(app).db
    migrate.upgrade(db.engine)
    with db.session() as session:
        seed_all(session)

    articles, seconds = ingest(db, read_articles(args.corpus, args.limit))
    with db.session() as session:
        meetings = len(session.scalars(select(Meeting.id)).all())
        rows = session.execute(select(Directive.id, Directive.title, Directive.text)).all()
    texts = {row[0]: f"{row[1]}\n{row[2]}" for row in rows}
    print(f"corpus      {args.corpus} ({articles} articles → {meetings} meetings, {len(texts)} directives)")
    print(f"ingestion   {seconds:.1f} s, {articles / seconds:.1f} articles/s")

    engine = Search(db)
    started = time.perf_counter()
    engine.refresh()
    first_build = time.perf_counter() - started
    started = time.perf_counter()
    engine.refresh(force=True)
    rebuild = time.perf_counter() - started
    print(f"index       first build {first_build:.2f} s (loads PyThaiNLP), rebuild unchanged {rebuild:.2f} s")

    queries, sample = load_queries(args.queries)
    ours, baseline = topic_search(engine, texts), like_baseline(db)
    for query in queries[:20]:  # warm both paths: caches, connection pool
        ours(query), baseline(query)
    our_times = latencies(ours, queries, args.repeat)
    base_times = latencies(baseline, queries, args.repeat)
    our_any = sum(ours(query).count > 0 for query in queries)
    base_any = sum(baseline(query).count > 0 for query in queries)

    print(f"queries     {len(queries)} × {args.repeat} runs; limit {LIMIT} hits")
    print(f"{'':12}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'any hit':>10}")
    for name, times, found in (("search", our_times, our_any), ("LIKE", base_times, base_any)):
        print(
            f"{name:12}{percentile(times, 0.5):9.2f}{percentile(times, 0.99):9.2f}{max(times):9.2f}"
            f"{found / len(queries):10.0%}"
        )
    print(
        f"ratio       p50 ×{percentile(our_times, 0.5) / percentile(base_times, 0.5):.1f}, "
        f"p99 ×{percentile(our_times, 0.99) / percentile(base_times, 0.99):.1f} (search / LIKE)"
    )

    ours_good, ours_missed = judge(ours, sample)
    base_good, base_missed = judge(baseline, sample)
    print(f"judged      {len(sample)} queries: relevant first hit (or rightly none)")
    print(f"search      {ours_good}/{len(sample)} = {ours_good / len(sample):.0%}")
    print(f"LIKE        {base_good}/{len(sample)} = {base_good / len(sample):.0%}")
    if args.show_misses:
        for name, missed in (("search", ours_missed), ("LIKE", base_missed)):
            for line in missed:
                print(f"  {name} missed: {line}")
    services_of(app).close()


if __name__ == "__main__":
    main()
