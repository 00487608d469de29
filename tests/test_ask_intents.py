"""Ask by what the question is about: intents, abstention, filters and roles, cost bounds.

The questions are written by the tracuu team against the bundled An Giang plan (``kb``) and the
synthetic Bình Sơn plan (``kb_all``); pure parts (intent detection, figures, role names, close
calls) are tested without a knowledge base.
"""

from __future__ import annotations

import json

import pytest
from tracuu.api.answer import close_calls, prefer
from tracuu.api.cli import main
from tracuu.api.errors import ApiError
from tracuu.api.tasks_view import AgencyQuery, resolve_role
from tracuu.index.abstain import missing_figures, rerank
from tracuu.index.clause_index import ScoredClause
from tracuu.index.query.ask_intent import classify, named_date, named_documents
from tracuu.ingest.model import Clause, Span

PLAN = "kh-an-giang-ct-39"


# --------------------------------------------------------------------------- detection (pure)


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Quyết định 1560/QĐ-TTg do ai ký, ngày nào?", "document"),
        ("quyet dinh 1560 ban hanh ngay nao", "document"),
        ("Chỉ thị 39 nói về gì?", "document"),
        ("Hạn chót gửi báo cáo là khi nào?", "deadline"),
        ("Ai phải báo cáo trước ngày 30/9?", "deadline"),
        ("Cơ quan nào chủ trì rà soát danh sách hộ nghèo?", "owner"),
        ("co quan nao chu tri ra soat ho ngheo", "owner"),
        ("Tỷ lệ nợ quá hạn phải dưới bao nhiêu?", None),
        # synthetic (made up for round 24): "vào / trong thời gian nào" asks when a task is due
        ("Việc kiểm kê cây xanh đô thị phải hoàn thành vào thời gian nào?", "deadline"),
        ("chuong trinh trong cay xanh duoc thuc hien trong thoi gian nao", "deadline"),
        # ... unless it also asks who leads: then the owner answer, which carries the deadline too
        ("Cơ quan nào chủ trì kiểm kê cây xanh và thực hiện trong thời gian nào?", "owner"),
    ],
)
def test_intent_kinds(question, kind):
    assert classify(question).kind == kind


def test_agency_tasks_needs_an_agency_in_the_question():
    assert classify("NHCSXH có nhiệm vụ gì", agency_text="NHCSXH").kind == "agency_tasks"
    assert classify("mttq phai lam gi", agency_text="mttq").kind == "agency_tasks"
    assert classify("Kế hoạch có nhiệm vụ gì") .kind != "agency_tasks"


def test_document_numbers_and_implementing_documents():
    (ref,) = named_documents("Thực hiện theo QĐ 1560/QĐ-TTg")
    assert (ref.kind, ref.number, ref.symbol) == ("qd", "1560", "1560/qd-ttg")
    (ref,) = named_documents("Luật 69/2020/QH14 quy định gì")
    assert ref.number == "69" and ref.year == "2020"
    # "Kế hoạch thực hiện Chỉ thị 39" asks about the plan, not about Chỉ thị 39
    intent = classify("Kế hoạch thực hiện Chỉ thị 39 của tỉnh do ai ký?")
    assert not intent.docs and intent.implemented[0].number == "39"
    assert classify("ke hoach chi thi 39 ai ky").implemented


def test_dates_named_in_a_question():
    assert named_date("báo cáo trước ngày 30/9 hằng năm") == (30, 9, None)
    assert named_date("ngày 15 tháng 12 năm 2025") == (15, 12, 2025)
    assert named_date("Quyết định 1560/QĐ-TTg") is None


def test_figures_the_clause_lacks():
    assert missing_figures("Mức lương cơ sở 2.340.000 đồng từ khi nào?", "mức lương 1.800.000 đồng") == ["2.340.000"]
    assert missing_figures("Ai báo cáo trước 30/9?", "báo cáo trước ngày 30/09 hằng năm") == []
    assert missing_figures("tỷ lệ 95% hộ", "đạt 95 %") == []
    # document numbers are names, not figures
    assert missing_figures("Quyết định 1560 và Kế hoạch số 214 nói gì", "không số") == []


# --------------------------------------------------------------------------- roles and agencies (pure)


@pytest.mark.parametrize("typed, code", [("chủ trì", "lead"), ("chu tri", "lead"), ("Phối hợp", "coordinator"),
                                         ("tham mưu", "lead"), ("báo cáo", "reports_to"), ("lead", "lead"),
                                         ("được tham mưu", "advised"), ("xyz", None)])
def test_role_names_officials_type(typed, code):
    assert resolve_role(typed) == code


def test_agency_abbreviations_and_unaccented_names_match():
    mttq = {"name": "Ủy ban MTTQ Việt Nam tỉnh", "full": "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "agency_id": "uy-ban-mttq-tinh"}
    for typed in ("MTTQ", "mttq", "Mặt trận Tổ quốc", "mat tran to quoc"):
        assert AgencyQuery.of(typed).names(mttq), typed
    assert not AgencyQuery.of("Sở Y tế").names(mttq)


# --------------------------------------------------------------------------- close calls (pure)


def test_carrying_out_a_named_document_is_not_a_question_about_it():
    # "báo cáo thực hiện Chỉ thị 12 trước ngày nào": a deadline of the documents carrying it out
    intent = classify("cac so bao cao thuc hien chi thi 12 truoc ngay nao")
    assert intent.kind == "deadline" and intent.docs[0].acted_on
    assert classify("Chỉ thị 12 ban hành ngày nào?").kind == "document"
    assert not classify("Chỉ thị 12 ban hành ngày nào?").docs[0].acted_on


def test_who_made_a_document_is_a_document_question():
    # "cơ quan nào" + "ban hành" reads like a task owner question; naming a document, it is not
    assert classify("Chỉ thị số 12-CT/TW do cơ quan nào ban hành?").kind == "document"
    assert classify("Phó Chủ tịch nào ký thay Chủ tịch Quyết định 77?").kind == "document"
    assert classify("Cơ quan nào chủ trì thực hiện Quyết định 77?").kind != "document"


@pytest.mark.parametrize("question, fact", [
    ("Kế hoạch 160/KH-UBND được ký bởi ai?", "signer"),
    ("Quyet dinh 77 do Chu tich hay Pho Chu tich ky?", "signer"),
    ("Ai đứng tên ký Nghị quyết 12/NQ-CP?", "signer"),
    ("Đơn vị ban hành Kế hoạch 160/KH-UBND là gì?", "issuer"),
])
def test_passive_and_other_common_wordings_of_who_made_a_document(question, fact):
    """Synthetic questions: "được ký bởi ai", "Chủ tịch hay Phó Chủ tịch ký", "đơn vị ban hành" ask the document's own
    facts as "do ai ký" and "cơ quan nào ban hành" do."""
    from tracuu.index.query.ask_intent import document_facts

    assert classify(question).kind == "document"
    assert fact in document_facts(question)


def test_rerank_prefers_the_candidate_that_covers_the_question():
    hits = [_scored("I.1", 0.90), _scored("II.3", 0.77), _scored("II.4", 0.70)]
    out = rerank(hits, [0.40, 0.95, 0.50], weight=0.5)
    assert [h.clause.path for h in out] == ["II.3", "I.1", "II.4"]
    assert out[0].score == pytest.approx(0.77 + 0.5 * 0.95)
    assert [h.clause.path for h in rerank(hits, [0.4, 0.95, 0.5], weight=0.0)] == ["I.1", "II.3", "II.4"]
    assert rerank([], [], 0.5) == []


def test_a_title_year_does_not_answer_how_many(kb):
    from tracuu.index.abstain import coverage

    bm25 = kb.index.keyword
    q = ["Tỷ lệ hộ nghèo giảm bao nhiêu?"]
    with_figure = coverage(q, "Tỷ lệ hộ nghèo giảm 2%.", bm25, context="Kế hoạch năm 2025")
    without = coverage(q, "Giảm tỷ lệ hộ nghèo.", bm25, context="Kế hoạch năm 2025")
    assert without < with_figure  # the year in the title is not the figure asked for


def _scored(path: str, score: float, text: str = "x"):
    clause = Clause(clause_id=f"d:{path}", doc_id="d", path=path, kind="point", label=path, marker="",
                    text=text + path, heading_chain=[], parent=None, order=0, span=Span(0, 1, 1, 1))
    return ScoredClause(clause=clause, score=score, dense=0.9, keyword=1.0)


def test_close_runner_up_is_flagged_but_not_a_child():
    assert close_calls([_scored("I.1", 1.0), _scored("II.2", 0.99)], 0.03) == [1]
    assert close_calls([_scored("I.1", 1.0), _scored("II.2", 0.80)], 0.03) == []
    assert close_calls([_scored("I.1", 1.0), _scored("I.1.a", 0.99)], 0.03) == []


def test_prefer_moves_a_near_hit_that_names_the_owner():
    hits = [_scored("I.1", 1.0), _scored("II.2", 0.9), _scored("III.1", 0.5)]
    assert prefer(hits, lambda s: s.clause.path == "II.2")[0].clause.path == "II.2"
    assert prefer(hits, lambda s: s.clause.path == "III.1")[0].clause.path == "I.1"  # too far below


# --------------------------------------------------------------------------- end to end on the plan


def test_agency_tasks_grouped_by_role(kb):
    for question in ("Chi nhánh NHCSXH tỉnh có nhiệm vụ gì?", "chi nhanh nhcsxh tinh phai lam gi"):
        ans = kb.ask(question)
        assert ans.found and ans.intent == "agency_tasks", question
        assert ans.citations[0].clause_id == f"{PLAN}:III.2"
        assert "chủ trì" in ans.tasks_by_role or "lead" in ans.tasks_by_role
        assert "Chủ trì" in ans.answer


def test_mttq_abbreviation_reaches_the_front_tasks(kb):
    ans = kb.ask("MTTQ tỉnh có nhiệm vụ gì?")
    assert ans.found and ans.intent == "agency_tasks"
    paths = {c.path for c in ans.citations}
    assert {"III.3", "II.1.đ"} <= paths


def test_every_task_due_on_the_named_date(kb):
    ans = kb.ask("Ai phải báo cáo trước ngày 30/9?")
    assert ans.found and ans.intent == "deadline"
    paths = {c.path for c in ans.citations}
    assert {"III.1", "III.3"} <= paths  # both tasks due on 30/9, not only the best one
    assert "30/9" in ans.answer


def test_a_referenced_document_is_answered_from_the_manifest_and_says_so(kb):
    ans = kb.ask("Quyết định 1560/QĐ-TTg do ai ký, ngày nào?")
    assert ans.found and ans.intent == "document"
    assert "1560/QĐ-TTg" in ans.answer and "Thủ tướng Chính phủ" in ans.answer
    assert "chưa được nạp" in ans.answer
    signer = kb.document(PLAN).signer["name"]
    assert signer not in ans.answer  # never the plan's own signer


def test_an_unknown_document_is_not_found(kb):
    ans = kb.ask("Quyết định 9999/QĐ-TTg do ai ký?")
    assert not ans.found and ans.citations == []


@pytest.mark.parametrize("question", [
    "Quyết định 9999/QĐ-TTg giao Ngân hàng Chính sách xã hội những nhiệm vụ gì?",  # an agency's tasks
    "Kế hoạch số 888/KH-UBND giao sở nào chủ trì rà soát hộ nghèo?",  # who owns a task
])
def test_a_task_question_about_an_unknown_document_is_not_answered_from_the_others(kb, question):
    ans = kb.ask(question)
    assert not ans.found and ans.citations == []
    assert "Không có văn bản nào khớp" in ans.answer


def test_a_question_naming_a_document_is_scoped_to_it(kb_all):
    ans = kb_all.ask("Kế hoạch 214/KH-UBND do ai ký?")
    assert ans.found
    binh_son = {d.doc_id for d in kb_all.stored_documents() if d.header.number == "214/KH-UBND"}
    assert {c.doc_id for c in ans.citations} == binh_son
    other = kb_all.document(PLAN).signer["name"]
    assert other not in ans.answer


def test_figure_absent_from_the_documents_is_refused(kb):
    for question in ("Mức lương cơ sở 2.340.000 đồng áp dụng từ khi nào?",
                     "Lãi suất cho vay hộ nghèo là bao nhiêu phần trăm?"):
        assert not kb.ask(question).found, question


def test_a_paraphrase_of_point_h_is_answered(kb):
    ans = kb.ask("Kế hoạch yêu cầu gì về công nghệ thông tin?")
    assert ans.found
    assert ans.citations[0].clause_id == f"{PLAN}:II.1.h"


def test_ask_json_carries_uncertainty_flag(kb):
    ans = kb.ask("Tỷ lệ nợ quá hạn phải dưới bao nhiêu?")
    assert ans.found and ans.uncertain is not None and "uncertain" in ans.to_json()
    if ans.uncertain:
        assert ans.alternatives and ans.alternatives[0].clause_id != ans.citations[0].clause_id


# --------------------------------------------------------------------------- filters, CLI


def test_task_filters_accept_what_officials_type(kb):
    for agency in ("MTTQ", "Mặt trận Tổ quốc", "mat tran to quoc"):
        assert any(t.path == "III.3" for t in kb.tasks(agency=agency)), agency
    assert any(t.path == "III.2" for t in kb.tasks(agency="NHCSXH"))
    led = kb.tasks(agency="NHCSXH", role="chủ trì")
    assert led and all("lead" in t.roles for t in led)
    assert kb.tasks(agency="NHCSXH", role="chu tri") == led
    with pytest.raises(ApiError) as err:
        kb.tasks(role="sếp")
    assert "chủ trì" in err.value.vi and "lead" in err.value.en


def test_cli_role_in_vietnamese(kb, capsys):
    assert main(["--data-dir", str(kb.settings.data_dir), "tasks", "--agency", "MTTQ", "--role", "chủ trì",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all("lead" in r["roles"] for r in rows)


# --------------------------------------------------------------------------- cost bounds


def test_long_abbreviation_query_is_bounded(kb):
    from tracuu.index.query.understand import MAX_KEYWORD_CHARS

    q = " ".join(["NHCSXH UBND MTTQ HĐND"] * 90)[:1990]
    u = kb.understand(q)
    assert len(u.search_texts.keyword) <= MAX_KEYWORD_CHARS
    assert len(u.search_texts.dense) <= MAX_KEYWORD_CHARS
    ans = kb.ask(q)
    assert set(ans.to_json()) >= {"found", "answer", "citations"}  # ask returns the Answer shape


def test_passages_are_cut_to_the_model_input():
    from tracuu.index.passages import PASSAGE_MAX_CHARS, DocMeta, passage_text
    from tracuu.ingest.model import Clause, Span

    clause = Clause(clause_id="d:1", doc_id="d", path="1", kind="khoan", label="khoản 1", marker="1.",
                    text="nội dung rất dài " * 5000, heading_chain=["Mục I"], parent=None, order=0,
                    span=Span(0, 1, 1, 1), references=[])
    text = passage_text(clause, DocMeta(doc_id="d", doc_type="Kế hoạch", number="1/KH", title="Thử"))
    assert len(text) <= PASSAGE_MAX_CHARS + 1 and text.startswith("Kế hoạch 1/KH")


def test_a_date_typed_with_slashes_is_the_day_written_in_words():
    # synthetic clauses: "15/11/2025" and "ngày 15 tháng 11 năm 2025" are one day, "19/12" is in "19/12/2025"
    assert missing_figures("Ai kiểm tra trước ngày 15/11/2025?", "Giao Sở X kiểm tra trước ngày 15 tháng 11 năm 2025.") == []
    assert missing_figures("Lễ ra mắt ngày 19/12 có những ai?", "Tổ chức lễ ra mắt vào ngày 19 tháng 12 năm 2025.") == []
    assert missing_figures("Lễ ra mắt ngày 19/12 có những ai?", "Tổ chức lễ ra mắt vào ngày 19/12/2025.") == []
    assert missing_figures("Báo cáo trước ngày 15 tháng 11 năm 2025?", "Báo cáo trước 15/11/2025.") == []
    assert missing_figures("Ai kiểm tra trước ngày 15/11/2025?", "Kiểm tra trước ngày 15 tháng 12 năm 2025.") == ["15/11/2025"]
    assert missing_figures("Báo cáo trước ngày 30/9?", "Báo cáo trước ngày 30/10/2025.") == ["30/9"]
    assert missing_figures("Tổng kết vào tháng 11/2025?", "Tổng kết vào tháng 11 năm 2025.") == []
