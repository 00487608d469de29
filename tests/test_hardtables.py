"""Task tables inside hard-wrapped crawler text (no blank lines, the cells of a row one after
another, each wrapped over lines): round h10-hardtables.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
committee and the proposals named here do not exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.columncues import task_column
from tracuu.ingest.loaders.flatcells import column_kinds, fragments
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.reflow import SourceLine
from tracuu.ingest.tasks import extract_tasks

HEAD = ("BAN CHỈ ĐẠO THỬ NGHIỆM\nSố: 12/CV-BCĐ\nKính gửi: Các bộ, cơ quan ngang bộ\n"
        "1. Các bộ khẩn trương xử lý các kiến nghị tại Phụ lục kèm theo./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTRƯỞNG BAN\nNguyễn Văn A\n")
# who proposed | what | the ministry that handles it: no "Nhiệm vụ" and no "Cơ quan chủ trì"
PROPOSALS = ("PHỤ LỤC\nKIẾN NGHỊ CỦA ĐỊA PHƯƠNG VÀ PHÂN CÔNG XỬ LÝ\n"
             "TT\nTỉnh kiến nghị\nThông tin đề xuất\nBộ phụ trách tiếp\nnhận, xử lý\n")


def _table_tasks(tmp_path: Path, text: str):
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    return [t for t in extract_tasks(doc.clauses) if t.pattern == "bảng phụ lục"]


def test_proposal_table_reads_the_proposal_as_the_task_and_the_ministry_as_lead(tmp_path):
    text = HEAD + PROPOSALS + (
        "1\nBình Sơn\nĐề nghị hướng dẫn cách lập sổ theo dõi\nkho lưu trữ tạm của cấp xã\nBộ Nội vụ\n"
        # the province cell wraps over two lines; the proposal opens on a line of its own
        "2\nBình Sơn, Hà Nội,\nCần Thơ\nĐề nghị sửa đổi quy định về mẫu\nbáo cáo thống kê hằng quý\n"
        "Bộ Tài chính; Bộ\nNội vụ\n"
        # a proposal written as a bulleted item
        "3\nCần Thơ\n- Ban hành hướng dẫn thống nhất về mẫu sổ\nđăng ký lưu trú tạm thời\nBộ Công an\n"
    )
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    assert [t.text for t in rows] == [
        "Đề nghị hướng dẫn cách lập sổ theo dõi kho lưu trữ tạm của cấp xã",
        "Đề nghị sửa đổi quy định về mẫu báo cáo thống kê hằng quý",
        "- Ban hành hướng dẫn thống nhất về mẫu sổ đăng ký lưu trú tạm thời",
    ]
    assert [[a.name for a in t.lead] for t in rows] == [["Bộ Nội vụ"], ["Bộ Tài chính", "Bộ Nội vụ"], ["Bộ Công an"]]
    assert all(not t.coordinators for t in rows)


def test_column_kinds_when_the_first_column_names_who_proposed():
    assert column_kinds(["Tỉnh kiến nghị", "Thông tin đề xuất", "Bộ phụ trách tiếp nhận, xử lý"]) == [
        "other", "task", "lead"]
    # the usual header keeps its task column first
    assert column_kinds(["Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]) == [
        "task", "lead", "coord", "time"]


def test_task_column_skips_the_proposer_and_prefers_the_given_words():
    assert task_column(["Tỉnh kiến nghị", "Thông tin đề xuất", "Bộ phụ trách"]) == 1
    assert task_column(["Đơn vị đề xuất", "Nội dung kiến nghị"], ("noi dung",)) == 1
    assert task_column(["Cơ quan chủ trì", "Thời gian"]) is None


def test_a_bulleted_line_opens_a_fragment():
    lines, pos = [], 0
    for t in ["Cần Thơ", "- Ban hành hướng dẫn về mẫu sổ", "đăng ký tạm thời"]:
        lines.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    assert [f.text for f in fragments(lines)] == ["Cần Thơ", "- Ban hành hướng dẫn về mẫu sổ đăng ký tạm thời"]


OVERDUE = ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ QUÁ HẠN\n"
           "STT\nNội dung nhiệm vụ\nCơ quan chủ trì\nThời hạn hoàn\nthành\nTình hình thực\nhiện\n")


def test_overdue_table_with_a_status_column(tmp_path):
    text = HEAD + OVERDUE + (
        "1\nXây dựng đề án thí điểm kho dữ liệu\nchung về lưu trữ của tỉnh\nBộ Nội vụ\nTháng 10/2025\n"
        "Đang thực hiện, đã gửi\nxin ý kiến các bộ\n"
        "2\nBan hành hướng dẫn lập sổ theo dõi\nBộ Tài chính\nQuý III/2025\nChưa hoàn thành\n"
    )
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    assert [t.text for t in rows] == ["Xây dựng đề án thí điểm kho dữ liệu chung về lưu trữ của tỉnh",
                                      "Ban hành hướng dẫn lập sổ theo dõi"]
    assert [[a.name for a in t.lead] for t in rows] == [["Bộ Nội vụ"], ["Bộ Tài chính"]]
    assert [t.deadline.text for t in rows] == ["Tháng 10/2025", "Quý III/2025"]
    assert all(not t.coordinators for t in rows)


def test_column_kinds_of_result_and_status_columns():
    assert column_kinds(["Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình hình thực hiện"]) == [
        "task", "lead", "time", "other"]
    assert column_kinds(["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian"]) == [
        "task", "lead", "coord", "other", "time"]


def test_rows_under_an_agency_group_row_take_it_as_lead_when_the_table_has_no_owner_column(tmp_path):
    text = HEAD + ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ QUÁ HẠN\n"
                   "STT\nNội dung nhiệm vụ\nVăn bản giao\nnhiệm vụ\nThời hạn\nTình hình thực hiện\n"
                   "I\nBỘ NỘI VỤ (02 nhiệm vụ)\n"
                   "1\nXây dựng đề án thí điểm kho dữ liệu\nchung về lưu trữ của tỉnh\nThông báo số 10/TB-VPCP\n"
                   "Tháng 10/2025\nĐang thực hiện\n"
                   "2\nBan hành hướng dẫn lập sổ theo dõi\nNghị quyết số 5/NQ-CP\nQuý III/2025\nChưa hoàn thành\n"
                   "II\nHoàn thiện thể chế\n"
                   "1\nTrình Chính phủ nghị định về phí\nlưu trữ điện tử\nThông báo số 11/TB-VPCP\nTháng 9/2025\nĐã trình\n")
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    # the rows of group I are the Ministry's; group II is a topic, not an owner: its row gives no table task
    assert [(t.path, [a.name for a in t.lead]) for t in rows] == [
        ("PL.I.1", ["BỘ NỘI VỤ"]), ("PL.I.2", ["BỘ NỘI VỤ"])]
    assert [t.deadline.text for t in rows] == ["Tháng 10/2025", "Quý III/2025"]


def test_a_lead_column_before_the_task_column():
    # the kinds the flattened-table loader places cells by (a lead-first table's rows are rebuilt by
    # ingest/loaders/leadfirst.py, see tests/test_leadfirst.py)
    assert column_kinds(["Cơ quan chủ trì", "Nội dung nhiệm vụ", "Thời hạn"]) == ["lead", "task", "time"]
    assert column_kinds(["Nhiệm vụ", "Đơn vị tính", "Cơ quan chủ trì"]) == ["task", "other", "lead"]


def test_a_task_opening_with_a_verb_whose_first_word_is_a_head_word_is_no_name():
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders.flatcells import agency_cover_with

    cover = agency_cover_with(load_gazetteer())
    assert cover("Ban hành hướng dẫn lập sổ theo dõi") == 0.0
    assert cover("Tổ chức tập huấn cho cán bộ cấp xã") == 0.0
    assert cover("Ban Quản lý dự án") == 1.0


def test_a_wide_header_wrapped_over_many_lines_is_still_a_header(tmp_path):
    header = ("STT\nNội dung\nnhiệm vụ\nVăn bản\ngiao việc\nCơ quan\nchủ trì\nCơ quan\nphối hợp\nSản phẩm\n"
              "dự kiến\nThời hạn\nhoàn thành\nTình hình\nthực hiện\nGhi chú\nkhác\n")
    text = HEAD + "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n" + header + (
        "1\nXây dựng đề án thí điểm kho dữ liệu\nThông báo số 10/TB-VPCP\nBộ Nội vụ\nBộ Tài chính\n"
        "Đề án\nTháng 10/2025\nĐang thực hiện\n-\n"
        "2\nBan hành hướng dẫn lập sổ theo dõi\nNghị quyết số 5/NQ-CP\nBộ Tài chính\nBộ Nội vụ\n"
        "Thông tư\nQuý III/2025\nChưa hoàn thành\n-\n")
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    assert [(t.text, [a.name for a in t.lead], [a.name for a in t.coordinators], t.deadline.text) for t in rows] == [
        ("Xây dựng đề án thí điểm kho dữ liệu", ["Bộ Nội vụ"], ["Bộ Tài chính"], "Tháng 10/2025"),
        ("Ban hành hướng dẫn lập sổ theo dõi", ["Bộ Tài chính"], ["Bộ Nội vụ"], "Quý III/2025")]


def test_rows_numbered_on_three_levels(tmp_path):
    text = HEAD + ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ\nSTT\nNội dung nhiệm vụ\nCơ quan chủ trì\nThời hạn\n"
                   "1\nNhóm nhiệm vụ về lưu trữ\n"
                   "1.1\nXây dựng kho dữ liệu lưu trữ\nBộ Nội vụ\nNăm 2026\n"
                   "1.1.1\nKhảo sát hiện trạng kho\nBộ Nội vụ\nQuý I/2026\n"
                   "1.1.2\nLập dự án đầu tư kho\nBộ Tài chính\nQuý II/2026\n"
                   "1.2\nBan hành quy chế khai thác\nBộ Nội vụ\nNăm 2027\n"
                   "2\nTổng kết việc thực hiện\nBộ Nội vụ\nNăm 2030\n")
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    got = {t.text: ([a.name for a in t.lead], t.deadline.text) for t in rows}
    assert got["Khảo sát hiện trạng kho"] == (["Bộ Nội vụ"], "Quý I/2026")
    assert got["Lập dự án đầu tư kho"] == (["Bộ Tài chính"], "Quý II/2026")
    assert got["Ban hành quy chế khai thác"] == (["Bộ Nội vụ"], "Năm 2027")
    assert got["Tổng kết việc thực hiện"] == (["Bộ Nội vụ"], "Năm 2030")



def test_footnotes_after_the_last_table_are_not_its_last_row(tmp_path):
    text = HEAD + ("PHỤ LỤC\nDANH MỤC NHIỆM VỤ\nSTT\nNội dung nhiệm vụ\nCơ quan chủ trì\nGhi chú\n"
                   "1\nXây dựng kho dữ liệu lưu trữ[1]\nBộ Nội vụ\nĐang thực hiện\n"
                   "2\nBan hành quy chế khai thác\nBộ Tài chính\nĐã trình\n"
                   "[1] Kho dữ liệu lưu trữ dùng chung của\nBộ Nội vụ và các địa phương.\n")
    rows = sorted(_table_tasks(tmp_path, text), key=lambda t: t.path)
    assert [t.text for t in rows] == ["Xây dựng kho dữ liệu lưu trữ[1]", "Ban hành quy chế khai thác"]
    assert [[a.name for a in t.lead] for t in rows] == [["Bộ Nội vụ"], ["Bộ Tài chính"]]
    f = tmp_path / "doc.txt"
    rows_blocks = [b for b in load_txt(f).blocks if b.kind == "table_row" and not b.header_row]
    assert [c.text for c in rows_blocks[-1].cells] == ["2", "Ban hành quy chế khai thác", "Bộ Tài chính", "Đã trình"]
    assert load_txt(f).blocks[-1].kind == "para"  # the footnote is a paragraph of its own
