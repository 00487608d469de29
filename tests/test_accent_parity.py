"""bench/accent_parity.py's pure parts, on made-up questions: which pairs are compared and how."""

from __future__ import annotations

from bench.accent_parity import pairs_of, same, syllable_errors, typed_plain


def test_pairs_are_labelled_twins_and_folded_forms():
    qs = [
        {"id": "a", "question": "Sở Y tế báo cáo khi nào?", "note": ""},
        {"id": "b", "question": "so y te bao cao khi nao", "note": "unaccented twin of a"},
        {"id": "c", "question": "ubnd xa lam gi", "note": ""},  # typed plain, no twin: nothing to compare
    ]
    pairs = pairs_of(qs)
    assert ("b", "twin", "Sở Y tế báo cáo khi nào?", "so y te bao cao khi nao") in pairs
    assert ("a", "folded", "Sở Y tế báo cáo khi nào?", "so y te bao cao khi nao?") in pairs
    assert not any(p[0] == "c" for p in pairs)
    assert typed_plain("Đường  dây nóng") == "duong day nong"


def test_same_answer_means_same_found_and_same_first_citation():
    found = {"found": True, "first": "d:1", "intent": None}
    assert same(found, dict(found, intent="owner"))
    assert not same(found, dict(found, first="d:2"))
    assert same({"found": False, "first": None}, {"found": False, "first": "x"})
    assert not same(found, {"found": False, "first": None})


def test_syllable_errors_compare_tone_placement_alike():
    assert syllable_errors("Hòa Bình họp", "hoà bình họp") == []
    assert syllable_errors("mấy lần", "máy lần") == [("mấy", "máy")]
