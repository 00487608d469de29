"""understand(): the whole query pipeline, as the retrievers see it. (Queries are synthetic.)"""

from __future__ import annotations

import time

import pytest
from tracuu.index.query.abbreviations import QUERY_ABBREVIATIONS_FILE, load_table
from tracuu.index.query.restore import DiacriticRestorer
from tracuu.index.query.understand import QueryUnderstanding, typed_with_diacritics, understand
from tracuu.ingest.vntext import syllables

from conftest import BUNDLED_PLAN, shared_fixture


@pytest.fixture(scope="module")
def restorer() -> DiacriticRestorer:
    return DiacriticRestorer.from_texts(
        [BUNDLED_PLAN.read_text(encoding="utf-8"), shared_fixture(".md").read_text(encoding="utf-8")]
    )


@pytest.fixture(scope="module")
def table():
    return load_table([QUERY_ABBREVIATIONS_FILE])


def test_unaccented_query_with_abbreviation(restorer, table):
    u = understand("  nhcsxh tinh bao cao ket qua ?", restorer, table)
    assert isinstance(u, QueryUnderstanding)
    assert u.cleaned == "nhcsxh tinh bao cao ket qua"
    assert u.restored == u.text == "nhcsxh tỉnh báo cáo kết quả"
    assert u.was_restored and not u.had_diacritics
    assert u.abbreviations_found == ["nhcsxh"]
    assert u.expanded == ("Ngân hàng Chính sách xã hội tỉnh báo cáo kết quả",)
    assert u.search_texts.dense == "nhcsxh (ngân hàng chính sách xã hội) tỉnh báo cáo kết quả"
    assert u.flags == {"had_diacritics": False, "restored": True, "abbreviations": True}


def test_keyword_texts_cover_every_reading(restorer, table):
    u = understand("ty le no qua han cua ngan hang chinh sach xa hoi", restorer, table)
    assert u.text == "tỷ lệ nợ quá hạn của ngân hàng chính sách xã hội"
    tokens = set(syllables(u.search_texts.keyword))
    assert {"ty", "ti", "nhcsxh", "ngan", "hang"} <= tokens  # i/y variant and contracted form
    assert len(u.search_texts.keyword_variants) == len(set(u.search_texts.keyword_variants))


def test_accented_query_is_not_restored(restorer, table):
    u = understand("Uỷ ban nhân dân tỉnh báo cáo hàng năm", restorer, table)
    assert u.restored is None and not u.was_restored and u.had_diacritics
    assert u.text == "Uỷ ban nhân dân tỉnh báo cáo hàng năm"
    assert u.canonical == "Ủy ban nhân dân tỉnh báo cáo hằng năm"
    assert u.expanded == ("UBND tỉnh báo cáo hàng năm",)


def test_half_accented_query(restorer, table):
    u = understand("báo cao tinh hinh thực hiện 39-CT/TW", restorer, table)
    assert u.text == "báo cáo tình hình thực hiện 39-CT/TW"
    assert u.search_texts.dense == "báo cáo tình hình thực hiện 39-ct/tw (chỉ thị của ban bí thư trung ương)"


def test_the_dense_text_does_not_depend_on_the_case_typed(restorer, table):
    # a question typed without marks is typed without capitals too: the embedder reads both alike
    cased = understand("Chi nhánh NHCSXH tỉnh báo cáo Chỉ thị 39-CT/TW", restorer, table)
    lower = understand("chi nhánh nhcsxh tỉnh báo cáo chỉ thị 39-ct/tw", restorer, table)
    assert cased.search_texts.dense == lower.search_texts.dense
    assert cased.text == "Chi nhánh NHCSXH tỉnh báo cáo Chỉ thị 39-CT/TW"  # what is shown keeps its case


def test_an_accented_query_keeps_its_plain_words(restorer, table):
    # accented Vietnamese leaves some syllables plain on purpose: "qua", "cho", "ai", "vay"
    for q in ("Tiền ngân sách gửi qua ngân hàng dùng để cho ai vay", "Ai tham mưu bổ sung tiêu chí thi đua khen thưởng về giải quyết kiến nghị cử tri"):
        assert typed_with_diacritics(q), q
        u = understand(q, restorer, table)
        assert u.text == q and not u.was_restored
    assert not typed_with_diacritics("bao cao tinh hinh thực hiện")  # marks on a third of the words
    assert not typed_with_diacritics("UBND NHCSXH")  # abbreviations are not words typed plain


def test_without_restorer_and_empty_query(table):
    u = understand("bao cao", None, table)
    assert u.text == "bao cao" and u.restored is None and not u.was_restored
    empty = understand("   ", None, table)
    assert empty.cleaned == "" and empty.search_texts.keyword == "" and empty.expanded == ()


def test_bench_understand_speed(restorer):
    query = "bao cao ket qua thuc hien chuong trinh tin dung chinh sach xa hoi"
    understand(query, restorer)
    t0 = time.perf_counter()
    for _ in range(50):
        understand(query, restorer)
    print(f"\nunderstand() of a {len(query.split())}-word query: {(time.perf_counter() - t0) / 50 * 1000:.2f} ms")
