"""The .txt and .pdf loaders on the bundled plan, the shared synthetic fixture and made-up bad input.

Expectations about the real An Giang plan are written as anchors (how a block starts/ends, how
many source lines it spans) rather than as copies of its text. Every PDF built here holds
synthetic test text.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from tracuu.ingest.errors import IngestError
from tracuu.ingest.loaders import load
from tracuu.ingest.loaders.pdf import load_pdf
from tracuu.ingest.loaders.txt import load_txt
from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.reflow import verify_span
from tracuu.ingest.vntext import collapse_spaces

from conftest import BUNDLED_PLAN, shared_fixture

# --- helpers ---------------------------------------------------------------------------------------


def check_offsets(src: SourceText) -> None:
    """Every block (and cell) cites its source exactly."""
    for b in src.blocks:
        assert b.text and len(b.offsets) == len(b.text)
        assert verify_span(src, b.start, b.end, b.text), b.text[:60]
        for ch, off in zip(b.text, b.offsets):
            if not ch.isspace():
                assert src.text[off] == ch, (b.text[:60], ch, off)
        assert src.page_of(b.start) == b.page, b.text[:60]
        for cell in b.cells:
            assert len(cell.offsets) == len(cell.text)
            for ch, off in zip(cell.text, cell.offsets):
                assert src.text[off] == ch if not ch.isspace() else src.text[off].isspace()
            if cell.offsets:
                contiguous = src.text[cell.offsets[0] : cell.offsets[-1] + 1]
                assert collapse_spaces(contiguous) == collapse_spaces(cell.text)
                assert b.start <= cell.offsets[0] and cell.offsets[-1] < b.end


def find(src: SourceText, prefix: str) -> Block:
    hits = [b for b in src.blocks if b.text.startswith(prefix)]
    assert len(hits) == 1, (prefix, [h.text[:40] for h in hits])
    return hits[0]


def source_lines_in(src: SourceText, b: Block) -> int:
    """How many non-blank source lines the block's span covers."""
    return sum(1 for line in src.text[b.start : b.end].split("\n") if line.strip())


# --- the bundled An Giang plan (.txt) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def an_giang() -> SourceText:
    return load(BUNDLED_PLAN)


def test_an_giang_blocks_are_clean(an_giang):
    assert an_giang.kind == "txt"
    for b in an_giang.blocks:
        assert b.kind == "para"
        assert "\n" not in b.text and "  " not in b.text and b.text == b.text.strip()
    check_offsets(an_giang)


def test_an_giang_paragraphs(an_giang):
    texts = [b.text for b in an_giang.blocks]
    assert "c) Tỷ lệ nợ quá hạn dưới 1%/tổng dư nợ." in texts
    title_at = texts.index("KẾ HOẠCH")
    title = an_giang.blocks[title_at + 1]
    assert title.text.startswith("Triển khai") and source_lines_in(an_giang, title) == 3
    preamble = find(an_giang, "Thực hiện Quyết định số 1560/QĐ-TTg")
    assert preamble.text.endswith("như sau:") and source_lines_in(an_giang, preamble) == 7
    assert texts[texts.index(preamble.text) + 1].startswith("I. ")
    closing = find(an_giang, "Trong quá trình triển khai thực hiện")
    assert closing.text.endswith("giải quyết./.") and source_lines_in(an_giang, closing) == 3


def test_an_giang_recipients_and_signature(an_giang):
    texts = [b.text for b in an_giang.blocks]
    tail = texts[texts.index("Nơi nhận:") :]
    recipients = tail[1:-3]
    assert len(recipients) == 12
    assert all(r.startswith("- ") and r.endswith((";", ".")) for r in recipients)
    assert tail[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Trung Hồ"]


def test_an_giang_pages(an_giang):
    assert len(an_giang.page_starts) == 3 and an_giang.dropped == []
    b3 = find(an_giang, "b) Rà soát, đề xuất")
    assert b3.page == 3
    assert an_giang.page_starts[2] == an_giang.text.index("\n b) Rà soát, đề xuất") + 1
    # page 2 starts inside point a) of khoản 2 Mục I: the block spans pages 1-2.
    assert an_giang.text[an_giang.page_starts[1] :].startswith(" 30 tháng 10 năm 2024")
    spanning = [b for b in an_giang.blocks if b.page != b.page_end]
    assert len(spanning) == 1 and spanning[0].text.startswith("a) Quán triệt") and spanning[0].page_end == 2


# --- the synthetic Bình Sơn plan (.txt) ------------------------------------------------------------


@pytest.fixture(scope="module")
def bs_txt() -> SourceText:
    return load_txt(shared_fixture(".txt"))


def md_body_paragraphs() -> list[str]:
    """Paragraphs of Mục I-III in the fixture's .md source, markup removed."""
    md = shared_fixture(".md").read_text(encoding="utf-8")
    body = md[md.index("\n**I. MỤC ĐÍCH") : md.index("\n::: sign")]
    out = []
    for line in body.splitlines():
        line = re.sub(r"\*+", "", line).strip()
        if line:
            out.append(collapse_spaces(line))
    return out


def test_bs_txt_pages_and_dropped_numbers(bs_txt):
    assert len(bs_txt.page_starts) == 5
    assert [bs_txt.text[a:b].strip() for a, b in bs_txt.dropped] == ["2", "3", "4", "5"]
    # the years standing alone in wrapped table cells stay text
    year_lines = [m.start() for m in re.finditer(r"(?m)^2025 $", bs_txt.text)]
    assert len(year_lines) == 2
    for off in year_lines:
        assert any(b.start <= off < b.end for b in bs_txt.blocks)
        assert not any(a <= off < b for a, b in bs_txt.dropped)
    check_offsets(bs_txt)


def test_bs_txt_body_matches_md(bs_txt):
    texts = {collapse_spaces(b.text) for b in bs_txt.blocks}
    paragraphs = md_body_paragraphs()
    assert len(paragraphs) == 28
    missing = [p for p in paragraphs if p not in texts]
    assert missing == []


def test_bs_txt_flattened_table_rows(bs_txt):
    rows = [b.text for b in bs_txt.blocks if re.match(r"\d{1,2} [A-ZĐÀ-Ỹ]", b.text)]
    assert [int(r.split()[0]) for r in rows] == list(range(1, 13))
    assert sum(1 for b in bs_txt.blocks if b.text.startswith("STT Nhiệm vụ")) == 2


# --- the synthetic Bình Sơn plan (.pdf) ------------------------------------------------------------


@pytest.fixture(scope="module")
def bs_pdf() -> SourceText:
    return load_pdf(shared_fixture(".pdf"))


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(shared_fixture(".expected.json").read_text(encoding="utf-8"))


def test_bs_pdf_pages_and_offsets(bs_pdf):
    assert bs_pdf.kind == "pdf" and len(bs_pdf.page_starts) == 5
    assert [bs_pdf.text[a:b].strip() for a, b in bs_pdf.dropped] == ["2", "3", "4", "5"]
    for b in bs_pdf.blocks:
        assert "\n" not in b.text and "  " not in b.text
    check_offsets(bs_pdf)


def test_bs_pdf_body_clauses(bs_pdf, expected):
    paras = {b.text: b for b in bs_pdf.blocks if b.kind == "para"}
    body = [c for c in expected["clauses"] if not c["kind"].startswith("appendix")]
    assert len(body) == 29
    for c in body:
        want = f"{c['marker']} {c['text']}" if c["marker"] else c["text"]
        assert want in paras, c["path"]
        assert paras[want].page == c["page"], c["path"]


def test_bs_pdf_header_and_signature_blocks(bs_pdf, expected):
    texts = [b.text for b in bs_pdf.blocks]
    assert "KẾ HOẠCH" in texts and expected["document"]["title_as_written"] in texts
    assert expected["marker"] in texts
    for line in expected["recipients_as_written"] + expected["signature"] + ["Nơi nhận:"]:
        assert line in texts


def test_bs_pdf_appendix_rows(bs_pdf, expected):
    rows = [b for b in bs_pdf.blocks if b.kind == "table_row"]
    assert bs_pdf.tables == 1 and {r.table_index for r in rows} == {0}
    headers = [r for r in rows if r.header_row]
    assert [r.page for r in headers] == [4, 5]
    assert all([c.text for c in r.cells] == expected["appendix_columns"] for r in headers)
    data = [r for r in rows if not r.header_row]
    appendix = [c for c in expected["clauses"] if c["kind"].startswith("appendix")]
    assert len(data) == len(appendix) == 15
    for row, c in zip(data, appendix):
        assert row.page == row.page_end == c["page"], c["path"]
        if c["kind"] == "appendix_group":
            (cell,) = row.cells
            assert cell.text == f"{c['marker']} {c['text']}" and cell.col_span == 6
        else:
            got = [cell.text for cell in row.cells]
            assert [collapse_spaces(t) for t in got] == [collapse_spaces(t) for t in c["cells"].values()], c["path"]
            assert got == list(c["cells"].values()), c["path"]  # line breaks kept where the source had them


# --- synthetic PDFs ------------------------------------------------------------------------------


def _table_pdf(path: Path) -> None:
    """Synthetic test document: a ruled table, header repeated on page 2, row 2 split by the page break."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    edges = [40, 80, 250, 420, 550]

    def row(y: float, cells: list[list[str]], bold: bool = False) -> float:
        h = max(len(c) for c in cells) * 14 + 8
        pdf.set_font("Helvetica", style="B" if bold else "", size=11)
        for i, lines in enumerate(cells):
            pdf.rect(edges[i], y, edges[i + 1] - edges[i], h)
            for k, line in enumerate(lines):
                pdf.text(edges[i] + 4, y + 15 + k * 14, line)
        return y + h

    header = [["STT"], ["Task"], ["Lead agency"], ["Deadline"]]
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(60, 40, "Synthetic appendix for tests")
    y = row(60, header, bold=True)
    y = row(y, [["1"], ["Prepare the first test task"], ["Agency Alpha;", "Agency Beta"], ["Quarter IV"]])
    y = row(y, [["2"], ["Second task that is long", "and wraps over lines"], ["Agency Gamma"], ["Every year"]])
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(297, 40, "2")
    y = row(60, header, bold=True)
    y = row(y, [[""], ["continued on page two"], ["Agency Delta"], [""]])
    row(y, [["3"], ["Third task"], ["Agency Epsilon"], ["Before 31/12/2025"]])
    pdf.output(str(path))


def test_table_split_over_pages(tmp_path):
    path = tmp_path / "split.pdf"
    _table_pdf(path)
    src = load(path)
    check_offsets(src)
    assert src.tables == 1 and [src.text[a:b] for a, b in src.dropped] == ["2"]
    rows = [b for b in src.blocks if b.kind == "table_row"]
    assert [r.header_row for r in rows] == [True, False, False, True, False]
    assert {r.table_index for r in rows} == {0}
    one, two, three = (r for r in rows if not r.header_row)
    assert [c.text for c in one.cells] == ["1", "Prepare the first test task", "Agency Alpha;\nAgency Beta", "Quarter IV"]
    assert [c.text for c in two.cells] == [
        "2",
        "Second task that is long and wraps over lines continued on page two",
        "Agency Gamma Agency Delta",
        "Every year",
    ]
    assert (two.page, two.page_end) == (1, 2)
    assert three.cells[0].text == "3" and three.page == 2
    assert any("split" in w for w in src.warnings)
    (title,) = [b for b in src.blocks if b.kind == "para"]
    assert title.text == "Synthetic appendix for tests"


def test_paragraph_across_pages_skips_page_number(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.text(60, 80, "1. First clause of the synthetic test document.")
    pdf.text(60, 100, "2. Second clause starts here and it goes on")
    pdf.add_page()
    pdf.text(297, 40, "2")
    pdf.text(60, 80, "to the next page without a break.")
    pdf.text(60, 100, "3. Third clause.")
    path = tmp_path / "text.pdf"
    pdf.output(str(path))
    src = load_pdf(path)
    check_offsets(src)
    assert [b.text for b in src.blocks] == [
        "1. First clause of the synthetic test document.",
        "2. Second clause starts here and it goes on to the next page without a break.",
        "3. Third clause.",
    ]
    second = src.blocks[1]
    assert (second.page, second.page_end) == (1, 2)
    (a, b) = src.dropped[0]
    assert second.start < a < second.end and src.text[a:b] == "2"
    assert src.tables == 0 and src.text.count("\f") == 1


def test_table_page_reading_order_and_header_columns(tmp_path):
    """Synthetic one-page document: a two-column header, a clause, a ruled table, a clause."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.text(60, 60, "TEST COMMITTEE")
    pdf.text(320, 60, "REPUBLIC OF TESTLAND")
    pdf.text(60, 110, "1. A clause before the table.")
    edges = [40, 80, 300, 550]
    y = 130
    for cells in (["STT", "Task", "Lead agency"], ["1", "First task", "Agency Alpha"]):
        for i, t in enumerate(cells):
            pdf.rect(edges[i], y, edges[i + 1] - edges[i], 22)
            pdf.text(edges[i] + 4, y + 15, t)
        y += 22
    pdf.text(60, y + 30, "2. A clause after the table.")
    path = tmp_path / "one-page.pdf"
    pdf.output(str(path))
    src = load_pdf(path)
    check_offsets(src)
    assert src.text.startswith("TEST COMMITTEE\nREPUBLIC OF TESTLAND\n")  # columns not glued on one line
    kinds = [(b.kind, b.text) for b in src.blocks][-4:]
    assert kinds == [
        ("para", "1. A clause before the table."),
        ("table_row", "STT | Task | Lead agency"),
        ("table_row", "1 | First task | Agency Alpha"),
        ("para", "2. A clause after the table."),
    ]
    assert src.tables == 1 and src.blocks[-3].header_row and not src.blocks[-2].header_row


# --- small .txt cases -------------------------------------------------------------------------------


def test_txt_bom_crlf_and_nfc(tmp_path):
    # synthetic test text, written decomposed (NFD) with a BOM and CRLF line ends
    raw = "1. Điều khoản thử\r\nnghiệm một.\r\n2. Điều khoản hai.\r\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", raw).encode("utf-8"))
    src = load_txt(path)
    assert src.text == raw
    assert [b.text for b in src.blocks] == ["1. Điều khoản thử nghiệm một.", "2. Điều khoản hai."]
    check_offsets(src)


def test_dispatch_by_extension(tmp_path, monkeypatch):
    import tracuu.ingest.loaders.docx as docx_loader
    seen = []
    monkeypatch.setattr(docx_loader, "load_docx", lambda p: seen.append(p) or "docx!")
    path = tmp_path / "X.DOCX"
    path.write_bytes(b"not used")
    assert load(path) == "docx!" and seen == [path]
    txt = tmp_path / "a.TXT"
    txt.write_text("Một dòng văn bản thử nghiệm.\n", encoding="utf-8")  # synthetic test text
    assert load(txt).kind == "txt"


# --- bad input --------------------------------------------------------------------------------------


def _encrypted(path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt(user_password="", owner_password="owner")
    with path.open("wb") as f:
        w.write(f)


def _image_only(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))


BAD = {
    "empty.txt": (lambda p: p.write_bytes(b""), "empty"),
    "blank.txt": (lambda p: p.write_text(" \n\n \t\n", encoding="utf-8"), "empty"),
    # "Kế hoạch" as a cp1258 file would store it (base letter + combining tone mark): not UTF-8
    "cp1258.txt": (lambda p: p.write_bytes("K\u00ea\u0301 hoa\u0323ch".encode("cp1258")), "bad_encoding"),
    "utf16.txt": (lambda p: p.write_bytes("Kế hoạch".encode("utf-16")), "bad_encoding"),
    "random.pdf": (lambda p: p.write_bytes(os.urandom(4096)), "corrupt"),
    "truncated.pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8), "corrupt"),
    "empty.pdf": (lambda p: p.write_bytes(b""), "empty"),
    "encrypted.pdf": (_encrypted, "encrypted"),
    "image-only.pdf": (_image_only, "no_text"),
    "unknown.rtf": (lambda p: p.write_text("nội dung", encoding="utf-8"), "unsupported_type"),
    "not-really.odt": (lambda p: p.write_text("nội dung", encoding="utf-8"), "corrupt"),  # .odt goes to LibreOffice
    "noext": (lambda p: p.write_text("nội dung", encoding="utf-8"), "unsupported_type"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input(tmp_path, name):
    make, code = BAD[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(IngestError) as info:
        load(path)
    err = info.value
    assert err.code == code
    assert err.vi and err.en and err.vi != err.en
    assert str(err) == f"{err.vi} / {err.en}"


def test_missing_file(tmp_path):
    with pytest.raises(IngestError) as info:
        load(tmp_path / "nowhere.pdf")
    assert info.value.code == "not_found"


def test_encrypted_message_says_so(tmp_path):
    path = tmp_path / "enc.pdf"
    _encrypted(path)
    with pytest.raises(IngestError) as info:
        load_pdf(path)
    assert "mã hóa" in info.value.vi and "encrypted" in info.value.en


def test_scanned_message_says_so(tmp_path):
    path = tmp_path / "scan.pdf"
    _image_only(path)
    with pytest.raises(IngestError) as info:
        load_pdf(path)
    assert "scan" in info.value.vi and "scanned" in info.value.en and "OCR" in info.value.en
