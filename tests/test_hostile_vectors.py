"""The vector index, the embedding cache and the disk: damage is found, repaired or contained.

Issue 13, item 3. Garbage in Chroma's HNSW files used to crash the server with a segmentation
fault on the first search; a damaged ``chroma.sqlite3`` or embedding cache, a read-only data
directory or a full disk made search and ask fail while ``/healthz`` said "ok". Reads that could
crash run in a child process here, so a regression fails the test instead of killing pytest.

The collection must be large enough for Chroma to persist an HNSW graph (over its 1000-vector
sync threshold): a synthetic plan of ~1100 clauses (bench/synthetic_corpus.py), hash embedder.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tracuu.index import faults

from bench.synthetic_corpus import make_plan
from conftest import hash_kb

ROOT = Path(__file__).resolve().parent.parent
QUERY = "báo cáo kết quả"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("vectors")
    name, text = make_plan(0, 1100)
    src = base / name
    src.write_text(text, encoding="utf-8")
    svc = hash_kb(base / "data")
    assert svc.ingest([src])[0].status == "ok"
    svc.index.close()
    segs = [p for p in (base / "data" / "chroma").iterdir() if p.is_dir()]
    assert any((p / "data_level0.bin").stat().st_size > 100_000 for p in segs), "no persisted HNSW graph"
    return base / "data"


@pytest.fixture
def data(built, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(built, copy)
    return copy


def garble(path: Path, seed: int = 1) -> None:
    rnd = random.Random(seed)
    path.write_bytes(bytes(rnd.getrandbits(8) for _ in range(max(path.stat().st_size, 4096))))


def segment(data: Path) -> Path:
    return max((p for p in (data / "chroma").iterdir() if p.is_dir()), key=lambda p: (p / "data_level0.bin").stat().st_size)


def cli(data: Path, *args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tracuu.api.cli", "--model", "hash", "--data-dir", str(data), *args]
    return subprocess.run((prefix or []) + cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("part", ["data_level0.bin", "header.bin", "length.bin", "index_metadata.pickle", "chroma.sqlite3"])
def test_garbage_in_the_vector_store_is_found_reported_and_rebuilt_by_reindex(data, part):
    target = data / "chroma" / part if part == "chroma.sqlite3" else segment(data) / part
    garble(target)
    out = cli(data, "search", QUERY, "-k", "3", "--json")
    assert out.returncode == 0, (out.returncode, out.stderr[-3000:])  # -11 was a segfault
    assert json.loads(out.stdout)["results"]  # by keywords
    assert not [p for p in data.iterdir() if p.name.startswith("chroma.damaged-")], "nothing moved at open"
    assert target.exists()
    svc = hash_kb(data)
    svc.search(QUERY, k=3)  # a store Chroma itself cannot read fails here, not at open
    health = svc.health()
    assert health.status == "degraded" and health.vector_index in ("damaged", "unavailable")
    assert {r.code for r in health.reasons} & {"vector_index_damaged", "vector_index_unavailable"}
    out = cli(data, "reindex", "--json")  # rebuilding is asked for, on purpose
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout)["embedded_new"] == 0  # vectors came from the embedding cache
    from tracuu.index.vector_store import forget_local_system

    forget_local_system(data / "chroma")  # this process's Chroma still holds the old store open
    svc = hash_kb(data)  # a later start finds the rebuilt store sound
    assert svc.index.vector_count() == len(svc.index)
    assert svc.health().status == "ok" and svc.index.vector_state == "ok"


def test_opening_checks_changed_files_and_drops_nothing(data):
    """Files changed behind the index's back are checked before Chroma reads them; the damage is
    reported (keyword search only, writes refused) and nothing is moved or rebuilt."""
    garble(segment(data) / "data_level0.bin")
    def listing() -> list[str]:  # SQLite's -wal/-shm files come and go with connections
        return sorted(str(p.relative_to(data)) for p in data.rglob("*") if not p.name.endswith(("-wal", "-shm")))

    before = listing()
    svc = hash_kb(data)
    health = svc.health()
    assert health.status == "degraded" and health.vector_index == "damaged"
    assert [r.code for r in health.reasons] == ["vector_index_damaged"]
    assert svc.search(QUERY, k=3).results  # keyword search carries on
    assert svc.index.last_reconcile.upserted == 0
    assert listing() == before


def test_an_unchanged_store_is_not_checked_at_open(data, monkeypatch):
    """The check runs when there is a reason (files changed, a write cut short), not at every start."""
    from tracuu.index import vector_check

    hash_kb(data).health()  # the copy changed every mtime: this start checks, and records the files
    calls = []
    real = vector_check.check_store
    monkeypatch.setattr(vector_check, "check_store", lambda d, sqlite=True: calls.append(d) or real(d, sqlite))
    svc = hash_kb(data)
    assert svc.search(QUERY, k=3).results and svc.health().status == "ok"
    assert calls == []
    svc.index.access.mark("some-doc")  # as a writer killed between Chroma and the catalog leaves it
    again = hash_kb(data)
    again.health()
    assert calls == [data / "chroma"]


def test_reindex_rebuilds_from_the_store_and_the_cache(data):
    out = cli(data, "reindex", "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["upserted"] == report["clauses"] > 1000 and report["embedded_new"] == 0
    assert not [p for p in data.iterdir() if p.name.startswith("chroma.damaged-")]


def test_a_damaged_embedding_cache_is_discarded_and_rebuilt(data):
    garble(data / "embeddings.sqlite3")
    svc = hash_kb(data)
    assert svc.search(QUERY, k=3).results
    health = svc.health()
    assert health.status == "degraded"
    assert any(r.code == "embedding_cache_rebuilt" for r in health.reasons)
    assert [p.name for p in data.iterdir() if p.name.startswith("embeddings.sqlite3.damaged-")]
    assert hash_kb(data).index.cache.state == "ok"  # the new cache is sound


def test_chroma_failing_while_serving_falls_back_to_keywords(data):
    svc = hash_kb(data)

    def broken(*_a, **_k):
        raise RuntimeError("simulated Chroma failure")

    svc.index.vectors.query = broken  # type: ignore[method-assign]
    hits = svc.search(QUERY, k=3).results
    assert hits  # keyword search carried the query
    health = svc.health()
    assert health.status == "degraded" and health.vector_index == "unavailable"
    name, text = make_plan(1, 20)
    (data.parent / name).write_text(text, encoding="utf-8")
    (report,) = svc.ingest([data.parent / name])
    assert report.status == "error" and report.errors[0].code == "vector_index_unavailable"
    svc.reindex()
    assert svc.health().status == "ok"


def _unshare() -> list[str]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to mount the data directory read-only in a private namespace")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not allowed here: {probe.stderr.decode()[:200]}")
    return ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"']


def test_a_read_only_data_dir_keeps_reads_and_refuses_writes(data):
    ro = _unshare() + [str(data)]
    out = cli(data, "search", QUERY, "-k", "3", "--json", prefix=ro)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout)["results"]
    name, text = make_plan(2, 20)
    src = data.parent / name
    src.write_text(text, encoding="utf-8")
    out = cli(data, "ingest", str(src), "--json", prefix=ro)
    assert out.returncode == 1
    (report,) = json.loads(out.stdout)
    (err,) = report["errors"]
    assert err["code"] == "read_only" and "chỉ đọc" in err["message_vi"] and "read-only" in err["message_en"]
    script = ("import json,sys; from tracuu.api.config import Settings; from tracuu.api.service import Tracuu;"
              "print(json.dumps(Tracuu(Settings.from_env(data_dir=sys.argv[1], embed_model='hash', chroma_url='')).health().to_json()))")
    out = subprocess.run(ro + [sys.executable, "-c", script, str(data)], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-3000:]
    health = json.loads(out.stdout.strip().splitlines()[-1])
    assert health["status"] == "degraded" and not health["writable"]
    assert any(r["code"] == "read_only" for r in health["reasons"])


def test_damage_on_a_read_only_data_dir_leaves_keyword_search(data):
    garble(segment(data) / "data_level0.bin")
    ro = _unshare() + [str(data)]
    out = cli(data, "search", QUERY, "-k", "3", "--json", prefix=ro)
    assert out.returncode == 0, (out.returncode, out.stderr[-3000:])
    assert json.loads(out.stdout)["results"]


def test_a_full_disk_refuses_the_write_up_front(data, monkeypatch):
    from test_bad_input import snapshot

    svc = hash_kb(data)
    _ = svc.index.vectors  # opened (its files checked after the copy) before the snapshot
    before = snapshot(svc)
    monkeypatch.setattr(svc.index, "min_free_mb", 1 << 40)  # TRACUU_MIN_FREE_MB, as passed down
    name, text = make_plan(3, 20)
    (data.parent / name).write_text(text, encoding="utf-8")
    (report,) = svc.ingest([data.parent / name])
    assert report.status == "error"
    (err,) = report.errors
    assert err.code == "disk_full" and "đầy" in err.message_vi and "full" in err.message_en
    assert svc.health().status == "degraded"
    monkeypatch.undo()
    assert snapshot(svc) == before


def test_a_disk_that_fills_midway_leaves_the_old_version(data, monkeypatch):
    from test_bad_input import snapshot

    svc = hash_kb(data)
    _ = svc.index.vectors  # opened (its files checked after the copy) before the snapshot
    before = snapshot(svc)

    def full(stage: str) -> None:
        if stage == "source_written":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faults, "hit", full)
    name, text = make_plan(4, 20)
    (data.parent / name).write_text(text, encoding="utf-8")
    (report,) = svc.ingest([data.parent / name])
    assert report.status == "error" and report.errors[0].code == "disk_full"
    monkeypatch.undo()
    assert snapshot(svc) == before


def test_the_subprocess_probe_survives_what_crashes_chroma(data):
    """Opening a store whose HNSW data is garbage kills the process that queries it (SIGSEGV in
    Chroma's native code); the probe does that in a child and reports it."""
    from tracuu.index.vector_check import probe_store

    assert probe_store(data / "chroma") is None
    garble(segment(data) / "data_level0.bin")
    problem = probe_store(data / "chroma")
    assert problem is not None and "vector store" in problem


def test_reindex_check_moves_a_crashing_store_aside_before_opening_it(data):
    garble(segment(data) / "data_level0.bin")
    out = cli(data, "reindex", "--check", "--json")
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout)["upserted"] > 1000
    assert [p for p in data.iterdir() if p.name.startswith("chroma.damaged-")]
    assert cli(data, "reindex", "--check").returncode == 0  # sound now: nothing to do


def test_the_hnsw_check_reads_the_file_in_slices_and_finds_damage_in_the_last(data, monkeypatch):
    """check_segment reads data_level0.bin a slice at a time (a 1M-vector file is 1.9 GB): damage in
    the last record is found as in the first."""
    import struct

    from tracuu.index import vector_check

    seg = segment(data)
    raw = (seg / "header.bin").read_bytes()
    fields = vector_check._HEADER.unpack_from(raw)
    cur, size_rec = fields[3], fields[4]
    monkeypatch.setattr(vector_check, "_CHECK_BYTES", size_rec * 100)  # ~11 slices here
    assert vector_check.check_store(data / "chroma", sqlite=False) is None
    with (seg / "data_level0.bin").open("r+b") as fh:  # the last record's neighbour count: 65535
        fh.seek((cur - 1) * size_rec)
        fh.write(struct.pack("<I", 0xFFFF))
    problem = vector_check.check_store(data / "chroma", sqlite=False)
    assert problem is not None and "neighbour list longer" in problem
