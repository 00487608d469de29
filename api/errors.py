"""Errors the API layer raises for a user's mistake, with messages in Vietnamese and English."""

from __future__ import annotations


class ApiError(Exception):
    """A request that cannot be served as asked; ``status`` is the HTTP status to answer with."""

    def __init__(self, vi: str, en: str, *, status: int = 400, code: str = "bad_request") -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en
        self.status = status
        self.code = code

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_vi": self.vi, "message_en": self.en}


def not_found(what_vi: str, what_en: str, key: str) -> ApiError:
    return ApiError(f"Không tìm thấy {what_vi} '{key}'.", f"No {what_en} '{key}'.", status=404, code="not_found")
