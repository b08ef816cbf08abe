"""The audit log: who did what, when. Written in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.models import AuditLog


def record(
    session: Session,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: object | None = None,
    **details: Any,
) -> AuditLog:
    entry = AuditLog(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details,
    )
    session.add(entry)
    return entry
