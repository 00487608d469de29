"""A place name broken over the number's line and the date line (synthetic header, no real text).

A two-column header's text layer breaks a long place name ("Thành phố Hồ Chí Minh") over two lines and
the loader joins the first half to the number's line ("Số: … Thành phố Hồ Chí"); the place and the date
as written must be the whole name, not "Minh".
"""

from __future__ import annotations

import pytest
from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document

#: Synthetic: a made-up city "Thành phố Bình Minh Xanh" and its plan.
HEAD = """ỦY BAN NHÂN DÂN
THÀNH PHỐ BÌNH MINH XANH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 31/KH-UBND
{place_lines}, ngày 05 tháng 3 năm 2027

KẾ HOẠCH

TRỒNG CÂY XANH VEN KÊNH NĂM 2027

I. MỤC ĐÍCH

1. Phủ xanh các tuyến kênh nội đô.
"""


def _header(tmp_path, place_lines: str):
    path = tmp_path / "kh31.txt"
    path.write_text(HEAD.format(place_lines=place_lines), encoding="utf-8")
    return parse_document(load(path), doc_id="t", file_name=path.name, content_hash="").header


@pytest.mark.parametrize("place_lines", ["Thành phố Bình Minh\nXanh", "Thành phố Bình\nMinh Xanh",
                                         "Thành phố Bình Minh Xanh"])
def test_the_place_is_the_whole_name(tmp_path, place_lines):
    h = _header(tmp_path, place_lines)
    assert h.place == "Thành phố Bình Minh Xanh"
    assert h.date_as_written == "Thành phố Bình Minh Xanh, ngày 05 tháng 3 năm 2027"
    assert h.number == "31/KH-UBND" and h.date == "2027-03-05"
