"""Accepting a document over HTTP without trusting its name: type by content, size capped, safe storage.

Why: an upload is the one place where outside bytes reach the disk. The file is stored under a
name we make (its content hash plus the extension its *content* implies), so a hostile file
name ("../../etc/passwd", "x.pdf.exe") never reaches a path, and what the loaders see matches
what the bytes are.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from api.errors import ApiError

DEFAULT_MAX_UPLOAD_MB = 50


def max_upload_bytes() -> int:
    return int(float(os.environ.get("TRACUU_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024)


def sniff_suffix(data: bytes) -> str:
    """.pdf, .docx or .txt decided by the bytes; anything else is refused."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return ".doc"  # Word 97-2003; read through LibreOffice (ingest/loaders/office.py)
    if data.startswith(b"PK\x03\x04") and data[30:38] == b"mimetype" and b"opendocument.text" in data[38:100]:
        return ".odt"
    if data.startswith(b"PK\x03\x04"):
        return ".docx"  # the docx loader checks it is really a Word package
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return ".txt"
    if text is None and b"\x00" not in data:
        from ingest.legacy import detect  # a TCVN3/VNI text file: the txt loader converts it

        if detect(data.decode("latin-1")) is not None:
            return ".txt"
    raise ApiError(
        "Loại tệp không được hỗ trợ (chỉ nhận PDF, DOCX hoặc văn bản UTF-8).",
        "Unsupported file content (only PDF, DOCX or UTF-8 text are accepted).",
        status=415,
        code="unsupported_type",
    )


def safe_display_name(name: str | None) -> str:
    """A file name fit to show: no directories, no control characters, at most 120 characters."""
    base = (name or "tai-lieu").replace("\\", "/").split("/")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip(" .") or "tai-lieu"
    return base[:120]


def store_upload(data: bytes, uploads_dir: Path, display_name: str | None) -> Path:
    """Write the bytes under a content-derived name in ``uploads_dir``; return the path."""
    if not data:
        raise ApiError("Tệp rỗng.", "The file is empty.", status=400, code="empty")
    if len(data) > max_upload_bytes():
        raise ApiError(
            f"Tệp quá lớn (tối đa {max_upload_bytes() // (1024 * 1024)} MB).",
            f"File too large (at most {max_upload_bytes() // (1024 * 1024)} MB).",
            status=413,
            code="too_large",
        )
    suffix = sniff_suffix(data)
    stem = Path(safe_display_name(display_name)).stem
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())[:60]
    digest = hashlib.sha256(data).hexdigest()[:16]
    uploads_dir.mkdir(parents=True, exist_ok=True)
    path = uploads_dir / f"{slug.strip('-.') or 'tai-lieu'}-{digest}{suffix}"
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def check_key(configured: str | None, authorization: str | None, x_api_key: str | None) -> None:
    """Writes need the configured key; with none configured, HTTP writes are refused outright."""
    if not configured:
        raise ApiError(
            "Chức năng ghi qua HTTP bị tắt: chưa cấu hình TRACUU_API_KEY (dùng CLI `tracuu ingest`).",
            "Writes over HTTP are disabled: TRACUU_API_KEY is not set (use the CLI `tracuu ingest`).",
            status=403,
            code="writes_disabled",
        )
    given = x_api_key or ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not hmac.compare_digest(given.encode(), configured.encode()):
        raise ApiError("Khóa API không đúng hoặc thiếu.", "Missing or wrong API key.", status=401, code="unauthorized")


def ingest_upload(service: Any, data: bytes, filename: str | None) -> dict[str, Any]:
    """Store the bytes under a safe name, ingest them, report; on failure keep nothing.

    One path for the JSON API and the web form, so both check and answer alike.
    """
    path = store_upload(data, service.settings.data_dir / "uploads", filename)
    (report,) = service.ingest([path])
    report["file_name"] = report["path"] = safe_display_name(filename)
    if report["status"] != "ok":
        path.unlink(missing_ok=True)
        err = report["errors"][0]
        raise ApiError(err["message_vi"], err["message_en"], status=422, code=err.get("code", "bad_input"))
    return report
