"""Atomic ingest: an error or a crash midway leaves the previous version whole, and a retry completes.

What a reader can see is checked after each fault: the stored document and its source (every
clause's span still verifies), the vectors in Chroma (exactly one per stored clause, with the
passage hash of the stored version), the keyword index and search results. Crashes are real:
a child process is killed with SIGKILL at each stage of the write path (:mod:`index.faults`),
then this process - which never opened that data directory before - opens it as a fresh start.

Documents are SYNTHETIC test material (``bench/synthetic_corpus.py``; each says so in its text).
The hash embedder keeps everything fast; what is tested is plumbing, not semantics.
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tracuu.api.service import Tracuu
from tracuu.index import faults
from tracuu.index.clause_index import ClauseIndex
from tracuu.index.embedders import HashEmbedder
from tracuu.ingest.manifest import load_manifest
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.reflow import clause_matches_source

from bench.synthetic_corpus import make_plan
from conftest import hash_kb

ROOT = Path(__file__).resolve().parent.parent
V1_ONLY = "phấn đấu đạt"  # wording of version 1 (synthetic)
V2_ONLY = "phấn đấu hoàn thành vượt mức"  # wording of version 2 (synthetic)


# --------------------------------------------------------------------------- synthetic versions


def write_versions(folder: Path, clauses: int = 300) -> tuple[Path, Path]:
    """Two versions of one synthetic plan (same number, so the same doc_id): v2 rewords every
    point and drops the last appendix row."""
    name, text = make_plan(0, clauses)
    v1 = folder / "v1" / name
    v2 = folder / "v2" / name
    v1.parent.mkdir(parents=True)
    v2.parent.mkdir(parents=True)
    v1.write_text(text, encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    v2.write_text("\n".join(lines[:-1]).replace(V1_ONLY, V2_ONLY) + "\n", encoding="utf-8")
    return v1, v2


def parsed(path: Path):
    outcome = ingest_file(path, load_manifest(ROOT / "corpus" / "manifest.toml"))
    assert outcome.ok, outcome.errors
    return outcome.document, outcome.source.text


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- what a reader sees


def catalog_dump(data: Path) -> dict:
    """Every row of every catalog table, read through a connection of its own."""
    with sqlite3.connect(data / "catalog.sqlite3") as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def keyword_ids(ix) -> set[str]:
    """Clause ids the keyword index holds (the in-memory adapter until the FTS5 store lands)."""
    return ix.keyword.clause_ids()


def visible(svc: Tracuu) -> dict:
    """Stored files (not Chroma's, not the cache, not the catalog's), the catalog's rows, vectors
    and answers: everything observable."""
    data = Path(svc.settings.data_dir)
    files = {}
    for p in sorted(data.rglob("*")):
        rel = p.relative_to(data)
        if p.is_file() and rel.parts[0] != "chroma" and "embeddings" not in p.name and p.name not in ("write.lock", "reconciled") \
                and not p.name.startswith("catalog.sqlite3"):
            files[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return {
        "files": files,
        "catalog": catalog_dump(data),
        "vectors": svc.index.vectors.hashes(),
        "search_v1": [(h.clause_id, h.text) for h in svc.search(V1_ONLY, k=5).results],
        "search_v2": [(h.clause_id, h.text) for h in svc.search(V2_ONLY, k=5).results],
        "docs": svc.documents(),
    }


def assert_consistent(svc: Tracuu, doc_id: str, content_hash: str, source_text: str) -> None:
    """One complete version, everywhere: record, source, vectors, keyword index, search."""
    store = svc.store()
    doc = store.get(doc_id)
    assert doc is not None and doc.content_hash == content_hash
    assert store.source(doc_id) == source_text
    src = store.source_text(doc_id)
    for c in doc.clauses:
        assert clause_matches_source(src, c), c.clause_id
    ix = svc.index
    want = {c.clause_id: (c.doc_id, c.text_hash) for d in ix.documents() for c in d.clauses}
    assert ix.vectors.hashes() == want  # no stray, no missing, no stale vector
    assert {c.clause_id for c in ix.clauses(doc_id)} == {c.clause_id for c in doc.clauses}
    assert keyword_ids(ix) == set(want)  # the keyword index knows exactly the stored clauses
    texts = {c.clause_id: c.text for c in doc.clauses}
    for q in (V1_ONLY, V2_ONLY, "báo cáo kết quả"):
        for h in svc.search(q, k=10).results:
            if h.doc_id == doc_id:
                assert texts[h.clause_id] == h.text
    leftovers = [p.name for p in Path(svc.settings.data_dir).rglob(".*.tmp")]
    assert not leftovers


# --------------------------------------------------------------------------- errors, in process


class FlakyEmbedder:
    """The hash embedder that raises on its ``fail_on``-th call (a model crashing midway)."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.inner = HashEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.fail_on = fail_on
        self.calls = 0
        self.passages = 0

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.fail_on is not None and self.calls >= self.fail_on:
            raise RuntimeError("synthetic embedder failure midway")
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_embedder_failing_midway_keeps_previous_version_and_retry_completes(tmp_path: Path) -> None:
    v1, v2 = write_versions(tmp_path)
    (d1, s1), (d2, s2) = parsed(v1), parsed(v2)
    emb = FlakyEmbedder()
    ix = ClauseIndex(tmp_path / "data", emb)
    ix.add_document(d1, s1)
    before = (ix.vectors.hashes(), [(h.clause.clause_id, h.score) for h in ix.search(V1_ONLY, 5)])
    catalog_before = catalog_dump(tmp_path / "data")

    emb.fail_on, emb.calls, emb.passages = 2, 0, 0  # the first chunk embeds, the second raises
    with pytest.raises(RuntimeError, match="midway"):
        ix.add_document(d2, s2)
    assert emb.passages > 0  # it really failed midway, after some work
    assert (ix.vectors.hashes(), [(h.clause.clause_id, h.score) for h in ix.search(V1_ONLY, 5)]) == before
    assert catalog_dump(tmp_path / "data") == catalog_before
    assert ix.document(d1.doc_id).content_hash == d1.content_hash and ix.source(d1.doc_id) == s1
    assert ix.search(V2_ONLY, 5) == [] or all(V2_ONLY not in h.clause.text for h in ix.search(V2_ONLY, 5))

    done_before_failure = emb.passages
    emb.fail_on, emb.calls, emb.passages = None, 0, 0
    rep = ix.add_document(d2, s2)
    assert not rep.unchanged and rep.replaced and rep.removed == 1
    assert emb.passages == rep.embedded_new
    # the chunk embedded before the failure was cached: the retry does not redo it
    assert rep.embedded_new + done_before_failure == len({n for n in _new_passages(d1, d2)})
    assert V2_ONLY in ix.search(V2_ONLY, 1)[0].clause.text
    fresh = ClauseIndex(tmp_path / "data", HashEmbedder())
    assert fresh.last_reconcile.removed == 0 and fresh.last_reconcile.upserted == 0
    assert fresh.document(d2.doc_id).content_hash == d2.content_hash


def _new_passages(d1, d2) -> set[str]:
    """Passage hashes of d2 that d1 did not have (what a re-ingest must embed)."""
    from tracuu.index.embedding_cache import text_hash
    from tracuu.index.passages import DocMeta, passage_text

    old = {text_hash(passage_text(c, DocMeta.of(d1))) for c in d1.clauses}
    return {h for h in (text_hash(passage_text(c, DocMeta.of(d2))) for c in d2.clauses) if h not in old}


@pytest.mark.parametrize("stage", ["embedded", "chroma_written", "source_written"])
def test_error_at_each_stage_before_the_switch_leaves_v1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    v1, v2 = write_versions(tmp_path, clauses=60)
    svc = hash_kb(tmp_path / "data")
    (r1,) = svc.ingest([v1])
    assert r1.status == "ok"
    before = visible(svc)

    def boom(at: str) -> None:
        if at == stage:
            raise OSError(f"synthetic failure at {at}")

    monkeypatch.setattr(faults, "hit", boom)
    (r2,) = svc.ingest([v2])
    assert r2.status == "error" and r2.errors[0].code == "index_failed"
    assert r2.errors[0].message_vi and r2.errors[0].message_en
    assert visible(svc) == before
    assert_consistent(svc, r1.doc_id, sha(v1), v1.read_text(encoding="utf-8"))

    monkeypatch.setattr(faults, "hit", lambda at: None)
    (r3,) = svc.ingest([v2])
    assert r3.status == "ok" and r3.removed == 1
    assert_consistent(svc, r1.doc_id, sha(v2), v2.read_text(encoding="utf-8"))


def test_embedder_failing_through_the_service_reports_and_keeps_v1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1, v2 = write_versions(tmp_path, clauses=300)
    svc = hash_kb(tmp_path / "data")
    (r1,) = svc.ingest([v1])
    before = visible(svc)
    emb = svc.index.embedder
    real = type(emb).embed_passages
    calls = {"n": 0}

    def flaky(self, texts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("synthetic embedder failure midway")
        return real(self, texts)

    monkeypatch.setattr(type(emb), "embed_passages", flaky)
    (r2,) = svc.ingest([v2])
    assert r2.status == "error" and r2.errors[0].code == "index_failed"
    assert "midway" in r2.errors[0].message_en
    assert visible(svc) == before
    (r3,) = svc.ingest([v2])
    assert r3.status == "ok" and 0 < r3.embedded_new < r3.clauses
    assert_consistent(svc, r1.doc_id, sha(v2), v2.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- crashes, SIGKILL

CHILD = r'''
import os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[5])
from tracuu.api.config import Settings
from tracuu.api.service import Tracuu
from tracuu.index import faults as index_faults
from tracuu.index.embedders import HashEmbedder

data, v1, v2, stage = sys.argv[1:5]
svc = Tracuu(Settings.from_env(data_dir=Path(data)))
assert os.environ["TRACUU_EMBED_MODEL"] == "hash"
(r,) = svc.ingest([Path(v1)])
print("V1", r.status, flush=True)

def park(at):
    print("AT", at, flush=True)
    time.sleep(120)  # killed here by the test

if stage == "embedding":  # the first chunk embeds (and is cached), the second call stalls
    real = HashEmbedder.embed_passages
    calls = []
    def slow(self, texts):
        calls.append(len(texts))
        if len(calls) == 2:
            park("embedding")
        return real(self, texts)
    HashEmbedder.embed_passages = slow
else:
    index_faults.hit = lambda at: park(at) if at == stage else None
svc.ingest([Path(v2)])
print("FINISHED", flush=True)
'''


def _run_until(cmd: list[str], env: dict, marker: str, timeout: float = 60.0) -> list[str]:
    """Start the child, read its stdout until ``marker``, SIGKILL it there. Bounded."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    seen: list[str] = []
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == marker:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        sel.close()
        if proc.poll() is None and (not seen or seen[-1] != marker):
            proc.kill()
        proc.wait(timeout=30)
    if not seen or seen[-1] != marker:
        pytest.fail(f"child never reached {marker!r}: stdout={seen} stderr={proc.stderr.read()[-3000:]}")
    proc.stderr.close()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    return seen


@pytest.mark.parametrize("stage", ["embedding", "chroma_written", "source_written", "stored"])
def test_sigkill_during_ingest_then_fresh_start(tmp_path: Path, stage: str) -> None:
    v1, v2 = write_versions(tmp_path, clauses=300)
    data = tmp_path / "data"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "TRACUU_EMBED_MODEL": "hash", "TRACUU_CHROMA_URL": "", "PYTHONPATH": str(ROOT)}
    seen = _run_until([sys.executable, str(script), str(data), str(v1), str(v2), stage, str(ROOT)], env, f"AT {stage}")
    assert seen[0] == "V1 ok"

    # A fresh start on the data directory the killed process left behind: opening repairs
    # nothing (issue 12); the write-ahead marker says a write was cut short, health says so.
    svc = hash_kb(data)
    cut_short = stage in ("chroma_written", "source_written")  # marker committed, record not
    marked = [svc.store().list_ids()[0]] if cut_short else []
    assert svc.index.access.pending() == marked
    assert svc.index.last_reconcile.docs is None and svc.index.last_reconcile.upserted == 0
    codes = [r.code for r in svc.health().reasons]
    assert ("vector_writes_interrupted" in codes) is cut_short
    # the explicit check (or the next write) repairs only the document the marker names
    checked = svc.index.check()
    assert checked["problem"] is None and checked["pending"] == marked
    rec = checked["repaired"]
    assert (rec is not None) is cut_short
    if rec is not None:
        assert rec.full is False and rec.docs == checked["pending"]
    assert svc.index.access.pending() == []
    doc_id = svc.store().list_ids()[0]
    if stage == "stored":  # killed after the switch: the new version is the record, whole
        assert_consistent(svc, doc_id, sha(v2), v2.read_text(encoding="utf-8"))
        assert V2_ONLY in svc.search(V2_ONLY, k=1).results[0].text
        return
    assert_consistent(svc, doc_id, sha(v1), v1.read_text(encoding="utf-8"))
    top = svc.search(V1_ONLY, k=1).results[0]
    assert V1_ONLY in top.text
    assert all(V2_ONLY not in h.text for h in svc.search(V2_ONLY, k=10).results)
    if stage == "chroma_written":  # v2's vectors were in Chroma: the repair put v1's back
        assert rec is not None and (rec.removed > 0 or rec.upserted > 0)
        assert rec.embedded_new == 0  # from the cache
    if stage == "source_written":  # killed inside the catalog's transaction: none of v2 is there
        assert not [r for r in catalog_dump(data)["sources"] if sha(v2)[:16] in r]
    assert svc.index.reconcile().upserted == 0  # nothing left to repair

    # and the retry completes
    (rep,) = svc.ingest([v2])
    assert rep.status == "ok" and rep.removed == 1
    if stage == "embedding":  # the chunk embedded before the kill was cached
        assert 0 < rep.embedded_new < rep.clauses - 50
    assert_consistent(svc, doc_id, sha(v2), v2.read_text(encoding="utf-8"))
    again = hash_kb(data)
    assert again.index.access.pending() == [] and again.health().status == "ok"
    assert again.index.vector_count() == len(again.index)


# --------------------------------------------------------------------------- delete


def test_delete_removes_every_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient
    from tracuu.api.http import create_app

    v1, v2 = write_versions(tmp_path, clauses=60)
    data = tmp_path / "data"
    svc = hash_kb(data)
    monkeypatch.setenv("TRACUU_API_KEY", "synthetic-test-key")
    client = TestClient(create_app(svc))
    headers = {"X-API-Key": "synthetic-test-key"}
    r = client.post("/api/documents", files={"file": ("ke-hoach-thu.txt", v1.read_bytes(), "text/plain")}, headers=headers)
    assert r.status_code == 201, r.text
    doc_id = r.json()["doc_id"]
    # re-upload a new version: still one document
    r = client.post("/api/documents", files={"file": ("ke-hoach-thu.txt", v2.read_bytes(), "text/plain")}, headers=headers)
    assert r.status_code == 201 and r.json()["doc_id"] == doc_id
    clause_ids = [c.clause_id for c in svc.index.clauses(doc_id)]
    assert clause_ids and svc.index.vectors.ids_for_doc(doc_id)
    assert client.get("/api/search", params={"q": V2_ONLY}).json()["results"]

    assert client.delete(f"/api/documents/{doc_id}", headers=headers).status_code == 204
    dump = catalog_dump(data)
    assert not [t for t in ("documents", "clauses", "sources", "tasks", "task_agencies") if dump[t]]
    assert svc.index.vectors.ids_for_doc(doc_id) == [] and svc.index.vector_count() == 0
    assert svc.index.keyword.search("phan dau bao cao ket qua", 50) == []
    assert not [p for p in (data / "uploads").glob("*") if p.is_file()]
    assert client.get("/api/search", params={"q": V2_ONLY}).json()["results"] == []
    assert client.get(f"/api/documents/{doc_id}").status_code == 404
    assert all(client.get(f"/api/clauses/{cid}").status_code == 404 for cid in clause_ids[:5])
    # and a restart finds nothing either
    again = hash_kb(data)
    assert again.store().list_ids() == [] and again.index.vector_count() == 0
    assert again.search(V2_ONLY).results == []
    files = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
    assert not [f for f in files if f.startswith(("documents/", "sources/", "uploads/"))], files


def test_doc_store_old_layout_still_reads(tmp_path: Path) -> None:
    """A JSON store written before sources were named by content (no "source_sha256") is
    imported into the catalog when the data dir is opened, and keeps working."""
    from tracuu.index.doc_store import DocStore

    v1, _ = write_versions(tmp_path, clauses=40)
    d1, s1 = parsed(v1)
    d1 = ClauseIndex._with_hashes(d1)[0]  # as the index stored it
    DocStore(tmp_path / "data").save(d1, s1)
    jp = tmp_path / "data" / "documents" / f"{d1.doc_id}.json"
    raw = json.loads(jp.read_text(encoding="utf-8"))
    raw.pop("source_sha256")
    jp.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    for p in (tmp_path / "data" / "sources").glob("*@*.txt"):
        p.unlink()
    fresh = ClauseIndex(tmp_path / "data", HashEmbedder())
    assert fresh.source(d1.doc_id) == s1
    assert fresh.document(d1.doc_id).content_hash == d1.content_hash
    assert (tmp_path / "data" / "documents.migrated" / f"{d1.doc_id}.json").exists()
    assert fresh.access.pending() == ["*"]  # no vectors yet: opening says so, builds nothing
    assert fresh.vector_count() == 0
    assert fresh.check()["repaired"].upserted == len(d1.clauses)  # the explicit check filled them
    assert fresh.vector_count() == len(d1.clauses) and fresh.access.pending() == []
