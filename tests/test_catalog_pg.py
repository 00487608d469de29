"""The catalog's tests (tests/test_catalog.py) again, on PostgreSQL: "several API workers share it".

Every test of test_catalog.py runs here a second time with the catalog's ``open_db`` pointed at a
fresh database on the session's private PostgreSQL server (tests/servers.py), so the store's SQL is
checked on both dialects by the same assertions; a new test there runs here too. The few that look
at SQLite itself (PRAGMAs, ``sqlite_master``, editing the file with ``sqlite3``, child processes that
open the data dir's SQLite file) are listed in ``SQLITE_ONLY`` and have PostgreSQL counterparts below.
Skipped, saying why, where the PostgreSQL binaries or psycopg are missing.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict

import pytest
from tracuu.index.catalog import store as store_mod
from tracuu.index.catalog.store import CatalogStore

import test_catalog as base
from conftest import ROOT

pytestmark = pytest.mark.servers

SQLITE_ONLY = {
    "test_a_failing_migration_leaves_nothing_and_is_retried",  # reads sqlite_master; see test_pg_db.py
    "test_the_catalog_runs_in_wal_mode_with_its_migrations",  # PRAGMAs; see below
    "test_text_edited_inside_the_catalog_is_noticed",  # edits the .sqlite3 file; see below
    "test_two_processes_writing_link_decisions_lose_nothing",  # children open SQLite; see below
    "test_ingest_skips_a_file_already_stored_before_any_work",  # edits the .sqlite3 file; see below
}

parsed = base.parsed  # the module's fixture: the bundled plan, parsed by the real pipeline
PLAN = base.PLAN

for _name in dir(base):
    if _name.startswith("test_") and _name not in SQLITE_ONLY:
        globals()[_name] = getattr(base, _name)


@pytest.fixture(autouse=True)
def on_postgres(pg_url, monkeypatch):
    """Every catalog opened during the test (whatever path it is given) is this PostgreSQL database."""
    from tracuu.index.catalog.pg import open_db

    opened = []

    def open_pg(target, **_kw):
        db = open_db(pg_url)
        opened.append(db)
        return db

    monkeypatch.setattr(store_mod, "open_db", open_pg)
    monkeypatch.setattr(base, "open_db", open_pg)
    yield pg_url
    for db in opened:
        db.close()


# --------------------------------------------------------------------------- PostgreSQL counterparts


def test_the_catalog_on_postgres_has_its_migrations_and_keyword_tables(tmp_path):
    store = CatalogStore(tmp_path)
    assert store.db.dialect == "postgresql"
    from tracuu.index.catalog.migrations import MIGRATIONS

    assert [m for m in store.migrated if m.startswith("catalog_")] == [m.name for m in MIGRATIONS]
    assert "kw_pg_001_postings" in store.migrated and not any(m.startswith("kw_0") for m in store.migrated)
    assert CatalogStore(tmp_path).migrated == []
    assert not (tmp_path / "catalog.sqlite3").exists()  # nothing written beside the data dir's files


def test_text_edited_inside_the_catalog_is_noticed(tmp_path, parsed):
    doc, text = parsed
    CatalogStore(tmp_path).save(doc, text)
    cid = doc.clauses[3].clause_id
    other = CatalogStore(tmp_path).db  # someone with SQL access, on another connection
    other.execute("UPDATE clauses SET text = 'sửa tay' WHERE clause_id = ?", (cid,))
    other.execute("UPDATE sources SET text = text || ' ' WHERE doc_id = ?", (PLAN,))
    store = CatalogStore(tmp_path)
    assert store.integrity(store.clause(cid)) == "text_changed"
    assert store.integrity(store.clause(doc.clauses[4].clause_id)) == "source_changed"
    assert any(p["code"] == "source_changed" for p in store.check())


def test_ingest_skips_a_file_already_stored_before_any_work(tmp_path, monkeypatch):
    """As on SQLite: same bytes, name and parser version are not read again; a record damaged
    inside the catalog since is (and the ingest repairs it)."""
    import tracuu.api.service as service

    from conftest import BUNDLED_PLAN, hash_kb

    svc = hash_kb(tmp_path / "data")
    (first,) = svc.ingest([BUNDLED_PLAN])
    assert svc.store().db.dialect == "postgresql" and first.status == "ok" and not first.unchanged

    def refuse(*a, **k):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(service, "ingest_untrusted", refuse)
    (again,) = svc.ingest([BUNDLED_PLAN])
    assert again.unchanged and again.doc_id == first.doc_id and again.embedded_new == 0
    monkeypatch.undo()
    svc.store().db.execute("UPDATE clauses SET text = 'sửa tay' WHERE clause_id = ?", (f"{PLAN}:II.1.c",))
    (repaired,) = svc.ingest([BUNDLED_PLAN])
    assert repaired.status == "ok" and not repaired.unchanged
    assert svc.store().clause(f"{PLAN}:II.1.c").text != "sửa tay"


_DECIDE = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tracuu.index.catalog.store import CatalogStore
store = CatalogStore(Path(sys.argv[2]), db={url!r})
for i in range(60):
    store.put_decision({{"from": f"{{sys.argv[1]}}:{{i}}", "to": "x:1", "link_id": f"{{sys.argv[1]}}{{i}}",
                        "status": "confirmed", "score": 0.5}})
"""


def test_workers_with_their_own_data_dirs_share_one_catalog(tmp_path, on_postgres, parsed):
    """Two processes (as two API workers, each with its own local data dir) write link decisions to
    one PostgreSQL catalog at once: nothing is lost; a document saved by one is read by the other."""
    doc, text = parsed
    CatalogStore(tmp_path / "worker-0").save(doc, text)
    code = _DECIDE.format(root=str(ROOT), url=on_postgres)
    procs = [subprocess.Popen([sys.executable, "-c", code, name, str(tmp_path / f"worker-{name}")])
             for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    here = CatalogStore(tmp_path / "worker-c")
    got = here.decisions()
    assert len(got) == 120 and {k[0].split(":")[0] for k in got} == {"a", "b"}
    assert asdict(here.get(PLAN)) == asdict(doc) and here.source(PLAN) == text


_OPEN = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tracuu.index.catalog.store import CatalogStore
print(",".join(CatalogStore(Path(sys.argv[1]), db={url!r}).migrated))
"""


def test_workers_starting_at_once_apply_each_migration_once(tmp_path, on_postgres):
    """Four processes open a fresh PostgreSQL catalog at the same moment: each migration is applied
    by exactly one of them (the writer lock serialises them, as BEGIN IMMEDIATE does on SQLite)."""
    code = _OPEN.format(root=str(ROOT), url=on_postgres)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"w{i}")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err[-2000:] for _, err in outs]
    applied = [name for out, _ in outs for name in out.strip().split(",") if name]
    store = CatalogStore(tmp_path / "w9")
    names = [r[0] for r in store.db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert sorted(applied) == names and len(set(applied)) == len(applied)
    assert "catalog_001_core" in names and "kw_pg_001_postings" in names
