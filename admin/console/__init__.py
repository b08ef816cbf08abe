"""The admin web console at `/admin`: accounts and roles, dashboard, meetings, groups, audit log.

Server-rendered Flask + Jinja pages in Thai. Features add their own pages (broadcasts does) as
blueprints that use this package's pieces: `require_role`, `protect_forms`, the `console/base.html`
layout, `add_nav` for a menu entry and `add_dashboard_panel` for a panel on the dashboard.

Security, in one place: Flask-Login sessions (HttpOnly, SameSite=Lax, Secure in production),
argon2 password hashes, a rate limit on login attempts, CSRF tokens on every console form
(Flask-WTF; the JSON API and the LINE webhook authenticate otherwise and are left alone), and
security headers on every console response.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask
    from markupsafe import Markup
    from sqlalchemy.orm import Session

    from bot.models import Meeting


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    order: int
    role: str = "viewer"  # the least role that sees the entry
    scoped: bool = False  # provincial offices see it too (its page is `require_scoped`)


def add_nav(
    app: Flask, endpoint: str, label: str, order: int, role: str = "viewer", *, scoped: bool = False
) -> None:
    """A menu entry of the console; entries are shown by `order`, to those with `role` or more, and
    to provincial offices when `scoped`."""
    items: list[NavItem] = app.extensions.setdefault("console_nav", [])
    items.append(NavItem(endpoint, label, order, role, scoped))
    items.sort(key=lambda item: item.order)


@dataclass(frozen=True)
class DashboardPanel:
    template: str  # included at the end of the dashboard, with `panel` = what `build` returns
    build: Callable[[], dict[str, Any]]  # called in the dashboard's request


def add_dashboard_panel(app: Flask, template: str, build: Callable[[], dict[str, Any]]) -> None:
    """A feature's panel on the dashboard (broadcasts adds the provinces' reports)."""
    panels: list[DashboardPanel] = app.extensions.setdefault("console_dashboard_panels", [])
    panels.append(DashboardPanel(template, build))


@dataclass(frozen=True)
class SummaryPreview:
    """What publishing a meeting will send, for the editor to confirm: the summary as LINE shows it
    (`chat`, drawn by the feature that sends it), the groups and members it reaches, the cost."""

    chat: Markup
    groups: int
    members: int
    cost: int
    quota_left: int | None
    at: dt.datetime | None  # None: at once
    problem: str | None = None  # the preview could not be drawn, or the quota is unknown


# (session, meeting as it would be published, urgent) -> the preview; set by the broadcasts feature.
SummaryPreviewer = Callable[["Session", "Meeting", bool], SummaryPreview]


def set_summary_previewer(app: Flask, previewer: SummaryPreviewer) -> None:
    app.extensions["summary_previewer"] = previewer


def init_app(app: Flask) -> None:
    from flask_wtf.csrf import CSRFProtect

    from admin.console import accounts, accounts_view, auth, views

    # CSRF is checked by the console's own blueprints (`protect_forms`), not app-wide: the JSON API
    # (bearer token) and the webhook (LINE's signature) have no forms.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)  # a working day on one page
    CSRFProtect(app)
    auth.init_app(app)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(accounts_view.blueprint)
    add_nav(app, "console.dashboard", "ภาพรวม", 10, scoped=True)
    add_nav(app, "console.meetings", "การประชุม", 20)
    add_nav(app, "console.groups", "กลุ่ม LINE", 40, scoped=True)
    add_nav(app, "console.audit_log", "บันทึกการใช้งาน", 50, role="admin")
    add_nav(app, "console_accounts.accounts_page", "บัญชีผู้ใช้", 60, role="admin")
    app.cli.add_command(accounts.admin_cli)
