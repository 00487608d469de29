"""Opening the vector store in the background (VectorAccess.prefetch, what `tracuu search`
starts): the same results, the same errors in the caller's thread, the same checks
before Chroma reads a doubtful store, and one store opened, never two."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tracuu.index.errors import EmbedderMismatch
from tracuu.index.vector_store import ChromaVectorStore, UnavailableVectors, forget_local_system

from bench.synthetic_corpus import make_plan
from conftest import hash_kb

ROOT = Path(__file__).resolve().parent.parent
QUERY = "báo cáo kết quả giải ngân"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("prefetch")
    name, text = make_plan(0, 1100)  # over Chroma's 1000-vector threshold: an HNSW graph on disk
    src = base / name
    src.write_text(text, encoding="utf-8")
    svc = hash_kb(base / "data")
    assert svc.ingest([src])[0].status == "ok"
    svc.health()  # records the files as checked
    svc.index.close()
    forget_local_system(base / "data" / "chroma")
    return base / "data"


@pytest.fixture
def data(built, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(built, copy)
    hash_kb(copy).health()  # the copy changed every mtime: checked once, as any first start does
    forget_local_system(copy / "chroma")
    return copy


def _results(svc) -> list[tuple[str, float]]:
    return [(h.clause_id, h.score) for h in svc.search(QUERY, k=10).results]


def test_the_same_results_with_and_without_prefetch(data):
    plain = _results(hash_kb(data))
    forget_local_system(data / "chroma")
    svc = hash_kb(data)
    svc.index.access.prefetch(wait_for_client=True)  # as the CLI does: back once the client is open
    assert svc.index.access.opened
    assert _results(svc) == plain and plain
    assert svc.index.access._prefetch is not None and not svc.index.access._prefetch.is_alive()
    assert isinstance(svc.index.vectors, ChromaVectorStore) and svc.index.vector_state == "ok"


def test_prefetch_and_the_first_query_open_one_store(data, monkeypatch):
    made = []
    real = ChromaVectorStore.__init__

    def counting(self, *a, **k):
        made.append(threading.current_thread().name)
        real(self, *a, **k)

    monkeypatch.setattr(ChromaVectorStore, "__init__", counting)
    svc = hash_kb(data)
    svc.index.access.prefetch()
    svc.index.access.prefetch()  # a second call starts nothing
    assert _results(svc)
    assert made == ["tracuu-vectors-open"]


def test_another_embedder_raises_the_same_error_in_the_callers_thread(data):
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    def other():
        return Tracuu(Settings.from_env(data_dir=data, embed_model="hash:32", chroma_url=""))

    with pytest.raises(EmbedderMismatch) as plain:
        other().search(QUERY, k=3)
    svc = other()
    svc.index.access.prefetch(wait_for_client=True)  # the failed opening does not leave it waiting
    with pytest.raises(EmbedderMismatch) as fetched:
        svc.search(QUERY, k=3)
    assert (fetched.value.vi, fetched.value.en, fetched.value.code) == (plain.value.vi, plain.value.en, plain.value.code)
    again = hash_kb(data).index
    assert again.vectors.count() == len(again) > 1000  # nothing dropped


def test_the_cli_says_the_embedder_error_in_both_languages(data):
    out = subprocess.run([sys.executable, "-m", "tracuu.api.cli", "--model", "hash:32", "--data-dir", str(data),
                          "search", QUERY], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1, out.stderr[-2000:]
    assert "Lỗi:" in out.stderr and "Error:" in out.stderr and "reindex" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_doubtful_store_is_checked_before_chroma_reads_it(data, monkeypatch):
    """A write cut short (a marker) and garbage in the HNSW file: the background opening runs the
    check first, finds the damage, and Chroma is never constructed; search carries on by keywords."""
    seg = max((p for p in (data / "chroma").iterdir() if p.is_dir()), key=lambda p: (p / "data_level0.bin").stat().st_size)
    target = seg / "data_level0.bin"
    rnd = random.Random(3)
    target.write_bytes(bytes(rnd.getrandbits(8) for _ in range(target.stat().st_size)))
    hash_kb(data).index.access.mark("some-doc")
    made = []
    monkeypatch.setattr(ChromaVectorStore, "__init__", lambda self, *a, **k: made.append(1) or None)
    svc = hash_kb(data)
    svc.index.access.prefetch(wait_for_client=True)
    assert svc.search(QUERY, k=3).results  # keyword search
    assert made == []
    assert svc.index.vector_state == "damaged" and isinstance(svc.index.vectors, UnavailableVectors)
    assert [r.code for r in svc.health().reasons][:1] == ["vector_index_damaged"]


def test_a_store_chroma_cannot_open_is_unavailable_as_before(data, monkeypatch):
    def broken(self, *a, **k):
        raise RuntimeError("chroma cannot open this")

    monkeypatch.setattr(ChromaVectorStore, "__init__", broken)
    plain = hash_kb(data)
    plain_hits = _results(plain)
    svc = hash_kb(data)
    svc.index.access.prefetch()
    assert _results(svc) == plain_hits and plain_hits  # keyword search, as without the prefetch
    assert (svc.index.vector_state, svc.index.vector_note) == (plain.index.vector_state, plain.index.vector_note)
    assert svc.index.vector_state == "unavailable"


def test_a_failing_warm_up_is_left_to_the_query(data, monkeypatch):
    """The index load in the background fails: nothing is recorded there; the caller's query meets
    the failure itself and handles it as it always did (keyword search, state "unavailable")."""
    def bad_warm(self):
        raise RuntimeError("load failed")

    def bad_query(self, *a, **k):
        raise RuntimeError("query failed")

    monkeypatch.setattr(ChromaVectorStore, "warm", bad_warm)
    monkeypatch.setattr(ChromaVectorStore, "query", bad_query)
    svc = hash_kb(data)
    svc.index.access.prefetch()
    svc.index.access._prefetch.join()
    assert svc.index.vector_state == "ok"  # the warm-up's failure is not a state
    assert svc.search(QUERY, k=3).results
    assert svc.index.vector_state == "unavailable" and "query failed" in svc.index.vector_note


def test_the_cli_search_still_answers_as_json(data):
    out = subprocess.run([sys.executable, "-m", "tracuu.api.cli", "--model", "hash", "--data-dir", str(data),
                          "search", QUERY, "-k", "3", "--json"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    got = [(h["clause_id"], h["score"]) for h in json.loads(out.stdout)["results"]]
    assert got == [(cid, round(s, 4)) for cid, s in _results(hash_kb(data))[:3]]


def test_prefetch_is_never_started_by_opening(data):
    """Opening the service or the index starts no thread: only `tracuu search` asks for it."""
    svc = hash_kb(data)
    _ = svc.index.store
    assert svc.index.access._prefetch is None and not svc.index.access.opened


def test_a_refused_query_starts_nothing_a_good_search_starts_the_opening_an_ask_does_not(data, monkeypatch, capsys):
    from tracuu.api import cli
    from tracuu.index.vector_access import VectorAccess

    started = []
    monkeypatch.setattr(VectorAccess, "prefetch", lambda self, **kw: started.append(kw))
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # a value the operator set is kept
    base = ["--model", "hash", "--data-dir", str(data)]
    assert cli.main([*base, "search", "   "]) == 1
    assert "Câu hỏi trống" in capsys.readouterr().err and started == []
    assert cli.main([*base, "ask", "x" * 3000]) == 1
    assert started == []
    assert cli.main([*base, "search", QUERY, "-k", "3"]) == 0
    assert started == [{"wait_for_client": True}] and os.environ["OMP_NUM_THREADS"] == "3"
    monkeypatch.delenv("OMP_NUM_THREADS")  # restored at teardown
    assert cli.main([*base, "ask", QUERY]) == 0
    assert len(started) == 1 and os.environ["OMP_NUM_THREADS"] == "1"  # one thread for one query


_EMBED = """
import hashlib, sys
from tracuu.index.embedders import E5Embedder
m = E5Embedder()
h = hashlib.sha256()
for q in sys.argv[1:]:
    h.update(repr(m.embed_query(q)).encode())
print(h.hexdigest())
"""


@pytest.mark.integration
def test_one_openmp_thread_embeds_the_same_query_vector():
    """`tracuu search`/`ask` embed with OMP_NUM_THREADS=1: the vector is the same, bit for bit, as
    with a team of threads (so are every score and ranking)."""
    qs = [QUERY, "ty le no qua han", "Sở Tài chính có nhiệm vụ gì", "x" * 600]
    digests = set()
    for threads in ("1", "2", "4"):
        out = subprocess.run([sys.executable, "-c", _EMBED, *qs], cwd=ROOT, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": threads})
        assert out.returncode == 0, out.stderr[-2000:]
        digests.add(out.stdout.strip())
    assert len(digests) == 1
