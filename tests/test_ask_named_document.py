"""Which document a question names, and which of its parts answers first (round 16, issue 11).

Synthetic documents made up by the tracuu team (the made-up province "Hòa Vang", signers that do
not exist): a decision that issues a plan, which officials name as the plan ("Kế hoạch phát triển
chè của Hòa Vang ban hành ngày nào?"); a plan named by its number, which a question about it must not swap for
that decision; a telegram sent to some bodies ("Công điện 7 gửi những
ai?" asks its recipients, not who sends a report); a plan whose "MỤC TIÊU" holds three points, of
which a question about one value asks the one that states it.
"""

from __future__ import annotations

import pytest
from tracuu.api.doc_sections import AskedSection, point_asked
from tracuu.api.intent_answers import _issued_kind, _kind_fits
from tracuu.index.query.intent import detect_intent
from tracuu.ingest.model import Clause, Span

from tests.synthetic_head import HOA_VANG_HEAD

TEA = HOA_VANG_HEAD + """Số: 41/QĐ-UBND
Hòa Vang, ngày 12 tháng 2 năm 2026

QUYẾT ĐỊNH

VỀ VIỆC BAN HÀNH KẾ HOẠCH THỰC HIỆN ĐỀ ÁN PHÁT TRIỂN CÂY CHÈ TỈNH HÒA VANG GIAI ĐOẠN 2026 - 2030

ỦY BAN NHÂN DÂN TỈNH HÒA VANG

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển cây chè tỉnh Hòa Vang giai đoạn 2026 - 2030.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lý Văn Ba

KẾ HOẠCH

PHÁT TRIỂN CÂY CHÈ TỈNH HÒA VANG GIAI ĐOẠN 2026 - 2030

I. MỤC TIÊU

1. Mở rộng vùng chè an toàn ở các xã vùng cao.

2. Nâng chất lượng chè búp khô cho thị trường trong tỉnh.

3. Phấn đấu giá trị chè xuất bán đến năm 2030 đạt 90 tỷ đồng mỗi năm.

II. TỔ CHỨC THỰC HIỆN

1. Sở Nông nghiệp và Môi trường chủ trì theo dõi việc thực hiện Kế hoạch.
"""

PEOPLE = HOA_VANG_HEAD + """Số: 8/KH-UBND
Hòa Vang, ngày 02 tháng 3 năm 2026

KẾ HOẠCH

THỰC HIỆN CÔNG TÁC DÂN SỐ TRÊN ĐỊA BÀN TỈNH

Thực hiện Chỉ thị số 77/CT-TTg ngày 01 tháng 12 năm 2025 của Thủ tướng Chính phủ về công tác dân số;

I. MỤC ĐÍCH

1. Duy trì mức sinh thay thế.

Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đinh Thị Năm
"""

WIRE = HOA_VANG_HEAD + """Số: 7/CĐ-UBND
Hòa Vang, ngày 20 tháng 2 năm 2026

CÔNG ĐIỆN

VỀ VIỆC CHỦ ĐỘNG ỨNG PHÓ MƯA LỚN

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:
- Giám đốc các sở, ngành;
- Chủ tịch Ủy ban nhân dân các xã, phường.

1. Các sở, ngành theo dõi sát diễn biến mưa lớn, gửi báo cáo về Sở Nông nghiệp và Môi trường trước 16 giờ hằng ngày.

2. Ủy ban nhân dân các xã kiểm tra hồ đập, sơ tán dân khi cần.

Nơi nhận:
- Như trên;
- Ban Chỉ huy phòng thủ dân sự tỉnh;
- Lưu: VT.
CHỦ TỊCH
Đỗ Văn Bốn
"""


# --------------------------------------------------------------------------- pure


def test_whom_a_document_is_sent_to_is_a_recipients_question():
    for q in ("Công điện 7/CĐ-UBND gửi những ai?", "cong dien 7 hoa vang gui nhung ai", "CT 9 gửi những đơn vị nào?",
              "Kế hoạch 5 gửi những nơi nào?"):
        found = detect_intent(q)
        assert found is not None and found.kind == "recipients", q


def test_a_decision_issuing_a_plan_is_named_as_the_plan():
    assert _issued_kind("VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN CÂY CHÈ") == "ke hoach"
    assert _issued_kind("Phê duyệt Đề án đào tạo nhân lực") == "de an"
    assert _issued_kind("Kiện toàn Ban Chỉ đạo") is None
    assert _kind_fits("kh", "Quyết định", "BAN HÀNH KẾ HOẠCH PHÁT TRIỂN CÂY CHÈ")
    assert _kind_fits("quyet dinh", "Quyết định", "BAN HÀNH KẾ HOẠCH PHÁT TRIỂN CÂY CHÈ")
    assert not _kind_fits("chi thi", "Quyết định", "BAN HÀNH KẾ HOẠCH PHÁT TRIỂN CÂY CHÈ")


def _c(path: str, text: str, order: int, parent: str | None = None) -> Clause:
    return Clause(clause_id=f"d:{path}", doc_id="d", path=path, kind="khoan" if parent else "muc", label=path,
                  marker="", text=text, heading_chain=[], parent=parent, order=order, span=Span(0, 1, 1, 1))


GOALS = AskedSection(_c("I", "MỤC TIÊU", 0), (
    _c("I.1", "Mở rộng vùng chè an toàn ở các xã vùng cao.", 1, "I"),
    _c("I.2", "Nâng chất lượng và giá trị chè búp khô cho thị trường trong tỉnh.", 2, "I"),
    _c("I.3", "Phấn đấu giá trị chè xuất bán đến năm 2030 đạt 90 tỷ đồng mỗi năm.", 3, "I")), 1.0, 2, False)
NAMING = "Quyết định 41/QĐ-UBND Ủy ban nhân dân tỉnh Hòa Vang ban hành Kế hoạch phát triển cây chè giai đoạn 2026 - 2030"


def test_the_point_a_question_asks_beyond_the_part_comes_first():
    point = point_asked(GOALS, "Hòa Vang đặt mục tiêu giá trị chè đến năm 2030 là bao nhiêu?", NAMING)
    assert point is not None and point.path == "I.3"  # "giá trị" is in I.2 too: the year tells them apart
    assert point_asked(GOALS, "Kế hoạch phát triển cây chè của Hòa Vang có mục tiêu gì?", NAMING) is None


# --------------------------------------------------------------------------- the knowledge base


@pytest.fixture(scope="module")
def kb_named(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_named", [
        ("41-qd41-hoavang-che.txt", TEA),
        ("07-cd7-hoavang-mua-lon.txt", WIRE),
        ("08-kh8-hoavang-dan-so.txt", PEOPLE),
    ])


def test_the_plan_a_decision_issues_is_answered_with_the_decision_header(kb_named):
    a = kb_named.ask("Kế hoạch phát triển cây chè của Hòa Vang ban hành ngày nào?")
    assert a.found and a.citations[0].clause_id.endswith(":header"), [c.clause_id for c in a.citations]
    assert "12 tháng 2 năm 2026" in a.citations[0].text


def test_whom_a_telegram_is_sent_to_cites_its_addressees_then_its_recipients(kb_named):
    # the lines after "… điện:" are whom it is sent to ("Nơi nhận" opens "- Như trên;"): cited first (round 22)
    a = kb_named.ask("Công điện 7/CĐ-UBND gửi những ai?")
    ids = [c.clause_id for c in a.citations]
    assert a.found and a.citations[0].text.startswith("- Giám đốc các sở, ngành"), ids
    assert any(i.endswith(":recipients") for i in ids), ids


def test_a_plan_named_by_number_is_not_answered_with_a_decision_whose_title_says_more(kb_named):
    # the decision 41 "ban hành Kế hoạch …" is of the kind asked, and its title holds "ban hành":
    # the plan named by its number is still the one answered
    a = kb_named.ask("KH 8 Hòa Vang được ban hành để thực hiện văn bản nào?")
    assert a.found and a.citations[0].doc_id.startswith("8-kh-"), [c.clause_id for c in a.citations]
    assert "77/CT-TTg" in a.answer
