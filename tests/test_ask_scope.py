"""A question naming a place reaches a text kept without its header (api/ask_service.py scoping,
index/query/doc_places.py). The text is made up by the tracuu team; no real document's wording.

A crawler keeps a plan from its body on: no "ỦY BAN NHÂN DÂN TỈNH …", no title; only its file
name says which province it is about. Scoped by header issuers alone, a question naming that
province was only ever searched in the documents whose header names it.
"""

from __future__ import annotations

import pytest

# Made-up body of a provincial plan, kept from its first task block on (no header, no title).
BODY = """1. Sở Xây dựng
- Chủ trì xây dựng bản đồ số về mạng lưới cầu phao và bến đò ngang trên địa bàn tỉnh.
- Hướng dẫn các xã cập nhật dữ liệu bến đò ngang vào hệ thống thông tin của tỉnh.
2. Sở Tài chính
- Chủ trì tham mưu bố trí kinh phí thực hiện việc số hóa dữ liệu cầu phao.
Trên đây là kế hoạch số hóa dữ liệu cầu phao, bến đò ngang; kinh phí được tham mưu bố trí theo quy định.
"""


@pytest.fixture(scope="module")
def kb_headerless(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_headerless", "12-kh77-quangtri-cau-phao-ben-do.txt", BODY)


def _doc_id(kb) -> str:
    return next(d for d in kb.store().list_ids() if "quangtri" in d)


def test_the_file_name_gives_the_place_and_stands_for_the_title(kb_headerless):
    doc_id = _doc_id(kb_headerless)
    assert "quang tri" in kb_headerless._doc_places()[doc_id]
    context = kb_headerless._doc_context()[doc_id]
    assert "quang tri" in context and "cau phao ben do" in context


def test_a_question_naming_the_place_is_scoped_to_the_headerless_text(kb_headerless):
    doc_id = _doc_id(kb_headerless)
    question = "Ở Quảng Trị, cơ quan nào chủ trì xây dựng bản đồ số về cầu phao và bến đò ngang?"
    assert kb_headerless._docs_named_in(question, None) == [doc_id]
    u = kb_headerless.understand(question)
    _, scored = kb_headerless.scored(question, k=5, doc_ids=[doc_id], understood=u)
    best = scored[0]
    assert best.clause.clause_id == f"{doc_id}:1.-1"
    # the place is known of the document: the clause is not judged to miss it (coverage 0 before)
    assert kb_headerless._coverage(best, [u.text or question, *u.expanded], question) >= kb_headerless.thresholds.coverage


def test_a_place_no_document_is_about_scopes_nothing(kb_headerless):
    assert kb_headerless._docs_named_in("Ở Cà Mau ai chủ trì bản đồ số cầu phao?", None) is None


def test_a_clause_that_names_nobody_gives_way_to_the_task_that_says_who(kb_headerless):
    """The closing paragraph repeats the question's words but gives nobody a task: as the clause
    retrieval would quote, it keeps its place while it is taken to say who (``chosen_says``),
    and gives way to the Sở Tài chính's task when it is known to say nobody."""
    doc_id = _doc_id(kb_headerless)
    question = "Ở Quảng Trị, ai tham mưu bố trí kinh phí số hóa dữ liệu cầu phao và bến đò ngang?"
    u = kb_headerless.understand(question)
    readings = [u.text or question, *u.expanded]
    _, pool = kb_headerless.scored(question, k=5, doc_ids=[doc_id], understood=u)
    closing = f"{doc_id}:2.p1"
    assert kb_headerless.store().clause(closing).text.startswith("Trên đây là kế hoạch")
    assert not kb_headerless.store().tasks_of_clauses([closing]).get(closing)
    assert kb_headerless._matched_task(readings, "owner", [doc_id], pool, closing, chosen_says=True) is None
    muted = kb_headerless._matched_task(readings, "owner", [doc_id], pool, closing, chosen_says=False)
    assert muted is not None and muted["clause_id"] == f"{doc_id}:2.-1"
    assert [r.get("name") for r in muted["lead"]] == ["Sở Tài chính"]
