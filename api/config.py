"""Run-time settings: one object (:class:`Settings`, pydantic-settings), read from the
environment once per process (:func:`get_settings`) and checked before anything is served.

Why environment variables: the CLI, the HTTP server and the tests all build the same service;
a deployment changes where data lives or which model embeds without touching code.

Why one object: every ``TRACUU_*`` variable is defined here once - its default, the values it
accepts and what it means in both languages - so two readers cannot disagree on a default, and
``Settings.model_fields`` is the table the README documents. The ingest limits keep their
numbers in :mod:`ingest.limits` (where the guards use them); the fields here are built from that
table, so the default is still stated once.

Why checked up front: a typo such as ``TRACUU_MAX_UPLOAD_MB=abc`` must stop ``tracuu serve``
with a message naming the variable (:class:`ConfigError`, in Vietnamese and English), not surface
later as a 500 on the first upload.

Why cached: the environment does not change under a running process; reading it once makes
every request obey the settings checked at start. Tests that change a variable clear the cache
(``get_settings.cache_clear()``; tests/conftest.py does it for ``monkeypatch.setenv``) or pass
overrides to :meth:`Settings.from_env`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, SettingsConfigDict
from tracuu.ingest import limits, reading
from tracuu.ingest.errors import BilingualError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TRACUU_"
DATABASE_SCHEMES = ("postgresql://", "postgres://")  # TRACUU_DATABASE_URL: a shared PostgreSQL catalog


class ConfigError(BilingualError):
    """A setting the operator must fix before the service can start."""

    default_code = "bad_setting"


def _number(default: float, low: float, high: float, vi: str, en: str) -> Any:
    """A numeric setting: its default, its range and its meaning (for the error message)."""
    return Field(default, ge=low, le=high, allow_inf_nan=False, description=en, json_schema_extra={"vi": vi})


def _limit(name: str) -> Any:
    """A field for the ingest limit ``name``, from :data:`ingest.limits.SPEC` (one definition)."""
    _var, default, low, high, vi, en = limits.SPEC[name]
    return Field(default, ge=low, le=high, description=en, json_schema_extra={"vi": vi})


# field -> ingest limit: the limit's variable (TRACUU_INGEST_MEMORY_MB) names the field (ingest_memory_mb)
_LIMIT_FIELDS: dict[str, str] = {limits.SPEC[name][0][len(ENV_PREFIX):].lower(): name for name in limits.SPEC}


class Settings(BaseSettings):
    """Every ``TRACUU_*`` setting. Field ``x`` is read from ``TRACUU_X``; an empty value means the
    default (except ``TRACUU_SOFFICE``, where empty means "no LibreOffice")."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    # --- where things are, which model embeds
    data_dir: Path = Field(Path(".tracuu"), description="where documents, vectors and the embedding cache live")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="folder with manifest.toml and the bundled files")
    embed_model: str | None = Field(None, description="a sentence-transformers model or 'hash'; None: bundled e5")
    chroma_url: str | None = Field(None, description="a Chroma server; None: embedded PersistentClient in data_dir")
    database_url: str | None = Field(
        None, description="a shared PostgreSQL catalog (postgresql://...); None: the SQLite catalog in data_dir")
    cache_dir: Path | None = Field(
        None, description="where language tables derived from the bundled data files are kept between processes; "
        "None: $XDG_CACHE_HOME/tracuu (~/.cache/tracuu)")

    # --- the HTTP front
    api_key: str | None = Field(None, description="key for HTTP writes; None: HTTP writes refused")
    max_upload_mb: float = _number(50, 0.001, 4096, "dung lượng tối đa của tệp tải lên (MB)", "upload size limit (MB)")
    upload_idle_timeout_s: float = _number(30, 1, 3600, "thời gian chờ tối đa giữa hai phần dữ liệu tải lên (giây)",
                                           "longest wait for the next piece of an upload (seconds)")
    header_timeout_s: float = _number(10, 1, 600, "thời gian tối đa để nhận phần đầu (header) của yêu cầu (giây)",
                                      "time allowed to receive a request's headers (seconds)")
    request_timeout_s: float = _number(300, 1, 86400, "thời gian tối đa để nhận trọn một yêu cầu (giây)",
                                       "time allowed to receive a whole request body (seconds)")
    keep_alive_s: int = _number(5, 1, 600, "thời gian giữ kết nối rảnh (giây)", "idle keep-alive time (seconds)")
    max_connections: int = _number(100, 1, 100000, "số kết nối đồng thời tối đa", "most simultaneous connections")

    # --- the store, the CLI
    min_free_mb: int = _number(64, 0, 1 << 30, "dung lượng đĩa trống tối thiểu để ghi (MB)",
                               "free disk below which writes are refused (MB)")
    vector_probe: Literal["files", "subprocess"] = Field(
        "files", description="'subprocess': also open the vector store in a child process at every start")
    debug: bool = Field(False, description="the CLI shows the traceback of an unexpected error")

    # --- reading untrusted files (ingest/)
    ingest_isolation: Literal["process", "inline"] = Field("process", description="read files in a worker process or inline")
    tesseract: str = Field("tesseract", description="the Tesseract binary for OCR")
    soffice: str | None = Field(None, description="LibreOffice binary for .doc/.odt; None: soffice on the PATH; '': none")
    ingest_memory_mb: int = _limit("memory_mb")
    ingest_timeout_s: int = _limit("timeout_s")
    pdf_max_pages: int = _limit("pdf_max_pages")
    pdf_max_page_operators: int = _limit("pdf_max_page_operators")
    pdf_max_operators: int = _limit("pdf_max_operators")
    pdf_max_page_content_mb: int = _limit("pdf_max_page_content_mb")
    ocr_max_pages: int = _limit("ocr_max_pages")
    docx_max_unpacked_mb: int = _limit("docx_max_unpacked_mb")
    docx_max_part_mb: int = _limit("docx_max_part_mb")
    docx_max_ratio: int = _limit("docx_max_ratio")
    max_clauses: int = _limit("max_clauses")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any, info: Any) -> Any:
        """Surrounding spaces dropped; an empty value is the default ("" for TRACUU_SOFFICE: none)."""
        if isinstance(value, str):
            value = value.strip()
            if not value and info.field_name != "soffice":
                raise PydanticUseDefault()
            if info.field_name in ("vector_probe", "ingest_isolation"):
                return value.lower()
            if cls.model_fields[info.field_name].annotation is float:
                return value.replace(",", ".")  # "0,5": the Vietnamese decimal comma
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(DATABASE_SCHEMES):
            raise ValueError("not a PostgreSQL URL")
        return value

    @property
    def table_cache_dir(self) -> Path | None:
        """:attr:`cache_dir`, else the user's cache directory (None when there is no home to find)."""
        if self.cache_dir is not None:
            return self.cache_dir
        import os

        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        try:
            return (Path(base) if base else Path.home() / ".cache") / "tracuu"
        except RuntimeError:  # no HOME and no password entry: tables are built in memory
            return None

    @property
    def catalog_target(self) -> str | Path:
        """What ``index.catalog.db.open_db`` opens: the PostgreSQL URL, else the data dir (SQLite in it)."""
        return self.database_url or self.data_dir

    @field_validator("api_key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        if value is not None and any(unicodedata.category(c) == "Cc" for c in value.strip()):
            raise ValueError("control character")
        return normalize_key(value)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """The settings from the environment, with ``overrides`` (None: not overridden) taking
        precedence; a bad value raises :class:`ConfigError` naming its variable."""
        given = {k: v for k, v in overrides.items() if v is not None}
        try:
            return cls(**given)
        except ValidationError as err:
            raise config_error(err) from None

    @property
    def limits(self) -> limits.Limits:
        """The ingest limits in these settings (what :mod:`ingest.worker` enforces)."""
        return limits.Limits(**{name: getattr(self, fld) for fld, name in _LIMIT_FIELDS.items()})

    @property
    def reading(self) -> reading.Reading:
        """How untrusted files are read (what :func:`ingest.worker.ingest_untrusted` is given):
        the limits, the isolation and the external tools, so no ingest module reads the environment."""
        return reading.Reading(limits=self.limits, isolation=self.ingest_isolation, tesseract=self.tesseract,
                               soffice=self.soffice)

    @property
    def http(self) -> "HttpSettings":
        return HttpSettings(
            api_key=self.api_key,
            max_upload_bytes=int(self.max_upload_mb * 1024 * 1024),
            upload_idle_timeout_s=self.upload_idle_timeout_s,
            header_timeout_s=self.header_timeout_s,
            request_timeout_s=self.request_timeout_s,
            keep_alive_s=self.keep_alive_s,
            max_connections=self.max_connections,
        )


def variable(field: str) -> str:
    """The environment variable of a field: ``max_upload_mb`` -> ``TRACUU_MAX_UPLOAD_MB``."""
    return ENV_PREFIX + field.upper()


def _accepts(field: str) -> tuple[str, str]:
    """What a field accepts, in Vietnamese and English, for the error message."""
    info = Settings.model_fields[field]
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if low is not None and high is not None:
        integer = info.annotation is int
        kind_vi, kind_en = ("số nguyên", "an integer") if integer else ("một số", "a number")
        lo, hi = (f"{int(low)}", f"{int(high)}") if integer else (f"{low:g}", f"{high:g}")
        return f"phải là {kind_vi} từ {lo} đến {hi}", f"must be {kind_en} from {lo} to {hi}"
    if field == "api_key":
        return "không được chứa ký tự điều khiển", "must not contain a control character"
    if field == "database_url":
        return ("phải là địa chỉ PostgreSQL dạng postgresql://người_dùng@máy:cổng/tên_csdl, hoặc để trống để dùng "
                "SQLite trong thư mục dữ liệu", "must be a PostgreSQL URL such as postgresql://user@host:port/dbname, "
                "or empty for the SQLite catalog in the data dir")
    choices = getattr(info.annotation, "__args__", None)
    if choices and all(isinstance(c, str) for c in choices):
        listed = " / ".join(repr(c) for c in choices)
        return f"phải là một trong {listed}", f"must be one of {listed}"
    if info.annotation is bool:
        return "phải là 1/0 (true/false)", "must be 1/0 (true/false)"
    return "không hợp lệ", "is not valid"


def config_error(err: ValidationError) -> ConfigError:
    """The first bad setting of ``err``, named with its variable, its value and what it accepts."""
    first = err.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else ""
    if field not in Settings.model_fields:
        return ConfigError(f"Cấu hình sai: {first.get('msg')}.", f"Bad setting: {first.get('msg')}.")
    info = Settings.model_fields[field]
    raw = first.get("input")
    if field == "database_url" and isinstance(raw, str):
        raw = _hide_password(raw)
    shown = f"{variable(field)}={raw!r}" if field != "api_key" else variable(field)
    vi_meaning = (info.json_schema_extra or {}).get("vi") if isinstance(info.json_schema_extra, dict) else None
    meaning_vi = f" ({vi_meaning})" if vi_meaning else ""
    meaning_en = f" ({info.description})" if vi_meaning and info.description else ""
    vi, en = _accepts(field)
    return ConfigError(f"Cấu hình sai: {shown}{meaning_vi} {vi}.", f"Bad setting: {shown}{meaning_en} {en}.")


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def check_database_url(raw: str | None) -> str | None:
    """A database URL given outside the environment (``--database-url``), checked as the
    TRACUU_DATABASE_URL field is: empty means the SQLite catalog; else a PostgreSQL URL."""
    url = (raw or "").strip()
    if not url:
        return None
    if not url.startswith(DATABASE_SCHEMES):
        vi, en = _accepts("database_url")
        shown = f"{variable('database_url')}={_hide_password(url)!r}"
        raise ConfigError(f"Cấu hình sai: {shown} {vi}.", f"Bad setting: {shown} {en}.")
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment on first use; raises
    :class:`ConfigError` on the first bad one. ``get_settings.cache_clear()`` reads them again."""
    return Settings.from_env()


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
    """Every HTTP setting of this process (:func:`get_settings`), validated; raises
    :class:`ConfigError` on the first bad setting."""
    return get_settings().http


__all__ = ["ConfigError", "HttpSettings", "Settings", "get_settings", "http_settings", "normalize_key"]
