"""Who owns which task, end to end: ingest -> stored tasks -> tasks/agencies/ask over CLI and HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tracuu.api.cli import main
from tracuu.api.http import create_app
from tracuu.ingest.manifest import Manifest
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.shapes import AgencyRef, Task

from conftest import shared_fixture

PLAN = "kh-an-giang-ct-39"


def _task(svc, path: str) -> Task:
    (task,) = [t for t in svc.tasks(doc=PLAN) if t.path == path]
    return task


def _names(refs: list[AgencyRef]) -> list[str]:
    return [r.as_written for r in refs]


def test_bundled_plan_owners_and_roles(kb):
    t = _task(kb, "III.1")
    assert _names(t.lead) == ["Các sở, ban, ngành", "Ủy ban nhân dân các cấp"]
    assert t.deadline.text == "trước ngày 30/9 hàng năm hoặc đột xuất khi có yêu cầu" and t.recurrence == "yearly"

    t = _task(kb, "III.2")
    assert [r.agency for r in t.lead] == ["Chi nhánh Ngân hàng Chính sách xã hội tỉnh"]
    assert _names(t.coordinators) == ["các cơ quan, đơn vị, tổ chức có liên quan"]
    assert _names(t.advises) == ["Ủy ban nhân dân tỉnh"]

    t = _task(kb, "III.3")
    assert _names(t.lead) == ["Ủy ban Mặt trận Tổ quốc Việt Nam", "các tổ chức chính trị - xã hội nhận ủy thác tỉnh"]
    assert t.lead[0].agency_id == "uy-ban-mttq-tinh--an-giang"  # ids are scoped by province
    assert t.deadline.text == "trước ngày 30/9 hàng năm hoặc đột xuất khi có yêu cầu" and (t.deadline.day, t.deadline.month) == (30, 9)

    t = _task(kb, "II.1.đ")
    assert _names(t.lead) == ["Ủy ban Mặt trận Tổ quốc Việt Nam", "các tổ chức chính trị - xã hội cấp tỉnh"]

    t = _task(kb, "III.p1")
    (report,) = t.reports_to
    assert report.as_written == "Ủy ban nhân dân tỉnh"
    assert report.via.as_written == "Chi nhánh NHCSXH tỉnh"
    assert "Chi nhánh NHCSXH tỉnh" not in _names(t.coordinators)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_every_expected_task_of_the_synthetic_plan_is_found(suffix):
    EXPECTED = json.loads(shared_fixture(".expected.json").read_text(encoding="utf-8"))["tasks"]
    outcome = ingest_file(shared_fixture(suffix), Manifest(folder=Path(".")))
    assert outcome.ok, outcome.errors
    tasks = {t["path"]: t for t in outcome.document.tasks}
    for exp in EXPECTED:
        task = tasks.get(exp["source"])
        assert task is not None, exp["source"]
        assert [r["name"] for r in task["lead"]] == exp["lead"], exp["source"]
        assert [r["name"] for r in task["coordinators"]] == exp["coordinators"], exp["source"]
        assert (task["deadline"] or {}).get("text") == exp["deadline"], exp["source"]


def test_ask_names_the_bank_branch_and_cites_III_2(kb, capsys):
    code = main(["--data-dir", str(kb.settings.data_dir), "ask",
                 "Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["found"] is True
    assert {"question", "answer", "found", "owners", "deadline", "citations"} <= set(out)
    assert {"agency": "Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "role": "lead"}.items() <= out["owners"][0].items()
    assert out["citations"][0]["path"] == "III.2"
    assert "Chi nhánh NHCSXH tỉnh" in out["answer"] and "khoản 2 Mục III" in out["answer"]


def test_ask_abstains_when_the_corpus_does_not_answer(kb):
    out = kb.ask("Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?")
    assert out.found is False
    assert out.citations == [] and out.owners == []
    assert out.answer.startswith("Không tìm thấy")


def test_ask_who_signed(kb):
    out = kb.ask("kế hoạch này do ai ký")
    assert out.found and out.citations[0].path == "signature"
    assert "Lê Trung Hồ" in out.answer and "PHÓ CHỦ TỊCH" in out.answer


def test_deadline_question_puts_the_deadline_first(kb_all):
    out = kb_all.ask("Hạn tham mưu bố trí vốn ngân sách năm 2026 là khi nào?")
    assert out.deadline.text.lower() == "trước ngày 30/11/2025"
    assert out.answer.startswith("Thời hạn:")


def test_http_ask_agencies_and_tasks(kb_all):
    c = TestClient(create_app(kb_all))
    r = c.post("/api/ask", json={"question": "Sở NN&MT có nhiệm vụ gì?"})
    assert r.status_code == 200
    assert r.json()["owners"][0]["agency"] == "Sở Nông nghiệp và Môi trường"
    agencies = {a["agency_id"]: a for a in c.get("/api/agencies").json()}
    # ids are scoped by province: the An Giang plan's and the Bình Sơn plan's NHCSXH branch are two rows
    branches = [a for a in agencies if a.startswith("chi-nhanh-nhcsxh-tinh--")]
    assert {"chi-nhanh-nhcsxh-tinh--an-giang", "chi-nhanh-nhcsxh-tinh--binh-son"} <= set(branches)
    assert sum(agencies[a]["counts"]["lead"] for a in branches) >= 5
    tasks = c.get("/api/agencies/so-noi-vu/tasks").json()["tasks"]
    assert {t["path"] for t in tasks} >= {"II.3", "PL.7"}
    keys = {"task_id", "text", "lead", "coordinators", "advises", "reports_to", "deadline", "recurrence", "citation", "clause_id"}
    assert keys <= set(tasks[0])
    coord = c.get("/api/tasks", params={"agency": "UBND các xã, phường", "role": "coordinator"}).json()
    assert coord and all("coordinator" in t["roles"] for t in coord)
    assert c.get("/api/tasks", params={"doc": PLAN}).json()
    assert c.get("/api/agencies/khong-co/tasks").status_code == 404
    assert c.post("/api/ask", json={"question": ""}).status_code == 422


def test_cli_tasks_and_agencies(kb, capsys):
    assert main(["--data-dir", str(kb.settings.data_dir), "tasks", "--agency", "NHCSXH tỉnh"]) == 0
    out = capsys.readouterr().out
    assert "Khoản 2 Mục III" in out and "chủ trì: Chi nhánh NHCSXH tỉnh" in out
    assert main(["--data-dir", str(kb.settings.data_dir), "agencies", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["agency_id"] == "chi-nhanh-nhcsxh-tinh--an-giang" for r in rows)
