"""Uploading over HTTP: write protection, type by content, size limit, nothing changed on failure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tracuu.api.config import Settings
from tracuu.api.http import create_app
from tracuu.api.service import Tracuu

from conftest import shared_fixture


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", "bi-mat")
    return TestClient(create_app(Tracuu(Settings.from_env(data_dir=tmp_path / "data"))))


def test_writes_refused_without_configured_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACUU_API_KEY", raising=False)
    c = TestClient(create_app(Tracuu(Settings.from_env(data_dir=tmp_path / "data"))))
    r = c.post("/api/documents", files={"file": ("a.txt", b"noi dung", "text/plain")})
    assert r.status_code == 403 and "TRACUU_API_KEY" in r.json()["message_en"]


def test_wrong_key_refused(client):
    r = client.post("/api/documents", files={"file": ("a.txt", b"x", "text/plain")}, headers={"X-API-Key": "sai"})
    assert r.status_code == 401 and r.json()["message_vi"]


def test_upload_docx_then_delete(client):
    data = shared_fixture(".docx").read_bytes()
    r = client.post(
        "/api/documents",
        files={"file": ("../../etc/ke hoạch.docx", data, "application/octet-stream")},
        headers={"Authorization": "Bearer bi-mat"},
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["doc_id"] == "214-kh-ubnd-binh-son-2025" and body["clauses"] == 46 and body["file_name"] == "ke hoạch.docx"
    assert client.get("/api/documents/214-kh-ubnd-binh-son-2025").json()["status"] == "ingested"
    assert client.delete("/api/documents/214-kh-ubnd-binh-son-2025", headers={"X-API-Key": "bi-mat"}).status_code == 204
    assert client.get("/api/documents/214-kh-ubnd-binh-son-2025").status_code == 404


def test_type_is_checked_by_content(client):
    r = client.post(
        "/api/documents", files={"file": ("anh.pdf", b"\x89PNG\r\n\x1a\n\x00\x00", "application/pdf")},
        headers={"X-API-Key": "bi-mat"},
    )
    assert r.status_code == 415


def test_size_limit(client, monkeypatch):
    monkeypatch.setenv("TRACUU_MAX_UPLOAD_MB", "0.001")
    r = client.post("/api/documents", files={"file": ("a.txt", b"a" * 5000, "text/plain")}, headers={"X-API-Key": "bi-mat"})
    assert r.status_code == 413


def test_bad_document_reports_and_changes_nothing(client):
    before = client.get("/api/documents").json()
    r = client.post(
        "/api/documents", files={"file": ("hong.pdf", b"%PDF-1.4\ngarbage", "application/pdf")},
        headers={"X-API-Key": "bi-mat"},
    )
    assert r.status_code == 422 and r.json()["message_vi"] and r.json()["message_en"]
    assert client.get("/api/documents").json() == before
