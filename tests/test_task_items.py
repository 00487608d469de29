"""Which items of one clause are tasks of their own, and which time belongs to which (h10-rows).

The plans below are SYNTHETIC (a made-up province, invented wording in the layouts of real
plans: a lettered list run into one line, the next numbered point run into the line before it,
a prose appendix "1. Sở X chủ trì, phối hợp với …:" + "a) …", sentences of one point each with
its own time), never a real document's text.
"""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document
from tracuu.ingest.tasks import _inline_items, extract_tasks

HEAD = """ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN
Số: 9/KH-UBND
KẾ HOẠCH
Thử nghiệm các điểm viết liền (văn bản mẫu tự soạn để kiểm thử, không phải văn bản thật)
"""

RUN_ON = HEAD + """IV. TỔ CHỨC THỰC HIỆN
1. Sở Xây dựng: a) Chủ trì, phối hợp với Sở Tài chính rà soát danh mục công trình, báo cáo Ủy ban \
nhân dân tỉnh trước ngày 10 tháng 12 năm 2026. b) Khẩn trương hoàn thiện hồ sơ, chủ động phối hợp \
Sở Nội vụ tham mưu khen thưởng các tập thể có thành tích.
2. Về thủ tục hành chính
2.1. Đối với 12 thủ tục cần sửa đổi, các sở, ban, ngành khẩn trương rà soát, ban hành văn bản \
hướng dẫn. Thời hạn hoàn thành chậm nhất ngày 25/12/2026. 2.2. Các sở, ban, ngành xây dựng phương \
án bãi bỏ 3 thủ tục, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
"""

PROSE_APPENDIX = HEAD + """I. MỤC ĐÍCH
Bảo đảm thực hiện đồng bộ.
II. TỔ CHỨC THỰC HIỆN
Các sở, ngành thực hiện nhiệm vụ tại Phụ lục kèm theo.
PHỤ LỤC
NHIỆM VỤ CỤ THỂ GIAO CÁC SỞ, NGÀNH
1. Sở Tài chính chủ trì, phối hợp với Sở Xây dựng, Sở Nội vụ:
a) Tổng hợp nhu cầu vốn của các dự án, hoàn thành trong quý II năm 2027.
b) Hướng dẫn lập dự toán các dự án, trước ngày 30 tháng 9 năm 2027.
c) Chủ trì, phối hợp với Sở Tư pháp rà soát các quy định về phí.
2. Sở Y tế chủ trì, phối hợp với các cơ quan, địa phương:
a) Rà soát mạng lưới trạm y tế, hoàn thành trong tháng 5 năm 2027.
b) Xây dựng đề án nâng cao năng lực y tế cơ sở, trình Ủy ban nhân dân tỉnh trong quý IV năm 2027.
"""

OWN_TIMES = HEAD + """IV. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân các xã có trách nhiệm:
a) Kết thúc hoạt động của các tổ công tác cũ trước ngày 31 tháng 5 năm 2027. Khẩn trương xây dựng \
phương án bố trí cán bộ; bảo đảm hoàn thành trước ngày 30 tháng 6 năm 2027.
b) Khẩn trương hoàn thiện các báo cáo về kết quả công tác trong năm 2026. Các báo cáo trên gửi Sở Nội vụ trước ngày 05 tháng 12 năm 2026.
c) Tổ chức sinh hoạt định kỳ của các tổ; gửi báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12 hằng năm.
d) Xây dựng kế hoạch kiểm tra các tổ trước ngày 20 tháng 3 năm 2027. Thời hạn hoàn thành chậm nhất ngày 25 tháng 3 năm 2027.
"""


def _tasks(tmp_path: Path, text: str) -> list[tuple[str, list[str], list[str], str | None, str]]:
    p = tmp_path / "kh.txt"
    p.write_text(text, encoding="utf-8")
    doc = parse_document(load(p), doc_id="t", file_name="kh.txt", content_hash="")
    return [(t.task_id, [r.name for r in t.lead], [r.name for r in t.coordinators],
             t.deadline.text if t.deadline else None, t.text) for t in extract_tasks(doc.clauses)]


def _at(tasks: list, start: str) -> tuple:
    hits = [t for t in tasks if t[4].startswith(start)]
    assert len(hits) == 1, (start, [t[4][:40] for t in tasks])
    return hits[0]


def test_letters_run_into_one_line_are_tasks_of_their_own(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, RUN_ON)
    a = _at(tasks, "Sở Xây dựng: a) Chủ trì")
    b = _at(tasks, "b) Khẩn trương hoàn thiện hồ sơ")
    assert (a[0], b[0]) == ("t:1#1", "t:1#2")
    assert a[1] == b[1] == ["Sở Xây dựng"]  # b) names no owner: the clause's
    assert (a[2], a[3]) == (["Sở Tài chính"], "trước ngày 10 tháng 12 năm 2026")
    assert (b[2], b[3]) == (["Sở Nội vụ"], None)  # its own partner, and a's time is not b's


def test_next_numbered_point_run_into_the_line_before(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, RUN_ON)
    first = _at(tasks, "Đối với 12 thủ tục")
    second = _at(tasks, "2.2. Các sở, ban, ngành xây dựng")
    assert first[3] == "chậm nhất ngày 25/12/2026"  # a sentence that is only a time stays with its work
    assert second[3] == "trước ngày 15/12/2026"


def test_prose_appendix_row_items_share_head_owner_and_partners(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, PROSE_APPENDIX)
    a = _at(tasks, "Sở Tài chính chủ trì, phối hợp với Sở Xây dựng, Sở Nội vụ: a)")
    b = _at(tasks, "b) Hướng dẫn lập dự toán")
    c = _at(tasks, "c) Chủ trì, phối hợp với Sở Tư pháp")
    assert a[1] == b[1] == c[1] == ["Sở Tài chính"]
    assert a[2] == b[2] == ["Sở Xây dựng", "Sở Nội vụ"]
    assert c[2] == ["Sở Tư pháp"]  # partners an item names itself replace the head's
    assert (a[3], b[3], c[3]) == ("trong quý II năm 2027", "trước ngày 30 tháng 9 năm 2027", None)
    y = _at(tasks, "b) Xây dựng đề án nâng cao")
    assert (y[1], y[2], y[3]) == (["Sở Y tế"], ["các cơ quan, địa phương"], "trong quý IV năm 2027")


def test_sentences_with_their_own_times_are_tasks_of_their_own(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, OWN_TIMES)
    first = _at(tasks, "Kết thúc hoạt động")
    second = _at(tasks, "Khẩn trương xây dựng phương án")  # cut where its sentence begins
    assert (first[3], second[3]) == ("trước ngày 31 tháng 5 năm 2027", "trước ngày 30 tháng 6 năm 2027")
    assert first[1] == second[1] == ["Ủy ban nhân dân các xã"]
    # a year is what the report is about, not another due time: one task
    b = [t for t in tasks if "báo cáo về kết quả công tác" in t[4]]
    assert len(b) == 1 and b[0][3] == "trước ngày 05 tháng 12 năm 2026"
    # "sinh hoạt định kỳ" is a kind of meeting: one task
    c = [t for t in tasks if "sinh hoạt định kỳ" in t[4]]
    assert len(c) == 1 and c[0][3] == "trước ngày 15 tháng 12 hằng năm"
    # a sentence that is only a time belongs to the work before it
    d = [t for t in tasks if "kế hoạch kiểm tra các tổ" in t[4]]
    assert len(d) == 1 and "Thời hạn hoàn thành" in d[0][4]


def test_inline_items_need_a_run_from_a_or_the_next_sibling_number() -> None:
    text = "X: a) làm A. b) làm B. c) làm C."
    assert _inline_items(text, "1") == [text.index("b)"), text.index("c)")]
    assert _inline_items("X làm A. b) làm B. c) làm C.", "1") == []  # no "a)": a mention, not a list
    assert _inline_items("X làm A theo điểm a) khoản 2.", "1") == []  # one letter in a sentence
    assert _inline_items("Làm A. 1.3. Làm B.", "1.2") == [len("Làm A. ")]
    assert _inline_items("Làm A. 1.5. Làm B.", "1.2") == []  # not the next point


PARTNER_PARTS = HEAD + """IV. TỔ CHỨC THỰC HIỆN
1. Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát danh mục công trình; phối hợp với Đài \
Phát thanh và Truyền hình tỉnh xây dựng chương trình lễ khánh thành, báo cáo Ủy ban nhân dân tỉnh \
trước ngày 13 tháng 12 năm 2026.
2. Sở Văn hóa, Thể thao và Du lịch phối hợp với Sở Nội vụ định hướng thông tin về sắp xếp thôn; \
phối hợp với các cơ quan liên quan xử lý thông tin sai trái.
"""


def test_a_led_task_and_another_with_its_own_partners(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path, PARTNER_PARTS)
    first = _at(tasks, "Sở Xây dựng chủ trì")
    second = _at(tasks, "phối hợp với Đài Phát thanh")
    assert first[1] == second[1] == ["Sở Xây dựng"]
    assert first[2] == ["Sở Tài chính"]
    assert second[2] == ["Đài Phát thanh và Truyền hình tỉnh"]
    # the time stated once at the end of the sentence holds for both pieces of its work
    assert first[3] == second[3] == "trước ngày 13 tháng 12 năm 2026"
    # an owner that only helps keeps one task with all its partners
    helper = [t for t in tasks if t[4].startswith("Sở Văn hóa")]
    assert len(helper) == 1 and helper[0][2] == ["Sở Nội vụ", "các cơ quan liên quan"]
