"""`flask --app wsgi ingest PATH|URL|- [--json] [--publish]`: import a meeting article.

With --json the parsed meeting is printed (the stable JSON of the README) and nothing is stored.
Otherwise a draft is stored (published with --publish) and its id printed alone on stdout, so scripts
can capture it; what happened goes to stderr. Bad input: exit code 2 and one line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from bot.current import current_services
from bot.services import Services
from meetings import publishing
from meetings.ingest.service import IngestError, fetch_article, ingest_text, parse, read_article


def _read_source(source: str, services: Services) -> tuple[str, str | None]:
    """The article's text and, for a URL, the URL as its source."""
    limit = services.settings.ingest.max_article_bytes
    if source.startswith(("http://", "https://")):
        return fetch_article(source, services.settings.ingest), source
    if source == "-":
        return read_article(sys.stdin.buffer.read(limit + 1), limit), None
    path = Path(source)
    try:
        with path.open("rb") as file:
            return read_article(file.read(limit + 1), limit), None
    except OSError as error:
        raise IngestError(f"เปิดไฟล์ {source} ไม่ได้ ({error.strerror})") from None


@click.command("ingest")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed meeting as JSON; store nothing.")
@click.option("--publish", is_flag=True, help="Publish the stored meeting at once.")
@with_appcontext
def ingest_command(source: str, as_json: bool, publish: bool) -> None:
    """Import a meeting article from a file, a URL, or standard input (-)."""
    services = current_services()
    if as_json and publish:
        raise click.UsageError("--json stores nothing, so it cannot --publish")
    try:
        text, source_url = _read_source(source, services)
        if as_json:
            click.echo(json.dumps(parse(text, source_url).to_json(), ensure_ascii=False, indent=2))
            return
        with services.db.session() as session:
            result = ingest_text(session, text, source_url=source_url, to_publish=publish, actor="cli")
            meeting_id, published = result.meeting.id, result.meeting.is_published
        if result.published_now:
            publishing.announce_published(services, meeting_id, urgent=False, actor="cli")
    except IngestError as error:
        click.echo(f"นำเข้าไม่สำเร็จ: {error}", err=True)
        raise SystemExit(2) from None
    for warning in result.draft.warnings:
        click.echo(f"คำเตือน: {warning}", err=True)
    state = "เผยแพร่แล้ว" if published else "ฉบับร่าง"
    if result.created:
        click.echo(
            f"บันทึกการประชุม #{meeting_id} ({state}) ข้อสั่งการ {len(result.draft.directives)} ข้อ", err=True
        )
    else:
        click.echo(f"ข่าวนี้นำเข้าไว้แล้วเป็นการประชุม #{meeting_id} ({state}) ไม่ได้บันทึกซ้ำ", err=True)
    click.echo(str(meeting_id))
