"""Queries keep answering, from one complete version, while documents are being (re-)ingested.

Threads in one process: one writer re-ingests a document back and forth between two versions
(and ingests/deletes a second one), several readers search and ask meanwhile. Every answer
must come without an exception, and the hits of the changing document must all belong to ONE
version (text and clause ids of v1, or of v2 - never a mix). Then two index instances on one
data dir (what two API workers are): writes through one are seen by the other on its next
query, at the cost of one ``stat`` when nothing changed. The multi-process version, with a
Chroma server, is in ``tests/test_chroma_server.py``.

Documents are SYNTHETIC test material (``bench/synthetic_corpus.py``); hash embedder.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from tracuu.api.config import Settings
from tracuu.api.service import Tracuu
from tracuu.index.clause_index import ClauseIndex
from tracuu.index.embedders import HashEmbedder
from tracuu.ingest.manifest import load_manifest
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.shapes import Hit

from bench.synthetic_corpus import make_plan

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["phấn đấu đạt chỉ tiêu", "phan dau hoan thanh vuot muc", "báo cáo kết quả", "rà soát hồ sơ vay vốn",
           "nhiệm vụ thử nghiệm", "tổ chức thực hiện"]


def _versions(folder: Path) -> tuple[Path, Path]:
    name, text = make_plan(0, 120)
    v1, v2 = folder / "v1" / name, folder / "v2" / name
    for p, t in ((v1, text), (v2, text.replace("phấn đấu đạt", "phấn đấu hoàn thành vượt mức"))):
        p.parent.mkdir(parents=True)
        p.write_text(t, encoding="utf-8")
    return v1, v2


def _clause_texts(path: Path) -> dict[str, str]:
    out = ingest_file(path, load_manifest(ROOT / "corpus" / "manifest.toml"))
    assert out.ok
    return {c.clause_id: c.text for c in out.document.clauses}


def test_readers_see_whole_versions_while_a_writer_reingests(tmp_path: Path) -> None:
    v1, v2 = _versions(tmp_path)
    name3, text3 = make_plan(5, 40)
    other = tmp_path / name3
    other.write_text(text3, encoding="utf-8")
    versions = [_clause_texts(v1), _clause_texts(v2)]
    doc_id = next(iter(versions[0])).split(":")[0]
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))
    assert svc.ingest([v1])[0].status == "ok"

    done = threading.Event()
    errors: list[BaseException] = []
    answers = {"search": 0, "ask": 0}
    lock = threading.Lock()

    def check(hits: list[Hit]) -> None:
        mine = [(h.clause_id, h.text) for h in hits if h.doc_id == doc_id]
        assert any(all(v.get(cid) == text for cid, text in mine) for v in versions), mine

    def writer() -> None:
        try:
            for i in range(8):
                (rep,) = svc.ingest([v2 if i % 2 == 0 else v1])
                assert rep.status == "ok", rep
                if i == 3:
                    assert svc.ingest([other])[0].status == "ok"
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    def reader(k: int) -> None:
        n = 0
        try:
            while not done.is_set() and n < 5000:
                q = QUERIES[(n + k) % len(QUERIES)]
                if n % 3 == 2:
                    out = svc.ask(q, k=5)
                    check(out.citations)
                    kind = "ask"
                else:
                    res = svc.search(q, k=10, doc_ids=[doc_id] if n % 2 else None)
                    assert res.results, q
                    check(res.results)
                    kind = "search"
                with lock:
                    answers[kind] += 1
                n += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    assert answers["search"] >= 10 and answers["ask"] >= 3, answers
    # the last version written (v1) is what everyone sees now, in memory and in Chroma
    ix = svc.index
    assert {c.clause_id: c.text for c in ix.clauses(doc_id)} == versions[0]
    want = {c.clause_id: (c.doc_id, c.text_hash) for d in ix.documents() for c in d.clauses}
    assert ix.vectors.hashes() == want and ix.keyword.clause_ids() == set(want)


def test_a_delete_landing_mid_search_does_not_crash(tmp_path: Path) -> None:
    v1, _ = _versions(tmp_path)
    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))
    doc_id = svc.ingest([v1])[0].doc_id
    real = svc.index.search

    def search_then_delete(*a, **k):
        hits = real(*a, **k)
        svc.index.delete_document(doc_id)  # another thread's delete, landing right here
        return hits

    svc.index.search = search_then_delete
    out = svc.search("phấn đấu đạt", k=5)
    assert all(h.doc_id != doc_id for h in out.results)


def _parsed(path: Path):
    out = ingest_file(path, load_manifest(ROOT / "corpus" / "manifest.toml"))
    assert out.ok
    return out.document, out.source.text


def test_two_instances_on_one_data_dir_see_each_others_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1, v2 = _versions(tmp_path)
    (d1, s1), (d2, s2) = _parsed(v1), _parsed(v2)
    data = tmp_path / "data"
    a = ClauseIndex(data, HashEmbedder())
    b = ClauseIndex(data, HashEmbedder())
    assert len(b) == 0

    gen = b.generation
    a.add_document(d1, s1)
    hits = b.search("phấn đấu đạt", 5)
    assert hits and all(h.clause.doc_id == d1.doc_id for h in hits) and b.generation == gen + 1 == a.generation
    assert b.document(d1.doc_id) == a.document(d1.doc_id)

    # a query reads only what it needs from the catalog: never every document
    def refuse():
        raise AssertionError("a query read every document")

    monkeypatch.setattr(b.store, "load_all", refuse)
    b.refresh()
    for _ in range(20):
        b.search("báo cáo kết quả", 3)
    assert b.refresh() is False
    monkeypatch.undo()

    # b re-ingests: a sees v2 only, with matching texts
    b.add_document(d2, s2)
    texts2 = {c.clause_id: c.text for c in d2.clauses}
    hits = a.search("phấn đấu hoàn thành vượt mức", 10)
    assert hits and all(texts2[h.clause.clause_id] == h.clause.text for h in hits)
    assert a.document(d1.doc_id).content_hash == d2.content_hash

    # a write through b of the same content is "unchanged" for a (it reloaded b's version)
    assert a.add_document(d2, s2).unchanged

    # a deletes: b drops it from memory and from BM25
    assert a.delete_document(d1.doc_id)
    assert b.search("phấn đấu", 10) == [] and b.documents() == [] and len(b) == 0
    assert b.keyword.search("phan dau", 10) == []


def test_generation_changes_on_every_write(tmp_path: Path) -> None:
    v1, v2 = _versions(tmp_path)
    (d1, s1), (d2, s2) = _parsed(v1), _parsed(v2)
    ix = ClauseIndex(tmp_path / "data", HashEmbedder())
    keys = [ix.store.generation()]
    ix.add_document(d1, s1)
    keys.append(ix.store.generation())
    ix.add_document(d2, s2)  # same size of file is possible; the inode still changes
    keys.append(ix.store.generation())
    ix.delete_document(d1.doc_id)
    keys.append(ix.store.generation())
    assert keys[0] == 0 and len(set(keys)) == 4


def test_writers_in_two_processes_take_turns(tmp_path: Path) -> None:
    """The cross-process lock: while one process holds it, another writer waits (bounded)."""
    import fcntl
    import os

    data = tmp_path / "data"
    v1, _ = _versions(tmp_path)
    d1, s1 = _parsed(v1)
    ix = ClauseIndex(data, HashEmbedder())
    _ = ix.store  # constructing does no I/O; opening the catalog makes the data dir and its lock file
    fd = os.open(data / "write.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # "another process" holds the write lock
    finished = threading.Event()
    t = threading.Thread(target=lambda: (ix.add_document(d1, s1), finished.set()))
    t.start()
    time.sleep(0.5)
    assert not finished.is_set() and ix.search("phấn đấu", 3) == []  # reads are not blocked
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    t.join(timeout=30)
    assert finished.is_set() and ix.search("phấn đấu", 3)
