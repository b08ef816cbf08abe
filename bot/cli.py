"""The project's command line, on Flask's: `flask --app wsgi <command>`.

setup      apply migrations and load the seed content (idempotent)
ingest     import a meeting article from a file, a URL or stdin
db ...     upgrade / downgrade / current / revision: the schema through Alembic
serve      run the web server with the scheduler embedded (make run)
scheduler  run the scheduler as its own process (production)
config     show the effective settings, secrets masked
"""

from __future__ import annotations

import csv
import json
import logging
import re

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from bot import groups, migrate, texts
from bot.console import accounts
from bot.console import texts as console_texts
from bot.seed import seed_all
from bot.services import Services

log = logging.getLogger(__name__)

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
groups_cli = AppGroup("groups", help="Provincial LINE groups.")


def _services() -> Services:
    services: Services = current_app.extensions["bot"]
    return services


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Apply migrations and load the seed content; safe to run again."""
    services = _services()
    services.db.ensure_directory()
    try:
        migrate.upgrade(services.db.engine)
        with services.db.session() as session:
            summary = seed_all(session)
    except OperationalError as error:
        _fail(texts.DB_UNREACHABLE.format(error=str(error.orig).strip().splitlines()[0]))
        return
    click.echo(
        texts.SETUP_DONE.format(
            regions=summary.regions,
            provinces=summary.provinces,
            ten_es=summary.ten_es,
            meetings=summary.meetings,
            directives=summary.directives,
        )
    )
    click.echo(
        texts.SETUP_SEED_MEETING_NEW if summary.seed_meeting_created else texts.SETUP_SEED_MEETING_KEPT
    )


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION (default: the latest)."""
    _services().db.ensure_directory()
    migrate.upgrade(_services().db.engine, revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION ('base' removes every table)."""
    migrate.downgrade(_services().db.engine, revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    engine = _services().db.engine
    click.echo(
        texts.DB_AT_REVISION.format(
            revision=migrate.current_revision(engine) or "-", head=migrate.head_revision(engine)
        )
    )


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration script from the difference between the models and the database."""
    migrate.revision(_services().db.engine, message)


@click.command("serve")
@with_appcontext
@click.option("--host", default=None, help="Address to listen on (default: server.host).")
@click.option("--port", default=None, type=int, help="Port (default: server.port).")
def serve_command(host: str | None, port: int | None) -> None:
    """Run the bot on the development server, with the scheduler embedded unless disabled."""
    from werkzeug.serving import run_simple

    from bot.scheduler import build_scheduler, registered_jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    services = _services()
    settings = services.settings
    host = host or settings.server.host
    port = port or settings.server.port
    base = f"http://{host}:{port}"
    click.echo(texts.SERVE_BANNER.format(base=base))
    click.echo(texts.SERVE_HOME.format(base=base))
    click.echo(texts.SERVE_HEALTH.format(base=base))
    click.echo(console_texts.SERVE_CONSOLE.format(base=base))
    if settings.environment == "development":
        password = accounts.ensure_first_admin(services)
        if password is not None:
            click.echo(console_texts.SERVE_FIRST_ADMIN.format(password=password))
    if not settings.line.configured:
        click.echo(texts.SERVE_NO_LINE)
    scheduler = None
    if settings.scheduler.embedded:
        scheduler = build_scheduler(services, registered_jobs(app), background=True)
        scheduler.start()
        click.echo(texts.SERVE_SCHEDULER)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler in this process until stopped (production: its own service)."""
    from bot.scheduler import build_scheduler, registered_jobs

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = build_scheduler(_services(), registered_jobs(app), background=False)
    log.info("scheduler starting with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()


@click.command("config")
@with_appcontext
def config_command() -> None:
    """Print the effective settings as JSON, secrets masked."""
    data = _services().settings.model_dump(mode="json")
    for section in ("database", "redis"):
        if data[section]["url"]:
            data[section]["url"] = re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", data[section]["url"])
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@groups_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
def groups_import(path: str) -> None:
    """Register groups from a CSV file: group_id,province[,name][,member_count] (with a header)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            rows = [
                {
                    **row,
                    "member_count": int(row["member_count"])
                    if (row.get("member_count") or "").strip()
                    else None,
                }
                for row in csv.DictReader(file)
            ]
    except (OSError, ValueError, KeyError) as error:
        _fail(f"อ่านไฟล์ {path} ไม่ได้: {error}")
        return
    try:
        with _services().db.session() as session:
            result = groups.register_groups(session, rows, "cli")
    except groups.GroupImportError as error:
        first = error.problems[0]
        row = "" if first["row"] is None else f" (แถวที่ {first['row'] + 2})"
        _fail(f"นำเข้าไม่สำเร็จ: {error}: {first['problem']}{row}")
        return
    click.echo(f"เพิ่ม {result.created} กลุ่ม ปรับปรุง {result.updated} ไม่เปลี่ยน {result.unchanged}")


def init_app(app: Flask) -> None:
    for command in (setup_command, serve_command, scheduler_command, config_command):
        app.cli.add_command(command)
    app.cli.add_command(db_cli)
    app.cli.add_command(groups_cli)
