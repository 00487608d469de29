"""Deadlines written apart from the work they time (issue 10, h12-deadline): a sentence that only
states a time, set on a line of its own by a hard-wrapped layout, is the time of the work above it.

Every Vietnamese line here is SYNTHETIC, written for these tests (the city "Bình Sơn" and its letter
do not exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.ingest.deadlines import find_deadlines, main_deadline, time_statement
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import Task, extract_tasks

LETTER = """ỦY BAN NHÂN DÂN
THÀNH PHỐ BÌNH SƠN
Số: 901/UBND-ĐT
V/v rà soát dữ liệu mẫu (văn bản tự soạn để kiểm thử)
Bình Sơn, ngày 02 tháng 3 năm 2027
Kính gửi: Sở Xây dựng; Sở Tư pháp.
Chủ tịch Ủy ban nhân dân Thành phố có ý kiến chỉ đạo như sau:
1. Giao Sở Xây dựng
- Phối hợp rà soát danh mục công trình theo kế hoạch của Thành phố.
- Tổ chức cập nhật dữ liệu công trình vào hệ thống dùng chung; bảo đảm thống nhất, đồng
bộ và chính xác.
Thời gian hoàn thành trước ngày 31 tháng 5 năm 2027.
2. Giao Sở Tư pháp
Khẩn trương rà soát các văn bản hướng dẫn về đăng ký dữ liệu mẫu đã được phê duyệt.
Đảm bảo hoàn thành trong quý III/2027.
3. Giao Sở Tài chính
Bố trí kinh phí thực hiện rà soát, hoàn thành trước ngày 15/4/2027.
Thời gian hoàn thành trong tháng 6 năm 2027.
"""


def _tasks(tmp_path: Path, text: str) -> list[Task]:
    f = tmp_path / "cv.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    return extract_tasks(doc.clauses, addressees=doc.header.addressees)


def _holding(tasks: list[Task], anchor: str) -> Task:
    hits = [t for t in tasks if anchor in t.text]
    assert hits, f"no task holds {anchor!r}: {[t.text[:40] for t in tasks]}"
    return min(hits, key=lambda t: len(t.text))


@pytest.mark.parametrize("sentence,written", [
    ("Thời gian hoàn thành trước ngày 31 tháng 12 năm 2027.", "trước ngày 31 tháng 12 năm 2027"),
    ("Thời gian thực hiện hoàn thành xong trước ngày 05 tháng 12 năm 2027.", "trước ngày 05 tháng 12 năm 2027"),
    ("Đảm bảo hoàn thành trong quý I/2027.", "trong quý I/2027"),
    ("Hoàn thành trong năm 2027.", "trong năm 2027"),
])
def test_a_sentence_that_only_states_a_time(sentence: str, written: str) -> None:
    found = time_statement(sentence)
    assert found is not None and found.text == written


@pytest.mark.parametrize("sentence", [
    "Sở A báo cáo kết quả trước ngày 05/12/2027.",
    "Trong quý I/2027 các sở rà soát danh mục.",
    "Thời gian hoàn thành theo kế hoạch của Thành phố.",
])
def test_a_sentence_with_work_or_without_a_time_is_not(sentence: str) -> None:
    assert time_statement(sentence) is None


def test_a_time_line_times_the_work_just_above(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, LETTER)
    above = _holding(tasks, "Tổ chức cập nhật dữ liệu công trình")
    assert above.deadline is not None and above.deadline.text == "trước ngày 31 tháng 5 năm 2027"
    # the bullet before it is other work: the line does not reach back to it
    assert _holding(tasks, "Phối hợp rà soát danh mục công trình").deadline is None
    quarter = _holding(tasks, "Khẩn trương rà soát các văn bản hướng dẫn")
    assert quarter.deadline is not None and quarter.deadline.text == "trong quý III/2027"
    # the time line is no task of its own
    assert not [t for t in tasks if t.text.startswith(("Thời gian hoàn thành", "Đảm bảo hoàn thành"))]


def test_work_with_its_own_time_keeps_it(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, LETTER)
    own = _holding(tasks, "Bố trí kinh phí thực hiện rà soát")
    assert own.deadline is not None and own.deadline.text == "trước ngày 15/4/2027"


def _one(sentence: str):
    found = find_deadlines(sentence)
    main = main_deadline(found)
    assert main is not None, sentence
    return main


def test_a_report_schedule_is_one_deadline_of_all_its_days() -> None:
    sentence = ("Các sở báo cáo định kỳ hằng tháng (trước ngày 12 hằng tháng), 6 tháng (trước ngày 12/6), "
                "tổng kết năm (trước ngày 25/11 hằng năm) hoặc khi có yêu cầu.")
    d = _one(sentence)
    assert d.text == ("định kỳ hằng tháng (trước ngày 12 hằng tháng), 6 tháng (trước ngày 12/6), "
                      "tổng kết năm (trước ngày 25/11 hằng năm) hoặc khi có yêu cầu")  # on request too (h20)
    assert sentence[d.start : d.end] == d.text
    assert (None, 6, 12) in d.due_dates() and (None, 11, 25) in d.due_dates()


def test_two_days_of_a_schedule_apart_in_one_sentence() -> None:
    d = _one("Sở A tổng hợp báo cáo định kỳ 6 tháng trước ngày 20 tháng 6 và tổng thể hằng năm trước ngày "
             "20 tháng 01 hằng năm gửi Ủy ban nhân dân tỉnh.")
    assert d.text == "định kỳ 6 tháng trước ngày 20 tháng 6 và tổng thể hằng năm trước ngày 20 tháng 01 hằng năm"
    assert d.due_dates() == [(None, 6, 20), (None, 1, 20)]


@pytest.mark.parametrize("sentence,written", [
    # dated times of one year stay apart: the work's own and its report's
    ("Sở A hoàn thành trước ngày 15/12/2027, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2027.",
     "trước ngày 15/12/2027"),
    # a range is one span, due at its end
    ("Tổ chức đợt kiểm tra từ ngày 15/11 đến ngày 15/12 hằng năm.", "từ ngày 15/11 đến ngày 15/12 hằng năm"),
    # another sentence gives another time
    ("Sở A báo cáo trước ngày 10/6 hằng năm. Sở B tổng kết trước ngày 10/12 hằng năm.", "trước ngày 10/6 hằng năm"),
])
def test_days_that_are_no_schedule(sentence: str, written: str) -> None:
    assert _one(sentence).text == written


LEAD_IN_LETTER = """ỦY BAN NHÂN DÂN
TỈNH BÌNH SƠN
Số: 902/UBND-KT
V/v triển khai nhiệm vụ mẫu (văn bản tự soạn để kiểm thử)
Bình Sơn, ngày 05 tháng 3 năm 2027
Kính gửi: Các sở, ban, ngành tỉnh; Ủy ban nhân dân các xã, phường.
Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường thực hiện một số nội dung sau:
I. NHIỆM VỤ CHUNG
Quán triệt các quy định mới về quản lý dữ liệu mẫu trong cơ quan, đơn vị.
II. NHIỆM VỤ CỤ THỂ
1. Về cải cách thủ tục hành chính
- Rà soát các thủ tục hành chính mẫu, hoàn thành trước ngày 30/6/2027.
- Công khai kết quả giải quyết thủ tục trên cổng thông tin.
2. Sở Tư pháp:
- Thẩm định các văn bản hướng dẫn trước khi ban hành.
"""

PLAN = """ỦY BAN NHÂN DÂN
TỈNH BÌNH SƠN
Số: 903/KH-UBND
Bình Sơn, ngày 06 tháng 3 năm 2027
KẾ HOẠCH
Thực hiện chương trình mẫu (văn bản tự soạn để kiểm thử)
Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện chương trình mẫu với nội dung như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả quản lý dữ liệu mẫu trên địa bàn tỉnh.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp:
- Hướng dẫn các cơ quan triển khai Kế hoạch.
"""


def test_a_letters_lead_in_hands_out_the_points_of_its_sections(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, LEAD_IN_LETTER)
    for anchor in ("Quán triệt các quy định mới", "Rà soát các thủ tục hành chính mẫu",
                   "Công khai kết quả giải quyết thủ tục"):
        lead = [r.name for r in _holding(tasks, anchor).lead]
        assert "Ủy ban nhân dân các xã, phường" in lead and len(lead) == 2, (anchor, lead)
    assert _holding(tasks, "Rà soát các thủ tục hành chính mẫu").deadline.text == "trước ngày 30/6/2027"
    # a point under a heading that names its own owner keeps that owner
    assert [r.name for r in _holding(tasks, "Thẩm định các văn bản hướng dẫn").lead] == ["Sở Tư pháp"]
    # a heading with points is no task of its own
    assert not [t for t in tasks if t.text.startswith("Về cải cách thủ tục hành chính")]


def test_a_plans_issuer_hands_out_nothing(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, PLAN)
    assert not [t for t in tasks if "Nâng cao hiệu quả quản lý dữ liệu mẫu" in t.text]
    assert [r.name for r in _holding(tasks, "Hướng dẫn các cơ quan triển khai").lead] == ["Sở Tư pháp"]
