"""ClauseIndex split by job (issue 12): opening does no I/O and repairs nothing; write-ahead
markers say when a vector write was cut short; the writer repairs only what they name.

Hash embedder, synthetic documents from tests/test_index.py (test data, not real documents).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.index import faults, retriever
from tracuu.index.clause_index import ClauseIndex
from tracuu.index.embedders import HashEmbedder
from tracuu.index.index_writer import IndexWriter
from tracuu.index.retriever import Retriever
from tracuu.index.vector_access import ALL, VectorAccess
from tracuu.ingest.vntext import fold

from test_index import SOURCE, credit_plan, ids, outreach_decision


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    ix = ClauseIndex(tmp_path / "data", HashEmbedder())
    ix.add_document(credit_plan(), SOURCE)
    ix.add_document(outreach_decision(), SOURCE)
    ix.close()
    return tmp_path / "data"


def listing(data: Path) -> dict[str, int]:
    """Every file and its size (SQLite's -wal/-shm come and go with connections)."""
    return {str(p.relative_to(data)): p.stat().st_size for p in sorted(data.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_constructing_does_no_io(tmp_path: Path) -> None:
    data = tmp_path / "never-made"
    ix = ClauseIndex(data, HashEmbedder())
    assert not data.exists()  # no directory, no catalog, no lock file, no Chroma
    assert not ix.access.opened
    assert isinstance(ix.retriever, Retriever) and isinstance(ix.writer, IndexWriter)
    assert isinstance(ix.access, VectorAccess)
    assert ix.search("ty le no qua han", 3) == []  # first use opens what it needs
    assert (data / "catalog.sqlite3").exists() and ix.access.opened


def test_opening_a_data_dir_with_a_cut_short_write_changes_nothing(built: Path) -> None:
    ix = ClauseIndex(built, HashEmbedder())
    ix.access.mark("kh-test-1")  # as a writer killed between Chroma and the catalog leaves it
    vectors_before = ix.vectors.hashes()
    ix.close()
    files = listing(built)

    again = ClauseIndex(built, HashEmbedder())
    assert ids(again.search("tỷ lệ nợ quá hạn", 3))[0] == "kh-test-1:I.1"
    assert again.health()[0]["code"] == "vector_writes_interrupted"
    assert again.access.pending() == ["kh-test-1"]  # still there: opening repairs nothing
    assert again.vectors.hashes() == vectors_before and again.last_reconcile.docs is None
    assert {k: v for k, v in listing(built).items() if not k.startswith("chroma/")} == \
        {k: v for k, v in files.items() if not k.startswith("chroma/")}

    checked = again.check()  # the explicit check repairs the one document the marker names
    assert checked["problem"] is None and checked["pending"] == ["kh-test-1"]
    assert checked["repaired"].docs == ["kh-test-1"] and not checked["repaired"].full
    assert again.access.pending() == [] and again.health() == []


def test_the_marker_covers_exactly_the_chroma_write(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = ClauseIndex(built, HashEmbedder())
    seen: dict[str, list[str]] = {}
    real = faults.hit
    monkeypatch.setattr(faults, "hit", lambda stage: (seen.setdefault(stage, ix.access.pending()), real(stage)))
    ix.add_document(credit_plan("hash-a2", changed=True), SOURCE)
    assert seen["embedded"] == []  # embedding writes nothing visible: no marker yet
    assert seen["chroma_written"] == ["kh-test-1"]  # Chroma written, record not yet
    assert seen["stored"] == []  # removed in the record's own transaction
    assert ix.access.pending() == []


def test_a_failed_vector_delete_is_repaired_by_the_next_write(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = ClauseIndex(built, HashEmbedder())
    vs = ix.vectors

    def broken(doc_id: str) -> None:
        raise RuntimeError("synthetic Chroma failure")

    monkeypatch.setattr(vs, "delete_doc", broken)
    with pytest.raises(RuntimeError):
        ix.delete_document("qd-test-2")
    monkeypatch.undo()
    assert ix.document("qd-test-2") is None  # the record went first
    assert ix.access.pending() == ["qd-test-2"]  # its stray vectors are known
    assert "qd-test-2" not in {h.doc_id for h in ix.search("tuyên truyền", 20)}  # and never surface
    assert vs.ids_for_doc("qd-test-2")
    ix.add_document(credit_plan("hash-a3", changed=True), SOURCE)  # the next write repairs first
    assert ix.last_reconcile.docs == ["qd-test-2"] and ix.last_reconcile.removed > 0
    assert vs.ids_for_doc("qd-test-2") == [] and ix.access.pending() == []


def test_an_adopted_stamp_marks_everything_for_the_next_write(built: Path) -> None:
    """An older data dir (a ``reconciled`` stamp file, no marker support) that was not in step
    becomes one "*" marker; the next write runs the full reconcile the old start-up ran."""
    from tracuu.index.vector_access import STAMP_ADOPTED

    ix = ClauseIndex(built, HashEmbedder())
    with ix.store.db.transaction():
        ix.store.db.execute("DELETE FROM catalog_meta WHERE key = ?", (STAMP_ADOPTED,))
    (built / "reconciled").write_text("stale stamp", encoding="utf-8")
    ix.close()
    again = ClauseIndex(built, HashEmbedder())
    assert again.access.pending() == [ALL] and (built / "reconciled").exists()  # read, not removed
    assert again.health() == []  # a migration, not an interrupted write: not reported
    assert again.recover().full and again.access.pending() == []


def test_the_dense_score_memo_is_bounded(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retriever, "VEC_MEMO_MAX", 3)
    ix = ClauseIndex(built, HashEmbedder())
    clauses = ix.clauses("kh-test-1") + ix.clauses("qd-test-2")
    qvec = ix.embedder.embed_query("tuyên truyền")
    scores = ix.retriever.exact_dense(qvec, clauses)  # keyword-only candidates' cosines
    assert len(scores) == len(clauses) > 3 and any(v != 0.0 for v in scores.values())
    assert len(ix.retriever._vec_memo) == 3
    assert ix.retriever.exact_dense(qvec, clauses) == scores  # the same, memo or not


def test_the_one_pass_syllable_index_matches_its_definition() -> None:
    from tracuu.index.query import syllables

    every = syllables.all_syllables()
    by_fold: dict[str, list[str]] = {}
    for s in every:
        by_fold.setdefault(fold(s), []).append(s)
    assert syllables.folded_index() == {k: tuple(sorted(v)) for k, v in by_fold.items()}
    assert syllables.candidates("quyet") == ("quyết", "quyệt")


def test_the_health_check_verdict_is_redone_after_another_process_writes(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CatalogStore.check keeps "this record read sound" per catalog generation, not the records:
    a write by another process (another store on the same file) moves the generation, and the
    next check reads the records again."""
    from tracuu.index.catalog.store import CatalogStore

    a = CatalogStore(built)
    reads: list[str] = []
    real = a._load_entry
    monkeypatch.setattr(a, "_load_entry", lambda doc_id, fresh=False, keep=True: reads.append(doc_id) or real(doc_id, fresh, keep))
    assert a.check() == [] and sorted(reads) == ["kh-test-1", "qd-test-2"]
    assert a._docs == {}  # the full scan filled no cache
    reads.clear()
    a.check()
    assert reads == []  # same generation: verdicts kept
    other = ClauseIndex(built, HashEmbedder())  # "another process"
    other.delete_document("qd-test-2")
    a.check()
    assert reads == ["kh-test-1"]


def test_dense_weight_set_on_the_facade_reaches_the_retriever(tmp_path: Path) -> None:
    """bench/retrieval.py's dense-only and keyword-only baselines set the weight on an open index."""
    ix = ClauseIndex(tmp_path / "data", HashEmbedder())
    ix.dense_weight = 1.0
    assert ix.retriever.dense_weight == 1.0 and ix.dense_weight == 1.0
    with pytest.raises(ValueError):
        ix.dense_weight = 1.5
    assert ix.dense_weight == 1.0
