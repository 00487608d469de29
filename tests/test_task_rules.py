"""One small test per task rule of issue 10: tables, role lines, heads, subjects, names, deadlines.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn" does not
exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.deadlines import find_deadlines, parse_deadline
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.model import Clause, Span
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import Task, column_roles, extract_tasks, jurisdiction_of


def _clauses(rows: list[tuple[str, str | None, str]], doc_id: str = "t") -> list[Clause]:
    """(path, parent, text) -> clauses in that order."""
    return [
        Clause(clause_id=f"{doc_id}:{p}", doc_id=doc_id, path=p, kind="diem", label=p, marker="", text=t,
               heading_chain=[], parent=parent, order=i, span=Span(0, len(t), 1, 1))
        for i, (p, parent, t) in enumerate(rows)
    ]


def _by_path(tasks: list[Task]) -> dict[str, Task]:
    return {t.path: t for t in tasks}


def names(refs) -> list[str]:
    return [r.name for r in refs]


def _parse_txt(tmp_path: Path, text: str):
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    src = load_txt(f)
    doc = parse_document(src, doc_id="t", file_name=f.name, content_hash="")
    return src, doc, _by_path(extract_tasks(doc.clauses))


HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"

# --- tables -------------------------------------------------------------------------------


def test_pipe_table_rows_become_task_rows(tmp_path):
    text = HEAD + (
        "PHỤ LỤC\n\nDANH MỤC NHIỆM VỤ\n\n"
        "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian dự kiến hoàn thành\n"
        "I. NHÓM THỂ CHẾ\n"
        "1 | Rà soát quy chế phối hợp của tỉnh | Sở Tư pháp | Sở Nội vụ; UBND các xã, phường | Quý IV/2026\n"
        "2 | Xây dựng cơ sở dữ liệu cán bộ | Sở Nội vụ | Sở KH&CN | Năm 2026 - 2027\n"
        "Vận hành thử cơ sở dữ liệu cán bộ | Sở Khoa học và Công nghệ\n"
    )
    src, doc, tasks = _parse_txt(tmp_path, text)
    assert src.tables == 1
    rows = [t for t in tasks.values() if t.pattern == "bảng phụ lục"]
    assert len(rows) == 3
    one = next(t for t in rows if t.text.startswith("Rà soát"))
    assert names(one.lead) == ["Sở Tư pháp"] and names(one.coordinators) == ["Sở Nội vụ", "UBND các xã, phường"]
    assert one.deadline.text == "Quý IV/2026" and one.deadline.date == "2026-12-31"
    two = next(t for t in rows if t.text.startswith("Xây dựng"))
    assert two.deadline.text == "Năm 2026 - 2027" and two.deadline.kind == "period"
    # the second line of row 2 (its STT cell merged down) is a task of its own, with the merged cells
    sub = next(t for t in rows if t.text.startswith("Vận hành"))
    assert names(sub.lead) == ["Sở Khoa học và Công nghệ"]
    assert names(sub.coordinators) == ["Sở KH&CN"] and sub.deadline.text == "Năm 2026 - 2027"
    assert sub.path != two.path


def test_flattened_table_one_cell_fragment_a_line(tmp_path):
    text = HEAD + (
        "Phụ lục\nDANH MỤC NHIỆM VỤ\n"
        "STT \nNhiệm vụ \nCơ quan chủ trì \nCơ quan phối hợp \nTiến độ \nthực hiện \n"
        "1 \nTổ chức tập huấn nghiệp vụ \ncho cán bộ cấp xã \nSở Nội vụ \nSở Tài chính và \nUBND các xã, phường \nQuý III/2026 \n"
        "2 \nKiểm tra việc thực hiện \nSở Khoa học và \nCông nghệ \nCác sở, ban, ngành \nHằng năm \n"
    )
    src, doc, tasks = _parse_txt(tmp_path, text)
    rows = sorted((t for t in tasks.values() if t.pattern == "bảng phụ lục"), key=lambda t: t.path)
    assert [t.text for t in rows] == ["Tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã", "Kiểm tra việc thực hiện"]
    assert names(rows[0].lead) == ["Sở Nội vụ"]
    assert names(rows[0].coordinators) == ["Sở Tài chính", "UBND các xã, phường"]
    assert rows[0].deadline.text == "Quý III/2026"
    assert names(rows[1].lead) == ["Sở Khoa học và Công nghệ"] and rows[1].deadline.recurrence == "yearly"


def test_column_roles_any_header_wording():
    g = load_gazetteer()
    roles = column_roles(["TT", "Nội dung công việc", "Cơ quan thực hiện / Chủ trì", "Cơ quan thực hiện / Phối hợp",
                          "Thời gian / Bắt đầu", "Thời gian / Hoàn thành", "Sản phẩm", "Ghi chú"], g)
    assert roles["task"] == "Nội dung công việc"
    assert roles["lead"] == "Cơ quan thực hiện / Chủ trì"
    assert roles["coordinators"] == "Cơ quan thực hiện / Phối hợp"
    assert roles["deadline"] == "Thời gian / Hoàn thành"
    assert roles["product"] == "Sản phẩm"
    assert column_roles(["STT", "Nhiệm vụ", "Đơn vị chủ trì thực hiện", "Thời gian dự kiến hoàn thành"], g) == {
        "task": "Nhiệm vụ", "lead": "Đơn vị chủ trì thực hiện", "deadline": "Thời gian dự kiến hoàn thành"}


# --- role lines ---------------------------------------------------------------------------


def test_role_lines_under_task_bullets():
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Về số hóa hồ sơ"),
        ("1.a", "1", "Nhiệm vụ:"),
        ("1.a.1", "1.a", "Số hóa hồ sơ lưu trữ của các cơ quan tỉnh."),
        ("1.a.2", "1.a", "Kết nối kho dữ liệu với hệ thống quốc gia."),
        ("1.b", "1", "Cơ quan thực hiện:"),
        ("1.b.1", "1.b", "Đơn vị chủ trì: Sở Nội vụ."),
        ("1.b.2", "1.b", "Đơn vị phối hợp: Sở Tài chính, UBND các xã, phường."),
        ("1.c", "1", "Thời gian thực hiện: Hoàn thành trong năm 2026."),
        ("2", None, "Tổ chức hội nghị sơ kết"),
        ("2.1", "2", "- Cơ quan chủ trì: Văn phòng UBND tỉnh."),
        ("2.2", "2", "- Thời hạn: Quý IV/2026."),
    ])))
    for path in ("1.a.1", "1.a.2"):
        assert names(tasks[path].lead) == ["Sở Nội vụ"], path
        assert names(tasks[path].coordinators) == ["Sở Tài chính", "UBND các xã, phường"]
        assert tasks[path].deadline.text == "Hoàn thành trong năm 2026"
        assert tasks[path].pattern == "dòng vai trò"
    assert names(tasks["2"].lead) == ["Văn phòng UBND tỉnh"] and tasks["2"].deadline.text == "Quý IV/2026"
    # the role lines and the "Nhiệm vụ:" label are no tasks
    assert not {"1.a", "1.b", "1.b.1", "1.b.2", "1.c", "2.1", "2.2"} & set(tasks)


def test_role_lines_inline():
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Xây dựng bản đồ số nông nghiệp. Cơ quan chủ trì: Sở Nông nghiệp và Môi trường. "
                    "Cơ quan phối hợp: Sở Tài chính. Thời gian hoàn thành: trước ngày 30/6/2026."),
    ])))
    t = tasks["1"]
    assert t.text == "Xây dựng bản đồ số nông nghiệp."
    assert names(t.lead) == ["Sở Nông nghiệp và Môi trường"] and names(t.coordinators) == ["Sở Tài chính"]
    assert t.deadline.date == "2026-06-30"


# --- owners -------------------------------------------------------------------------------


def test_heads_of_agencies_are_their_agency():
    tasks = _by_path(extract_tasks(_clauses([
        ("D3", None, "Chánh Văn phòng UBND tỉnh, Giám đốc các sở: Tài chính, Y tế và Chủ tịch UBND cấp xã "
                     "chịu trách nhiệm thi hành Quyết định này."),
        ("5", None, "Bộ trưởng Bộ Nội vụ chỉ đạo rà soát biên chế của các cơ quan."),
        ("6", None, "Giám đốc Sở Y tế tổ chức kiểm tra an toàn thực phẩm."),
    ])))
    assert names(tasks["D3"].lead) == ["Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Y tế", "UBND cấp xã"]
    assert [r.agency_id for r in tasks["D3"].lead] == ["van-phong-ubnd-tinh", "so-tai-chinh", "so-y-te", "ubnd-cap-xa"]
    assert names(tasks["5"].lead) == ["Bộ Nội vụ"]
    assert names(tasks["6"].lead) == ["Sở Y tế"]


def test_inheritance_from_agency_headings_nearest_wins():
    tasks = _by_path(extract_tasks(_clauses([
        ("3", None, "Các sở, ban, ngành tỉnh"),
        ("3.a", "3", "Sở Tài chính"),
        ("3.a.1", "3.a", "Bố trí kinh phí thực hiện Kế hoạch."),
        ("3.b", "3", "Rà soát các nhiệm vụ được giao."),
        ("4", None, "Trung tâm Phục vụ hành chính công tỉnh (cơ quan đầu mối)"),
        ("4.1", "4", "Theo dõi tiến độ giải quyết hồ sơ."),
        ("5", None, "Sở Y tế"),
        ("5.a", "5", "Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan:"),
        ("5.a.1", "5.a", "Tổ chức tiêm chủng mở rộng."),
    ])))
    assert names(tasks["3.a.1"].lead) == ["Sở Tài chính"]  # not the parent's "Các sở, ban, ngành tỉnh"
    assert names(tasks["3.b"].lead) == ["Các sở, ban, ngành tỉnh"]
    assert names(tasks["4.1"].lead) == ["Trung tâm Phục vụ hành chính công tỉnh"]
    assert names(tasks["5.a.1"].lead) == ["Sở Y tế"]
    assert names(tasks["5.a.1"].coordinators) == ["các cơ quan, đơn vị có liên quan"]


def test_subject_after_an_opening_phrase():
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Để bảo đảm tiến độ, chất lượng, các Sở, ban, ngành tổ chức kiểm tra định kỳ."),
        ("2", None, "Trường hợp hồ sơ chưa đầy đủ, thì Văn phòng UBND tỉnh trả lại trong 03 ngày làm việc."),
    ])))
    assert names(tasks["1"].lead) == ["các Sở, ban, ngành"]
    assert names(tasks["2"].lead) == ["Văn phòng UBND tỉnh"]
    assert tasks["2"].deadline.kind == "relative"


def test_one_task_per_subject_in_a_clause():
    tasks = extract_tasks(_clauses([
        ("7", None, "Sở Xây dựng hướng dẫn quy trình cấp phép; UBND cấp xã tổ chức tiếp nhận hồ sơ; "
                    "định kỳ hằng quý báo cáo kết quả về Sở Xây dựng."),
    ]))
    # after two subjects, the reporting part with none is theirs together
    assert [names(t.lead) for t in tasks] == [["Sở Xây dựng"], ["UBND cấp xã"], ["Sở Xây dựng", "UBND cấp xã"]]
    assert tasks[1].deadline is None and tasks[2].deadline.recurrence == "quarterly"
    assert len({t.task_id for t in tasks}) == 3
    # with one subject, a part with none stays in its task
    [one] = extract_tasks(_clauses([("8", None, "Sở Y tế rà soát danh mục thuốc; định kỳ hằng năm báo cáo UBND tỉnh.")]))
    assert names(one.lead) == ["Sở Y tế"] and one.deadline.recurrence == "yearly"


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, name, agency_id", [
    ("Ngân hàng Nhà nước Khu vực 9 hướng dẫn", "Ngân hàng Nhà nước Khu vực 9", "nhnn-khu-vuc"),
    ("Công an thành phố chủ trì", "Công an thành phố", "cong-an-tinh"),
    ("Thanh tra Thành phố kiểm tra", "Thanh tra Thành phố", "thanh-tra-tinh"),
    ("Thuế tỉnh hướng dẫn", "Thuế tỉnh", "thue-tinh"),
    ("Đài Truyền hình Việt Nam phối hợp", "Đài Truyền hình Việt Nam", "dai-truyen-hinh-viet-nam"),
    ("Viettel và VNPT bảo đảm", "Viettel", "viettel"),
    ("Báo và Phát thanh - Truyền hình tỉnh đưa tin", "Báo và Phát thanh - Truyền hình tỉnh",
     "bao-va-phat-thanh-truyen-hinh-tinh"),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chỉ đạo", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
     "ubnd-cac-tinh-thanh-pho"),
])
def test_names_national_press_corporations_cities(text, name, agency_id):
    first = load_gazetteer().find(text)[0]
    assert (first.text, first.agency_id) == (name, agency_id)


def test_unknown_names_stop_before_the_verb():
    g = load_gazetteer()
    found = g.find("Sở Ngoại vụ tổ chức đón đoàn; Ban Quản lý Khu kinh tế tỉnh hướng dẫn doanh nghiệp.")
    assert [m.text for m in found] == ["Sở Ngoại vụ", "Ban Quản lý Khu kinh tế tỉnh"]
    assert all(m.agency_id is None for m in found)


def test_collective_names_the_gazetteer_lacks():
    g = load_gazetteer()
    found = g.find("phối hợp với các sở, ngành, địa phương có liên quan và các đơn vị trực thuộc Sở Y tế")
    assert [m.text for m in found] == ["các sở, ngành, địa phương có liên quan", "các đơn vị trực thuộc Sở Y tế"]


def test_jurisdiction_is_part_of_the_identity():
    assert jurisdiction_of("Ủy ban nhân dân tỉnh Bình Sơn") == "Bình Sơn"
    assert jurisdiction_of("Thủ tướng Chính phủ") is None
    clauses = _clauses([("1", None, "Sở Tài chính chủ trì, phối hợp với Bộ Tài chính rà soát dự toán.")])
    a = extract_tasks(clauses, jurisdiction="Bình Sơn")[0]
    b = extract_tasks(clauses, jurisdiction="Hòa Phong")[0]
    assert a.lead[0].agency_id == b.lead[0].agency_id == "so-tai-chinh"
    assert (a.lead[0].jurisdiction, b.lead[0].jurisdiction) == ("Bình Sơn", "Hòa Phong")
    assert a.coordinators[0].jurisdiction is None  # a ministry belongs to no province


# --- deadlines -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind, recurrence, date", [
    ("tổ chức trong năm học 2025 - 2026", "period", None, "2026-12-31"),
    ("kiểm tra 02 lần/năm", "recurring", "yearly", None),
    ("diễn tập tối thiểu 01 lần/năm", "recurring", "yearly", None),
    ("báo cáo định kỳ 6 tháng", "recurring", "half-yearly", None),
    ("hoàn thành chậm nhất ngày 15/8/2026", "date", None, "2026-08-15"),
    ("báo cáo trước ngày 15 hằng tháng", "recurring", "monthly", None),
    ("hoàn thành trong tháng 12/2025", "month", None, "2025-12-31"),
    ("trả lời trong 05 ngày làm việc, kể từ ngày nhận hồ sơ", "relative", None, None),
])
def test_deadline_forms_in_prose(text, kind, recurrence, date):
    d = find_deadlines(text)[0]
    assert (d.kind, d.recurrence, d.date) == (kind, recurrence, date)


@pytest.mark.parametrize("cell, kind", [
    ("Năm 2026 - 2027", "period"),
    ("Quý IV/2026 (sơ kết); Quý IV/2027 (tổng kết)", "quarter"),
    ("Quí IV-2025", "quarter"),
    ("Thường xuyên", "continuous"),
    ("Hằng năm", "recurring"),
    ("Thường xuyên, hằng năm", "recurring"),
])
def test_deadline_cells_are_the_deadline_as_written(cell, kind):
    d = parse_deadline(cell + ".")
    assert d.text == cell and d.kind == kind


def test_merged_two_row_headers(tmp_path):
    text = HEAD + (
        "PHỤ LỤC\n\n"
        "STT | Nội dung | Cơ quan thực hiện | Thời gian hoàn thành\n"
        "Chủ trì | Phối hợp\n"
        "1 | Lập danh mục dữ liệu dùng chung | Sở Khoa học và Công nghệ | Sở Nội vụ | Tháng 9/2026\n"
    )
    _, _, tasks = _parse_txt(tmp_path, text)
    [row] = [t for t in tasks.values() if t.pattern == "bảng phụ lục"]
    assert names(row.lead) == ["Sở Khoa học và Công nghệ"] and names(row.coordinators) == ["Sở Nội vụ"]
    assert row.deadline.date == "2026-09-30"


def test_flattened_merged_header(tmp_path):
    text = HEAD + (
        "Phụ lục\n"
        "STT \nNội dung \nCơ quan thực hiện \nChủ trì \nPhối hợp \nThời gian \n"
        "1 \nLập danh mục dữ liệu \nSở Nội vụ \nSở Tư pháp \nNăm 2026 \n"
    )
    _, _, tasks = _parse_txt(tmp_path, text)
    [row] = [t for t in tasks.values() if t.pattern == "bảng phụ lục"]
    assert names(row.lead) == ["Sở Nội vụ"] and names(row.coordinators) == ["Sở Tư pháp"]
    assert row.deadline.text == "Năm 2026"


def test_flattened_table_time_before_product_and_empty_partners(tmp_path):
    text = HEAD + (
        "Phụ lục\n"
        "STT \nNhiệm vụ \nCơ quan chủ trì \nCơ quan phối hợp \nThời hạn \nSản phẩm \n"
        "1 \nSửa đổi quy chế quản lý \ndữ liệu dùng chung \nSở Tư pháp \nQuý II/2026 \nQuyết định của \nUBND tỉnh \n"
        "2 \nRà soát thủ tục hành chính \nSở Nội vụ \nCác sở, ngành \nNăm 2027 \nBáo cáo \n"
    )
    _, _, tasks = _parse_txt(tmp_path, text)
    rows = sorted((t for t in tasks.values() if t.pattern == "bảng phụ lục"), key=lambda t: t.path)
    assert names(rows[0].lead) == ["Sở Tư pháp"] and rows[0].coordinators == []
    assert rows[0].deadline.text == "Quý II/2026" and rows[0].product == "Quyết định của UBND tỉnh"
    assert names(rows[1].coordinators) == ["Các sở, ngành"] and rows[1].product == "Báo cáo"


def test_flattened_table_with_group_rows_on_one_line(tmp_path):
    text = HEAD + (
        "Phụ lục\n"
        "STT \nNhiệm vụ \nCơ quan chủ trì \nThời hạn \n"
        "I. NHÓM NHIỆM VỤ VỀ THỂ CHẾ \n"
        "1 \nBan hành quy định phân cấp \nSở Nội vụ \nNăm 2026 \n"
        "II. NHÓM NHIỆM VỤ VỀ HẠ TẦNG \n"
        "1 \nNâng cấp trung tâm dữ liệu \nSở Khoa học và \nCông nghệ \nQuý IV/2026 \n"
    )
    _, doc, tasks = _parse_txt(tmp_path, text)
    groups = [c for c in doc.clauses if c.kind == "appendix_group"]
    assert [c.text for c in groups] == ["NHÓM NHIỆM VỤ VỀ THỂ CHẾ", "NHÓM NHIỆM VỤ VỀ HẠ TẦNG"]
    rows = sorted((t for t in tasks.values() if t.pattern == "bảng phụ lục"), key=lambda t: t.path)
    assert [(names(t.lead), t.deadline.text) for t in rows] == [
        (["Sở Nội vụ"], "Năm 2026"), (["Sở Khoa học và Công nghệ"], "Quý IV/2026")]


# --- round two: rules written from how documents are phrased, not from one document ------------


def test_role_line_value_that_is_a_sentence():
    """"Cơ quan thực hiện: X chủ trì, phối hợp với Y …": X leads, Y are partners, not all leads."""
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Hoạt động truyền thông"),
        ("1.1", "1", "Nội dung: In tờ rơi về phòng chống đuối nước cho học sinh."),
        ("1.2", "1", "Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp với Sở Giáo dục và Đào tạo, "
                     "UBND các xã, phường."),
        ("2", None, "Phổ biến quy chế mới"),
        ("2.1", "2", "Nội dung: Phổ biến quy chế tiếp công dân."),
        ("2.2", "2", "Cơ quan thực hiện: Sở Tư pháp chủ trì tham mưu UBND tỉnh ban hành văn bản; "
                     "Sở Nội vụ và UBND các xã, phường chủ động triển khai trong phạm vi quản lý."),
    ])))
    t = tasks["1.1"]
    assert names(t.lead) == ["Sở Y tế"]
    assert names(t.coordinators) == ["Sở Giáo dục và Đào tạo", "UBND các xã, phường"]
    t = tasks["2.1"]
    assert names(t.lead) == ["Sở Tư pháp", "Sở Nội vụ", "UBND các xã, phường"]
    assert "UBND tỉnh" in names(t.advises) and "UBND tỉnh" not in names(t.lead)
    # a plain list of names stays a list of leads
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Tập huấn cán bộ"),
        ("1.1", "1", "Cơ quan chủ trì: Sở Nội vụ, Sở Tài chính."),
    ])))
    assert names(tasks["1"].lead) == ["Sở Nội vụ", "Sở Tài chính"]


def test_heading_of_names_ending_in_collective_nouns():
    """"5. Các hợp tác xã, tổ chức, cá nhân có liên quan" over bullets: a heading of names ("tổ
    chức" is a noun and "có liên quan" no verb), its bullets are its tasks."""
    tasks = _by_path(extract_tasks(_clauses([
        ("5", None, "Các hợp tác xã nông nghiệp, tổ chức, cá nhân có liên quan"),
        ("5.1", "5", "Tham gia chuỗi liên kết tiêu thụ nông sản."),
        ("5.2", "5", "Bảo đảm kinh phí đối ứng cho các dự án được hỗ trợ."),
    ])))
    assert "5" not in tasks
    for path in ("5.1", "5.2"):
        assert names(tasks[path].lead) == ["Các hợp tác xã nông nghiệp, tổ chức, cá nhân có liên quan"], path


@pytest.mark.parametrize("text, lead, pattern", [
    ("UBND tỉnh giao Sở Công Thương theo dõi giá cả thị trường, báo cáo hằng tháng.", ["Sở Công Thương"], "giao"),
    ("Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tỉnh và UBND các xã, phường báo cáo kết quả.",
     ["các sở, ban, ngành tỉnh", "UBND các xã, phường"], "giao"),
    ("UBND tỉnh đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp giám sát.",
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], "đề nghị"),
])
def test_the_one_given_the_work_owns_it(text, lead, pattern):
    """"X giao/yêu cầu/đề nghị Y …": Y owns the task, X only gives it."""
    (task,) = extract_tasks(_clauses([("1", None, text)]))
    assert names(task.lead) == lead
    assert task.pattern.startswith(pattern)


def test_collective_subject_runs_on_to_its_duty():
    """"Các hợp tác xã chăn nuôi trên địa bàn tỉnh có trách nhiệm:" - the gazetteer reads only "Các
    hợp tác xã"; the subject is everything up to the duty phrase. A known body followed by a phrase
    of scope ("Sở Y tế trong phạm vi …") does not grow."""
    tasks = _by_path(extract_tasks(_clauses([
        ("3", None, "Các hợp tác xã chăn nuôi trên địa bàn tỉnh có trách nhiệm:"),
        ("3.a", "3", "Kê khai số lượng đàn vật nuôi hằng quý."),
        ("4", None, "Các cơ quan quản lý nhà nước, tổ chức, cá nhân liên quan có trách nhiệm phòng, chống "
                    "dịch bệnh gia súc."),
        ("5", None, "Sở Y tế trong phạm vi chức năng có trách nhiệm kiểm tra an toàn thực phẩm."),
        ("6", None, "Các sở, ngành trong phạm vi quản lý có trách nhiệm rà soát thủ tục."),
    ])))
    assert names(tasks["3.a"].lead) == ["Các hợp tác xã chăn nuôi trên địa bàn tỉnh"]
    assert names(tasks["4"].lead) == ["Các cơ quan quản lý nhà nước, tổ chức, cá nhân liên quan"]
    assert names(tasks["5"].lead) == ["Sở Y tế"]
    assert names(tasks["6"].lead) == ["Các sở, ngành"]


@pytest.mark.parametrize("text, lead", [
    # a name the recogniser guesses stops before "xem xét" (no longer runs on into the verb)
    ("Giao Bộ trưởng Bộ Văn hóa Nghệ thuật Dân gian xem xét, quyết định các vấn đề phát sinh.",
     ["Bộ Văn hóa Nghệ thuật Dân gian"]),
    # national bodies older decisions name
    ("Đề nghị Tổng Liên đoàn Lao động Việt Nam tham gia giám sát việc chi trả.",
     ["Tổng Liên đoàn Lao động Việt Nam"]),
    ("Bộ Lao động - Thương binh và Xã hội hướng dẫn thủ tục chi trả.", ["Bộ Lao động - Thương binh và Xã hội"]),
])
def test_national_bodies_and_names_that_stop_before_verbs(text, lead):
    (task,) = extract_tasks(_clauses([("1", None, text)]))
    assert names(task.lead) == lead


def test_heading_of_names_written_as_a_paragraph():
    """The layout left the marker in the text ("b) Sở Công Thương" as a plain paragraph): the
    bullets after it are that agency's, up to the next such heading; a numbered paragraph that
    names no one ("2.2. Trách nhiệm riêng") ends the run."""
    tasks = _by_path(extract_tasks(_clauses([
        ("2", None, "Các sở, ngành có trách nhiệm:"),
        ("2.p1", "2", "2.1. Trách nhiệm riêng"),
        ("2.p2", "2", "a) Sở Công Thương"),
        ("2.-1", "2", "Theo dõi giá xăng dầu trên địa bàn."),
        ("2.p3", "2", "Khi giá biến động bất thường, báo cáo ngay."),
        ("2.-2", "2", "Kiểm tra các cửa hàng bán lẻ."),
        ("2.p4", "2", "b) Công an tỉnh, Sở Tài chính"),
        ("2.-3", "2", "Xử lý các hành vi đầu cơ, găm hàng."),
    ])))
    for path in ("2.-1", "2.p3", "2.-2"):
        assert names(tasks[path].lead) == ["Sở Công Thương"], path
    assert names(tasks["2.-3"].lead) == ["Công an tỉnh", "Sở Tài chính"]
    assert "2.p2" not in tasks and "2.p4" not in tasks  # the headings are no tasks


def test_collective_subject_with_its_members_in_brackets():
    """"Các cơ quan cấp phép (Sở Xây dựng, Ban Quản lý các khu công nghiệp tỉnh):" - the members
    own the points; a name that opens with a head word keeps its lower-case verb-like words."""
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Các cơ quan cấp phép (Sở Xây dựng, Ban Quản lý các khu công nghiệp tỉnh):"),
        ("1.a", "1", "Tiếp nhận hồ sơ đề nghị cấp phép xây dựng."),
        ("2", None, "Các sở, ngành (trừ các đơn vị đã được giao tại khoản 1) có trách nhiệm:"),
        ("2.a", "2", "Phối hợp cung cấp thông tin khi được đề nghị."),
    ])))
    assert names(tasks["1.a"].lead) == ["Sở Xây dựng", "Ban Quản lý các khu công nghiệp tỉnh"]
    assert names(tasks["2.a"].lead) == ["Các sở, ngành"]


def test_paragraph_markers_are_no_subject_and_heading_paragraphs_no_task():
    """"2. Giao Sở Tư pháp …" left as a paragraph: the owner is read after the marker; "III. TỔ
    CHỨC THỰC HIỆN" as a paragraph is a heading, no task; "2025 …" is no marker."""
    tasks = _by_path(extract_tasks(_clauses([
        ("9", None, "Ủy ban nhân dân các xã"),
        ("9.p1", "9", "III. TỔ CHỨC THỰC HIỆN"),
        ("9.p2", "9", "2. Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch."),
        ("9.p3", "9", "b) Sở Nội vụ tổng hợp kết quả thi đua."),
        ("9.p4", "9", "B. NHIỆM VỤ CẤP XÃ"),
    ])))
    assert "9.p1" not in tasks and "9.p4" not in tasks
    assert names(tasks["9.p2"].lead) == ["Sở Tư pháp"] and tasks["9.p2"].pattern.startswith("giao")
    assert names(tasks["9.p3"].lead) == ["Sở Nội vụ"]


def test_collective_given_work_runs_on_to_its_duty():
    """"Các đơn vị được giao chủ trì nhiệm vụ tại Phụ lục có trách nhiệm …": what the bodies were
    given is part of who they are."""
    (task,) = extract_tasks(_clauses([
        ("3", None, "Các đơn vị được giao chủ trì nhiệm vụ tại Phụ lục có trách nhiệm bố trí nhân lực."),
    ]))
    assert names(task.lead) == ["Các đơn vị được giao chủ trì nhiệm vụ tại Phụ lục"]


@pytest.mark.parametrize("text, expected", [
    ("Sở Tài chính bố trí kinh phí chi thường xuyên cho các đơn vị.", []),
    ("Mở lớp tại các trung tâm giáo dục thường xuyên của tỉnh.", []),
    ("Thường xuyên kiểm tra chất lượng nước sinh hoạt.", ["Thường xuyên"]),
    ("Lập điều chỉnh Quy hoạch vùng Bình Sơn thời kỳ 2021 - 2030, tầm nhìn đến năm 2050.", []),
    ("Tiếp tục thực hiện Chiến lược phát triển nông nghiệp xanh, bền vững đến năm 2030.", []),
    ("Triển khai Đề án trồng rừng ven biển đến năm 2030; hoàn thành trong năm 2027.", ["trong năm 2027"]),
    ("Xây dựng Đề án trồng rừng, hoàn thành đến năm 2026.", ["đến năm 2026"]),
    ("Điều chỉnh quy hoạch hạ tầng viễn thông trong các khu công nghiệp đến năm 2030.", ["đến năm 2030"]),
])
def test_time_words_that_are_no_deadline(text, expected):
    """"chi thường xuyên" is a kind of spending, "tầm nhìn đến năm 2050" a horizon, and a year in
    the title of a named plan ("Chiến lược … đến năm 2030") dates that plan, not the task."""
    assert [d.text for d in find_deadlines(text)] == expected


def test_a_name_read_whole_once_is_that_name_elsewhere():
    """A heading reads "Ban Điều phối các vùng nguyên liệu và vùng chuyên canh" whole; a later
    "phối hợp với Ban Điều phối …" that the reader cut short is grown to the same name."""
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Ban Điều phối các vùng nguyên liệu và vùng chuyên canh"),
        ("1.1", "1", "Rà soát diện tích vùng nguyên liệu."),
        ("2", None, "Sở Công Thương chủ trì, phối hợp với Ban Điều phối các vùng nguyên liệu và vùng chuyên canh "
                    "kết nối tiêu thụ."),
    ])))
    assert names(tasks["1.1"].lead) == ["Ban Điều phối các vùng nguyên liệu và vùng chuyên canh"]
    assert names(tasks["2"].coordinators) == ["Ban Điều phối các vùng nguyên liệu và vùng chuyên canh"]


def test_courts_and_procuracy_of_a_province():
    tasks = _by_path(extract_tasks(_clauses([
        ("14", None, "Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh"),
        ("14.a", "14", "Phối hợp chặt chẽ với Công an tỉnh trong điều tra, truy tố, xét xử."),
    ])))
    assert names(tasks["14.a"].lead) == ["Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"]
    assert [r.agency_id for r in tasks["14.a"].lead] == ["vien-kiem-sat-nhan-dan-tinh", "toa-an-nhan-dan-tinh"]


def test_guessed_name_goes_on_after_va_with_a_lower_case_word():
    """"Ban Quản lý các khu kinh tế và cửa khẩu Bình Sơn chỉ đạo …": "và cửa khẩu" continues the
    name; "và các đơn vị" starts another."""
    (task,) = extract_tasks(_clauses([("1", None, "Giao Ban Quản lý khu kinh tế và cửa khẩu Bình Sơn chỉ đạo các "
                                                  "doanh nghiệp trong khu kinh tế.")]))
    assert names(task.lead) == ["Ban Quản lý khu kinh tế và cửa khẩu Bình Sơn"]
    (task,) = extract_tasks(_clauses([("1", None, "Ban Quản lý Dự án Bình Sơn và các đơn vị liên quan rà soát hồ sơ.")]))
    assert names(task.lead) == ["Ban Quản lý Dự án Bình Sơn", "các đơn vị liên quan"]


def test_subject_list_after_an_opening_with_verbs_in_it():
    """"Để tăng cường đánh giá, kiểm tra …, các sở, UBND các xã … triển khai …:" - a verb after a
    comma inside the opening does not hide the list of bodies after it; a single name after such a
    verb ("…, gửi kết quả đến Sở Y tế, UBND tỉnh xem xét") is still no subject."""
    tasks = _by_path(extract_tasks(_clauses([
        ("5", None, "Để tăng cường đánh giá, kiểm tra và giám sát các dự án, các sở, ngành, UBND các xã theo "
                    "chức năng triển khai những nội dung sau:"),
        ("5.a", "5", "Định kỳ đánh giá tình hình hoạt động của các dự án."),
        ("6", None, "Trong 05 ngày làm việc, gửi kết quả đến Sở Y tế, UBND tỉnh xem xét."),
    ])))
    assert names(tasks["5.a"].lead) == ["các sở, ngành", "UBND các xã"]
    assert "6" not in tasks


def test_bodies_named_by_their_part_in_a_procedure():
    """"Cơ quan phối hợp có trách nhiệm trả lời …" and a heading "3. Cơ quan tiếp nhận hồ sơ đăng ký"
    over points: the body is named by its part; a role label "Cơ quan chủ trì:" stays a label."""
    tasks = _by_path(extract_tasks(_clauses([
        ("3", None, "Cơ quan tiếp nhận hồ sơ đăng ký"),
        ("3.a", "3", "Kiểm tra tính hợp lệ của hồ sơ."),
        ("4", None, "Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản đúng thời hạn."),
        ("5", None, "Cấp giấy phép hoạt động"),
        ("5.1", "5", "Cơ quan chủ trì: Sở Công Thương."),
    ])))
    assert names(tasks["3.a"].lead) == ["Cơ quan tiếp nhận hồ sơ đăng ký"]
    assert names(tasks["4"].lead) == ["Cơ quan phối hợp"]
    assert names(tasks["5"].lead) == ["Sở Công Thương"]


def test_role_noun_as_subject_of_a_duty():
    """A role noun (a body or person named by what it does, [roles].role_subject_heads) written as
    the subject of "có trách nhiệm": as a heading over lettered duties, as the subject of a point
    under another heading (its own subject wins), closed by a place; not when the words before the
    duty phrase are a verb's scope ("được giao") or run into another name."""
    tasks = _by_path(extract_tasks(_clauses([
        ("1", None, "Cơ quan cấp phép có trách nhiệm:"),
        ("1.a", "1", "Rà soát hồ sơ đề nghị cấp phép của các hộ kinh doanh."),
        ("1.b", "1", "Công khai kết quả giải quyết trên cổng thông tin điện tử."),
        ("2", None, "Nhà đầu tư có trách nhiệm:"),
        ("2.a", "2", "Hoàn thành công trình đúng tiến độ đã cam kết."),
        ("3", None, "Trách nhiệm của các tổ chức, cá nhân có liên quan"),
        ("3.1", "3", "Doanh nghiệp, hợp tác xã Bình Sơn có trách nhiệm báo cáo số liệu đúng hạn."),
        ("3.2", "3", "Người được giao quản lý kho có trách nhiệm kiểm kê hằng quý."),
    ])))
    assert names(tasks["1.a"].lead) == ["Cơ quan cấp phép"]
    assert names(tasks["1.b"].lead) == ["Cơ quan cấp phép"]
    assert names(tasks["2.a"].lead) == ["Nhà đầu tư"]
    assert names(tasks["3.1"].lead) == ["Doanh nghiệp, hợp tác xã Bình Sơn"]
    assert names(tasks["3.2"].lead) == ["các tổ chức, cá nhân có liên quan"]  # "được giao": no name of its own


def test_competent_body_as_partner_keeps_its_competence():
    """"phối hợp với cơ quan có thẩm quyền …": the partner is the competent body, not "cơ quan"."""
    (task,) = extract_tasks(_clauses([
        ("1", None, "Sở Công Thương phối hợp với cơ quan có thẩm quyền kiểm tra các cửa hàng xăng dầu."),
    ]))
    assert names(task.lead) == ["Sở Công Thương"]
    assert names(task.coordinators) == ["cơ quan có thẩm quyền"]
