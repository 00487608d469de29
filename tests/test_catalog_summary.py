"""A hit's document without its clauses (CatalogStore.summary): what citations need, read from the
documents row and a count. Hits never parse whole documents (a cold search at 100k clauses parsed
~3000 clause records for three citations; a serving process kept 64 parsed documents), the
document cache is bounded by clauses, and a damaged document record still drops its hits."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from tracuu.index.catalog import store as store_module
from tracuu.index.catalog.store import CatalogStore

from conftest import make_kb

PLAN = "kh-an-giang-ct-39"


@pytest.fixture(scope="module")
def parsed(parsed_plan):
    return parsed_plan


def test_a_summary_is_the_document_without_its_clauses(tmp_path, parsed):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text)
    fresh = CatalogStore(tmp_path)  # nothing cached
    head, count = fresh.summary(PLAN)
    full = fresh.load(PLAN)
    assert count == len(full.clauses) == len(doc.clauses) > 0
    assert head.clauses == [] and head.tasks == []
    assert (head.header, head.file_name, head.pages, head.tables, head.source_kind) == \
        (full.header, full.file_name, full.pages, full.tables, full.source_kind)
    assert fresh.summary("no-such-doc") is None and fresh.summary("") is None


def test_a_summary_follows_the_generation(tmp_path, parsed):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    store.save(doc, text)
    assert store.summary(PLAN)[1] == len(doc.clauses)
    other = CatalogStore(tmp_path)  # another process's writer
    other.save(replace(doc, clauses=doc.clauses[:5]), text)
    assert store.summary(PLAN)[1] == 5  # re-read: the generation moved
    other.delete(PLAN)
    assert store.summary(PLAN) is None


def test_a_damaged_document_record_has_no_summary_and_is_reported(tmp_path, parsed):
    doc, text = parsed
    CatalogStore(tmp_path).save(doc, text)
    with sqlite3.connect(tmp_path / "catalog.sqlite3") as conn:
        conn.execute("UPDATE documents SET record = '[1, 2]' WHERE doc_id = ?", (PLAN,))
    store = CatalogStore(tmp_path)
    assert store.summary(PLAN) is None
    assert any(p["code"] == "wrong_shape" and PLAN in p["message_en"] for p in store.problems())


def test_hits_read_summaries_never_whole_documents(tmp_path, monkeypatch):
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    svc = make_kb(tmp_path / "data")
    query = "tỷ lệ nợ quá hạn"
    before = [h.model_dump() for h in svc.search(query, k=10).results]
    fresh = Tracuu(Settings.from_env(data_dir=tmp_path / "data", embed_model="hash", chroma_url=""))
    loads = []
    real = CatalogStore._load_entry
    monkeypatch.setattr(CatalogStore, "_load_entry", lambda self, *a, **k: loads.append(a) or real(self, *a, **k))
    after = [h.model_dump() for h in fresh.search(query, k=10).results]
    assert after == before and after
    assert loads == []
    info = fresh.doc_info(after[0]["doc_id"])
    assert info == svc._info(svc.store().load(after[0]["doc_id"]), after[0]["doc_id"])  # clause count included


def test_the_document_cache_is_bounded_by_clauses(tmp_path, parsed, monkeypatch):
    doc, text = parsed
    store = CatalogStore(tmp_path)
    n = len(doc.clauses)
    for i in range(4):
        clauses = [replace(c, clause_id=f"{PLAN}-{i}:{c.path}", doc_id=f"{PLAN}-{i}") for c in doc.clauses]
        store.save(replace(doc, doc_id=f"{PLAN}-{i}", clauses=clauses, tasks=[]), text)
    monkeypatch.setattr(store_module, "_CACHE_CLAUSES", 2 * n)
    for i in range(4):
        assert store.load(f"{PLAN}-{i}") is not None
    assert list(store._docs) == [f"{PLAN}-2", f"{PLAN}-3"]  # the least recently read went first
    monkeypatch.setattr(store_module, "_CACHE_CLAUSES", n // 2)
    store.load(f"{PLAN}-0")
    assert list(store._docs) == [f"{PLAN}-0"]  # one document is kept even above the budget
