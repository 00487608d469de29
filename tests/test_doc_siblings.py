"""Documents of the same kind (index/query/doc_siblings.py), the answer given per document when a
question does not tell them apart (api/ask_service.py: _per_document), and the owners of a duty
written word for word for several agencies (api/task_match.py: asked_duty, sharing_duty).

The plans below are made up by the tracuu team for these tests (two provinces carrying out one
invented directive); no real document's wording.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tracuu.api.task_match import asked_duty, sharing_duty
from tracuu.index.keyword import BM25Index
from tracuu.index.query.doc_siblings import same_kind, siblings

TITLE = ("Triển khai thực hiện Chỉ thị số 77-CT/TW ngày 5 tháng 3 năm 2026 của Ban Bí thư về phát triển "
         "cầu phao và bến đò ngang an toàn")


#: The duty both tasks 1 and 2 of the plan give, word for word.
REPORT = "báo cáo kết quả rà soát về Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm hoặc đột xuất khi có yêu cầu."


def _plan(province: str, number: int, extra_title: str = "") -> str:
    return f"""ỦY BAN NHÂN DÂN TỈNH {province.upper()}

Số: {number}/KH-UBND

{province}, ngày 10 tháng 4 năm 2026

KẾ HOẠCH

{TITLE}{extra_title}

(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)

I. NHIỆM VỤ

1. Sở Xây dựng chủ trì rà soát hiện trạng cầu phao, bến đò ngang trên địa bàn tỉnh; {REPORT}

2. Đề nghị Hội Nông dân tỉnh tuyên truyền người dân đi đò mặc áo phao; {REPORT}

3. Sở Tài chính chủ trì tham mưu bố trí kinh phí sửa chữa cầu phao hư hỏng.

4. Sở Xây dựng kiểm định định kỳ cầu phao và bến đò ngang an toàn trên địa bàn tỉnh theo Chỉ thị.
"""


def test_plans_for_one_directive_in_two_provinces_are_of_the_same_kind():
    other = TITLE + " trên địa bàn tỉnh Sông Mây"
    assert same_kind(("Kế hoạch", TITLE), ("Kế hoạch", other))
    # another subject of the same province shares the generic words only
    assert not same_kind(("Kế hoạch", TITLE), ("Kế hoạch", "Triển khai thực hiện Chỉ thị số 12-CT/TW ngày 5 "
                                                           "tháng 3 năm 2026 về phòng, chống đuối nước cho trẻ em"))
    # a decision is not a plan, however alike the titles
    assert not same_kind(("Kế hoạch", TITLE), ("Quyết định", TITLE))
    # a short title says too little to match on
    assert not same_kind(("Kế hoạch", "Cầu phao"), ("Kế hoạch", "Cầu phao"))


def test_siblings_pairs_each_document_with_the_others_of_its_kind():
    rows = [("a", "Kế hoạch", TITLE), ("b", "Kế hoạch", TITLE + " trên địa bàn tỉnh Sông Mây"),
            ("c", "Kế hoạch", "Phát triển nguồn nhân lực số giai đoạn 2025-2030 cho cán bộ công chức cấp xã"),
            ("d", None, TITLE)]
    assert siblings(rows) == {"a": frozenset({"b"}), "b": frozenset({"a"})}


TASKS = [
    {"task_id": "p:I.1#1", "clause_id": "p:I.1", "doc_id": "p", "lead": [{"name": "Sở Xây dựng"}],
     "text": "Sở Xây dựng chủ trì rà soát hiện trạng cầu phao; báo cáo kết quả rà soát về Ủy ban nhân dân tỉnh "
             "trước ngày 15 tháng 12 hằng năm hoặc đột xuất khi có yêu cầu."},
    {"task_id": "p:I.2#1", "clause_id": "p:I.2", "doc_id": "p", "lead": [{"name": "Hội Nông dân tỉnh"}],
     "text": "Đề nghị Hội Nông dân tỉnh tuyên truyền người dân đi đò mặc áo phao; báo cáo kết quả rà soát về Ủy "
             "ban nhân dân tỉnh trước ngày 15 tháng 12 hằng năm hoặc đột xuất khi có yêu cầu."},
    {"task_id": "p:I.3#1", "clause_id": "p:I.3", "doc_id": "p", "lead": [{"name": "Sở Tài chính"}],
     "text": "Sở Tài chính chủ trì tham mưu bố trí kinh phí sửa chữa cầu phao hư hỏng; báo cáo kết quả."},
]


def _idf():
    bm25 = BM25Index()
    for t in TASKS:
        bm25.add(t["task_id"], t["text"])
    bm25.add("x", "Chợ đầu mối nông sản mở cửa hằng ngày.")
    return bm25.idf


def test_the_duty_a_question_asks_about_is_found_word_for_word_in_another_task():
    duty = asked_duty("Những ai phải báo cáo đột xuất khi có yêu cầu?", TASKS[0]["text"], set(), _idf())
    assert duty is not None and duty.startswith("bao cao ket qua ra soat")
    assert [t["task_id"] for t in sharing_duty(duty, TASKS[1:])] == ["p:I.2#1"]


def test_a_question_about_another_part_of_the_task_shares_nothing():
    # the part answering it is the task's own ("rà soát hiện trạng cầu phao"): no other task gives it
    duty = asked_duty("Ai chủ trì rà soát hiện trạng cầu phao?", TASKS[0]["text"], set(), _idf())
    assert duty is None or sharing_duty(duty, TASKS[1:]) == []
    # a question the task does not answer has no duty
    assert asked_duty("Ai sửa chữa đường giao thông nông thôn?", TASKS[0]["text"], set(), _idf()) is None


@pytest.fixture(scope="module")
def kb_kin(tmp_path_factory):
    from tests.conftest import make_kb

    folder = Path(tmp_path_factory.mktemp("kin_src"))
    first, second = folder / "kh-hoa-lac-cau-phao.txt", folder / "kh-song-may-cau-phao.txt"
    first.write_text(_plan("Hòa Lạc", 31), encoding="utf-8")
    second.write_text(_plan("Sông Mây", 48, " trên địa bàn tỉnh Sông Mây"), encoding="utf-8")
    kb = make_kb(tmp_path_factory.mktemp("kb_kin"), [first, second])
    # the hash embedder's similarities are not e5's: its dense bar (tuned on e5) would refuse all
    kb.thresholds = replace(kb.thresholds, dense=0.0)
    return kb


def _ids(kb) -> tuple[str, str]:
    ids = kb.store().list_ids()
    return next(d for d in ids if "31" in d or "hoa-lac" in d), next(d for d in ids if "48" in d or "song-may" in d)


QUESTION = "Cơ quan nào chủ trì tham mưu bố trí kinh phí sửa chữa cầu phao hư hỏng?"


def test_a_question_naming_neither_plan_is_answered_per_plan(kb_kin):
    hoa_lac, song_may = _ids(kb_kin)
    assert kb_kin._siblings()[hoa_lac] == frozenset({song_may})
    answer = kb_kin.ask(QUESTION)
    assert answer.found and answer.clarify and len(answer.clarify) == 2
    assert {c.doc_id for c in answer.citations[:2]} == {hoa_lac, song_may}
    assert answer.answer.count("\n- ") == 2  # one section per plan, each named
    assert all(name in answer.answer for name in answer.clarify)
    assert [o.as_written for o in answer.owners if o.role == "lead"] == ["Sở Tài chính"]


def test_the_deployments_own_plan_comes_first(kb_kin, monkeypatch):
    hoa_lac, song_may = _ids(kb_kin)
    for own in (hoa_lac, song_may):
        monkeypatch.setattr(type(kb_kin), "_home_docs", lambda self, own=own: {own})
        assert kb_kin.ask(QUESTION).citations[0].doc_id == own


def test_a_question_naming_one_plan_is_answered_for_it_alone(kb_kin):
    hoa_lac, song_may = _ids(kb_kin)
    answer = kb_kin.ask("Ở Sông Mây, cơ quan nào chủ trì tham mưu bố trí kinh phí sửa chữa cầu phao hư hỏng?")
    assert answer.found and not answer.clarify
    assert {c.doc_id for c in answer.citations} == {song_may}
    # asked with the documents given, no other document is answered
    answer = kb_kin.ask(QUESTION, doc_ids=[hoa_lac])
    assert not answer.clarify and answer.citations[0].doc_id == hoa_lac


def test_the_same_duty_given_to_two_agencies_names_both(kb_kin):
    hoa_lac, _ = _ids(kb_kin)
    answer = kb_kin.ask("Ở Hòa Lạc, những ai phải báo cáo kết quả rà soát đột xuất khi có yêu cầu?")
    leads = {o.as_written for o in answer.owners if o.role == "lead"}
    assert {"Sở Xây dựng", "Hội Nông dân tỉnh"} <= leads
    assert "Sở Tài chính" not in leads


def test_an_agency_asked_about_only_what_its_plan_is_about_gets_its_tasks_in_the_plans_order(kb_kin):
    hoa_lac, _ = _ids(kb_kin)
    # "cầu phao và bến đò ngang an toàn" is the plan's title: it narrows nothing, so the tasks
    # of the Sở come as the plan gives them, not by how many title words each repeats
    answer = kb_kin.ask("Sở Xây dựng Hòa Lạc có nhiệm vụ gì về cầu phao và bến đò ngang an toàn?")
    assert answer.intent == "agency_tasks"
    assert [c.clause_id for c in answer.citations[:2]] == [f"{hoa_lac}:I.1", f"{hoa_lac}:I.4"]
