"""Appendix task tables in hard-wrapped crawler text, read row by row by their numbering (round
h16-ntables): rows numbered on across group rows, and a lone Roman numeral that is a cell.

Every Vietnamese line here is SYNTHETIC, written for these tests (the committee, the tasks and the
table below do not exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

from table_rows import table_tasks

HEAD = ("BAN CHỈ ĐẠO THỬ NGHIỆM\nSố: 34/TB-BCĐ\nKính gửi: Các sở, ngành\n"
        "1. Các sở, ngành thực hiện các nhiệm vụ tại Phụ lục kèm theo./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTRƯỞNG BAN\nNguyễn Văn B\n")


def _rows(tmp_path: Path, text: str):
    return {t.text: t for t in table_tasks(tmp_path, text)[1]}


def test_rows_numbered_on_across_group_rows_are_all_read(tmp_path):
    # "II. Title" on one line, then row 3 (not 1): the numbering runs on over the groups
    text = HEAD + (
        "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\nSTT\nTên nhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\n"
        "I. NHÓM NHIỆM VỤ VỀ SỔ SÁCH\n"
        "1\nLập sổ tay hướng dẫn lưu trữ\nhồ sơ điện tử của cấp xã.\nSở Nội vụ\nCác sở, ngành\nQuý I/2026\n"
        "2\nRà soát danh mục mẫu biểu\nbáo cáo định kỳ.\nSở Tư pháp\nSở Nội vụ\nQuý II/2026\n"
        "II. NHÓM NHIỆM VỤ VỀ ĐÀO TẠO\n"
        "3\nTổ chức tập huấn nghiệp vụ\nlưu trữ cho công chức cấp xã.\nSở Nội vụ\nUBND các xã, phường\nHằng năm\n"
        "4\nBiên soạn tài liệu bồi dưỡng\nkỹ năng số cơ bản.\nSở Khoa học và Công nghệ\nSở Nội vụ\nNăm 2026\n"
    )
    rows = _rows(tmp_path, text)
    assert len(rows) == 4
    t3 = rows["Tổ chức tập huấn nghiệp vụ lưu trữ cho công chức cấp xã."]
    assert [a.name for a in t3.lead] == ["Sở Nội vụ"]
    t4 = rows["Biên soạn tài liệu bồi dưỡng kỹ năng số cơ bản."]
    assert [a.name for a in t4.lead] == ["Sở Khoa học và Công nghệ"]
    assert [a.name for a in t4.coordinators] == ["Sở Nội vụ"]


def test_a_lone_roman_numeral_in_a_resources_column_is_a_cell_not_a_group(tmp_path):
    # the last column names resource codes ("I", "I, II"); a row of group II ends with "I" alone,
    # right before its next row "2": a cell of that row, not a new group "I"
    text = HEAD + (
        "PHỤ LỤC\nDANH MỤC DỰ ÁN ƯU TIÊN\nSTT\nTên dự án, nhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\n"
        "Thời gian thực hiện\nNguồn lực thực hiện\n"
        "I\nNHÓM DỰ ÁN VỀ DỮ LIỆU\n"
        "1\nXây dựng kho dữ liệu thử nghiệm\ndùng chung của tỉnh\nSở Khoa học và Công nghệ\nCác sở, ngành\n"
        "2026 - 2027\nI, II\n"
        "II\nNHÓM DỰ ÁN VỀ THỂ CHẾ\n"
        "1\nSoạn thảo quy chế khai thác\nkho dữ liệu thử nghiệm\nSở Tư pháp\nCác sở, ngành\nNăm 2026\nI\n"
        "2\nBan hành hướng dẫn chia sẻ\ndữ liệu giữa các đơn vị\nSở Khoa học và Công nghệ\nSở Tư pháp\nNăm 2026\nI\n"
        "3\nRà soát quy định về phí\nkhai thác dữ liệu\nSở Tài chính\nCác sở, ngành\nNăm 2027\nI\n"
    )
    rows = _rows(tmp_path, text)
    assert len(rows) == 4
    t2 = rows["Ban hành hướng dẫn chia sẻ dữ liệu giữa các đơn vị"]
    assert [a.name for a in t2.lead] == ["Sở Khoa học và Công nghệ"]
    assert [a.name for a in t2.coordinators] == ["Sở Tư pháp"]
    t3 = rows["Rà soát quy định về phí khai thác dữ liệu"]
    assert [a.name for a in t3.lead] == ["Sở Tài chính"]
    assert t3.deadline is not None and t3.deadline.year == 2027


def test_a_roman_numeral_that_numbers_a_second_part_anew_still_opens_a_group(tmp_path):
    # groups I, II, then a second part whose groups start again at "I" under a title: a group row
    text = HEAD + (
        "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\nSTT\nTên nhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\n"
        "I\nNHÓM NHIỆM VỤ NĂM THỨ NHẤT\n"
        "1\nLập danh mục hồ sơ cần số hóa.\nSở Nội vụ\nCác sở, ngành\nQuý I/2026\n"
        "II\nNHÓM NHIỆM VỤ NĂM THỨ HAI\n"
        "1\nSố hóa hồ sơ lưu trữ cấp tỉnh.\nSở Nội vụ\nCác sở, ngành\nNăm 2027\n"
        "I\nNHIỆM VỤ CỦA CẤP XÃ\n"
        "1\nCập nhật sổ đăng ký hồ sơ của xã.\nUBND các xã, phường\nSở Nội vụ\nNăm 2027\n"
    )
    rows = _rows(tmp_path, text)
    assert len(rows) == 3
    t3 = rows["Cập nhật sổ đăng ký hồ sơ của xã."]
    assert [a.name for a in t3.lead] == ["UBND các xã, phường"]
