"""Deadline forms and deadline context of round h10-deadline3 (issue 10, point 4).

Every sentence below is SYNTHETIC test wording (invented, in the phrasings plans use; the
province "Bình Sơn" does not exist); none is copied from a real document.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from tracuu.ingest.deadlines import find_deadlines, main_deadline, parse_deadline
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.tasks import extract_tasks


def texts(sentence: str) -> list[str]:
    return [d.text for d in find_deadlines(sentence)]


# --- a time that says when something was assigned is no deadline --------------------------------


@pytest.mark.parametrize("sentence", [
    "Đối với các nhiệm vụ được giao trong năm 2024, tiếp tục rà soát và hoàn thiện hồ sơ.",
    "Đối với chi phí vượt dự toán được cấp có thẩm quyền giao giai đoạn năm 2019-2021, thanh toán theo quy định.",
    "Rà soát các chỉ tiêu đã giao năm 2025 để điều chỉnh cho phù hợp.",
    "Sử dụng nguồn kinh phí đã cấp trong quý III/2025 cho các nhiệm vụ còn lại.",
])
def test_a_time_of_assignment_is_no_deadline(sentence: str) -> None:
    assert texts(sentence) == []


@pytest.mark.parametrize("sentence,written", [
    ("Giao Sở Nội vụ hoàn thành trong năm 2026.", "trong năm 2026"),
    ("Sở Tài chính chủ trì, giao nhiệm vụ cho các xã, hoàn thành trong quý II/2026.", "trong quý II/2026"),
])
def test_giao_before_an_agency_leaves_the_time_alone(sentence: str, written: str) -> None:
    assert texts(sentence) == [written]


def test_a_bracket_does_not_hide_a_kind_of_spending() -> None:
    # "(chi thường xuyên và chi đầu tư)" is recurrent spending, as it is without the bracket
    assert texts("Bố trí kinh phí từ ngân sách tỉnh (chi thường xuyên và chi đầu tư) theo quy định.") == []
    assert texts("Thường xuyên kiểm tra (định kỳ hoặc đột xuất) các cơ sở.")[0] == "Thường xuyên"


# --- forms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence,written,kind", [
    ("Chậm nhất trong 15 ngày làm việc, kể từ ngày nhận được hồ sơ, Sở Xây dựng trả lời.",
     "Chậm nhất trong 15 ngày làm việc, kể từ ngày nhận được hồ sơ", "relative"),
    ("Trong thời hạn tối đa là 20 ngày, kể từ ngày nhận được tờ trình, Sở Tư pháp thẩm định.",
     "Trong thời hạn tối đa là 20 ngày, kể từ ngày nhận được tờ trình", "relative"),
    ("Sở Y tế trình Đề án sửa đổi trước năm 2027.", "trước năm 2027", "year"),
    ("Hoàn thành việc số hóa chậm nhất trong năm 2027.", "chậm nhất trong năm 2027", "year"),
    ("Tổ chức tập huấn trong quý I, II/2026.", "trong quý I, II/2026", "quarter"),
    ("Triển khai thí điểm trong tháng 10-12/2026.", "trong tháng 10-12/2026", "month"),
    ("Kiểm tra các cơ sở 03 tháng/lần.", "03 tháng/lần", "recurring"),
    ("Tổ chức Tháng hành động (từ ngày 01/10 đến ngày 31/10) trên địa bàn tỉnh.",
     "từ ngày 01/10 đến ngày 31/10", "yearly_date"),
])
def test_prose_forms(sentence: str, written: str, kind: str) -> None:
    d = main_deadline(find_deadlines(sentence))
    assert d is not None and d.text == written and d.kind == kind
    assert sentence[d.start : d.end] == d.text


def test_form_meanings() -> None:
    assert parse_deadline("Quý I, II/2026").date == "2026-06-30"
    assert parse_deadline("Quý III - IV/2026").date == "2026-12-31"
    assert parse_deadline("Tháng 6 - 12/2026").date == "2026-12-31"
    assert parse_deadline("Từ tháng 3 đến tháng 9 năm 2026").date == "2026-09-30"
    assert parse_deadline("06 tháng/lần").recurrence == "half-yearly"
    assert parse_deadline("12 tháng một lần").recurrence == "yearly"
    assert parse_deadline("03 tháng/lần").recurrence == "quarterly"
    # a range of months in prose counts only after a word of "trước"'s kin, as a single month does
    assert texts("Báo cáo số liệu tháng 10-12/2025 của các xã.") == []
    # a day of the year is no range of months: "ngày 15/11 đến ngày 15/12" keeps its meaning
    d = parse_deadline("từ ngày 15/11 đến ngày 15/12")
    assert (d.day, d.month) == (15, 12)


# --- a role-line task with no time line takes the time its own sentence states --------------------


def _clauses(rows: list[tuple[str, str | None, str]]) -> list[Clause]:
    return [
        Clause(clause_id=f"t:{p}", doc_id="t", path=p, kind="diem", label=p, marker="", text=t,
               heading_chain=[], parent=parent, order=i, span=Span(0, len(t), 1, 1))
        for i, (p, parent, t) in enumerate(rows)
    ]


def test_role_task_own_time_when_no_time_line() -> None:
    tasks = {t.path: t for t in extract_tasks(_clauses([
        ("1", None, "Hoạt động 1"),
        ("1.1", "1", "- Nội dung: Tổ chức Tuần lễ áo dài (từ ngày 01/3 đến ngày 08/3) tại các xã."),
        ("1.2", "1", "- Cơ quan thực hiện: Sở Văn hóa chủ trì, phối hợp với UBND các xã."),
        ("2", None, "Hoạt động 2"),
        ("2.1", "2", "- Nội dung: Tổ chức hội thi tìm hiểu pháp luật (từ ngày 01/3 đến ngày 08/3)."),
        ("2.2", "2", "- Cơ quan thực hiện: Sở Tư pháp chủ trì."),
        ("2.3", "2", "- Thời gian thực hiện: Quý II/2026."),
    ]))}
    own = tasks["1.1"]
    assert own.pattern == "dòng vai trò" and own.deadline is not None
    assert own.deadline.text == "từ ngày 01/3 đến ngày 08/3"
    # a time line, where there is one, still wins over the sentence
    assert tasks["2.1"].deadline is not None and tasks["2.1"].deadline.text == "Quý II/2026"


# --- the scorer compares times, not spellings -------------------------------------------------------


def _bench():
    path = Path(__file__).resolve().parent.parent / "bench" / "realdocs_tasks.py"
    if not path.is_file():
        pytest.skip("bench/realdocs_tasks.py is absent")
    spec = importlib.util.spec_from_file_location("realdocs_tasks_bench", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("label,got", [
    ("trước ngày 16 tháng 12 năm 2025", "trước ngày 16/12/2025"),  # no "6 tháng" half-year in a date
    ("ngày 6 tháng 8 năm 2026", "06/8/2026"),
    ("Quý I, II/2026", "quý I và quý II năm 2026"),
    ("Quý III-IV/2026", "Quý III và Quý IV năm 2026"),
    ("hai lần/năm", "02 lần/năm"),
    ("vào thứ Sáu hàng tuần", "thứ 6 hằng tuần"),
    ("định kỳ 6 tháng", "06 tháng/lần"),
])
def test_scorer_equal_when_same_time(label: str, got: str) -> None:
    assert _bench().deadline_right(label, got)


@pytest.mark.parametrize("label,got", [
    ("6 tháng", "hằng năm"),
    ("Quý IV/2026", "Quý III/2026"),
    ("Quý I, II/2026", "Quý I/2026"),
    ("trước ngày 16/12/2025", "trước ngày 16/12/2026"),
    ("vào thứ Sáu hàng tuần", "thứ 5 hằng tuần"),
    ("định kỳ 6 tháng", "trước ngày 6/12"),
])
def test_scorer_still_tells_times_apart(label: str, got: str) -> None:
    assert not _bench().deadline_right(label, got)
