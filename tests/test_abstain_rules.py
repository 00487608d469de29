"""Abstention rules on synthetic text: scaffolding words, places, days and units (index/abstain.py)."""

from __future__ import annotations

from tracuu.index.abstain import content_terms, coverage
from tracuu.index.keyword import BM25Index
from tracuu.index.query.figure_ask import asks_day, states_day
from tracuu.index.query.places import missing_places, named_places

CLAUSES = {
    "a": "Sở Xây dựng chủ trì xây dựng cơ sở dữ liệu quy hoạch, hoàn thành trước ngày 30/9/2026.",
    "b": "Phấn đấu xuất khẩu 12.000 tấn xoài, tăng 10% giá trị.",
    "c": "Căn cứ Kế hoạch số 12/KH-UBND ngày 17 tháng 9 năm 2025 của Ủy ban nhân dân tỉnh về giám sát.",
    "d": "Các xã gửi báo cáo giám sát định kỳ hằng năm.",
}


def _bm25() -> BM25Index:
    bm25 = BM25Index()
    for cid, text in CLAUSES.items():
        bm25.add(cid, text)
    return bm25


def test_how_a_question_is_asked_is_not_what_it_is_about():
    assert "lau" not in content_terms("Các sở gửi báo cáo bao lâu một lần?")
    assert "khong" not in content_terms("Kế hoạch có yêu cầu bảo mật không?")
    assert "khong" in content_terms("Thanh toán không dùng tiền mặt do ai chủ trì?")  # not the closing "không"
    terms = content_terms("Cơ quan nào chủ trì cơ sở dữ liệu quy hoạch của TP.HCM?")
    assert {"ho", "chi", "minh"} <= set(terms) and "hcm" not in terms  # written as documents write it


def test_a_place_the_clause_and_its_document_do_not_name_is_another_locality():
    assert named_places("Ai chủ trì cơ sở dữ liệu quy hoạch của thành phố Đà Nẵng?") == ["da nang"]
    assert named_places("ke hoach so y te tphcm") == ["ho chi minh"]
    assert named_places("Các xã báo cáo hằng năm định kỳ") == []  # "năm định" is not Nam Định
    assert missing_places("Sở Y tế TP.HCM làm gì?", "Ủy ban nhân dân Thành phố Hồ Chí Minh. Sở Y tế …") == []
    bm25 = _bm25()
    q = "Ai chủ trì xây dựng cơ sở dữ liệu quy hoạch?"
    here = coverage([q], CLAUSES["a"], bm25, context="Kế hoạch của Ủy ban nhân dân thành phố Đà Nẵng")
    there = coverage([q + " ở Đà Nẵng"], CLAUSES["a"], bm25, context="Kế hoạch của Ủy ban nhân dân tỉnh Sơn La")
    assert there < 0.5 <= here


def test_a_day_question_needs_a_day_not_the_date_of_a_cited_document():
    assert asks_day("Hạn chót nộp báo cáo giám sát là ngày nào?")
    assert asks_day("bao cao truoc ngay may hang thang")
    assert not asks_day("Khi nào phải xong việc rà soát?")  # a year or a quarter answers it
    assert states_day(CLAUSES["a"]) and not states_day(CLAUSES["c"]) and not states_day(CLAUSES["d"])
    assert states_day("Báo cáo vào thứ Sáu hàng tuần.") and states_day("trong 10 ngày kể từ ngày nhận")
    bm25 = _bm25()
    q = ["Các xã gửi báo cáo giám sát trước ngày nào?"]
    assert coverage(q, CLAUSES["d"], bm25) < coverage(["Các xã gửi báo cáo giám sát khi nào?"], CLAUSES["d"], bm25)


def test_a_figure_in_another_unit_does_not_answer():
    bm25 = _bm25()
    tonnes = coverage(["Xuất khẩu bao nhiêu tấn xoài?"], CLAUSES["b"], bm25)
    km = coverage(["Xuất khẩu xoài đi bao nhiêu km?"], CLAUSES["b"], bm25)
    assert km < 0.5 <= tonnes


def test_a_digital_signature_is_a_subject_not_a_question_about_the_signer():
    from tracuu.index.query.intent import detect_intent

    assert detect_intent("Ai chịu trách nhiệm chỉ tiêu người dân có chữ ký số?") is None
    assert detect_intent("ai phu trach chu ky dien tu cho doanh nghiep") is None
    assert detect_intent("Chữ ký trên kế hoạch này là của ai?").kind == "signer"


def test_a_proper_name_the_clause_does_not_write_is_something_else():
    from tracuu.index.query.names import missing_names, question_names

    assert question_names("Nhà máy điện gió Hòa Bình Xanh có công suất bao nhiêu MW?") == ["hoa binh xanh"]
    assert question_names("Sở Văn hóa, Thể thao và Du lịch Đồng Tháp làm gì?") == []  # an agency, a place
    assert question_names("Ban Chỉ đạo Trung ương họp mấy lần?") == []
    assert question_names("nha may dien gio hoa binh xanh cong suat bao nhieu") == []  # no capitals, no names
    assert missing_names("Điện gió Hòa Bình Xanh công suất bao nhiêu?", "Dự án điện gió Hòa Bình Xanh 50 MW") == []
    bm25 = _bm25()
    q = ["Dự án xoài Cát Chu xuất khẩu bao nhiêu tấn?"]
    assert coverage(q, CLAUSES["b"], bm25) < 0.5 <= coverage(["Xuất khẩu bao nhiêu tấn xoài?"], CLAUSES["b"], bm25)


def test_a_phone_number_is_answered_only_by_a_clause_that_gives_one():
    from tracuu.index.abstain import missing_asked_things

    assert missing_asked_things("Số điện thoại đường dây nóng của Sở là số nào?", "Sở tiếp nhận phản ánh") == [
        "so dien thoai", "duong day nong"]
    assert missing_asked_things("so dien thoai cua so la gi", "Số điện thoại: 0123 456 789") == []
    assert missing_asked_things("Sở tiếp nhận phản ánh ở đâu?", "Sở tiếp nhận phản ánh") == []


def test_when_a_task_of_a_named_document_is_due_is_not_when_it_was_issued():
    from tracuu.index.query.ask_intent import classify

    assert classify("Các sở phải gửi báo cáo kết quả về Bộ Tài chính chậm nhất ngày nào theo Công điện 77?").kind == "deadline"
    assert classify("Chỉ thị 12-CT/TW ban hành ngày nào?").kind == "document"
    assert classify("Quyết định 77 ngày nào?").kind == "document"
