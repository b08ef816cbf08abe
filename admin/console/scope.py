"""What a provincial office's account may see and change, as SQL conditions and checks.

A department account (admin, editor, viewer) works on every province; an account with the role
"province" works on the provinces it was given (`Admin.provinces`). The views marked `require_scoped`
pass every query and every action through these: another province's record answers 404, as if it did
not exist, so its ids tell an office nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort
from sqlalchemy import ColumnElement, exists, select, true

from bot.models import Broadcast, Delivery, LineGroup, admin_user_provinces

if TYPE_CHECKING:
    from admin.console.auth import Admin


def groups_of(admin: Admin) -> ColumnElement[bool]:
    """The LINE groups the account looks after (a condition on LineGroup)."""
    if not admin.provincial:
        return true()
    return LineGroup.province_id.in_(sorted(admin.provinces))


def check_group(admin: Admin, group: LineGroup | None) -> LineGroup:
    """The group, if the account looks after it; 404 otherwise (or if there is none)."""
    if group is None or not admin.sees_province(group.province_id):
        abort(404)
    return group


def _office_accounts(admin: Admin) -> ColumnElement[bool]:
    """Broadcast.created_by_id is an account of the same office: one sharing a province with it."""
    sharing = select(admin_user_provinces.c.admin_user_id).where(
        admin_user_provinces.c.province_id.in_(sorted(admin.provinces))
    )
    return Broadcast.created_by_id.in_(sharing) | (Broadcast.created_by_id == admin.id)


def broadcasts_of(admin: Admin) -> ColumnElement[bool]:
    """The broadcasts the account sees: its office's own, and any that reached one of its groups
    (a department broadcast is shown with its province's deliveries only)."""
    if not admin.provincial:
        return true()
    reached = exists(
        select(Delivery.id)
        .join(LineGroup, Delivery.group_id == LineGroup.id)
        .where(Delivery.broadcast_id == Broadcast.id, groups_of(admin))
    )
    return _office_accounts(admin) | reached


def owns_broadcast(admin: Admin) -> ColumnElement[bool]:
    """The broadcasts the account may cancel or retry: any for the department, its office's own for
    a provincial office (never the department's, even those that reach its groups)."""
    if not admin.provincial:
        return true()
    return _office_accounts(admin)


def provinces_of(admin: Admin) -> frozenset[int] | None:
    """The provinces the account is limited to; None for the department (every province)."""
    return admin.provinces if admin.provincial else None
