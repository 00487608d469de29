"""A named document's part asked for by its heading ("Kế hoạch 5 có yêu cầu gì?", "kinh phí lấy từ
đâu?", "mục tiêu đến năm 2030"): made-up clauses of a synthetic plan, no knowledge base
(api/doc_sections.py, api/answer.py: section_text)."""

from __future__ import annotations

from tracuu.api.answer import section_text
from tracuu.api.doc_sections import asked_section, headings
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.shapes import Hit


def _c(path: str, kind: str, text: str, order: int, parent: str | None = None) -> Clause:
    return Clause(clause_id=f"d:{path}", doc_id="d", path=path, kind=kind, label=path, marker="", text=text,
                  heading_chain=[], parent=parent, order=order, span=Span(0, 1, 1, 1))


# synthetic: a provincial plan on clean water of "tỉnh A", with a quản lý title word
NAMING = "Kế hoạch 5/KH-UBND Ủy ban nhân dân tỉnh A Kế hoạch quản lý cấp nước sạch giai đoạn 2026 - 2030 tỉnh A"
DOC = [
    _c("preamble.1", "preamble", "Căn cứ Kế hoạch số 1/KH-UBND của Ủy ban nhân dân tỉnh A về cấp nước sạch;", 0),
    _c("preamble.2", "preamble", "Ủy ban nhân dân tỉnh A ban hành Kế hoạch quản lý cấp nước sạch như sau:", 1),
    _c("I", "muc", "MỤC ĐÍCH, YÊU CẦU", 2),
    _c("I.1", "khoan", "Mục đích", 3, "I"),
    _c("I.1.-1", "gach_dau_dong", "Bảo đảm nước sạch cho khu dân cư.", 4, "I.1"),
    _c("I.2", "khoan", "Yêu cầu", 5, "I"),
    _c("I.2.-1", "gach_dau_dong", "Phân công rõ việc, rõ thời gian hoàn thành.", 6, "I.2"),
    _c("I.2.-2", "gach_dau_dong", "Báo cáo đúng thời hạn.", 7, "I.2"),
    _c("II", "muc", "MỤC TIÊU", 8),
    _c("II.1", "khoan", "Mục tiêu đến năm 2027", 9, "II"),
    _c("II.1.-1", "gach_dau_dong", "80% hộ dân dùng nước sạch.", 10, "II.1"),
    _c("II.2", "khoan", "Mục tiêu đến năm 2030", 11, "II"),
    _c("II.2.-1", "gach_dau_dong", "100% hộ dân dùng nước sạch.", 12, "II.2"),
    _c("III", "muc", "QUAN ĐIỂM", 13),
    _c("III.1", "khoan", "Nước sạch là hàng hóa thiết yếu.", 14, "III"),
    _c("IV", "muc", "KINH PHÍ THỰC HIỆN", 15),
    _c("IV.1", "khoan", "Nguồn ngân sách: ngân sách tỉnh theo phân cấp.", 16, "IV"),
    _c("IV.2", "khoan", "Nguồn xã hội hóa.", 17, "IV"),
    _c("V", "muc", "TỔ CHỨC THỰC HIỆN", 18),
    _c("V.1", "khoan", "Sở Xây dựng", 19, "V"),
    _c("V.1.a", "diem", "Chủ trì theo dõi việc thực hiện Kế hoạch.", 20, "V.1"),
    _c("D9", "dieu", "Phạm vi điều chỉnh\nQuy chế này quy định việc cấp nước sạch.", 21),
    _c("signature", "signature", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A", 22),
]


def _asked(question: str):
    found = asked_section(DOC, question, NAMING)
    return found.heading.path if found else None


def test_the_heading_the_question_says_is_the_part_asked():
    assert _asked("Kế hoạch 5/KH-UBND tỉnh A có những yêu cầu gì?") == "I.2"  # not "MỤC ĐÍCH, YÊU CẦU"
    assert _asked("kh 5 tinh A nham muc dich gi") == "I.1"
    assert _asked("Kinh phí thực hiện Kế hoạch 5 lấy từ đâu?") == "IV"
    assert _asked("Kế hoạch 5 có những quan điểm gì?") == "III"  # "quản lý" of the title is not "quan điểm"
    assert _asked("Quy chế cấp nước sạch tỉnh A có phạm vi điều chỉnh thế nào?") == "D9"  # an article's title


def test_a_year_said_chooses_the_narrower_heading():
    assert _asked("Kế hoạch 5 đặt mục tiêu gì?") == "II"
    assert _asked("Kế hoạch 5 đặt mục tiêu gì đến năm 2030?") == "II.2"


def test_words_that_name_the_document_or_an_agency_name_no_part():
    assert _asked("Kế hoạch cấp nước sạch của tỉnh A ban hành ngày nào?") is None
    assert _asked("Sở Xây dựng có nhiệm vụ gì trong Kế hoạch 5?") is None  # "V.1 Sở Xây dựng" is not a part
    assert "V.1" not in [c.path for c, _, _ in headings(DOC)]
    assert _asked("Kế hoạch 5 giao việc gì cho các xã?") is None


def test_a_question_asking_more_than_the_part_is_told_apart():
    whole = asked_section(DOC, "Kế hoạch 5 có mục tiêu gì?", NAMING)
    assert whole is not None and not whole.specific
    narrow = asked_section(DOC, "Mục tiêu của Kế hoạch 5 về tỷ lệ hộ dân vùng núi dùng nước máy?", NAMING)
    assert narrow is not None and narrow.specific


def _hit(c: Clause) -> Hit:
    return Hit(clause_id=c.clause_id, doc_id="d", path=c.path, label=c.path, kind=c.kind, text=c.text,
               citation=f"Khoản {c.path} Kế hoạch 5", page=1, page_end=1, start=0, end=1, score=1.0, references=[],
               heading_chain=[])


def test_the_answer_quotes_the_heading_then_its_points():
    by = {c.path: c for c in DOC}
    text = section_text(_hit(by["I.2"]), [_hit(by["I.2.-1"])], more=1)
    assert text.splitlines() == ["Theo khoản I.2 Kế hoạch 5: «Yêu cầu»",
                                 "- I.2.-1: «Phân công rõ việc, rõ thời gian hoàn thành.»",
                                 "(và 1 điểm khác của phần này)"]
