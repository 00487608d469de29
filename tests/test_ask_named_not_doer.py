"""An owner question that names an agency which is not the one asked about (api/ask_service.py
``_matched_task``). SYNTHETIC: the text is made up by the tracuu team; no real document's wording.

"Ai tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí …?" names the body that is advised, not the one
that advises; "… từ Quỹ bảo hiểm thất nghiệp" names a fund, read as the agency "bảo hiểm". The tasks
that give the named agency a doer's role are matched first, as before; when none of them covers
enough of the question, every task of the documents in play is matched, so the task that does
answer it is not lost; only those of the document of retrieval's clause, so that an agency named
in a question about one document does not send the answer to another document's task.
"""

from __future__ import annotations

import pytest
from tracuu.api import intent_answers

# Made-up body of a provincial plan (no header): three bodies; the province's own task is unrelated.
BODY = """1. Sở Xây dựng
- Tham mưu Ủy ban nhân dân tỉnh lựa chọn đơn vị khảo sát hiện trạng các bến đò ngang trên địa bàn tỉnh.
- Hướng dẫn các xã cập nhật dữ liệu bến đò ngang vào hệ thống thông tin của tỉnh.
2. Sở Tài chính
- Trên cơ sở đề xuất của Sở Xây dựng, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí số hóa dữ liệu bến đò ngang.
3. Ủy ban nhân dân tỉnh
- Chỉ đạo các xã kiểm tra an toàn phương tiện chở khách qua sông trước mùa mưa lũ.
"""

# Made-up body of another province's plan: a task that covers the third question below.
OTHER = """1. Sở Tài chính
- Tham mưu Ủy ban nhân dân tỉnh hỗ trợ kinh phí đóng mới đò ngang cho các hộ chở khách qua sông.
"""


@pytest.fixture(scope="module")
def kb_named(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_named_not_doer", [("15-kh91-quangtri-so-hoa-ben-do.txt", BODY),
                                                                  ("16-kh40-camau-dong-do-ngang.txt", OTHER)])


def _doc_id(kb) -> str:
    return next(d for d in kb.store().list_ids() if "quangtri" in d)


def _matched(kb, question: str, chosen_path: str, docs: list[str] | None = None):
    doc_id = _doc_id(kb)
    u = kb.understand(question)
    readings = [u.text or question, *u.expanded]
    docs = docs if docs is not None else [doc_id]
    _, pool = kb.scored(question, k=8, doc_ids=docs, understood=u)
    agency = intent_answers.agency_in(kb, u.text or question, question, *u.expanded)
    return agency, kb._matched_task(readings, "owner", docs, pool, f"{doc_id}:{chosen_path}", agency)


def test_the_body_advised_is_not_the_one_asked_about(kb_named):
    doc_id = _doc_id(kb_named)
    question = "Ai tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí số hóa dữ liệu bến đò ngang?"
    agency, task = _matched(kb_named, question, "1.-1")
    assert agency is not None and "Ủy ban nhân dân tỉnh" in agency
    # the province's own task (checking boats) covers little of the question: the Sở Tài chính's does
    assert task is not None and task["clause_id"] == f"{doc_id}:2.-1"
    assert [r.get("name") for r in task["lead"]] == ["Sở Tài chính"]


def test_the_named_agency_own_task_still_comes_first_when_it_answers(kb_named):
    doc_id = _doc_id(kb_named)
    question = "Ủy ban nhân dân tỉnh chỉ đạo các xã kiểm tra an toàn phương tiện chở khách qua sông, ai chủ trì?"
    _, task = _matched(kb_named, question, "1.-1")
    assert task is not None and task["clause_id"] == f"{doc_id}:3.-1"


def test_another_document_task_does_not_answer_in_its_place(kb_named):
    doc_id = _doc_id(kb_named)
    other = next(d for d in kb_named.store().list_ids() if "camau" in d)
    question = "Ai tham mưu Ủy ban nhân dân tỉnh hỗ trợ kinh phí đóng mới đò ngang cho các hộ chở khách?"
    # asked of both documents, retrieval's clause in the Quảng Trị plan: the Cà Mau task is not taken
    _, task = _matched(kb_named, question, "2.-1", docs=[doc_id, other])
    assert task is None or task["doc_id"] == doc_id
