"""Several API workers sharing one PostgreSQL catalog and one Chroma server: the same answers.

Two workers, each with its own data dir (as on two machines: only the embedding cache is local),
point at the same PostgreSQL database (``TRACUU_DATABASE_URL``) and the same Chroma server
(``TRACUU_CHROMA_URL``), both private throwaway servers started for the session (tests/servers.py).
Worker A ingests the bundled corpus; worker B, opened afterwards, must rank and answer exactly as the
embedded single-machine knowledge base (the ``kb`` fixture: SQLite catalog, embedded Chroma) does;
what A writes later (a synthetic plan, a delete) B sees without a restart. Skipped, saying why, where
the PostgreSQL binaries, psycopg or the ``chroma`` executable are missing.
"""

from __future__ import annotations

import pytest
from tracuu.api.config import Settings
from tracuu.api.service import Tracuu

from bench.synthetic_corpus import make_plan
from test_chroma_server import PLAN, copy_embedding_cache

pytestmark = pytest.mark.servers

QUERIES = ("tỷ lệ nợ quá hạn", "ty le no qua han", "nguồn vốn ủy thác", "tuyên truyền chính sách",
           "hộ nghèo vay vốn", "Ai chủ trì tổng kết?", "báo cáo hằng năm")


@pytest.fixture(scope="module")
def shared_db(pg_server):
    from tests.servers import create_database, drop_database

    url = create_database(pg_server, "shared_catalog")
    yield url
    drop_database(pg_server, "shared_catalog")


def worker(data_dir, kb, db_url: str, chroma: str) -> Tracuu:
    copy_embedding_cache(kb.settings.data_dir, data_dir)  # nothing embedded twice
    return Tracuu(Settings.from_env(data_dir=data_dir, chroma_url=chroma, database_url=db_url))


@pytest.fixture(scope="module")
def workers(kb, shared_db, chroma_url, tmp_path_factory) -> tuple[Tracuu, Tracuu]:
    a = worker(tmp_path_factory.mktemp("worker-a"), kb, shared_db, chroma_url)
    reports = a.ingest(None)
    assert all(r.status == "ok" for r in reports), reports
    assert all(r.embedded_new == 0 for r in reports)  # from the copied cache
    b = worker(tmp_path_factory.mktemp("worker-b"), kb, shared_db, chroma_url)
    return a, b


def test_workers_really_share_postgres_and_the_server(workers, chroma_url):
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from tracuu.index.vector_store import parse_chroma_url

    a, b = workers
    for w in (a, b):
        assert w.index.store.db.dialect == "postgresql"
        assert type(w.index.keyword).__name__ == "PgKeywordIndex"
        data = w.settings.data_dir
        assert not (data / "catalog.sqlite3").exists() and not (data / "chroma").exists()
    assert a.index.vectors.name == b.index.vectors.name  # one collection: the catalog's
    host, port, _ = parse_chroma_url(chroma_url)
    direct = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
    assert direct.get_collection(b.index.vectors.name).count() == b.index.store.count()[1] > 20
    assert b.index.store.list_ids() == a.index.store.list_ids() == [PLAN]
    want = {c.clause_id for c in b.index.store.clauses_of(PLAN)}
    assert b.index.keyword.clause_ids() == want and len(b.index.keyword) == len(want)


def test_the_other_worker_ranks_as_the_embedded_kb(kb, workers):
    _, b = workers
    for q in QUERIES:
        want = kb.search(q, k=8).results
        got = b.search(q, k=8).results
        assert [h.clause_id for h in got] == [h.clause_id for h in want], q
        assert all(abs(x.score - y.score) < 1e-3 for x, y in zip(got, want)), q
        assert [h.text for h in got] == [h.text for h in want], q  # the exact source text
    top = b.search("tỷ lệ nợ quá hạn", k=5).results[0]
    assert (top.doc_id, top.path, top.text) == (PLAN, "II.1.c", "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ.")


def test_the_other_worker_answers_as_the_embedded_kb(kb, workers):
    _, b = workers
    for q in ("Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?",
              "Tỷ lệ nợ quá hạn phải dưới bao nhiêu?", "Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?"):
        out, want = b.ask(q), kb.ask(q)
        assert out.found == want.found, q
        assert [c.clause_id for c in out.citations] == [c.clause_id for c in want.citations], q
        assert [c.text for c in out.citations] == [c.text for c in want.citations], q
        assert out.answer == want.answer, q


def test_what_one_worker_writes_the_other_sees(workers, tmp_path):
    a, b = workers
    name, text = make_plan(5, 30)  # synthetic test material
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (r,) = a.ingest([path])
    assert r.status == "ok"
    doc = r.doc_id
    try:
        hits = b.search("nhiệm vụ thử nghiệm", k=50, doc_ids=[doc]).results
        assert hits and all(h.doc_id == doc for h in hits)
        assert b.document(doc).clauses == len(b.index.clauses(doc)) > 0
    finally:
        a.delete(doc)
    assert b.search("nhiệm vụ thử nghiệm", k=50, doc_ids=[doc]).results == []
    assert b.index.store.list_ids() == [PLAN]
