"""Query clean-up: one tidy NFC string, document symbols untouched. (Inputs are synthetic.)"""

from __future__ import annotations

import unicodedata

import pytest
from tracuu.index.query.clean import clean_query


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("  “Chi nhánh”  NHCSXH ,tỉnh ?? ", '"Chi nhánh" NHCSXH, tỉnh'),
        ("Chỉ thị 39-CT/TW", "Chỉ thị 39-CT/TW"),
        ("Quyết định số 1560/QĐ-TTg.", "Quyết định số 1560/QĐ-TTg"),
        ("Kế hoạch 214/KH-UBND ngày 30/9", "Kế hoạch 214/KH-UBND ngày 30/9"),
        ("Sở NN&MT", "Sở NN&MT"),
        ("kinh tế – xã hội", "kinh tế - xã hội"),  # en dash
        ("kinh tế — xã hội", "kinh tế - xã hội"),  # em dash
        ("CT / TW ngày 30 / 9", "CT/TW ngày 30/9"),  # spaced slash inside a symbol
        ("‘tín dụng’", "'tín dụng'"),
        ("tình hình,thực hiện", "tình hình, thực hiện"),
        ("1.000,5 tỷ đồng", "1.000,5 tỷ đồng"),  # numbers keep their separators
        ("ÐẢNG\u00a0ủy\u200b", "ĐẢNG ủy"),  # Icelandic Eth, NBSP, zero-width space
        ("ＵＢＮＤ", "UBND"),  # full-width letters
        ("( tín dụng )", "(tín dụng)"),
        ("", ""),
        ("  ?  ", ""),
    ],
)
def test_clean_query(typed, cleaned):
    assert clean_query(typed) == cleaned


def test_decomposed_input_comes_out_nfc():
    typed = unicodedata.normalize("NFD", "tình hình thực hiện")
    assert clean_query(typed) == unicodedata.normalize("NFC", "tình hình thực hiện")
    assert unicodedata.is_normalized("NFC", clean_query(typed))
