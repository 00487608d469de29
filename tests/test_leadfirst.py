"""Gazette task tables whose owner column comes first ("STT | Đơn vị | Nhiệm vụ chủ trì | Đơn vị phối
hợp | Thời gian hoàn thành"): rows without numbers, one merged owner cell over several rows, printed
by the text layer in the middle of its rows.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn" and its
plan do not exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.loaders.leadfirst import Label, LeadRow, assign_groups, column_slots
from tracuu.ingest.reflow import SourceLine

from table_rows import names, table_tasks

HEAD = ("ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 21/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n"
        "1. Làm thử.\n\nPhụ lục\nNHIỆM VỤ CỦA CÁC SỞ\n")
TABLE_HEAD = "STT \nĐơn vị \nNhiệm vụ chủ trì \nĐơn vị phối hợp \nThời gian  \nhoàn thành \n"


def _tasks(tmp_path: Path, text: str):
    return {t.text: t for t in table_tasks(tmp_path, text)[1]}



def test_column_slots_want_the_owner_column_first():
    assert column_slots(["Đơn vị", "Nhiệm vụ chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]) == {
        "lead": 0, "task": 1, "coord": 2, "time": 3}
    assert column_slots(["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]) is None
    assert column_slots(["Đơn vị", "Nhiệm vụ", "Kinh phí"]) is None  # a column this reader does not place


def test_rows_without_numbers_share_the_owner_printed_in_their_middle(tmp_path):
    # synthetic: group 1 (Sở Nội vụ) has three rows, its owner printed after the second; group 2
    # (Sở Tài chính) one row; a partner cell left empty is a blank line
    text = HEAD + TABLE_HEAD + (
        "Rà soát quy chế phối hợp \ngiữa các sở về thử nghiệm \n(1) Sở Tư pháp \n(2) Sở Tài chính \nQuý II/2026 \n"
        "Xây dựng kế hoạch đào tạo \ncán bộ làm thử \nSở Tài chính \nNăm 2026 \n"
        "1 \nSở Nội vụ \n"
        "Tổng hợp kết quả làm thử \n \nThường xuyên \n"
        "2 \nSở Tài chính \n"
        "Bố trí kinh phí làm thử \n(1) Sở Nội vụ \n(2) Các sở, ngành \nTheo lộ trình của \nkế hoạch \n"
    )
    got = _tasks(tmp_path, text)
    first = got["Rà soát quy chế phối hợp giữa các sở về thử nghiệm"]
    assert names(first.lead) == ["Sở Nội vụ"]
    assert names(first.coordinators) == ["Sở Tư pháp", "Sở Tài chính"]
    assert first.deadline.text == "Quý II/2026"
    assert names(got["Xây dựng kế hoạch đào tạo cán bộ làm thử"].lead) == ["Sở Nội vụ"]
    third = got["Tổng hợp kết quả làm thử"]
    assert names(third.lead) == ["Sở Nội vụ"] and third.coordinators == []
    assert third.deadline.recurrence == "continuous"
    fourth = got["Bố trí kinh phí làm thử"]
    assert names(fourth.lead) == ["Sở Tài chính"]
    assert names(fourth.coordinators) == ["Sở Nội vụ", "Các sở, ngành"]
    assert fourth.deadline.text == "Theo lộ trình của kế hoạch"


def test_a_row_naming_the_owner_above_as_partner_belongs_to_the_next_group():
    # rows printed after owner 1 but before owner 2: from the first that names owner 1 among its
    # partners, they are group 2's (an owner is never its own partner)
    def row(coord: str) -> LeadRow:
        return LeadRow(task=[SourceLine(0, "Làm thử", 1)], coord=[SourceLine(0, coord, 1)])

    rows = [row("Sở Tư pháp"), row("Sở Tư pháp"), row("Sở Nội vụ"), row("Sở Tư pháp"), row("Sở Y tế")]
    labels = [Label(SourceLine(0, "1", 1), [SourceLine(0, "Sở Nội vụ", 1)], 1),
              Label(SourceLine(0, "2", 1), [SourceLine(0, "Sở Tài chính", 1)], 4)]
    assign_groups(rows, labels)
    assert [r.group for r in rows] == [0, 0, 1, 1, 1]


def test_partner_and_time_on_one_line_are_cut_apart(tmp_path):
    text = HEAD + TABLE_HEAD + (
        "1 \nSở Xây dựng \nThẩm định hồ sơ làm thử \nSở Tư pháp Theo lộ trình thực \nhiện kế hoạch \n"
    )
    got = _tasks(tmp_path, text)
    t = got["Thẩm định hồ sơ làm thử"]
    assert names(t.lead) == ["Sở Xây dựng"] and names(t.coordinators) == ["Sở Tư pháp"]
    assert t.deadline.text == "Theo lộ trình thực hiện kế hoạch"


def test_a_numbered_task_table_is_not_read_as_lead_first(tmp_path):
    text = HEAD + ("STT \nNhiệm vụ \nCơ quan chủ trì \nCơ quan phối hợp \nThời gian \n"
                   "1 \nRà soát quy chế \nSở Tư pháp \nSở Nội vụ \nNăm 2026 \n")
    got = _tasks(tmp_path, text)
    assert names(got["Rà soát quy chế"].lead) == ["Sở Tư pháp"]


def test_a_number_with_no_owner_under_it_keeps_the_owner_above(tmp_path):
    # synthetic: each task has its own STT; the owner cell is merged over rows 1-2, printed once
    text = HEAD + TABLE_HEAD + (
        "1 \nSở Nội vụ \nRà soát quy chế thử nghiệm \nSở Tư pháp \nNăm 2026 \n"
        "2 \nTổng hợp kết quả thử nghiệm năm đầu \nSở Tài chính \nQuý IV/2026 \n"
        "3 \nSở Y tế \nKiểm tra cơ sở làm thử \nSở Nội vụ \nNăm 2027 \n"
    )
    got = _tasks(tmp_path, text)
    assert names(got["Rà soát quy chế thử nghiệm"].lead) == ["Sở Nội vụ"]
    second = got["Tổng hợp kết quả thử nghiệm năm đầu"]
    assert names(second.lead) == ["Sở Nội vụ"] and names(second.coordinators) == ["Sở Tài chính"]
    assert names(got["Kiểm tra cơ sở làm thử"].lead) == ["Sở Y tế"]


def test_an_owner_is_printed_before_its_last_row_on_its_page_and_page_numbers_are_no_rows(tmp_path):
    # synthetic: owner 1 printed before its last row on the page, so the second row after it is
    # owner 2's (printed lower); page numbers and the running header are page furniture; a row
    # on the next page, before any owner, goes on the group above
    text = HEAD + TABLE_HEAD + (
        "Rà soát quy định thử nghiệm \nSở Tư pháp \nQuý I/2026 \n"
        "1 \nSở Nội vụ \n"
        "Tổng hợp kết quả thử nghiệm \nSở Tài chính \nQuý II/2026 \n"
        "Kiểm tra hồ sơ thử nghiệm \nSở Tư pháp \nQuý III/2026 \n"
        "2 \nSở Y tế \n"
        "Báo cáo việc thử nghiệm \nSở Nội vụ \nQuý IV/2026 \n"
        "\n \n12\n12 \n \nCÔNG BÁO/Số 88/Ngày 02-03-2026 \n     12\n" + TABLE_HEAD +
        "Theo dõi việc thử nghiệm \nSở Tư pháp \nNăm 2027 \n"
    )
    got = _tasks(tmp_path, text)
    owner = {k: names(t.lead) for k, t in got.items()}
    assert owner == {"Rà soát quy định thử nghiệm": ["Sở Nội vụ"], "Tổng hợp kết quả thử nghiệm": ["Sở Nội vụ"],
                     "Kiểm tra hồ sơ thử nghiệm": ["Sở Y tế"], "Báo cáo việc thử nghiệm": ["Sở Y tế"],
                     "Theo dõi việc thử nghiệm": ["Sở Y tế"]}
