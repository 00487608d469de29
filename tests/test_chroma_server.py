"""Chroma-server mode: the same answers as the embedded store, and several processes sharing one data dir.

A real ``chroma run`` server is started on 127.0.0.1 (a free port, its data in a temp folder),
waited for through its heartbeat (bounded), and stopped when the session ends (tests/servers.py,
shared with the PostgreSQL-backed tests). The tests are skipped ONLY when the ``chroma`` executable (it ships with the chromadb package) is missing.

Multi-process: the test process holds an open knowledge base while child processes run the
CLI (``tracuu ingest``) and a delete on the same data dir: the open instance must see every
change without a restart (the generation check in ``ClauseIndex``), with its keyword index and
the server's vectors agreeing. Documents written here are SYNTHETIC test material
(``bench/synthetic_corpus.py``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tracuu.api.config import Settings
from tracuu.api.service import Tracuu

from bench.synthetic_corpus import make_plan

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parent.parent
PLAN = "kh-an-giang-ct-39"


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def server(chroma_url) -> str:
    """The session's Chroma server (tests/servers.py starts it once for every module that needs one)."""
    return chroma_url


def copy_embedding_cache(src_dir: Path, dst_dir: Path) -> None:
    """Seed a data dir's embedding cache from another (SQLite backup API: safe while open)."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(Path(src_dir) / "embeddings.sqlite3"))
    dst = sqlite3.connect(str(Path(dst_dir) / "embeddings.sqlite3"))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def server_copy(kb: Tracuu, server: str, data: Path) -> Tracuu:
    """The bundled corpus, as ``kb`` has it (same embedder), but with its vectors on the server.
    The embedding cache is copied from ``kb`` so nothing is embedded twice."""
    copy_embedding_cache(kb.settings.data_dir, data)
    svc = Tracuu(Settings.from_env(data_dir=data, chroma_url=server, embed_model=kb.settings.embed_model))
    reports = svc.ingest(None)
    assert all(r.status == "ok" for r in reports), reports
    assert all(r.embedded_new == 0 for r in reports)  # all from the copied cache
    return svc


@pytest.fixture(scope="module")
def kb_server(server, kb, tmp_path_factory) -> Tracuu:
    """``kb`` (the hash embedder's) with its vectors on the server."""
    return server_copy(kb, server, tmp_path_factory.mktemp("kb_server"))


@pytest.fixture(scope="module")
def kb_server_e5(server, kb_e5, tmp_path_factory) -> Tracuu:
    """``kb_e5`` with its vectors on the server: for the answers, which need the real model."""
    return server_copy(kb_e5, server, tmp_path_factory.mktemp("kb_server_e5"))


@pytest.fixture(params=["embedded", "server"])
def mode(request) -> Tracuu:
    return request.getfixturevalue("kb" if request.param == "embedded" else "kb_server")


@pytest.fixture(params=["embedded", "server"])
def mode_e5(request, kb_e5) -> Tracuu:
    return kb_e5 if request.param == "embedded" else request.getfixturevalue("kb_server_e5")


# --------------------------------------------------------------------------- same answers


def test_server_mode_really_uses_the_server(kb_server, server):
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from tracuu.index.vector_store import parse_chroma_url

    assert kb_server.settings.chroma_url == server
    assert not (Path(kb_server.settings.data_dir) / "chroma").exists()  # no embedded store made
    name = (Path(kb_server.settings.data_dir) / "chroma_collection").read_text().strip()
    assert kb_server.index.vectors.name == name
    host, port, _ = parse_chroma_url(server)
    direct = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
    col = direct.get_collection(name)
    assert col.count() == len(kb_server.index) > 20  # the vectors live on the server


def test_overdue_debt_point_first(mode):
    for q in ("tỷ lệ nợ quá hạn", "ty le no qua han"):
        top = mode.search(q, k=5).results[0]
        assert (top.doc_id, top.path) == (PLAN, "II.1.c"), q
        assert top.text == "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ."


def test_filters_by_doc_and_type(mode):
    hits = mode.search("tuyên truyền", k=10, doc_ids=[PLAN]).results
    assert hits and all(h.doc_id == PLAN for h in hits)
    assert mode.search("tuyên truyền", k=10, doc_ids=["khong-co-tai-lieu"]).results == []
    assert mode.search("tuyên truyền", k=10, doc_types=["Ke hoach"]).results
    assert mode.search("tuyên truyền", k=10, doc_types=["Quyết định"]).results == []


def test_ask(mode_e5):
    out = mode_e5.ask("Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?")
    assert out.found is True and out.citations[0].path == "III.2"
    assert mode_e5.ask("Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?").found is False


def test_server_and_embedded_rank_alike(kb, kb_server):
    for q in ("tỷ lệ nợ quá hạn", "nguồn vốn ủy thác", "tuyên truyền chính sách", "hộ nghèo vay vốn"):
        a = [(h.clause_id, h.score) for h in kb.search(q, k=8).results]
        b = [(h.clause_id, h.score) for h in kb_server.search(q, k=8).results]
        assert [c for c, _ in a] == [c for c, _ in b], q
        assert all(abs(x - y) < 1e-3 for (_, x), (_, y) in zip(a, b)), q


# --------------------------------------------------------------------------- several processes


def _child_env(server: str) -> dict[str, str]:
    return {**os.environ, "TRACUU_EMBED_MODEL": "hash", "TRACUU_CHROMA_URL": server,
            "PYTHONPATH": str(ROOT), "ANONYMIZED_TELEMETRY": "False"}


def _cli(data: Path, server: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tracuu.api.cli", "--data-dir", str(data), *args]
    done = subprocess.run(cmd, env=_child_env(server), capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _consistent(svc: Tracuu) -> None:
    ix = svc.index
    want = {c.clause_id: (c.doc_id, c.text_hash) for d in ix.documents() for c in d.clauses}
    assert ix.vectors.hashes() == want
    assert ix.keyword.clause_ids() == set(want)


def test_two_processes_share_one_data_dir(server, tmp_path):
    """An open worker sees what other processes ingest, re-ingest and delete, without a restart."""
    src = tmp_path / "src"
    src.mkdir()
    files = {}
    for i in (1, 2):
        name, text = make_plan(i, 40)
        files[i] = src / name
        files[i].write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    settings = Settings.from_env(data_dir=data, chroma_url=server, embed_model="hash")
    worker_a = Tracuu(settings)
    (r,) = worker_a.ingest([files[1]])
    doc1 = r.doc_id
    worker_b = Tracuu(settings)  # a second worker on the same data, opened now
    assert [d.doc_id for d in worker_b.index.documents()] == [doc1]

    # another process ingests a second plan: both open workers find it
    _cli(data, server, "ingest", str(files[2]))
    for w in (worker_a, worker_b):
        hits = w.search("nhiệm vụ thử nghiệm", k=50).results
        docs = {h.doc_id for h in hits}
        assert len(docs) == 2, docs
        doc2 = (docs - {doc1}).pop()
        hits = w.search("báo cáo kết quả", k=5, doc_ids=[doc2]).results
        assert hits and all(h.doc_id == doc2 for h in hits)
        assert w.document(doc2).clauses == len(w.index.clauses(doc2)) > 0
        _consistent(w)

    # another process re-ingests the first plan reworded: old wording is gone everywhere
    files[1].write_text(files[1].read_text(encoding="utf-8").replace("phấn đấu đạt", "phấn đấu vượt"), encoding="utf-8")
    _cli(data, server, "ingest", str(files[1]))
    for w in (worker_a, worker_b):
        hits = w.search("phấn đấu vượt", k=20, doc_ids=[doc1]).results
        assert hits and all("phấn đấu đạt" not in h.text for h in hits)
        stored = {c.clause_id: c.text for c in w.store().get(doc1).clauses}
        assert all(stored[h.clause_id] == h.text for h in hits)
        _consistent(w)

    # and deletes the second one
    code = (
        "import sys; from tracuu.api.config import Settings; from tracuu.api.service import Tracuu; "
        f"Tracuu(Settings.from_env(data_dir=sys.argv[1])).delete({doc2!r})"
    )
    done = subprocess.run([sys.executable, "-c", code, str(data)], env=_child_env(server),
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    for w in (worker_a, worker_b):
        assert all(h.doc_id == doc1 for h in w.search("nhiệm vụ thử nghiệm", k=50).results)
        assert [d.doc_id for d in w.index.documents()] == [doc1]
        _consistent(w)


def test_two_data_dirs_on_one_server_stay_apart(server, tmp_path):
    """Each data dir gets its own collection: opening one never reconciles the other's vectors away."""
    name, text = make_plan(3, 30)
    (tmp_path / name).write_text(text, encoding="utf-8")
    one = Tracuu(Settings.from_env(data_dir=tmp_path / "one", chroma_url=server, embed_model="hash"))
    one.ingest([tmp_path / name])
    n = one.index.vector_count()
    two = Tracuu(Settings.from_env(data_dir=tmp_path / "two", chroma_url=server, embed_model="hash"))
    assert two.index.vector_count() == 0 and two.index.last_reconcile.removed == 0
    assert one.index.vector_count() == n > 0
