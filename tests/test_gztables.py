"""Gazette (Công báo) text layers: flattened "danh mục văn bản" task tables (round h16-gztables).

A Government resolution lists, in an appendix table, the texts to be amended and the agency that
drafts each amendment (STT | văn bản | điều, khoản, điểm | cơ quan chủ trì soạn thảo). The PDF text
layer writes the table one cell fragment a line: a row number sometimes on the first line of the
task cell ("3. Nghị định số …"), cited articles at the start of a line ("Điều 8, Điều 10"), a cited
appendix ("Phụ lục II."), a header in capitals wrapped line by line, and a lead cell merged down
over several rows, printed once.

Every Vietnamese line here is SYNTHETIC, written for these tests (the decree numbers 901-903/2031,
the decisions 77-78/2031 and their subjects do not exist); none is copied from a real document.
"""

from __future__ import annotations

from table_rows import table_tasks

HEAD = ("CHÍNH PHỦ\n\nSố: 99/2031/NQ-CP\n\nNGHỊ QUYẾT\n\nThử nghiệm bảng danh mục\n\n"
        "Điều 1. Các bộ trình sửa đổi các văn bản tại Phụ lục I.\n\n")
CAPS_HEAD = ("Phụ lục I \nDANH MỤC VĂN BẢN CẦN SỬA ĐỔI \n \nSTT \nDANH SÁCH \nVĂN BẢN \n"
             "ĐIỀU, KHOẢN, ĐIỂM CẦN SỬA ĐỔI, \nBỔ SUNG, BÃI BỎ \nCƠ QUAN \nCHỦ TRÌ \n")
ROWS = ("I \nNGHỊ ĐỊNH \n"
        "1.  Nghị định số 901/2031/NĐ-CP về mẫu thử \n- Điều 8, Điều 10 \nBộ Tư pháp \n \n"
        "2.  Nghị định số 902/2031/NĐ-CP về hồ sơ mẫu \n- Khoản 1 Điều 4, khoản 2 \nĐiều 53 \n"
        "- Khoản 2 Điều 7 \n"
        "3. \nNghị định số 903/2031/NĐ-CP về sổ mẫu \nKhoản 4 Điều 2; \nPhụ lục II. \n \nBộ Xây dựng \n"
        "II \nQUYẾT ĐỊNH CỦA THỦ TƯỚNG CHÍNH PHỦ \n"
        "1.  Quyết định số 77/2031/QĐ-TTg về thẻ mẫu \nĐiều 3 \nBộ Nội vụ \n"
        "2.  Quyết định số 78/2031/QĐ-TTg về nhãn mẫu \nĐiều 4 \n \n")
TAIL = "Điều 2. Hiệu lực thi hành\n\nNghị quyết này có hiệu lực từ ngày ký.\n"


_parse = table_tasks


def _lead(task) -> list[str]:
    return [r.name for r in task.lead]


def test_a_header_in_capitals_wrapped_line_by_line_names_one_column_a_name(tmp_path):
    doc, _ = _parse(tmp_path, HEAD + CAPS_HEAD + ROWS + TAIL)
    rows = [c for c in doc.clauses if c.cells]
    assert rows
    assert list(rows[0].cells) == ["STT", "DANH SÁCH VĂN BẢN",
                                   "ĐIỀU, KHOẢN, ĐIỂM CẦN SỬA ĐỔI, BỔ SUNG, BÃI BỎ", "CƠ QUAN CHỦ TRÌ"]


def test_each_numbered_row_is_a_task_even_when_its_number_opens_the_task_line(tmp_path):
    _, tasks = _parse(tmp_path, HEAD + CAPS_HEAD + ROWS + TAIL)
    # five rows, five tasks: "2.  Nghị định …" and "1.  Quyết định …" open rows of their own, a
    # cell line "Điều 53" or "Điều 8, Điều 10" (articles cited) and "Phụ lục II." (an appendix
    # cited) end no table, and the article heading after the table is not glued to the last row
    assert len(tasks) == 5
    assert [t.text.split(" về ")[0] for t in tasks] == [
        "Nghị định số 901/2031/NĐ-CP", "Nghị định số 902/2031/NĐ-CP", "Nghị định số 903/2031/NĐ-CP",
        "Quyết định số 77/2031/QĐ-TTg", "Quyết định số 78/2031/QĐ-TTg"]
    assert not any("Hiệu lực" in t.text for t in tasks)


def test_a_lead_cell_printed_once_is_merged_down_within_its_group(tmp_path):
    _, tasks = _parse(tmp_path, HEAD + CAPS_HEAD + ROWS + TAIL)
    # row 2's lead cell is empty (a cited clause is no lead: it goes back to the provisions cell)
    # and takes the lead printed above; group II starts again: its row 2 takes Bộ Nội vụ, not the
    # Bộ Xây dựng of group I
    assert [_lead(t) for t in tasks] == [["Bộ Tư pháp"], ["Bộ Tư pháp"], ["Bộ Xây dựng"],
                                         ["Bộ Nội vụ"], ["Bộ Nội vụ"]]


def test_a_numbered_list_inside_a_cell_does_not_open_rows(tmp_path):
    text = HEAD + ("Phụ lục I \nNHIỆM VỤ \nSTT \nNhiệm vụ \nCơ quan chủ trì \nThời hạn \n"
                   "1 \nXây dựng đề án mẫu gồm: \n1. Khảo sát hiện trạng; \n2. Trình phê duyệt đề án. \n"
                   "Sở Nội vụ \nNăm 2031 \n"
                   "2 \nTổ chức tập huấn mẫu \nSở Tư pháp \nNăm 2032 \n") + TAIL
    _, tasks = _parse(tmp_path, text)
    assert len(tasks) == 2
    assert "2. Trình phê duyệt đề án." in tasks[0].text
    assert [_lead(t) for t in tasks] == [["Sở Nội vụ"], ["Sở Tư pháp"]]


def test_an_appendix_heading_still_ends_the_table(tmp_path):
    text = HEAD + CAPS_HEAD + ROWS + ("Phụ lục II \nDANH MỤC BIỂU MẪU \nMẫu số 01 Đơn đề nghị mẫu \n")
    doc, tasks = _parse(tmp_path, text)
    assert len(tasks) == 5
    assert not any("BIỂU MẪU" in t.text for t in tasks)


def test_a_bulleted_lead_cell_that_names_agencies_stays_the_lead():
    from tracuu.ingest.loaders.flattable import _unnamed_lead_back
    from tracuu.ingest.reflow import SourceLine

    def cell(*texts: str) -> list[SourceLine]:
        return [SourceLine(i * 40, t, 1) for i, t in enumerate(texts)]

    roles = ["task", "lead", "coord"]
    named = [cell("Lắp đặt trạm đo mẫu"), cell("- Bộ Xây dựng (trạm trung ương);", "- UBND các tỉnh (trạm địa phương)."),
             cell("Các cơ quan liên quan")]
    assert _unnamed_lead_back(named, roles) is named  # a bullet before the names: still a lead cell
    cited = [cell("Sửa đổi quy định mẫu"), cell("- Khoản 2 Điều 7"), cell("")]
    moved = _unnamed_lead_back(cited, roles)
    assert [x.text for x in moved[0]] == ["Sửa đổi quy định mẫu", "- Khoản 2 Điều 7"] and moved[1] == []
