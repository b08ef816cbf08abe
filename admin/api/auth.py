"""Bearer-token authentication of the admin API, compared in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import request

from admin.api.errors import ApiError
from bot.current import current_services

P = ParamSpec("P")
R = TypeVar("R")


def _presented_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_admin_token(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        expected = current_services().settings.admin.token
        presented = _presented_token()
        if expected is None:
            raise ApiError(401, "API ผู้ดูแลยังไม่เปิดใช้: ตั้งค่า ADMIN_TOKEN ก่อน")
        if presented is None or not hmac.compare_digest(
            presented.encode("utf-8"), expected.get_secret_value().encode("utf-8")
        ):
            raise ApiError(401, "ต้องใช้โทเคนผู้ดูแลที่ถูกต้อง (Authorization: Bearer ...)")
        return view(*args, **kwargs)

    # The token is the department's: no provincial office reaches the API (admin/console/auth.py).
    setattr(wrapper, "access", "department")  # noqa: B010
    return wrapper
