"""`flask --app wsgi broadcast ...`: create, list, show, cancel broadcasts and send what is due."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.current import current_services
from bot.models import Broadcast, BroadcastKind
from broadcasts import service
from broadcasts.scheduler import run_due

broadcast_cli = AppGroup("broadcast", help="Broadcasts to provincial LINE groups.")


@broadcast_cli.command("create")
@click.option("--meeting", "meeting_id", type=int, help="Send this meeting's summary.")
@click.option("--directive", "directive_id", type=int, help="Send this directive.")
@click.option("--text", help="Send this alert text.")
@click.option("--all", "to_all", is_flag=True, help="To every active group.")
@click.option("--region", "regions", multiple=True, help="Region code or Thai name (repeatable).")
@click.option("--province", "provinces", multiple=True, help="Province, Thai or English (repeatable).")
@click.option("--group", "groups", multiple=True, help="LINE group id (repeatable).")
@click.option("--at", "at", help="Bangkok time, e.g. 2026-12-01T08:30 (default: now).")
@click.option("--urgent", is_flag=True, help="Ignore quiet hours.")
@click.option("--force", is_flag=True, help="Send even if the LINE quota looks too small, or in quiet hours.")
def create_command(
    meeting_id: int | None,
    directive_id: int | None,
    text: str | None,
    to_all: bool,
    regions: tuple[str, ...],
    provinces: tuple[str, ...],
    groups: tuple[str, ...],
    at: str | None,
    urgent: bool,
    force: bool,
) -> None:
    """Schedule a broadcast; prints its id and the cost estimate."""
    services = current_services()
    kind = (
        BroadcastKind.MEETING_SUMMARY
        if meeting_id
        else BroadcastKind.DIRECTIVE
        if directive_id
        else BroadcastKind.TEXT
    )
    spec = (
        {"all": True}
        if to_all
        else {"regions": list(regions)}
        if regions
        else {"provinces": list(provinces)}
        if provinces
        else {"groups": list(groups)}
    )
    when = None
    if at:
        when = dt.datetime.fromisoformat(at)
        when = when if when.tzinfo else when.replace(tzinfo=services.settings.tz)
    try:
        with services.db.session() as session:
            target = service.parse_target(session, spec)
            broadcast, estimate = service.create(
                services,
                session,
                kind=kind,
                target=target,
                actor="cli",
                meeting_id=meeting_id,
                directive_id=directive_id,
                text=text,
                at=when,
                urgent=urgent,
                force=force,
            )
            broadcast_id = broadcast.id
    except service.BroadcastError as error:
        click.echo(f"สร้างการส่งข่าวไม่สำเร็จ: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(f"กลุ่มเป้าหมาย {estimate.groups} กลุ่ม ค่าส่งประมาณ {estimate.cost:,} ข้อความ", err=True)
    click.echo(str(broadcast_id))


@broadcast_cli.command("list")
def list_command() -> None:
    """Recent broadcasts."""
    services = current_services()
    with services.db.session() as session:
        for b in session.scalars(select(Broadcast).order_by(Broadcast.scheduled_at.desc()).limit(50)):
            when = b.scheduled_at.astimezone(services.settings.tz).strftime("%Y-%m-%d %H:%M")
            click.echo(f"#{b.id}  {when}  {b.status.value:<16} {b.kind.value:<16} ~{b.estimated_cost or 0:,}")


@broadcast_cli.command("show")
@click.argument("broadcast_id", type=int)
def show_command(broadcast_id: int) -> None:
    """Delivery and acknowledgement counts, per province (JSON)."""
    services = current_services()
    with services.db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is None:
            click.echo(f"ไม่พบการส่งข่าว #{broadcast_id}", err=True)
            raise SystemExit(2)
        report = {"id": broadcast.id, "status": broadcast.status.value, **service.report(session, broadcast)}
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))


@broadcast_cli.command("cancel")
@click.argument("broadcast_id", type=int)
def cancel_command(broadcast_id: int) -> None:
    """Cancel a broadcast that has not started."""
    try:
        with current_services().db.session() as session:
            service.cancel(session, broadcast_id, "cli")
    except (service.BroadcastError, LookupError) as error:
        click.echo(f"ยกเลิกไม่สำเร็จ: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(f"ยกเลิกการส่งข่าว #{broadcast_id} แล้ว")


@broadcast_cli.command("run")
def run_command() -> None:
    """Send what is due now (what the scheduler does every broadcasts.check_seconds)."""
    sent = run_due(current_services())
    click.echo(f"ส่งแล้ว {len(sent)} รายการ: {', '.join(f'#{n}' for n in sent) or '-'}")
