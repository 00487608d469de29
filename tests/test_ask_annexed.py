"""Which document an annex goes with, and the facts of a text kept from its annex on.

Synthetic: two annexes made up by the tracuu team (resolutions, markets and projects that do not exist),
each kept from its heading on as a gazette's annex pages are: no header, a heading "Phụ lục …" whose
last line says "(Kèm theo Nghị quyết số … ngày … của Chính phủ)", then a table. An official asks "Phụ
lục … kèm theo nghị quyết nào?", "Đề án … ban hành theo quyết định nào?", or names the resolution by
number and asks when it was issued: the answer cites that annex heading (it is the only line that says
so), never a row of the table.
"""

from __future__ import annotations

import pytest
from tracuu.api.intent_answers import asks_by_annex
from tracuu.index.query.ask_intent import classify, document_facts

MARKETS = """PHỤ LỤC II
DANH MỤC CÁC DỰ ÁN ƯU TIÊN CẢI TẠO CHỢ ĐÊM VÙNG DUYÊN HẢI
GIAI ĐOẠN 2026 - 2030
(Kèm theo Nghị quyết số 77/NQ-CP ngày 12 tháng 3 năm 2026 của Chính phủ)
STT | Tên dự án | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện
I | NHÓM DỰ ÁN HẠ TẦNG CHỢ ĐÊM
1 | Cải tạo mái che và lối thoát hiểm của các chợ đêm ven biển | Bộ Công Thương | Ủy ban nhân dân các tỉnh ven biển | 2026 - 2027
2 | Lắp đặt hệ thống đèn chiếu sáng tiết kiệm năng lượng tại chợ đêm | Bộ Công Thương | Bộ Xây dựng | 2027 - 2028
II | NHÓM DỰ ÁN QUẢN LÝ
1 | Xây dựng cơ sở dữ liệu tiểu thương chợ đêm | Bộ Công Thương | Bộ Tài chính | 2026 - 2030
"""

LIGHTHOUSES = """Phụ lục I
NHIỆM VỤ BẢO TRÌ HẢI ĐĂNG VÀ TRẠM TÍN HIỆU HÀNG HẢI
(Kèm theo Nghị quyết số 81/NQ-CP ngày 02 tháng 4 năm 2026 của Chính phủ)
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn
1 | Kiểm tra định kỳ đèn hải đăng trên các đảo | Bộ Xây dựng | Bộ Quốc phòng | Hằng năm
2 | Thay thế pin mặt trời của trạm tín hiệu hàng hải | Bộ Xây dựng | Bộ Tài chính | 2026 - 2027
"""


@pytest.fixture(scope="module")
def kb_annexes(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_annexed", [("31-nq77-cp-pl2-cho-dem.txt", MARKETS),
                                                          ("32-nq81-cp-pl1-hai-dang.txt", LIGHTHOUSES)])


# --------------------------------------------------------------------------- pure


def test_which_document_an_annex_goes_with_is_a_fact_asked():
    assert document_facts("Danh mục dự án chợ đêm kèm theo nghị quyết nào?") == ("annexed",)
    # "ban hành kèm theo" also cues what a decision decides; asked "… nào", it asks which decision issues it
    assert document_facts("Quy chế chợ đêm ban hành kèm theo quyết định nào?") == ("annexed",)
    assert document_facts("de an hai dang ban hanh theo quyet dinh nao") == ("annexed",)
    assert asks_by_annex("phu luc I hai dang ban hanh ngay nao")
    assert not asks_by_annex("Kế hoạch chợ đêm do ai ký?")  # a fact, but no annex named
    assert not asks_by_annex("Phụ lục II có những dự án nào?")  # an annex, but no fact of a document asked
    assert classify("Nghị quyết 81 kèm theo văn bản nào?").kind == "document"


# --------------------------------------------------------------------------- answers


def _annex_first(answer, file_stem: str) -> bool:
    first = answer.citations[0]
    return first.clause_id.endswith(":annex") and file_stem in first.doc_id


def test_the_annex_asked_by_its_title_words_answers_with_its_heading(kb_annexes):
    a = kb_annexes.ask("Danh mục dự án ưu tiên cải tạo chợ đêm vùng duyên hải kèm theo nghị quyết nào?")
    assert a.found and _annex_first(a, "nq77")
    assert "77/NQ-CP" in a.answer and "(Kèm theo Nghị quyết số 77/NQ-CP" in a.citations[0].text
    b = kb_annexes.ask("phu luc nhiem vu bao tri hai dang kem theo van ban nao")
    assert b.found and _annex_first(b, "nq81") and "81/NQ-CP" in b.answer


def test_a_text_kept_from_its_annex_on_states_the_date_of_the_document_it_goes_with(kb_annexes):
    a = kb_annexes.ask("nghi quyet 81 cua chinh phu ban hanh ngay nao")
    assert a.found and _annex_first(a, "nq81")
    assert "02 tháng 4 năm 2026" in a.answer
    b = kb_annexes.ask("Phụ lục I về bảo trì hải đăng ban hành ngày nào?")
    assert b.found and _annex_first(b, "nq81")


def test_the_cited_annex_heading_resolves_as_a_clause(kb_annexes):
    a = kb_annexes.ask("Phụ lục dự án cải tạo chợ đêm kèm theo nghị quyết nào?")
    clause = kb_annexes.clause(a.citations[0].clause_id)
    assert clause is not None and "Kèm theo Nghị quyết số 77/NQ-CP" in clause.text
