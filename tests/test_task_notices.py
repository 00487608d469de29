"""Task rules for notices of conclusions, dispatches and "Tổ chức thực hiện" sections (issue 10,
fresh crawler documents): one small test per rule.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn" and the
projects do not exist); none is copied from a real document.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.headnames import heading_name
from tracuu.ingest.tasks import extract_tasks

from tests.task_text import _clauses, _one, holding, names, parse_txt_tasks  # noqa: F401

HEAD = "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử nghiệm\n\nI. MỤC ĐÍCH\n\n1. Làm thử.\n\n"


def test_roman_point_in_brackets_is_no_subject():
    # "(ii)", "(iv)" open the points of a notice like "(1)" and "a)" do
    task = _one("(iii) Ủy ban nhân dân tỉnh Bình Sơn chỉ đạo đơn vị liên quan bàn giao mặt bằng trong tháng 11 năm 2026.")
    assert names(task.lead) == ["Ủy ban nhân dân tỉnh Bình Sơn"]
    task = _one("(iv) Giao Sở Xây dựng hướng dẫn chủ đầu tư hoàn thiện hồ sơ.")
    assert names(task.lead) == ["Sở Xây dựng"]


def test_title_then_colon_after_a_bracketed_marker():
    task = _one("(ii) Về thủ tục nhập khẩu thiết bị: Giao Sở Công Thương hướng dẫn doanh nghiệp thực hiện.")
    assert names(task.lead) == ["Sở Công Thương"]


def test_title_then_colon_then_a_subject_with_any_verb():
    task = _one("Về việc đấu nối tuyến ống Tây Sơn: Ủy ban nhân dân tỉnh Bình Sơn xử lý dứt điểm trong tháng 12 năm 2026.")
    assert names(task.lead) == ["Ủy ban nhân dân tỉnh Bình Sơn"]
    assert task.deadline is not None and "tháng 12 năm 2026" in task.deadline.text


def test_city_committee_with_its_name_is_one_agency():
    g = load_gazetteer()
    for written in ("Ủy ban nhân dân Thành phố Hồ Chí Minh", "UBND thành phố Đà Nẵng", "UBND Thành phố Hà Nội"):
        found = g.find(written + " chỉ đạo các sở")
        assert found[0].text == written and found[0].agency_id == "ubnd-tinh"


def test_project_parties_and_inspection_bodies_are_owners():
    task = _one("(ii) Chủ đầu tư phối hợp chặt chẽ với các nhà thầu hoàn thành nghiệm thu trong tháng 12 năm 2026.")
    assert names(task.lead) == ["Chủ đầu tư"]
    assert names(task.coordinators) == ["các nhà thầu"]
    task = _one("1. Cơ quan thanh tra khẩn trương ban hành kết luận trước ngày 26/12/2026.")
    assert names(task.lead) == ["Cơ quan thanh tra"]


def test_a_sentence_after_a_date_is_its_own_task():
    tasks = extract_tasks(_clauses([
        "Sở Tài chính chủ trì rà soát các dự án theo văn bản số 15/STC ngày 22/8/2026. "
        "Ủy ban nhân dân tỉnh Bình Sơn khẩn trương hoàn thành việc phân loại trước ngày 30/11/2026."]))
    assert [names(t.lead) for t in tasks] == [["Sở Tài chính"], ["Ủy ban nhân dân tỉnh Bình Sơn"]]


def test_heading_name_reads_a_collective_with_its_qualifier():
    g = load_gazetteer()
    h = heading_name("Các doanh nghiệp hoạt động trong lĩnh vực vận tải, logistics trên địa bàn tỉnh", g)
    assert h is not None and h.name == "Các doanh nghiệp hoạt động trong lĩnh vực vận tải, logistics trên địa bàn tỉnh"
    h = heading_name("Đối với các cơ sở sản xuất có lượng khí thải lớn (theo danh sách kèm theo):", g)
    assert h is not None and h.name == "các cơ sở sản xuất có lượng khí thải lớn"
    # a sentence or a role phrase is no heading of names
    assert heading_name("Các sở phối hợp với Sở Y tế triển khai.", g) is None
    assert heading_name("Sở Y tế có trách nhiệm", g) is None
    assert heading_name("Tăng cường kiểm tra các doanh nghiệp", g) is None


def test_points_under_a_collective_heading_are_its_tasks(tmp_path: Path):
    text = HEAD + (
        "II. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Sở Xây dựng\n\n- Chủ trì số hóa hồ sơ công trình.\n\n"
        "2. Các doanh nghiệp hoạt động trong lĩnh vực vận tải, logistics trên địa bàn tỉnh\n\n"
        "- Ứng dụng nền tảng số trong quản lý kho bãi.\n\n"
        "- Chủ động cung cấp dữ liệu cho Sở Xây dựng.\n\n"
        "3. Các cơ sở sản xuất, kinh doanh\n\n"
        "3.1. Đối với các cơ sở sản xuất có lượng khí thải lớn:\n\n"
        "+ Vận hành ổn định hệ thống xử lý khí thải.\n\n"
        "+ Tăng tần suất bảo dưỡng thiết bị.\n\n"
    )
    tasks = parse_txt_tasks(tmp_path, text)
    owner = "Các doanh nghiệp hoạt động trong lĩnh vực vận tải, logistics trên địa bàn tỉnh"
    assert names(holding(tasks, "Ứng dụng nền tảng số").lead) == [owner]
    assert names(holding(tasks, "cung cấp dữ liệu").lead) == [owner]
    assert names(holding(tasks, "Vận hành ổn định").lead) == ["các cơ sở sản xuất có lượng khí thải lớn"]
    assert not any(t.text.startswith("Các doanh nghiệp hoạt động") for t in tasks)  # the heading is no task


def test_closing_paragraph_inherits_no_heading(tmp_path: Path):
    text = HEAD + (
        "II. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Sở Xây dựng\n\n- Chủ trì số hóa hồ sơ công trình.\n\n"
        "Trên đây là Kế hoạch số hóa hồ sơ công trình tỉnh Bình Sơn. Đề nghị các cơ quan, đơn vị nghiêm túc "
        "triển khai thực hiện. Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo kết quả về Sở Xây dựng.\n"
    )
    tasks = parse_txt_tasks(tmp_path, text)
    closing = holding(tasks, "Định kỳ hằng năm")
    assert names(closing.lead) == ["các cơ quan, đơn vị"]
    assert closing.deadline is not None and "30 tháng 11" in closing.deadline.text


def test_closing_hand_off_to_heads_after_a_comma():
    task = _one("Trên đây là Chỉ thị về bảo vệ nguồn nước của tỉnh Bình Sơn, yêu cầu Giám đốc sở, Chủ tịch "
                "Ủy ban nhân dân các xã, phường có trách nhiệm triển khai thực hiện nghiêm Chỉ thị này.")
    assert "Ủy ban nhân dân các xã, phường" in " ".join(names(task.lead))


def test_partner_lists_closed_by_a_kind_without_cac_or_joined_by_hoac():
    task = _one("Sở Nông nghiệp và Môi trường phối hợp với UBND các xã, phường và lực lượng chức năng kiểm tra, xử lý vi phạm.")
    assert names(task.coordinators) == ["UBND các xã, phường", "lực lượng chức năng"]
    task = _one("Sở Xây dựng chủ trì, phối hợp với Công an xã, phường hoặc UBND các xã, phường tổ chức kiểm tra công trường.")
    assert names(task.coordinators) == ["Công an xã, phường", "UBND các xã, phường"]


def test_partner_names_that_run_on_with_a_kind_or_an_owner():
    task = _one("Sở Y tế phối hợp với các cơ quan báo chí, truyền hình đăng tải khuyến cáo.")
    assert names(task.coordinators) == ["các cơ quan báo chí, truyền hình"]
    task = _one("Sở Nông nghiệp và Môi trường phối hợp với các đơn vị của Bộ Nông nghiệp và Môi trường giám sát từ xa.")
    assert names(task.coordinators) == ["các đơn vị của Bộ Nông nghiệp và Môi trường"]
    task = _one("Sở Khoa học và Công nghệ phối hợp hỗ trợ các đơn vị triển khai kết nối dữ liệu.")
    assert names(task.coordinators) == ["các đơn vị"]


def test_honorific_before_heads_is_no_subject():
    task = _one("Đề nghị các đồng chí Bộ trưởng, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố chỉ đạo quyết liệt.")
    assert "các bộ" in [r.full.lower() for r in task.lead] or "Bộ trưởng" in names(task.lead)
    assert any("Ủy ban nhân dân các tỉnh" in n for n in names(task.lead))


def test_a_labelled_time_after_two_subjects_is_both_tasks_deadline():
    tasks = extract_tasks(_clauses([
        "Các sở chủ trì rà soát các dự án. Ủy ban nhân dân tỉnh Bình Sơn khẩn trương phân loại dự án. "
        "Thời hạn hoàn thành: trước ngày 30/11/2026."]))
    assert len(tasks) == 2
    assert all(t.deadline is not None and "30/11/2026" in t.deadline.text for t in tasks)


def test_a_file_that_is_only_an_appendix_table(tmp_path: Path):
    # an attachment published apart from its decision: it opens with the appendix heading
    text = (
        "PHỤ LỤC II\nDANH MỤC NHIỆM VỤ ƯU TIÊN\n(Kèm theo Quyết định số 99/QĐ-UBND ngày 01/12/2026)\n"
        "STT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện\n"
        "I | NHÓM NHIỆM VỤ VỀ DỮ LIỆU\n"
        "1 | Xây dựng cơ sở dữ liệu nguồn thải | Sở Nông nghiệp và Môi trường | - Sở Xây dựng; - Công an tỉnh | 2027 - 2028\n"
        "2 | Lắp đặt bảng thông tin chất lượng không khí | UBND thành phố Hà Nội, Thành phố Hồ Chí Minh | "
        "Các cơ quan liên quan | Triển khai từ năm 2027\n"
    )
    tasks = parse_txt_tasks(tmp_path, text)
    first = holding(tasks, "cơ sở dữ liệu nguồn thải")
    assert names(first.lead) == ["Sở Nông nghiệp và Môi trường"]
    assert names(first.coordinators) == ["Sở Xây dựng", "Công an tỉnh"]
    second = holding(tasks, "bảng thông tin")
    assert len(second.lead) == 2 and "Hồ Chí Minh" in second.lead[1].full


def test_a_bare_city_after_a_city_committee_shares_its_head():
    g = load_gazetteer()
    from tracuu.ingest.tasks import cell_agencies
    got = cell_agencies("UBND thành phố Hà Nội, Thành phố Hồ Chí Minh và UBND các tỉnh, thành phố khác", "x", g)
    assert [r.name for r in got] == ["UBND thành phố Hà Nội", "Ủy ban nhân dân Thành phố Hồ Chí Minh",
                                     "UBND các tỉnh, thành phố khác"]


def test_time_lines_after_points_under_a_heading_of_names(tmp_path: Path):
    text = HEAD + (
        "II. NHIỆM VỤ CỤ THỂ\n\n"
        "1. Ủy ban nhân dân các xã, phường\n\n"
        "- Thành lập tổ kiểm kê cấp xã.\n\nThời gian hoàn thành: Trước ngày 15/11/2026.\n\n"
        "- Hướng dẫn các đơn vị thực hiện kiểm kê.\n\nThời gian thực hiện: Tháng 11 - 12/2026.\n\n"
        "2. Các sở, ngành\n\n"
        "- Phối hợp hướng dẫn các địa phương thực hiện kiểm kê. Trong đó:\n\n"
        "+ Sở Xây dựng: hướng dẫn kiểm kê tài sản giao thông.\n\n"
        "+ Sở Công Thương: hướng dẫn kiểm kê tài sản chợ.\n\n"
        "Thời gian thực hiện: Từ tháng 11/2026 đến khi kết thúc kiểm kê.\n\n"
    )
    tasks = parse_txt_tasks(tmp_path, text)
    first = holding(tasks, "Thành lập tổ kiểm kê")
    assert names(first.lead) == ["Ủy ban nhân dân các xã, phường"]
    assert first.deadline is not None and "15/11/2026" in first.deadline.text
    assert "11 - 12/2026" in holding(tasks, "Hướng dẫn các đơn vị").deadline.text
    # a time after a point's sub-items is the point's and its items'
    assert "11/2026" in holding(tasks, "Phối hợp hướng dẫn các địa phương").deadline.text
    item = holding(tasks, "hướng dẫn kiểm kê tài sản chợ")
    assert names(item.lead) == ["Sở Công Thương"] and "11/2026" in item.deadline.text


def test_heading_with_a_role_in_apposition_or_members_in_brackets(tmp_path: Path):
    text = HEAD + (
        "II. NHIỆM VỤ CỤ THỂ\n\n"
        "1. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo\n\n"
        "- Tham mưu triển khai kế hoạch kiểm kê.\n\n"
        "2. Các cơ quan tham mưu quản lý ngành (gồm các Sở: Xây dựng, Công Thương)\n\n"
        "- Cử công chức tham gia tổ công tác.\n\n"
        "3. Trách nhiệm của đối tượng thực hiện kiểm kê:\n\n"
        "- Chuẩn bị hồ sơ tài sản.\n\n"
    )
    tasks = parse_txt_tasks(tmp_path, text)
    assert names(holding(tasks, "Tham mưu triển khai").lead) == ["Sở Tài chính"]
    assert [r.full for r in holding(tasks, "Cử công chức").lead] == ["Sở Xây dựng", "Sở Công Thương"]
    assert names(holding(tasks, "Chuẩn bị hồ sơ").lead) == ["đối tượng thực hiện kiểm kê"]
    assert not any(t.text.startswith("Sở Tài chính - Cơ quan") for t in tasks)  # the heading is no task


def test_a_date_range_keeps_its_start_as_written():
    from tracuu.ingest.deadlines import find_deadlines
    found = find_deadlines("báo cáo chương trình kiểm tra, thời gian trong tuần ngày 15 đến ngày 31 tháng 12 năm 2026.")
    assert [d.text for d in found] == ["ngày 15 đến ngày 31 tháng 12 năm 2026"]
    assert found[0].date == "2026-12-31"  # due at the end of the range
    assert [d.text for d in find_deadlines("hoàn thành đến ngày 31/12/2026")] == ["đến ngày 31/12/2026"]
