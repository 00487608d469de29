"""A decision's own facts that sit in its articles: what it replaces, when it takes effect, which law it rests on.

The decision is made up by the tracuu team (a province, its decisions and a signer that do not exist;
synthetic text). Its effect article has a title of its own ("Điều 3. Hiệu lực thi hành") above the
sentence that says when, it replaces an older decision, and its basis cites a decree that names a law
before the laws themselves. An official asks "thay thế quyết định nào?", "căn cứ luật nào?", "gửi những
cơ quan nào?": the answer cites the clause that holds the fact first.
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import basis_kind, classify, document_facts

from tests.synthetic_head import HOA_VANG_HEAD

BODY = HOA_VANG_HEAD + """Số: 45/2026/QĐ-UBND
Hòa Vang, ngày 09 tháng 3 năm 2026

QUYẾT ĐỊNH

BAN HÀNH QUY CHẾ QUẢN LÝ CHỢ ĐÊM TRÊN ĐỊA BÀN TỈNH HÒA VANG

ỦY BAN NHÂN DÂN TỈNH HÒA VANG

Căn cứ Nghị định số 60/2024/NĐ-CP ngày 05 tháng 6 năm 2024 của Chính phủ quy định chi tiết Luật Thương mại về phát triển và quản lý chợ đêm;

Căn cứ Luật Thương mại ngày 14 tháng 6 năm 2005;

Theo đề nghị của Giám đốc Sở Công Thương.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý chợ đêm trên địa bàn tỉnh Hòa Vang.

Điều 2. Sở Công Thương chủ trì hướng dẫn các xã, phường thực hiện Quy chế.

Điều 3. Hiệu lực thi hành

1. Quyết định này có hiệu lực thi hành từ ngày 20 tháng 3 năm 2026.

2. Quyết định này thay thế Quyết định số 12/2019/QĐ-UBND ngày 02 tháng 5 năm 2019 của Ủy ban nhân dân tỉnh về quản lý chợ đêm.

Nơi nhận:
- Bộ Công Thương;
- Sở Công Thương;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đào Minh Khuê
"""


@pytest.fixture(scope="module")
def kb_decision(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_doc_replaces", "22-qd45-hoavang-cho-dem.txt", BODY)


# --------------------------------------------------------------------------- pure


def test_what_it_replaces_is_a_fact_of_the_document():
    assert document_facts("Quyết định 45/2026/QĐ-UBND thay thế quyết định nào?") == ("replaces",)
    assert document_facts("qd 45 bai bo van ban nao") == ("replaces",)
    assert classify("Quyết định 45/2026/QĐ-UBND thay thế văn bản nào?").kind == "document"


def test_the_kind_a_basis_question_asks_for():
    assert basis_kind("Quyết định 45 căn cứ luật nào?") == "luat"
    assert basis_kind("Kế hoạch thực hiện quyết định nào của Thủ tướng?") == "quyet dinh"
    assert basis_kind("qd 45 can cu nghi dinh nao cua chinh phu") == "nghi dinh"
    assert basis_kind("Kế hoạch căn cứ vào những văn bản nào?") is None


# --------------------------------------------------------------------------- answers


def test_the_replacing_clause_is_cited_first(kb_decision):
    out = kb_decision.ask("Quyết định 45/2026/QĐ-UBND thay thế quyết định nào?")
    assert out.found and out.intent == "document"
    assert out.citations[0].text.startswith("Quyết định này thay thế Quyết định số 12/2019/QĐ-UBND")
    assert "12/2019/QĐ-UBND" in out.answer


def test_the_effect_sentence_not_the_article_title(kb_decision):
    out = kb_decision.ask("Quyết định 45/2026/QĐ-UBND có hiệu lực từ ngày nào?")
    assert out.citations[0].text.startswith("Quyết định này có hiệu lực thi hành từ ngày 20 tháng 3 năm 2026")
    assert "20 tháng 3 năm 2026" in out.answer


def test_the_basis_line_of_the_kind_asked(kb_decision):
    out = kb_decision.ask("Quyết định 45/2026/QĐ-UBND căn cứ luật nào?")
    assert out.citations[0].text.startswith("Căn cứ Luật Thương mại")
    decree = kb_decision.ask("Quyết định 45/2026/QĐ-UBND căn cứ nghị định nào?")
    assert decree.citations[0].text.startswith("Căn cứ Nghị định số 60/2024/NĐ-CP")


def test_the_recipients_asked_with_owner_words(kb_decision):
    # "cơ quan nào" and "gửi" read as an owner question's who and role: the recipients still answer, alone
    out = kb_decision.ask("Quyết định 45/2026/QĐ-UBND gửi những cơ quan nào?")
    assert [c.kind for c in out.citations] == ["recipients"]
    assert "Bộ Công Thương" in out.answer


GAZETTE = """THỦ TƯỚNG CHÍNH PHỦ
______________
Số: 912/QĐ-TTg
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 04 tháng 5 năm 2026

QUYẾT ĐỊNH
Kiện toàn Tổ công tác về chợ đêm

THỦ TƯỚNG CHÍNH PHỦ
Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
QUYẾT ĐỊNH:
Điều 1. Kiện toàn Tổ công tác về chợ đêm do Bộ trưởng Bộ Công Thương làm Tổ trưởng.
Điều 2. Các Bộ trưởng và Chủ tịch Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành Quyết định này./.


THỦ TƯỚNG
[

Đào Minh Khuê
"""


@pytest.fixture(scope="module")
def kb_gazette(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_doc_gazette", "23-qd912-ttg-cho-dem.txt", GAZETTE)


def test_the_signer_closing_a_clause_of_a_gazette_text(kb_gazette):
    """A gazette's text layer leaves "THỦ TƯỚNG / [ / name" at the end of the last article: the name is found
    under its position and cited as exact source text."""
    out = kb_gazette.ask("Quyết định 912/QĐ-TTg do ai ký?")
    assert out.found and "Đào Minh Khuê" in out.answer
    top = out.citations[0]
    assert top.text.startswith("THỦ TƯỚNG") and top.text.endswith("Đào Minh Khuê")
    assert kb_gazette.store().source(top.doc_id)[top.start:top.end] == top.text
