"""The facts of a document whose header block gave none, read by ingest from its opening clauses, cited from them.

Synthetic: three texts made up by the tracuu team (ministries, projects, provinces and people that do not
exist as written here). A docx conversion writes a decision's header as pipe-table rows ("| BỘ … ------- |
CỘNG HÒA … |", "| Số: 57/QĐ-BTX | *Hà Nội, ngày 03 tháng 5 năm 2021* |"); a PDF text layer of a Party
programme leaves the number and the day blank ("TỈNH UỶ BẮC SƠN * Số -CTr/TU", "Bắc Sơn, ngày   tháng 6
năm 2026"); a plan kept without the decision that issues it (a repository's note line above its layout
header) opens with "(Kèm theo Quyết định số … Ngày … của …)". The header block gives none of the last two:
ingest reads their number, date and issuer from those lines into the header (tests/test_header_opening.py);
"ngày nào", "số", "cơ quan nào ban hành" are answered citing the lines that write them first, and
"… theo đề nghị của ai" from the "*Căn cứ …*" lines. The pipe-table header, and the signature in a pipe
row's last cell ("| *Nơi nhận:* … | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Trần Văn Mẫu |"), are read by ingest since
session 30 (tests/test_markdown_layout_header.py): that decision's facts come from its header, cited first.
"""

from __future__ import annotations

import pytest

from tests.synthetic_head import BAC_SON_PROGRAMME, PLAN_KEPT_WITH_ITS_DECISION

DECISION = """| BỘ THỬ NGHIỆM XANH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  --------------- |
| --- | --- |
| Số: 57/QĐ-BTX | *Hà Nội, ngày 03 tháng 5 năm 2021* |
QUYẾT ĐỊNH
PHÊ DUYỆT DỰ ÁN THÍ ĐIỂM VƯỜN ƯƠM CÂY BẢN ĐỊA
BỘ TRƯỞNG BỘ THỬ NGHIỆM XANH
*Căn cứ Nghị định số 11/2020/NĐ-CP ngày 02 tháng 01 năm 2020 của Chính phủ về vườn ươm;*
*Xét đề nghị của Cục trưởng Cục Cây giống,*
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Dự án thí điểm vườn ươm cây bản địa với tổng mức vốn 1.200.000 USD.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
| *Nơi nhận:* - Như Điều 2; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Trần Văn Mẫu |
| --- | --- |"""

PROGRAMME = BAC_SON_PROGRAMME

PLAN = PLAN_KEPT_WITH_ITS_DECISION


@pytest.fixture(scope="module")
def kb_opening(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_opening", [("41-qd57-btx-vuon-uom.txt", DECISION),
                                                          ("42-ctr-bac-son-vuon-uom.txt", PROGRAMME),
                                                          ("43-kh-vuon-uom-kem-qd88.txt", PLAN)])


def _doc(kb, stem: str) -> str:
    return next(d for d in kb.store().list_ids() if stem in d)


def test_a_pipe_table_header_gives_the_date_and_number_cited_first(kb_opening):
    a = kb_opening.ask("Quyết định 57/QĐ-BTX ban hành ngày nào?")
    assert a.found and "03 tháng 5 năm 2021" in a.answer
    assert "Số: 57/QĐ-BTX" in a.citations[0].text
    assert "Bộ Thử nghiệm xanh" in a.answer  # the issuer: the capitals before the national motto
    signed = kb_opening.ask("Quyết định 57/QĐ-BTX do ai ký?")
    assert "Trần Văn Mẫu" in signed.answer and "Trần Văn Mẫu" in signed.citations[0].text


def test_the_basis_lines_in_emphasis_marks_answer_who_proposed(kb_opening):
    a = kb_opening.ask("Quyết định 57/QĐ-BTX ban hành theo đề nghị của ai?")
    assert a.found and "Xét đề nghị của Cục trưởng Cục Cây giống" in a.citations[0].text


def test_a_text_layer_with_a_blank_day_says_the_month_as_written(kb_opening):
    doc = _doc(kb_opening, "bac-son")
    a = kb_opening.ask("Chương trình hành động vườn ươm cây bản địa của Tỉnh ủy Bắc Sơn do cơ quan nào ban hành?")
    assert a.found and "Tỉnh ủy Bắc Sơn" in a.answer
    assert a.citations[0].doc_id == doc and "TỈNH UỶ BẮC SƠN" in a.citations[0].text
    header = kb_opening.store().get(doc).header  # read by ingest from the opening lines (test_header_opening.py)
    assert header.number is None and header.date is None  # blank in the text: never made up
    assert header.date_as_written == "Bắc Sơn, ngày tháng 6 năm 2026" and header.issuer == "Tỉnh ủy Bắc Sơn"
    assert any(d.issuer == "Tỉnh ủy Bắc Sơn" for d in kb_opening.documents())  # the catalog sees it too


def test_a_plan_kept_without_its_decision_is_dated_and_issued_by_the_line_it_goes_with(kb_opening):
    a = kb_opening.ask("Kế hoạch phát triển vườn ươm cây bản địa giai đoạn 2026 - 2030 ban hành ngày nào?")
    assert a.found and "Kèm theo Quyết định số 88/QĐ-TTg" in a.citations[0].text
    assert "2026-02-14" in a.answer or "14/2/2026" in a.answer
    b = kb_opening.ask("Ai ban hành Kế hoạch phát triển vườn ươm cây bản địa giai đoạn 2026 - 2030?")
    assert b.found and "Thủ tướng Chính phủ" in b.answer
    assert "Kèm theo Quyết định số 88/QĐ-TTg" in b.citations[0].text


def test_a_header_block_is_cited_not_the_opening_lines(kb_opening):
    from tracuu.api.doc_parts import opening_lines

    for doc_id in kb_opening.store().list_ids():
        doc = kb_opening.store().get(doc_id)
        if any(p.get("kind") == "header" for p in doc.other_parts):
            assert not opening_lines(doc)  # the bundled corpus's headers: their block is what is cited
    plan = kb_opening.store().get(_doc(kb_opening, "kem-qd88"))
    lines = opening_lines(plan)  # the plan: the "(Kèm theo …)" line writes its date
    assert lines.at["date"] is lines.at["annexed"] and "Ngày 14 tháng 2 năm 2026" in lines.at["date"].text
