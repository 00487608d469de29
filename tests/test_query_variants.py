"""Spelling variants meet on one canonical form. (Phrases are synthetic.)"""

from __future__ import annotations

import pytest
from tracuu.index.query.variants import canonical_spelling, folded_variants, same_spelling, variant_forms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hoà bình", "hòa bình"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("thuỷ lợi", "thủy lợi"),
        ("sức khoẻ", "sức khỏe"),
        ("cụ thể hoá", "cụ thể hóa"),
        ("hoạ sĩ", "họa sĩ"),
        ("hằng năm", "hàng năm"),
        ("Hằng tháng", "Hàng tháng"),
        ("hằng quý", "hàng quý"),
        ("kỹ thuật", "kĩ thuật"),
        ("lý do", "lí do"),
        ("quy định", "qui định"),
        ("ngừơi dân", "người dân"),  # tone typed on the wrong vowel
    ],
)
def test_variants_share_a_canonical_form(a, b):
    assert canonical_spelling(a) == canonical_spelling(b)
    assert same_spelling(a, b)


def test_canonical_form_is_the_old_convention():
    assert canonical_spelling("Hoà bình, Uỷ ban, thuỷ lợi, khoẻ") == "Hòa bình, Ủy ban, thủy lợi, khỏe"
    assert canonical_spelling("hàng năm") == "hằng năm"


def test_canonical_keeps_symbols_numbers_and_case():
    text = "Chỉ thị 39-CT/TW ngày 30/9, UBND TỈNH, 1560/QĐ-TTg"
    assert canonical_spelling(text) == text
    assert canonical_spelling("HOÀ") == "HÒA"
    assert len(canonical_spelling("Uỷ ban hoà giải hàng năm")) == len("Uỷ ban hoà giải hàng năm")


def test_different_words_stay_different():
    assert not same_spelling("hàng hóa", "hằng hóa")  # "hàng" is not before a period word
    assert canonical_spelling("vi phạm") == "vi phạm"
    assert canonical_spelling("y tế, ý kiến") == "y tế, ý kiến"  # no onset: y stays


def test_variant_forms_list_alternatives():
    forms = variant_forms("Uỷ ban hàng năm")
    assert forms[0] == "Uỷ ban hàng năm"
    assert "Ủy ban hàng năm" in forms and "Uỷ ban hằng năm" in forms and "Ủy ban hằng năm" in forms
    assert variant_forms("vi phạm") == ["vi phạm"]  # no "vy phạm"
    assert set(folded_variants("kỹ thuật")) == {"ky thuat", "ki thuat"}
