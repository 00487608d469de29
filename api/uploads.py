"""Accepting a document over HTTP: key first, size capped while streaming, type by content, safe storage.

Why: an upload is the one place where outside bytes reach the disk. So, in this order:

1. before one byte of the body is read, the key (when it travels in a header) and the declared
   ``Content-Length`` are checked, and a refusal closes the connection;
2. the multipart body is parsed as it arrives (no spooling by the framework) and the file part
   is written to a temporary file of its own (a unique name per request, so simultaneous
   uploads of the same file never share one) while its bytes are counted: past the limit the
   upload stops with 413, whatever ``Content-Length`` said or when there was none (chunked);
   a client that stops sending for ``TRACUU_UPLOAD_IDLE_TIMEOUT_S`` gets 408. The web form
   carries its key in a field, which must come before the file (the page puts it first);
3. the file is stored under a name we make (its content hash plus the extension its *content*
   implies), so a hostile file name ("../../etc/passwd", "x.pdf.exe") never reaches a path, and
   what the loaders see matches what the bytes are. Messages name the user's file, never ours.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from tracuu.api.config import http_settings
from tracuu.api.errors import ApiError
from tracuu.api.keys import bearer_token, key_matches
from tracuu.ingest.shapes import IngestReport

DEFAULT_MAX_UPLOAD_MB = 50
FORM_OVERHEAD = 64 * 1024  # boundaries, part headers and the key field around the file
MAX_FIELD_BYTES = 8 * 1024
INCOMING = ".incoming"  # under uploads/: files still arriving
CLOSE = {"Connection": "close"}  # a refusal before the body is read: do not read the rest


def max_upload_bytes() -> int:
    return http_settings().max_upload_bytes


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def too_large(limit: int) -> ApiError:
    return ApiError(
        f"Tệp quá lớn (tối đa {_mb(limit)} MB).",
        f"File too large (at most {_mb(limit)} MB).",
        status=413,
        code="too_large",
        headers=CLOSE,
    )


def unsupported() -> ApiError:
    return ApiError(
        "Loại tệp không được hỗ trợ (chỉ nhận PDF, DOCX hoặc văn bản UTF-8).",
        "Unsupported file content (only PDF, DOCX or UTF-8 text are accepted).",
        status=415,
        code="unsupported_type",
    )


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
    if text is None and b"\x00" not in data and _legacy_text(data):
        return ".txt"
    raise unsupported()


def _legacy_text(data: bytes) -> bool:
    """A TCVN3/VNI text file (not UTF-8): the txt loader converts it (ingest/legacy.py)."""
    from tracuu.ingest.legacy import detect

    return detect(data.decode("latin-1")) is not None


def sniff_file(path: Path) -> str:
    """:func:`sniff_suffix` for a file on disk, read in pieces (a text file is checked whole)."""
    with path.open("rb") as f:
        head = f.read(100)
        if head.startswith((b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return sniff_suffix(head)
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        while True:
            try:
                if "\x00" in decoder.decode(chunk, final=not chunk):
                    raise unsupported()
            except UnicodeDecodeError:
                f.seek(0)
                data = f.read(max_upload_bytes() + 1)
                if b"\x00" not in data and _legacy_text(data):
                    return ".txt"
                raise unsupported() from None
            if not chunk:
                return ".txt"
            chunk = f.read(1 << 20)


def safe_display_name(name: str | None) -> str:
    """A file name fit to show: no directories, no control characters, at most 120 characters."""
    base = (name or "tai-lieu").replace("\\", "/").split("/")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip(" .") or "tai-lieu"
    return base[:120]


def stored_name(display_name: str | None, digest: str, suffix: str) -> str:
    stem = Path(safe_display_name(display_name)).stem
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode())[:60]
    return f"{slug.strip('-.') or 'tai-lieu'}-{digest[:16]}{suffix}"


def empty_file() -> ApiError:
    return ApiError("Tệp rỗng.", "The file is empty.", status=400, code="empty")


def store_upload(data: bytes, uploads_dir: Path, display_name: str | None) -> Path:
    """Write the bytes under a content-derived name in ``uploads_dir``; return the path."""
    if not data:
        raise empty_file()
    limit = max_upload_bytes()
    if len(data) > limit:
        raise too_large(limit)
    suffix = sniff_suffix(data)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    path = uploads_dir / stored_name(display_name, hashlib.sha256(data).hexdigest(), suffix)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=uploads_dir)  # unique per call
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------- keys
def writes_disabled() -> ApiError:
    return ApiError(
        "Chức năng ghi qua HTTP bị tắt: chưa cấu hình TRACUU_API_KEY (dùng CLI `tracuu ingest`).",
        "Writes over HTTP are disabled: TRACUU_API_KEY is not set (use the CLI `tracuu ingest`).",
        status=403,
        code="writes_disabled",
        headers=CLOSE,
    )


def unauthorized() -> ApiError:
    return ApiError("Khóa API không đúng hoặc thiếu.", "Missing or wrong API key.", status=401, code="unauthorized",
                    headers=CLOSE)


def check_key(configured: str | None, authorization: str | None, x_api_key: str | None) -> None:
    """Writes need the configured key; with none configured, HTTP writes are refused outright.

    The key may come as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``, in any of the
    forms :mod:`api.keys` accepts (raw UTF-8, ``UTF-8''`` percent-encoded, ``base64:``).
    """
    if not configured:
        raise writes_disabled()
    if not key_matches(configured, bearer_token(authorization), x_api_key):
        raise unauthorized()


def check_declared_size(headers: Any, limit: int) -> None:
    """Refuse a body whose declared length is already over the limit (nothing read yet)."""
    declared = headers.get("content-length")
    if declared is None:
        return
    try:
        n = int(declared)
    except ValueError:
        raise ApiError("Content-Length không hợp lệ.", "Invalid Content-Length.", status=400, code="bad_length",
                       headers=CLOSE) from None
    if n > limit + FORM_OVERHEAD:
        raise too_large(limit)


# ---------------------------------------------------------------------- streaming the multipart body
class ClientGone(Exception):
    """The client went away before the upload was complete: nothing to answer."""


@dataclass
class ReceivedFile:
    """The file part of an upload, on disk under a name unique to this request."""

    path: Path
    filename: str | None
    size: int
    sha256: str
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class _Form:
    """The state of one multipart body as it is parsed (python-multipart callbacks)."""

    def __init__(self, incoming: Path, limit: int, configured: str, authenticated: bool, key_field: str | None) -> None:
        self.incoming, self.limit, self.configured = incoming, limit, configured
        self.authenticated, self.key_field = authenticated, key_field
        self.fields: dict[str, str] = {}
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.name: str | None = None
        self.filename: str | None = None
        self.is_file = False
        self.data = bytearray()
        self.file: Any = None
        self.file_path: Path | None = None
        self.file_seen = False
        self.size = 0
        self.hasher = hashlib.sha256()

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": lambda d, s, e: self.header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.headers, self.name, self.filename, self.is_file = {}, None, None, False
        self.data = bytearray()

    def on_header_end(self) -> None:
        self.headers[bytes(self.header_name).lower()] = bytes(self.header_value)
        self.header_name, self.header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = params.get(b"name", b"").decode("utf-8", "replace")
        raw = params.get(b"filename")
        self.is_file = raw is not None
        if not self.is_file:
            return
        self.filename = raw.decode("utf-8", "replace")
        if self.name != "file":
            return  # a file under another field name is not read (its bytes still count)
        if self.file_seen:
            raise ApiError("Mỗi lần chỉ tải lên một tệp.", "Upload one file at a time.", status=400,
                           code="one_file", headers=CLOSE)
        if not self.authenticated:  # the form's key must come before the file
            raise unauthorized()
        self.file_seen = True
        self.incoming.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self.incoming)
        os.fchmod(fd, 0o644)
        self.file, self.file_path = os.fdopen(fd, "wb"), Path(name)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.is_file:
            if self.name != "file":
                return
            self.size += end - start
            if self.size > self.limit:
                raise too_large(self.limit)
            piece = data[start:end]
            self.hasher.update(piece)
            self.file.write(piece)
        else:
            if len(self.data) + end - start > MAX_FIELD_BYTES:
                raise ApiError("Trường biểu mẫu quá dài.", "A form field is too long.", status=413,
                               code="field_too_long", headers=CLOSE)
            self.data.extend(data[start:end])

    def on_part_end(self) -> None:
        if self.is_file:
            if self.file is not None and self.name == "file":
                self.file.close()
            return
        value = bytes(self.data).decode("utf-8", "replace")
        self.fields[self.name or ""] = value
        if self.name == self.key_field and not self.authenticated:
            if not key_matches(self.configured, value):
                raise unauthorized()
            self.authenticated = True

    def cleanup(self) -> None:
        if self.file is not None:
            self.file.close()
        if self.file_path is not None:
            self.file_path.unlink(missing_ok=True)


async def receive_upload(
    request: Any,
    uploads_dir: Path,
    *,
    authenticated: bool,
    configured: str,
    key_field: str | None = None,
) -> ReceivedFile:
    """Read the multipart body of ``request`` into a temporary file, counting as it comes.

    ``authenticated``: the key was already checked from a header. Otherwise ``key_field`` names
    the form field that must carry it, before the file part. Raises :class:`ApiError` (401, 400,
    408, 413) or :class:`ClientGone`; on any failure the temporary file is removed.
    """
    settings = http_settings()
    limit = settings.max_upload_bytes
    ctype, params = parse_options_header(request.headers.get("content-type"))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise ApiError(
            "Gửi tệp dạng multipart/form-data, trong trường 'file'.",
            "Send the file as multipart/form-data, in the field 'file'.",
            status=400, code="not_multipart", headers=CLOSE,
        )
    form = _Form(uploads_dir / INCOMING, limit, configured, authenticated, key_field)
    try:
        parser = MultipartParser(params[b"boundary"], form.callbacks())
    except Exception:
        raise ApiError("Biểu mẫu tải lên không hợp lệ.", "Malformed upload form.", status=400, code="bad_form",
                       headers=CLOSE) from None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.request_timeout_s
    received = 0
    try:
        while True:
            wait = min(settings.upload_idle_timeout_s, deadline - loop.time())
            try:
                message = await asyncio.wait_for(request.receive(), timeout=max(wait, 0.001))
            except (asyncio.TimeoutError, TimeoutError):
                raise ApiError(
                    "Tải lên quá chậm: máy chủ ngừng chờ dữ liệu.",
                    "Upload too slow: the server stopped waiting for data.",
                    status=408, code="too_slow", headers=CLOSE,
                ) from None
            if message["type"] == "http.disconnect":
                raise ClientGone()
            body = message.get("body", b"")
            received += len(body)
            if received > limit + FORM_OVERHEAD:
                raise too_large(limit)
            try:
                parser.write(body)
            except ApiError:
                raise
            except Exception:
                raise ApiError("Biểu mẫu tải lên không hợp lệ.", "Malformed upload form.", status=400,
                               code="bad_form", headers=CLOSE) from None
            if not message.get("more_body", False):
                break
        parser.finalize()
        if form.file is not None and not form.file.closed:
            form.file.close()
    except BaseException:
        form.cleanup()
        raise
    if form.file_path is None or (not form.size and not form.filename):
        form.cleanup()
        if not form.authenticated:
            raise unauthorized()
        raise ApiError("Chưa chọn tệp để tải lên.", "No file was chosen.", status=400, code="no_file")
    return ReceivedFile(form.file_path, form.filename, form.size, form.hasher.hexdigest(), form.fields)


def sweep_incoming(uploads_dir: Path, older_than_s: float = 3600) -> int:
    """Remove temporary upload files a killed process left behind (none is that old while in use:
    a file being written has a fresh mtime, and the request clock is far shorter)."""
    import time

    folder = uploads_dir / INCOMING
    removed = 0
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than_s
    for p in folder.glob("upload-*.part"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed


# ---------------------------------------------------------------------- storing and ingesting
def store_received(received: ReceivedFile, uploads_dir: Path) -> Path:
    """Move the received file under its content-derived name (atomic; identical uploads agree)."""
    if not received.size:
        raise empty_file()
    suffix = sniff_file(received.path)
    path = uploads_dir / stored_name(received.filename, received.sha256, suffix)
    os.replace(received.path, path)
    return path


def _in_use(service: Any, name: str) -> bool:
    try:
        return any(d.file_name == name for d in service.documents())
    except Exception:  # pragma: no cover - when unsure, keep the file
        return True


def _user_facing(text: str, path: Path, display: str) -> str:
    """A message about ``path`` that names the user's file instead of ours."""
    for internal in (str(path), str(path.resolve()), path.name, path.stem):
        text = text.replace(internal, display)
    return text


def ingest_stored(service: Any, path: Path, filename: str | None) -> IngestReport:
    """Ingest a stored upload and report; on failure keep nothing (unless another upload uses it)."""
    display = safe_display_name(filename)
    try:
        (report,) = service.ingest([path])
    except BaseException:
        if not _in_use(service, path.name):
            path.unlink(missing_ok=True)
        raise
    report.file_name = report.path = display
    if report.status != "ok":
        if not _in_use(service, path.name):
            path.unlink(missing_ok=True)
        err = report.errors[0]
        raise ApiError(
            _user_facing(err.message_vi, path, display),
            _user_facing(err.message_en, path, display),
            status=422,
            code=err.code or "bad_input",
        )
    report.warnings = [_user_facing(w, path, display) for w in report.warnings]
    return report


def ingest_received(service: Any, received: ReceivedFile) -> IngestReport:
    """Store and ingest a streamed upload (run in a worker thread)."""
    try:
        path = store_received(received, service.settings.data_dir / "uploads")
    finally:
        received.discard()  # gone already when it was moved
    return ingest_stored(service, path, received.filename)


def ingest_upload(service: Any, data: bytes, filename: str | None) -> IngestReport:
    """Store bytes under a safe name, ingest them, report (for callers that hold the bytes)."""
    return ingest_stored(service, store_upload(data, service.settings.data_dir / "uploads", filename), filename)


async def accept_upload(
    request: Any,
    service: Any,
    *,
    authorization: str | None = None,
    x_api_key: str | None = None,
    key_field: str | None = None,
) -> IngestReport:
    """The whole upload: key and declared size before the body, then stream, store, ingest.

    ``key_field``: the form field that may carry the key (the web form); without it the key
    must be in a header.
    """
    from starlette.concurrency import run_in_threadpool

    settings = http_settings()
    configured = settings.api_key
    if not configured:
        raise writes_disabled()
    in_header = bool(bearer_token(authorization) or (x_api_key or "").strip())
    if in_header or key_field is None:
        check_key(configured, authorization, x_api_key)
    check_declared_size(request.headers, settings.max_upload_bytes)
    received = await receive_upload(
        request, service.settings.data_dir / "uploads",
        authenticated=in_header, configured=configured, key_field=key_field,
    )
    return await run_in_threadpool(ingest_received, service, received)
