"""Tests for ingest.loaders.docx.

All document text used here is SYNTHETIC test material: either the invented fixture set
(binh-son-214-KH-UBND, "Văn bản mẫu tự soạn để kiểm thử phần mềm - không phải văn bản thật")
or short made-up strings marked "(mẫu)" built inside the tests. Nothing is taken from a real
legal document.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
import tracuu.ingest.loaders.docx as docx_loader
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from tracuu.ingest.errors import IngestError
from tracuu.ingest.loaders.docx import load_docx
from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.vntext import collapse_spaces

STEM = "binh-son-214-KH-UBND"
_ROOT = Path(__file__).resolve().parent.parent


def _fixture_dir() -> Path | None:
    """The synthetic fixture set: tests/fixtures or ../shared/fixtures (conftest.SHARED_FIXTURES)."""
    from conftest import SHARED_FIXTURES

    candidates = [
        Path(os.environ["TRACUU_FIXTURES"]) if os.environ.get("TRACUU_FIXTURES") else None,
        _ROOT / "tests" / "fixtures",
        SHARED_FIXTURES,
    ]
    for c in candidates:
        if c is not None and (c / f"{STEM}.docx").is_file():
            return c
    return None


FIXTURES = _fixture_dir()
needs_fixture = pytest.mark.skipif(FIXTURES is None, reason="../shared absent (fresh clone): synthetic fixture set not found")


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def assert_offsets_exact(source: SourceText) -> None:
    """Every non-space char of a block, and every non-space non-\\n char of a cell, is in the source."""
    for b in source.blocks:
        assert len(b.text) == len(b.offsets), b.text
        assert b.text == b.text.strip() and "  " not in b.text
        for ch, off in zip(b.text, b.offsets):
            if ch != " ":
                assert source.text[off] == ch, (b.text, ch, off)
            else:
                assert source.text[off].isspace()
        for cell in b.cells:
            assert len(cell.text) == len(cell.offsets), cell.text
            for ch, off in zip(cell.text, cell.offsets):
                if ch == "\n" or ch == " ":
                    assert source.text[off].isspace(), (cell.text, off)
                else:
                    assert source.text[off] == ch, (cell.text, ch, off)


def _strip_md(line: str) -> str:
    line = re.sub(r"^(#{1,2}|>)\s+", "", line)
    return collapse_spaces(line.replace("**", "").replace("*", ""))


def _md_sections() -> dict[str, list[str]]:
    """The .md source cut into: body lines (title .. before ::: sign) and appendix lines before the table."""
    lines = (FIXTURES / f"{STEM}.md").read_text(encoding="utf-8").splitlines()
    body: list[str] = []
    appendix: list[str] = []
    state = "pre"
    in_comment = False
    for raw in lines:
        line = raw.strip()
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if state == "pre" and line.startswith("# "):
            state = "body"
        elif state == "body" and line.startswith("::: sign"):
            state = "sign"
            continue
        elif state == "sign" and line == ":::":
            state = "appendix"
            continue
        if line.startswith("|") and state == "appendix":
            break
        if not line or line == "---" or line.startswith(":::"):
            continue
        if state == "body":
            body.append(_strip_md(line))
        elif state == "appendix":
            appendix.append(_strip_md(line))
    return {"body": body, "appendix": appendix}


@pytest.fixture(scope="module")
def fixture_source() -> SourceText:
    return load_docx(FIXTURES / f"{STEM}.docx")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURES / f"{STEM}.expected.json").read_text(encoding="utf-8"))


def _runs_of(blocks: list[Block], layout: bool) -> list[list[Block]]:
    """Consecutive para blocks grouped by their layout flag."""
    groups: list[list[Block]] = []
    prev: bool | None = None
    for b in blocks:
        if b.kind != "para":
            prev = None
            continue
        if b.layout != prev:
            groups.append([])
            prev = b.layout
        groups[-1].append(b)
    return [g for g in groups if g[0].layout == layout]


# ---------------------------------------------------------------------------------------------
# the fixture document
# ---------------------------------------------------------------------------------------------


@needs_fixture
def test_fixture_basics(fixture_source: SourceText) -> None:
    s = fixture_source
    assert s.kind == "docx"
    assert s.text == unicodedata.normalize("NFC", s.text)
    assert s.tables == 1
    assert s.page_starts[0] == 0
    assert all(a < b for a, b in zip(s.page_starts, s.page_starts[1:]))
    assert s.warnings == []


@needs_fixture
def test_fixture_offsets_are_exact(fixture_source: SourceText) -> None:
    assert_offsets_exact(fixture_source)


@needs_fixture
def test_fixture_header_layout_blocks(fixture_source: SourceText) -> None:
    head = [b.text for b in fixture_source.blocks[:6]]
    assert head == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH BÌNH SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 214/KH-UBND",
        "Bình Sơn, ngày 12 tháng 9 năm 2025",
    ]
    assert all(b.layout and b.kind == "para" for b in fixture_source.blocks[:6])
    assert not fixture_source.blocks[6].layout


@needs_fixture
def test_fixture_body_equals_md_source(fixture_source: SourceText) -> None:
    body_groups = _runs_of(fixture_source.blocks, layout=False)
    body = [b.text for b in body_groups[0]]
    assert body == _md_sections()["body"]
    assert body[0] == "KẾ HOẠCH"


@needs_fixture
def test_fixture_signature_layout_blocks(fixture_source: SourceText, expected: dict) -> None:
    layout_groups = _runs_of(fixture_source.blocks, layout=True)
    assert len(layout_groups) == 2
    sign = [b.text for b in layout_groups[1]]
    assert sign == [expected["recipients_heading"], *expected["recipients_as_written"], *expected["signature"]]


@needs_fixture
def test_fixture_appendix_heading_paragraphs(fixture_source: SourceText) -> None:
    after_sign = _runs_of(fixture_source.blocks, layout=False)[1]
    assert [b.text for b in after_sign] == _md_sections()["appendix"]


@needs_fixture
def test_fixture_appendix_rows(fixture_source: SourceText, expected: dict) -> None:
    rows = [b for b in fixture_source.blocks if b.kind == "table_row"]
    assert len(rows) == 1 + 3 + 12
    assert all(r.table_index == 0 and not r.layout for r in rows)

    header, *body = rows
    columns = expected["appendix_columns"]
    assert header.header_row
    assert [c.text for c in header.cells] == columns
    assert not any(r.header_row for r in body)

    clauses = {c["path"]: c for c in expected["clauses"]}
    groups = [r for r in body if len(r.cells) == 1]
    assert [g.cells[0].text for g in groups] == [
        f"{clauses[p]['marker']} {clauses[p]['text']}" for p in ("PL.I", "PL.II", "PL.III")
    ]
    assert all(g.cells[0].col_span == len(columns) for g in groups)

    tasks = [r for r in body if len(r.cells) > 1]
    assert len(tasks) == 12
    for n, row in enumerate(tasks, start=1):
        assert all(c.col_span == 1 for c in row.cells)
        assert dict(zip(columns, (c.text for c in row.cells))) == clauses[f"PL.{n}"]["cells"]


@needs_fixture
def test_fixture_rows_are_single_source_lines(fixture_source: SourceText) -> None:
    s = fixture_source
    for row in (b for b in s.blocks if b.kind == "table_row"):
        line = s.text[row.start : row.end]
        assert "\n" not in line
        assert row.text == collapse_spaces(line)
        # a "\n" inside a cell points at the space that joins the cell's paragraphs
        for cell in row.cells:
            for ch, off in zip(cell.text, cell.offsets):
                if ch == "\n":
                    assert s.text[off] == " "
    assert "Các sở, ban, ngành tỉnh; UBND các xã, phường | Ủy ban MTTQ" in s.text


@needs_fixture
def test_fixture_pages_roughly_match_pdf(fixture_source: SourceText, expected: dict) -> None:
    """Pages are estimated for this file (no rendered breaks): within one page of the PDF."""
    s = fixture_source
    assert abs(len(s.page_starts) - expected["document"]["pdf_pages"]) <= 1
    by_text = {}
    for b in s.blocks:
        key = b.cells[1].text if b.kind == "table_row" and len(b.cells) > 1 else b.text
        by_text.setdefault(key, b)
    misses = 0
    for clause in expected["clauses"]:
        block = next(
            (b for t, b in by_text.items() if clause["text60"] in t),
            None,
        )
        assert block is not None, clause["path"]
        assert abs(block.page - clause["page"]) <= 1, (clause["path"], block.page, clause["page"])
        misses += block.page != clause["page"]
    assert misses <= len(expected["clauses"]) // 10
    # the appendix sits in its own (landscape) section: it must start a page
    appendix = next(b for b in s.blocks if b.text == "PHỤ LỤC")
    assert appendix.start in s.page_starts


# ---------------------------------------------------------------------------------------------
# synthetic documents built here
# ---------------------------------------------------------------------------------------------


def _merged_table_doc(path: Path) -> None:
    """A made-up plan table: two header rows, "Thời gian" spanning "Bắt đầu | Kết thúc",
    "Nội dung" merged vertically over two task rows. SYNTHETIC TEXT."""
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH MẪU (mẫu, không phải văn bản thật)")
    p = doc.add_paragraph("Dòng một (mẫu)")
    p.runs[0].add_break()  # soft line break inside a body paragraph
    p.add_run("dòng  hai (mẫu)")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    t = table.cell
    stt = t(0, 0).merge(t(1, 0))
    stt.text = "STT"
    content = t(0, 1).merge(t(1, 1))
    content.text = "Nội dung"
    when = t(0, 2).merge(t(0, 3))
    when.text = "Thời gian"
    t(1, 2).text = "Bắt đầu"
    t(1, 3).text = "Kết thúc"
    t(2, 0).text = "1"
    task = t(2, 1).merge(t(3, 1))
    task.text = "Việc A (mẫu)"
    task.add_paragraph("Việc A, phần hai (mẫu)")
    t(2, 2).text = "01/2025"
    t(2, 3).text = "06/2025"
    t(3, 0).text = "2"
    t(3, 2).text = "07/2025"
    cell = t(3, 3)
    cell.text = "Tháng 12"
    cell.paragraphs[0].runs[0].add_break()
    cell.paragraphs[0].add_run("năm 2025")
    doc.add_paragraph("Đoạn cuối (mẫu).")
    doc.save(str(path))


def test_synthetic_merged_table(tmp_path: Path) -> None:
    path = tmp_path / "merged.docx"
    _merged_table_doc(path)
    s = load_docx(path)
    assert_offsets_exact(s)
    assert s.tables == 1

    paras = [b for b in s.blocks if b.kind == "para"]
    assert [b.text for b in paras] == [
        "KẾ HOẠCH MẪU (mẫu, không phải văn bản thật)",
        "Dòng một (mẫu) dòng hai (mẫu)",  # soft break read as a space, double space collapsed
        "Đoạn cuối (mẫu).",
    ]
    assert not any(b.layout for b in paras)

    rows = [b for b in s.blocks if b.kind == "table_row"]
    assert len(rows) == 4
    cells = [[(c.text, c.col_span) for c in r.cells] for r in rows]
    assert cells[0] == [("STT", 1), ("Nội dung", 1), ("Thời gian", 2)]
    assert cells[1] == [("", 1), ("", 1), ("Bắt đầu", 1), ("Kết thúc", 1)]  # vMerge continuations empty
    assert cells[2] == [
        ("1", 1),
        ("Việc A (mẫu)\nViệc A, phần hai (mẫu)", 1),
        ("01/2025", 1),
        ("06/2025", 1),
    ]
    assert cells[3] == [("2", 1), ("", 1), ("07/2025", 1), ("Tháng 12\nnăm 2025", 1)]
    assert [r.header_row for r in rows] == [True, True, False, False]
    assert rows[0].text == "STT | Nội dung | Thời gian"
    assert rows[2].text == "1 | Việc A (mẫu) Việc A, phần hai (mẫu) | 01/2025 | 06/2025"
    assert rows[3].text == "2 | | 07/2025 | Tháng 12 năm 2025"
    assert any("vMerge" in w for w in s.warnings)
    # each row is one line of the source text
    for r in rows:
        assert "\n" not in s.text[r.start : r.end]


def test_synthetic_layout_table_reading_order(tmp_path: Path) -> None:
    """A borderless two-column table reads left cell then right cell, row by row. SYNTHETIC."""
    doc = Document()
    table = doc.add_table(rows=2, cols=2)  # no style: Word's borderless "Normal Table"
    table.cell(0, 0).text = "CƠ QUAN MẪU"
    table.cell(0, 0).add_paragraph("ĐƠN VỊ MẪU")
    left = table.cell(0, 1).paragraphs[0]
    left.add_run("QUỐC HIỆU MẪU")
    left.runs[0].add_break()  # in a layout cell, a soft break starts a new block
    left.add_run("Tiêu ngữ mẫu")
    table.cell(1, 0).text = "Số: 1/KH-MAU"
    table.cell(1, 1).text = "Nơi mẫu, ngày 1 tháng 1 năm 2025"
    doc.add_paragraph("Nội dung (mẫu).")
    path = tmp_path / "layout.docx"
    doc.save(str(path))

    s = load_docx(path)
    assert_offsets_exact(s)
    assert s.tables == 0
    assert [(b.text, b.layout) for b in s.blocks] == [
        ("CƠ QUAN MẪU", True),
        ("ĐƠN VỊ MẪU", True),
        ("QUỐC HIỆU MẪU", True),
        ("Tiêu ngữ mẫu", True),
        ("Số: 1/KH-MAU", True),
        ("Nơi mẫu, ngày 1 tháng 1 năm 2025", True),
        ("Nội dung (mẫu).", False),
    ]


def test_borderless_table_with_stt_header_is_data(tmp_path: Path) -> None:
    """Shape beats borders: a borderless table whose first row names columns is still data."""
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    table.cell(0, 1).text = "Nội dung"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Việc mẫu"
    path = tmp_path / "stt.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert s.tables == 1
    rows = [b for b in s.blocks if b.kind == "table_row"]
    assert [r.header_row for r in rows] == [True, False]
    assert [c.text for c in rows[1].cells] == ["1", "Việc mẫu"]


def test_borderless_single_column_table_is_body_text(tmp_path: Path) -> None:
    """Some generators frame the whole text in a one-column borderless table. SYNTHETIC."""
    doc = Document()
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "I. MỤC ĐÍCH (mẫu)"
    table.cell(0, 0).add_paragraph("1. Nội dung mẫu.")
    path = tmp_path / "frame.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert s.tables == 0
    assert [(b.kind, b.text, b.layout) for b in s.blocks] == [
        ("para", "I. MỤC ĐÍCH (mẫu)", False),
        ("para", "1. Nội dung mẫu.", False),
    ]


def test_explicit_page_breaks(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Trang một (mẫu).")
    p = doc.add_paragraph("Cuối trang một (mẫu).")
    p.runs[0].add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Trang hai (mẫu).")
    q = doc.add_paragraph("Trước ngắt (mẫu)")
    q.runs[0].add_break(WD_BREAK.PAGE)
    q.add_run("sau ngắt (mẫu)")
    path = tmp_path / "breaks.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert_offsets_exact(s)
    assert len(s.page_starts) == 3
    pages = {b.text: (b.page, b.page_end) for b in s.blocks}
    assert pages["Trang một (mẫu)."] == (1, 1)
    assert pages["Cuối trang một (mẫu)."] == (1, 1)
    assert pages["Trang hai (mẫu)."] == (2, 2)
    assert pages["Trước ngắt (mẫu)sau ngắt (mẫu)"] == (2, 3)
    assert s.text[s.page_starts[2] :].startswith("sau ngắt")


def test_rendered_page_breaks_are_trusted(tmp_path: Path) -> None:
    """When Word left lastRenderedPageBreak marks, those alone decide the pages."""
    doc = Document()
    for i in range(4):
        doc.add_paragraph(f"Đoạn {i} (mẫu).")
    mark = OxmlElement("w:lastRenderedPageBreak")
    doc.paragraphs[2].runs[0]._r.insert(0, mark)
    path = tmp_path / "rendered.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert [b.page for b in s.blocks] == [1, 1, 2, 2]


def test_section_break_starts_a_page(tmp_path: Path) -> None:
    from docx.enum.section import WD_SECTION

    doc = Document()
    doc.add_paragraph("Phần một (mẫu).")
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_paragraph("Phần hai (mẫu).")
    path = tmp_path / "sections.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert [(b.text, b.page) for b in s.blocks] == [("Phần một (mẫu).", 1), ("Phần hai (mẫu).", 2)]


def test_nfc_across_runs(tmp_path: Path) -> None:
    """A base letter and its combining mark in different runs still come out NFC."""
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("Vie\u0302")  # ê decomposed, split across runs with the tone mark
    p.add_run("\u0323t Nam (mẫu)")
    path = tmp_path / "nfd.docx"
    doc.save(str(path))
    s = load_docx(path)
    assert s.blocks[0].text == "Việt Nam (mẫu)"
    assert_offsets_exact(s)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def _assert_bilingual(err: IngestError) -> None:
    assert err.vi and err.en and err.vi != err.en
    assert any(ch in err.vi for ch in "ệảôơưđạ"), err.vi  # the Vietnamese message has diacritics


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(IngestError) as e:
        load_docx(path)
    _assert_bilingual(e.value)


def test_text_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "note.docx"
    path.write_text("Đây là tệp văn bản thường (mẫu).\n", encoding="utf-8")
    with pytest.raises(IngestError) as e:
        load_docx(path)
    _assert_bilingual(e.value)
    assert "ZIP" in e.value.en
    assert e.value.code == "corrupt"


def test_old_doc_format(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(IngestError) as e:
        load_docx(path)
    assert ".doc" in e.value.en
    assert e.value.code == "unsupported_type"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as e:
        load_docx(tmp_path / "nope.docx")
    assert e.value.code == "not_found"


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "xin chào (mẫu)")
    with pytest.raises(IngestError) as e:
        load_docx(path)
    _assert_bilingual(e.value)
    assert "word/document.xml" in e.value.en


def test_zip_with_only_document_xml(tmp_path: Path) -> None:
    """word/document.xml alone (no content types, no relationships) is not a package."""
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(IngestError) as e:
        load_docx(path)
    _assert_bilingual(e.value)


def _rewrite_entry(src: Path, dst: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == name else zin.read(info.filename))


def _small_docx(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Một đoạn mẫu để thử tệp hỏng (mẫu). " * 20)
    doc.save(str(path))


def test_corrupt_xml(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    _small_docx(good)
    bad = tmp_path / "badxml.docx"
    _rewrite_entry(good, bad, "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(IngestError) as e:
        load_docx(bad)
    _assert_bilingual(e.value)


def test_corrupt_compressed_data(tmp_path: Path) -> None:
    """Bytes flipped inside the deflated body: zipfile's CRC/inflate check fails."""
    good = tmp_path / "good.docx"
    _small_docx(good)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("word/document.xml")
    # local header: 30 bytes + name + extra, then the compressed data
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 10, start + min(info.compress_size - 4, 200)):
        data[i] ^= 0x5A
    bad = tmp_path / "flipped.docx"
    bad.write_bytes(bytes(data))
    with pytest.raises(IngestError) as e:
        load_docx(bad)
    _assert_bilingual(e.value)


def test_truncated_zip(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    _small_docx(good)
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(IngestError):
        load_docx(bad)


def _stream_spaces(zf: zipfile.ZipFile, name: str, megabytes: int) -> None:
    chunk = b" " * (1 << 20)
    with zf.open(name, "w", force_zip64=True) as fh:
        for _ in range(megabytes):
            fh.write(chunk)


def test_zip_bomb_total_size(tmp_path: Path) -> None:
    """300 MB of spaces deflates to well under 1 MB; refused from the ZIP directory alone."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        _stream_spaces(zf, "word/document.xml", 300)
    assert path.stat().st_size < 5 * 2**20
    t0 = time.perf_counter()
    with pytest.raises(IngestError) as e:
        load_docx(path)
    assert time.perf_counter() - t0 < 1.0  # nothing was unpacked
    _assert_bilingual(e.value)
    assert "zip bomb" in e.value.en
    assert e.value.code == "too_large"


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    """12 MB of spaces: under the total limit, but an absurd ratio for word/document.xml."""
    path = tmp_path / "ratio.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        _stream_spaces(zf, "word/document.xml", 12)
    with pytest.raises(IngestError) as e:
        load_docx(path)
    assert "ratio" in e.value.en
    assert e.value.code == "too_large"


def test_total_limit_is_tunable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.docx"
    _small_docx(good)
    load_docx(good)  # fine with the default limit
    monkeypatch.setattr(docx_loader, "MAX_TOTAL_UNCOMPRESSED", 1000)
    with pytest.raises(IngestError):
        load_docx(good)


def test_empty_document(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("   ")
    doc.add_table(rows=1, cols=2)
    path = tmp_path / "empty.docx"
    doc.save(str(path))
    with pytest.raises(IngestError) as e:
        load_docx(path)
    _assert_bilingual(e.value)
    assert e.value.code == "empty"


@needs_fixture
def test_fixture_copy_with_other_name(tmp_path: Path) -> None:
    """The loader does not care about the file name (a .docx renamed .bin still loads)."""
    dst = tmp_path / "copy.bin"
    shutil.copy(FIXTURES / f"{STEM}.docx", dst)
    assert load_docx(dst).tables == 1
