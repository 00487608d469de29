"""Abbreviations expand both ways; lowercase and unaccented input too. (Queries are synthetic.)"""

from __future__ import annotations

import pytest
from tracuu.index.query.abbreviations import (
    GAZETTEER_FILES,
    QUERY_ABBREVIATIONS_FILE,
    Abbreviation,
    AbbreviationTable,
    default_table,
    entries_from_toml,
    expand_query,
    load_table,
)


@pytest.fixture(scope="module")
def table() -> AbbreviationTable:
    """This module's own data file only, so the tests do not move with the agency gazetteer."""
    return load_table([QUERY_ABBREVIATIONS_FILE])


PAIRS = [
    ("NHCSXH", "Ngân hàng Chính sách xã hội"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("CT-XH", "chính trị - xã hội"),
    ("TDCSXH", "tín dụng chính sách xã hội"),
    ("KT-XH", "kinh tế - xã hội"),
    ("NN&MT", "Nông nghiệp và Môi trường"),
    ("QĐ-TTg", "Quyết định của Thủ tướng Chính phủ"),
    ("CT/TW", "Chỉ thị của Ban Bí thư Trung ương"),
]


@pytest.mark.parametrize(("short", "long"), PAIRS)
def test_both_directions(table, short, long):
    assert long in table.expand(f"báo cáo {short} năm nay")[1]
    assert short in table.expand(f"báo cáo {long} năm nay")[-1]


@pytest.mark.parametrize(("short", "long"), PAIRS)
def test_lowercase_short_forms_match(table, short, long):
    assert table.expand(short.lower())[-1] == long


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nhcsxh tỉnh", "Ngân hàng Chính sách xã hội tỉnh"),
        ("ubnd tinh", "Ủy ban nhân dân tinh"),
        ("hdnd", "Hội đồng nhân dân"),  # đ typed as d
        ("ct xh", "chính trị - xã hội"),  # separator-blind
        ("CTXH", "chính trị - xã hội"),
    ],
)
def test_folded_matching(table, typed, expected):
    assert expected in table.expand(typed)


def test_unaccented_long_form_is_contracted(table):
    assert table.expand("ngan hang chinh sach xa hoi tinh") == ["ngan hang chinh sach xa hoi tinh", "NHCSXH tinh"]


def test_longest_match_wins(table):
    found = table.find("Ủy ban Mặt trận Tổ quốc tỉnh và tín dụng chính sách xã hội")
    assert [m.entry.short[0] for m in found] == ["UBMTTQ", "TDCSXH"]


def test_symbols_are_annotated_not_broken(table):
    variants = table.expand("Chỉ thị số 39-CT/TW và Quyết định 1560/QĐ-TTg")
    assert variants[1] == (
        "Chỉ thị số 39-CT/TW (Chỉ thị của Ban Bí thư Trung ương) và "
        "Quyết định 1560/QĐ-TTg (Quyết định của Thủ tướng Chính phủ)"
    )
    assert table.annotate("NHCSXH tỉnh") == "NHCSXH (Ngân hàng Chính sách xã hội) tỉnh"


def test_short_forms_that_are_words_need_capitals(table):
    assert table.find("tu bổ trụ sở") == []
    assert [m.entry.long[0] for m in table.find("Thường trực TU")] == ["Tỉnh ủy"]


def test_no_abbreviation_gives_the_query_alone(table):
    assert table.expand("tình hình thực hiện") == ["tình hình thực hiện"]


def test_entries_from_other_shapes():
    data = {
        "abbr": [{"short": "VPCP", "full": "Văn phòng Chính phủ"}, {"short": "CT", "full": "Chủ tịch", "kind": "title"}],
        "agency": [{"id": "x", "name": "Sở Tài chính", "abbreviations": ["STC"], "variants": ["Sở Tài chính {tinh}"]}],
        "flat": {"BHXH": "Bảo hiểm xã hội"},
    }
    got = {(e.short, e.long) for e in entries_from_toml(data, "test")}
    assert got == {
        (("VPCP",), ("Văn phòng Chính phủ",)),
        (("STC",), ("Sở Tài chính",)),
        (("BHXH",), ("Bảo hiểm xã hội",)),
    }
    t = AbbreviationTable([Abbreviation(("STC",), ("Sở Tài chính",))])
    assert t.expand("stc") == ["stc", "Sở Tài chính"]


def test_default_table_reads_the_gazetteer_when_present():
    sources = {e.source for e in default_table().entries}
    assert "query_abbreviations.toml" in sources
    for path in GAZETTEER_FILES:
        if path.exists():
            assert path.name in sources
    assert expand_query("nhcsxh")[0] == "nhcsxh" and len(expand_query("nhcsxh")) == 2
