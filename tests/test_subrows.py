"""Sub-rows of a task-table row (round 19, h19-subrows): a numbered ("2.1", "2.1.", "2.1 Text" with
no dot) or lettered ("a)", "b)") sub-row of a task row opens a row of its own. (Inheriting the cells
its parent row states was tried and dropped: it fixed no tune document and added tasks elsewhere.)

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
"Cục Thử nghiệm" and the other bodies named here do not exist); none is copied from a real document.
"""

from __future__ import annotations

from table_rows import TASK_TABLE_HEAD, names, table_tasks

HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"


def test_a_sub_row_number_without_a_dot_on_the_task_line_opens_its_row(tmp_path):
    # synthetic: row 2, then its sub-rows "2.1 Theo dõi …" / "2.2 Tổng hợp …", the number and the
    # task's first line on one line with no dot after the number
    text = HEAD + TASK_TABLE_HEAD + (
        "1 \nRà soát quy chế thử nghiệm \nSở Tư pháp \nSở Nội vụ \nBáo cáo \nNăm 2026 \n"
        "2 \nSắp xếp các trạm thử nghiệm \nSở Nội vụ \nSở Tài chính \nĐề án \nQuý III/2026 \n"
        "2.1 Theo dõi việc sắp xếp các trạm \nthử nghiệm cấp xã \nSở Nội vụ \nỦy ban nhân dân các xã \n"
        "Báo cáo \nThường xuyên \n"
        "2.2 Tổng hợp kết quả sắp xếp \nSở Tài chính \nSở Nội vụ \nBáo cáo \nQuý IV/2026 \n"
        "3 \nLập kế hoạch thử nghiệm \nSở Xây dựng \nSở Nội vụ \nKế hoạch \nNăm 2027 \n"
    )
    _, rows = table_tasks(tmp_path, text)
    by_text = {t.text: t for t in rows}
    one = by_text["Theo dõi việc sắp xếp các trạm thử nghiệm cấp xã"]
    two = by_text["Tổng hợp kết quả sắp xếp"]
    assert names(one.lead) == ["Sở Nội vụ"] and one.deadline.recurrence == "continuous"
    assert names(two.lead) == ["Sở Tài chính"] and names(two.coordinators) == ["Sở Nội vụ"]
    assert two.deadline.text == "Quý IV/2026"
    assert by_text["Sắp xếp các trạm thử nghiệm"].deadline.text == "Quý III/2026"
    assert names(by_text["Lập kế hoạch thử nghiệm"].lead) == ["Sở Xây dựng"]


def test_a_whole_number_without_a_dot_is_no_row(tmp_path):
    # synthetic: "2 Điều 5; …" goes on the "khoản" of the line above, not a row "2"
    text = HEAD + TASK_TABLE_HEAD + (
        "1 \nSửa đổi khoản \n2 Điều 5 của quy chế thử nghiệm \nSở Tư pháp \nSở Nội vụ \nQuyết định \nNăm 2026 \n"
        "2 \nLập kế hoạch thử nghiệm \nSở Tài chính \nSở Nội vụ \nKế hoạch \nNăm 2027 \n"
    )
    _, rows = table_tasks(tmp_path, text)
    assert len(rows) == 2 and "2 Điều 5" in rows[0].text


def test_lettered_sub_rows_of_a_flattened_row(tmp_path):
    # synthetic: row 1 a title with its time cell; its activities lettered "a)" "b)" alone on a
    # line, each with its own lead, b) leaving the partner and time cells to a) (merged down)
    text = HEAD + TASK_TABLE_HEAD + (
        "1 \nPhổ biến quy chế thử nghiệm \nSở Nội vụ \nCác sở, ngành \nBáo cáo \nNăm 2026 \n"
        "a) \nTổ chức hội nghị giới thiệu quy chế. \nSở Tư pháp \nSở Nội vụ \nHội nghị \nQuý III/2026 \n"
        "b) \nBiên soạn tài liệu hướng dẫn quy chế. \nSở Tài chính \n"
        "2 \nLập kế hoạch thử nghiệm \nSở Xây dựng \nSở Nội vụ \nKế hoạch \nNăm 2027 \n"
    )
    _, rows = table_tasks(tmp_path, text)
    by_text = {t.text: t for t in rows}
    a = by_text["Tổ chức hội nghị giới thiệu quy chế."]
    b = by_text["Biên soạn tài liệu hướng dẫn quy chế."]
    assert names(a.lead) == ["Sở Tư pháp"] and a.deadline.text == "Quý III/2026"
    assert names(b.lead) == ["Sở Tài chính"] and names(b.coordinators) == ["Sở Nội vụ"]
    assert b.deadline.text == "Quý III/2026"
    assert names(by_text["Lập kế hoạch thử nghiệm"].lead) == ["Sở Xây dựng"]


def test_lettered_sub_rows_of_a_pipe_table(tmp_path):
    # synthetic: a table written one row a line; "a)" "b)" in the STT cell under row 1
    text = HEAD + (
        "Phụ lục\nDANH MỤC NHIỆM VỤ\n"
        "TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
        "1 | Phổ biến quy chế thử nghiệm | Sở Nội vụ | Các sở, ngành | Năm 2026\n"
        "a) | Tổ chức hội nghị giới thiệu quy chế | Sở Tư pháp | Sở Nội vụ | Quý III/2026\n"
        "b) | Biên soạn tài liệu hướng dẫn quy chế | Sở Tài chính | Sở Nội vụ | Quý IV/2026\n"
        "2 | Lập kế hoạch thử nghiệm | Sở Xây dựng | Sở Tài chính | Năm 2027\n"
    )
    _, rows = table_tasks(tmp_path, text)
    by_text = {t.text: t for t in rows}
    a = by_text["Tổ chức hội nghị giới thiệu quy chế"]
    b = by_text["Biên soạn tài liệu hướng dẫn quy chế"]
    assert names(a.lead) == ["Sở Tư pháp"] and a.deadline.text == "Quý III/2026"
    assert names(b.lead) == ["Sở Tài chính"] and b.deadline.text == "Quý IV/2026"
    assert names(by_text["Lập kế hoạch thử nghiệm"].lead) == ["Sở Xây dựng"]
