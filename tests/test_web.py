"""The staff web pages (server-rendered, TestClient): ask, documents, agencies, deadlines, export, upload.

Expected texts come from the service itself (what `ask`, `document` and `tasks` return), so these
tests check that the pages show what the knowledge base says, not a copy of any document.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from starlette.requests import Request
from tracuu.api.config import Settings
from tracuu.api.errors import ApiError
from tracuu.api.http import create_app
from tracuu.api.service import Tracuu
from tracuu.api.web import (
    Terms,
    clause_anchor,
    clause_fragment,
    deadline_due,
    export_response,
    highlight,
    parse_before,
    query_terms,
    report_citation,
)

from conftest import ROOT, shared_fixture

AN_GIANG = "kh-an-giang-ct-39"
WHO_REPORTS = "Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?"
NOT_ANSWERED = "Lãi suất cho vay hộ nghèo hiện nay là bao nhiêu?"
UNACCENTED = "ty le no qua han phai duoi bao nhieu"

_ATTR = re.compile(r"""\b(src|href|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_ANSWER = re.compile(r'<section class="answer[^"]*" data-found="(true|false)"(?: data-clause-id="([^"]*)")?')
_QUOTE = re.compile(r"<blockquote class=\"quote\" data-quote>(.*?)</blockquote>", re.S)
_TEXTAREA = re.compile(r"<textarea[^>]*data-copy-text[^>]*>(.*?)</textarea>", re.S)


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb))


@pytest.fixture(scope="module")
def client_all(kb_all):
    return TestClient(create_app(kb_all))


@pytest.fixture(scope="module")
def client_e5(kb_e5):
    """The pages over e5: for an answer, which needs the real model (an integration test)."""
    return TestClient(create_app(kb_e5))


def answer_of(page: str) -> tuple[bool, str | None]:
    m = _ANSWER.search(page)
    assert m, "no answer section on the page"
    return m.group(1) == "true", m.group(2)


def unmark(fragment: str) -> str:
    return html.unescape(re.sub(r"</?mark>|<span class=\"nowrap\">|</span>", "", fragment))


# ---------------------------------------------------------------------- every page renders
PAGES = [
    "/",
    f"/?q={WHO_REPORTS}",
    f"/?q={NOT_ANSWERED}",
    f"/?q={UNACCENTED}",
    "/documents",
    f"/documents/{AN_GIANG}",
    "/documents/ct-39-ct-tw",
    "/agencies",
    "/agencies/chi-nhanh-nhcsxh-tinh",
    "/agencies/chi-nhanh-nhcsxh-tinh?role=lead",
    "/deadlines",
    "/deadlines?before=30/9",
    "/upload",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_in_vietnamese(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="vi"' in page and 'charset="utf-8"' in page
    assert "Tra cứu văn bản" in page and "Nạp văn bản" in page  # diacritics intact
    assert 'name="viewport"' in page
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize("url", PAGES + ["/documents/khong-co", "/deadlines?before=32/13"])
def test_no_external_urls(client, url):
    page = client.get(url).text
    for attr, value in _ATTR.findall(page):
        assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", value, re.I), f"{url}: {attr}={value!r} leaves the app"
    for m in re.finditer(r"""(?:src|href|action)\s*=\s*["'](https?://[^"']*)""", page, re.I):
        pytest.fail(f"{url}: external URL {m.group(1)}")


def test_static_assets_are_served_by_the_app(client):
    page = client.get("/").text
    assets = [v for a, v in _ATTR.findall(page) if v.startswith("/static/")]
    assert {"/static/style.css", "/static/app.js"} <= set(assets)
    for path in assets:
        r = client.get(path)
        assert r.status_code == 200 and r.content
        assert "http://" not in r.text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in r.text
    assert "@import" not in client.get("/static/style.css").text


def test_api_keeps_json(client):
    assert client.get("/api/documents").headers["content-type"].startswith("application/json")
    assert client.get("/api/documents/khong-co").json()["message_vi"]


# ---------------------------------------------------------------------- ask
def test_ask_shows_owner_deadline_and_citation(client_e5, kb_e5):
    expected = kb_e5.ask(WHO_REPORTS)
    page = client_e5.get("/", params={"q": WHO_REPORTS}).text
    found, clause_id = answer_of(page)
    top = expected.citations[0]
    assert found and clause_id == top.clause_id == f"{AN_GIANG}:III.2"
    answer = page[page.index('<section class="answer'): page.index("</section>")]
    assert "Chi nhánh NHCSXH tỉnh" in answer and "Chủ trì" in answer
    assert top.citation in unmark(answer) and top.citation.startswith("Khoản 2 Mục III")
    assert expected.deadline.text in answer
    # the quote is the clause, character for character, with marks around matching words
    (quote,) = _QUOTE.findall(answer)
    assert unmark(quote) == top.text and "<mark>" in quote
    # the report text to copy: visible without JavaScript, in a report's form
    (copy,) = _TEXTAREA.findall(answer)
    assert html.unescape(copy) == report_citation(top.label, top.citation, top.text)
    assert html.unescape(copy).startswith('Theo khoản 2 Mục III ') and html.unescape(copy).endswith(f'"{top.text}"')
    assert "Sao chép trích dẫn" in page
    # link to the clause in its document, and the other hits below
    assert f'href="/documents/{AN_GIANG}#III.2"' in answer
    for hit in expected.citations[1:]:
        assert f'data-clause-id="{hit.clause_id}"' in page


def test_abstains_plainly_and_lists_referenced_documents(client, kb):
    expected = kb.ask(NOT_ANSWERED)
    assert expected.found is False
    r = client.get("/", params={"q": NOT_ANSWERED})
    found, _ = answer_of(r.text)
    assert r.status_code == 200 and not found
    assert "Không tìm thấy" in r.text and "<blockquote" not in r.text
    for d in kb.documents():
        if d.status == "referenced":
            assert d.citation in unmark(r.text)
            assert f'href="/documents/{d.doc_id}"' in r.text
    assert "được dẫn chiếu, chưa nạp văn bản" in r.text


def test_unaccented_query_highlights_accented_text(client_e5, kb_e5):
    expected = kb_e5.ask(UNACCENTED)
    page = client_e5.get("/", params={"q": UNACCENTED}).text
    quotes = _QUOTE.findall(page)
    assert [unmark(q) for q in quotes] == [h.text for h in expected.citations]
    marked = re.findall(r"<mark>(.*?)</mark>", quotes[0])
    assert marked and any(m != m.encode("ascii", "ignore").decode() for m in marked)  # e.g. "Tỷ lệ nợ quá hạn"


def test_empty_and_overlong_questions(client):
    assert "Hỏi bằng tiếng Việt…" in client.get("/?q=").text
    r = client.get("/", params={"q": "a" * 2001})
    assert r.status_code == 422 and "quá dài" in r.text and "too long" in r.text


def test_page_answers_like_the_service(client_all, kb_all):
    lines = (ROOT / "tests" / "eval" / "dev_set.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines[::7] if line.strip()]
    assert len(sample) >= 10
    for item in sample:
        expected = kb_all.ask(item["question"])
        page = client_all.get("/", params={"q": item["question"]}).text
        found, clause_id = answer_of(page)
        assert found == expected.found, item["id"]
        if found:
            top = expected.citations[0]
            assert clause_id == top.clause_id, item["id"]
            assert top.citation in unmark(page), item["id"]


# ---------------------------------------------------------------------- documents and clauses
def test_documents_list_shows_status(client, kb):
    page = client.get("/documents").text
    for d in kb.documents():
        assert f'href="/documents/{d.doc_id}"' in page
    assert "đã nạp" in page and "được dẫn chiếu, chưa nạp văn bản" in page


def test_document_tree_has_an_anchor_per_clause(client, kb):
    page = client.get(f"/documents/{AN_GIANG}").text
    doc = kb.document(AN_GIANG)
    paths = []

    def walk(nodes):
        for n in nodes:
            paths.append(n.path)
            walk(n.children)

    walk(doc.tree)
    assert len(paths) == doc.clauses
    for path in paths:
        assert f'id="{html.escape(clause_anchor(path))}"' in page, path
        assert f'href="/documents/{AN_GIANG}#{clause_fragment(path)}"' in page, path
    assert 'id="II.1.đ"' in page and f'href="/documents/{AN_GIANG}#II.1.%C4%91"' in page
    assert "<details" in page and "<summary>" in page
    assert "Kế hoạch" in page and "đã nạp" in page


def test_referenced_document_page(client):
    page = client.get("/documents/ct-39-ct-tw").text
    assert "được dẫn chiếu, chưa nạp văn bản" in page and "39-CT/TW" in page and 'href="/upload"' in page


def test_clause_url_redirects_to_its_anchor(client):
    r = client.get(f"/clauses/{AN_GIANG}:II.1.đ", follow_redirects=False)
    assert r.status_code in (302, 303, 307)
    assert r.headers["location"] == f"/documents/{AN_GIANG}#II.1.%C4%91"
    assert client.get(f"/clauses/{AN_GIANG}:II.1.đ").status_code == 200


def test_not_found_pages_are_bilingual_html(client):
    for url in ("/documents/khong-co", f"/clauses/{AN_GIANG}:IX.9", "/agencies/khong-co"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "Không tìm thấy" in r.text and "No " in r.text


# ---------------------------------------------------------------------- agencies, deadlines, exports
def test_agencies_and_agency_tasks(client, kb):
    page = client.get("/agencies").text
    for a in kb.agencies():
        assert f'href="/agencies/{a.agency_id}"' in page
    assert "Chủ trì" in page and "Phối hợp" in page
    tasks = kb.tasks(agency="chi-nhanh-nhcsxh-tinh")
    page = client.get("/agencies/chi-nhanh-nhcsxh-tinh").text
    assert page.count("<tr data-clause-id=") == len(tasks)
    for t in tasks:
        assert t.citation in unmark(page)
    assert "Tải CSV" in page and "Tải Excel (.xlsx)" in page
    lead_only = client.get("/agencies/chi-nhanh-nhcsxh-tinh?role=lead").text
    assert lead_only.count("<tr data-clause-id=") == len(kb.tasks(agency="chi-nhanh-nhcsxh-tinh", role="lead"))


def _csv_rows(r):
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert "attachment" in r.headers["content-disposition"]
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))


def _xlsx_rows(r):
    from openpyxl import load_workbook

    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    ws = load_workbook(io.BytesIO(r.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_exports_parse(client, kb):
    tasks = kb.tasks(agency="chi-nhanh-nhcsxh-tinh")
    rows = _csv_rows(client.get("/agencies/chi-nhanh-nhcsxh-tinh?format=csv"))
    assert rows[0][:2] == ["Vai trò", "Nhiệm vụ"] and "Trích dẫn" in rows[0]
    assert len(rows) == len(tasks) + 1
    cite = rows[0].index("Trích dẫn")
    assert sorted(r[cite] for r in rows[1:]) == sorted(t.citation for t in tasks)
    link = rows[0].index("Liên kết")
    assert all(re.match(r"^http://testserver/clauses/", r[link]) for r in rows[1:])
    xrows = _xlsx_rows(client.get("/agencies/chi-nhanh-nhcsxh-tinh?format=xlsx"))
    assert xrows[0] == rows[0] and len(xrows) == len(rows)
    assert [r[1] for r in xrows[1:]] == [t.text for t in tasks]
    agencies = _csv_rows(client.get("/agencies?format=csv"))
    assert len(agencies) == len(kb.agencies()) + 1 and agencies[0][1] == "Cơ quan"
    docs = _xlsx_rows(client.get("/documents?format=xlsx"))
    assert len(docs) == len(kb.documents()) + 1
    r = client.get("/agencies?format=pdf")
    assert r.status_code == 422 and "csv" in r.text


def test_deadlines_before_a_day(client_all, kb_all):
    # independent of the page: day and month of every task's deadline, from the stored fields
    def day_month(t):
        d = t.deadline
        if d and d.month and d.day:
            return d.month, d.day
        if d and d.date:
            _, m, dd = (int(x) for x in d.date.split("-"))
            return m, dd
        return None

    due = [(day_month(t), t) for t in kb_all.tasks()]
    wanted = sorted(t.task_id for dm, t in due if dm and dm <= (9, 30))
    assert wanted, "the corpus has deadlines before 30/9"
    page = client_all.get("/deadlines", params={"before": "30/9"}).text
    assert "đến hạn trước 30/9" in page
    rows = _csv_rows(client_all.get("/deadlines", params={"before": "30/9", "format": "csv"}))
    due_col = rows[0].index("Mốc thời hạn")
    for r in rows[1:]:
        d, m = (int(x) for x in r[due_col].split()[0].split("/")[:2])
        assert (m, d) <= (9, 30), r
    assert len(rows) - 1 == page.count("<tr data-clause-id=") >= len(wanted)
    assert any("30/9" in r[due_col] for r in rows[1:])
    # sorted by day of the year
    keys = [tuple(reversed([int(x) for x in r[due_col].split()[0].split("/")[:2]])) for r in rows[1:]]
    assert keys == sorted(keys)
    xrows = _xlsx_rows(client_all.get("/deadlines", params={"before": "30/9", "format": "xlsx"}))
    assert len(xrows) == len(rows)
    everything = client_all.get("/deadlines").text
    assert everything.count("<tr data-clause-id=") > len(rows) - 1
    bad = client_all.get("/deadlines", params={"before": "31/2"})
    assert bad.status_code == 422 and "Ngày không hợp lệ" in bad.text and "Invalid date" in bad.text


def test_deadlines_page_and_deadline_model_agree(tmp_path):
    """One definition of "due before": the /deadlines page lists exactly the tasks whose stored
    deadline says ``Deadline.due_before`` - "Quý IV hằng năm" included (issue 12). The plan is
    the synthetic one of bench/synthetic_corpus.py with one made-up task added."""
    from tracuu.ingest.deadlines import Deadline

    from bench.synthetic_corpus import make_plan
    from conftest import hash_kb

    name, text = make_plan(0, 40)
    task = "4. Sở Tài chính chủ trì tổng hợp kết quả thử nghiệm, báo cáo UBND tỉnh trong Quý IV hằng năm."
    text = text.replace("\nTrong quá trình thực hiện,", "\n" + task + "\nTrong quá trình thực hiện,", 1)
    assert task in text
    (tmp_path / name).write_text(text, encoding="utf-8")
    svc = hash_kb(tmp_path / "data")
    assert svc.ingest([tmp_path / name])[0].status == "ok"
    client = TestClient(create_app(svc))
    q4 = [t for t in svc.tasks() if t.deadline and t.deadline.text.startswith("trong Quý IV hằng năm")]
    assert len(q4) == 1, [t.deadline for t in svc.tasks()]
    for before in ("31/12", "30/11", "30/6", "31/12/2031"):
        d, m, *y = (int(x) for x in before.split("/"))
        want = sorted(t.citation for t in svc.tasks()
                      if t.deadline and Deadline.from_dict(t.deadline.model_dump()).due_before(d, m, *y))
        rows = _csv_rows(client.get("/deadlines", params={"before": before, "format": "csv"}))
        got = sorted(r[rows[0].index("Trích dẫn")] for r in rows[1:])
        assert got == want, before
        assert (q4[0].citation in got) == (before != "30/11" and before != "30/6"), before


# ---------------------------------------------------------------------- upload without JavaScript
@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_API_KEY", "bi-mat")
    return TestClient(create_app(Tracuu(Settings.from_env(data_dir=tmp_path / "data"))))


def test_upload_page_posts_to_api_with_fallback(client):
    page = client.get("/upload").text
    assert 'enctype="multipart/form-data"' in page and 'action="/upload"' in page
    assert 'data-api="/api/documents"' in page and 'name="api_key"' in page and 'name="file"' in page


def test_upload_form_refused_without_configured_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACUU_API_KEY", raising=False)
    c = TestClient(create_app(Tracuu(Settings.from_env(data_dir=tmp_path / "data"))))
    assert "TRACUU_API_KEY" in c.get("/upload").text
    r = c.post("/upload", data={"api_key": "x"}, files={"file": ("a.txt", b"noi dung", "text/plain")})
    assert r.status_code == 403 and "TRACUU_API_KEY" in r.text and "Writes over HTTP are disabled" in r.text


def test_upload_form_errors(fresh):
    r = fresh.post("/upload", data={"api_key": "sai"}, files={"file": ("a.txt", b"x", "text/plain")})
    assert r.status_code == 401 and "Khóa API không đúng" in r.text and "wrong API key" in r.text
    r = fresh.post("/upload", data={"api_key": "bi-mat"}, files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 400 and "Chưa chọn tệp" in r.text
    r = fresh.post("/upload", data={"api_key": "bi-mat"}, files={"file": ("anh.pdf", b"\x89PNG\r\n\x1a\n\x00\x00", "application/pdf")})
    assert r.status_code == 415 and "Loại tệp không được hỗ trợ" in r.text and "Unsupported file content" in r.text


def test_upload_form_ingests_like_the_api(fresh):
    data = shared_fixture(".docx").read_bytes()
    r = fresh.post("/upload", data={"api_key": "bi-mat"}, files={"file": ("ke hoạch.docx", data, "application/octet-stream")})
    assert r.status_code == 201, r.text[-800:]
    assert 'data-doc-id="214-kh-ubnd-binh-son-2025"' in r.text and "Đã nạp" in r.text and "ke hoạch.docx" in r.text
    assert 'href="/documents/214-kh-ubnd-binh-son-2025"' in r.text
    doc = fresh.get("/documents/214-kh-ubnd-binh-son-2025").text
    assert "đã nạp" in doc and 'id="II.1.a"' in doc


# ---------------------------------------------------------------------- helpers
def test_highlight_never_changes_the_text():
    text = "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ; <b>Uỷ ban</b> & hằng năm"
    for q in ("ty le no qua han", "Tỷ lệ", "ủy ban hàng năm", "x"):
        out = str(highlight(text, query_terms(q)))
        assert unmark(out) == text
    assert str(highlight(text, query_terms("ty le no"))).startswith("<mark>Tỷ lệ nợ</mark>")
    # marks typed select those marks: "tình" does not light up "tỉnh", "ủy" meets "Uỷ", "hàng năm" meets "hằng năm"
    marked = str(highlight("tình hình tỉnh", query_terms("tình")))
    assert marked == "<mark>tình</mark> hình tỉnh"
    out = str(highlight(text, query_terms("ủy ban hàng năm")))
    assert "<mark>Uỷ ban</mark>" in out and "<mark>hằng năm</mark>" in out
    assert str(highlight(text, Terms())) == str(escape(text))


def test_report_citation_form():
    assert report_citation("điểm c khoản 1 Mục II", "Điểm c khoản 1 Mục II Kế hoạch số 1/KH", "Nội dung.") == (
        'Theo điểm c khoản 1 Mục II Kế hoạch số 1/KH: "Nội dung."'
    )
    assert report_citation("Mục I", "Mục I Kế hoạch X", "A").startswith("Theo Mục I Kế hoạch X")


def test_anchor_and_fragment():
    assert clause_anchor("II.1.đ") == "II.1.đ" and clause_fragment("II.1.đ") == "II.1.%C4%91"
    assert clause_anchor("PL bảng 1") == "PL%20bảng%201" and " " not in clause_fragment("PL bảng 1")


def test_parse_before_and_due_dates():
    assert parse_before("30/9") == (30, 9, None)
    assert parse_before(" 30-9-2025 ") == (30, 9, 2025) and parse_before("2025-09-30") == (30, 9, 2025)
    assert parse_before("29/2") == (29, 2, None)
    for bad in ("31/2", "abc", "0/9", "30/13", ""):
        with pytest.raises(ApiError):
            parse_before(bad)
    assert deadline_due({"month": 9, "day": 30, "recurrence": "yearly"}) == ((9, 30), None)
    key, full = deadline_due({"date": "2025-11-30", "month": 11, "day": 30, "year": 2025})
    assert key == (11, 30) and full.isoformat() == "2025-11-30"
    assert deadline_due({"quarter": 4, "year": 2025}) == ((12, 31), date(2025, 12, 31))
    assert deadline_due({"kind": "quarter", "quarter": 4, "recurrence": "yearly"}) == ((12, 31), None)
    assert deadline_due({"recurrence": "continuous"}) == (None, None)


def test_exports_never_write_formulas():
    from openpyxl import load_workbook

    request = Request({"type": "http", "scheme": "http", "server": ("t", 80), "path": "/", "headers": [], "query_string": b"", "root_path": ""})
    rows = [{"a": "=HYPERLINK(\"x\")", "b": "-1+2", "link": "/clauses/x:1"}]
    cols = [("A", "a"), ("B", "b"), ("Liên kết", "link")]
    csv_rows = list(csv.reader(io.StringIO(export_response(request, "csv", "t", cols, rows, "t").body.decode("utf-8-sig"))))
    assert csv_rows[1][:2] == ["'=HYPERLINK(\"x\")", "'-1+2"] and csv_rows[1][2] == "http://t/clauses/x:1"
    ws = load_workbook(io.BytesIO(export_response(request, "xlsx", "t", cols, rows, "t").body)).active
    assert ws["A2"].value == '=HYPERLINK("x")' and ws["A2"].data_type == "s"


def test_related_page_lists_references_and_their_status(kb):
    c = TestClient(create_app(kb))
    r = c.get("/related/kh-an-giang-ct-39:preamble.1")
    assert r.status_code == 200
    assert "Quyết định số 1560/QĐ-TTg" in r.text and "được dẫn chiếu, chưa nạp văn bản" in r.text
    assert 'href="/documents/qd-1560-qd-ttg"' in r.text
    assert c.get("/related/khong:co").status_code == 404
