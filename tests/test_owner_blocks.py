"""Owners listed after the work (issue 10, h13-ttg): a national plan's section gives its items
("1. Nội dung, biện pháp" / "a) …" / "b) …") and then, as headings without a colon, who leads and who
partners ("2. Cơ quan chủ trì, phối hợp" / "a) Cơ quan chủ trì" / "- …" / "b) Cơ quan phối hợp" /
"- …") and when ("3. Thời gian thực hiện: …"). Also the section numbers such plans are read with:
"Mục III." with no Chương, and a Roman numeral spaced by a PDF text layer ("V I.").

Every Vietnamese line here is SYNTHETIC, written for these tests (the plan, its numbers and its
wording are invented); the bodies named are real central bodies (names, not text).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.markers import find_marker
from tracuu.ingest.parser import parse_document
from tracuu.ingest.vntext import mend_split_syllables

from task_text import holding, names, parse_txt_tasks

PLAN = """I. TẬP HUẤN NGHIỆP VỤ MẪU
1. Nội dung, biện pháp
a) Tổ chức lớp tập huấn mẫu cho cán bộ làm công tác thống kê;
b) Biên soạn tài liệu hướng dẫn nghiệp vụ mẫu.
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Bộ Quốc phòng.
- Bộ Tài chính; Bộ Ngoại giao.
b) Cơ quan phối hợp
- Các bộ, ngành liên quan.
3. Thời gian thực hiện: Năm 2031 và hằng năm.
II. KIỂM TRA MẪU
1. Nội dung, biện pháp
a) Kiểm tra định kỳ việc thực hiện nội dung mẫu;
b) Sơ kết việc thực hiện nội dung mẫu.
2. Cơ quan chủ trì
- Bộ Nội vụ.
(Văn phòng Bộ giúp Bộ trưởng theo dõi việc thực hiện).
3. Thời gian thực hiện: Quý IV/2031.
"""


def test_owners_listed_after_the_items_own_each_item(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, PLAN)
    for anchor in ("Tổ chức lớp tập huấn mẫu", "Biên soạn tài liệu hướng dẫn"):
        t = holding(tasks, anchor)
        assert names(t.lead) == ["Bộ Quốc phòng", "Bộ Tài chính", "Bộ Ngoại giao"]
        assert names(t.coordinators) == ["Các bộ, ngành liên quan"]
        assert t.deadline is not None and t.deadline.text == "Năm 2031 và hằng năm"


def test_a_lead_heading_alone_and_a_remark_under_it(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, PLAN)
    for anchor in ("Kiểm tra định kỳ việc thực hiện", "Sơ kết việc thực hiện nội dung mẫu"):
        t = holding(tasks, anchor)
        assert names(t.lead) == ["Bộ Nội vụ"] and t.coordinators == []
        assert t.deadline is not None and t.deadline.text == "Quý IV/2031"


def test_the_label_headings_and_name_lines_are_no_tasks(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, PLAN)
    assert not [t for t in tasks if t.text.rstrip(".").startswith(("Bộ ", "Các bộ", "Cơ quan", "(Văn phòng"))]
    assert len(tasks) == 4


def test_a_section_heading_over_work_is_not_a_label(tmp_path: Path) -> None:
    # "Điều 2. Tổ chức thực hiện" over sentences of work: its points stay tasks of their own
    text = """Điều 1. Phê duyệt nội dung mẫu.
1. Rà soát danh mục mẫu.
Điều 2. Tổ chức thực hiện
1. Bộ Tài chính chủ trì hướng dẫn thực hiện nội dung mẫu.
2. Bộ Nội vụ theo dõi, tổng hợp kết quả thực hiện.
"""
    tasks = parse_txt_tasks(tmp_path, text)
    assert names(holding(tasks, "chủ trì hướng dẫn").lead) == ["Bộ Tài chính"]
    assert names(holding(tasks, "theo dõi, tổng hợp").lead) == ["Bộ Nội vụ"]


def test_a_label_broken_by_the_text_layer_is_still_a_label(tmp_path: Path) -> None:
    text = """I. NỘI DUNG MẪU
1. Nội dung, biện pháp
a) Bảo đảm phương tiện cho lực lượng mẫu;
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ tr ì: Bộ Quốc phòng; Bộ Tài chính.
b) Cơ quan phối hợp
- Các đơn vị, địa phương.
3. Th ờ i gian thực hiện: Năm 2031.
"""
    t = holding(parse_txt_tasks(tmp_path, text), "Bảo đảm phương tiện")
    assert names(t.lead) == ["Bộ Quốc phòng", "Bộ Tài chính"]
    assert t.deadline is not None and t.deadline.text == "Năm 2031"


def test_muc_with_a_roman_numeral_opens_a_section_of_a_plan(tmp_path: Path) -> None:
    # a plan (no Chương) whose sections read "Mục III.", "Mục IV." and, spaced by a text layer, "V I."
    text = """Mục III. NỘI DUNG MẪU THỨ BA
1. Nội dung, biện pháp
a) Việc mẫu thứ ba.
Mục IV. NỘI DUNG MẪU THỨ TƯ
1. Nội dung, biện pháp
a) Việc mẫu thứ tư.
V. NỘI DUNG MẪU THỨ NĂM
1. Nội dung, biện pháp
a) Việc mẫu thứ năm.
V I. NỘI DUNG MẪU THỨ SÁU
1. Nội dung, biện pháp
a) Việc mẫu thứ sáu.
"""
    f = tmp_path / "kh.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(load_txt(f), doc_id="t", file_name=f.name, content_hash="")
    paths = [c.path for c in doc.clauses]
    for p in ("III.1.a", "IV.1.a", "V.1.a", "VI.1.a"):
        assert p in paths, paths


@pytest.mark.parametrize("written, value", [("V I. ĐẨY MẠNH", "VI"), ("VII I. BẢO ĐẢM", "VIII"), ("IV. TỔ CHỨC", "IV")])
def test_a_spaced_roman_numeral_is_read_whole(written: str, value: str) -> None:
    mk = find_marker(written)
    assert mk is not None and mk.kind == "roman" and mk.value == value


@pytest.mark.parametrize("written, mended", [
    ("Bộ Y t ế", "Bộ Y tế"),
    ("Ban Chỉ đạo các tỉnh, thành ph ố trực thuộc Trung ương", "Ban Chỉ đạo các tỉnh, thành phố trực thuộc Trung ương"),
    ("Ban Chuyên tr ách các cấp", "Ban Chuyên trách các cấp"),
    ("Sở KH&CN", "Sở KH&CN"),
    ("TP Huế", "TP Huế"),
    ("Ủy ban nhân dân tỉnh A", "Ủy ban nhân dân tỉnh A"),
])
def test_a_syllable_cut_by_the_text_layer_is_mended_in_names(written: str, mended: str) -> None:
    assert mend_split_syllables(written) == mended


def test_a_name_cut_by_the_text_layer_is_the_gazetteer_agency(tmp_path: Path) -> None:
    text = """I. NỘI DUNG MẪU
1. Bộ Y t ế
- Chủ trì xây dựng hướng dẫn chuyên môn mẫu.
"""
    t = holding(parse_txt_tasks(tmp_path, text), "Chủ trì xây dựng hướng dẫn")
    assert names(t.lead) == ["Bộ Y tế"] and t.lead[0].agency_id is not None


DIRECTIVE = """Để làm tốt công tác mẫu, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:
1. Chỉ đạo các cấp đưa nội dung mẫu vào kế hoạch hằng năm.
Việc đưa nội dung mẫu vào kế hoạch phải gắn với điều kiện của địa phương.
2. Chỉ đạo các cơ quan, đơn vị trên địa bàn ưu tiên thực hiện nội dung mẫu.
3. Định kỳ hằng năm gửi báo cáo về Bộ Nội vụ.
"""

RESOLUTION = """II. NHIỆM VỤ MẪU
1. Về nội dung mẫu
1.1. Hỗ trợ mẫu thứ nhất
Ủy ban nhân dân các tỉnh, thành phố:
a) Bố trí nguồn lực thực hiện nội dung mẫu thứ nhất;
b) Rà soát, thống kê các trường hợp cần hỗ trợ mẫu.
1.2. Hỗ trợ mẫu thứ hai
a) Bộ Tài chính hướng dẫn thực hiện nội dung mẫu thứ hai.
"""


def test_a_paragraph_that_goes_on_with_a_point_does_not_end_the_run(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, DIRECTIVE)
    for anchor in ("Chỉ đạo các cấp đưa nội dung mẫu", "Chỉ đạo các cơ quan, đơn vị", "Định kỳ hằng năm gửi báo cáo"):
        assert names(holding(tasks, anchor).lead) == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"], anchor


def test_a_heading_of_names_owns_every_point_of_its_run(tmp_path: Path) -> None:
    tasks = parse_txt_tasks(tmp_path, RESOLUTION)
    for anchor in ("Bố trí nguồn lực thực hiện", "Rà soát, thống kê các trường hợp"):
        assert names(holding(tasks, anchor).lead) == ["Ủy ban nhân dân các tỉnh, thành phố"], anchor
    assert names(holding(tasks, "hướng dẫn thực hiện nội dung mẫu thứ hai").lead) == ["Bộ Tài chính"]


def test_a_label_with_a_colon_over_name_lines_and_one_over_work(tmp_path: Path) -> None:
    text = """I. NỘI DUNG MẪU
1. Nội dung, biện pháp
a) Rà soát quy trình mẫu;
2. Cơ quan chủ trì:
- Bộ Tư pháp.
II. NỘI DUNG MẪU KHÁC
1. Chủ trì
- Bộ Y tế: tổ chức tập huấn mẫu cho địa phương.
"""
    tasks = parse_txt_tasks(tmp_path, text)
    assert names(holding(tasks, "Rà soát quy trình mẫu").lead) == ["Bộ Tư pháp"]
    assert holding(tasks, "tổ chức tập huấn mẫu")  # work under a bare "Chủ trì" stays a task
