"""What a document carries out, asked with any kind of document: "… thực hiện thông tri nào của Tỉnh ủy?",
"… thực hiện kết luận nào của Bộ Chính trị?".

Synthetic: the plan and the directive below are made up by the tracuu team (a province "Hòa Vang", its plan on a
children's month, its directive on night markets, their numbers and signers do not exist). The plan's preamble
repeats its own title in the sentence that issues it, after a line "Thực hiện Thông tri số …"; the directive opens
with two "Thực hiện …" paragraphs, the second naming a Kết luận. "thực hiện quyết định / chỉ thị / nghị quyết / kế
hoạch nào" was read as the basis asked; "thực hiện <any other kind> nào" was not: the plan's question (named by its
subject only) was answered with the issuing sentence (it repeats the title the question paraphrases) and the line
that answers second, the directive's (named by number and date) refused.

A letter of a made-up steering board, kept without its header (number from its file name, "cv77"), shares the
plan's number 77 and opens "Kính gửi: … Thực hiện Kết luận số …" (the lines joined into one paragraph). "Công văn
77 …" names the letter first (the plan is a Kế hoạch, which "công văn", fitting any type, also names); its basis is
that opening paragraph; answering both documents, each one's part that states what is asked comes before the others.
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import carried_phrases, classify, document_facts, title_words

from tests.synthetic_head import HOA_VANG_HEAD

PLAN = HOA_VANG_HEAD + """Số: 77/KH-UBND
Hòa Vang, ngày 12 tháng 3 năm 2026

KẾ HOẠCH

TỔ CHỨC THÁNG HÀNH ĐỘNG VÌ TRẺ EM NĂM 2026 TRÊN ĐỊA BÀN TỈNH HÒA VANG

Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;

Căn cứ Quyết định số 401/QĐ-TTg ngày 02 tháng 3 năm 2021 của Thủ tướng Chính phủ phê duyệt Chương trình bảo vệ trẻ em;

Thực hiện Thông tri số 05-TT/TU ngày 20 tháng 02 năm 2026 của Tỉnh ủy Hòa Vang về lãnh đạo tổ chức Tháng hành động vì trẻ em;

Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức Tháng hành động vì trẻ em năm 2026 trên địa bàn tỉnh Hòa Vang như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức của gia đình và cộng đồng về quyền trẻ em.

2. Sở Y tế chủ trì tổ chức các hoạt động truyền thông về chăm sóc trẻ em trong tháng 6 năm 2026.

Nơi nhận:
- Sở Y tế;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đào Minh Khuê
"""

DIRECTIVE = HOA_VANG_HEAD + """Số: 07/CT-UBND
Hòa Vang, ngày 30 tháng 3 năm 2026

CHỈ THỊ

VỀ TĂNG CƯỜNG QUẢN LÝ CHỢ ĐÊM TRÊN ĐỊA BÀN TỈNH HÒA VANG

Thực hiện chủ trương của Đảng về phát triển thương mại, những năm qua các chợ đêm của tỉnh đã tăng nhanh về số lượng.

Thực hiện Kết luận số 88-KL/TW ngày 10 tháng 3 năm 2026 của Bộ Chính trị về phát triển thương mại nội địa, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:

1. Sở Công Thương chủ trì rà soát các chợ đêm trên địa bàn tỉnh trong quý II năm 2026.

Nơi nhận:
- Sở Công Thương;
- Lưu: VT.
CHỦ TỊCH
Đào Minh Khuê
"""


LETTER = """Kính gửi: Các đồng chí Giám đốc Sở, ngành tỉnh
Thực hiện Kết luận số 90-KL/TW ngày 02/4/2026 của Bộ Chính trị, Ban Chỉ đạo chợ đêm tỉnh đề nghị các sở, ngành:

1. Rà soát các điểm chợ đêm tự phát trên địa bàn trước ngày 30/6/2026.

2. Báo cáo kết quả rà soát về Sở Công Thương trước ngày 15/7/2026.

Nơi nhận:
- Như trên;
- Lưu: VT.
KT. TRƯỞNG BAN
PHÓ TRƯỞNG BAN
Đào Minh Khuê
"""


@pytest.fixture(scope="module")
def kb_carried(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_carried_basis", [("31-kh77-hoavang-thang-tre-em.txt", PLAN),
                                                                 ("32-ct07-hoavang-cho-dem.txt", DIRECTIVE),
                                                                 ("x9-33-cv77-bcd-cho-dem.txt", LETTER)])


# --------------------------------------------------------------------------- pure


def test_carrying_out_any_kind_of_document_asks_the_basis():
    assert document_facts("Kế hoạch tháng hành động vì trẻ em thực hiện thông tri nào của Tỉnh ủy?") == ("basis",)
    assert document_facts("Chỉ thị 07/CT-UBND thực hiện kết luận nào của Bộ Chính trị?") == ("basis",)
    assert document_facts("ct 07 trien khai cong van nao") == ("basis",)
    assert classify("Chỉ thị 07/CT-UBND ngày 30/3/2026 thực hiện kết luận nào của Bộ Chính trị?").kind == "document"
    # carrying out a named document is not asked ("Kế hoạch thực hiện Kết luận 88 do ai ký?"), nor a task's own work
    assert "basis" not in document_facts("Kế hoạch thực hiện Kết luận 88 do ai ký?")
    assert "basis" not in document_facts("Sở nào chủ trì thực hiện nhiệm vụ rà soát chợ đêm?")


def test_the_carry_out_phrase_is_no_title_word():
    q = "Kế hoạch tháng hành động vì trẻ em thực hiện thông tri nào của Tỉnh ủy?"
    assert carried_phrases(q) == ["thuc hien thong tri nao"]
    assert not {"thuc", "hien", "thong", "tri"} & set(title_words(q))


# --------------------------------------------------------------------------- answers


def test_the_line_it_carries_out_is_cited_first_for_a_plan_named_by_its_subject(kb_carried):
    out = kb_carried.ask("Kế hoạch tháng hành động vì trẻ em năm 2026 của tỉnh thực hiện thông tri nào của Tỉnh ủy?")
    assert out.found and out.intent == "document"
    assert out.citations[0].text.startswith("Thực hiện Thông tri số 05-TT/TU")
    assert "05-TT/TU" in out.answer


def test_the_conclusion_a_directive_carries_out(kb_carried):
    out = kb_carried.ask("Chỉ thị số 07/CT-UBND ngày 30/3/2026 thực hiện kết luận nào của Bộ Chính trị?")
    assert out.found and out.intent == "document"
    assert out.citations[0].text.startswith("Thực hiện Kết luận số 88-KL/TW")
    assert "88-KL/TW" in out.answer


def test_the_letter_named_by_its_kind_and_its_addressed_opening_line(kb_carried):
    out = kb_carried.ask("cong van 77 cua ban chi dao thuc hien ket luan nao")
    assert out.found and out.intent == "document"
    assert out.citations[0].text.startswith("Kính gửi") and "Thực hiện Kết luận số 90-KL/TW" in out.citations[0].text
    assert "90-KL/TW" in out.answer


def test_each_document_sharing_the_number_cites_what_is_asked_first(kb_carried):
    out = kb_carried.ask("Văn bản 77 do ai ký?")
    assert [c.kind for c in out.citations[:2]] == ["signature", "signature"]
    assert len({c.doc_id for c in out.citations[:2]}) == 2


def test_a_kinh_gui_or_dong_kinh_gui_paragraph_carrying_out_a_conclusion_is_a_basis():
    """Synthetic lines: one "Kính gửi"/"Đồng kính gửi" reading (api.doc_parts.ADDRESSED) serves the addressee list and
    the basis paragraph of a letter; a plain addressee line is no basis."""
    from tracuu.api.intent_answers import _addressed_basis

    assert _addressed_basis("Kính gửi: Các sở, ban, ngành tỉnh. Thực hiện Kết luận số 99-KL/TU của Tỉnh ủy")
    assert _addressed_basis("Đồng kính gửi: Ủy ban nhân dân các huyện. Thực hiện Kế hoạch số 12/KH-UBND")
    assert not _addressed_basis("Kính gửi: Các sở, ban, ngành tỉnh.")
