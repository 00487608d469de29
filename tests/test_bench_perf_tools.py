"""The performance bench's own tools: the lock-wait wrapper and the scaled knowledge-base builder.

No timing is asserted (timings belong in bench/); these check that the wrapper counts waits and
finds the service's locks, and that copies of a parsed plan land as distinct documents through
the normal ingest path.
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
