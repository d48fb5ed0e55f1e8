"""The one typed error of the application layer, mapped once to JSON (API) and to messages (UI)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal the user can act on: ``code`` is stable, ``message`` is for people, ``details`` say where."""

    status = 400

    def __init__(
        self, code: str, message: str, details: dict[str, Any] | None = None, *, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    status = 404


class PermissionDenied(ApplicationError):
    status = 403
