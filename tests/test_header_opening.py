"""A header block that gives no number, date or issuer, while the document's first lines write them: ingest
reads them from its opening clauses (``ingest.header.opening_facts``) into the parsed header, so the catalog,
the documents list, the document's identity and search's filter see them, not only ``ask``.

Every Vietnamese line here is SYNTHETIC, written for these tests (the provinces, bodies and plans named do not
exist as written); none is copied from a real document. The shapes: a Party text layer whose header falls into
the body ("TỈNH UỶ … * Số -CTr/TU", "…, ngày   tháng 6 năm 2026", the number and the day left blank, or written);
a plan kept with its "(Kèm theo Quyết định số … Ngày … của …)" line under a repository's note line.
"""

from __future__ import annotations

from tracuu.ingest.header import opening_facts, plain_line
from tracuu.ingest.loaders import load
from tracuu.ingest.parser import parse_document

from tests.synthetic_head import BAC_SON_PROGRAMME, PLAN_KEPT_WITH_ITS_DECISION

BLANK = BAC_SON_PROGRAMME

WRITTEN = BLANK.replace("BẮC SƠN", "ĐÔNG NAM").replace("Bắc Sơn, ngày        tháng", "Đông Nam, ngày 09 tháng").replace(
    "Số         -CTr/TU", "Số 15-CTr/TU")

PLAN = PLAN_KEPT_WITH_ITS_DECISION

#: what must not be read: a note line, a reference in prose ("Kế hoạch số 12/KH-UBND"), capitals in a third
#: clause, a "Số 3" without a symbol, a date without a year
NOT_A_HEADER = """Ghi chú của kho lưu trữ: văn bản đăng lại từ trang điện tử
Thực hiện Kế hoạch số 12/KH-UBND của tỉnh về vườn ươm, Ban chỉ đạo xây dựng kế hoạch này.
Số 3 ngày 5 tháng 5
BAN CHỈ ĐẠO VƯỜN ƯƠM TỈNH ĐỒI XANH
I. MỤC TIÊU
1. Bảo đảm đủ cây giống bản địa cho các huyện.
"""

#: a header block the scan reads (the issuer alone), over an opening line that writes a number and a date:
#: the block's header is the document's, nothing is added from the body
BLOCK = """ỦY BAN NHÂN DÂN TỈNH ĐỒI XANH

KẾ HOẠCH

Phát triển vườn ươm cây bản địa năm 2026

Văn bản này thay thế bản Số: 99/KH-BCĐ, Đồi Xanh, ngày 01 tháng 3 năm 2026 đã gửi.

I. MỤC TIÊU

1. Bảo đảm đủ cây giống bản địa cho các huyện.
"""


def _parsed(tmp_path, text: str, name: str = "doc.txt"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return parse_document(load(f), doc_id="t", file_name=f.name, content_hash="")


def _opening(doc):
    return [c for c in doc.clauses if c.path.startswith("preamble")]


def test_a_blank_number_and_day_give_the_issuer_and_the_date_as_written(tmp_path):
    doc = _parsed(tmp_path, BLANK)
    h = doc.header
    assert h.issuer == "Tỉnh ủy Bắc Sơn"
    assert h.number is None and h.date is None  # blank in the text: never made up
    assert h.date_as_written == "Bắc Sơn, ngày tháng 6 năm 2026"
    # the lines stay the clauses they were, citable: the first clause opens with the issuer, one writes the date
    assert plain_line(_opening(doc)[0].text).startswith("TỈNH UỶ BẮC SƠN")
    assert any(h.date_as_written in plain_line(c.text) for c in _opening(doc))


def test_a_written_number_and_day_are_read(tmp_path):
    h = _parsed(tmp_path, WRITTEN).header
    assert (h.number, h.date, h.issuer) == ("15-CTr/TU", "2026-06-09", "Tỉnh ủy Đông Nam")
    assert h.date_as_written == "Đông Nam, ngày 09 tháng 6 năm 2026"


def test_the_clauses_are_the_same_text_as_before(tmp_path):
    """Reading the header from the opening lines changes no clause: paths and texts are what the body gives."""
    doc = _parsed(tmp_path, BLANK)
    source = (tmp_path / "doc.txt").read_text(encoding="utf-8")
    for c in _opening(doc):
        assert " ".join(c.text.split()) == " ".join(source[c.span.start:c.span.end].split())


def test_a_plan_kept_with_its_decision_line_is_dated_by_the_decision(tmp_path):
    h = _parsed(tmp_path, PLAN).header
    assert h.date == "2026-02-14" and h.date_as_written == "Ngày 14 tháng 2 năm 2026"
    assert h.issuer == "Thủ tướng Chính phủ"
    assert h.number is None  # "Quyết định số 88/QĐ-TTg" is the decision's number, not the plan's


def test_prose_references_notes_and_late_capitals_are_not_a_header(tmp_path):
    h = _parsed(tmp_path, NOT_A_HEADER).header
    assert (h.number, h.date, h.date_as_written, h.issuer) == (None, None, None, None)


def test_a_header_block_that_reads_anything_is_left_as_it_is(tmp_path):
    doc = _parsed(tmp_path, BLOCK)
    h = doc.header
    assert h.issuer == "Ủy ban nhân dân tỉnh Đồi Xanh"
    assert any("99/KH-BCĐ" in c.text for c in _opening(doc))  # the body writes them …
    assert (h.number, h.date, h.date_as_written) == (None, None, None)  # … the header does not take them


def test_opening_facts_reads_only_the_first_clauses():
    first = ["Ghi chú: văn bản đăng lại", "Lời giới thiệu", "Ghi chú khác", "Một đoạn nữa"]
    assert opening_facts(first + ["Số: 5/KH-BCĐ", "Đồi Xanh, ngày 01 tháng 02 năm 2026"]) == {}
    assert opening_facts(["Số: 5/KH-BCĐ.", "Đồi Xanh, ngày 01 tháng 02 năm 2026"]) == {
        "number": "5/KH-BCĐ", "date_as_written": "Đồi Xanh, ngày 01 tháng 02 năm 2026", "date": "2026-02-01"}
    # an issuer only from capitals opening one of the first two clauses
    assert "issuer" not in opening_facts(["Lời giới thiệu", "Ghi chú", "BAN CHỈ ĐẠO VƯỜN ƯƠM"])
    assert opening_facts(["BAN CHỈ ĐẠO VƯỜN ƯƠM TỈNH ĐỒI XANH * Số -KH/BCĐ"])["issuer"] == "Ban Chỉ đạo vườn ươm tỉnh Đồi Xanh"
