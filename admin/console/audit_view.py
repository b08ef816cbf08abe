"""The audit log as a person reads it: Thai verbs and field names, people and groups by name, links.

Entries are stored as codes (`meeting.publish`, `{"forced": false}`, `line:U4af…`) so they stay
stable and searchable; this module turns one page of them into Thai lines when the page is drawn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.console import texts
from bot.models import AdminUser, AuditLog, Broadcast, LineGroup, LineUser, Meeting, Province
from bot.thai import format_thai_date
from meetings.publishing import describe_changes

_LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")
# Details whose values are codes (a status, a role, a kind of target); other strings are shown as typed.
_CODED = frozenset({"status", "role", "kind", "target", "before", "after", "reason"})


@dataclass(frozen=True)
class Line:
    """One entry, ready to show."""

    entry: AuditLog
    actor: str
    action: str
    target: str
    link: str | None
    details: list[str]


class _Names:
    """Names of what one page of entries mentions, each kind in one query."""

    def __init__(self, session: Session, entries: Sequence[AuditLog]) -> None:
        ids: dict[str, set[int]] = {}
        user_ids: set[str] = set()
        for entry in entries:
            if entry.target_type and entry.target_id and entry.target_id.isdigit():
                ids.setdefault(entry.target_type, set()).add(int(entry.target_id))
            for value in [entry.actor, *map(str, (entry.details or {}).values())]:
                user_ids.update(_LINE_USER_ID.findall(value))
            if isinstance((entry.details or {}).get("province_id"), int):
                ids.setdefault("province", set()).add(entry.details["province_id"])
        self.meetings = self._load(session, Meeting.id, Meeting.title, ids.get("meeting"))
        self.groups = self._load(session, LineGroup.id, LineGroup.name, ids.get("line_group"))
        self.admins = self._load(session, AdminUser.id, AdminUser.username, ids.get("admin_user"))
        self.provinces = self._load(session, Province.id, Province.name_th, ids.get("province"))
        self.broadcasts = self._load(session, Broadcast.id, Broadcast.kind, ids.get("broadcast"))
        self.users: dict[str, str] = {}
        if user_ids:
            rows = session.execute(
                select(LineUser.line_user_id, LineUser.display_name).where(
                    LineUser.line_user_id.in_(user_ids)
                )
            ).all()
            self.users = {user_id: name for user_id, name in rows if name}

    @staticmethod
    def _load(session: Session, key: Any, value: Any, ids: set[int] | None) -> dict[int, Any]:
        if not ids:
            return {}
        return {k: v for k, v in session.execute(select(key, value).where(key.in_(ids))).all()}

    def person(self, text: str) -> str:
        """A LINE user id anywhere in `text` becomes the person's name (or "a LINE user")."""
        return _LINE_USER_ID.sub(lambda m: self.users.get(m.group(0), texts.AUDIT_UNKNOWN_LINE_USER), text)


def _actor(actor: str, names: _Names) -> str:
    if actor.startswith("line:"):
        return texts.AUDIT_LINE_ACTOR.format(name=names.person(actor[5:]))
    if actor.startswith("feed:"):
        return texts.AUDIT_FEED_ACTOR.format(name=actor[5:])
    return texts.AUDIT_ACTORS.get(actor, actor)


def _target(entry: AuditLog, names: _Names) -> tuple[str, str | None]:
    kind, raw = entry.target_type or "", entry.target_id or ""
    number = int(raw) if raw.isdigit() else None
    if kind == "meeting" and number is not None:
        title = names.meetings.get(number)
        label = texts.AUDIT_TARGET_MEETING.format(title=title or texts.AUDIT_DELETED, id=number)
        return label, url_for("console.meeting", meeting_id=number) if title is not None else None
    if kind == "broadcast" and number is not None:
        label = texts.AUDIT_TARGET_BROADCAST.format(id=number)
        linkable = number in names.broadcasts and "broadcasts_console.broadcast" in current_app.view_functions
        return label, url_for("broadcasts_console.broadcast", broadcast_id=number) if linkable else None
    if kind == "line_group" and number is not None:
        name = names.groups.get(number) or texts.AUDIT_UNNAMED_GROUP
        return texts.AUDIT_TARGET_GROUP.format(name=name), url_for("console.groups", q=name)
    if kind == "admin_user" and number is not None:
        return texts.AUDIT_TARGET_ADMIN.format(name=names.admins.get(number, f"#{number}")), None
    if kind == "line_group":
        return texts.AUDIT_TARGET_GROUPS, url_for("console.groups")
    return "", None


def _value(key: str, value: Any, names: _Names) -> str:
    if isinstance(value, bool):
        return texts.AUDIT_YES if value else texts.AUDIT_NO
    if key == "changed" and isinstance(value, list):
        return ", ".join(describe_changes([str(v) for v in value]))
    if key == "province_id" and isinstance(value, int):
        return str(names.provinces.get(value, f"#{value}"))
    if isinstance(value, str):
        if key == "until":
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            return f"{format_thai_date(moment.date(), 'short')} {moment:%H:%M}"
        if key in _CODED:
            value = texts.AUDIT_VALUES.get(value, value)
        return names.person(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_value(key, item, names) for item in value)
    return str(value)


def _details(details: dict[str, Any], names: _Names) -> list[str]:
    shown = []
    for key, value in (details or {}).items():
        if value is None or value == "" or (key == "forced" and value is False):
            continue  # "forced: no" says nothing
        label = texts.AUDIT_DETAILS.get(key, key)
        shown.append(f"{label}: {_value(key, value, names)}")
    return shown


def readable(session: Session, entries: Sequence[AuditLog]) -> list[Line]:
    names = _Names(session, entries)
    lines = []
    for entry in entries:
        target, link = _target(entry, names)
        lines.append(
            Line(
                entry=entry,
                actor=_actor(entry.actor, names),
                action=action_name(entry.action),
                target=target,
                link=link,
                details=_details(entry.details, names),
            )
        )
    return lines


def action_name(action: str) -> str:
    return texts.AUDIT_ACTIONS.get(action, action)
