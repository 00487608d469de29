"""The report basket without a browser: forms and the cookie, reorder/remove/annotate, exports, permalinks.

Quotes and citations expected in the exports come from the service (``kb.clause``), so these
tests check that the basket carries the exact source text, not a copy of any document.
"""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient
from tracuu.api import basket
from tracuu.api.http import create_app

AN_GIANG = "kh-an-giang-ct-39"
IDS = [f"{AN_GIANG}:III.2", f"{AN_GIANG}:II.1.đ", f"{AN_GIANG}:I.1"]


@pytest.fixture()
def client(kb):
    return TestClient(create_app(kb))


def _add(client, cid: str, next_: str = "/documents") -> None:
    r = client.post("/basket/add", data={"clause_id": cid, "next": next_}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == next_, r.text
    assert basket.COOKIE in r.cookies or basket.COOKIE in client.cookies


def _plain(page: str) -> str:
    """The page's text with the one-line spans around document numbers taken out."""
    import html

    return html.unescape(re.sub(r'<span class="nowrap">|</span>', "", page))


def _items(client) -> list[basket.Item]:
    return basket.decode(client.cookies.get(basket.COOKIE))


def _form(items: list[basket.Item], **extra) -> dict:
    return {"clause_id": [i.clause_id for i in items], "note": [i.note for i in items], **extra}


def test_cookie_round_trip_and_damaged_values():
    items = [basket.Item("a:I.1", "ghi chú có dấu"), basket.Item("b:II", "")]
    assert basket.decode(basket.encode(items)) == items
    assert basket.decode("%%%") == [] and basket.decode("bm90IGpzb24") == [] and basket.decode(None) == []
    assert basket.parse_items([["x", "n"], ["x", "again"], 5, ["y"]]) == [basket.Item("x", "n"), basket.Item("y", "")]


def test_add_reorder_annotate_remove_without_javascript(client, kb):
    for cid in IDS:
        _add(client, cid)
    _add(client, IDS[0])  # twice: kept once
    assert [i.clause_id for i in _items(client)] == IDS
    page = _plain(client.get("/basket").text)
    for cid in IDS:
        c = kb.clause(cid)
        assert c.citation in page and c.text in page
    assert re.search(r'data-basket-count>3<', page)
    items = _items(client)
    items[1].note = "Đưa vào mục 2 của báo cáo"
    r = client.post("/basket/update", data=_form(items, op="up:1"), follow_redirects=False)
    assert r.status_code == 303
    now = _items(client)
    assert [i.clause_id for i in now] == [IDS[1], IDS[0], IDS[2]] and now[0].note == "Đưa vào mục 2 của báo cáo"
    client.post("/basket/update", data=_form(now, op="remove:2"))
    assert [i.clause_id for i in _items(client)] == [IDS[1], IDS[0]]
    client.post("/basket/update", data=_form(_items(client), op="down:0"))
    assert [i.clause_id for i in _items(client)] == [IDS[0], IDS[1]]
    client.post("/basket/update", data=_form(_items(client), op="clear"))
    assert _items(client) == [] and basket.COOKIE in client.cookies  # an empty basket, not a missing one


def test_add_buttons_on_an_answer(kb_e5):
    ask = TestClient(create_app(kb_e5)).get("/", params={"q": "Ai có trách nhiệm báo cáo hàng năm tình hình thực hiện Chỉ thị 39?"}).text
    assert ask.count('action="/basket/add"') >= 2


def test_add_buttons_on_document_and_agency_pages(client, kb):
    doc = client.get(f"/documents/{AN_GIANG}").text
    assert doc.count('action="/basket/add"') == len(kb.store().get(AN_GIANG).clauses)
    agency = client.get("/agencies/chi-nhanh-nhcsxh-tinh").text
    assert agency.count('action="/basket/add"') == len(kb.tasks(agency="chi-nhanh-nhcsxh-tinh"))
    _add(client, IDS[0], next_=f"/documents/{AN_GIANG}#III.2")
    assert "Đã có trong giỏ" in client.get(f"/documents/{AN_GIANG}").text


def test_add_with_javascript_gets_json_and_unknown_clause_is_404(client):
    r = client.post("/basket/add", data={"clause_id": IDS[0]}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json() == {"items": [[IDS[0], ""]], "count": 1}
    r = client.post("/basket/add", data={"clause_id": "khong-co:I"}, headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["message_vi"] and r.json()["message_en"]
    r = client.post("/basket/add", data={"clause_id": "khong-co:I"})
    assert r.status_code == 404 and "<html" in r.text


def test_restore_from_local_storage(client):
    r = client.post("/basket/restore", json=[[IDS[2], "ghi chú"], [IDS[0], ""]])
    assert r.status_code == 200 and r.json()["count"] == 2
    assert _items(client) == [basket.Item(IDS[2], "ghi chú"), basket.Item(IDS[0], "")]
    assert client.post("/basket/restore", content=b"not json", headers={"Content-Type": "application/json"}).status_code == 400


def test_next_is_same_site_only(client):
    r = client.post("/basket/add", data={"clause_id": IDS[0], "next": "https://example.org/"}, follow_redirects=False)
    assert r.headers["location"] == "/basket"
    r = client.post("/basket/add", data={"clause_id": IDS[0], "next": "//example.org/"}, follow_redirects=False)
    assert r.headers["location"] == "/basket"


@pytest.mark.parametrize("style", ["ngoac", "chu-thich"])
def test_docx_export_holds_quotes_citations_and_bases(client, kb, style):
    import docx
    from tracuu.api.docx_writer import footnote_texts

    items = [basket.Item(IDS[0], "Ý chính cho báo cáo"), basket.Item(IDS[1]), basket.Item(IDS[2])]
    r = client.post("/basket/export", data=_form(items, format="docx", style=style))
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].startswith("attachment;")
    d = docx.Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in d.paragraphs)
    assert d.styles["Normal"].font.name == "Times New Roman" and d.styles["Normal"].font.size.pt == 13
    clauses = [kb.clause(c) for c in IDS]
    for c in clauses:
        assert f"“{c.text}”" in text
    if style == "ngoac":
        for c in clauses:
            assert f"“{c.text}” [{c.citation}]" in text
    else:
        notes = footnote_texts(d)
        assert sorted(notes.values()) == sorted(c.citation + "." for c in clauses)
        assert len(d.element.body.findall(".//{*}footnoteReference")) == 3
    assert "Căn cứ:" in text and kb.documents()[0].doc_id
    assert "Ghi chú: Ý chính cho báo cáo" in text
    from tracuu.api.citations import document_name

    assert document_name(kb.doc_info(AN_GIANG)) in text


def test_text_export_and_bad_choices(client, kb):
    items = [basket.Item(IDS[0]), basket.Item(IDS[1])]
    r = client.post("/basket/export", data=_form(items, format="txt", style="chu-thich"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    body = r.content.decode("utf-8")
    for n, cid in enumerate(IDS[:2], start=1):
        c = kb.clause(cid)
        assert f"“{c.text}” [{n}]" in body and f"[{n}] {c.citation}." in body
    assert client.post("/basket/export", data=_form(items, format="pdf")).status_code == 422
    assert client.post("/basket/export", data=_form([], format="docx")).status_code == 400


def test_missing_clause_is_shown_not_lost(client):
    client.post("/basket/restore", json=[["van-ban-da-xoa:II.1", "ghi chú cũ"], [IDS[0], ""]])
    page = client.get("/basket").text
    assert "van-ban-da-xoa:II.1" in page and "không còn trong kho" in page


def test_clause_permalink_survives_reingest(tmp_path):
    """The same document ingested again (deleted first) keeps every clause id: basket links stay valid."""
    from tracuu.api.config import Settings
    from tracuu.api.service import Tracuu

    from conftest import shared_fixture

    svc = Tracuu(Settings.from_env(data_dir=tmp_path / "data"))
    path = shared_fixture(".docx")
    [first] = svc.ingest([path])
    doc_id = first.doc_id
    before = {c.clause_id: c.text for c in svc.store().get(doc_id).clauses}
    svc.delete(doc_id)
    [again] = svc.ingest([path])
    assert again.doc_id == doc_id
    after = {c.clause_id: c.text for c in svc.store().get(doc_id).clauses}
    assert after == before
    client = TestClient(create_app(svc))
    some = sorted(before)[len(before) // 2]
    r = client.get(f"/clauses/{some}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/documents/{doc_id}#")
