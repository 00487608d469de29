"""Errors the API layer raises for a user's mistake, with messages in Vietnamese and English."""

from __future__ import annotations

from tracuu.ingest.errors import BilingualError


class ApiError(BilingualError):
    """A request that cannot be served as asked; ``status`` is the HTTP status to answer with.

    ``headers`` go on the response: ``Connection: close`` when the request body was refused
    unread, so the server does not go on reading it.
    """

    default_code = "bad_request"

    def __init__(
        self, vi: str, en: str, *, status: int = 400, code: str = "bad_request", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(vi, en, code=code)
        self.status = status
        self.headers = dict(headers or {})


def not_found(what_vi: str, what_en: str, key: str) -> ApiError:
    return ApiError(f"Không tìm thấy {what_vi} '{key}'.", f"No {what_en} '{key}'.", status=404, code="not_found")
