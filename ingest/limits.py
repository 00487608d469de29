"""How much work one untrusted file may cost: pages, operators, OCR pages, memory, time.

Why one place: every guard (the .docx zip checks, the PDF page and operator counts, the OCR page
cap, the worker process's memory and time limits) reads its number from here, each number can be
set by an environment variable (read once, by ``api.config.Settings``, never here), and a bad
value is refused with a message naming the variable instead of surfacing as a crash on the first
upload. The defaults fit a small server (2 cores, a
few GB of memory): one ingest at a time may use about 1.5 GB and 3 minutes.

Each refusal names the limit it hit and the variable that raises it (:func:`limit_error`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from tracuu.ingest.errors import BilingualError, IngestError


class LimitSettingError(BilingualError):
    """A limit variable that is not a number in its allowed range: the operator must fix it."""

    default_code = "bad_setting"


# field -> (environment variable, default, smallest, largest, Vietnamese meaning, English meaning)
SPEC: dict[str, tuple[str, int, int, int, str, str]] = {
    "memory_mb": ("TRACUU_INGEST_MEMORY_MB", 1536, 256, 1 << 20,
                  "bộ nhớ tối đa cho việc đọc một tệp (MB)", "memory for reading one file (MB)"),
    "timeout_s": ("TRACUU_INGEST_TIMEOUT_S", 180, 5, 86400,
                  "thời gian tối đa để đọc một tệp (giây)", "time for reading one file (seconds)"),
    "pdf_max_pages": ("TRACUU_PDF_MAX_PAGES", 600, 1, 1 << 20,
                      "số trang PDF tối đa", "most PDF pages"),
    "pdf_max_page_operators": ("TRACUU_PDF_MAX_PAGE_OPERATORS", 60_000, 100, 1 << 30,
                               "số lệnh vẽ tối đa trong một trang PDF", "most drawing operators on one PDF page"),
    "pdf_max_operators": ("TRACUU_PDF_MAX_OPERATORS", 3_000_000, 100, 1 << 31,
                          "tổng số lệnh vẽ tối đa của tệp PDF", "most drawing operators in a whole PDF"),
    "pdf_max_page_content_mb": ("TRACUU_PDF_MAX_PAGE_CONTENT_MB", 32, 1, 1 << 16,
                                "dung lượng giải nén tối đa của nội dung một trang PDF (MB)",
                                "largest decompressed content of one PDF page (MB)"),
    "ocr_max_pages": ("TRACUU_OCR_MAX_PAGES", 60, 0, 1 << 20,
                      "số trang tối đa được nhận dạng chữ (OCR)", "most pages read by OCR"),
    "docx_max_unpacked_mb": ("TRACUU_DOCX_MAX_UNPACKED_MB", 150, 1, 1 << 16,
                             "dung lượng giải nén tối đa của tệp .docx (MB)", "largest unpacked size of a .docx (MB)"),
    "docx_max_part_mb": ("TRACUU_DOCX_MAX_PART_MB", 100, 1, 1 << 16,
                         "dung lượng giải nén tối đa của một phần trong tệp .docx (MB)",
                         "largest unpacked part of a .docx (MB)"),
    "docx_max_ratio": ("TRACUU_DOCX_MAX_RATIO", 100, 10, 1 << 20,
                       "tỷ lệ nén tối đa của một phần trong tệp .docx", "highest compression ratio of a .docx part"),
    "max_clauses": ("TRACUU_MAX_CLAUSES", 30_000, 10, 1 << 24,
                    "số điều khoản tối đa của một văn bản", "most clauses in one document"),
}
# A part smaller than this is never refused for its ratio: tiny XML compresses very well.
RATIO_FLOOR_BYTES = 1 << 20


@dataclass(frozen=True)
class Limits:
    memory_mb: int = SPEC["memory_mb"][1]
    timeout_s: int = SPEC["timeout_s"][1]
    pdf_max_pages: int = SPEC["pdf_max_pages"][1]
    pdf_max_page_operators: int = SPEC["pdf_max_page_operators"][1]
    pdf_max_operators: int = SPEC["pdf_max_operators"][1]
    pdf_max_page_content_mb: int = SPEC["pdf_max_page_content_mb"][1]
    ocr_max_pages: int = SPEC["ocr_max_pages"][1]
    docx_max_unpacked_mb: int = SPEC["docx_max_unpacked_mb"][1]
    docx_max_part_mb: int = SPEC["docx_max_part_mb"][1]
    docx_max_ratio: int = SPEC["docx_max_ratio"][1]
    max_clauses: int = SPEC["max_clauses"][1]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Limits":
        """Every limit from its variable in ``env`` (unset or empty: the default); a bad value
        raises :class:`LimitSettingError` naming the variable and its allowed range. The caller
        passes the mapping: this layer never reads the process environment."""
        values: dict[str, int] = {}
        for f in fields(cls):
            var, default, low, high, vi, en = SPEC[f.name]
            raw = (env.get(var) or "").strip()
            if not raw:
                values[f.name] = default
                continue
            try:
                value = int(raw)
            except ValueError:
                value = None
            if value is None or not low <= value <= high:
                raise LimitSettingError(
                    f"Cấu hình sai: {var}={raw!r} ({vi}) phải là số nguyên từ {low} đến {high}.",
                    f"Bad setting: {var}={raw!r} ({en}) must be an integer from {low} to {high}.",
                )
            values[f.name] = value
        return cls(**values)


_current: Limits | None = None


def current() -> Limits:
    """The limits in force in this process (the defaults until :func:`use`)."""
    return _current or Limits()


def use(limits: Limits | None) -> None:
    """Make ``limits`` the ones in force (the worker process does this with what it was sent);
    None: the defaults."""
    global _current
    _current = limits


def variable(name: str) -> str:
    """The environment variable of a limit field, for messages."""
    return SPEC[name][0]


def limit_error(name: str, value: object, found: object, what_vi: str, what_en: str) -> IngestError:
    """The refusal for a limit hit: what was found, the limit, and the variable that raises it."""
    var = variable(name)
    return IngestError(
        f"{what_vi}: {found} vượt giới hạn {value} ({var}). Tệp bị từ chối để bảo vệ máy chủ; "
        f"người quản trị có thể nâng {var} nếu tệp này hợp lệ.",
        f"{what_en}: {found} is over the limit of {value} ({var}). The file is refused to protect "
        f"the server; an administrator may raise {var} if the file is genuine.",
        code="limit_exceeded",
    )
