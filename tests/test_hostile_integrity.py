"""Text edited inside the store is flagged, never cited as exact; an edited or deleted source is noticed.

Issue 13, item 7: a clause whose text was edited in ``documents/<id>.json`` was served as an
exact citation, and an edited or deleted source file went unnoticed. Every clause now carries
the sha256 of its text taken when it was stored (``Clause.text_sha256``), and every served hit
checks it plus its source's hash. Since issue 12 both live in the catalog (``catalog.sqlite3``):
"edited inside the store" is an UPDATE of its rows by another program.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tracuu.api.http import create_app

from conftest import hash_kb, make_kb

PLAN = "kh-an-giang-ct-39"
CLAUSE = f"{PLAN}:II.1.c"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("integrity") / "data"
    make_kb(data).index.close()
    return data


@pytest.fixture
def data(built, tmp_path) -> Path:
    shutil.copytree(built, tmp_path / "data")
    return tmp_path / "data"


def sql(data: Path, statement: str, *params) -> None:
    """Edit the catalog behind tracuu's back (another program, a hand edit)."""
    with sqlite3.connect(data / "catalog.sqlite3") as conn:
        conn.execute(statement, params)


def edit_clause(data: Path, clause_id: str, new_text: str) -> None:
    sql(data, "UPDATE clauses SET text = ? WHERE clause_id = ?", new_text, clause_id)


def test_fresh_hits_are_exact(data):
    client = TestClient(create_app(hash_kb(data)))
    hit = client.get(f"/api/clauses/{CLAUSE}").json()
    assert hit["integrity"] == "ok" and hit["exact"] is True
    for h in client.get("/api/search", params={"q": "nợ quá hạn"}).json()["results"]:
        assert h["integrity"] == "ok" and h["exact"] is True


def test_text_edited_inside_the_store_is_not_cited_as_exact(data):
    edit_clause(data, CLAUSE, "Tỷ lệ nợ quá hạn dưới 50%/tổng dư nợ (sửa tay, văn bản thử).")
    svc = hash_kb(data)
    client = TestClient(create_app(svc))
    hit = client.get(f"/api/clauses/{CLAUSE}").json()
    assert hit["integrity"] == "text_changed" and hit["exact"] is False
    found = [h for h in client.get("/api/search", params={"q": "nợ quá hạn", "k": 20}).json()["results"]
             if h["clause_id"] == CLAUSE]
    assert found and found[0]["exact"] is False
    others = client.get(f"/api/clauses/{PLAN}:II.1.a").json()
    assert others["exact"] is True  # only the edited clause is flagged
    answer = svc.ask("Tỷ lệ nợ quá hạn là bao nhiêu?")
    assert all(c.exact is (c.clause_id != CLAUSE) for c in answer.citations)


def test_an_edited_source_file_is_noticed_and_reported(data):
    sql(data, "UPDATE sources SET text = replace(text, 'quá hạn', 'qua han') WHERE doc_id = ?", PLAN)
    svc = hash_kb(data)
    hit = svc.clause(CLAUSE)
    assert hit.integrity == "source_changed" and hit.exact is False
    health = svc.health()
    assert health.status == "degraded"
    assert any(r.code == "source_changed" and PLAN in r.message_en for r in health.reasons)


def test_a_deleted_source_file_is_noticed_and_reported(data):
    sql(data, "DELETE FROM sources WHERE doc_id = ?", PLAN)
    svc = hash_kb(data)
    client = TestClient(create_app(svc))
    hit = client.get(f"/api/clauses/{CLAUSE}").json()
    assert hit["integrity"] == "source_missing" and hit["exact"] is False
    health = client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert any(r["code"] == "source_missing" for r in health["reasons"])


def test_reingesting_clears_the_flag(data):
    edit_clause(data, CLAUSE, "Văn bản đã bị sửa (thử).")
    svc = hash_kb(data)
    assert svc.clause(CLAUSE).exact is False
    assert all(r.status == "ok" for r in svc.ingest(None))
    assert svc.clause(CLAUSE).exact is True
    assert svc.health().status == "ok"
