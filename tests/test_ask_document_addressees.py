"""Questions about a document itself, asked the ways officials ask them (round 22, h22-docq).

Synthetic: the texts below are made up by the tracuu team (the ministries, provinces, groups and people
do not exist as written here). A công điện names whom it is sent to in the lines after "THỦ TƯỚNG CHÍNH PHỦ
điện:" and its "Nơi nhận" opens "- Như trên;": "gửi những ai" cites those lines first, then the "Nơi nhận";
a question that names the "Nơi nhận" cites it first. "gửi những tập đoàn nào", "có gửi Bộ X không" ask the
recipients too. "… theo đề nghị của cơ quan nào" cites the "Theo đề nghị …" line, not a "Căn cứ" line that
shares more of the question's words. "… giai đoạn nào" is answered by the title that names the period.
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import document_facts
from tracuu.index.query.intent import detect_intent

WIRE = """THỦ TƯỚNG CHÍNH PHỦ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 917/CĐ-TTg
Hà Nội, ngày 09 tháng 3 năm 2027
CÔNG ĐIỆN
VỀ VIỆC BẢO VỆ VƯỜN ƯƠM CÂY BẢN ĐỊA MÙA KHÔ
THỦ TƯỚNG CHÍNH PHỦ điện:
- Bộ trưởng Bộ Thử nghiệm xanh;
- Chủ tịch Ủy ban nhân dân các tỉnh Bắc Sơn, Nam Sơn;
- Chủ tịch Tập đoàn Giống cây Xanh Lam.
Mùa khô năm 2027 đến sớm, nhiều vườn ươm cây bản địa thiếu nước tưới.
1. Bộ Thử nghiệm xanh chủ trì kiểm tra các vườn ươm, báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 3 năm 2027.
2. Ủy ban nhân dân các tỉnh Bắc Sơn, Nam Sơn bố trí nguồn nước tưới cho vườn ươm.
Nơi nhận:
- Như trên;
- Văn phòng Trung ương Đảng;
- Lưu: VT, NN.
THỦ TƯỚNG
Lê Văn Mẫu
"""

DECISION = """ỦY BAN NHÂN DÂN TỈNH BẮC SƠN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 73/QĐ-UBND
Bắc Sơn, ngày 12 tháng 4 năm 2027
QUYẾT ĐỊNH
BAN HÀNH KẾ HOẠCH PHÁT TRIỂN VƯỜN ƯƠM CÂY BẢN ĐỊA GIAI ĐOẠN 2027 - 2031
ỦY BAN NHÂN DÂN TỈNH BẮC SƠN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Quyết định số 88/QĐ-TTg ngày 14 tháng 2 năm 2026 của Thủ tướng Chính phủ phê duyệt Đề án quản lý cơ quan vườn ươm;
Theo đề nghị của Giám đốc Sở Thử nghiệm xanh tại Tờ trình số 15/TTr-STX ngày 02 tháng 4 năm 2027.
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển vườn ươm cây bản địa giai đoạn 2027 - 2031.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.
Nơi nhận:
- Bộ Thử nghiệm xanh (b/c);
- Các tập đoàn: Giống cây Xanh Lam, Hạt giống Bắc Sơn;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Mẫu
"""

#: The decision as a text layer that leaves out its "Nơi nhận" (a gazette's body text): number 74, no recipients.
DECISION_WITHOUT_RECIPIENTS = DECISION.replace("Số: 73/QĐ-UBND", "Số: 74/QĐ-UBND").split("Nơi nhận:")[0] + (
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Văn Mẫu\n")


@pytest.fixture(scope="module")
def kb_addressed(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_addressed", [("51-cd917-ttg-vuon-uom.txt", WIRE),
                                                            ("52-qd73-bac-son-vuon-uom.txt", DECISION),
                                                            ("53-qd74-bac-son-vuon-uom.txt", DECISION_WITHOUT_RECIPIENTS)])


@pytest.mark.parametrize("question", ["Thông báo 634 gửi những tập đoàn nào?", "kh 308 ha noi gui bo nao",
                                      "Kế hoạch 141 có gửi Bộ Tư pháp không?"])
def test_whom_it_is_sent_to_asked_by_kind_or_name(question):
    assert "recipients" in document_facts(question)
    found = detect_intent(question)
    assert found is not None and found.kind == "recipients"


def test_a_task_sent_somewhere_is_not_the_documents_recipients():
    question = "Theo Kế hoạch 141, UBND xã gửi báo cáo về sở nào?"
    assert "recipients" not in document_facts(question) and detect_intent(question) is None


def test_a_cong_dien_is_sent_to_the_lines_after_dien(kb_addressed):
    a = kb_addressed.ask("Công điện 917/CĐ-TTg gửi những ai?")
    assert a.found and a.citations[0].text.startswith("- Bộ trưởng Bộ Thử nghiệm xanh")
    assert "Chủ tịch Tập đoàn Giống cây Xanh Lam" in a.citations[0].text  # the addressee lines, cited as one part
    assert "Chủ tịch Tập đoàn Giống cây Xanh Lam" in a.answer
    assert any(c.clause_id.endswith(":recipients") for c in a.citations)
    named = kb_addressed.ask("Nơi nhận của Công điện 917/CĐ-TTg gồm những ai?")
    assert named.citations[0].clause_id.endswith(":recipients")


def test_sent_to_which_groups(kb_addressed):
    a = kb_addressed.ask("Quyết định 73/QĐ-UBND gửi những tập đoàn nào?")
    assert a.found and "Giống cây Xanh Lam, Hạt giống Bắc Sơn" in a.citations[0].text


def test_who_proposed_is_the_proposal_line(kb_addressed):
    a = kb_addressed.ask("Quyết định 73/QĐ-UBND ban hành theo đề nghị của cơ quan nào?")
    assert a.found and a.citations[0].text.startswith("Theo đề nghị của Giám đốc Sở Thử nghiệm xanh")


def test_the_period_is_the_titles(kb_addressed):
    a = kb_addressed.ask("Kế hoạch vườn ươm của Quyết định 73/QĐ-UBND thuộc giai đoạn nào?")
    assert a.found and "GIAI ĐOẠN 2027 - 2031" in a.citations[0].text


def test_a_text_without_recipients_says_so(kb_addressed):
    """Not the document's first clause cited as if it were the list: the text names no one, and the answer says so."""
    a = kb_addressed.ask("Quyết định 74/QĐ-UBND gửi những ai?")
    assert not a.found and a.citations == []
    assert "không ghi nơi nhận" in a.answer and "74/QĐ-UBND" in a.answer
