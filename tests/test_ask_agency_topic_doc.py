"""An agency with tasks in several plans of one province: the plan whose title names the question's topic
answers "Sở X có nhiệm vụ gì trong <topic>?" (round 25, h24-agq).

Synthetic: the texts below are made up by the tracuu team (the province, its plans and their tasks do not
exist as written here). The Sở Y tế has three tasks in the province's population plan and one in its plan
on preventing children's drowning; that one task does not repeat the plan's topic ("đuối nước" is only in
the title). Retrieval ranked the population plan's tasks first (more of them, sharing "công tác"), and the
question about drowning was answered with the population plan's tasks.
"""

from __future__ import annotations

import pytest
from tracuu.ingest.vntext import fold


def _plan(number: str, dated: str, title: str, tasks: str) -> str:
    """A made-up plan of the made-up province Bắc Lam: the header both plans share, their own lines between."""
    return f"""ỦY BAN NHÂN DÂN TỈNH BẮC LAM
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: {number}/KH-UBND
Bắc Lam, ngày {dated}
KẾ HOẠCH
{title}
II. TỔ CHỨC THỰC HIỆN
{tasks}
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Mẫu
"""


POPULATION = _plan("31", "05 tháng 5 năm 2027", "THỰC HIỆN CÔNG TÁC DÂN SỐ NĂM 2027 TRÊN ĐỊA BÀN TỈNH BẮC LAM",
                   "1. Sở Y tế\n"
                   "a) Chủ trì tổ chức công tác truyền thông về dân số tại các trạm y tế xã.\n"
                   "b) Chủ trì hướng dẫn công tác khám sức khỏe trước khi kết hôn cho thanh niên.\n"
                   "c) Chủ trì tổng hợp báo cáo công tác dân số hằng quý.\n"
                   "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.")

DROWNING = _plan("47", "12 tháng 6 năm 2027", "PHÒNG, CHỐNG ĐUỐI NƯỚC TRẺ EM NĂM 2027 TRÊN ĐỊA BÀN TỈNH BẮC LAM",
                 "1. Sở Giáo dục và Đào tạo chủ trì dạy bơi an toàn cho học sinh tiểu học trong dịp hè.\n"
                 "2. Sở Y tế chủ trì tập huấn sơ cấp cứu ban đầu cho nhân viên y tế trường học và cộng tác viên.")


@pytest.fixture(scope="module")
def kb_topic(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_topic", [("81-kh31-bac-lam-dan-so.txt", POPULATION),
                                                        ("82-kh47-bac-lam-duoi-nuoc.txt", DROWNING)])


def _doc_of(kb, number: str) -> str:
    return next(d for d, h, _ in kb.store().headers() if (h.number or "").startswith(number))


@pytest.mark.parametrize("question", [
    "Sở Y tế có nhiệm vụ gì trong công tác phòng, chống đuối nước trẻ em?",
    "So Y te phai lam gi ve phong chong duoi nuoc tre em?",
])
def test_the_plan_whose_title_names_the_topic_answers(kb_topic, question):
    answer = kb_topic.ask(question)
    assert answer.found and answer.intent == "agency_tasks"
    assert answer.citations[0].doc_id == _doc_of(kb_topic, "47")
    assert "so cap cuu" in fold(answer.answer.split(";")[0])


def test_a_question_naming_no_topic_keeps_retrieval_order(kb_topic):
    # the topic words must be in a title: "khám sức khỏe trước khi kết hôn" is in no title, the population
    # plan's task that says it comes first as before
    answer = kb_topic.ask("Sở Y tế có nhiệm vụ gì về khám sức khỏe trước khi kết hôn?")
    assert answer.found and answer.citations[0].doc_id == _doc_of(kb_topic, "31")


def test_topic_words_leave_out_the_agency_and_the_words_asking_for_tasks(kb_topic):
    topic = kb_topic._topic_in_title("Sở Y tế có nhiệm vụ gì trong phòng, chống đuối nước trẻ em?", "Sở Y tế")
    assert topic.get(_doc_of(kb_topic, "47"), 0) >= 4  # phòng chống, chống đuối, đuối nước, nước trẻ, trẻ em
    assert _doc_of(kb_topic, "31") not in topic
    assert kb_topic._topic_in_title("Sở Y tế có nhiệm vụ gì?", "Sở Y tế") == {}


def test_the_titled_plan_goes_first_whatever_retrieval_ranks_first(kb_topic):
    # retrieval stubbed (the hash embedder's ranking is no test): the population plan's clauses ranked first,
    # as e5 ranked the real plans; the agency's tasks in the plan whose title holds the topic come first
    from tracuu.api import intent_answers

    question = "Sở Y tế có nhiệm vụ gì trong công tác phòng, chống đuối nước trẻ em?"
    population, drowning = _doc_of(kb_topic, "31"), _doc_of(kb_topic, "47")
    clauses = [t["clause_id"] for t in kb_topic._agency_tasks("Sở Y tế")]
    ranked = sorted(set(clauses), key=lambda c: (not c.startswith(population), c))
    assert {c.split(":", 1)[0] for c in ranked} == {population, drowning}
    before = intent_answers.agency_tasks_answer(kb_topic, question, "Sở Y tế", None, ranked)
    assert before.citations[0].doc_id == population
    after = intent_answers.agency_tasks_answer(kb_topic, question, "Sở Y tế", None, ranked, None,
                                               kb_topic._topic_in_title(question, "Sở Y tế"))
    assert after.citations[0].doc_id == drowning
    assert [c.clause_id for c in after.citations[1:]] == [c for c in ranked if c.startswith(population)]
