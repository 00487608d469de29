"""Hostile files: bombs and floods are refused quickly, by a named limit, in a bounded worker.

Each attack of issue 13 (part B, "bombs") is rebuilt here at the smallest size that still trips
its guard (``tests/hostile_files.py``); ``bench/hostile.py`` runs the full-size ones. Every
refusal must say which limit it hit (the environment variable that raises it), in Vietnamese and
English, and leave the knowledge base exactly as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tracuu.api.config import ConfigError, Settings
from tracuu.ingest import limits
from tracuu.ingest.manifest import Manifest
from tracuu.ingest.markers import Piece, join_all, join_pieces
from tracuu.ingest.worker import ingest_untrusted as _ingest_untrusted

import hostile_files as H

ROOT = Path(__file__).resolve().parent.parent


def refused(outcome, code: str, variable: str) -> dict:
    assert outcome.status == "error", outcome
    (err,) = outcome.errors
    assert err["code"] == code, err
    assert variable in err["message_vi"] and variable in err["message_en"], err
    assert err["message_vi"] != err["message_en"]
    return err


def ingest_untrusted(path: Path, manifest: Manifest, lim: limits.Limits | None = None):
    """The worker, given the reading settings as the service gives them: read once from the
    environment by api.config.Settings (so the TRACUU_* variables the tests set apply)."""
    return _ingest_untrusted(path, manifest, lim, how=Settings.from_env().reading)


def manifest(folder: Path) -> Manifest:
    return Manifest(folder=folder)


# --------------------------------------------------------------------------- .docx


def test_a_zip_bomb_in_styles_xml_is_refused_before_unpacking(tmp_path):
    """The issue's 700 KB .docx with a 199 MB styles.xml, scaled down: 12 MB of padding in
    styles.xml (ratio ~1000:1) used to pass, since only word/document.xml was checked."""
    path = H.docx(tmp_path / "styles-bomb.docx", ["Văn bản thử nghiệm (tổng hợp)."], styles_padding_mb=12)
    assert path.stat().st_size < 100_000
    err = refused(ingest_untrusted(path, manifest(tmp_path)), "too_large", "TRACUU_DOCX_MAX_RATIO")
    assert "word/styles.xml" in err["message_en"]


def test_every_part_has_a_size_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_DOCX_MAX_PART_MB", "1")
    monkeypatch.setenv("TRACUU_DOCX_MAX_RATIO", "100000")
    path = H.docx(tmp_path / "big-part.docx", ["Văn bản thử nghiệm (tổng hợp)."], styles_padding_mb=2)
    err = refused(ingest_untrusted(path, manifest(tmp_path)), "too_large", "TRACUU_DOCX_MAX_PART_MB")
    assert "word/styles.xml" in err["message_en"]


def test_a_normal_docx_still_loads(tmp_path):
    path = H.docx(tmp_path / "ok.docx", ["KẾ HOẠCH", "Thử nghiệm (văn bản tổng hợp)", "1. Làm việc thử."])
    out = ingest_untrusted(path, manifest(tmp_path))
    assert out.ok, out.errors
    assert out.document is not None and out.source is not None and "Làm việc thử" in out.source.text


# --------------------------------------------------------------------------- linear-time assembly


def _pieces(n: int) -> list[Piece]:
    out, pos = [], 0
    for i in range(n):
        text = "" if i % 7 == 3 else f"dòng {i}"
        out.append(Piece(text, tuple(range(pos, pos + len(text))), 1 + i // 10, 1 + i // 10))
        pos += len(text) + 1
    return out


def test_join_all_is_the_chained_join():
    pieces = _pieces(40)
    chained = pieces[0]
    for p in pieces[1:]:
        chained = join_pieces(chained, p)
    assert join_all(pieces) == chained
    assert join_all(pieces[:1]) == pieces[0]


def _count_joins(monkeypatch, module) -> list[int]:
    calls = [0]
    real = module.join_pieces

    def counting(a, b, sep=" "):
        calls[0] += 1
        return real(a, b, sep)

    monkeypatch.setattr(module, "join_pieces", counting)
    return calls


def test_wrapped_recipient_lines_are_joined_once(tmp_path, monkeypatch):
    """290k one-letter paragraphs under "Nơi nhận" never finished: each wrapped line was joined
    to everything before it (n² copies). Now the lines are collected and joined once."""
    import tracuu.ingest.header as header
    calls = _count_joins(monkeypatch, header)
    n = 3000
    path = H.docx(tmp_path / "recipients.docx", ["KẾ HOẠCH", "Thử nghiệm (văn bản tổng hợp)", "I. MỤC TIÊU",
                                                  "1. Làm việc thử.", "Nơi nhận:", "- Sở Thử"], repeat_tail=("a", n))
    monkeypatch.setenv("TRACUU_INGEST_ISOLATION", "inline")  # count the calls in this process
    out = ingest_untrusted(path, manifest(tmp_path))
    assert out.ok, out.errors
    assert calls[0] < 10  # not one join per line
    assert any(r.startswith("Sở Thử a a a") for r in out.document.header.recipients)


def test_appendix_continuation_lines_are_joined_once(tmp_path, monkeypatch):
    import tracuu.ingest.appendix as appendix
    calls = _count_joins(monkeypatch, appendix)
    path = H.docx(tmp_path / "appendix.docx", ["KẾ HOẠCH", "Thử nghiệm (văn bản tổng hợp)", "1. Làm việc thử.",
                                                "PHỤ LỤC", "I. NHÓM THỬ", "1. Việc thử"], repeat_tail=("a", 3000))
    monkeypatch.setenv("TRACUU_INGEST_ISOLATION", "inline")
    out = ingest_untrusted(path, manifest(tmp_path))
    assert out.ok, out.errors
    assert calls[0] < 10
    row = next(c for c in out.document.clauses if c.kind == "appendix_row")
    assert row.text.startswith("Việc thử a a a") and row.text.count(" a") == 3000


# --------------------------------------------------------------------------- PDF


def test_a_small_pdf_with_100k_text_operators_is_refused(tmp_path):
    """The issue's 28 KB PDF whose one page shows text 100k times (it reached 6 GB)."""
    path = H.text_pdf(tmp_path / "ops.pdf", pages=1, ops_per_page=100_000)
    assert path.stat().st_size < 30_000
    refused(ingest_untrusted(path, manifest(tmp_path)), "limit_exceeded", "TRACUU_PDF_MAX_PAGE_OPERATORS")


def test_a_3000_page_pdf_is_refused_by_its_page_count(tmp_path):
    path = H.text_pdf(tmp_path / "pages.pdf", pages=3000, ops_per_page=3)
    err = refused(ingest_untrusted(path, manifest(tmp_path)), "limit_exceeded", "TRACUU_PDF_MAX_PAGES")
    assert "3000" in err["message_en"]


def test_operators_are_counted_over_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_PDF_MAX_OPERATORS", "500")
    path = H.text_pdf(tmp_path / "many.pdf", pages=20, ops_per_page=40)
    refused(ingest_untrusted(path, manifest(tmp_path)), "limit_exceeded", "TRACUU_PDF_MAX_OPERATORS")


def test_ocr_pages_are_capped_before_any_ocr_runs(tmp_path, monkeypatch):
    """No page cap for OCR used to mean minutes of Tesseract per page, for any number of pages.
    The cap is checked before OCR (and before asking whether Tesseract is installed)."""
    monkeypatch.setenv("TRACUU_OCR_MAX_PAGES", "3")
    path = H.scanned_pdf(tmp_path / "scan.pdf", pages=4)
    refused(ingest_untrusted(path, manifest(tmp_path)), "limit_exceeded", "TRACUU_OCR_MAX_PAGES")


def test_a_normal_pdf_still_loads(tmp_path):
    path = H.text_pdf(tmp_path / "ok.pdf", pages=2, ops_per_page=5, text=b"Van ban thu nghiem")
    out = ingest_untrusted(path, manifest(tmp_path))
    assert out.ok, out.errors
    assert "Van ban thu nghiem" in out.source.text


# --------------------------------------------------------------------------- the worker's limits


def _expensive_pdf(tmp_path: Path) -> tuple[Path, limits.Limits]:
    """A PDF whose guards are lifted, so only the worker's memory/time limit can stop it."""
    path = H.text_pdf(tmp_path / "heavy.pdf", pages=1, ops_per_page=100_000)
    return path, limits.Limits(pdf_max_page_operators=10**9, pdf_max_operators=10**9)


def test_memory_limit_stops_a_reader_that_grows(tmp_path):
    path, lim = _expensive_pdf(tmp_path)
    out = ingest_untrusted(path, manifest(tmp_path), limits.Limits(**{**lim.__dict__, "memory_mb": 300}))
    refused(out, "limit_exceeded", "TRACUU_INGEST_MEMORY_MB")


def test_time_limit_kills_a_slow_reader(tmp_path):
    path, lim = _expensive_pdf(tmp_path)
    out = ingest_untrusted(path, manifest(tmp_path), limits.Limits(**{**lim.__dict__, "timeout_s": 1}))
    refused(out, "limit_exceeded", "TRACUU_INGEST_TIMEOUT_S")


def test_the_worker_keeps_serving_after_a_killed_reader(tmp_path):
    path, lim = _expensive_pdf(tmp_path)
    ingest_untrusted(path, manifest(tmp_path), limits.Limits(**{**lim.__dict__, "timeout_s": 1}))
    ok = H.docx(tmp_path / "after.docx", ["1. Việc thử sau (văn bản tổng hợp)."])
    assert ingest_untrusted(ok, manifest(tmp_path)).ok


def test_too_many_clauses_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_MAX_CLAUSES", "10")
    plan = ROOT / "corpus" / "ke-hoach-ubnd-tinh-an-giang-chi-thi-39.txt"
    refused(ingest_untrusted(plan, manifest(plan.parent)), "limit_exceeded", "TRACUU_MAX_CLAUSES")


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "0"])
def test_a_bad_limit_setting_is_named(tmp_path, monkeypatch, value):
    monkeypatch.setenv("TRACUU_PDF_MAX_PAGES", value)
    with pytest.raises(limits.LimitSettingError) as e:
        limits.Limits.from_env(os.environ)
    assert "TRACUU_PDF_MAX_PAGES" in e.value.vi and "TRACUU_PDF_MAX_PAGES" in e.value.en
    # the service reads its settings once, up front: a bad limit stops it before any file is read
    with pytest.raises(ConfigError) as bad:
        Settings.from_env()
    assert bad.value.code == "bad_setting" and "TRACUU_PDF_MAX_PAGES" in bad.value.vi and "TRACUU_PDF_MAX_PAGES" in bad.value.en


def test_defaults_fit_a_small_server():
    lim = limits.Limits.from_env({})
    assert lim.memory_mb <= 2048 and lim.timeout_s <= 300
    assert os.environ.get("TRACUU_INGEST_ISOLATION", "process") == "process"


# --------------------------------------------------------------------------- through the service


def test_a_bomb_upload_leaves_the_knowledge_base_as_it_was(tmp_path):
    from conftest import make_kb
    from test_bad_input import snapshot

    svc = make_kb(tmp_path / "data")
    _ = svc.index  # opened before the snapshot
    before = snapshot(svc)
    bombs = [
        H.docx(tmp_path / "b1.docx", ["x"], styles_padding_mb=12),
        H.text_pdf(tmp_path / "b2.pdf", pages=1, ops_per_page=100_000),
        H.text_pdf(tmp_path / "b3.pdf", pages=3000, ops_per_page=1),
    ]
    reports = svc.ingest(bombs)
    assert [r.status for r in reports] == ["error"] * 3
    assert snapshot(svc) == before
