"""The HTTP API over the bundled plan (FastAPI TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tracuu.api.http import create_app

HIT_KEYS = {"clause_id", "doc_id", "path", "label", "text", "score", "citation", "page", "start", "end", "references"}
PLAN = "kh-an-giang-ct-39"


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb))


def test_search_finds_overdue_debt_point_first(client):
    r = client.get("/api/search", params={"q": "tỷ lệ nợ quá hạn", "k": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "tỷ lệ nợ quá hạn"
    top = body["results"][0]
    assert HIT_KEYS <= set(top)
    assert (top["doc_id"], top["path"]) == (PLAN, "II.1.c")
    assert top["text"] == "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ."
    assert top["label"] == "điểm c khoản 1 Mục II"
    assert top["citation"] == (
        "Điểm c khoản 1 Mục II Kế hoạch triển khai thực hiện Chỉ thị số 39-CT/TW của Ủy ban nhân dân tỉnh An Giang"
    )
    assert top["page"] == 2


def test_search_without_diacritics(client):
    top = client.get("/api/search", params={"q": "ty le no qua han"}).json()["results"][0]
    assert top["path"] == "II.1.c"


def test_documents_lists_referenced_documents_plainly(client):
    docs = {d["doc_id"]: d for d in client.get("/api/documents").json()}
    assert docs[PLAN]["status"] == "ingested"
    assert docs[PLAN]["issuer"] == "Ủy ban nhân dân tỉnh An Giang"
    assert docs["ct-39-ct-tw"]["status"] == "referenced"
    assert docs["ct-39-ct-tw"]["number"] == "39-CT/TW"
    assert docs["ct-39-ct-tw"]["citation"] == "Chỉ thị số 39-CT/TW ngày 30/10/2024 của Ban Bí thư Trung ương Đảng"
    assert docs["qd-1560-qd-ttg"]["status"] == "referenced"
    assert docs["qd-1560-qd-ttg"]["clauses"] == 0


def test_document_tree(client):
    body = client.get(f"/api/documents/{PLAN}").json()
    assert [n["path"] for n in body["tree"]] == ["preamble.1", "I", "II", "III", "recipients", "signature"]
    two = next(n for n in body["tree"] if n["path"] == "II")
    points = [c["path"] for c in two["children"][0]["children"]]
    assert points == ["II.1.a", "II.1.b", "II.1.c", "II.1.d", "II.1.đ", "II.1.e", "II.1.g", "II.1.h"]
    assert body["signer"]["name"] == "Lê Trung Hồ"


def test_clause_and_references(client):
    body = client.get(f"/api/clauses/{PLAN}:preamble.1").json()
    numbers = {r["number"]: r for r in body["references"]}
    assert numbers["1560/QĐ-TTg"]["doc_id"] == "qd-1560-qd-ttg"
    assert numbers["1560/QĐ-TTg"]["status"] == "referenced"
    assert numbers["39-CT/TW"]["doc_id"] == "ct-39-ct-tw"
    assert numbers["39-CT/TW"]["date"] == "2024-10-30"


def test_errors_are_bilingual(client):
    r = client.get("/api/clauses/khong-co:I.1")
    assert r.status_code == 404
    assert "Không tìm thấy" in r.json()["message_vi"] and r.json()["message_en"]
    r = client.get("/api/search", params={"q": ""})
    assert r.status_code == 422
    assert r.json()["message_vi"] and r.json()["message_en"]
    r = client.get("/api/search", params={"q": "nợ", "k": 0})
    assert r.status_code == 422
    assert client.get("/api/documents/khong-co").status_code == 404


def test_health_and_openapi(client):
    assert client.get("/healthz").json()["documents"] == 1
    spec = client.get("/openapi.json").json()
    assert {"/api/search", "/api/documents", "/api/documents/{doc_id}", "/api/clauses/{clause_id}", "/healthz"} <= set(
        spec["paths"]
    )
