"""Tasks written as prose in notices of conclusions and Công điện (issue 10, h10-notice): a lead-in
that hands out the points after it, a province named as the one who acts, the reader a notice's
closing line names, and the subject after an opening phrase.

Every Vietnamese line here is SYNTHETIC, written for these tests (the province "Bình Sơn", the
projects and the meetings do not exist; real province names appear only as names); none is copied
from a real document.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.agencies import load_gazetteer
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.noticereader import notice_reader
from tracuu.ingest.parser import parse_document
from tracuu.ingest.placesubject import with_place_subjects
from tracuu.ingest.tasks import Task, extract_tasks

from tests.task_text import _one, names


def _parse(tmp_path: Path, text: str) -> tuple[list[Task], list]:
    f = tmp_path / "tb.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    return extract_tasks(doc.clauses, addressees=doc.header.addressees), doc.clauses


def _holding(tasks: list[Task], anchor: str) -> Task:
    hits = [t for t in tasks if anchor in t.text]
    assert hits, f"no task holds {anchor!r}: {[t.text[:40] for t in tasks]}"
    return min(hits, key=lambda t: len(t.text))


NOTICE_HEAD = """VĂN PHÒNG CHÍNH PHỦ

Số: 901/TB-VPCP

THÔNG BÁO

KẾT LUẬN CỦA PHÓ THỦ TƯỚNG TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH BÌNH SƠN (văn bản mẫu tự soạn để kiểm thử)

Ngày 02 tháng 3 năm 2027, Phó Thủ tướng đã làm việc với lãnh đạo tỉnh Bình Sơn.

Sau khi nghe báo cáo của tỉnh và ý kiến của các Bộ, Phó Thủ tướng kết luận như sau:

I. ĐÁNH GIÁ CHUNG

Tỉnh đã hoàn thành nhiều chỉ tiêu quan trọng trong năm 2026.

Các cơ quan đang tích cực triển khai 12 nhiệm vụ được giao.

"""

READER_NOTICE = NOTICE_HEAD + """II. MỘT SỐ NHIỆM VỤ TRONG THỜI GIAN TỚI

1. Rà soát, điều chỉnh quy hoạch vùng ven biển cho phù hợp.

2. Về chính quyền địa phương:

- Nhanh chóng kiện toàn bộ máy cấp xã.

- Ưu tiên nguồn lực đầu tư trang thiết bị cho cấp xã.

III. VỀ KIẾN NGHỊ CỦA TỈNH

1. Về hỗ trợ kinh phí:

Giao Bộ Tài chính chủ trì, phối hợp với Bộ Y tế nghiên cứu kiến nghị của Tỉnh.

Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Bình Sơn và các Bộ, cơ quan liên quan biết, thực hiện./.
"""


def test_closing_line_names_the_notice_reader(tmp_path: Path) -> None:
    _, clauses = _parse(tmp_path, READER_NOTICE)
    assert notice_reader(clauses) == "Ủy ban nhân dân tỉnh Bình Sơn"


def test_points_with_no_owner_in_a_task_section_are_the_readers(tmp_path: Path) -> None:
    tasks, _ = _parse(tmp_path, READER_NOTICE)
    for anchor in ("Rà soát, điều chỉnh quy hoạch", "Nhanh chóng kiện toàn", "Ưu tiên nguồn lực"):
        task = _holding(tasks, anchor)
        assert names(task.lead) == ["Ủy ban nhân dân tỉnh Bình Sơn"], anchor
    assert names(_holding(tasks, "Giao Bộ Tài chính").lead) == ["Bộ Tài chính"]
    # a heading over points ("2. Về chính quyền địa phương:") and the assessment are no task
    assert not [t for t in tasks if t.text.startswith("Về chính quyền")]
    assert not [t for t in tasks if "hoàn thành nhiều chỉ tiêu" in t.text]


def test_progress_reported_and_the_closing_line_are_no_task(tmp_path: Path) -> None:
    tasks, _ = _parse(tmp_path, READER_NOTICE)
    assert not [t for t in tasks if "đang tích cực" in t.text]
    tasks, _ = _parse(tmp_path, READER_NOTICE.replace("thông báo để", "xin thông báo để"))
    assert not [t for t in tasks if "Văn phòng Chính phủ" in names(t.lead)]


def test_no_reader_when_the_closing_line_names_only_collectives(tmp_path: Path) -> None:
    text = READER_NOTICE.replace("Ủy ban nhân dân tỉnh Bình Sơn và các Bộ", "các Bộ")
    tasks, clauses = _parse(tmp_path, text)
    assert notice_reader(clauses) is None
    assert not [t for t in tasks if "Rà soát, điều chỉnh quy hoạch" in t.text]


LEAD_IN = NOTICE_HEAD + """II. NHIỆM VỤ TRỌNG TÂM

Để hoàn thành mục tiêu năm 2027, tỉnh Cà Mau cần tiếp tục thực hiện quyết liệt các chủ trương, trong đó tập trung thực hiện một số nội dung trọng tâm sau:

1. Đẩy nhanh giải ngân vốn đầu tư công.

2. Cải thiện môi trường đầu tư kinh doanh.

3. Sở Xây dựng hướng dẫn thủ tục cấp phép.
"""


def test_lead_in_hands_out_the_points_after_it(tmp_path: Path) -> None:
    tasks, _ = _parse(tmp_path, LEAD_IN)
    for anchor in ("Đẩy nhanh giải ngân", "Cải thiện môi trường"):
        assert names(_holding(tasks, anchor).lead) == ["Ủy ban nhân dân tỉnh Cà Mau"], anchor
    # a point that names its own subject keeps it; the lead-in itself is no task
    assert names(_holding(tasks, "Sở Xây dựng hướng dẫn").lead) == ["Sở Xây dựng"]
    assert not [t for t in tasks if t.text.startswith("Để hoàn thành mục tiêu")]


DISPATCH = """THỦ TƯỚNG CHÍNH PHỦ

Số: 902/CĐ-TTg

CÔNG ĐIỆN

Về việc thử nghiệm (văn bản mẫu tự soạn để kiểm thử)

THỦ TƯỚNG CHÍNH PHỦ điện:

- Bộ trưởng các Bộ;

- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

Để chủ động ứng phó với mưa lớn, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương thực hiện các nhiệm vụ sau:

1. Khẩn trương rà soát các khu dân cư có nguy cơ sạt lở.

2. Bố trí lực lượng trực ban nghiêm túc.

3. Bộ Công an chỉ đạo lực lượng hỗ trợ địa phương.
"""


def test_dispatch_lead_in_in_the_preamble_hands_out_top_level_points(tmp_path: Path) -> None:
    tasks, _ = _parse(tmp_path, DISPATCH)
    for anchor in ("Khẩn trương rà soát các khu dân cư", "Bố trí lực lượng trực ban"):
        lead = names(_holding(tasks, anchor).lead)
        assert lead == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"], (anchor, lead)
    assert names(_holding(tasks, "Bộ Công an chỉ đạo").lead) == ["Bộ Công an"]


def test_a_plain_subject_before_a_colon_hands_out_nothing(tmp_path: Path) -> None:
    text = LEAD_IN.replace(
        "tỉnh Cà Mau cần tiếp tục thực hiện quyết liệt các chủ trương, trong đó tập trung thực hiện một số nội dung trọng tâm sau:",
        "tỉnh Cà Mau đã đạt các kết quả sau:")
    tasks, _ = _parse(tmp_path, text)
    assert not [t for t in tasks if "Đẩy nhanh giải ngân" in t.text]


def test_province_named_as_the_one_who_acts_is_its_committee() -> None:
    g = load_gazetteer()

    def read(text: str) -> list[tuple[str, str]]:
        found = with_place_subjects(text, g.find(text), g)
        return [(m.text, m.full) for m in found if m.agency_id == "ubnd-tinh"]

    assert read("a) Các tỉnh Lai Châu, Cà Mau khẩn trương hoàn thiện hồ sơ.") == [
        ("Các tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu"), ("Cà Mau", "Ủy ban nhân dân tỉnh Cà Mau")]
    assert read("b) Thành phố Hải Phòng và các tỉnh Ninh Bình, Hưng Yên đẩy nhanh tiến độ.") == [
        ("Thành phố Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng"),
        ("các tỉnh Ninh Bình", "Ủy ban nhân dân tỉnh Ninh Bình"), ("Hưng Yên", "Ủy ban nhân dân tỉnh Hưng Yên")]
    assert read("Tỉnh căn cứ quy định hiện hành để bố trí xe chuyên dùng.") == [("Tỉnh", "Ủy ban nhân dân tỉnh")]
    # places, not doers
    assert read("Giao Bộ Tài chính nghiên cứu kiến nghị của tỉnh Cà Mau.") == []
    assert read("Tỉnh đã hoàn thành nhà ở cho hộ nghèo.") == []
    assert read("Tỉnh Cà Mau (mới) có diện tích lớn.") == []
    assert read("Ủy ban nhân dân các xã trên địa bàn tỉnh Cà Mau thực hiện.") == []
    assert read("Nghệ An khẩn trương hoàn thiện hồ sơ.") == []  # a bare place alone: too weak


def test_province_subject_owns_the_task() -> None:
    task = _one("d) Thành phố Đà Nẵng, tỉnh Quảng Ngãi đẩy nhanh việc lựa chọn nhà đầu tư.")
    assert names(task.lead) == ["Ủy ban nhân dân thành phố Đà Nẵng", "Ủy ban nhân dân tỉnh Quảng Ngãi"]


def test_committees_of_a_colon_list_of_provinces_are_the_leads() -> None:
    # h24-notice (synthetic sentences): "Ủy ban nhân dân các tỉnh: A, B …" names the provinces that
    # act; the collective before the colon gives way to their committees, a bare city is a city
    task = _one("b) Ủy ban nhân dân các tỉnh: Lai Châu, Cà Mau, Sơn La khẩn trương bàn giao mặt bằng cho dự án.")
    assert names(task.lead) == ["Ủy ban nhân dân tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Cà Mau",
                                "Ủy ban nhân dân tỉnh Sơn La"]
    task = _one("d) Ủy ban nhân dân các tỉnh, thành phố: Gia Lai, Cần Thơ chỉ đạo nhà thầu tăng ca thi công.")
    assert names(task.lead) == ["Ủy ban nhân dân tỉnh Gia Lai", "Ủy ban nhân dân thành phố Cần Thơ"]
    # no list after the collective: it stays the lead
    task = _one("c) Ủy ban nhân dân các tỉnh, thành phố khẩn trương bàn giao mặt bằng.")
    assert names(task.lead) == ["Ủy ban nhân dân các tỉnh, thành phố"]


def test_subject_after_an_opening_with_a_comma_inside_a_name() -> None:
    # "các Bộ, cơ quan liên quan" is one name: its comma is no end of the opening phrase
    task = _one("2. Trên cơ sở đề nghị của các Bộ, cơ quan liên quan, Bộ Tài chính khẩn trương bố trí kinh phí.")
    assert names(task.lead) == ["Bộ Tài chính"]


def test_subject_after_a_marker_and_an_opening_phrase() -> None:
    task = _one("(4) Sau khi được cấp có thẩm quyền phê duyệt, các Bộ, cơ quan, địa phương tập trung tổ chức thực hiện.")
    assert names(task.lead) == ["các Bộ, cơ quan, địa phương"]
