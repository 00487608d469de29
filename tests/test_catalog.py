"""The catalog (issue 12): numbered migrations applied once, documents round-trip exactly, a
failed write leaves everything as it was, tasks and agencies are SQL lookups, link decisions are
written by two processes at once without loss, and a JSON store of the old layout is imported once.

The documents are the bundled plan, parsed by the real pipeline (no index, no model).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from tracuu.index.catalog.db import open_db
from tracuu.index.catalog.migrations import Migration, migrate
from tracuu.index.catalog.store import CatalogStore

from conftest import BUNDLED_PLAN, ROOT

PLAN = "kh-an-giang-ct-39"


@pytest.fixture(scope="module")
def parsed(parsed_plan):
    return parsed_plan


def test_migrations_are_applied_once_and_in_order(tmp_path):
    calls = []
    steps = [Migration(f"t_{i:03d}", lambda db, i=i: (calls.append(i), db.execute(f"CREATE TABLE t{i} (x INTEGER)")))
             for i in range(3)]
    db = open_db(tmp_path / "c.sqlite3")
    assert migrate(db, steps[:2]) == ["t_000", "t_001"]
    assert migrate(db, steps) == ["t_002"]
    assert migrate(db, steps) == []
    assert calls == [0, 1, 2]
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]
    assert names == ["t_000", "t_001", "t_002"]


def test_a_failing_migration_leaves_nothing_and_is_retried(tmp_path):
    def bad(db):
        db.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    db = open_db(tmp_path / "c.sqlite3")
    with pytest.raises(RuntimeError):
        migrate(db, [Migration("ok_1", lambda d: d.execute("CREATE TABLE a (x)")), Migration("bad_2", bad)])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    assert "a" in tables and "half" not in tables
    assert [r[0] for r in db.execute("SELECT name FROM _migrations").fetchall()] == ["ok_1"]


def test_the_catalog_runs_in_wal_mode_with_its_migrations(tmp_path):
    store = CatalogStore(tmp_path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [m for m in store.migrated if m.startswith("catalog_")] == [
        "catalog_001_core", "catalog_002_tasks", "catalog_003_link_decisions", "catalog_004_references"]
    assert CatalogStore(tmp_path).migrated == []


def test_a_document_round_trips_exactly(tmp_path, parsed):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text, parser_version="p1")
    again = CatalogStore(tmp_path).get(PLAN)  # another connection, empty cache
    assert asdict(again) == asdict(doc)
    assert store.source(PLAN) == text and store.source_status(PLAN) == "ok"
    assert store.list_ids() == [PLAN] and store.count() == (1, len(doc.clauses))
    c = doc.clauses[5]
    assert store.clause(c.clause_id) == c
    assert store.clauses_of(PLAN) == sorted(doc.clauses, key=lambda x: x.order)
    assert store.content_known(doc.content_hash, "p1") == PLAN
    assert store.content_known(doc.content_hash, "p2") is None


def test_tasks_and_agencies_are_lookups(tmp_path, parsed):
    from tracuu.api.tasks_view import AgencyQuery, agency_table

    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text)
    assert store.tasks(PLAN) == doc.tasks and doc.tasks
    first = doc.tasks[0]
    assert first in store.tasks_of_clauses([first["clause_id"]])[first["clause_id"]]
    rows = agency_table(doc.tasks)
    names = [n for r in rows for n in (r["agency_id"], r["agency"], *r["names_as_written"]) if n]
    names += ["mttq", "so tai chinh", "Ngân hàng", "không có cơ quan này"]
    optional = {"mttq", "so tai chinh", "Ngân hàng", "không có cơ quan này"}
    assert len(rows) > 5
    for name in names:
        q = AgencyQuery.of(name)
        want = [t for t in doc.tasks if q.roles_in(t)]
        got = [t for t in store.tasks_naming(q.keys, q.folded, q.phrases) if q.roles_in(t)]
        assert got == want, name
        assert want or name in optional, name


def test_a_failed_write_leaves_the_catalog_as_it_was(tmp_path, parsed):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text)
    gen = store.generation()
    before = asdict(store.get(PLAN))
    changed = asdict(doc)
    with pytest.raises(RuntimeError):
        with store.db.transaction():
            store.delete(PLAN)
            assert not store.exists(PLAN)
            raise RuntimeError("a later step of the same ingest failed")
    assert store.generation() == gen and asdict(CatalogStore(tmp_path).get(PLAN)) == before == changed


def test_deleting_removes_everything(tmp_path, parsed):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text)
    assert store.delete(PLAN) and not store.delete(PLAN)
    for table in ("documents", "clauses", "tasks", "task_agencies", "sources", "clause_references"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert store.get(PLAN) is None and store.source_status(PLAN) == "no_document"


def test_text_edited_inside_the_catalog_is_noticed(tmp_path, parsed):
    doc, text = parsed
    CatalogStore(tmp_path).save(doc, text)
    cid = doc.clauses[3].clause_id
    with sqlite3.connect(tmp_path / "catalog.sqlite3") as conn:
        conn.execute("UPDATE clauses SET text = 'sửa tay' WHERE clause_id = ?", (cid,))
        conn.execute("UPDATE sources SET text = text || ' ' WHERE doc_id = ?", (PLAN,))
    store = CatalogStore(tmp_path)
    assert store.integrity(store.clause(cid)) == "text_changed"
    assert store.integrity(store.clause(doc.clauses[4].clause_id)) == "source_changed"
    assert any(p["code"] == "source_changed" for p in store.check())


_DECIDE = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tracuu.index.catalog.store import CatalogStore, sha256_text
store = CatalogStore(Path({data!r}))
for i in range(60):
    store.put_decision({{"from": f"{{sys.argv[1]}}:{{i}}", "to": "x:1", "link_id": f"{{sys.argv[1]}}{{i}}",
                        "status": "confirmed", "score": 0.5}})
"""


def test_two_processes_writing_link_decisions_lose_nothing(tmp_path):
    CatalogStore(tmp_path)
    code = _DECIDE.format(root=str(ROOT), data=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", code, name]) for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    got = CatalogStore(tmp_path).decisions()
    assert len(got) == 120 and {k[0].split(":")[0] for k in got} == {"a", "b"}


def _legacy_data_dir(data: Path, doc, text: str) -> None:
    """A data dir as tracuu wrote it before the catalog: documents/*.json, sources/, links.json."""
    from tracuu.index.doc_store import DocStore

    DocStore(data).save(doc, text)
    (data / "links.json").write_text(json.dumps({"version": 1, "links": [
        {"link_id": "abc", "relation": "implements", "from": f"{PLAN}:I.1", "to": "x:II.1", "status": "rejected",
         "score": 0.3, "decided_at": "2025-01-01T00:00:00+0000"}]}), encoding="utf-8")


def test_a_json_store_is_imported_once_and_kept_aside(tmp_path, parsed, caplog):
    doc, text = parsed
    _legacy_data_dir(tmp_path, doc, text)
    (tmp_path / "documents" / "broken.json").write_text("{not json", encoding="utf-8")
    store = CatalogStore(tmp_path)
    assert store.imported["documents"] == 1 and store.imported["decisions"] == 1
    assert "imported the JSON document store" in caplog.text
    assert asdict(store.get(PLAN)) == asdict(doc) and store.source(PLAN) == text
    assert store.decisions()[(f"{PLAN}:I.1", "x:II.1")]["status"] == "rejected"
    assert not (tmp_path / "documents").exists() and (tmp_path / "documents.migrated" / f"{PLAN}.json").exists()
    assert (tmp_path / "sources.migrated").is_dir() and (tmp_path / "links.json.migrated").exists()
    (problem,) = store.problems()
    assert problem["file"] == "documents.migrated/broken.json" and problem["code"] == "damaged_file"
    again = CatalogStore(tmp_path)
    assert again.imported is None and again.list_ids() == [PLAN]


def test_an_import_that_fails_leaves_the_json_store_in_place(tmp_path, parsed, monkeypatch):
    doc, text = parsed
    _legacy_data_dir(tmp_path, doc, text)
    from tracuu.index.catalog import store as store_mod

    def boom(self, decision):
        raise OSError("disk full")

    monkeypatch.setattr(store_mod.CatalogStore, "put_decision", boom)
    with pytest.raises(OSError):
        CatalogStore(tmp_path)
    monkeypatch.undo()
    assert (tmp_path / "documents" / f"{PLAN}.json").exists() and (tmp_path / "links.json").exists()
    store = CatalogStore(tmp_path, import_legacy=False)
    assert store.list_ids() == [] and store.meta("legacy_import") is None
    assert CatalogStore(tmp_path).list_ids() == [PLAN]


def test_ingest_skips_a_file_already_stored_before_any_work(tmp_path, monkeypatch):
    """Same bytes, same name, same parser version: no load, no parse, no OCR, no embedding."""
    import tracuu.api.service as service

    from conftest import hash_kb

    svc = hash_kb(tmp_path / "data")
    (first,) = svc.ingest([BUNDLED_PLAN])
    assert first.status == "ok" and not first.unchanged
    generation = svc.store().generation()

    def refuse(*a, **k):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(service, "ingest_untrusted", refuse)
    (again,) = svc.ingest([BUNDLED_PLAN])
    assert again.status == "ok" and again.unchanged and again.doc_id == first.doc_id
    assert again.clauses == first.clauses and again.embedded_new == 0
    assert svc.store().generation() == generation
    # another parser version (or manifest) means the file is read again
    import tracuu.api.writer_service as writer

    monkeypatch.setattr(writer, "PARSER_VERSION", "another")  # the writer job stamps it
    with pytest.raises(AssertionError, match="read again"):
        svc.ingest([BUNDLED_PLAN])
    monkeypatch.undo()
    # a record damaged since is not skipped: ingesting again repairs it
    with sqlite3.connect(tmp_path / "data" / "catalog.sqlite3") as conn:
        conn.execute("UPDATE clauses SET text = 'sửa tay' WHERE clause_id = ?", (f"{PLAN}:II.1.c",))
    (repaired,) = svc.ingest([BUNDLED_PLAN])
    assert repaired.status == "ok" and not repaired.unchanged
    assert svc.store().clause(f"{PLAN}:II.1.c").text != "sửa tay"
