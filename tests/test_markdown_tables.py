"""Task tables a markdown converter wrote into a .txt (round 18, h18-sct): rows between outer pipes
with a "| --- |" rule under the header, after a signature table and an appendix title.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
"Cục Thử nghiệm" and the other bodies named here do not exist); none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.loaders.pipetable import is_markdown_rule, markdown_lines
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.reflow import SourceLine

from table_rows import names, table_tasks


def _table_rows(tmp_path, text: str):
    """The table-row blocks of ``text`` loaded as a .txt file."""
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    return [b for b in load_txt(f).blocks if b.kind == "table_row"]


HEAD = ("BỘ THỬ NGHIỆM\n\nSố: 7/KH-BTN\n\nKẾ HOẠCH\n\nThử nghiệm bảng\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Cục Thử nghiệm chủ trì theo dõi việc thực hiện Kế hoạch.\n")


def test_markdown_rule_line():
    assert is_markdown_rule("| --- | --- | --- |")
    assert is_markdown_rule("|:---|---:|")
    assert not is_markdown_rule("| 1. | Làm thử | Cục Thử nghiệm |")
    assert not is_markdown_rule("---------------")


def test_markdown_table_rows_lose_outer_pipes_and_rule(tmp_path):
    text = HEAD + (
        "| *Nơi nhận:* - Như trên; - Lưu: VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Văn Thử |\n"
        "| --- | --- |\n"
        "PHỤ LỤC\n"
        "DANH MỤC NHIỆM VỤ THỬ NGHIỆM\n"
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1. | Xây dựng bộ tiêu chí thử nghiệm mẫu. | Cục Thử nghiệm | Vụ Pháp chế, các đơn vị có liên quan. | Tháng 8/2026 |\n"
        "| 2. | Tổ chức tập huấn cho cán bộ cấp tỉnh. | Vụ Tổ chức cán bộ | Cục Thử nghiệm | 2026 - 2027 |\n"
    )
    rows = _table_rows(tmp_path, text)
    assert [c.text for c in rows[0].cells] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                               "Thời gian hoàn thành"]
    assert rows[0].header_row
    assert not any("---" in c.text for b in rows for c in b.cells)
    assert [c.text for c in rows[1].cells][:3] == ["1.", "Xây dựng bộ tiêu chí thử nghiệm mẫu.", "Cục Thử nghiệm"]

    _, tasks = table_tasks(tmp_path, text)
    assert [t.text for t in tasks] == ["Xây dựng bộ tiêu chí thử nghiệm mẫu.", "Tổ chức tập huấn cho cán bộ cấp tỉnh."]
    one, two = tasks
    assert names(one.lead) == ["Cục Thử nghiệm"]
    assert "Vụ Pháp chế" in names(one.coordinators)
    assert one.deadline.text == "Tháng 8/2026"
    assert names(two.lead) == ["Vụ Tổ chức cán bộ"] and two.deadline.text == "2026 - 2027"


def test_pipe_table_without_outer_pipes_is_unchanged(tmp_path):
    text = HEAD + ("PHỤ LỤC\n"
                   "TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian\n"
                   "1 | Rà soát quy chế thử nghiệm | Cục Thử nghiệm | Năm 2026\n")
    rows = _table_rows(tmp_path, text)
    assert [c.text for c in rows[1].cells] == ["1", "Rà soát quy chế thử nghiệm", "Cục Thử nghiệm", "Năm 2026"]


def test_markdown_lines_drops_only_rules():
    raw = ["| TT | Nội dung | Cơ quan chủ trì |", "| --- | --- | --- |", "| 1 | Làm thử | Cục Thử nghiệm |"]
    lines, pos = [], 0
    for t in raw:
        lines.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    assert [x.text for x in markdown_lines(lines)] == [raw[0], raw[2]]


def test_markdown_header_over_a_body_one_cell_a_line_is_given_back_name_by_name():
    raw = ["| TT | Nội dung | Cơ quan chủ trì |", "| --- | --- | --- |", "Thời gian", "1", "Làm thử"]
    lines, pos = [], 0
    for t in raw:
        lines.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    out = markdown_lines(lines)
    assert [x.text for x in out] == ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian", "1", "Làm thử"]
    joined = "\n".join(raw)
    assert all(joined[x.start : x.end] == x.text for x in out)  # offsets stay exact


# a markdown header row over a body written one cell a line, the last column name ("Thời gian thực hiện") left
# out of the row: the opening of the tables of the two tests below
SPLIT_HEADER_TABLE = ("PHỤ LỤC\n"
                      "| TT | Nội dung hoạt động | Cơ quan chủ trì | Cơ quan phối hợp |\n"
                      "| --- | --- | --- | --- |\n"
                      "Thời gian thực hiện\n"
                      "1\n"
                      "Tổ chức hội nghị giới thiệu quy trình mẫu.\n")


def test_markdown_header_over_a_flattened_body_makes_no_task_of_each_owner_line(tmp_path):
    """Without the header given back name by name, the body's lines were paragraphs and each owner
    line ("Cục Thử nghiệm, Sở …") became a task of its own."""
    text = HEAD + (
        SPLIT_HEADER_TABLE +
        "Cục Thử nghiệm, Sở Nông nghiệp và Môi trường\n"
        "Vụ Pháp chế; các đơn vị có liên quan\n"
        "Quý III/2026\n"
        "2\n"
        "Tổng kết việc áp dụng quy trình mẫu.\n"
        "Cục Thử nghiệm\n"
        "Các đơn vị có liên quan\n"
        "Thường xuyên\n"
    )
    rows = _table_rows(tmp_path, text)
    assert [c.text for c in rows[0].cells] == ["TT", "Nội dung hoạt động", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                               "Thời gian thực hiện"]
    assert [c.text for c in rows[1].cells][:3] == ["1", "Tổ chức hội nghị giới thiệu quy trình mẫu.",
                                                   "Cục Thử nghiệm, Sở Nông nghiệp và Môi trường"]
    _, tasks = table_tasks(tmp_path, text)
    one = next(t for t in tasks if t.text == "Tổ chức hội nghị giới thiệu quy trình mẫu.")
    assert names(one.lead) == ["Cục Thử nghiệm", "Sở Nông nghiệp và Môi trường"]
    assert one.deadline.text == "Quý III/2026"


def test_markdown_rules_and_header_pipes_are_recorded_parts_not_lost_text(tmp_path):
    """The rule lines and the pipes of a header given back name by name are in no clause: they are
    recorded as "table_rule" parts, so the coverage still accounts for every character (synthetic)."""
    doc, _ = table_tasks(tmp_path, HEAD + (
        SPLIT_HEADER_TABLE +
        "Cục Thử nghiệm\n"
        "Vụ Pháp chế\n"
        "Quý III/2026\n"
        "| A | B |\n"
        "| --- | --- |\n"
        "| 1 | Bảng thứ hai |\n"
    ))
    assert doc.coverage["percent"] == 100.0
    source = (tmp_path / "doc.txt").read_text(encoding="utf-8")
    rules = [p for p in doc.other_parts if p["kind"] == "table_rule"]
    assert rules and all(set(source[p["start"]:p["end"]]) <= set("|- \n:") for p in rules)
    assert not any("Đã bỏ" in w for w in doc.warnings)
