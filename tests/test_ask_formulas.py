"""A content question is not answered by the preamble line that names the document's basis or enacts it
(api/ask_service.py ``formula``, ``_formulas_last``). SYNTHETIC: every text here is made up by the
tracuu team; no real document's wording.

"Căn cứ …", "Thực hiện Nghị quyết …", "Theo đề nghị của …" and "Ủy ban nhân dân tỉnh ban hành Kế hoạch
… với các nội dung sau:" repeat the document's title words, so they rank high for any question about its
subject ("tiền thực hiện kế hoạch … lấy từ nguồn nào"), yet they answer only a question about the
document's own facts (what it is based on, who proposed it), which is routed apart.
"""

from __future__ import annotations

import pytest
from tracuu.api.ask_service import _formulas_last, formula
from tracuu.index.retriever import ScoredClause
from tracuu.ingest.model import Clause, Span


def _clause(path: str, kind: str, text: str) -> Clause:
    return Clause(clause_id=f"kh-x:{path}", doc_id="kh-x", path=path, kind=kind, label=path, marker="",
                  text=text, heading_chain=[], parent=None, order=0, span=Span(0, len(text), 1, 1))


def test_basis_and_enacting_lines_are_formulas():
    assert formula(_clause("preamble.1", "preamble", "Căn cứ Luật Tổ chức chính quyền địa phương năm 2099;"))
    assert formula(_clause("preamble.2", "preamble", "Thực hiện Nghị quyết số 7/NQ-CP về trồng rừng ven biển;"))
    assert formula(_clause("preamble.3", "preamble", "Theo đề nghị của Sở Nông nghiệp và Môi trường,"))
    assert formula(_clause("preamble.4", "preamble",
                           "Ủy ban nhân dân tỉnh ban hành Kế hoạch trồng rừng ven biển với các nội dung sau:"))


def test_a_preamble_that_states_something_is_not_a_formula():
    # a directive's opening on the situation says something a question may ask
    assert not formula(_clause("preamble.1", "preamble",
                               "Thời gian qua, diện tích rừng ven biển của tỉnh giảm mạnh do sạt lở."))
    # a body clause opening "Thực hiện" is a task, not a preamble line
    assert not formula(_clause("II.1", "khoan", "Thực hiện trồng mới 50 ha rừng ven biển."))


def test_formulas_go_after_every_other_clause_keeping_order():
    basis = ScoredClause(_clause("preamble.1", "preamble", "Căn cứ Luật Lâm nghiệp năm 2099;"), 0.9, 0.9, 0.0)
    enact = ScoredClause(_clause("preamble.2", "preamble", "Ủy ban nhân dân tỉnh ban hành Kế hoạch trồng rừng:"),
                         0.8, 0.8, 0.0)
    money = ScoredClause(_clause("IV.1", "khoan", "Kinh phí được bố trí từ ngân sách tỉnh."), 0.7, 0.7, 0.0)
    goal = ScoredClause(_clause("I.1", "khoan", "Trồng mới rừng ven biển."), 0.6, 0.6, 0.0)
    assert _formulas_last([basis, enact, money, goal]) == [money, goal, basis, enact]
    assert _formulas_last([basis, enact]) == [basis, enact]  # nothing else to quote


# A made-up provincial plan: header, a preamble of formula lines, and a body.
PLAN = """ỦY BAN NHÂN DÂN TỈNH HÒA VIỄN
Số: 12/KH-UBND
Hòa Viễn, ngày 3 tháng 2 năm 2099
KẾ HOẠCH
Trồng rừng ngập mặn ven biển tỉnh Hòa Viễn giai đoạn 2099-2100
Căn cứ Luật Lâm nghiệp về trồng rừng ngập mặn ven biển;
Thực hiện Nghị quyết số 7/NQ-CP của Chính phủ về phục hồi rừng ven biển;
Theo đề nghị của Sở Nông nghiệp và Môi trường về kế hoạch trồng rừng ngập mặn ven biển,
Ủy ban nhân dân tỉnh ban hành Kế hoạch trồng rừng ngập mặn ven biển tỉnh Hòa Viễn giai đoạn 2099-2100 với các nội dung sau:
I. MỤC TIÊU
1. Trồng mới 300 ha rừng ngập mặn ở các xã ven biển.
II. KINH PHÍ
1. Kinh phí được bố trí từ nguồn ngân sách tỉnh và vốn xã hội hóa.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì, hướng dẫn các xã chọn giống cây.
"""


@pytest.fixture(scope="module")
def kb_formulas(tmp_path_factory):
    from tests.conftest import make_text_kb

    return make_text_kb(tmp_path_factory, "kb_formulas", "12-kh12-hoavien-rung-ngap-man.txt", PLAN)


def _ask_ranked(kb, monkeypatch, first: str, rest: list[str], question: str):
    """Ask ``question`` of the synthetic plan with retrieval faked to rank the preamble line holding
    ``first`` at the top, then the clauses at paths ``rest``; every candidate is judged to answer.
    Returns the plan's clauses by path, the preamble line and the answer."""
    store = kb.store()
    doc_id = next(d for d in store.list_ids() if "hoa-vien" in d)
    clauses = {c.path: c for c in store.get(doc_id).clauses}
    line = next(c for c in clauses.values() if c.kind == "preamble" and first in c.text)
    ranking = [line, *(clauses[p] for p in rest)]
    fake = [ScoredClause(c, 1.0 - 0.01 * i, 0.9, 0.0) for i, c in enumerate(ranking)]
    monkeypatch.setattr(kb, "scored", lambda *a, **kw: (None, list(fake)))
    monkeypatch.setattr(kb, "_answers", lambda *a, **kw: True)
    return clauses, line, kb.ask(question)


def test_a_content_question_ranked_to_a_formula_line_quotes_the_body(kb_formulas, monkeypatch):
    """Retrieval ranks the enacting line first (as the e5 model does on real plans: it repeats the
    title); the answer quotes the part that says where the money comes from (its heading or point)."""
    clauses, _, answer = _ask_ranked(kb_formulas, monkeypatch, "ban hành Kế hoạch", ["II.1", "I.1", "III.1"],
                                     "Tiền trồng rừng ngập mặn ven biển giai đoạn 2099-2100 lấy ở đâu?")
    assert answer.found
    assert answer.citations[0].clause_id in {clauses["II"].clause_id, clauses["II.1"].clause_id}  # the section asked


def test_a_question_asking_which_document_is_carried_out_keeps_the_formula(kb_formulas, monkeypatch):
    """"… thực hiện nghị quyết nào?" asks what the formula line says (index/query/ask_intent.py ``basis_kind``)."""
    _, carried, answer = _ask_ranked(
        kb_formulas, monkeypatch, "Nghị quyết số 7/NQ-CP", ["I.1", "II.1", "III.1"],
        "Trồng rừng ngập mặn ven biển giai đoạn 2099-2100 thực hiện nghị quyết nào của Chính phủ?")
    assert answer.found and answer.citations[0].clause_id == carried.clause_id


def test_a_basis_question_still_reads_the_preamble(kb_formulas):
    answer = kb_formulas.ask("Kế hoạch trồng rừng ngập mặn ven biển của Hòa Viễn được ban hành theo đề nghị của sở nào?")
    assert answer.found
    assert "Sở Nông nghiệp và Môi trường" in answer.answer
