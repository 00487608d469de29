"""A clause opening with a condition the question does not state is a special case; the general
clause beside it answers (api/conditions.py). Made-up text, no knowledge base."""

from __future__ import annotations

from tracuu.api.conditions import condition_of, general_first, unstated

GENERAL = "Chậm nhất 15 ngày làm việc kể từ ngày nhận đơn, cơ quan tiếp nhận phải trả lời người nộp đơn."
URGENT = "Đối với đơn có tính khẩn cấp, cần xử lý ngay thì thời hạn trả lời không quá 03 ngày làm việc."
COMPLEX = "Trường hợp đơn có nội dung phức tạp, liên quan nhiều ngành thì thời hạn trả lời không quá 30 ngày."


def test_the_condition_is_read_up_to_its_then():
    assert condition_of(URGENT) == "đơn có tính khẩn cấp cần xử lý ngay"
    assert condition_of(COMPLEX) == "đơn có nội dung phức tạp liên quan nhiều ngành"
    assert condition_of(GENERAL) is None
    assert condition_of("Đối với: ") is None  # an opener with no condition after it


def test_a_question_that_states_no_condition_gets_the_general_clause():
    question = ["Thời hạn trả lời đơn là bao nhiêu ngày?"]  # "bao nhiêu" is not "nhiều", "ngày" not "ngay"
    assert unstated(COMPLEX, GENERAL, question) and unstated(URGENT, GENERAL, question)
    assert general_first([COMPLEX, URGENT, GENERAL], [1.0, 1.0, 1.0], question) == 2


def test_a_question_stating_the_condition_keeps_the_special_case():
    question = ["Đơn cần xử lý gấp thì phải trả lời trong bao lâu?"]  # "cần xử lý" is only in the condition
    assert not unstated(URGENT, GENERAL, question)
    assert general_first([URGENT, GENERAL], [1.0, 1.0], question) == 0
    # a general clause that covers less of the question is not preferred
    assert general_first([COMPLEX, GENERAL], [1.0, 0.6], ["Thời hạn trả lời đơn?"]) == 0
