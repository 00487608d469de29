"""Until when a plan or programme runs is stated in its text, not in its header date (round 23, h23-intent).

Synthetic: the texts below are made up by the tracuu team (the province, plan, programme and agencies do not
exist as written here). "Kế hoạch … thực hiện đến năm nào?", "Chương trình … thực hiện đến năm nào?" ask the
period of the document's work, which its one "Thời gian (thực hiện): …" line states; read as the day the document
was issued ("năm nào" is a date cue), the question was answered with the header and the signature. "… ban hành năm
nào", "… ký ngày nào", "… có hiệu lực đến khi nào" still ask the document's own date or effect; a plan giving each task
its own "Thời gian thực hiện: …" line has no period of its own.
"""

from __future__ import annotations

import pytest
from tracuu.index.query.ask_intent import asks_span, classify, document_facts

#: The header block both made-up plans of the province open with (their number and date filled in).
HEAD = """ỦY BAN NHÂN DÂN TỈNH ĐÔNG LAM
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: {number}
Đông Lam, ngày {day}
KẾ HOẠCH
"""

PLAN = HEAD.format(number="64/KH-UBND", day="05 tháng 5 năm 2027") + """TRỒNG CÂY BẢN ĐỊA VEN SÔNG TRÊN ĐỊA BÀN TỈNH ĐÔNG LAM
I. MỤC ĐÍCH, YÊU CẦU
1. Phủ xanh bờ sông bằng cây bản địa, giữ đất, giảm sạt lở.
2. Huy động người dân ven sông cùng trồng và chăm sóc cây.
II. THỜI GIAN VÀ PHẠM VI
1. Thời gian: từ năm 2027 đến năm 2033.
2. Phạm vi: các xã ven sông của tỉnh.
III. NHIỆM VỤ
1. Sở Vườn cây chủ trì chọn giống cây bản địa, hoàn thành trước ngày 30 tháng 9 năm 2027.
2. Ủy ban nhân dân các xã ven sông tổ chức trồng cây hằng năm.
Nơi nhận:
- Sở Vườn cây;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Đỗ Văn Mẫu
"""

TASKS_TIMED = HEAD.format(number="71/KH-UBND", day="20 tháng 6 năm 2027") + """TẬP HUẤN NGHIỆP VỤ VƯỜN ƯƠM
I. NHIỆM VỤ
1. Tập huấn cán bộ vườn ươm
- Cơ quan chủ trì: Sở Vườn cây.
- Thời gian thực hiện: Năm 2027 và các năm tiếp theo.
2. Kiểm tra vườn ươm
- Cơ quan chủ trì: Sở Vườn cây.
- Thời gian thực hiện: Năm 2028.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Đỗ Văn Mẫu
"""


@pytest.mark.parametrize("question", [
    "Kế hoạch trồng cây bản địa ven sông của Đông Lam thực hiện đến năm nào?",
    "ke hoach 64 trong cay ven song den nam nao",
    "Chương trình thực hiện từ năm nào?",
    "Kế hoạch 64/KH-UBND thực hiện trong thời gian nào?",
])
def test_until_when_it_runs_is_its_period(question):
    assert asks_span(question)
    assert "period" in document_facts(question) and "date" not in document_facts(question)


@pytest.mark.parametrize("question,fact", [
    ("Kế hoạch 64/KH-UBND ban hành năm nào?", "date"),
    ("Kế hoạch 64/KH-UBND ký ngày nào?", "date"),
    ("Nghị quyết 12 có hiệu lực đến khi nào?", "effect"),
])
def test_the_documents_own_date_and_effect_stay(question, fact):
    assert not asks_span(question)
    assert fact in document_facts(question) and "period" not in document_facts(question)


def test_a_task_due_in_a_named_document_is_still_a_task():
    # many words besides the named document and its "when": a task's deadline, as with "ngày nào"
    question = "Các sở phải gửi báo cáo kết quả trồng cây về Sở Vườn cây đến khi nào theo Kế hoạch 64?"
    assert classify(question).kind == "deadline"
    assert classify("Kế hoạch 64 thực hiện đến năm nào?").kind == "document"


@pytest.fixture(scope="module")
def kb_period(tmp_path_factory):
    from tests.conftest import make_texts_kb

    return make_texts_kb(tmp_path_factory, "kb_period", [("61-kh64-dong-lam-cay-ven-song.txt", PLAN),
                                                         ("62-kh71-dong-lam-tap-huan.txt", TASKS_TIMED)])


def test_the_period_line_is_cited_first(kb_period):
    a = kb_period.ask("Kế hoạch 64/KH-UBND thực hiện đến năm nào?")
    assert a.found and a.citations[0].text.startswith("Thời gian: từ năm 2027 đến năm 2033")
    assert "2033" in a.answer
    issued = kb_period.ask("Kế hoạch 64/KH-UBND ban hành năm nào?")
    assert issued.found and issued.citations[0].clause_id.endswith(":header")


def test_a_line_per_task_is_no_period_of_the_document(kb_period):
    from tracuu.api.doc_parts import period_clause

    store = kb_period.store()
    by_file = {store.get(d).file_name: store.get(d) for d in store.list_ids() if store.get(d).file_name}
    plan = next(d for f, d in by_file.items() if f and f.startswith("61-"))
    timed = next(d for f, d in by_file.items() if f and f.startswith("62-"))
    assert period_clause(plan).text.startswith("Thời gian: từ năm 2027")
    assert period_clause(timed) is None
