"""Broadcasts: meeting summaries, directives and alerts pushed to provincial LINE groups, once each.

`init_app` wires the feature into an app: the admin API endpoints, the console's broadcast pages and
follow-up board (and their menu entries), the `broadcast` command, the scheduler jobs that send what
falls due and make the reminders before deadlines, and the hooks that schedule a meeting's summary
when it is published, cancel it when the meeting is unpublished, and send a correction notice when a
published meeting is corrected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from admin.console import add_dashboard_panel, add_nav, set_summary_previewer
    from bot.current import services_of
    from bot.scheduler import register_job
    from broadcasts import api, board_console, cli, console, service
    from broadcasts.reminders import reminder_job
    from broadcasts.scheduler import broadcast_job

    services = services_of(app)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(console.blueprint)
    add_nav(app, "broadcasts_console.broadcasts", "ส่งข่าว", 30, scoped=True)
    set_summary_previewer(app, console.summary_preview)
    app.register_blueprint(board_console.blueprint)
    add_nav(app, "followup_console.board_page", "ติดตามผล", 35, scoped=True)
    add_dashboard_panel(app, "followup_console/dashboard_panel.html", board_console.dashboard_panel)
    app.cli.add_command(cli.broadcast_cli)
    register_job(app, broadcast_job(services.settings.broadcasts.check_seconds))
    register_job(app, reminder_job())

    def schedule_summary(meeting_id: int, urgent: bool, actor: str) -> None:
        from bot.models import Meeting

        with services.db.session() as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is not None:
                service.schedule_meeting_summary(services, session, meeting, actor=actor, urgent=urgent)

    def cancel_unpublished(meeting_id: int, actor: str) -> None:
        with services.db.session() as session:
            service.cancel_for_meeting(session, meeting_id, actor)

    def schedule_correction(meeting_id: int, changes: list[str], actor: str) -> None:
        from bot.models import Meeting

        with services.db.session() as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is not None and meeting.published_at is not None:
                service.schedule_correction(services, session, meeting, changes, actor=actor)

    services.hooks.on("meeting_published", schedule_summary)
    services.hooks.on("meeting_unpublished", cancel_unpublished)
    services.hooks.on("meeting_corrected", schedule_correction)
