""""Gặp vướng mắc … thì báo cho ai?" asks the closing clause most plans carry ("Trong quá trình thực hiện,
nếu có khó khăn, vướng mắc, đề nghị … phản ánh về …"), in words it does not use
(index/data/query_synonyms.toml). SYNTHETIC: the questions are made up by the tracuu team; no real
document's wording."""

from __future__ import annotations

from tracuu.index.query.synonyms import annotate_synonyms, synonym_readings
from tracuu.ingest.vntext import fold


def test_meeting_a_difficulty_reads_as_the_plans_wording():
    readings = synonym_readings("Gặp vướng mắc khi trồng rừng ngập mặn thì hỏi ai?")
    assert any("có khó khăn, vướng mắc" in r for r in readings)
    readings = synonym_readings("Gặp khó khăn khi sửa trường học thì làm gì?")
    assert any("có khó khăn, vướng mắc" in r for r in readings)


def test_whom_to_tell_reads_as_where_to_report():
    readings = synonym_readings("Có vấn đề khi trồng rừng thì báo cho ai?")
    assert any("phản ánh về cơ quan nào" in r for r in readings)


def test_both_at_once_and_unaccented():
    readings = synonym_readings("gap vuong mac khi trong rung thi bao cho ai")
    assert any("kho khan, vuong mac" in fold(r) for r in readings)
    assert any("phan anh ve co quan nao" in fold(r) for r in readings)
    assert any("kho khan" in fold(r) and "phan anh" in fold(r) for r in readings)  # both swapped at once
    assert "phản ánh" in annotate_synonyms("Gặp khó khăn khi trồng rừng thì báo cho ai?")
