"""Errors that reach a user: every message in Vietnamese and in English.

Why one class: the CLI prints ``str(err)`` and exits non-zero; the HTTP layer returns 4xx with
both messages. Stages raise it for bad input; anything else is a bug and surfaces as such.
"""

from __future__ import annotations


class BilingualError(Exception):
    """Something a user or operator must read: the same message in Vietnamese and English."""

    default_code = "error"

    def __init__(self, vi: str, en: str, *, code: str | None = None) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en
        self.code = code or self.default_code

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_vi": self.vi, "message_en": self.en}


class IngestError(BilingualError):
    """Bad input: the file cannot be read or holds no document we can parse."""

    default_code = "bad_input"
