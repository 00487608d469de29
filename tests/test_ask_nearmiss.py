"""A near miss is refused, saying what the documents do say nearby (api/ask_service.py: the key constraints of
index/abstain_keys.py). The text is made up by the tracuu team; no real document's wording.

The question shares its words with a task, but asks it of another agency, or asks a day the task does not give.
"""

from __future__ import annotations

import pytest

BODY = """1. Sở Xây dựng
- Chủ trì xây dựng bản đồ số về mạng lưới cầu phao và bến đò ngang trên địa bàn tỉnh; cập nhật dữ liệu thường xuyên.
- Hướng dẫn các xã cập nhật dữ liệu bến đò ngang vào hệ thống thông tin của tỉnh.
2. Sở Tài chính
- Chủ trì tham mưu bố trí kinh phí thực hiện việc số hóa dữ liệu cầu phao.
"""


@pytest.fixture(scope="module")
def kb_nearmiss(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_nearmiss", "13-kh88-quangtri-ban-do-cau-phao.txt", BODY)


def _best(kb, question: str):
    doc_id = next(d for d in kb.store().list_ids() if "quangtri" in d)
    u = kb.understand(question)
    _, scored = kb.scored(question, k=5, doc_ids=[doc_id], understood=u)
    return scored[0], [u.text or question, *u.expanded]


def test_another_agency_is_a_near_miss(kb_nearmiss):
    question = "Sở Y tế hướng dẫn các xã cập nhật dữ liệu bến đò ngang vào hệ thống nào?"
    best, readings = _best(kb_nearmiss, question)
    assert best.clause.text.startswith("Hướng dẫn các xã")
    assert [c.kind for c in kb_nearmiss._unmet_keys(best, question)] == ["agency"]
    # the clause's own agency (its heading) meets it
    assert not kb_nearmiss._unmet_keys(best, question.replace("Sở Y tế", "Sở Xây dựng"))


def test_a_day_the_task_does_not_give_is_refused_saying_what_is_written(kb_nearmiss, monkeypatch):
    question = "Sở Xây dựng phải xây dựng xong bản đồ số cầu phao và bến đò ngang trước ngày nào?"
    best, readings = _best(kb_nearmiss, question)
    assert [c.kind for c in kb_nearmiss._unmet_keys(best, question)] == ["day"]
    # judged with the thresholds it would pass (the hash embedder's similarity is no measure): refused by the key
    monkeypatch.setattr(kb_nearmiss, "thresholds", type(kb_nearmiss.thresholds)(coverage=0.0, dense=-1.0, keys=1.1))
    out = kb_nearmiss.ask(question)
    assert out.found is False and out.citations == []
    assert out.answer.startswith("Không tìm thấy")
    assert "ngày cụ thể" in out.answer and "cập nhật dữ liệu thường xuyên" in out.answer
    # a clause trusted for its coverage answers despite the key
    monkeypatch.setattr(kb_nearmiss, "thresholds", type(kb_nearmiss.thresholds)(coverage=0.0, dense=-1.0, keys=0.0))
    assert kb_nearmiss.ask(question).found is True
