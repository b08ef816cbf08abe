"""The project's command line, on Flask's: `flask --app wsgi <command>`.

setup      apply migrations and load the seed content (idempotent)
ingest     import a meeting article from a file, a URL or stdin
db ...     upgrade / downgrade / current / revision: the schema through Alembic
serve      run the web server with the scheduler embedded (make run); without LINE credentials,
           against the LINE emulator and its chat simulator
scheduler  run the scheduler as its own process (production)
config     show the effective settings, secrets masked
richmenu   deploy / status / delete: the rich menu officials tap, drawn from config.yaml
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import re
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError

from admin.console import accounts
from admin.console import texts as console_texts
from bot import groups, migrate, richmenu, texts
from bot.current import current_services, services_of
from bot.seed import seed_all
from bot.settings import Settings

if TYPE_CHECKING:
    from linesim.emulator import Emulator

log = logging.getLogger(__name__)

AppFactory = Callable[[Settings], Flask]
FACTORY_KEY = "bot.app_factory"

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
groups_cli = AppGroup("groups", help="Provincial LINE groups.")
richmenu_cli = AppGroup("richmenu", help="The rich menu under officials' chat with the bot (LINE).")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Apply migrations and load the seed content; safe to run again."""
    services = current_services()
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
    current_services().db.ensure_directory()
    migrate.upgrade(current_services().db.engine, revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION ('base' removes every table)."""
    migrate.downgrade(current_services().db.engine, revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    engine = current_services().db.engine
    click.echo(
        texts.DB_AT_REVISION.format(
            revision=migrate.current_revision(engine) or "-", head=migrate.head_revision(engine)
        )
    )


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration script from the difference between the models and the database."""
    migrate.revision(current_services().db.engine, message)


@click.command("serve")
@with_appcontext
@click.option("--host", default=None, help="Address to listen on (default: server.host).")
@click.option("--port", default=None, type=int, help="Port (default: server.port).")
@click.option(
    "--emulator-port",
    default=None,
    type=int,
    help="Port of the LINE emulator, started when no LINE channel is configured (default: port + 1).",
)
@click.option("--no-emulator", is_flag=True, help="Without a LINE channel, don't start the LINE emulator.")
@click.option(
    "--check-ports", is_flag=True, help="Only check that the ports are free (make run, before setup)."
)
def serve_command(
    host: str | None, port: int | None, emulator_port: int | None, no_emulator: bool, check_ports: bool
) -> None:
    """Run the bot on the development server, with the scheduler embedded unless disabled.

    Without LINE credentials, the bot runs against the LINE emulator (linesim/emulator.py) and its
    chat simulator, with a few provincial groups and officials (bot/devseed.py).
    """
    from werkzeug.serving import run_simple

    from bot.scheduler import build_scheduler, registered_jobs

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = current_services().settings
    host = host or settings.server.host
    port = port or settings.server.port
    base = f"http://{host}:{port}"
    emulator = None
    seeded: str | None = None
    # Never in production: a deployment missing its LINE secrets must not quietly talk to a fake LINE.
    with_emulator = not settings.line.configured and not no_emulator and settings.environment != "production"
    emulator_port = emulator_port or port + 1
    _check_ports(host, port, emulator_port if with_emulator else None)
    if check_ports:
        return
    if with_emulator:
        emulator, app, seeded = _start_emulator(app, host, port, emulator_port)
    services = services_of(app)
    settings = services.settings
    click.echo(texts.SERVE_BANNER.format(base=base))
    click.echo(texts.SERVE_HOME.format(base=base))
    click.echo(texts.SERVE_HEALTH.format(base=base))
    click.echo(console_texts.SERVE_CONSOLE.format(base=base))
    if emulator is not None:
        click.echo(texts.SERVE_SIMULATOR.format(url=emulator.simulator_url))
    if settings.environment == "development":
        password = accounts.ensure_first_admin(services)
        if password is not None:
            click.echo(console_texts.SERVE_FIRST_ADMIN.format(password=password))
    if emulator is not None:
        click.echo(texts.SERVE_EMULATOR.format(base=emulator.base_url))
        click.echo(seeded)
    elif not settings.line.configured:
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
        if emulator is not None:
            app.extensions["inbox"].stop()
            services.close()
            emulator.stop()


def _port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will bind
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _check_ports(host: str, port: int, emulator_port: int | None) -> None:
    """Before anything is printed: one Thai line naming a port that is taken and how to choose another
    (`make run` passes PORT= and EMULATOR_PORT=, and says so in BOT_SERVE_VIA)."""
    via_make = os.environ.get("BOT_SERVE_VIA") == "make"
    local = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 - comparing, not binding
    checks = [(host, port, texts.SERVE_PORT_BOT, texts.SERVE_HINT_MAKE_PORT, texts.SERVE_HINT_CLI_PORT)]
    if emulator_port is not None:
        checks.append(
            (
                local,
                emulator_port,
                texts.SERVE_PORT_EMULATOR,
                texts.SERVE_HINT_MAKE_EMULATOR,
                texts.SERVE_HINT_CLI_EMULATOR,
            )
        )
    taken = {port, emulator_port}
    for address, number, what, make_hint, cli_hint in checks:
        if _port_taken(address, number):
            free = max(p for p in taken if p is not None) + 1
            while _port_taken(address, free):
                free += 1
            hint = (make_hint if via_make else cli_hint).format(port=free)
            _fail(texts.SERVE_PORT_BUSY.format(port=number, what=what, hint=hint))


def _start_emulator(app: Flask, host: str, port: int, emulator_port: int) -> tuple[Emulator, Flask, str]:
    """Start the LINE emulator, build the app to serve against it and seed their world; the line that
    says what the world holds. Services are built once per app, so the app `flask` loaded (made
    without LINE credentials) is closed and replaced."""
    from bot import devseed

    create_app: AppFactory = app.extensions[FACTORY_KEY]

    # The emulator calls the bot's webhook from this machine, whatever address the bot listens on.
    local = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 - comparing, not binding
    webhook_url = f"http://{local}:{port}/callback"
    try:
        emulator = devseed.start_emulator(local, emulator_port, webhook_url)
    except RuntimeError as error:
        _fail(texts.SERVE_EMULATOR_PORT_BUSY.format(port=emulator_port, error=error))
        raise  # not reached: _fail exits
    previous = services_of(app)
    emulated = create_app(devseed.emulated_settings(previous.settings, emulator))
    previous.close()
    services = services_of(emulated)
    try:
        summary = devseed.seed(services, emulator)
    except (OperationalError, ProgrammingError, groups.GroupImportError) as error:
        seeded = texts.SERVE_EMULATOR_NOT_SEEDED.format(error=str(error).strip().splitlines()[0])
    else:
        seeded = texts.SERVE_EMULATOR_SEEDED.format(groups=summary.groups, officials=summary.officials)
    # The officials' rich menu, as `richmenu deploy` would install it on a real channel.
    try:
        deployed = richmenu.deploy(services.settings)
    except richmenu.RichMenuError as error:
        seeded += "\n" + texts.SERVE_EMULATOR_NO_RICHMENU.format(error=error)
    else:
        seeded += "\n" + texts.SERVE_EMULATOR_RICHMENU.format(areas=deployed.areas)
    return emulator, emulated, seeded


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler in this process until SIGTERM (production: its own service)."""
    from bot.scheduler import registered_jobs, run_until_stopped

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    run_until_stopped(current_services(), registered_jobs(app))


@click.command("config")
@with_appcontext
def config_command() -> None:
    """Print the effective settings as JSON, secrets masked."""
    data = current_services().settings.model_dump(mode="json")
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
        with current_services().db.session() as session:
            result = groups.register_groups(session, rows, "cli")
    except groups.GroupImportError as error:
        first = error.problems[0]
        row = "" if first["row"] is None else f" (แถวที่ {first['row'] + 2})"
        _fail(f"นำเข้าไม่สำเร็จ: {error}: {first['problem']}{row}")
        return
    click.echo(f"เพิ่ม {result.created} กลุ่ม ปรับปรุง {result.updated} ไม่เปลี่ยน {result.unchanged}")


@richmenu_cli.command("deploy")
def richmenu_deploy() -> None:
    """Draw the menu from the settings and make it the default; replaces the one deployed before."""
    try:
        done = richmenu.deploy(current_services().settings)
    except richmenu.RichMenuError as error:
        _fail(str(error))
        return
    alias = current_services().settings.richmenu.alias
    click.echo(texts.RICHMENU_DEPLOYED.format(id=done.rich_menu_id, areas=done.areas, alias=alias))
    if done.replaced:
        click.echo(texts.RICHMENU_REPLACED.format(count=len(done.replaced), ids=", ".join(done.replaced)))


@richmenu_cli.command("status")
def richmenu_status() -> None:
    """The default menu, the alias and the bot's menus on LINE."""
    settings = current_services().settings
    try:
        found = richmenu.status(settings)
    except richmenu.RichMenuError as error:
        _fail(str(error))
        return
    click.echo(
        texts.RICHMENU_STATUS_DEFAULT.format(id=found.default_id)
        if found.default_id
        else texts.RICHMENU_STATUS_NO_DEFAULT
    )
    alias = settings.richmenu.alias
    click.echo(
        texts.RICHMENU_STATUS_ALIAS.format(alias=alias, id=found.alias_target)
        if found.alias_target
        else texts.RICHMENU_STATUS_NO_ALIAS.format(alias=alias)
    )
    if not found.menus:
        click.echo(texts.RICHMENU_STATUS_NONE.format(name=settings.richmenu.name))
    for menu in found.menus:
        default = texts.RICHMENU_STATUS_IS_DEFAULT if menu.rich_menu_id == found.default_id else ""
        click.echo(
            texts.RICHMENU_STATUS_MENU.format(
                id=menu.rich_menu_id, chat_bar=menu.chat_bar_text, areas=menu.areas, default=default
            )
        )


@richmenu_cli.command("delete")
def richmenu_delete() -> None:
    """Remove the bot's menus from LINE (and the default and alias, when they are the bot's)."""
    settings = current_services().settings
    try:
        removed = richmenu.delete(settings)
    except richmenu.RichMenuError as error:
        _fail(str(error))
        return
    alias = texts.RICHMENU_DELETED_ALIAS.format(alias=settings.richmenu.alias) if removed.alias else ""
    click.echo(texts.RICHMENU_DELETED.format(count=removed.menus, alias=alias))


def guard_database_errors(group: click.Group) -> None:
    """Every command of `group` (and of its subgroups): a database that is not there or not set up
    ("unable to open database file", "no such table") is one Thai line and exit 2, not a traceback.
    Commands are shared by every app built in a process: each is wrapped once."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            guard_database_errors(command)
        elif command.callback is not None and not getattr(command.callback, "_database_guarded", False):
            command.callback = _guarded(command.callback)


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            _fail(texts.DB_NOT_READY.format(error=str(error.orig).strip().splitlines()[0]))

    run._database_guarded = True  # type: ignore[attr-defined]
    return run


def init_app(app: Flask, factory: AppFactory) -> None:
    """Add the commands. `serve` builds a second app against the emulator with `factory`: the factory
    passes itself, so this module never imports bot.app (which imports it)."""
    app.extensions[FACTORY_KEY] = factory
    for command in (setup_command, serve_command, scheduler_command, config_command):
        app.cli.add_command(command)
    app.cli.add_command(db_cli)
    app.cli.add_command(groups_cli)
    app.cli.add_command(richmenu_cli)
