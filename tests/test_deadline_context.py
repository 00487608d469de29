"""Words around a time phrase that decide whether it is the task's time (h10-plans3 rules).

Every sentence below is SYNTHETIC test wording (invented, in the phrasings plans use).
"""

from __future__ import annotations

import pytest
from tracuu.ingest.deadlines import find_deadlines, main_deadline


def texts(sentence: str) -> list[str]:
    return [d.text for d in find_deadlines(sentence)]


@pytest.mark.parametrize("sentence", [
    "Tổ chức kiểm tra định kỳ, đột xuất các cơ sở kinh doanh trên địa bàn.",
    "Tham gia kiểm tra định kỳ hay đột xuất các dự án theo quy định.",
    "Tăng cường giám sát định kỳ; kiểm tra đột xuất việc chấp hành pháp luật.",
    "Phân bổ kế hoạch đầu tư công trung hạn, hằng năm cho các chương trình.",
    "Bổ sung tiêu chí đánh giá thi đua, khen thưởng hằng năm của các đơn vị.",
    "Bố trí vốn giai đoạn 05 năm và hằng năm, kinh phí chi thường xuyên hằng năm để thực hiện.",
    "Đề xuất bổ sung kinh phí (ngoài dự toán chi ngân sách đã cấp hàng năm).",
    "Bố trí kinh phí trong phạm vi dự toán được cấp có thẩm quyền giao hàng năm.",
    "Lập kế hoạch mở rộng để đáp ứng nhu cầu tăng trưởng hàng năm.",
])
def test_a_kind_of_thing_is_no_time(sentence: str) -> None:
    # "kiểm tra định kỳ, đột xuất" names the scheduled and the surprise inspection; "trung hạn, hằng
    # năm" the medium-term and the annual plan: neither says when the task is due
    assert texts(sentence) == []


@pytest.mark.parametrize("sentence,written", [
    ("Định kỳ kiểm tra các cơ sở và báo cáo kết quả.", "Định kỳ"),
    # a report's rhythm stays, with the on-request reports written after it (h20)
    ("Báo cáo định kỳ hoặc đột xuất theo yêu cầu.", "định kỳ hoặc đột xuất theo yêu cầu"),
    ("Xây dựng kế hoạch hằng năm để triển khai.", "hằng năm"),
    ("Kiểm tra định kỳ hằng năm các cơ sở.", "định kỳ hằng năm"),
])
def test_the_same_words_elsewhere_still_count(sentence: str, written: str) -> None:
    assert texts(sentence) == [written]


def test_stages_each_with_its_time_are_one_deadline() -> None:
    sentence = "Sở X thẩm định dự án, thời gian thực hiện: Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)."
    found = find_deadlines(sentence)
    assert [d.text for d in found] == ["Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)"]
    d = main_deadline(found)
    assert d is not None and d.date == "2026-12-31" and [p.quarter for p in d.parts] == [4, 4]
    assert sentence[d.start : d.end] == d.text


def test_two_separate_times_are_not_stages() -> None:
    # a bracket that holds a date, or no bracket after the second time: two deadlines, not stages
    assert texts("hoàn thành trong quý II/2026 (trước ngày 30/6/2026); trước ngày 15/7/2026") != [
        "quý II/2026 (trước ngày 30/6/2026); trước ngày 15/7/2026"]
    assert len(find_deadlines("Quý IV/2026 (sơ kết); Quý IV/2027 tổng kết")) == 2


def test_a_year_in_a_long_named_resolution_dates_the_resolution() -> None:
    # the year closes the title of the resolution named before it, however long the title's
    # preamble (number, date, session) is: the task carries on that resolution, it is not due then
    sentence = ("Tiếp tục thực hiện Nghị quyết số 99-NQ/TW ngày 01/01/2020, Hội nghị lần thứ năm Ban "
                "Chấp hành Trung ương khóa XX về phát triển bền vững vùng ven biển của tỉnh Bình Sơn "
                "đến năm 2030 tầm nhìn đến năm 2045; báo cáo kết quả.")
    assert texts(sentence) == []
    # a year far after any title word (more than 30 words) is still read
    far = "Nghị quyết số 1 về " + "việc " * 31 + "hoàn thiện, xong đến năm 2027."
    assert texts(far) == ["đến năm 2027"]
