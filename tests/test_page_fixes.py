"""The pages' details staff noticed: error pages, Nơi nhận, the signer, the red dots, unbroken
document numbers, labels on the phone, role wording, owners once, whole-word highlighting."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tracuu.api.http import create_app
from tracuu.api.web import explains_abbreviation, highlight, query_terms

AN_GIANG = "kh-an-giang-ct-39"
WHO_REPORTS = "Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?"


@pytest.fixture(scope="module")
def client(kb_all):
    return TestClient(create_app(kb_all), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client_e5(kb_all_e5):
    """The pages over e5: for an answer, which needs the real model (an integration test)."""
    return TestClient(create_app(kb_all_e5), raise_server_exceptions=False)


def test_unknown_page_is_an_html_page_and_api_keeps_json(client):
    r = client.get("/khong-co-trang-nay")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'class="error-box"' in r.text and "Không tìm thấy" in r.text and "There is no page" in r.text
    assert 'href="/static/style.css"' in r.text  # the site's own style and navigation
    r = client.get("/api/khong-co")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json") and r.json()["message_vi"]


def test_server_error_on_a_page_is_an_html_page(kb_all, monkeypatch):
    app = create_app(kb_all)
    c = TestClient(app, raise_server_exceptions=False)

    def boom():
        raise RuntimeError("hỏng thử")

    monkeypatch.setattr(kb_all, "documents", boom)
    r = c.get("/documents")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "Lỗi máy chủ" in r.text and "hỏng thử" not in r.text
    r = c.get("/api/documents")
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/json") and r.json()["message_vi"]


def test_recipients_are_a_list_and_the_signer_keeps_kt(client, kb_all):
    page = client.get("/documents/214-kh-ubnd-binh-son-2025").text
    doc = kb_all.document("214-kh-ubnd-binh-son-2025")
    lists = re.findall(r'<ul class="recipients[^"]*">(.*?)</ul>', page, re.S)
    assert lists, "Nơi nhận is shown as a list"
    items = re.findall(r"<li>(.*?)</li>", lists[0])
    assert len(items) == len(doc.recipients) > 3
    signer = re.search(r'<dd class="signer">(.*?)</dd>', page, re.S).group(1)
    assert "KT. CHỦ TỊCH" in signer and "PHÓ CHỦ TỊCH" in signer and doc.signer["name"] in signer


def test_red_dot_legend_and_numbers_on_one_line(client):
    page = client.get(f"/documents/{AN_GIANG}").text
    assert 'class="legend"' in page and "điều khoản có giao nhiệm vụ" in page
    assert '<span class="nowrap">1560/QĐ-TTg</span>' in page


def test_numbers_on_one_line_in_an_answer(client_e5):
    assert '<span class="nowrap">39-CT/TW</span>' in client_e5.get("/?q=" + WHO_REPORTS).text


def test_empty_cells_make_no_labels_on_the_phone(client):
    page = client.get("/documents").text
    assert re.search(r'<td data-label="Số"></td>', page), "a referenced document without a number has an empty cell"
    from tracuu.api.web import STATIC_DIR

    css = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 700px)") :]
    assert "table.data.documents td:empty" in phone and "display: none" in phone


def test_advised_is_worded_plainly(client):
    page = client.get("/agencies").text
    assert "Được tham mưu" not in page and "Nhận tham mưu" in page


def test_owner_names_are_not_listed_twice(client_e5):
    page = client_e5.get("/", params={"q": WHO_REPORTS}).text
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]
    assert "(Chi nhánh Ngân hàng Chính sách xã hội tỉnh)" in facts  # an abbreviation is spelled out
    assert "(các cơ quan, đơn vị có liên quan)" not in facts  # the same words again are not
    assert explains_abbreviation("UBND tỉnh", "Ủy ban nhân dân tỉnh")
    assert not explains_abbreviation("các cơ quan, đơn vị, tổ chức có liên quan", "các cơ quan, đơn vị có liên quan")


def test_highlight_whole_words_only():
    terms = query_terms(WHO_REPORTS)
    out = str(highlight("Chỉ tiêu năm 2025: thực hiện Chỉ thị số 39-CT/TW, báo cáo hằng năm.", terms))
    assert "<mark>Chỉ tiêu" not in out and "<mark>năm 2025" not in out and "<mark>Chỉ</mark> tiêu" not in out
    assert "<mark>thực hiện Chỉ thị</mark>" in out and "<mark>báo cáo hằng năm</mark>" in out
    assert '<mark><span class="nowrap">39-CT/TW</span>' in out  # a number is marked whole, never cut
    out = str(highlight("năm nay các đơn vị", query_terms("năm")))
    assert "<mark>" not in out  # "năm" alone is never highlighted
    assert str(highlight("Vốn vay ưu đãi", query_terms("vốn"))) == "<mark>Vốn</mark> vay ưu đãi"
