"""The one settings object (api/config.py): every TRACUU_* variable, its default, and a bad value
named in both languages before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.api.config import ConfigError, Settings, get_settings, http_settings, variable
from tracuu.ingest import limits

# every variable the code reads, as README's configuration table lists it
README_VARIABLES = {
    "TRACUU_DATA_DIR", "TRACUU_EMBED_MODEL", "TRACUU_CHROMA_URL", "TRACUU_CORPUS_DIR", "TRACUU_API_KEY",
    "TRACUU_MAX_UPLOAD_MB", "TRACUU_UPLOAD_IDLE_TIMEOUT_S", "TRACUU_HEADER_TIMEOUT_S", "TRACUU_REQUEST_TIMEOUT_S",
    "TRACUU_KEEP_ALIVE_S", "TRACUU_MAX_CONNECTIONS", "TRACUU_SOFFICE", "TRACUU_DEBUG", "TRACUU_INGEST_MEMORY_MB",
    "TRACUU_INGEST_TIMEOUT_S", "TRACUU_PDF_MAX_PAGES", "TRACUU_OCR_MAX_PAGES", "TRACUU_PDF_MAX_PAGE_OPERATORS",
    "TRACUU_PDF_MAX_OPERATORS", "TRACUU_DOCX_MAX_UNPACKED_MB", "TRACUU_DOCX_MAX_PART_MB", "TRACUU_DOCX_MAX_RATIO",
    "TRACUU_MAX_CLAUSES", "TRACUU_MIN_FREE_MB", "TRACUU_INGEST_ISOLATION", "TRACUU_VECTOR_PROBE", "TRACUU_CACHE_DIR",
}


def _clean(monkeypatch) -> None:
    for name in [variable(f) for f in Settings.model_fields]:
        monkeypatch.delenv(name, raising=False)


def test_every_variable_is_one_field_with_its_default(monkeypatch):
    _clean(monkeypatch)
    names = {variable(f) for f in Settings.model_fields}
    assert README_VARIABLES <= names
    s = Settings.from_env()
    assert s.data_dir == Path(".tracuu") and s.embed_model is None and s.chroma_url is None and s.api_key is None
    assert (s.corpus_dir / "manifest.toml").exists()
    assert s.limits == limits.Limits()  # the ingest limits' defaults are stated once, in ingest/limits.py
    assert (s.http.max_upload_bytes, s.keep_alive_s, s.max_connections, s.min_free_mb) == (50 * 2**20, 5, 100, 64)
    assert (s.ingest_isolation, s.vector_probe, s.debug, s.tesseract, s.soffice) == ("process", "files", False,
                                                                                      "tesseract", None)


def test_values_from_the_environment_and_overrides(monkeypatch):
    _clean(monkeypatch)
    monkeypatch.setenv("TRACUU_DATA_DIR", "/tmp/khong-dung")
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", " 0,5 ")  # the Vietnamese decimal comma, spaces
    monkeypatch.setenv("TRACUU_PDF_MAX_PAGES", "7")
    monkeypatch.setenv("TRACUU_CHROMA_URL", "")  # empty: the default
    monkeypatch.setenv("TRACUU_SOFFICE", "")  # empty: no LibreOffice
    monkeypatch.setenv("TRACUU_API_KEY", "  khóa  ")
    s = Settings.from_env(embed_model="hash", data_dir=None)  # None: not overridden
    assert s.data_dir == Path("/tmp/khong-dung") and s.embed_model == "hash" and s.chroma_url is None
    assert s.max_upload_mb == 0.5 and s.limits.pdf_max_pages == 7 and s.soffice == "" and s.api_key == "khóa"


def test_read_once_per_process(monkeypatch):
    monkeypatch.setenv("TRACUU_MAX_CONNECTIONS", "7")
    first = get_settings()
    assert get_settings() is first and http_settings().max_connections == 7


@pytest.mark.parametrize(("name", "value", "accepts_en"), [
    ("TRACUU_MAX_UPLOAD_MB", "abc", "must be a number from 0.001 to 4096"),
    ("TRACUU_KEEP_ALIVE_S", "2.5", "must be an integer from 1 to 600"),
    ("TRACUU_PDF_MAX_PAGES", "0", "must be an integer from 1 to"),
    ("TRACUU_MIN_FREE_MB", "nhiều", "must be an integer from 0 to"),
    ("TRACUU_INGEST_ISOLATION", "thread", "must be one of 'process' / 'inline'"),
    ("TRACUU_VECTOR_PROBE", "always", "must be one of 'files' / 'subprocess'"),
    ("TRACUU_DEBUG", "maybe", "must be 1/0 (true/false)"),
])
def test_a_bad_value_is_named_in_both_languages(monkeypatch, name, value, accepts_en):
    _clean(monkeypatch)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        Settings.from_env()
    assert err.value.vi.startswith(f"Cấu hình sai: {name}={value!r}") and "phải là" in err.value.vi
    assert err.value.en.startswith(f"Bad setting: {name}={value!r}") and accepts_en in err.value.en
    assert err.value.code == "bad_setting"


def test_a_key_with_a_control_character_is_refused_without_echoing_it(monkeypatch):
    _clean(monkeypatch)
    monkeypatch.setenv("TRACUU_API_KEY", "bi\x07mat")
    with pytest.raises(ConfigError) as err:
        Settings.from_env()
    assert "TRACUU_API_KEY" in err.value.en and "bi" not in err.value.en.replace("TRACUU_API_KEY", "")
