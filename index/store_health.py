"""Can the data directory take a write, and what is degraded: the checks behind ``/healthz``.

Why a probe and not ``os.access``: permissions say nothing on a read-only mount, and root passes
every permission check; creating (and removing) a small file is the question itself. Free space
is checked against a floor (``min_free_mb``: ``TRACUU_MIN_FREE_MB``, default 64, read once by
``api.config.Settings`` and passed down; nothing here reads the environment) so that a write is
refused with a clear message before it can fail halfway with ENOSPC (which the write path also turns into
the same message).

A *reason* is a dict ``{"code", "message_vi", "message_en"}`` (plus ``"file"`` where one file is
at fault), the shape ``/healthz`` lists.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from tracuu.index.errors import StoreUnwritable

DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


DEFAULT_MIN_FREE_MB = 64  # the default of api.config.Settings.min_free_mb


def reason(code: str, vi: str, en: str, file: str | None = None) -> dict[str, str]:
    out = {"code": code, "message_vi": vi, "message_en": en}
    if file:
        out["file"] = file
    return out


def read_only_error(data_dir: Path, detail: str) -> StoreUnwritable:
    return StoreUnwritable(
        f"Thư mục dữ liệu '{data_dir}' chỉ đọc ({detail}): vẫn tra cứu được nhưng không thể nạp, xóa "
        "hay sửa tài liệu. Không có gì bị thay đổi.",
        f"The data directory '{data_dir}' is read-only ({detail}): search keeps working, but documents "
        "cannot be added, deleted or changed. Nothing was changed.",
        code="read_only",
    )


def disk_full_error(data_dir: Path, free: int | None = None) -> StoreUnwritable:
    room = f" (còn {free // 2**20} MB)" if free is not None else ""
    room_en = f" ({free // 2**20} MB free)" if free is not None else ""
    return StoreUnwritable(
        f"Ổ đĩa chứa thư mục dữ liệu '{data_dir}' đã đầy{room}: vẫn tra cứu được nhưng không thể nạp "
        "thêm tài liệu. Không có gì bị thay đổi; hãy giải phóng dung lượng rồi thử lại.",
        f"The disk holding the data directory '{data_dir}' is full{room_en}: search keeps working, but no "
        "document can be added. Nothing was changed; free some space and try again.",
        code="disk_full",
    )


def from_os_error(data_dir: Path, exc: OSError) -> StoreUnwritable | None:
    """The bilingual refusal an OSError from a write stands for, or None (some other failure)."""
    if exc.errno in DISK_FULL_ERRNOS:
        return disk_full_error(data_dir)
    if exc.errno in READ_ONLY_ERRNOS:
        return read_only_error(data_dir, exc.strerror or str(exc))
    return None


def check_writable(data_dir: Path, min_free_mb: int = DEFAULT_MIN_FREE_MB) -> StoreUnwritable | None:
    """None when a write can go ahead, else the refusal to raise (read-only, or less than
    ``min_free_mb`` free)."""
    data_dir = Path(data_dir)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=data_dir)
    except OSError as exc:
        return from_os_error(data_dir, exc) or read_only_error(data_dir, exc.strerror or str(exc))
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError:
        pass
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError:
        return None
    if free < max(min_free_mb, 0) * 2**20:
        return disk_full_error(data_dir, free)
    return None
