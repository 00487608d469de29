"""The evaluation harness: metric arithmetic on a synthetic set, then one run on the dev set.

The synthetic questions and the fake service's answers are made up for these tests; the fake
returns canned ``ask`` answers, so everything but the last test is pure arithmetic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tracuu.api.evaluation import (
    EvalReport,
    deadline_correct,
    evaluate,
    format_report,
    load_dev_set,
    owner_matches,
    rank_stats,
)
from tracuu.ingest.shapes import Answer, Deadline, Hit, Owner

from conftest import ROOT

DEV_SET = ROOT / "tests" / "eval" / "dev_set.jsonl"


def hit(cid: str, doc_id: str = "", text: str = "") -> Hit:
    """A cited clause with only what the judge reads (the rest of a Hit is not needed here)."""
    return Hit.model_construct(clause_id=cid, doc_id=doc_id, text=text)


def owner(agency: str, as_written: str | None = None, role: str = "lead") -> Owner:
    return Owner(agency=agency, as_written=as_written or agency, role=role, role_vi="")


def answer(cids: list[str], owners: list[Owner] | None = None, deadline: str | None = None) -> Answer:
    return Answer(question="", answer="", found=True, citations=[hit(c) for c in cids], owners=owners or [],
                  deadline=Deadline(text=deadline) if deadline else None)


ABSTAINED = Answer(question="", answer="", found=False, citations=[], owners=[], deadline=None)

QUESTIONS = [
    # answerable: ranks 1, 2, 5(k), abstained, and one beyond k
    {"id": "a1", "question": "cau hoi mot", "expect": ["d:1", "d:9"], "answerable": True, "tags": ["unaccented"],
     "owners": ["Chi nhánh NHCSXH tỉnh"], "deadline": "trước ngày 30/9 hàng năm"},
    {"id": "a2", "question": "câu hỏi hai", "expect": ["d:2"], "answerable": True, "tags": ["abbreviation"],
     "owners": ["Sở Nội vụ", "Sở Tài chính"]},
    {"id": "a3", "question": "câu hỏi ba", "expect": ["d:3"], "answerable": True, "tags": ["abbreviation", "paraphrase"],
     "deadline": "trước ngày 10/6"},
    {"id": "a4", "question": "câu hỏi bốn", "expect": ["d:4"], "answerable": True, "tags": ["structural"]},
    {"id": "a5", "question": "câu hỏi năm", "expect": ["d:5"], "answerable": True, "tags": []},
    # unanswerable: one refused, one answered
    {"id": "u1", "question": "không có một", "expect": [], "answerable": False, "tags": ["unanswerable"]},
    {"id": "u2", "question": "không có hai", "expect": [], "answerable": False, "tags": ["unanswerable"]},
]

ANSWERS = {
    "cau hoi mot": answer(
        ["d:1", "d:7"],
        owners=[owner("Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "Chi nhánh NHCSXH tỉnh")],
        deadline="Trước ngày  30/9 hằng năm",  # folded and whitespace-insensitive: "hằng" == "hàng"
    ),
    "câu hỏi hai": answer(
        ["d:7", "d:2"],
        owners=[owner("Sở Nội vụ"), owner("Sở Tài chính", role="coordinator")],
    ),
    "câu hỏi ba": answer(["x", "y", "z", "w", "d:3"], deadline="định kỳ 6 tháng (trước ngày 10/6) và hằng năm"),
    "câu hỏi bốn": ABSTAINED,
    "câu hỏi năm": answer(["x", "y", "z", "w", "v", "d:5"]),
    "không có một": ABSTAINED,
    "không có hai": answer(["d:8"]),
}


class FakeService:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def ask(self, question: str, k: int = 5) -> Answer:
        self.calls.append((question, k))
        return ANSWERS[question]


@pytest.fixture(scope="module")
def report() -> EvalReport:
    return evaluate(FakeService(), QUESTIONS, k=5)


def test_rank_metrics_count_abstention_and_beyond_k_as_misses(report):
    o = report.overall
    assert o.n == 5
    assert o.hit1 == pytest.approx(1 / 5)  # a1
    assert o.hitk == pytest.approx(3 / 5)  # a1, a2, a3; a4 abstained, a5 at rank 6
    assert o.mrr == pytest.approx((1 + 1 / 2 + 1 / 5) / 5)


def test_subsets(report):
    assert report.subsets["unaccented"].n == 1 and report.subsets["unaccented"].hit1 == 1.0
    ab = report.subsets["abbreviation"]
    assert ab.n == 2 and ab.hit1 == 0.0 and ab.hitk == 1.0 and ab.mrr == pytest.approx((1 / 2 + 1 / 5) / 2)
    assert report.subsets["paraphrase"].mrr == pytest.approx(1 / 5)
    assert report.subsets["structural"].n == 1 and report.subsets["structural"].hitk == 0.0


def test_owners_use_lead_role_and_accept_full_or_written_names(report):
    # a1: "NHCSXH" written out matches the canonical name; a2: Sở Tài chính only coordinates
    assert (report.owners.n, report.owners.correct) == (2, 1)
    by_id = {r.id: r for r in report.results}
    assert by_id["a1"].owners_ok is True and by_id["a2"].owners_ok is False
    assert owner_matches("Chi nhánh Ngân hàng Chính sách xã hội tỉnh", [owner("Chi nhánh NHCSXH tỉnh")])
    assert owner_matches("chi nhanh nhcsxh tinh", [owner("Chi nhánh Ngân hàng Chính sách xã hội tỉnh")])
    assert not owner_matches("Sở Nội vụ", [owner("Sở Tài chính")])


def test_owner_role_can_be_named():
    q = dict(QUESTIONS[1], owner_role="any")
    rep = evaluate(FakeService(), [q])
    assert rep.owners.correct == 1


def test_deadlines_folded_whitespace_insensitive_and_contained(report):
    assert (report.deadlines.n, report.deadlines.correct, report.deadlines.exact) == (2, 2, 1)
    assert deadline_correct("trước ngày 30/9 hàng năm", answer([], deadline="TRUOC NGAY 30/9  hang nam"))
    assert not deadline_correct("trước ngày 10/6", answer([], deadline="định kỳ (trước ngày 10/6)"), exact=True)
    assert not deadline_correct("trước ngày 10/6", answer([]))


def test_abstention_positive_is_abstained(report):
    a = report.abstention
    assert (a.tp, a.fp, a.fn, a.tn) == (1, 1, 1, 4)
    assert a.precision == pytest.approx(0.5)
    assert a.recall == pytest.approx(0.5)
    assert a.accuracy == pytest.approx(5 / 7)
    assert a.false_abstention_rate == pytest.approx(1 / 5)


def test_failures_list_what_went_wrong(report):
    fails = {f.id: f for f in report.failures}
    assert set(fails) == {"a2", "a3", "a4", "a5", "u2"}
    assert fails["a2"].reasons == ["rank 2", "owner"] and fails["a2"].got == ["d:7", "d:2"]
    assert fails["a4"].reasons == ["abstained"] and fails["a4"].found is False
    assert fails["a5"].reasons == ["miss@5"] and fails["a5"].got == ["x", "y", "z"]
    assert fails["u2"].reasons == ["answered unanswerable"]


def test_rank_stats_edge_cases():
    assert rank_stats([]).n == 0
    s = rank_stats([1, 3, None, 6], k=5)
    assert (s.hit1, s.hitk) == (0.25, 0.5) and s.mrr == pytest.approx((1 + 1 / 3) / 4)


def test_format_report_is_a_plain_table(report):
    text = format_report(report)
    assert "hit@1" in text and "MRR" in text and "abstention recall" in text
    assert "answered unanswerable" in text and "u2" in text
    json.dumps(report.to_dict())  # serialisable for --json


def test_load_dev_set(tmp_path: Path):
    f = tmp_path / "set.jsonl"
    f.write_text('# a comment\n\n{"question": "câu hỏi", "expect": ["d:1"]}\n{"id": "x", "question": "khác"}\n',
                 encoding="utf-8")
    rows = load_dev_set(f)
    assert [r["id"] for r in rows] == ["q003", "x"]
    assert rows[0]["answerable"] is True and rows[1]["answerable"] is False and rows[1]["tags"] == []
    f.write_text('{"expect": []}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_dev_set(f)


def test_dev_set_loads():
    rows = load_dev_set(DEV_SET)
    assert len(rows) >= 70 and len({r["id"] for r in rows}) == len(rows)
    assert any(not r["answerable"] for r in rows)


# --------------------------------------------------------------------------- the real dev set


def test_dev_set_floors(kb_all_e5):
    rep = evaluate(kb_all_e5, load_dev_set(DEV_SET), k=5)
    assert rep.overall.hitk >= 0.8, format_report(rep)
    assert rep.abstention.recall >= 0.7, format_report(rep)


# --------------------------------------------------------------------------- the anchor format (tests/realdocs/README.md)


def _cite(doc_id: str, path: str, text: str) -> Hit:
    return hit(f"{doc_id}:{path}", doc_id, text)


def test_anchor_hit_is_in_the_named_document_and_ignores_line_wraps():
    from tracuu.api.evaluation import anchor_rank

    q = {"doc": "004-x.txt", "anchors": ["Sở Nông nghiệp và Môi trường tổng hợp"]}
    ids = {"004-x.txt": "160-kh-ubnd"}
    cites = [
        _cite("other", "1", "Sở Nông nghiệp và Môi trường tổng hợp chung"),  # right words, wrong document
        _cite("160-kh-ubnd", "2", "+ Sở Nông nghiệp và\nMôi trường   tổng hợp chung các mẫu biểu"),
    ]
    assert anchor_rank(q, cites, ids) == 2
    assert anchor_rank(q, cites, {}) == 1  # an unknown document: the anchor alone decides


def test_judge_reads_anchors_owners_and_answer_text():
    from tracuu.api.evaluation import judge

    q = {"id": "q-1", "question": "Ai ký?", "doc": "plan", "anchors": ["Lê Văn A"], "answerable": True,
         "tags": ["document"], "answer_contains": ["Lê Văn A", "30 tháng 10 năm 2024"],
         "owners": ["Chi nhánh NHCSXH tỉnh"]}
    ans = Answer(question=q["question"], found=True, answer="Người ký: Lê Văn A, ngày 30 tháng 10 năm 2024.",
                 citations=[_cite("kh", "signature", "KT. CHỦ TỊCH Lê Văn A")], deadline=None,
                 owners=[owner("Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "Chi nhánh NHCSXH tỉnh")])
    r = judge(q, ans, {"plan": "kh"})
    assert (r.rank, r.contains_ok, r.owners_ok, r.doc) == (1, True, True, "plan")
    ans.answer = "Người ký: Lê Văn A."
    assert judge(q, ans, {"plan": "kh"}).contains_ok is False


def test_report_groups_plan_and_accented():
    from tracuu.api.evaluation import QuestionResult, report_of

    rs = [QuestionResult("a", "q", [], True, [], True, [], rank=1, doc="plan"),
          QuestionResult("b", "q", ["unaccented"], True, [], True, [], rank=None, doc="x.txt")]
    rep = report_of(rs, 5)
    assert rep.groups["plan"].hit1 == 1.0 and rep.groups["other documents"].hit1 == 0.0
    assert rep.groups["accented"].n == 1 and rep.subsets["unaccented"].hit1 == 0.0


def test_anchor_with_its_list_marker_hits_the_clause_text():
    """Labellers copy a point as the page shows it ("c) …"); the clause text starts after the marker."""
    from tracuu.api.evaluation import anchor_hit

    text = "Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ (synthetic)."
    assert anchor_hit(["c) Tỷ lệ nợ quá hạn dưới 1%"], text)
    assert anchor_hit(["2. Tỷ lệ nợ   quá hạn"], text)
    assert anchor_hit(["Tỷ lệ nợ quá hạn"], text)
    assert not anchor_hit(["c) Tỷ lệ nợ xấu dưới 1%"], text)


def test_anchor_with_a_table_row_number_cell_hits_the_row_text():
    """An appendix row is labelled as the table shows it ("6 | task"); the row's clause text is the task cell."""
    from tracuu.api.evaluation import anchor_hit

    row = "Tỷ lệ hộ gia đình có máy lọc nước đạt 70% (synthetic)."
    assert anchor_hit(["6 | Tỷ lệ hộ gia đình có máy lọc nước"], row)
    assert anchor_hit(["III | Tỷ lệ hộ gia đình"], row)
    assert anchor_hit(["12 | Tỷ lệ hộ gia đình"], "12 | Tỷ lệ hộ gia đình | Sở X")  # the row as one text
    assert not anchor_hit(["6 | Tỷ lệ hộ kinh doanh"], row)
