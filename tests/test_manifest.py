"""The manifest: referenced documents are listed plainly and adopted when their file arrives."""

from __future__ import annotations

from tracuu.api.config import Settings
from tracuu.api.service import Tracuu

from conftest import shared_fixture


def test_a_referenced_document_is_adopted_when_its_file_arrives(tmp_path):
    """A manifest entry without a file takes the ingested file whose header has its number.

    Uses the synthetic Bình Sơn plan and a test manifest (real documents are never fabricated)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(
        '[[document]]\ndoc_id = "kh-binh-son-mau"\ntype = "Kế hoạch"\nnumber = "214/KH-UBND"\n'
        'issuer = "Ủy ban nhân dân tỉnh Bình Sơn"\n',
        encoding="utf-8",
    )
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assert [d.status for d in svc.documents()] == ["referenced"]
    (report,) = svc.ingest([shared_fixture(".docx")])
    assert report.doc_id == "kh-binh-son-mau"
    assert [d.status for d in svc.documents()] == ["ingested"]
