"""Tasks written as blocks of labelled lines (synthetic clauses, no knowledge base)."""

from __future__ import annotations

from tracuu.api.task_blocks import children_tasks, labelled_line, line_kind, related_tasks
from tracuu.ingest.model import Clause, Span


def _c(path: str, text: str, parent: str | None, order: int) -> Clause:
    return Clause(clause_id=f"d:{path}", doc_id="d", path=path, kind="gach_dau_dong", label=path, marker="-",
                  text=text, heading_chain=[], parent=parent, order=order, span=Span(0, 1, 1, 1))


BLOCK = [
    _c("II.2", "Tập huấn nghiệp vụ cho cán bộ xã", "II", 1),
    _c("II.2.-1", "Nội dung thực hiện: Tập huấn nghiệp vụ cho cán bộ xã về quản lý đất đai.", "II.2", 2),
    _c("II.2.-2", "Cơ quan chủ trì: Sở Nông nghiệp.", "II.2", 3),
    _c("II.2.-3", "Thời gian thực hiện: Quý III năm 2026.", "II.2", 4),
]
POINTS = [
    _c("III.1", "Các sở có trách nhiệm", "III", 5),
    _c("III.1.a", "Rà soát quy hoạch đất đai.", "III.1", 6),
    _c("III.1.b", "Chủ trì, phối hợp với các xã kiểm tra: hằng quý.", "III.1", 7),
]


def test_labelled_lines_are_told_by_their_label():
    assert line_kind("Cơ quan chủ trì: Sở Nông nghiệp.") == "owner"
    assert line_kind("Thời gian thực hiện: Quý III năm 2026.") == "deadline"
    assert line_kind("thoi han hoan thanh: truoc ngay 30/9") == "deadline"
    assert line_kind("Nội dung thực hiện: Tập huấn.") is None
    assert line_kind("Chủ trì triển khai kế hoạch") is None  # no label, no colon
    assert line_kind("Chủ trì, phối hợp với các xã và các cơ quan liên quan kiểm tra: hằng quý.") is None


def test_the_line_saying_who_or_when_is_found_beside_the_content_line():
    content = BLOCK[1]
    assert labelled_line(BLOCK, content, "owner").path == "II.2.-2"
    assert labelled_line(BLOCK, content, "deadline").path == "II.2.-3"
    assert labelled_line(BLOCK, BLOCK[2], "owner") is None  # already the line that says who


def test_a_heading_and_ordinary_points_are_left_alone():
    assert labelled_line(BLOCK, BLOCK[0], "owner") is None  # the heading names the task itself
    assert labelled_line(POINTS, POINTS[1], "owner") is None  # no labelled line among the points


def test_a_headings_owners_come_from_the_tasks_of_its_lines():
    tasks = {"d:II.2.-1": [{"task_id": "t1", "lead": [{"name": "Sở Nông nghiệp"}]}]}
    got = children_tasks(BLOCK, BLOCK[0], lambda cid: tasks.get(cid, []))
    assert [t["task_id"] for t in got] == ["t1"]
    assert children_tasks(BLOCK, BLOCK[1], lambda cid: tasks.get(cid, [])) == []  # a line has no lines


def test_an_indicator_repeated_as_an_appendix_row_takes_the_rows_owner():
    body = _c("II.1.-1", "Kinh tế số chiếm 45% tổng sản phẩm của tỉnh.", "II.1", 1)
    row = _c("PL.I.1", "Kinh tế số chiếm 45% tổng sản phẩm của tỉnh", "PL.I", 9)
    other = _c("PL.I.2", "Kinh tế số chiếm 50% tổng sản phẩm của tỉnh", "PL.I", 10)
    tasks = {"d:PL.I.1": [{"task_id": "row1"}], "d:PL.I.2": [{"task_id": "row2"}]}
    got = related_tasks([body, row, other], body, lambda cid: tasks.get(cid, []))
    assert [t["task_id"] for t in got] == ["row1"]


def test_a_bare_heading_heads_points_but_a_task_block_heading_names_its_task():
    from tracuu.api.task_blocks import bare_heading

    goals = [_c("I.1", "Mục đích", "I", 1), _c("I.1.a", "Nâng cao nhận thức về phòng cháy.", "I.1", 2),
             _c("I.1.b", "Giảm số vụ cháy nhà dân.", "I.1", 3)]
    assert bare_heading(goals[0], goals[1:])
    assert bare_heading(POINTS[0], POINTS[1:])  # "Các sở có trách nhiệm" over ordinary points
    assert not bare_heading(BLOCK[0], BLOCK[1:])  # its lines are labelled: the heading is the task
    assert not bare_heading(goals[1], [])  # no points under it
    sentence = _c("I.2", "Các sở báo cáo kết quả trước ngày 15/12.", "I", 4)
    assert not bare_heading(sentence, goals[1:])  # a sentence says something itself


def test_a_block_heading_says_who_and_by_when_through_its_lines():
    from tracuu.api.task_blocks import says

    tasks = {"d:II.2.-1": [{"clause_id": "d:II.2.-1", "lead": [{"name": "Sở Nông nghiệp"}],
                            "deadline": {"text": "Quý III năm 2026"}}],
             "d:III.1.b": [{"clause_id": "d:III.1.b", "lead": [], "deadline": {"text": "hằng quý"}}]}
    of = lambda cid: tasks.get(cid, [])  # noqa: E731
    assert says(BLOCK, BLOCK[0], of, "deadline") and says(BLOCK, BLOCK[0], of, "lead")  # the heading, by its lines
    assert says(BLOCK, BLOCK[1], of, "deadline")  # the line holding the task
    assert not says(POINTS, POINTS[1], of, "deadline")  # a point with no task
    assert says(POINTS, POINTS[2], of, "deadline") and not says(POINTS, POINTS[2], of, "lead")
