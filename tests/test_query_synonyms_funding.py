""""… lấy từ đâu / lấy từ nguồn nào" about money asks the funding source, which documents write as
"Kinh phí … được bố trí từ nguồn …", "Nguồn kinh phí …" (index/data/query_synonyms.toml). SYNTHETIC:
the questions are made up by the tracuu team; no real document's wording."""

from __future__ import annotations

from tracuu.index.query.synonyms import annotate_synonyms, synonym_readings
from tracuu.ingest.vntext import fold


def test_where_the_money_comes_from_is_read_as_the_funding_source():
    readings = synonym_readings("Tiền trồng rừng ngập mặn lấy từ đâu?")
    assert any("từ nguồn kinh phí nào" in r for r in readings)
    readings = synonym_readings("Ở Hòa Viễn, tiền sửa trường học lấy từ nguồn nào?")
    assert any("từ nguồn kinh phí nào" in r for r in readings)


def test_unaccented_questions_get_the_reading_too():
    readings = synonym_readings("tien sua truong hoc lay tu dau")
    assert any("nguon kinh phi" in fold(r) for r in readings)


def test_the_embedder_sees_the_funding_words():
    assert "từ nguồn kinh phí nào" in annotate_synonyms("Tiền làm đường giao thông nông thôn lấy từ đâu?")


def test_a_question_without_the_phrase_is_untouched():
    assert synonym_readings("Trường học nào được sửa trước năm 2099?") == []
