"""Task rules that generalise across issuers (issue 10, third round): one small test per rule.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn" does not
exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.deadlines import find_deadlines, heading_deadline, main_deadline
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.parser import parse_document
from tracuu.ingest.reflow import SourceLine, reflow
from tracuu.ingest.tasks import Task, extract_tasks

from tests.task_text import _clauses, _one, names  # noqa: F401


def _parse_txt(tmp_path: Path, text: str) -> dict[str, Task]:
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    return {t.path: t for t in extract_tasks(doc.clauses)}


HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"


# --- partners ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, partners", [
    # written without "với"
    ("Sở Công Thương phối hợp Sở Y tế, Sở Tài chính kiểm tra thị trường hàng Tết.",
     ["Sở Y tế", "Sở Tài chính"]),
    # after an adverb
    # (the force written with its body is that body: "lực lượng Công an tỉnh" reads as Công an tỉnh)
    ("Sở Y tế chủ trì, phối hợp chặt chẽ lực lượng Công an tỉnh kiểm tra cơ sở điều trị.",
     ["lực lượng Công an tỉnh"]),
    # after a second verb
    ("Sở Tài chính phối hợp, hỗ trợ Sở Y tế, Sở Xây dựng và các cơ quan liên quan lập dự toán.",
     ["Sở Y tế", "Sở Xây dựng", "các cơ quan liên quan"]),
    ("Sở Nội vụ phối hợp, trao đổi số liệu với các sở, ngành, UBND các xã về biên chế.",
     ["các sở, ngành", "UBND các xã"]),
    # a kind of bodies written without "các"
    ("Sở Văn hóa chủ trì, phối hợp với cơ quan thông tấn, báo chí trên địa bàn tỉnh tuyên truyền lễ hội.",
     ["cơ quan thông tấn, báo chí trên địa bàn tỉnh"]),
    ("Sở Nội vụ chủ trì, phối hợp với đơn vị liên quan tổng hợp danh sách.", ["đơn vị liên quan"]),
])
def test_partners_in_the_ways_officials_write_them(text, partners):
    assert names(_one(text).coordinators) == partners


@pytest.mark.parametrize("text, partners", [
    # after "và" (the group the gazetteer names, then the related bodies)
    ("Bộ Nội vụ chủ trì, phối hợp với các bộ, cơ quan ngang bộ và cơ quan, tổ chức liên quan rà soát "
     "danh mục vị trí việc làm.",
     ["các bộ, cơ quan ngang bộ", "cơ quan, tổ chức liên quan"]),
    # after a comma, with "khác"
    ("Bộ Tư pháp chủ trì, phối hợp với Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương, "
     "cơ quan, tổ chức khác có liên quan kiểm tra việc thi hành Luật.",
     ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "cơ quan, tổ chức khác có liên quan"]),
    # a run of kinds of bodies with one tail stays one name
    ("Sở Tài chính chủ trì, phối hợp với các sở, ngành, địa phương có liên quan lập dự toán.",
     ["các sở, ngành, địa phương có liên quan"]),
    ("Bộ Y tế chủ trì, phối hợp với các bộ, cơ quan, tổ chức liên quan xây dựng tiêu chuẩn.",
     ["các bộ, cơ quan, tổ chức liên quan"]),
])
def test_related_bodies_after_a_named_group_are_a_partner_of_their_own(text, partners):
    """Synthetic: "cơ quan, tổ chức (khác) (có) liên quan" after a group the gazetteer names
    (Agencies._related_after_group) is not more kinds of that group."""
    assert names(_one(text).coordinators) == partners


def test_partner_reading_stops_at_a_verb_and_needs_a_kind_of_body():
    t = _one("Sở Nội vụ chủ trì, phối hợp triển khai kế hoạch đào tạo cán bộ.")
    assert t.coordinators == []


def test_unit_of_a_known_agency_is_one_name():
    g = load_gazetteer()
    found = g.find("Văn phòng UBND cấp xã phối hợp cơ quan chuyên môn rà soát hồ sơ.")
    assert found[0].text == "Văn phòng UBND cấp xã" and found[0].agency_id is None
    t = _one("Văn phòng UBND cấp xã phối hợp cơ quan chuyên môn rà soát hồ sơ.")
    assert names(t.lead) == ["Văn phòng UBND cấp xã"]
    assert names(t.coordinators) == ["cơ quan chuyên môn"]
    # the known office itself stays the gazetteer's
    assert g.find("Văn phòng UBND tỉnh chủ trì")[0].agency_id is not None


# --- heads ------------------------------------------------------------------------------------


def test_bare_minister_title_is_the_ministries():
    t = _one("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực "
             "thuộc trung ương chịu trách nhiệm thi hành Quyết định này.")
    assert names(t.lead)[0] == "các bộ"
    assert t.lead[0].agency_id == "cac-bo"


# --- deadlines --------------------------------------------------------------------------------


@pytest.mark.parametrize("title, year", [
    ("PHỤ LỤC PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ ĐẾN NĂM 2030", 2030),
    ("DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2027", 2027),
    ("I. Nhiệm vụ năm 2026", 2026),
    ("NHIỆM VỤ GIAI ĐOẠN 2026 - 2030", None),  # a period is the plan's span, not a due date
    ("DANH MỤC NHIỆM VỤ THỰC HIỆN ĐỀ ÁN NÔNG THÔN MỚI ĐẾN NĂM 2030", None),  # the Đề án's year
    ("TẦM NHÌN ĐẾN NĂM 2045", None),
    ("(Kèm theo Kế hoạch ngày 12 tháng 3 năm 2026)", None),
])
def test_heading_deadline(title, year):
    dl = heading_deadline(title)
    assert (dl.year if dl else None) == year


def test_appendix_title_sets_the_deadline_of_rows_without_one(tmp_path):
    text = HEAD + (
        "PHỤ LỤC\n\nPHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ ĐẾN NĂM 2030\n\n"
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 3 năm 2026 của UBND tỉnh Bình Sơn)\n\n"
        "TT | Chỉ tiêu | Chủ trì | Thời gian hoàn thành\n"
        "1 | Tỷ lệ hồ sơ trực tuyến toàn trình đạt 90% | Văn phòng UBND tỉnh | \n"
        "2 | Tỷ lệ trường học có mạng tốc độ cao đạt 100% | Sở Giáo dục và Đào tạo | Quý IV/2027\n"
    )
    tasks = _parse_txt(tmp_path, text)
    assert tasks["PL.1"].deadline is not None and tasks["PL.1"].deadline.year == 2030
    assert tasks["PL.2"].deadline is not None and tasks["PL.2"].deadline.quarter == 4  # its own wins


@pytest.mark.parametrize("text, shown, recurrence, day, month", [
    ("Ngày 20 hằng tháng, gửi báo cáo tình hình về Sở Tài chính.", "Ngày 20 hằng tháng", "monthly", 20, None),
    # "Định kỳ hằng năm" is one recurrence as written (deadlines._recurrence_runs)
    ("Định kỳ hằng năm, chậm nhất ngày 10 tháng 12 báo cáo UBND tỉnh.", "Định kỳ hằng năm, chậm nhất ngày 10 tháng 12",
     "yearly", 10, 12),
    ("Hằng năm báo cáo kết quả về Sở Nội vụ trước ngày 25/11.", "Hằng năm báo cáo kết quả về Sở Nội vụ trước ngày 25/11",
     "yearly", 25, 11),
])
def test_day_of_a_recurrence(text, shown, recurrence, day, month):
    dl = main_deadline(find_deadlines(text))
    assert dl is not None
    assert (dl.text, dl.recurrence, dl.day, dl.month) == (shown, recurrence, day, month)


def test_recurrence_of_another_phrase_is_not_the_days():
    # "kế hoạch hằng năm" is a kind of plan; the report is due on a day, not "yearly"
    dl = main_deadline(find_deadlines("Xây dựng kế hoạch hằng năm và định kỳ báo cáo trước ngày 20/11."))
    assert dl is not None and dl.text == "trước ngày 20/11"


def test_a_date_in_prose_is_no_monthly_deadline():
    assert find_deadlines("Hội nghị họp ngày 5 tháng 3 tại hội trường.") == []


# --- layout -----------------------------------------------------------------------------------


def _lines(*texts: str) -> list[SourceLine]:
    out, pos = [], 0
    for t in texts:
        out.append(SourceLine(pos, t, 1))
        pos += len(t) + 1
    return out


def test_long_numbered_line_is_no_short_heading():
    """In a text typed one paragraph a line, a wrapped numbered item is still shorter than half a
    "full line": by its words it is no heading, and the next line goes on with it."""
    long_para = "Nội dung " + "rất dài của đoạn văn bản thử nghiệm " * 20 + "kết thúc."
    lines = _lines(
        long_para,
        "1. Giám đốc các sở, Thủ trưởng các cơ quan ngang sở, Chủ tịch Ủy ban nhân dân các xã, phường trực thuộc",
        "Ủy ban nhân dân tỉnh tổ chức thực hiện kế hoạch này.",
        long_para,
    )
    blocks = reflow(lines, double_spaced=False)
    assert any(b.text.startswith("1. Giám đốc") and b.text.endswith("kế hoạch này.") for b in blocks)
    short = reflow(_lines(long_para, "2. Yêu cầu", "Bám sát nội dung kế hoạch.", long_para), double_spaced=False)
    assert any(b.text == "2. Yêu cầu" for b in short)


@pytest.mark.parametrize("text, name", [
    ("Các doanh nghiệp bưu chính trên địa bàn tỉnh chủ động bố trí nguồn lực.", "Các doanh nghiệp bưu chính trên địa bàn tỉnh"),
    ("phối hợp các doanh nghiệp logistics xây dựng kho bãi", "các doanh nghiệp logistics"),
    ("các cơ quan chức năng tăng cường kiểm tra", "các cơ quan chức năng"),
    # no visible end within three words: the words may be a verb the stop list lacks
    ("các doanh nghiệp ứng dụng công nghệ cao vào sản xuất", "các doanh nghiệp"),
])
def test_collective_with_a_qualifier(text, name):
    assert load_gazetteer().find(text)[0].text == name


def test_a_verb_after_phoi_hop_is_no_partner():
    t = _one("Sở Nội vụ chủ trì, phối hợp tổ chức tập huấn cho cán bộ cấp xã.")
    assert t.coordinators == []


def test_collective_qualifier_before_a_comma_needs_more_bodies_after_it():
    g = load_gazetteer()
    # (the verb here is one the stop list lacks: "cập nhật" became a stop word, which ends the name)
    assert g.find("phối hợp với các lực lượng dân quân ghi chép, kiểm tra danh sách")[0].text == "các lực lượng"
    assert g.find("Các doanh nghiệp bưu chính, tổ chức, cá nhân có liên quan")[0].text.startswith(
        "Các doanh nghiệp bưu chính")


# --- flattened tables -------------------------------------------------------------------------


@pytest.mark.parametrize("header", [
    "STT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn\nthành",
    "STT NHIỆM VỤ VÀ GIẢI PHÁP CƠ QUAN CHỦ TRÌ CƠ QUAN PHỐI HỢP THỜI GIAN",
])
def test_flattened_table_with_its_header_on_the_stt_line(tmp_path, header):
    text = HEAD + (
        "Phụ lục\nDANH MỤC NHIỆM VỤ NĂM 2027\n" + header + "\n"
        "1 \nTổ chức tập huấn nghiệp vụ \ncho cán bộ cấp xã \nSở Nội vụ \nSở Tài chính và \nUBND các xã, phường \nQuý III/2026 \n"
        "2 \nKiểm tra việc thực hiện \nSở Khoa học và \nCông nghệ \nCác sở, ban, ngành \n"
    )
    tasks = _parse_txt(tmp_path, text)
    rows = sorted((t for t in tasks.values() if t.pattern == "bảng phụ lục"), key=lambda t: t.path)
    assert [t.text for t in rows] == ["Tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã", "Kiểm tra việc thực hiện"]
    assert names(rows[0].lead) == ["Sở Nội vụ"]
    assert names(rows[0].coordinators) == ["Sở Tài chính", "UBND các xã, phường"]
    assert rows[0].deadline.text == "Quý III/2026"
    assert names(rows[1].lead) == ["Sở Khoa học và Công nghệ"]
    assert rows[1].deadline.year == 2027  # no time of its own: the appendix title's year


def test_a_form_header_on_the_stt_line_is_no_task_table():
    from tracuu.ingest.loaders.flattable import split_header_line
    assert split_header_line("Họ và tên") == []


# --- PDF page furniture -----------------------------------------------------------------------

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_pdf_loader_drops_gazette_headers_and_stamps(tmp_path):
    """A gazette PDF's running header and signature stamp are page furniture in the PDF loader as in
    the text dump: dropped, recorded by kind, never part of a clause."""
    fpdf = pytest.importorskip("fpdf")
    if not _FONT.exists():
        pytest.skip(f"font {_FONT} not installed: no Vietnamese PDF can be written for this test")
    from tracuu.ingest.loaders.pdf import load_pdf

    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("dv", "", str(_FONT))
    pdf.set_font("dv", size=11)
    pdf.add_page()
    pdf.text(60, 40, "Ký bởi: Cổng Thông tin điện tử thử nghiệm")
    pdf.text(60, 55, "Cơ quan: Văn phòng thử nghiệm")
    pdf.text(60, 100, "1. Sở Nội vụ chủ trì rà soát biên chế của các cơ quan trong")
    pdf.add_page()
    pdf.text(60, 40, "CÔNG BÁO/Số 12 + 13/Ngày 05-03-2026")
    pdf.text(500, 40, "57")
    pdf.text(60, 100, "tỉnh và báo cáo kết quả trước ngày 30/6/2026.")
    path = tmp_path / "congbao.pdf"
    pdf.output(str(path))
    src = load_pdf(path)
    kinds = sorted({k for k, _, _ in src.furniture})
    assert "page_header" in kinds and "signature_stamp" in kinds
    texts = [b.text for b in src.blocks]
    assert not any("CÔNG BÁO" in t or "Ký bởi" in t for t in texts)
    assert any(t.startswith("1. Sở Nội vụ") and t.endswith("30/6/2026.") for t in texts)


# --- names ------------------------------------------------------------------------------------


def test_unknown_name_goes_on_after_va_to_the_end_of_its_list_item():
    g = load_gazetteer()
    found = [m.text for m in g.find("Vụ trưởng Vụ Thử nghiệm, Cục trưởng Cục Quản lý đất và thị trường "
                                    "thử nghiệm, Thủ trưởng các cơ quan, đơn vị thuộc Bộ chịu trách nhiệm thi hành")]
    assert "Cục Quản lý đất và thị trường thử nghiệm" in found
    assert "các cơ quan, đơn vị thuộc Bộ" in found
    # a verb after "và" ends the name
    assert [m.text for m in g.find("Sở Y tế và tổ chức thực hiện, Sở Tài chính")] == ["Sở Y tế", "Sở Tài chính"]


def test_social_insurance_office_named_by_its_kind():
    t = _one("Cơ quan bảo hiểm xã hội lập danh sách người được hỗ trợ, gửi Sở Nội vụ.")
    assert names(t.lead) == ["Cơ quan bảo hiểm xã hội"]


def test_relative_deadline_with_a_bound_word():
    dl = main_deadline(find_deadlines("Trong thời hạn tối đa 07 ngày, kể từ ngày nhận được hồ sơ, Sở Xây dựng trả lời."))
    assert dl is not None and dl.kind == "relative" and dl.text.startswith("Trong thời hạn tối đa 07 ngày")


def test_owner_in_a_later_paragraph_of_the_clause():
    [c] = _clauses(["Quyết định này có hiệu lực kể từ ngày ký.\nChánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ "
                    "chịu trách nhiệm thi hành Quyết định này."])
    [t] = extract_tasks([c])
    assert names(t.lead) == ["Văn phòng UBND tỉnh", "Sở Nội vụ"]
    assert t.text.startswith("Chánh Văn phòng")
    assert c.text[t.lead[1].start : t.lead[1].end] == "Sở Nội vụ"  # offsets into the whole clause


def test_partner_list_with_semicolons_is_not_cut_into_tasks():
    tasks = extract_tasks(_clauses(["Giao Sở Công Thương chủ trì, phối hợp với các sở, ngành; Ủy ban nhân dân các xã, "
                                    "phường; các doanh nghiệp có liên quan triển khai thực hiện Kế hoạch này."]))
    assert len(tasks) == 1
    assert names(tasks[0].lead) == ["Sở Công Thương"]
    assert names(tasks[0].coordinators) == ["các sở, ngành", "Ủy ban nhân dân các xã, phường",
                                            "các doanh nghiệp có liên quan"]


def test_objects_of_a_verb_after_an_opening_are_no_subject():
    clauses = _clauses(["Sở Giáo dục và Đào tạo", "Căn cứ chức năng, nhiệm vụ, chỉ đạo các cơ sở giáo dục tiểu học, "
                        "các cơ sở đào tạo nghề trực thuộc triển khai nội dung kỹ năng số."])
    clauses[1].parent = "0"
    clauses[0].kind = "khoan"
    by = {t.path: t for t in extract_tasks(clauses)}
    assert names(by["1"].lead) == ["Sở Giáo dục và Đào tạo"]


def test_standing_body_stands_for_its_committee():
    t = _one("UBND cấp xã có trách nhiệm phối hợp chặt chẽ với Thường trực Ủy ban MTTQ Việt Nam cùng cấp "
             "tổ chức tiếp xúc cử tri.")
    assert len(t.coordinators) == 1 and "Ủy ban MTTQ Việt Nam" in t.coordinators[0].name


# --- names read whole (issue 10, h10-crawler2; SYNTHETIC lines) ------------------------------------


def test_a_name_joining_a_second_place_of_its_own_kind_runs_on() -> None:
    """"Ban Quản lý Khu kinh tế X và các Khu công nghiệp Y" is one board's name: after "và (các)"
    a capitalised word the name already holds ("Khu") goes on; a different body does not."""
    t = _one("Sở Tài chính phối hợp Ban Quản lý Khu kinh tế Bình Sơn và các Khu công nghiệp Bình Sơn: "
             "hướng dẫn kiểm kê tài sản.")
    assert names(t.coordinators) == ["Ban Quản lý Khu kinh tế Bình Sơn và các Khu công nghiệp Bình Sơn"]
    t = _one("Sở Tài chính phối hợp Ban Quản lý Khu kinh tế Bình Sơn và Sở Xây dựng hướng dẫn kiểm kê.")
    assert names(t.coordinators) == ["Ban Quản lý Khu kinh tế Bình Sơn", "Sở Xây dựng"]


def test_a_collective_ending_in_a_unit_word_takes_the_place_named_after_it() -> None:
    """"Ủy ban nhân dân các xã, phường, đặc khu Đảo Ngọc": the special zone is named; a capitalised
    verb after the name ("… phường Triển khai …") is no place."""
    g = load_gazetteer()
    got = [m.text for m in g.find("Ủy ban nhân dân các xã, phường, đặc khu Đảo Ngọc tổ chức thực hiện.")]
    assert got == ["Ủy ban nhân dân các xã, phường, đặc khu Đảo Ngọc"]
    got = [(m.text, m.agency_id) for m in g.find("UBND các xã, phường Triển khai kiểm kê.")]
    assert got == [("UBND các xã, phường", "ubnd-cap-xa")]


def test_members_of_a_committee_in_a_subject_list_are_read() -> None:
    """"… và các thành viên Ban Chỉ đạo tỉnh chịu trách nhiệm thi hành": the members are named by their
    committee (a head's title, as "Trưởng Ban Chỉ đạo" is), the list does not stop before them."""
    t = _one("Giám đốc Sở Tài chính; Chủ tịch Ủy ban nhân dân các xã, phường và các thành viên Ban Chỉ đạo "
             "tỉnh chịu trách nhiệm thi hành Quyết định này.")
    assert "Ban Chỉ đạo tỉnh" in names(t.lead)
    assert "Sở Tài chính" in names(t.lead)


def test_an_hour_of_the_day_in_brackets_is_no_daily_recurrence() -> None:
    """SYNTHETIC: "(ban đêm, trước 5h sáng hằng ngày)" says when in the day the work is done; the
    task does not recur daily. Outside brackets "hằng ngày" still recurs."""
    assert find_deadlines("Tưới nước vào khung giờ mát (ban đêm, trước 5h sáng hằng ngày) để giảm bụi.") == []
    assert [d.recurrence for d in find_deadlines("Gửi số liệu trước 16 giờ hằng ngày.")] == ["daily"]
    assert [d.recurrence for d in find_deadlines("Cập nhật số liệu hằng ngày (trừ ngày nghỉ).")] == ["daily"]


def test_a_weekly_recurrence_keeps_its_weekdays_in_brackets() -> None:
    """SYNTHETIC: "định kỳ hằng tuần (Thứ 7, Chủ nhật)": the days belong to the recurrence; other
    brackets after it do not."""
    got = find_deadlines("Ra quân dọn vệ sinh định kỳ hằng tuần (Thứ 7, Chủ nhật) tại các khu dân cư.")
    assert [(d.text, d.recurrence) for d in got] == [("định kỳ hằng tuần (Thứ 7, Chủ nhật)", "weekly")]
    got = find_deadlines("Giao ban hằng tuần (trừ ngày lễ).")
    assert [(d.text, d.recurrence) for d in got] == [("hằng tuần", "weekly")]
