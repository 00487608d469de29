"""Gazette (Công báo) text layers: flattened task-table cells placed by what they are, page breaks
inside rows, page numbers next to a running header, and the body-section rules of round h10-gazette.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
"Tổ công tác số 9" and the committees named here do not exist); none is copied from a real document.
"""

from __future__ import annotations

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders.flatcells import column_kinds, fragments, place_fragments
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.reflow import SourceLine, gazette_furniture, starts_paragraph
from tracuu.ingest.tasks import cell_agencies, extract_tasks

from table_rows import TASK_TABLE_HEAD, names, table_tasks

HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"
TABLE_HEAD = TASK_TABLE_HEAD


_rows = table_tasks



def test_product_of_two_fragments_and_a_time_that_is_a_sentence(tmp_path):
    text = HEAD + TABLE_HEAD + (
        "1 \nTổ chức tập huấn về \nquy trình mới cho cán \nbộ cấp xã \n"
        "Sở Nội \nvụ \nCác \nsở, \nngành, \nđịa \nphương \n"
        "Hội nghị, tập huấn. Bảo đảm \n100% cán bộ được \ntập huấn. \n"
        "Thực \nhiện \nthường \nxuyên. \n"
        "2 \nRà soát quy chế phối hợp \nSở Tư pháp \nSở Nội vụ, Sở \nTài chính \nQuyết định \ncủa UBND tỉnh \nNăm \n2026 \n"
    )
    _, rows = _rows(tmp_path, text)
    assert [t.text for t in rows] == ["Tổ chức tập huấn về quy trình mới cho cán bộ cấp xã",
                                      "Rà soát quy chế phối hợp"]
    one, two = rows
    assert names(one.lead) == ["Sở Nội vụ"]
    assert names(one.coordinators) == ["Các sở, ngành, địa phương"]
    assert one.product == "Hội nghị, tập huấn. Bảo đảm 100% cán bộ được tập huấn."
    assert one.deadline.recurrence == "continuous"
    assert names(two.coordinators) == ["Sở Nội vụ", "Sở Tài chính"]
    assert two.product == "Quyết định của UBND tỉnh" and two.deadline.text == "Năm 2026"


def test_a_row_cut_by_a_gazette_page_break_goes_on_in_each_column(tmp_path):
    text = HEAD + TABLE_HEAD + (
        "1 \nXây dựng cơ sở dữ liệu \ndùng chung của tỉnh \nvà kết nối với hệ \n"
        "Sở Khoa học \nvà Công nghệ \nSở Nội vụ, Sở \nTài chính, các \nBáo cáo \n2026 - 2027 \n"
        "\nCÔNG BÁO/Số 88/Ngày 02-03-2026 \n15\n \n"
        "thống quốc gia. \nsở, ngành liên quan \n"
        "2 \nKiểm tra việc thực hiện \nSở Nội vụ \nCác sở, ngành \nBáo cáo \nHằng năm \n"
    )
    doc, rows = _rows(tmp_path, text)
    one = rows[0]
    assert one.text == "Xây dựng cơ sở dữ liệu dùng chung của tỉnh và kết nối với hệ thống quốc gia."
    assert names(one.lead) == ["Sở Khoa học và Công nghệ"]
    assert names(one.coordinators) == ["Sở Nội vụ", "Sở Tài chính", "các sở, ngành liên quan"]
    assert one.deadline.text == "2026 - 2027"
    assert not any("CÔNG BÁO" in c.text for c in doc.clauses)  # the running header is page furniture


def test_a_year_before_the_running_header_stays_in_its_cell():
    lines = ["2026 - ", "2030 ", "", "CÔNG BÁO/Số 88/Ngày 02-03-2026 ", "15", "text", "",
             "CÔNG BÁO/Số 88/Ngày 02-03-2026 ", "16", "more"]
    marks = gazette_furniture(lines)
    nonblank = [t.strip() for t in lines if t.strip()]
    assert [nonblank[k] for k in sorted(marks)] == ["CÔNG BÁO/Số 88/Ngày 02-03-2026", "15",
                                                    "CÔNG BÁO/Số 88/Ngày 02-03-2026", "16"]
    # with a lone number on both sides of a later header, the one that follows the sequence wins
    lines = ["CÔNG BÁO/Số 88/Ngày 02-03-2026 ", "15", "Năm", "2030", "CÔNG BÁO/Số 88/Ngày 02-03-2026 ", "16", "x"]
    marks = gazette_furniture(lines)
    assert marks.get(3) is None and marks[5] == ("page_number", False)


def test_a_name_after_a_preposition_may_open_the_lead_cell():
    g = load_gazetteer()

    def name_at(text: str) -> int:
        return max((m.end for m in g.find(text) if m.start == 0 and m.matched != "guess"), default=0)

    lines = [SourceLine(k * 40, t, 1) for k, t in enumerate(
        ["Kiện toàn tổ công tác đặt tại ", "Sở Tài chính ", "Sở Nội vụ ", "Năm ", "2026 "])]
    frags = fragments(lines, name_at)
    assert [f.text for f in frags] == ["Kiện toàn tổ công tác đặt tại", "Sở Tài chính", "Sở Nội vụ", "Năm", "2026"]
    assert frags[1].weak and frags[4].weak and not frags[2].weak


def test_monotone_placement_leaves_a_column_empty():
    kinds = column_kinds(["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Cấp trình", "Sản phẩm", "Thời hạn"])
    assert kinds == ["task", "lead", "coord", "level", "other", "time"]

    class F:  # a fragment already read
        def __init__(self, agency=0.0, time=False, product=False, level=False, weak=False):
            self.agency, self.time, self.product, self.level, self.weak = agency, time, product, level, weak

    # task, lead, level ("Chính phủ"), product, time: the partners' cell is empty
    frags = [F(), F(agency=1.0), F(agency=1.0, level=True), F(product=True), F(time=True)]
    assert [kinds[c] for c in place_fragments(frags, kinds)] == ["task", "lead", "level", "other", "time"]


def test_one_body_named_after_what_it_is_for():
    got = names(cell_agencies("Sở Nội vụ, Ủy ban Công tác về các tổ chức thanh niên BSTN, các cơ quan đại diện "
                              "Việt Nam tại nước ngoài"))
    assert got == ["Sở Nội vụ", "Ủy ban Công tác về các tổ chức thanh niên BSTN",
                   "các cơ quan đại diện Việt Nam tại nước ngoài"]


def test_phi_chinh_phu_in_lower_case_is_no_government():
    g = load_gazetteer()
    assert not [m for m in g.find("hỗ trợ các tổ chức phi chính phủ nước ngoài") if m.agency_id == "chinh-phu"]
    assert [m.agency_id for m in g.find("báo cáo Chính phủ")] == ["chinh-phu"]


def test_trach_nhiem_heading_names_a_body_the_gazetteer_lacks(tmp_path):
    text = HEAD + (
        "II. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Trách nhiệm Tổ công tác số 9 triển khai Đề án:\n"
        "a) Chỉ đạo xây dựng kho dữ liệu của tỉnh.\n"
        "b) Tổng hợp, báo cáo Ủy ban nhân dân tỉnh.\n"
    )
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    tasks = {t.text[:10]: t for t in extract_tasks(doc.clauses)}
    assert names(tasks["Chỉ đạo xâ"].lead) == ["Tổ công tác số 9 triển khai Đề án"]
    assert names(tasks["Tổng hợp, "].lead) == ["Tổ công tác số 9 triển khai Đề án"]


def test_wrapped_heading_and_lead_in_line_of_a_text_layer():
    assert not starts_paragraph("2. Trách nhiệm của các sở, ban, ngành;", "Ủy ban nhân dân các xã, phường")
    assert starts_paragraph("a) Rà soát quy chế;", "b) Ban hành quy chế.")
    assert starts_paragraph("- Lập danh mục;", "- Công bố danh mục.")
    assert not starts_paragraph("Các sở tổ chức thực hiện Kế hoạch.", "Cụ thể:")


def test_assignment_after_an_opening_phrase(tmp_path):
    text = HEAD + (
        "II. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Đối với các hồ sơ tồn đọng của năm trước, giao Sở Tư pháp tổ chức rà soát, hoàn thành trước "
        "ngày 30 tháng 6 năm 2026.\n"
        "2. Đối với hồ sơ phát sinh mới, yêu cầu Sở Nội vụ, Sở Tài chính khẩn trương xử lý.\n"
    )
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    tasks = {t.path: t for t in extract_tasks(doc.clauses)}
    one, two = tasks["II.1"], tasks["II.2"]
    assert names(one.lead) == ["Sở Tư pháp"] and one.pattern == "giao"
    assert one.deadline.text == "trước ngày 30 tháng 6 năm 2026"
    assert names(two.lead) == ["Sở Nội vụ", "Sở Tài chính"]


def test_a_collective_of_provinces_named_one_by_one():
    got = names(extract_tasks_of("Ủy ban nhân dân các tỉnh, thành phố Bình Sơn, Hòa Phong và Cần Thơ và các địa "
                                 "phương có liên quan phối hợp với Bộ Công an bố trí địa điểm.").lead)
    assert got == ["Ủy ban nhân dân các tỉnh, thành phố Bình Sơn, Hòa Phong và Cần Thơ",
                   "các địa phương có liên quan"]


def extract_tasks_of(text: str):
    from tracuu.ingest.model import Clause, Span

    clause = Clause(clause_id="t:1", doc_id="t", path="1", kind="khoan", label="1", marker="1.", text=text,
                    heading_chain=[], parent=None, order=0, span=Span(0, len(text), 1, 1))
    [task] = extract_tasks([clause])
    return task


LEVEL_HEAD = "TT \nNội dung \nCơ quan \nchủ trì \nCơ quan \nphối hợp \nCấp trình \nSản phẩm \nThời hạn \nhoàn thành \n"


def test_level_column_and_the_header_repeated_on_the_next_page(tmp_path):
    text = HEAD + "Phụ lục\nDANH MỤC NHIỆM VỤ\n" + LEVEL_HEAD + (
        "I \nNhóm nhiệm vụ về thể chế \n"
        "1 \nRà soát các quy định về \nphân cấp trong lĩnh vực \n"
        "Các sở, ban, \nngành, Ủy ban \nSở Tư pháp, \nSở Nội vụ \nỦy ban nhân \ndân tỉnh \nQuyết định \ncủa UBND tỉnh \n"
        "Quý III/2026 \n"
        "\nCÔNG BÁO/Số 88/Ngày 02-03-2026 \n15\n \n" + LEVEL_HEAD +
        "đất đai và xây dựng \nnhân dân các \nxã, phường \n"
        "2 \nBan hành quy chế phối hợp \nSở Nội vụ \nCác sở, ngành \nliên quan \nCấp có \nthẩm quyền \nQuy chế \n"
        "Năm 2026 \n"
    )
    doc, rows = _rows(tmp_path, text)
    one, two = rows
    cells = next(c for c in doc.clauses if c.path == one.path).cells
    # the header met again inside row 1 is no second header row: the columns keep their names
    assert list(cells) == ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Cấp trình", "Sản phẩm",
                           "Thời hạn hoàn thành"]
    assert one.text == "Rà soát các quy định về phân cấp trong lĩnh vực đất đai và xây dựng"
    # the lead cell cut by the page break is finished by its next part ("Ủy ban" / "nhân dân các xã, phường")
    assert names(one.lead) == ["Các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"]
    assert names(one.coordinators) == ["Sở Tư pháp", "Sở Nội vụ"]  # "Ủy ban nhân dân tỉnh" is the level
    assert one.product == "Quyết định của UBND tỉnh" and one.deadline.text == "Quý III/2026"
    assert names(two.coordinators) == ["Các sở, ngành liên quan"] and two.deadline.text == "Năm 2026"


def test_a_group_row_numbered_without_a_dot_starts_the_next_group(tmp_path):
    # synthetic: group "I" alone on its line, then "II Title" with the numeral and title on one line
    text = HEAD + TABLE_HEAD + (
        "I \nNHÓM NHIỆM VỤ THỬ NGHIỆM THỨ NHẤT \n"
        "1 \nRà soát quy chế thử nghiệm \nSở Tư pháp \nSở Nội vụ \nBáo cáo \nNăm 2026 \n"
        "II Nhóm nhiệm vụ thử nghiệm thứ hai \n"
        "1 \nLập kế hoạch thử nghiệm \nSở Tài chính \nSở Nội vụ \nKế hoạch \nNăm 2027 \n"
        "2 \nTổng hợp kết quả thử nghiệm \nSở Nội vụ \nCác sở, ngành \nBáo cáo \nNăm 2028 \n"
    )
    _, rows = _rows(tmp_path, text)
    by_text = {t.text: t for t in rows}
    assert set(by_text) == {"Rà soát quy chế thử nghiệm", "Lập kế hoạch thử nghiệm", "Tổng hợp kết quả thử nghiệm"}
    assert names(by_text["Rà soát quy chế thử nghiệm"].lead) == ["Sở Tư pháp"]
    assert by_text["Rà soát quy chế thử nghiệm"].deadline.text == "Năm 2026"
    assert names(by_text["Lập kế hoạch thử nghiệm"].lead) == ["Sở Tài chính"]
    assert names(by_text["Tổng hợp kết quả thử nghiệm"].lead) == ["Sở Nội vụ"]
    assert by_text["Tổng hợp kết quả thử nghiệm"].deadline.text == "Năm 2028"


def test_a_bare_numeral_that_does_not_number_the_next_group_is_row_text(tmp_path):
    # synthetic: "V Ban …" after group "I" is not group II: it stays in the row it is written in
    from tracuu.ingest.loaders.flattable import roman_value
    assert [roman_value(x) for x in ("I", "IV", "IX", "XI", "XIV", "Q")] == [1, 4, 9, 11, 14, 0]
    text = HEAD + TABLE_HEAD + (
        "I \nNHÓM NHIỆM VỤ THỬ NGHIỆM \n"
        "1 \nRà soát quy chế thử nghiệm \nV Ban thử nghiệm \nSở Tư pháp \nSở Nội vụ \nBáo cáo \nNăm 2026 \n"
        "2 \nLập kế hoạch thử nghiệm \nSở Tài chính \nSở Nội vụ \nKế hoạch \nNăm 2027 \n"
    )
    _, rows = _rows(tmp_path, text)
    assert len(rows) == 2
    assert "V Ban thử nghiệm" in rows[0].text


def test_a_bracket_after_a_page_break_does_not_finish_the_name_before_it():
    # synthetic: the task text goes on after the break with "(UAV), …"; the lead cell "Bộ Tài
    # chính" is whole, and "Bộ Tài chính (UAV)" is no name the break cut
    from tracuu.ingest.loaders.flatcells import finishes_name
    g = load_gazetteer()
    assert not finishes_name(g, "Bộ Tài chính", "(UAV), mô hình thử nghiệm và")
    assert finishes_name(g, "Các sở, ngành, Ủy ban", "nhân dân các xã, phường")


def test_sub_rows_opened_by_a_lone_dash_take_their_own_lead_and_the_merged_cells(tmp_path):
    # synthetic: row 2 is cut into sub-rows "-" / sub-task / lead; the partner and time cells are
    # merged down over the sub-rows (written once, in the first)
    text = HEAD + TABLE_HEAD + (
        "1 \nRà soát quy chế thử nghiệm \nSở Tư pháp \nSở Nội vụ \nBáo cáo \nNăm 2026 \n"
        "2 \nHoàn thiện tiêu chuẩn kỹ thuật \ncho các công trình: \n"
        "- \nCông trình thủy lợi. \nSở Nông nghiệp và Môi trường \nSở Tài chính, các sở \nBáo cáo \nNăm 2027 \n"
        "- \nCông trình giao thông. \nSở Xây dựng \n"
        "3 \nLập kế hoạch thử nghiệm \nSở Tài chính \nSở Nội vụ \nKế hoạch \nNăm 2028 \n"
    )
    _, rows = _rows(tmp_path, text)
    by_text = {t.text: t for t in rows}
    assert set(by_text) == {"Rà soát quy chế thử nghiệm", "Công trình thủy lợi.", "Công trình giao thông.",
                            "Lập kế hoạch thử nghiệm"}  # the row over its sub-rows has no lead: no task
    water, road = by_text["Công trình thủy lợi."], by_text["Công trình giao thông."]
    assert names(water.lead) == ["Sở Nông nghiệp và Môi trường"]
    assert names(road.lead) == ["Sở Xây dựng"]
    assert names(road.coordinators) == ["Sở Tài chính", "các sở"]
    assert road.deadline.text == "Năm 2027"
    assert names(by_text["Lập kế hoạch thử nghiệm"].lead) == ["Sở Tài chính"]


def test_a_dash_that_stands_for_an_empty_cell_is_no_sub_row(tmp_path):
    # synthetic: "-" in the partner cell (no partner), then the product and the time
    text = HEAD + TABLE_HEAD + (
        "1 \nRà soát quy chế thử nghiệm \nSở Tư pháp \n- \nBáo cáo \nNăm 2026 \n"
        "2 \nLập kế hoạch thử nghiệm \nSở Tài chính \n- \nNăm 2027 \n"
    )
    _, rows = _rows(tmp_path, text)
    assert [t.text for t in rows] == ["Rà soát quy chế thử nghiệm", "Lập kế hoạch thử nghiệm"]
    assert names(rows[0].lead) == ["Sở Tư pháp"] and rows[1].deadline.text == "Năm 2027"


def test_a_colon_list_of_names_under_one_head_word_stays_one_cell():
    # synthetic: "Các Sở:" then bare names over several lines; the next "Sở …" (the list's head
    # word again) opens the partner cell
    g = load_gazetteer()
    from tracuu.ingest.loaders.flatcells import agency_cover_with, name_at_with

    text = ["Làm thử quy trình mới. ", "Các Sở: ", "Nội vụ,  ", "Tư pháp, Y ", "tế,  ", "Khoa học  ",
            "và Công nghệ  ", "Sở Tài chính, ", "các sở,  ", "ngành ", "Năm 2026 "]
    lines = [SourceLine(k * 100, t, 1) for k, t in enumerate(text)]
    frags = [f.text for f in fragments(lines, name_at_with(g))]
    assert frags == ["Làm thử quy trình mới.", "Các Sở: Nội vụ, Tư pháp, Y tế, Khoa học và Công nghệ",
                     "Sở Tài chính, các sở, ngành", "Năm 2026"]
    assert agency_cover_with(g)("Các Sở: Nội vụ, Tư pháp, Y tế, Khoa học và Công nghệ") == 1.0
