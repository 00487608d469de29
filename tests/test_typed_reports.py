"""Answers, ingest reports and links are typed end to end (issue 12, "typed end to end").

Why: they used to travel as dicts built in three places (the writer, the ask composers, the link
service) and read back with ``x["field"]``. Now the services return the shapes of
ingest/shapes.py (IngestReport, IngestEvent, ReindexReport, Answer, Owner, Related, CiteLink,
ImplementsLink) and the front ends serialise them, emitting the same JSON as before: these tests
check the fields, the JSON (keys given and absent, in order) and that OpenAPI lists the shapes.
"""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from tracuu.api.cli import main
from tracuu.api.http import create_app
from tracuu.ingest.shapes import (
    Answer,
    CiteLink,
    Deadline,
    ErrorOut,
    Hit,
    IngestEvent,
    IngestReport,
    Owner,
    ReindexReport,
    Related,
)

from conftest import BUNDLED_PLAN, hash_kb

PLAN = "kh-an-giang-ct-39"
#: The keys an ok report has always had, in order (the CLI's ``ingest --json``).
OK_KEYS = ["path", "status", "errors", "timings", "doc_id", "title", "clauses", "tables", "pages", "ocr_pages",
           "warnings", "replaced", "coverage", "unverified", "embedded_new", "reused", "removed", "unchanged"]
#: The keys of an upload's answer over HTTP (what its response model always declared).
UPLOAD_KEYS = {"path", "status", "errors", "doc_id", "title", "clauses", "tables", "pages", "ocr_pages", "warnings",
               "embedded_new", "reused", "removed", "unchanged", "file_name", "timings"}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """A hash KB fed one folder: the plan, an empty file (fails) and a file of no known type (skipped)."""
    tmp = tmp_path_factory.mktemp("typed")
    folder = tmp / "in"
    folder.mkdir()
    shutil.copy(BUNDLED_PLAN, folder / "a-plan.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-notes.xyz").write_text("không phải văn bản", encoding="utf-8")
    svc = hash_kb(tmp / "data")
    events: list[IngestEvent] = []
    reports = svc.ingest([folder], progress=events.append)
    return svc, folder, reports, events


def test_one_report_per_file_a_failed_one_among_good_ones(ingested):
    svc, folder, reports, _ = ingested
    assert all(type(r) is IngestReport for r in reports)
    ok, failed, skipped = reports
    assert (ok.status, ok.outcome, ok.path) == ("ok", "ok", str(folder / "a-plan.txt"))
    assert ok.doc_id == "a-plan" and ok.clauses == len(svc.store().get("a-plan").clauses) > 10
    assert ok.errors == [] and isinstance(ok.coverage, float) and ok.unverified == [] and ok.unchanged is False
    assert ok.embedded_new == ok.clauses and ok.reused == 0 and set(ok.timings) >= {"total_s"}
    assert (failed.status, failed.outcome, failed.doc_id) == ("error", "failed", None)
    (err,) = failed.errors
    assert type(err) is ErrorOut and err.code and err.message_vi and err.message_en
    assert (skipped.status, skipped.outcome, skipped.path) == ("skipped", "skipped", str(folder / "c-notes.xyz"))
    assert skipped.errors[0].code == "skipped" and skipped.errors[0].message_vi
    assert svc.store().list_ids() == ["a-plan"]  # the failed file left nothing behind


def test_report_json_lists_what_was_given_in_order(ingested):
    _, _, (ok, failed, skipped), _ = ingested
    assert list(ok.to_json()) == OK_KEYS
    assert list(failed.to_json()) == ["path", "status", "errors", "timings"]
    assert skipped.to_json() == {"path": skipped.path, "status": "skipped", "errors": [skipped.errors[0].to_json()]}
    assert set(skipped.errors[0].to_json()) == {"code", "message_vi", "message_en"}


def test_progress_is_told_each_file_as_events(ingested):
    _, folder, reports, events = ingested
    assert all(type(e) is IngestEvent for e in events)
    assert [e.event for e in events] == ["file", "parsed", "done", "file", "done"]
    assert events[0].path == str(folder / "a-plan.txt") and (events[0].index, events[0].total) == (0, 2)
    assert events[1].clauses == reports[0].clauses and events[2].report is reports[0]
    assert events[4].report is reports[1] and events[4].report.outcome == "failed"


def test_the_same_bytes_again_are_reported_unchanged(ingested):
    svc, folder, (ok, _, _), _ = ingested
    (again,) = svc.ingest([folder / "a-plan.txt"])
    assert (again.outcome, again.doc_id, again.clauses, again.embedded_new) == ("unchanged", ok.doc_id, ok.clauses, 0)
    assert list(again.to_json()) == OK_KEYS and list(again.timings) == ["total_s"]


def test_cli_ingest_json_and_exit_code(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copy(BUNDLED_PLAN, tmp_path / "plan.txt")
    code = main(["--data-dir", str(tmp_path / "data"), "ingest", "-q", "--json", str(tmp_path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # a file failed
    assert [r["status"] for r in out] == ["error", "ok"]
    assert list(out[1]) == OK_KEYS and out[0]["errors"][0]["message_en"]
    code = main(["--data-dir", str(tmp_path / "data"), "ingest", "-q", str(tmp_path / "plan.txt")])
    text = capsys.readouterr().out
    assert code == 0 and "không có gì thay đổi" in text and "Tổng cộng (total): đã nạp 1 tệp" in text


def test_reindex_report(tmp_path, capsys):
    svc = hash_kb(tmp_path / "data")
    (report,) = svc.ingest([BUNDLED_PLAN])
    rebuilt = svc.reindex()
    assert type(rebuilt) is ReindexReport
    assert (rebuilt.clauses, rebuilt.upserted, rebuilt.embedded_new, rebuilt.vector_index) == (
        report.clauses, report.clauses, 0, "ok")
    assert main(["--data-dir", str(tmp_path / "data"), "reindex", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["clauses", "upserted", "embedded_new", "removed", "vector_index"]
    assert out["clauses"] == report.clauses


def test_upload_answers_the_report_it_always_did(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", "khoa")
    client = TestClient(create_app(hash_kb(tmp_path / "data")))
    r = client.post("/api/documents", files={"file": ("ke hoach.txt", BUNDLED_PLAN.read_bytes(), "text/plain")},
                    headers={"X-API-Key": "khoa"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == UPLOAD_KEYS  # no replaced / coverage / unverified over HTTP
    assert (body["status"], body["path"], body["file_name"]) == ("ok", "ke hoach.txt", "ke hoach.txt")
    assert body["clauses"] > 10 and body["errors"] == [] and body["unchanged"] is False


def test_answers_are_built_typed(kb):
    signed = kb.ask("kế hoạch này do ai ký")
    assert type(signed) is Answer and signed.intent == "signer" and signed.found
    assert all(type(h) is Hit for h in signed.citations) and signed.citations[0].path == "signature"
    assert list(signed.to_json()) == ["question", "answer", "found", "owners", "deadline", "citations", "intent"]

    tasks = kb.ask("Chi nhánh NHCSXH tỉnh có nhiệm vụ gì?")
    assert tasks.intent == "agency_tasks" and tasks.owners and all(type(o) is Owner for o in tasks.owners)
    assert tasks.owners[0].role in tasks.tasks_by_role and tasks.owners[0].role_vi
    assert "tasks_by_role" in tasks.to_json() and "documents" not in tasks.to_json()

    named = kb.ask("Quyết định 1560/QĐ-TTg do ai ký, ngày nào?")
    assert named.intent == "document" and named.documents and named.documents[0].status == "referenced"
    doc_json = named.to_json()["documents"][0]
    assert doc_json["number"] == "1560/QĐ-TTg" and "file_name" in doc_json and doc_json["file_name"] is None

    nothing = kb.ask("Thủ tục đăng ký kết hôn cần những giấy tờ gì?")
    assert nothing.found is False and nothing.citations == [] and nothing.owners == []
    assert "alternatives" not in nothing.to_json() and "uncertain" not in nothing.to_json()


def test_a_deadline_is_the_deadline_shape(kb):
    due = kb.ask("Ai phải báo cáo trước ngày 30/9?")
    assert due.intent == "deadline" and type(due.deadline) is Deadline and due.deadline.text
    assert due.to_json()["deadline"]["text"] == due.deadline.text


def test_related_is_typed_and_its_json_says_from(kb):
    rel = kb.related(f"{PLAN}:preamble.1")
    assert type(rel) is Related and rel.cites and all(type(c) is CiteLink for c in rel.cites)
    cite = rel.cites[0]
    assert cite.from_ == f"{PLAN}:preamble.1" and cite.kind == "document"
    out = TestClient(create_app(kb)).get(f"/api/clauses/{PLAN}:preamble.1/related").json()
    first = out["cites"][0]
    assert first["from"] == cite.from_ and "from_" not in first
    assert "target" not in first  # a document link names no clause (absent, not null)
    assert cite.to_json() == first


def test_the_shapes_are_not_dicts(kb):
    """The dict bridge is gone: a shape is read by attribute, its JSON by to_json."""
    hit = kb.search("báo cáo", k=1).results[0]
    with pytest.raises(TypeError):
        hit["clause_id"]  # noqa: B018
    assert not hasattr(hit, "get") and hit.to_json()["clause_id"] == hit.clause_id


def test_openapi_lists_the_new_shapes(kb):
    spec = TestClient(create_app(kb)).get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"IngestReport", "ErrorOut", "Related", "CiteLink", "ImplementsLink", "LinkedClause"} <= set(schemas)
    assert "from" in schemas["CiteLink"]["properties"] and "from" in schemas["ImplementsLink"]["properties"]

    def ref(path: str, method: str, status: str) -> str:
        return spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]

    assert ref("/api/clauses/{clause_id}/related", "get", "200").endswith("/Related")
    assert ref("/api/links/{link_id}/confirm", "post", "200").endswith("/ImplementsLink")
    assert ref("/api/documents", "post", "201").endswith("/IngestReport")
