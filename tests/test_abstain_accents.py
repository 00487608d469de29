"""A question and its form typed without marks (lowercase) are read alike by abstention's key terms
(index/abstain.py): abbreviation letters are no key terms whichever way they are typed. Made-up text."""

from __future__ import annotations

from tracuu.index.abstain import abbreviation_like, key_terms
from tracuu.index.keyword import BM25Index


def _bm25() -> BM25Index:
    bm25 = BM25Index()
    texts = [f"Báo cáo kết quả thực hiện kế hoạch số {n} về phát triển kinh tế." for n in range(400)]
    texts += ["Tăng trưởng GDP của tỉnh đạt 8%.", "Sản lượng gạo xuất khẩu tăng.", "Diễn tập PCCC ở chợ."]
    for i, text in enumerate(texts):
        bm25.add(f"c{i}", text)
    return bm25


def test_abbreviation_letters_are_no_key_terms_typed_either_way():
    idf = _bm25().idf
    accented = key_terms("Tăng trưởng GDP và sản lượng gạo của tỉnh là bao nhiêu?", idf)
    plain = key_terms("tang truong gdp va san luong gao cua tinh la bao nhieu", idf)
    assert "gdp" not in accented and "gdp" not in plain
    assert "gao" in accented and "gao" in plain  # a rare word is a key term both ways
    assert sorted(accented) == sorted(plain)


def test_a_question_with_capitals_is_read_by_them():
    idf = _bm25().idf
    # typed with capitals, only the words written in capitals are abbreviation letters
    assert "gdp" in key_terms("Tăng trưởng gdp của Tỉnh là bao nhiêu?", idf)
    assert "pccc" not in key_terms("diễn tập pccc ở chợ", idf)


def test_what_looks_like_abbreviation_letters():
    assert abbreviation_like("gdp") and abbreviation_like("nhcsxh") and abbreviation_like("ubnd")
    assert not abbreviation_like("gao") and not abbreviation_like("khuya")  # Vietnamese syllables
    assert not abbreviation_like("internet")  # longer than an abbreviation: a foreign word
    assert not abbreviation_like("6g")
