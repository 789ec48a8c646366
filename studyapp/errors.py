"""Errors that services raise; the API maps them to one JSON shape."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request that the domain refuses, with a message a person can act on.

    `status` is the HTTP status the API answers with (400 unless said);
    `fields` maps input field names to lists of messages.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        status: int = 400,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.fields = fields or {}
