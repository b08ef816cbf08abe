"""API errors: a status and one Thai line, as `{"error": ..., "status": ...}` (plus details)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def response(self) -> tuple[Response, int]:
        body: dict[str, Any] = {"error": self.message, "status": self.status}
        if self.details:
            body["details"] = self.details
        response = jsonify(body)
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="admin"'
        return response, self.status
