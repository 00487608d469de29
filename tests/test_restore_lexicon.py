"""Restoration data the corpus cannot teach (index/query/restore.py): place names from the
gazetteer and how questions read (index/data/question_phrases.txt). Made-up training text."""

from __future__ import annotations

from tracuu.index.query.restore import DiacriticRestorer, lexicon_forms, place_lexicon, question_phrases

# "Hà Nội" is always followed by a few content words; a typo "Hà Nôi" occurs once, at the end of a
# sentence, so its context is never seen and n-gram backoff alone prefers it before a question word.
TRAINING = [
    "Ủy ban nhân dân thành phố Hà Nội chủ trì nội dung nội vụ nội bộ.",
    "Sở Nội vụ Hà Nội thực hiện nội dung kế hoạch.",
    "Hà Nội triển khai nội dung nội vụ.",
    "Thành phố Hà Nôi.",
    "Nhà máy sản xuất máy móc; nhà máy chế biến; nhà máy điện.",
]


def test_a_place_typed_without_marks_is_restored_as_the_gazetteer_writes_it():
    assert place_lexicon()[("ha", "noi")] == ("hà", "nội")
    assert ("ha", "tinh") in place_lexicon() and ("da", "nang") in place_lexicon()
    r = DiacriticRestorer.from_texts(TRAINING)
    assert r.restore("cong an thanh pho ha noi lam gi").startswith("công an thành phố hà nội")
    assert r.restore("Ha Noi") == "Hà Nội"  # case kept


def test_lexicon_matches_only_unmarked_runs_inside_one_segment():
    r = DiacriticRestorer.from_texts(TRAINING)
    lex = {("ha", "noi"): ("hà", "nội")}
    assert set(lexicon_forms(r._tokens("so ha noi"), lex).values()) == {"hà", "nội"}
    assert lexicon_forms(r._tokens("ha, noi"), lex) == {}  # a comma splits the run
    assert lexicon_forms(r._tokens("hà noi"), lex) == {}  # typed with a mark: left to the user


def test_question_phrases_teach_how_questions_read():
    phrases = question_phrases()
    assert "bao lâu" in phrases and "mấy lần một năm" in phrases and not any(p.startswith("#") for p in phrases)
    without = DiacriticRestorer.from_texts(TRAINING)
    with_phrases = DiacriticRestorer.from_texts(TRAINING + phrases)
    assert "máy lần" in without.restore("hop may lan mot nam")
    assert "mấy lần" in with_phrases.restore("hop may lan mot nam")
