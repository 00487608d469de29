"""Questions about a document itself: its date, number, issuer, signer, effect, basis, recipients.

The document is made up by the tracuu team (a province, a plan and a signer that do not exist),
laid out as a crawled text file lays out a real one: the header (number, place and date, kind,
title) is no clause, and a "[daky]" mark stands between the signer's position and name, with a
footnote right under the name. The answer must cite the part that states the fact asked, as
exact source text, and say so when the document does not state it.
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import classify, document_facts, names_kind, title_words
from tracuu.ingest.header import signer_name_after, signer_of_lines

from tests.synthetic_head import HOA_VANG_HEAD

BODY = HOA_VANG_HEAD + """Số: 77/KH-UBND
Hòa Vang, ngày 03 tháng 4 năm 2026

KẾ HOẠCH

TRỒNG CÂY XANH PHÂN TÁN TRÊN ĐỊA BÀN TỈNH HÒA VANG NĂM 2026

Căn cứ Quyết định số 5511/QĐ-UBND ngày 12 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh Hòa Vang về chương trình cây xanh;

Ủy ban nhân dân tỉnh ban hành Kế hoạch trồng cây xanh phân tán như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Tăng diện tích cây xanh tại các khu dân cư, trường học và trụ sở cơ quan.

II. NHIỆM VỤ

1. Sở Nông nghiệp và Môi trường chủ trì hướng dẫn các xã chọn loài cây phù hợp, hoàn thành trước ngày 30 tháng 6 năm 2026.

2. Ủy ban nhân dân các xã, phường tổ chức trồng và chăm sóc cây sau khi trồng.

III. TỔ CHỨC THỰC HIỆN

Kế hoạch này có hiệu lực kể từ ngày 10 tháng 4 năm 2026.

Nơi nhận:
- Sở Nông nghiệp và Môi trường;
- UBND các xã, phường;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
[daky]
Đào Minh Khuê
[1] Chương trình cây xanh của tỉnh giai đoạn 2026 - 2030.
"""


@pytest.fixture(scope="module")
def kb_facts(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_doc_facts", "21-kh77-hoavang-cay-xanh.txt", BODY)


def _doc_id(kb) -> str:
    return next(d for d in kb.store().list_ids() if "77" in d)


def _is_source_text(kb, hit) -> bool:
    return kb.store().source(hit.doc_id)[hit.start:hit.end] == hit.text


# --------------------------------------------------------------------------- pure


def test_the_fact_asked():
    assert document_facts("Kế hoạch 77 ban hành ngày nào, ai ký?") == ("signer", "date")
    assert document_facts("Quyết định 12 có hiệu lực từ khi nào?") == ("effect",)  # "khi nào" asks the effect
    assert document_facts("Kế hoạch 5 căn cứ vào những văn bản nào?") == ("basis",)
    assert document_facts("Công văn 9 được gửi đến những nơi nào?") == ("recipients",)
    assert document_facts("Sở Y tế làm gì?") == ()
    assert classify("Kế hoạch 77/KH-UBND căn cứ vào những văn bản nào?").kind == "document"


def test_title_words_leave_out_what_names_no_document():
    assert names_kind("ke hoach trong cay xanh cua tinh hoa vang do ai ky") == "ke hoach"
    assert title_words("Kế hoạch trồng cây xanh của tỉnh Hòa Vang do ai ký?") == [
        "trong", "cay", "xanh", "tinh", "hoa", "vang"]


def test_the_signer_after_a_mark_or_before_a_footnote():
    text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n[daky] \nĐào Minh Khuê\n[1] Chương trình."
    a, b = signer_name_after(text, text.index("PHÓ"))
    assert text[a:b] == "Đào Minh Khuê"
    glued = "CHỦ TỊCH\nĐào Minh Khuê [1] Chương trình cây xanh."
    a, b = signer_name_after(glued, len("CHỦ TỊCH"))
    assert glued[a:b] == "Đào Minh Khuê"
    assert signer_name_after("CHỦ TỊCH\nCác sở, ngành thực hiện.", 8) is None
    assert signer_of_lines(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đào Minh Khuê"]).name == "Đào Minh Khuê"


# --------------------------------------------------------------------------- answers


def test_the_date_is_cited_from_the_header(kb_facts):
    out = kb_facts.ask("Kế hoạch 77/KH-UBND ban hành ngày nào?")
    assert out.found and out.intent == "document"
    top = out.citations[0]
    assert top.clause_id == f"{_doc_id(kb_facts)}:header"
    assert "Hòa Vang, ngày 03 tháng 4 năm 2026" in top.text and "Số: 77/KH-UBND" in top.text
    assert _is_source_text(kb_facts, top) and top.exact


def test_the_signer_written_after_a_mark_is_found_and_cited(kb_facts):
    out = kb_facts.ask("kế hoạch 77 do ai ký")
    assert out.found and "Đào Minh Khuê" in out.answer
    top = out.citations[0]
    assert top.text.endswith("Đào Minh Khuê") and top.text.startswith("KT. CHỦ TỊCH")
    assert _is_source_text(kb_facts, top)


def test_a_document_named_by_its_title_and_place(kb_facts):
    out = kb_facts.ask("Kế hoạch trồng cây xanh phân tán của tỉnh Hòa Vang do ai ký?")
    assert out.intent == "document" and [d.doc_id for d in out.documents] == [_doc_id(kb_facts)]
    assert "Đào Minh Khuê" in out.citations[0].text
    # the An Giang plan's title shares no words with it: never its facts
    assert "Lê Trung Hồ" not in out.answer


def test_effect_basis_and_recipients_cite_their_clause(kb_facts):
    effect = kb_facts.ask("Kế hoạch 77/KH-UBND có hiệu lực từ ngày nào?")
    assert effect.citations[0].text.startswith("Kế hoạch này có hiệu lực kể từ ngày 10 tháng 4 năm 2026")
    assert "10 tháng 4 năm 2026" in effect.answer
    basis = kb_facts.ask("Kế hoạch 77/KH-UBND căn cứ vào những văn bản nào?")
    assert basis.citations[0].text.startswith("Căn cứ Quyết định số 5511/QĐ-UBND")
    sent = kb_facts.ask("Kế hoạch 77/KH-UBND được gửi đến những nơi nào?")
    assert sent.citations[0].kind == "recipients" and "Sở Nông nghiệp và Môi trường" in sent.answer


def test_a_fact_the_document_does_not_state_is_not_found(kb_facts):
    out = kb_facts.ask("Kế hoạch 77/KH-UBND hết hiệu lực vào ngày nào?")
    assert out.found is False
    assert "không ghi thời điểm hết hiệu lực" in out.answer and "does not state" in out.answer


def test_a_cited_part_resolves_like_a_clause(kb_facts):
    """The report basket and the clause page look a citation up by its id."""
    out = kb_facts.ask("Kế hoạch 77/KH-UBND ban hành ngày nào, do ai ký?")
    for hit in out.citations[:2]:
        detail = kb_facts.clause(hit.clause_id)
        assert detail.text == hit.text and detail.citation == hit.citation


def test_issuer_title_and_issuing_decision_as_officials_word_them():
    """Synthetic wordings (round 17): "ban hành bởi ai", "cơ quan ban hành … là cơ quan nào", "nói về cái gì"
    ask the document's own facts, not who does one of its tasks."""
    assert document_facts("Kế hoạch 77 ban hành bởi ai?") == ("issuer",)
    assert classify("Kế hoạch 77 ban hành bởi ai?").kind == "document"
    assert classify("kh 77 hoa vang ban hanh boi co quan nao").kind == "document"
    assert classify("Cơ quan ban hành kế hoạch 77 là cơ quan nào?").kind == "document"
    assert document_facts("Kế hoạch 77 nói về cái gì?") == ("title",)
    assert classify("Kế hoạch 77 của Hòa Vang nói về cái gì?").kind == "document"
    assert classify("Kế hoạch 77: việc chọn loài cây được thực hiện bởi ai?").kind != "document"


def test_a_plan_asked_who_issued_it_cites_its_header(kb_facts):
    for q in ("Kế hoạch 77 ban hành bởi ai?", "Cơ quan ban hành kế hoạch 77 là cơ quan nào?",
              "Kế hoạch 77 Hòa Vang nói về cái gì?"):
        a = kb_facts.ask(q)
        assert a.intent == "document", q
        assert a.citations[0].clause_id.endswith(":header"), q
        assert _is_source_text(kb_facts, a.citations[0])

