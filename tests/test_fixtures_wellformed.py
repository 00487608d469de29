"""The synthetic Hòa Phong fixtures (tests/fixtures/) are well formed and agree with their
expected.json: page counts, text layer, Vietnamese diacritics (NFC), page numbers, the appendix
table (merged two-row header repeated on every landscape page, rows split over a page break),
the .docx merges, and every clause text present in the .md source.

Fast: only reads the files (plus one byte-for-byte rebuild check, ~1 s).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAMES = ["hoa-phong-qd-ke-hoach", "hoa-phong-cong-van"]
MARKER = "(Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật)"
PL_HEADER = [
    ["STT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian thực hiện", None, "Sản phẩm"],
    [None, None, "Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành", None],
]


def squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def md_plain(name: str) -> str:
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    text = re.sub(r"\*+", "", text)
    return collapse(text)


@pytest.fixture(scope="module", params=NAMES)
def fx(request):
    name = request.param
    exp = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return name, exp


def pypdf_pages(name):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(FIXTURES / f"{name}.pdf"))
    return reader, [p.extract_text() or "" for p in reader.pages]


def plumber_tables(name):
    pdfplumber = pytest.importorskip("pdfplumber")
    out = []
    with pdfplumber.open(str(FIXTURES / f"{name}.pdf")) as pdf:
        for page in pdf.pages:
            landscape = page.width > page.height
            out.append((landscape, [t.extract() for t in page.find_tables()]))
    return out


# ---------------------------------------------------------------- files and expected.json


def test_files_present_and_small(fx):
    name, exp = fx
    for ext in ("md", "docx", "pdf", "expected.json"):
        path = FIXTURES / f"{name}.{ext}"
        assert path.exists(), path
        assert path.stat().st_size < 200_000, (path, path.stat().st_size)
    assert exp["synthetic"] is True and exp["marker"] == MARKER
    assert exp["source_md"] == f"{name}.md"


def test_marker_right_under_title_in_md(fx):
    name, _ = fx
    lines = [ln.rstrip() for ln in (FIXTURES / f"{name}.md").read_text(encoding="utf-8").splitlines()]
    marker_lines = [i for i, ln in enumerate(lines) if ln == f"> {MARKER}"]
    assert marker_lines, "marker line missing"
    for i in marker_lines:
        prev = [ln for ln in lines[:i] if ln.strip()][-1]
        # under a title line, or (công văn: no type line) under the header block holding "V/v ..."
        assert prev.startswith("## ") or prev == ":::", prev


def test_clause_texts_come_from_the_md(fx):
    name, exp = fx
    md = md_plain(name)
    md_cells = md.replace("<br>", "\n")
    for c in exp["clauses"]:
        assert unicodedata.is_normalized("NFC", c["text"]), c["path"]
        assert c["text60"] == c["text"][:60], c["path"]
        for part in c["text"].split("\n"):
            assert collapse(part) in md, (c["path"], part)
        for col, val in c.get("cells", {}).items():
            assert val in md_cells, (c["path"], col, val)


def test_tree_is_consistent(fx):
    _, exp = fx
    paths = [c["path"] for c in exp["clauses"]]
    assert len(paths) == len(set(paths))
    seen = set()
    for c in exp["clauses"]:
        assert c["parent"] is None or c["parent"] in seen, c["path"]
        seen.add(c["path"])
    for t in exp["tasks"]:
        assert t["source"] in seen
        src = next(c for c in exp["clauses"] if c["path"] == t["source"])
        hay = src["text"] + " " + " ".join(src.get("cells", {}).values())
        if t.get("lead_in"):
            hay += " " + next(c["text"] for c in exp["clauses"] if c["path"] == t["lead_in"])
        for agency in t["lead"] + t["coordinators"]:
            assert agency in hay, (t["source"], agency)
        if t["deadline"]:
            assert t["deadline"] in hay, (t["source"], t["deadline"])
    for nt in exp.get("non_tasks", []):
        assert nt["source"] in seen


# ---------------------------------------------------------------- PDF


def test_pdf_text_layer(fx):
    name, exp = fx
    reader, pages = pypdf_pages(name)
    assert len(pages) == exp["document"]["pdf_pages"]
    for i, text in enumerate(pages, 1):
        assert len(text.strip()) > 50, f"page {i} has no text"
        assert unicodedata.is_normalized("NFC", text), f"page {i} not NFC"
        assert "\ufffd" not in text and "\x00" not in text
    first = pages[0]
    for s in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              exp["document"]["number_as_written"], exp["document"]["date_as_written"]):
        assert squash(s) in squash(first), s
    assert squash(MARKER) in squash(first)
    assert reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.year == 2025


def test_pdf_page_numbers_from_page_2(fx):
    name, _ = fx
    _, pages = pypdf_pages(name)
    assert not pages[0].lstrip().startswith("1\n")
    for i, text in enumerate(pages[1:], 2):
        assert text.strip().splitlines()[0].strip() == str(i), f"page {i}"


def test_pdf_clause_pages(fx):
    """Body clauses start on their stated page (and end on page_end)."""
    name, exp = fx
    _, pages = pypdf_pages(name)
    sq = [squash(p) for p in pages]
    for c in exp["clauses"]:
        if c["kind"] in ("appendix_row", "appendix_group"):
            continue
        t = squash(c["text"])
        assert t[:30] in sq[c["page"] - 1], (c["path"], c["page"])
        end = c.get("page_end", c["page"])
        assert t[-20:] in sq[end - 1], (c["path"], end)
        if end == c["page"]:
            assert t in sq[c["page"] - 1], c["path"]


def test_pdf_appendix_table(fx):
    name, exp = fx
    rows = [c for c in exp["clauses"] if c["kind"] in ("appendix_row", "appendix_group")]
    pages = plumber_tables(name)
    if not rows:
        assert not any(land for land, _ in pages)
        assert all(not tables for _, tables in pages)
        return
    landscape = [i for i, (land, _) in enumerate(pages, 1) if land]
    assert landscape == exp["document"]["pdf_pages_detail"]["landscape"]
    body = {}  # page -> list of body rows
    for pno in landscape:
        tables = pages[pno - 1][1]
        assert len(tables) == 1, f"page {pno}: {len(tables)} tables"
        t = tables[0]
        assert all(len(r) == 7 for r in t)
        header = [[collapse(c) if c is not None else None for c in r] for r in t[:2]]
        assert header == PL_HEADER, f"page {pno}: header not repeated / merged: {header}"
        body[pno] = t[2:]
    for c in rows:
        p0, p1 = c["page"], c.get("page_end", c["page"])
        if c["kind"] == "appendix_group":
            hit = [r for r in body[p0] if squash(r[0]) == squash(f"{c['marker']} {c['text']}")]
            assert hit, c["path"]
            continue
        start = [r for r in body[p0] if squash(r[0]) == c["marker"]]
        assert len(start) == 1, (c["path"], p0)
        got = squash(start[0][1])
        if p1 != p0:
            # split row: it is the last row on its page, and continues (STT empty) at the top of the next
            assert body[p0][-1] is start[0], c["path"]
            cont = body[p1][0]
            assert squash(cont[0]) == "", (c["path"], cont)
            assert any(squash(x) for x in cont[1:]), c["path"]
            got += squash(cont[1])
            joined = [squash(a) + squash(b) for a, b in zip(start[0], cont)]
            for k, col in enumerate(exp["appendix_columns"][1:], 1):
                assert joined[k] == squash(c["cells"][col]), (c["path"], col)
        assert got == squash(c["text"]), c["path"]
    # at least one row really is split over a page break
    assert any("page_end" in c for c in rows if c["kind"] == "appendix_row")


# ---------------------------------------------------------------- DOCX


def test_docx_structure(fx):
    docx = pytest.importorskip("docx")
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    name, exp = fx
    d = docx.Document(str(FIXTURES / f"{name}.docx"))
    assert d.core_properties.created.year == 2025
    text = collapse(" ".join(p.text for p in d.paragraphs))
    cell_text = collapse(" ".join(c.text for t in d.tables for r in t.rows for c in r.cells))
    assert MARKER in text
    for c in exp["clauses"]:
        if c["kind"] in ("appendix_row", "appendix_group"):
            continue
        for part in c["text"].split("\n"):
            assert collapse(part) in text, (c["path"], part)
    # header block: borderless two-column table with the number
    assert exp["document"]["number_as_written"] in cell_text
    # page number field in the header, none on page 1
    s0 = d.sections[0]
    assert s0.different_first_page_header_footer
    assert "PAGE" in s0.header._element.xml
    rows = [c for c in exp["clauses"] if c["kind"] == "appendix_row"]
    if not rows:
        assert len(d.sections) == 1
        return
    assert d.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert d.sections[0].orientation == WD_ORIENT.PORTRAIT
    t = d.tables[-1]
    xml = t._tbl.xml
    assert xml.count("<w:gridSpan ") >= 2 + len([c for c in exp["clauses"] if c["kind"] == "appendix_group"])
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml
    trs = t._tbl.findall(qn("w:tr"))
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in trs[:2])
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for tr in trs[2:])
    r0, r1 = t.rows[0].cells, t.rows[1].cells
    assert r0[2]._tc is r0[3]._tc and r0[4]._tc is r0[5]._tc  # horizontal merges
    assert [c.text for c in r1] == ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành", "Sản phẩm"]
    by_stt = {r.cells[0].text: r for r in t.rows[2:]}
    for c in rows:
        cells = [x.text for x in by_stt[c["marker"]].cells]
        assert cells == [c["cells"][col] for col in exp["appendix_columns"]], c["path"]


# ---------------------------------------------------------------- rebuild


def test_rebuild_is_byte_identical(tmp_path):
    pytest.importorskip("fpdf")
    pytest.importorskip("docx")
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").exists():
        pytest.skip("DejaVu fonts not installed")
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(FIXTURES))
    for name in NAMES:
        for path in make_fixtures.build(name, tmp_path):
            assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name
