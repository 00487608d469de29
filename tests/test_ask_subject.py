"""A question that opens with the agency that acts is answered with that agency's task
(api/ask_service.py ``_subject_task``). The text is made up by the tracuu team; no real
document's wording.

"Sở Tài chính … báo cáo … bao lâu một lần?": the clause whose words cover the question best may be
another body's duty to report *to* the Sở Tài chính ("… gửi Sở Tài chính để tổng hợp"); its owners
then name everybody but the one asked about.
"""

from __future__ import annotations

import pytest
from tracuu.api import intent_answers

# Made-up body of a provincial plan (no header): two bodies, each reporting.
BODY = """1. Sở Xây dựng
- Thực hiện chế độ báo cáo định kỳ hằng quý về tiến độ cập nhật dữ liệu bến đò ngang gửi Sở Tài chính để tổng hợp.
- Hướng dẫn các xã cập nhật dữ liệu bến đò ngang vào hệ thống thông tin của tỉnh.
2. Sở Tài chính
- Sở Tài chính định kỳ hằng quý tổng hợp báo cáo Ủy ban nhân dân tỉnh; kiến nghị các biện pháp bảo đảm tiến độ.
- Chủ trì tham mưu bố trí kinh phí thực hiện việc số hóa dữ liệu bến đò ngang.
"""


@pytest.fixture(scope="module")
def kb_subject(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_subject", "14-kh88-quangtri-ben-do-ngang.txt", BODY)


def _doc_id(kb) -> str:
    return next(d for d in kb.store().list_ids() if "quangtri" in d)


def _subject(kb, question: str, chosen_path: str):
    doc_id = _doc_id(kb)
    u = kb.understand(question)
    readings = [u.text or question, *u.expanded]
    _, pool = kb.scored(question, k=5, doc_ids=[doc_id], understood=u)
    agency = intent_answers.agency_in(kb, u.text or question, question)
    clause = kb.store().clause(f"{doc_id}:{chosen_path}")
    return kb._subject_task(readings, "deadline", agency, question, [doc_id], pool, clause, None,
                            kb._tasks_by_clause())


def test_the_agency_a_question_opens_with_answers_with_its_own_task(kb_subject):
    doc_id = _doc_id(kb_subject)
    question = "Sở Tài chính báo cáo Ủy ban nhân dân tỉnh tiến độ cập nhật dữ liệu bến đò ngang bao lâu một lần?"
    # the Sở Xây dựng's duty reports to the Sở Tài chính: not the Sở's own
    task = _subject(kb_subject, question, "1.-1")
    assert task is not None and task["clause_id"] == f"{doc_id}:2.-1"
    assert [r.get("name") for r in task["lead"]] == ["Sở Tài chính"]
    assert task["deadline"]["text"].endswith("hằng quý")


def test_the_chosen_clause_stands_when_it_gives_the_agency_its_role(kb_subject):
    question = "Sở Tài chính báo cáo Ủy ban nhân dân tỉnh tiến độ cập nhật dữ liệu bến đò ngang bao lâu một lần?"
    assert _subject(kb_subject, question, "2.-1") is None


def test_an_agency_named_later_in_the_question_is_not_its_subject(kb_subject):
    question = "Ai báo cáo tiến độ cập nhật dữ liệu bến đò ngang gửi Sở Tài chính bao lâu một lần?"
    assert _subject(kb_subject, question, "1.-1") is None
