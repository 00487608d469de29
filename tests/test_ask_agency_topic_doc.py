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




# Synthetic (round 25, h27-abstain): two more made-up plans of Bắc Lam. The Sở Văn hóa, Thể thao và Du lịch has a task in the tourism
# plan that names craft villages and OCOP products; the plan whose title is about arranging craft villages and OCOP
# products gives it none.
TOURISM = _plan("52", "03 tháng 7 năm 2027", "PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG NĂM 2027 TRÊN ĐỊA BÀN TỈNH BẮC LAM",
                "1. Sở Văn hóa, Thể thao và Du lịch chủ trì quảng bá du lịch cộng đồng với đối tác nước ngoài, giới thiệu các làng nghề "
                "truyền thống đã được sắp xếp và sản phẩm OCOP của tỉnh.\n"
                "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.")
CRAFTS = _plan("58", "20 tháng 7 năm 2027", "SẮP XẾP LÀNG NGHỀ TRUYỀN THỐNG VÀ SẢN PHẨM OCOP NĂM 2027",
               "1. Sở Công Thương chủ trì rà soát, sắp xếp làng nghề truyền thống trên địa bàn tỉnh.\n"
               "2. Sở Nông nghiệp và Môi trường chủ trì đánh giá, phân hạng sản phẩm OCOP.")


@pytest.fixture(scope="module")
def kb_named(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_named", [("83-kh52-bac-lam-du-lich.txt", TOURISM),
                                                        ("84-kh58-bac-lam-lang-nghe.txt", CRAFTS)])


def test_no_task_in_the_plan_whose_title_names_the_topic_is_not_found(kb_named):
    # its task in the tourism plan was listed as the answer, which is not what is asked
    question = "Sở Văn hóa, Thể thao và Du lịch có nhiệm vụ gì trong sắp xếp làng nghề truyền thống và sản phẩm OCOP?"
    assert kb_named._topic_in_title(question, "Sở Văn hóa, Thể thao và Du lịch").get(_doc_of(kb_named, "58"), 0) >= 4
    answer = kb_named.ask(question)
    assert answer.intent == "agency_tasks"
    assert not answer.found


def test_the_agency_with_a_task_in_the_named_plan_is_answered(kb_named):
    answer = kb_named.ask("Sở Công Thương có nhiệm vụ gì trong sắp xếp làng nghề truyền thống và sản phẩm OCOP?")
    assert answer.found and answer.citations[0].doc_id == _doc_of(kb_named, "58")


def test_a_topic_no_title_names_so_keeps_the_agencys_tasks(kb_topic):
    # "kinh phí" is in no title: the Sở Tài chính's task is answered as before
    answer = kb_topic.ask("Sở Tài chính có nhiệm vụ gì về kinh phí?")
    assert answer.found and answer.citations[0].doc_id == _doc_of(kb_topic, "31")
