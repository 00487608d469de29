"""Which document, and which of its lines, a question about a document itself cites first.

Synthetic documents made up by the tracuu team (a province "Hòa Vang" and signers that do not
exist): two plans and a decision of one province. A question naming the kind, the place and a
few title words ("Kế hoạch về dân số của Hòa Vang do ai ký?") is answered with the facts of the
plan it means, not of every plan of the province in the order they were stored; "… phê duyệt
gì?" cites the decision's Điều 1; "… theo đề nghị của sở nào?" and "… căn cứ luật nào về …"
cite the basis line asked about, not the first "Căn cứ".
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import document_facts

from tests.synthetic_head import HOA_VANG_HEAD

POOR = HOA_VANG_HEAD + """Số: 31/KH-UBND
Hòa Vang, ngày 02 tháng 3 năm 2026

KẾ HOẠCH

GIÁM SÁT CHƯƠNG TRÌNH GIẢM NGHÈO TRÊN ĐỊA BÀN TỈNH HÒA VANG NĂM 2026

Căn cứ Quyết định số 901/QĐ-UBND ngày 05 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh về giảm nghèo;

I. MỤC ĐÍCH

1. Theo dõi kết quả giảm nghèo tại các xã, phường.

Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lý Văn Một
"""

PEOPLE = HOA_VANG_HEAD + """Số: 32/KH-UBND
Hòa Vang, ngày 09 tháng 3 năm 2026

KẾ HOẠCH

THỰC HIỆN CÔNG TÁC DÂN SỐ TRONG TÌNH HÌNH MỚI

Căn cứ Quyết định số 902/QĐ-UBND ngày 06 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh về công tác dân số;

I. MỤC ĐÍCH

1. Duy trì mức sinh thay thế trên địa bàn tỉnh.

Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đinh Thị Hai
"""

DECISION = HOA_VANG_HEAD + """Số: 33/QĐ-UBND
Hòa Vang, ngày 16 tháng 3 năm 2026

QUYẾT ĐỊNH

PHÊ DUYỆT ĐỀ ÁN TRỒNG RỪNG VEN BIỂN TỈNH HÒA VANG

ỦY BAN NHÂN DÂN TỈNH HÒA VANG

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;

Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;

Theo đề nghị của Sở Nông nghiệp và Môi trường tại Tờ trình số 44/TTr-SNNMT ngày 10 tháng 3 năm 2026.

QUYẾT ĐỊNH:

Điều 1. Phê duyệt Đề án trồng rừng ven biển tỉnh Hòa Vang với diện tích 500 ha.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lý Văn Một
"""


@pytest.fixture(scope="module")
def kb_rank(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_doc_rank", [
        ("31-kh31-hoavang-giam-ngheo.txt", POOR),
        ("32-kh32-hoavang-dan-so.txt", PEOPLE),
        ("33-qd33-hoavang-trong-rung.txt", DECISION),
    ])


# --------------------------------------------------------------------------- pure


def test_what_a_decision_decides_and_its_proposal_are_document_facts():
    assert document_facts("Quyết định 33 phê duyệt đề án gì?") == ("decides",)
    assert document_facts("Quyết định 33 ban hành kèm theo văn bản gì?") == ("decides",)
    assert "basis" in document_facts("Quyết định 33 được ban hành theo đề nghị của sở nào?")
    assert document_facts("Quyết định 33 căn cứ luật lâm nghiệp nào?") == ("basis",)  # "căn cứ … nào"
    assert "basis" not in document_facts("Sở nào chủ trì nhiệm vụ trồng rừng?")


# --------------------------------------------------------------------------- the knowledge base


def _first(answer) -> str:
    assert answer.found and answer.citations, answer.answer
    return answer.citations[0].clause_id


def test_plan_named_by_place_and_title_words_is_the_one_answered(kb_rank):
    # "dân" of "dân số" is in every issuer ("Ủy ban nhân dân"): the title tells the plans apart
    for q in ("Kế hoạch về dân số của Hòa Vang do ai ký?", "ke hoach dan so hoa vang do ai ky"):
        a = kb_rank.ask(q)
        assert "Đinh Thị Hai" in a.answer and "Lý Văn Một" not in a.answer, a.answer
        assert a.citations[0].doc_id.startswith("32-"), a.citations[0].clause_id
    a = kb_rank.ask("Kế hoạch về dân số của Hòa Vang ban hành ngày nào?")
    assert a.citations[0].doc_id.startswith("32-") and "09 tháng 3 năm 2026" in a.citations[0].text


def test_what_the_decision_decides_cites_article_one(kb_rank):
    a = kb_rank.ask("Quyết định 33/QĐ-UBND của Hòa Vang phê duyệt đề án gì?")
    assert _first(a).endswith(":D1") and "500 ha" in a.citations[0].text


def test_the_basis_line_asked_about_is_cited_first(kb_rank):
    a = kb_rank.ask("Quyết định 33/QĐ-UBND được ban hành theo đề nghị của sở nào?")
    assert a.citations[0].text.startswith("Theo đề nghị của Sở Nông nghiệp"), a.citations[0].text
    assert "Sở Nông nghiệp và Môi trường" in a.answer
    a = kb_rank.ask("Quyết định 33/QĐ-UBND căn cứ luật nào về lâm nghiệp?")
    assert a.citations[0].text.startswith("Căn cứ Luật Lâm nghiệp"), a.citations[0].text
