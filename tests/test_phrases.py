"""A clause holding the question's words side by side is told from one sharing them scattered
(api/phrases.py). Made-up text, no knowledge base."""

from __future__ import annotations

from tracuu.api.phrases import pair_share, question_pairs


def _idf(term: str) -> float:
    return 1.0


def test_the_question_pairs_are_its_neighbouring_content_words():
    pairs = question_pairs("Tỷ lệ hộ dùng nước sạch là bao nhiêu?")
    assert ("nuoc", "sach") in pairs and ("ho", "dung") in pairs
    assert not any("bao" in p or "nhieu" in p for p in pairs)  # how it is asked is not what


def test_the_clause_saying_the_words_together_scores_higher():
    question = "Tỷ lệ hộ dùng nước sạch ở Hòa Lạc là bao nhiêu?"
    together = "Tỷ lệ hộ dùng nước sạch đạt 95%."
    scattered = "Hộ nghèo được vay vốn sạch nợ; tỷ lệ giải ngân nước rút đạt 95%."
    header = "Kế hoạch cấp nước Hòa Lạc"
    assert pair_share(question, together, _idf, header) == 1.0
    assert pair_share(question, scattered, _idf, header) < 0.5
    # "Hòa Lạc" names the document (its header), not the clause
    assert pair_share(question, "Ở Hòa Lạc.", _idf, header) == 0.0 < pair_share(question, "Ở Hòa Lạc.", _idf)
    assert pair_share("Bao nhiêu?", together, _idf) == 0.0  # nothing asked in pairs
