"""Deadlines and recurrences: found as written, parsed, and asked "what is due before 30/9".

Every sentence below is SYNTHETIC test wording (invented, in the phrasings plans use).
"""

from __future__ import annotations

import pytest
from tracuu.ingest.deadlines import Deadline, due_before, find_deadlines, main_deadline, parse_day_month, parse_deadline


def one(text: str) -> Deadline:
    found = find_deadlines(text)
    assert len(found) == 1, [(d.text, d.kind) for d in found]
    d = found[0]
    assert text[d.start : d.end] == d.text  # always a substring of the source
    return d


@pytest.mark.parametrize(
    "text,written,kind,iso,recurrence,month,day",
    [
        ("báo cáo trước ngày 30/9 hàng năm.", "trước ngày 30/9 hàng năm", "yearly_date", None, "yearly", 9, 30),
        ("gửi trước ngày 15 tháng 12 hằng năm", "trước ngày 15 tháng 12 hằng năm", "yearly_date", None, "yearly", 12, 15),
        ("hoàn thành trước ngày 30/11/2025.", "trước ngày 30/11/2025", "date", "2025-11-30", None, 11, 30),
        ("Thời gian hoàn thành: Quý IV năm 2025.", "Quý IV năm 2025", "quarter", "2025-12-31", None, None, None),
        ("xong trong Quý IV/2025", "trong Quý IV/2025", "quarter", "2025-12-31", None, None, None),
        ("xong trong Quý 2 năm 2026", "trong Quý 2 năm 2026", "quarter", "2026-06-30", None, None, None),
        ("Thời gian thực hiện: hằng năm.", "hằng năm", "recurring", None, "yearly", None, None),
        ("đưa vào kế hoạch hàng năm", "hàng năm", "recurring", None, "yearly", None, None),
        ("kiểm tra định kỳ tại cơ sở", "định kỳ", "recurring", None, "periodic", None, None),
        ("phấn đấu đến năm 2030 đạt 12%", "đến năm 2030", "year", "2030-12-31", None, None, None),
        ("thực hiện thường xuyên.", "thường xuyên", "continuous", None, "continuous", None, None),
        ("chậm nhất ngày 5/1/2026", "chậm nhất ngày 5/1/2026", "date", "2026-01-05", None, 1, 5),
        ("hoàn thành trong tháng 12/2025", "trong tháng 12/2025", "month", "2025-12-31", None, 12, None),
        ("báo cáo hằng quý", "hằng quý", "recurring", None, "quarterly", None, None),
        ("truoc ngay 30/9 hang nam", "truoc ngay 30/9 hang nam", "yearly_date", None, "yearly", 9, 30),
    ],
)
def test_single_deadlines(text, written, kind, iso, recurrence, month, day):
    d = one(text)
    assert (d.text, d.kind, d.date, d.recurrence, d.month, d.day) == (written, kind, iso, recurrence, month, day)


def test_two_part_recurrence_is_one_deadline():
    text = "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12) gửi báo cáo"
    d = one(text)
    assert d.text == "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12)"
    assert d.recurrence == "half-yearly"
    half, year = d.parts
    assert (half.recurrence, half.month, half.day) == ("half-yearly", 6, 10)
    assert (year.kind, year.recurrence, year.month, year.day) == ("yearly_date", "yearly", 12, 10)
    assert d.due_dates() == [(None, 6, 10), (None, 12, 10)]


def test_quarter_and_year():
    d = one("tổ chức sơ kết, tổng kết vào Quý IV năm 2027 và năm 2030.")
    assert d.text == "Quý IV năm 2027 và năm 2030"
    assert (d.kind, d.date) == ("quarter", "2027-12-31")
    assert [p.text for p in d.parts] == ["Quý IV năm 2027", "năm 2030"]
    assert [p.date for p in d.parts] == ["2027-12-31", "2030-12-31"]


def test_document_dates_are_not_deadlines():
    assert find_deadlines("Thực hiện Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024 của Ban Bí thư") == []
    assert find_deadlines("bố trí vốn năm 2026 cho chương trình") == []


def test_main_deadline_is_the_most_specific():
    text = "phấn đấu đến năm 2030 đạt 12%; sinh hoạt định kỳ; hoàn thành trước ngày 30/11/2025."
    found = find_deadlines(text)
    assert [d.text for d in found] == ["đến năm 2030", "định kỳ", "trước ngày 30/11/2025"]
    assert main_deadline(found).text == "trước ngày 30/11/2025"
    text = "báo cáo việc thực hiện định kỳ vào trước ngày 30/9 hàng năm hoặc đột xuất"
    main = main_deadline(find_deadlines(text))  # the on-request reports after it are written with it (h20)
    assert main.text == "trước ngày 30/9 hàng năm hoặc đột xuất" and (main.day, main.month) == (30, 9)
    text = "định kỳ sơ kết, tổng kết, hàng năm báo cáo tình hình"
    assert main_deadline(find_deadlines(text)).recurrence == "yearly"
    assert main_deadline([]) is None


@pytest.mark.parametrize(
    "cell,kind,iso,recurrence",
    [
        ("Quý IV năm 2025", "quarter", "2025-12-31", None),
        ("Thường xuyên", "continuous", None, "continuous"),
        ("Trước ngày 15/12 hàng năm", "yearly_date", None, "yearly"),
        ("Hằng năm", "recurring", None, "yearly"),
        ("Năm 2026", "year", "2026-12-31", None),
        ("31/12/2025", "date", "2025-12-31", None),
        ("Tháng 10/2025", "month", "2025-10-31", None),
        ("Theo yêu cầu", "unknown", None, None),
    ],
)
def test_table_cells(cell, kind, iso, recurrence):
    d = parse_deadline(cell)
    assert (d.kind, d.date, d.recurrence) == (kind, iso, recurrence)
    assert d.text == cell


def test_empty_cell():
    assert parse_deadline("  ") is None


def test_due_before():
    yearly = one("trước ngày 30/9 hàng năm")
    dated = one("trước ngày 30/11/2025")
    quarter = one("Quý III năm 2025")
    continuous = one("thường xuyên")
    assert yearly.due_before(30, 9) and not yearly.due_before(29, 9)
    assert not dated.due_before(30, 9) and dated.due_before(30, 9, 2026)
    assert quarter.due_before(30, 9) and quarter.due_before(30, 9, 2025) and not quarter.due_before(30, 9, 2024)
    assert not continuous.due_before(31, 12)
    assert parse_day_month("30/9") == (30, 9)
    with pytest.raises(ValueError):
        parse_day_month("40/9")
    assert due_before([yearly, dated, quarter, continuous], "30/9") == [yearly, quarter]


@pytest.mark.parametrize("sentence, written, iso", [
    # synthetic sentences (made up for this test, no real document's text)
    ("Các sở chuyển dữ liệu về trung tâm của tỉnh trong Quý II/2025.", "trong Quý II/2025", "2025-06-30"),
    ("Ban hành kế hoạch chi tiết và báo cáo Ủy ban trong quý II năm 2026.", "trong quý II năm 2026", "2026-06-30"),
    ("Tổ chức hội thảo trong Quý III, IV/2026.", "trong Quý III, IV/2026", "2026-12-31"),
])
def test_trong_before_a_quarter_is_part_of_the_deadline(sentence, written, iso):
    """"trong Quý II/2025" is the deadline as written (as "trong năm 2026" is); the due day is unchanged."""
    d = one(sentence)
    assert (d.text, d.kind, d.date) == (written, "quarter", iso)
