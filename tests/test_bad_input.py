"""Bad input gets a clear error in Vietnamese and English and leaves the index exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from conftest import make_kb


def snapshot(svc) -> dict:
    """Everything a reader can see: stored files, vector ids, and a search's answer."""
    files = {}
    for p in sorted(Path(svc.settings.data_dir).rglob("*")):
        if not p.is_file() or "chroma" in p.parts or "embeddings" in p.name:
            continue
        if p.name.endswith(("-wal", "-shm")):  # SQLite's journal: the database's content is below
            continue
        if p.suffix == ".sqlite3":  # what it holds (committed, wherever SQLite keeps it), not its bytes
            db = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
            try:
                data = "\n".join(db.iterdump()).encode("utf-8")
            finally:
                db.close()
        else:
            data = p.read_bytes()
        files[str(p.relative_to(svc.settings.data_dir))] = hashlib.sha256(data).hexdigest()
    hits = [(h.clause_id, h.score) for h in svc.search("tỷ lệ nợ quá hạn", k=5).results]
    return {"files": files, "vectors": svc.index.vector_count(), "hits": hits, "docs": svc.documents()}


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt(user_password="", owner_password="x")
    with path.open("wb") as f:
        w.write(f)


BAD_FILES = {
    "empty.txt": lambda p: p.write_bytes(b""),
    "corrupt.pdf": lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8),
    "encrypted.pdf": _encrypted_pdf,
    "not-a-zip.docx": lambda p: p.write_text("đây không phải tệp docx"),
    "unknown.odt": lambda p: p.write_text("nội dung"),
    # A header and nothing else: a document with no clause to index (synthetic test text).
    "header-only.txt": lambda p: p.write_text("ỦY BAN NHÂN DÂN\n\nTỈNH HÒA PHONG\n", encoding="utf-8"),
}


@pytest.fixture(scope="module")
def kb_writable(tmp_path_factory):
    return make_kb(tmp_path_factory.mktemp("kb_bad"))


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_rejected_and_index_untouched(kb_writable, tmp_path, name):
    path = tmp_path / name
    BAD_FILES[name](path)
    before = snapshot(kb_writable)
    (report,) = kb_writable.ingest([path])
    assert report.status == "error"
    (error,) = report.errors
    assert error.message_vi and error.message_en and error.message_vi != error.message_en
    assert snapshot(kb_writable) == before


def test_missing_file(kb_writable, tmp_path):
    (report,) = kb_writable.ingest([tmp_path / "khong-co.pdf"])
    assert report.status == "error"
    assert report.errors[0].code == "not_found"


def test_a_very_long_file_name_gets_a_short_stable_id(kb_writable, tmp_path):
    from conftest import BUNDLED_PLAN

    path = tmp_path / ("ke-hoach-" + "rat-dai-" * 25 + ".txt")
    path.write_bytes(BUNDLED_PLAN.read_bytes().replace(b"KT. CH", b"KT.  CH"))  # not the manifest's file
    (report,) = kb_writable.ingest([path])
    assert report.status == "ok", report
    assert len(report.doc_id) <= 80 and report.doc_id.startswith("ke-hoach-rat-dai")
    kb_writable.delete(report.doc_id)

