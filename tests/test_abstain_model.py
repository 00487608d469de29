"""The calibrated abstention model (index/abstain_model.py) and its fitting (bench/abstain_fit.py),
on made-up clauses and made-up feature rows."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from tracuu.index.abstain_model import FEATURES, MODEL, AbstainModel, answers, default_model, features
from tracuu.index.keyword import BM25Index

CLAUSES = {
    "a": "Sở Xây dựng chủ trì xây dựng cơ sở dữ liệu quy hoạch, hoàn thành trước ngày 30/9/2026.",
    "b": "Phấn đấu xuất khẩu 12.000 tấn xoài, tăng 10% giá trị.",
    "c": "Các xã gửi báo cáo giám sát định kỳ hằng năm.",
}


def _bm25() -> BM25Index:
    bm25 = BM25Index()
    for cid, text in CLAUSES.items():
        bm25.add(cid, text)
    return bm25


def _x(question: str, clause: str, context: str = "", dense: float = 0.85, fused: float = 1.0) -> dict[str, float]:
    return features([question], question, CLAUSES[clause], context, dense, fused, _bm25())


def test_features_keep_each_mismatch_apart():
    x = _x("Xuất khẩu bao nhiêu tấn xoài?", "b")
    assert set(x) == set(FEATURES)
    assert x["unit_missing"] == 0.0 and x["coverage"] == pytest.approx(x["coverage_raw"]) and x["coverage"] > 0.5
    km = _x("Xuất khẩu xoài đi bao nhiêu km?", "b")
    assert km["unit_missing"] == 1.0 and km["coverage"] < km["coverage_raw"]
    day = _x("Các xã gửi báo cáo giám sát trước ngày nào?", "c")
    assert day["day_missing"] == 1.0 and _x("Các xã gửi báo cáo giám sát khi nào?", "c")["day_missing"] == 0.0
    place = _x("Ai chủ trì xây dựng cơ sở dữ liệu quy hoạch ở Đà Nẵng?", "a", context="Ủy ban nhân dân tỉnh Sơn La")
    assert place["place_missing"] == 1.0
    assert _x("Ai chủ trì xây dựng cơ sở dữ liệu quy hoạch ở Đà Nẵng?", "a",
              context="Ủy ban nhân dân thành phố Đà Nẵng")["place_missing"] == 0.0
    assert _x("Việc gì phải xong trước 31/12/2026?", "a")["number_missing"] == 1.0
    assert _x("Việc gì phải xong trước 30/9/2026?", "a")["number_missing"] == 0.0
    assert _x("Xuất khẩu bao nhiêu tấn xoài?", "b", dense=0.9)["dense"] == 0.9


def test_the_model_weighs_features_and_answers_at_its_threshold():
    model = AbstainModel({"coverage": 10.0, "unit_missing": -5.0}, -5.0, 0.5)
    assert model.probability({"coverage": 0.5}) == pytest.approx(0.5)
    assert model.answers({"coverage": 0.8}) and not model.answers({"coverage": 0.8, "unit_missing": 1.0})
    assert 0.0 < model.probability({"coverage": -1e9}) < 1e-20  # no overflow
    with pytest.raises(ValueError):
        AbstainModel.from_dict({"coef": {"no_such_feature": 1.0}, "intercept": 0.0, "threshold": 0.5})


def test_answers_reads_a_hit_and_the_stored_model():
    hit = SimpleNamespace(clause=SimpleNamespace(text=CLAUSES["b"]), dense=0.9, score=1.0)
    model = AbstainModel({"coverage": 10.0, "unit_missing": -8.0}, -4.0, 0.5)
    assert answers(hit, ["Xuất khẩu bao nhiêu tấn xoài?"], "Xuất khẩu bao nhiêu tấn xoài?", "", _bm25(), model)
    assert not answers(hit, ["Xuất khẩu xoài bao nhiêu km?"], "Xuất khẩu xoài bao nhiêu km?", "", _bm25(), model)
    if MODEL.exists():  # the fitted model is data: it loads, names known features, has an operating point
        stored = default_model()
        assert stored is not None and set(stored.coef) <= set(FEATURES) and 0.0 < stored.threshold < 1.0


def test_fitting_separates_made_up_rows_and_picks_a_threshold():
    from bench.abstain_fit import choose_threshold, fit, question_found, rates

    def row(qid: str, answerable: bool, hit: bool, cov: float, unit: float = 0.0) -> dict:
        x = {f: 0.0 for f in FEATURES}
        x.update(coverage=cov, coverage_raw=cov, dense=0.85, fused=1.0, unit_missing=unit, log_terms=math.log1p(5))
        return {"id": qid, "part": "tune", "answerable": answerable, "hit": hit, "x": x}

    rows = [row(f"a{i}", True, True, 0.6 + 0.03 * i) for i in range(10)]
    rows += [row(f"u{i}", False, False, 0.2 + 0.02 * i) for i in range(8)]
    rows += [row("u-unit", False, False, 0.7, unit=1.0)]
    model = fit(rows, steps=2000)
    assert model.coef["coverage"] > 0 and model.coef["unit_missing"] < 0
    model = AbstainModel(model.coef, model.intercept, choose_threshold(model, rows))
    refused, answered, n_ans, n_unans = rates(question_found(rows, model.answers))
    assert (n_ans, n_unans) == (10, 9) and refused == 0.0 and answered == 0.0


def test_a_word_no_clause_holds_counts_as_missing_from_the_knowledge_base():
    x = _x("Tuổi nghỉ hưu của giáo viên xuất khẩu xoài là bao nhiêu?", "b")
    assert 0.0 < x["kb_missing"] < 1.0 and x["rarest_missing"] == 1.0
    assert _x("Xuất khẩu bao nhiêu tấn xoài?", "b")["kb_missing"] == 0.0


def test_a_place_or_a_rare_term_is_looked_for_in_the_whole_document():
    # a letter extracted without its header names its city in the body, not in the clause
    letter = "Kính gửi các sở. Sở Nông nghiệp và Môi trường Hà Nội theo dõi chỉ số chất lượng không khí."
    q = "Ở Hà Nội, cơ quan nào xây dựng cơ sở dữ liệu quy hoạch?"
    alone = features([q], q, CLAUSES["a"], "", 0.85, 1.0, _bm25())
    read = features([q], q, CLAUSES["a"], "", 0.85, 1.0, _bm25(), document=f"{letter} {CLAUSES['a']}")
    assert alone["place_missing"] == 1.0 and alone["place_missing_doc"] == 1.0
    assert read["place_missing"] == 1.0 and read["place_missing_doc"] == 0.0  # the old rule reads the header only
    other = features(["Ở Đà Nẵng, ai xây dựng cơ sở dữ liệu quy hoạch?"], "Ở Đà Nẵng, ai xây dựng cơ sở dữ liệu quy hoạch?",
                     CLAUSES["a"], "", 0.85, 1.0, _bm25(), document=f"{letter} {CLAUSES['a']}")
    assert other["place_missing_doc"] == 1.0  # another city's version


def test_key_terms_missing_from_the_clause_and_from_its_document_are_two_features():
    bm25 = _bm25()
    for i in range(30):  # a corpus where "xoài" and "tấn" are rare and "báo cáo" is not
        bm25.add(f"n{i}", f"Các sở gửi báo cáo định kỳ {i}.")
    q = "Xuất khẩu bao nhiêu tấn xoài?"
    in_doc = features([q], q, CLAUSES["c"], "", 0.85, 1.0, bm25, document=f"{CLAUSES['b']} {CLAUSES['c']}")
    elsewhere = features([q], q, CLAUSES["c"], "", 0.85, 1.0, bm25, document=CLAUSES["c"])
    assert in_doc["key_missing_clause"] > 0.0 and in_doc["key_missing_doc"] == 0.0
    assert elsewhere["key_missing_doc"] == pytest.approx(elsewhere["key_missing_clause"]) and elsewhere["key_missing_doc"] > 0.0
    assert elsewhere["coverage_doc"] < in_doc["coverage_doc"]


def test_who_or_by_when_asked_of_a_clause_that_cannot_say():
    assert _x("Ai chủ trì xây dựng cơ sở dữ liệu quy hoạch?", "a")["asked_missing"] == 0.0
    assert _x("Ai chủ trì xuất khẩu xoài?", "b")["asked_missing"] == 1.0  # no agency in the clause
    assert _x("Xuất khẩu xoài phải xong trước ngày nào?", "b")["asked_missing"] == 1.0  # no deadline
    assert _x("Cơ sở dữ liệu quy hoạch phải xong trước ngày nào?", "a")["asked_missing"] == 0.0
    assert _x("Xuất khẩu bao nhiêu tấn xoài?", "b")["asked_missing"] == 0.0  # neither who nor when


def test_judge_reads_the_hits_document_and_keeps_the_dense_floor(monkeypatch):
    from tracuu.index import abstain_model

    by_place = AbstainModel({"place_missing_doc": -10.0}, 5.0, 0.5)  # answers unless the document lacks the place
    monkeypatch.setattr(abstain_model, "default_model", lambda: by_place)
    letter = SimpleNamespace(doc_id="cv", clauses=[SimpleNamespace(text="Kính gửi các sở, ngành Hà Nội."),
                                                   SimpleNamespace(text=CLAUSES["a"])])
    plain = SimpleNamespace(doc_id="cv", clauses=[SimpleNamespace(text=CLAUSES["a"])])
    seen = []

    def getter(doc):
        def get(doc_id):
            seen.append(doc_id)
            return doc
        return get

    hit = SimpleNamespace(clause=SimpleNamespace(text=CLAUSES["a"], doc_id="cv", heading_chain=()), dense=0.9, score=1.0)
    q = "Ở Hà Nội, ai chủ trì xây dựng cơ sở dữ liệu quy hoạch?"
    assert abstain_model.judge(hit, [q], q, {}, _bm25(), getter(letter)) is True  # the city is in the letter's body
    assert abstain_model.judge(hit, [q], q, {"cv": "Kế hoạch của UBND thành phố Hà Nội"}, _bm25(), getter(plain)) is True
    assert abstain_model.judge(hit, [q], q, {}, _bm25(), getter(plain)) is False  # nowhere in the document
    assert seen == ["cv", "cv", "cv"]
    low = SimpleNamespace(clause=hit.clause, dense=0.1, score=1.0)
    assert abstain_model.judge(low, [q], q, {}, _bm25(), getter(letter)) is False  # under the rules' floor: never answered
