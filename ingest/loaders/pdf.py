"""Load a PDF with a text layer into a :class:`~ingest.model.SourceText`, page by page.

What this loader does, and why:

* **Refuse what we cannot cite.** Encrypted PDFs (even with an empty user password), bytes that
  are not a readable PDF, and PDFs where no text can be read raise an
  :class:`~ingest.errors.IngestError` with a Vietnamese and an English message.
* **Scanned pages.** A page that shows an image but has no text layer is read by OCR
  (:mod:`ingest.loaders.ocr`: render, deskew, clean, Tesseract ``-l vie``); its lines then go
  through the same reflow as text lines, its blocks are marked ``ocr`` with a confidence, and
  ``SourceText.ocr_pages`` gives each such page's mean word confidence. Without tesseract and its
  Vietnamese model such a page is an error (code ``ocr_unavailable``) naming the packages to install.
* **One extraction per page.** A page without a ruled table is read with pypdf, whose line order
  keeps the two-column header block (issuer | quốc hiệu) readable. pypdf loses table columns, so a
  page where pdfplumber finds a ruled table (``page.find_tables()``) is read with pdfplumber alone:
  its text lines outside the tables and the table rows, merged in reading order (top to bottom).
* **Our own text.** ``SourceText.text`` is built here, NFC: each page's lines, one per line, pages
  separated by a form feed; each table row rendered on one line, cells separated by ``" | "``,
  so every cell is a contiguous substring. Paragraph blocks come from :mod:`ingest.reflow`; rows
  become ``table_row`` blocks with their :class:`~ingest.model.Cell` objects.
* **Page artefacts.** A lone page number as the first or last line of its page, a gazette's
  running header ("CÔNG BÁO/Số …/Ngày …", with its page number) and a digital-signature stamp
  ("Ký bởi: …" / "Cơ quan: …", the rules of :func:`ingest.reflow.gazette_furniture`) are kept in the
  text but listed in ``SourceText.dropped`` (and by kind in ``SourceText.furniture``) and left out
  of every block.
* **Tables across pages.** A table that starts a page right after a table that ended the previous
  page, with the same columns, continues it (same ``table_index``). Its first rows are marked
  ``header_row`` when they repeat the table's header, which may have two rows ("Thời gian thực
  hiện" merged over "Bắt đầu | Hoàn thành", see :func:`_continues_header`). A continuation row whose first cell (STT) is
  empty is merged into the previous row, which is then rendered once, where it started
  (``page``/``page_end`` tell the pages it covers).
* **Line breaks inside cells** (see :func:`_cell_separators`): a cell line ends with a kept
  ``"\\n"`` when the next line starts a new paragraph of the cell (the vertical gap is larger than
  the table's normal line pitch: Word/LibreOffice put paragraph spacing there), or when the next
  line's first word would have fitted on the previous line (so the author broke the line) and
  does not start in lowercase, or when the line ends a list item with ";" and the next one starts
  with a capital ("Các sở, ban, ngành tỉnh;" / "UBND các xã, phường": a break and a wrap look the
  same there, and the same rule joins a row split by a page break). Otherwise the line was wrapped
  by the layout and is joined with a space. In the source text the break is always a space (as in the .docx loader); the cell's
  ``"\\n"`` points at it. Limits: a hard break on a line that was full anyway and has no
  paragraph spacing is read as a wrap; centred cells are judged with a conservative width.
"""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
from tracuu.ingest import limits
from tracuu.ingest.errors import IngestError
from tracuu.ingest.loaders.budget import check_pdf_budget
from tracuu.ingest.loaders.files import read_source_bytes
from tracuu.ingest.model import Block, Cell, SourceText
from tracuu.ingest.reflow import (
    SourceLine,
    collapse_with_offsets,
    detect_double_spaced,
    full_line_length,
    gazette_furniture,
    page_number_of,
    reflow,
    split_lines,
)
from tracuu.ingest.vntext import collapse_spaces, nfc

__all__ = ["load_pdf"]

CELL_SEP = " | "
PAGE_SEP = "\f"
_STT_NAMES = {"stt", "tt", "số tt", "số thứ tự"}


# --- extracted items ------------------------------------------------------------------------------


@dataclass
class _Line:
    """A text line outside tables (or a whole pypdf line), with its vertical position."""

    text: str
    top: float
    dropped: bool = False
    furniture: str = ""  # why it was dropped: "page_number", "page_header", "signature_stamp"


@dataclass
class _CellText:
    """A table cell's lines and what joins each line to the next (" " wrap, "\\n" kept break)."""

    lines: list[str]
    seps: list[str]
    col_span: int = 1

    @property
    def text(self) -> str:
        out = self.lines[0] if self.lines else ""
        for sep, line in zip(self.seps, self.lines[1:]):
            out += sep + line
        return out

    def extend(self, other: "_CellText") -> None:
        """Append a continuation (a row split by a page break); the join is judged from the text."""
        if not other.lines:
            return
        if self.lines:
            prev, nxt = self.lines[-1], other.lines[0]
            keep = prev.rstrip().endswith(";") and nxt[:1].isupper()
            self.seps.append("\n" if keep else " ")
        self.lines.extend(other.lines)
        self.seps.extend(other.seps)


@dataclass
class _Row:
    cells: list[_CellText]  # in column order; merged (spanned) positions are not repeated
    top: float
    page: int
    ncols: int
    edges: tuple[float, ...]  # column boundaries, left to right
    bold: bool
    first: bool  # first row of its pdfplumber table on this page
    header: bool = False
    table_index: int = -1
    page_end: int = 0

    def texts(self) -> list[str]:
        return [collapse_spaces(c.text) for c in self.cells]

    @property
    def is_group(self) -> bool:
        return len(self.cells) == 1 and self.cells[0].col_span > 1


_Item = _Line | _Row


# --- errors -------------------------------------------------------------------------------------


def _out_of_memory(err: BaseException) -> bool:
    """Was this (pdfminer wraps what it meets) really the memory limit? Then it must not read
    as "corrupt": the worker reports the limit instead."""
    seen = 0
    while err is not None and seen < 10:
        if isinstance(err, MemoryError):
            return True
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
        seen += 1
    return False


def _corrupt(name: str, detail: str) -> IngestError:
    return IngestError(
        f"Tệp PDF '{name}' bị hỏng hoặc không phải PDF ({detail}).",
        f"PDF file '{name}' is corrupt or not a PDF ({detail}).",
        code="corrupt",
    )


def _open(data: bytes, name: str) -> pypdf.PdfReader:
    if not data.strip():
        raise IngestError(f"Tệp PDF '{name}' trống.", f"PDF file '{name}' is empty.", code="empty")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as err:  # pypdf raises many types for broken files
        if _out_of_memory(err):
            raise MemoryError from err
        raise _corrupt(name, type(err).__name__) from None
    if encrypted:
        raise IngestError(
            f"Tệp PDF '{name}' được mã hóa (có mật khẩu hoặc bị khóa quyền); hãy gỡ mã hóa rồi nạp lại.",
            f"PDF file '{name}' is encrypted (password or permissions); remove the encryption and try again.",
            code="encrypted",
        )
    try:
        if len(reader.pages) == 0:
            raise _corrupt(name, "no pages")
    except IngestError:
        raise
    except Exception as err:
        if _out_of_memory(err):
            raise MemoryError from err
        raise _corrupt(name, type(err).__name__) from None
    return reader


# --- page extraction ------------------------------------------------------------------------------


def _pypdf_lines(page: Any) -> list[_Line]:
    text = nfc(page.extract_text() or "")
    return [_Line(s, float(i)) for i, (_, s, _) in enumerate(split_lines(text))]


def _center_in(obj: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _plumber_lines(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[_Line]:
    """Text lines outside the table boxes; a line with a wide gap is cut into its columns.

    Why the cut: pdfplumber reads a two-column header block (issuer | quốc hiệu) as one line per
    height; cutting at gaps wider than 2.5 em keeps each column's words together.
    """
    outside = page.filter(lambda o: o.get("object_type") != "char" or not any(_center_in(o, b) for b in boxes))
    out: list[_Line] = []
    for ln in outside.extract_text_lines(strip=True, return_chars=True):
        for part in _split_columns(ln["chars"]):
            text = pdfplumber.utils.extract_text(part).strip() if len(part) < len(ln["chars"]) else ln["text"]
            if text:
                out.append(_Line(nfc(text), float(ln["top"])))
    return out


def _split_columns(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    parts: list[list[dict[str, Any]]] = [[]]
    last: dict[str, Any] | None = None
    for ch in chars:
        if ch["text"].isspace():
            parts[-1].append(ch)
            continue
        if last is not None and ch["x0"] - last["x1"] > 2.5 * max(ch.get("size", 10.0), 1.0):
            parts.append([])
        parts[-1].append(ch)
        last = ch
    return [p for p in parts if p]


def _is_data_table(table: Any) -> bool:
    rows = table.rows
    return len(rows) >= 2 and max(len(r.cells) for r in rows) >= 2


def _edges(table: Any) -> list[float]:
    xs: list[float] = []
    for row in table.rows:
        for c in row.cells:
            if c is None:
                continue
            for x in (c[0], c[2]):
                if all(abs(x - e) > 1.0 for e in xs):
                    xs.append(x)
    return sorted(xs)


def _cell_lines(page: Any, bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    inside = page.filter(lambda o: o.get("object_type") == "char" and _center_in(o, bbox))
    return [ln for ln in inside.extract_text_lines(strip=True, return_chars=True) if ln["text"].strip()]


@dataclass
class _Geometry:
    """Per-table measures for the line-break heuristic."""

    pitch: float  # normal baseline-to-baseline distance inside a cell paragraph
    space: float  # width of a space
    pads: dict[int, float] = field(default_factory=dict)  # left padding per column


def _first_word_width(chars: list[dict[str, Any]], gap: float) -> float:
    end = chars[0]["x1"]
    for a, b in zip(chars, chars[1:]):
        if b["x0"] - a["x1"] > gap or b["text"].isspace():
            break
        end = b["x1"]
    return end - chars[0]["x0"]


def _size(line: dict[str, Any]) -> float:
    sizes = [c.get("size", 0.0) for c in line["chars"]]
    return statistics.median(sizes) if sizes else 10.0


def _measure(cells: list[tuple[int, tuple[float, float, float, float], list[dict[str, Any]]]]) -> _Geometry:
    pitches: list[float] = []
    gaps: list[float] = []
    pads: dict[int, float] = {}
    for col, bbox, lines in cells:
        for ln in lines:
            pads[col] = min(pads.get(col, 1e9), max(0.0, ln["x0"] - bbox[0]))
            size = _size(ln)
            chars = [c for c in ln["chars"] if not c["text"].isspace()]
            for a, b in zip(chars, chars[1:]):
                g = b["x0"] - a["x1"]
                if g > 0.15 * size:
                    gaps.append(g)
        for a, b in zip(lines, lines[1:]):
            pitches.append(b["top"] - a["top"])
    sizes = [_size(ln) for _, _, lines in cells for ln in lines]
    size = statistics.median(sizes) if sizes else 12.0
    pitch = min(pitches) if pitches else 0.0
    space = statistics.median(gaps) if gaps else 0.25 * size
    return _Geometry(pitch=pitch, space=space, pads=pads)


def _cell_separators(lines: list[dict[str, Any]], bbox: tuple[float, float, float, float], col: int, geo: _Geometry) -> list[str]:
    """For each pair of consecutive lines in a cell: "\\n" (kept break) or " " (layout wrap)."""
    seps: list[str] = []
    pad = geo.pads.get(col, 0.0)
    usable = (bbox[2] - bbox[0]) - 2 * pad
    for prev, nxt in zip(lines, lines[1:]):
        size = _size(prev)
        extra = (nxt["top"] - prev["top"]) - geo.pitch
        if geo.pitch and extra > max(1.0, 0.07 * size):
            seps.append("\n")
            continue
        chars = [c for c in nxt["chars"] if not c["text"].isspace()]
        word = _first_word_width(chars, 0.15 * size) if chars else 0.0
        fits = (prev["x1"] - prev["x0"]) + geo.space + word <= usable - 1.0
        starts_lower = nxt["text"].lstrip()[:1].islower()
        listed = prev["text"].rstrip().endswith(";") and nxt["text"].lstrip()[:1].isupper()
        seps.append("\n" if (fits and not starts_lower) or listed else " ")
    return seps


def _table_rows(page: Any, table: Any, pageno: int) -> list[_Row]:
    """The rows of one pdfplumber table: cells in column order with spans, lines and line breaks."""
    edges = _edges(table)
    ncols = max(1, len(edges) - 1)
    raw: list[tuple[Any, list[tuple[int, int, tuple[float, float, float, float] | None]]]] = []
    measured: list[tuple[int, tuple[float, float, float, float], list[dict[str, Any]]]] = []
    lines_of: dict[tuple[float, ...], list[dict[str, Any]]] = {}
    for row in table.rows:
        slots: list[tuple[int, int, tuple[float, float, float, float] | None]] = []
        covered_until = 0
        for c in row.cells:
            if c is None:
                continue
            col = _col_index(edges, c[0])
            span = max(1, _col_index(edges, c[2]) - col)
            while covered_until < col:  # a vertically merged position: keep the column, empty
                slots.append((covered_until, 1, None))
                covered_until += 1
            slots.append((col, span, tuple(c)))
            covered_until = col + span
            lines = _cell_lines(page, tuple(c))
            lines_of[tuple(c)] = lines
            measured.append((col, tuple(c), lines))
        while covered_until < ncols:
            slots.append((covered_until, 1, None))
            covered_until += 1
        raw.append((row, slots))
    geo = _measure(measured)
    rows: list[_Row] = []
    for row, slots in raw:
        cells: list[_CellText] = []
        bold = True
        any_chars = False
        for col, span, bbox in slots:
            if bbox is None:
                cells.append(_CellText([], [], 1))
                continue
            lines = lines_of[bbox]
            for ln in lines:
                for ch in ln["chars"]:
                    any_chars = True
                    bold = bold and "bold" in str(ch.get("fontname", "")).lower()
            texts = [collapse_spaces(nfc(ln["text"])) for ln in lines]
            cells.append(_CellText(texts, _cell_separators(lines, bbox, col, geo), span))
        if not any_chars:  # an empty ruled row carries nothing to cite
            continue
        rows.append(
            _Row(cells, float(row.bbox[1]), pageno, ncols, tuple(edges), bold, first=not rows, page_end=pageno)
        )
    return rows


def _col_index(edges: list[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def _page_items(reader_page: Any, plumber_page: Any, pageno: int, warnings: list[str]) -> list[_Item]:
    """Everything on one page, in reading order, from one extraction."""
    ruled = len(plumber_page.lines) + len(plumber_page.rects) + len(plumber_page.curves) >= 4
    tables = [t for t in plumber_page.find_tables() if _is_data_table(t)] if ruled else []
    items: list[_Item]
    if tables:
        boxes = [tuple(t.bbox) for t in tables]
        items = [*_plumber_lines(plumber_page, boxes)]
        for t in tables:
            items.extend(_table_rows(plumber_page, t, pageno))
        items.sort(key=lambda it: it.top)
    else:
        try:
            items = [*_pypdf_lines(reader_page)]
        except Exception as err:  # a page pypdf cannot read: take pdfplumber's text for it
            if _out_of_memory(err):
                raise
            warnings.append(
                f"Trang {pageno}: pypdf không đọc được ({type(err).__name__}), dùng pdfplumber. / "
                f"Page {pageno}: pypdf failed ({type(err).__name__}), used pdfplumber."
            )
            items = [*_plumber_lines(plumber_page, [])]
    _mark_page_number(items, pageno)
    _mark_gazette_furniture(items)
    return items


def _mark_gazette_furniture(items: list[_Item]) -> None:
    """A gazette's running header ("CÔNG BÁO/Số …/Ngày …") with its page number, and a digital
    signature stamp ("Ký bởi: …" / "Cơ quan: …"), are page furniture in a PDF as in its text dump:
    the same rules (:func:`ingest.reflow.gazette_furniture`) mark them dropped."""
    lines = [it for it in items if isinstance(it, _Line) and it.text.strip() and not it.dropped]
    for k, (kind, _opens) in gazette_furniture([it.text for it in lines]).items():
        lines[k].dropped = True
        lines[k].furniture = kind


def _mark_page_number(items: list[_Item], pageno: int) -> None:
    """Mark a lone page number that is the first or the last thing on its page."""
    seen = _visible(items)
    for cand in (seen[:1] + seen[-1:]) if seen else []:
        if isinstance(cand, _Line) and page_number_of(cand.text) == pageno:
            cand.dropped = True
            cand.furniture = "page_number"


def _visible(items: list[_Item]) -> list[_Item]:
    """Rows and non-blank lines that are not page artefacts."""
    return [it for it in items if isinstance(it, _Row) or (it.text.strip() and not it.dropped)]


# --- tables across pages ------------------------------------------------------------------------


def _looks_like_header(row: _Row) -> bool:
    texts = row.texts()
    if row.is_group or sum(1 for t in texts if t) < 2 or texts[0].isdigit():
        return False
    return texts[0].lower() in _STT_NAMES or row.bold


def _same_columns(a: _Row, b: _Row) -> bool:
    return a.ncols == b.ncols and all(abs(x - y) <= 3.0 for x, y in zip(a.edges, b.edges))


def _continues_header(prev: _Row, row: _Row) -> bool:
    """A second header row under a first one: "Thời gian thực hiện" over "Bắt đầu | Hoàn thành".

    The first row has a cell spanning several columns (its sub-columns must be named below it),
    and this row leaves the first column empty (STT is merged down from the row above) and names
    something, or it is printed in bold like the row above.
    """
    texts = row.texts()
    if row.is_group or len(texts) < 2 or texts[0] or not any(texts[1:]):
        return False
    return any(c.col_span > 1 for c in prev.cells) or (row.bold and prev.bold)


def _link_tables(pages: list[list[_Item]], warnings: list[str]) -> int:
    """Give rows their table index, mark header rows, merge rows split by a page break.

    A header may have several rows (see :func:`_continues_header`); on the following pages of the
    table, the rows at its top that repeat them are header rows too, whatever their first cell.
    Returns the number of distinct tables. Merged continuation rows are removed from ``pages``.
    """
    count = 0
    headers: dict[int, list[list[str]]] = {}
    prev_last: _Item | None = None  # last visible item of the previous page
    current: _Row | None = None  # last row kept
    for items in pages:
        visible = _visible(items)
        first_visible = visible[0] if visible else None
        keep: list[_Item] = []
        split_from: _Row | None = None  # the row a continuation on this page would extend
        head_run: list[_Row] = []  # the header rows just read at the top of this page's table
        repeated = False  # that table continues one from the previous page
        for it in items:
            if not isinstance(it, _Row):
                keep.append(it)
                continue
            if it.first:
                cont = it is first_visible and isinstance(prev_last, _Row) and _same_columns(prev_last, it)
                head_run = []
                if cont and current is not None:
                    it.table_index = current.table_index
                    known = headers.get(it.table_index) or []
                    it.header = bool(known) and it.texts() == known[0]
                    split_from = current
                    repeated = True
                else:
                    it.table_index = count
                    count += 1
                    it.header = _looks_like_header(it)
                    if it.header:
                        headers[it.table_index] = [it.texts()]
                    split_from = None
                    repeated = False
            else:
                if current is not None:
                    it.table_index = current.table_index
                if head_run:
                    known = headers.setdefault(it.table_index, [])
                    if repeated:
                        n = len(head_run)
                        it.header = n < len(known) and it.texts() == known[n]
                    elif len(head_run) == len(known) and _continues_header(head_run[-1], it):
                        it.header = True
                        known.append(it.texts())
            head_run = head_run + [it] if it.header else []
            if split_from is not None and not it.header:
                target, split_from = split_from, None
                if _is_continuation(it) and not target.is_group and not target.header:
                    for mine, more in zip(target.cells, it.cells):
                        mine.extend(more)
                    target.page_end = it.page
                    warnings.append(
                        f"Trang {it.page}: nối dòng bảng bị ngắt trang vào dòng trước. / "
                        f"Page {it.page}: merged a table row split by the page break into the previous row."
                    )
                    continue
            current = it
            keep.append(it)
        items[:] = keep
        visible = _visible(items)
        prev_last = visible[-1] if visible else prev_last
    return count


def _is_continuation(row: _Row) -> bool:
    texts = row.texts()
    return len(texts) > 1 and not texts[0] and any(texts[1:])


# --- rendering ----------------------------------------------------------------------------------


class _Writer:
    """Appends text and remembers where each piece starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, s: str) -> int:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _render_row(w: _Writer, row: _Row) -> Block:
    start = w.pos
    cells: list[Cell] = []
    pieces: list[str] = []
    pos = start
    for j, cell in enumerate(row.cells):
        if j:
            pieces.append(CELL_SEP)
            pos += len(CELL_SEP)
        chars: list[str] = []
        offs: list[int] = []
        for k, line in enumerate(cell.lines):
            if k:
                if chars:
                    chars.append(cell.seps[k - 1])
                    offs.append(pos)
                pieces.append(" ")
                pos += 1
            chars.extend(line)
            offs.extend(range(pos, pos + len(line)))
            pieces.append(line)
            pos += len(line)
        cells.append(Cell("".join(chars), tuple(offs), cell.col_span))
    rendered = "".join(pieces)
    w.add(rendered)
    w.add("\n")
    text, offsets = collapse_with_offsets((ch, start + i) for i, ch in enumerate(rendered))
    return Block(
        kind="table_row",
        text=text,
        offsets=offsets,
        page=row.page,
        page_end=row.page_end or row.page,
        cells=tuple(cells),
        table_index=row.table_index,
        header_row=row.header,
    )


def _render(pages: list[list[_Item]]) -> tuple[str, list[int], list[tuple[int, int]], list[list[SourceLine] | Block],
                                              list[list[Any]]]:
    w = _Writer()
    starts: list[int] = []
    dropped: list[tuple[int, int]] = []
    furniture: list[list[Any]] = []
    segments: list[list[SourceLine] | Block] = []
    run: list[SourceLine] = []
    for pageno, items in enumerate(pages, start=1):
        if pageno > 1:
            w.add(PAGE_SEP)
        starts.append(w.pos)
        for it in items:
            if isinstance(it, _Row):
                if run:
                    segments.append(run)
                    run = []
                segments.append(_render_row(w, it))
                continue
            start = w.add(it.text)
            w.add("\n")
            if it.dropped:
                dropped.append((start, start + len(it.text)))
                furniture.append([it.furniture or "page_number", start, start + len(it.text)])
            else:
                run.append(SourceLine(start, it.text, pageno))
    if run:
        segments.append(run)
    return w.text(), starts, dropped, segments, furniture


# --- entry point --------------------------------------------------------------------------------


def load_pdf(path: Path) -> SourceText:
    """Read a PDF's text layer page by page into paragraph and table-row blocks with exact offsets."""
    path = Path(path)
    data = read_source_bytes(path)
    reader = _open(data, path.name)
    check_pdf_budget(reader, path.name, limits.current())  # pages and operators, before any parsing
    warnings: list[str] = []
    pages: list[list[_Item]] = []
    imaged: dict[int, float] = {}  # pages that show an image -> share of the page it covers
    try:
        with pdfplumber.open(io.BytesIO(data)) as plumber:
            if len(plumber.pages) != len(reader.pages):
                raise _corrupt(path.name, "page count mismatch")
            for i, (rp, pp) in enumerate(zip(reader.pages, plumber.pages), start=1):
                pages.append(_page_items(rp, pp, i, warnings))
                if pp.images:
                    imaged[i] = _image_cover(pp)
                pp.close()  # drop the page's parsed objects: memory stays one page deep
    except IngestError:
        raise
    except Exception as err:
        if _out_of_memory(err):
            raise MemoryError from err
        raise _corrupt(path.name, type(err).__name__) from None
    ocr_lines, row_confidence = _ocr_scanned(data, path.name, pages, imaged, warnings)
    if not any(isinstance(it, _Row) or it.text.strip() for items in pages for it in items):
        raise IngestError(
            f"Tệp PDF '{path.name}' không có lớp chữ (có vẻ là bản scan/ảnh) và không đọc được chữ nào, "
            "kể cả bằng nhận dạng chữ (OCR).",
            f"PDF file '{path.name}' has no text layer (it looks scanned) and no text could be read from it, OCR included.",
            code="no_text",
        )
    empty = [i for i, items in enumerate(pages, start=1) if not any(isinstance(it, _Row) or it.text.strip() for it in items)]
    if empty:
        warnings.append(
            f"Các trang không có chữ (có thể là ảnh): {', '.join(map(str, empty))}. / "
            f"Pages without text (images?): {', '.join(map(str, empty))}."
        )
    tables = _link_tables(pages, warnings)
    text, starts, dropped, segments, furniture = _render(pages)
    lines = [ln for seg in segments if isinstance(seg, list) for ln in seg]
    double = detect_double_spaced(lines)
    full = full_line_length(lines)
    blocks: list[Block] = []
    for seg in segments:
        blocks.extend(reflow(seg, double_spaced=double, full_length=full) if isinstance(seg, list) else [seg])
    ocr_pages = {p: page.confidence for p, page in ocr_lines.items()}
    if ocr_pages:
        blocks = _mark_ocr(blocks, pages, starts, ocr_lines, row_confidence)
    return SourceText(
        text=text,
        kind="pdf",
        page_starts=starts,
        blocks=blocks,
        dropped=dropped,
        warnings=warnings,
        tables=tables,
        ocr_pages=ocr_pages,
        furniture=furniture,
    )


# --- scanned pages (OCR) --------------------------------------------------------------------------


def _ocr_scanned(
    data: bytes, name: str, pages: list[list[_Item]], imaged: dict[int, float], warnings: list[str]
) -> tuple[dict[int, Any], dict[int, float]]:
    """Read the pages that show an image but have no text layer with OCR (:mod:`ingest.loaders.ocr`).

    A page counts as scanned when it has an image and no text at all, or when an image covers at
    least half of it and its text layer holds no more than a page number (:data:`SCAN_TEXT_MAX`).

    Their lines replace the page's (empty) items, so the rest of the loader treats them like text
    lines. Without tesseract (or its Vietnamese model) this raises an IngestError that names
    the packages to install; text pages never need it. Returns ({page: OcrPage}, {id(row): confidence}).
    """
    scanned = []
    for i, items in enumerate(pages, start=1):
        if i not in imaged or any(isinstance(it, _Row) for it in items):
            continue
        chars = sum(len(it.text.strip()) for it in items if isinstance(it, _Line))
        # no text at all, or a scan with only a stamped page number / a few characters as text
        if chars == 0 or (chars <= SCAN_TEXT_MAX and imaged[i] >= SCAN_COVER):
            scanned.append(i)
    if not scanned:
        return {}, {}
    cap = limits.current().ocr_max_pages
    if len(scanned) > cap:
        raise limits.limit_error(
            "ocr_max_pages", cap, len(scanned),
            f"Tệp PDF '{name}': số trang scan cần nhận dạng chữ (OCR)",
            f"PDF file '{name}': scanned pages to read by OCR",
        )
    from tracuu.ingest.loaders.ocr import ocr_pdf_pages, require_ocr

    require_ocr(name, scanned)
    results = ocr_pdf_pages(data, scanned)
    row_confidence: dict[int, float] = {}  # id(_Row) -> mean confidence of its cells' words
    for p, res in results.items():
        rows: list[_Row] = []
        for table in res.tables:  # ruled tables: rows with cells, as a text page's tables
            ncols = max(1, len(table.edges) - 1)
            for k, row in enumerate(table.rows):
                cells = [_CellText(list(c.lines), list(c.seps), c.col_span) for c in row.cells]
                rows.append(_Row(cells, row.top, p, ncols, table.edges, False, first=k == 0, page_end=p))
                confs = [c.confidence for c in row.cells if c.confidence is not None]
                if confs:
                    row_confidence[id(rows[-1])] = statistics.fmean(confs)
        rows.sort(key=lambda r: r.top)
        items: list[_Item] = []
        for ln in res.lines:  # lines keep OCR's reading order (columns); rows go in by position
            while rows and rows[0].top < ln.top:
                items.append(rows.pop(0))
            items.append(_Line(ln.text, ln.top))
        items.extend(rows)
        _mark_page_number(items, p)
        pages[p - 1] = items
        warnings.append(
            f"Trang {p}: không có lớp chữ, đã nhận dạng chữ (OCR), độ tin cậy {res.confidence:.0f}/100; "
            f"hãy đối chiếu với bản gốc trước khi trích dẫn. / "
            f"Page {p}: no text layer, read by OCR, confidence {res.confidence:.0f}/100; "
            f"check against the original before quoting."
        )
    return results, row_confidence


SCAN_TEXT_MAX = 10  # a page whose text layer holds at most this many characters ...
SCAN_COVER = 0.5  # ... under an image covering at least this share of it is a scan


def _image_cover(page: Any) -> float:
    """The largest share of the page one image covers (0-1)."""
    area = float(page.width * page.height) or 1.0
    best = 0.0
    for im in page.images:
        w = max(0.0, min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0))
        h = max(0.0, min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0))
        best = max(best, w * h / area)
    return best


def _mark_ocr(
    blocks: list[Block], pages: list[list[_Item]], starts: list[int], ocr_lines: dict[int, Any], row_confidence: dict[int, float]
) -> list[Block]:
    """Flag the blocks read by OCR, with the mean confidence of the OCR lines (or row) they cover.

    The rendered text writes each page's lines one per line from the page start, so each OCR
    line's offset range is known without touching the renderer.
    """
    spans: list[tuple[int, int, float]] = []
    for p, res in ocr_lines.items():
        conf = {ln.text: ln.confidence for ln in res.lines}
        pos = starts[p - 1]
        for it in pages[p - 1]:  # as _render writes them: a line or a row, then "\n"
            if isinstance(it, _Line):
                spans.append((pos, pos + len(it.text), conf.get(it.text, res.confidence)))
                pos += len(it.text) + 1
            else:
                end = pos + len(CELL_SEP.join(" ".join(c.lines) for c in it.cells))
                spans.append((pos, end, row_confidence.get(id(it), res.confidence)))
                pos = end + 1
    out: list[Block] = []
    for b in blocks:
        if not any(p in ocr_lines for p in range(b.page, b.page_end + 1)):
            out.append(b)
            continue
        confs = [c for a, e, c in spans if a < b.end and e > b.start]
        if not confs:
            confs = [ocr_lines[p].confidence for p in range(b.page, b.page_end + 1) if p in ocr_lines]
        conf = round(statistics.fmean(confs), 2) if confs else None
        out.append(replace(b, ocr=True, confidence=conf))
    return out
