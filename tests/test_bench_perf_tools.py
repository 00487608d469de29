"""The performance bench's own tools: the lock-wait wrapper, the scaled knowledge-base builder,
the index-side clock and the catalog-write bench.

No timing is asserted (timings belong in bench/); these check that the wrapper counts waits and
finds the service's locks, that copies of a parsed plan land as distinct documents through
the normal ingest path, that the clock around ``add_document`` sees the write and leaves the
index as it was, and that ``bench/catalog_write.py`` puts a catalog's content back.
"""

from __future__ import annotations

import threading
import time

from bench.lock_timing import TimedLock, WaitLog, instrument, restore
from bench.scale_kb import build
from conftest import hash_kb


def test_timed_lock_counts_only_blocked_acquires():
    log = WaitLog()
    lock = TimedLock(threading.Lock(), "L", log)
    with lock:  # uncontended: nothing recorded
        pass
    assert log.totals() == {}

    held = threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            time.sleep(0.2)

    t = threading.Thread(target=holder)
    t.start()
    held.wait()
    with lock:
        pass
    t.join()
    assert log.totals()["L"] > 0 and log.thread_total() == log.totals()["L"]
    assert lock.acquire(blocking=False) and lock.locked()
    lock.release()
    log.reset()
    assert log.totals() == {}


def test_timed_rlock_is_reentrant():
    lock = TimedLock(threading.RLock(), "R", WaitLog())
    with lock:
        with lock:
            pass
    assert lock.acquire(blocking=False)
    lock.release()


def test_instrument_wraps_the_service_locks(tmp_path):
    svc = hash_kb(tmp_path / "data")
    assert len(svc.index) == 0  # opened: its locks exist
    log = WaitLog()
    try:
        names = instrument(svc, log)
        assert "Tracuu._lock" in names and any(n.startswith("ClauseIndex.") for n in names)
        assert isinstance(svc._lock, TimedLock)
        assert instrument(svc, log) == []  # nothing wrapped twice
        assert svc.search("nợ quá hạn", k=3).results == []  # still works (empty index)
    finally:
        restore()
    assert not isinstance(svc._lock, TimedLock)


def test_build_ingests_copies_of_parsed_plans_as_distinct_documents(tmp_path):
    svc = hash_kb(tmp_path / "data")
    stats = build(svc, tmp_path / "src", target=150, plan_clauses=60, distinct=60)
    ids = svc.store().list_ids()
    assert stats.parsed_docs == 1 and stats.copied_docs == len(ids) - 1 >= 2
    assert stats.clauses == sum(len(svc.store().get(i).clauses) for i in ids) >= 150
    template = next(i for i in ids if "-copy-" not in i)
    copies = [i for i in ids if i.startswith(template + "-copy-")]
    assert len(copies) == stats.copied_docs
    first = svc.store().get(copies[0])
    assert all(c.doc_id == copies[0] and c.clause_id.startswith(copies[0] + ":") for c in first.clauses)
    assert [c.text for c in first.clauses] == [c.text for c in svc.store().get(template).clauses]
    # a reused folder that already holds the size is left as it is
    again = build(svc, tmp_path / "src", target=150, plan_clauses=60, distinct=60)
    assert again.parsed_docs == again.copied_docs == 0 and svc.store().list_ids() == ids


def test_index_clock_times_add_document_and_unwraps(tmp_path):
    from bench.perf import IndexClock
    from bench.synthetic_corpus import make_plan

    svc = hash_kb(tmp_path / "data")
    name, text = make_plan(7, 12, seed=3)
    (tmp_path / name).write_text(text, encoding="utf-8")
    clock = IndexClock(svc.index)
    try:
        (r,) = svc.ingest([tmp_path / name])
    finally:
        clock.remove()
    assert r.status == "ok" and r.clauses >= 12
    assert clock.wall > 0 and clock.cpu > 0 and clock.wchar > 0  # the write went through the clock
    assert "add_document" not in vars(svc.index)  # the class's method again


def test_catalog_write_puts_the_content_back(tmp_path):
    from bench.catalog_write import measure, parsed_plans
    from bench.synthetic_corpus import make_plan

    data = tmp_path / "data"
    svc = hash_kb(data)
    name, text = make_plan(8, 10, seed=4)
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert svc.ingest([tmp_path / name])[0].status == "ok"
    store = svc.store()

    def content():
        db = store.db
        return (store.list_ids(), db.execute("SELECT COUNT(*) FROM clauses").fetchone(),
                db.execute("SELECT name, value FROM kw_stat ORDER BY name").fetchall(),
                db.execute("SELECT term, df FROM kw_term ORDER BY term").fetchall(),
                db.execute("SELECT kind, key, count FROM restorer_agg ORDER BY kind, key").fetchall(),
                db.execute("SELECT key FROM catalog_meta WHERE key LIKE 'vector_write:%'").fetchall())

    before = content()
    docs = parsed_plans(2, 6)
    res = measure(data, docs)
    assert [len(res["save"]), len(res["delete"])] == [2, 2]
    assert all(wall > 0 and cpu > 0 for wall, cpu, _ in res["save"] + res["delete"])
    assert content() == before  # saved, then deleted: the same documents, postings, counts, no marker
