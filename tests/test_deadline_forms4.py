"""Deadline forms of round h13-deadline (issue 10: deadlines).

Every sentence below is SYNTHETIC test wording (invented, in the phrasings officials use; "tỉnh A",
"Sở X" are placeholders); none is copied from a real document.
"""

from __future__ import annotations

import pytest
from tracuu.ingest.deadlines import find_deadlines, main_deadline
from tracuu.ingest.model import Clause, Reference, Span
from tracuu.ingest.tasks import extract_tasks


def texts(sentence: str) -> list[str]:
    return [d.text for d in find_deadlines(sentence)]


# --- "vào ngày …": the day set for the work -------------------------------------------------------


@pytest.mark.parametrize("sentence, expected, iso", [
    ("Sở X chuẩn bị các điều kiện để khởi công công trình vào ngày 20 tháng 12 năm 2025.",
     "vào ngày 20 tháng 12 năm 2025", "2025-12-20"),
    ("Tổ chức lễ tổng kết vào ngày 15/01/2026 tại tỉnh A.", "vào ngày 15/01/2026", "2026-01-15"),
])
def test_day_after_vao_is_the_deadline(sentence: str, expected: str, iso: str) -> None:
    main = main_deadline(find_deadlines(sentence))
    assert main is not None and main.text == expected and main.date == iso


@pytest.mark.parametrize("sentence", [
    "Vào ngày 10/3/2025, Sở X đã tổ chức hội nghị sơ kết.",
    "Kết quả năm trước. Vào ngày 05 tháng 4 năm 2025, tỉnh A đã ban hành kế hoạch.",
    "Ngày 20 tháng 12 năm 2025 là ngày kỷ niệm; tổ chức trang trọng.",
])
def test_day_opening_a_sentence_tells_when_it_happened(sentence: str) -> None:
    assert texts(sentence) == []


# --- days of the week: "thứ Bảy hoặc Chủ nhật", an hour of the day ------------------------------


@pytest.mark.parametrize("sentence, expected", [
    ("Ra quân vệ sinh môi trường vào ngày thứ Bảy hoặc Chủ nhật hàng tuần tại các khu dân cư.",
     "vào ngày thứ Bảy hoặc Chủ nhật hàng tuần"),
    ("Báo cáo Ủy ban nhân dân tỉnh vào 16:00 ngày Chủ nhật hằng tuần để theo dõi.",
     "vào 16:00 ngày Chủ nhật hằng tuần"),
    ("Gửi số liệu trước 10h ngày thứ Hai hàng tuần.", "trước 10h ngày thứ Hai hàng tuần"),
    ("Giao ban vào thứ Sáu hằng tuần.", "vào thứ Sáu hằng tuần"),
])
def test_days_of_the_week(sentence: str, expected: str) -> None:
    main = main_deadline(find_deadlines(sentence))
    assert main is not None and main.text == expected and main.recurrence == "weekly"


# --- a year or span of years that ended before the document was issued ---------------------------


def _clause(text: str, references: list[Reference] | None = None) -> Clause:
    return Clause(clause_id="t:1", doc_id="t", path="1", kind="khoan", label="khoản 1", marker="1.", text=text,
                  heading_chain=[], parent=None, order=0, span=Span(0, len(text), 1, 1),
                  references=references or [])


_PAST = "Sở X chủ trì thanh toán các chi phí vượt tổng mức giai đoạn năm 2019-2022 cho các cơ sở."


def test_past_span_is_no_deadline() -> None:
    task = extract_tasks([_clause(_PAST)], issued="2025-11-10")[0]
    assert task.deadline is None and task.deadlines == []


def test_past_span_gives_way_to_the_tasks_own_time() -> None:
    text = "Sở X chủ trì rà soát hồ sơ giai đoạn 2019 - 2022 trong năm 2026."
    task = extract_tasks([_clause(text)], issued="2025-11-10")[0]
    assert task.deadline is not None and task.deadline.text == "trong năm 2026"


def test_without_a_header_date_the_latest_cited_document_dates_it() -> None:
    ref = Reference("Chỉ thị số 01/CT-UBND ngày 05 tháng 3 năm 2024", "Chỉ thị", "01/CT-UBND", "2024-03-05", 0, 10)
    text = "Sở X rà soát chính sách cho người tham gia trong giai đoạn 1974 - 1975 theo Chỉ thị."
    assert extract_tasks([_clause(text, [ref])])[0].deadline is None


@pytest.mark.parametrize("issued", ["2021-05-01", None])
def test_span_not_yet_ended_stays(issued: str | None) -> None:
    task = extract_tasks([_clause(_PAST)], issued=issued)[0]
    assert task.deadline is not None and task.deadline.text == "năm 2019-2022"
