"""Tables written in plain text one row a line, cells joined by " | ".

Why: text exported from web pages (and crawled legal-document sites) keeps a data table as
"STT | Nhiệm vụ | Cơ quan chủ trì | ..." followed by one line per row. Read as paragraphs, a task
row runs its owner and deadline cells into the task text and the table's columns are lost; read as
table rows, each row becomes an appendix clause with named cells (``ingest.appendix``).

A pipe table is a run of consecutive non-blank lines that holds at least two lines with " | " (or
one such line of three cells or more). Lines of the run without " | " ("I. NÂNG CAO NHẬN THỨC", a
group row the exporter wrote without separators) are one-cell rows of the same table. The first
line is the header row when its first cell is not a row number; a second line is a header row too
when the first cell is not a number and the line has no task-like text (a two-row header,
"Năm 2026 | Năm 2027 | ..."). Offsets of every cell are exact source offsets.

Markdown tables (a docx or PDF converted to text by a markdown tool): every row is written between
outer pipes, "| 1. | Nhiệm vụ | Cục X | Vụ Y | 2025 |", and the header row is followed by a rule line
"| --- | --- |". The outer pipes are no cell text; the rule line is no row (:func:`markdown_lines`
leaves it out and marks the line above it as the header); a table of such rows ends at the first
line that is not one (the "PHỤ LỤC" title between a signature table and the appendix table is no row
of either). When the converter kept only the header as a markdown row and wrote the body one cell
a line ("| TT | Nội dung | Cơ quan chủ trì |", the rule, then "1", "Nội dung …", "Cục X" …), the
header row is given back one column name a line, the shape :mod:`ingest.loaders.flattable` reads
(read as paragraphs, each owner or time line of such a body became a task of its own).
"""

from __future__ import annotations

import re
from typing import Sequence

from tracuu.ingest.model import Block, Cell
from tracuu.ingest.reflow import SourceLine, collapse_with_offsets

__all__ = ["pipe_table_runs", "row_block", "split_cells", "align_two_row_header", "markdown_lines",
           "is_markdown_rule", "layout_cell_lines"]

SEP = " | "
_NUMBER_CELL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXL]{1,6}\.?|[A-Z]\.?|-|\+)$")


def split_cells(line: SourceLine) -> list[tuple[int, int]]:
    """(start, end) offsets into the source of each cell of a row line, trimmed of spaces."""
    out: list[tuple[int, int]] = []
    text = line.text
    pos = 0
    while True:
        k = text.find(SEP, pos)
        end = len(text) if k < 0 else k
        a, b = pos, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((line.start + a, line.start + b))
        if k < 0:
            break
        pos = k + len(SEP)
    if _is_markdown_row(line):  # "| a | b |": the outer pipes are no cell text
        trimmed = []
        for n, (a, b) in enumerate(out):
            if n == 0 and text[a - line.start : b - line.start].startswith("|"):
                a += 1
            if n == len(out) - 1 and text[a - line.start : b - line.start].endswith("|"):
                b -= 1
            while a < b and text[a - line.start].isspace():
                a += 1
            while b > a and text[b - 1 - line.start].isspace():
                b -= 1
            trimmed.append((a, max(a, b)))
        out = trimmed
    return out


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def is_markdown_rule(text: str) -> bool:
    """The "| --- | --- |" line under a markdown table's header row."""
    return bool(_MD_RULE.match(text))


def _is_markdown_row(line: SourceLine) -> bool:
    t = line.text.strip()
    return len(t) > 2 and t.startswith("|") and t.endswith("|") and SEP in t


def markdown_lines(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """``lines`` without the rule lines ("| --- | --- |") of markdown tables: a rule is no row. A
    markdown header row whose body follows one cell a line (no pipe in the line after the rule) is
    given back one column name a line, the header :mod:`ingest.loaders.flattable` reads."""
    out: list[SourceLine] = []
    n = len(lines)
    layout = _layout_rows(lines)
    for k, line in enumerate(lines):
        if is_markdown_rule(line.text):
            continue
        if k in layout:
            out.extend(layout_cell_lines(line))
            continue
        nxt = lines[k + 1] if k + 1 < n else None
        after = lines[k + 2] if k + 2 < n else None
        if (_is_markdown_row(line) and nxt is not None and is_markdown_rule(nxt.text)
                and after is not None and not after.blank and SEP not in after.text):
            out.extend(SourceLine(a, line.text[a - line.start : b - line.start], line.page)
                       for a, b in split_cells(line) if b > a)
            continue
        out.append(line)
    return out


_MOTTO_RE = re.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM", re.IGNORECASE)
_SIGNATURE_CELL_RE = re.compile(r"^\|[\s*]*Nơi\s+nhận\s*:", re.IGNORECASE)
_CELL_BREAK_RE = re.compile(r"[-_=]{3,}|\s{3,}|\*+")


def _layout_rows(lines: Sequence[SourceLine]) -> set[int]:
    """Indexes of the rows of a markdown *layout* table: the issuer / national-motto block a docx
    converter wrote as "| BỘ X ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM … |", "| --- | --- |",
    "| Số: 12/QĐ-BX | *Hà Nội, ngày …* |". It is the document's header, not a table of work: a
    markdown table whose first row holds the national motto (or the Party's "ĐẢNG CỘNG SẢN VIỆT
    NAM"), up to the first line that is not one of its rows (the rule line included). So is the
    "| *Nơi nhận:* … | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Nguyễn Văn A |" block at the end."""
    out: set[int] = set()
    k, n = 0, len(lines)
    while k < n:
        if _is_markdown_row(lines[k]) and (_MOTTO_RE.search(lines[k].text) or _SIGNATURE_CELL_RE.match(lines[k].text.strip())):
            j = k
            while j < n and (_is_markdown_row(lines[j]) or is_markdown_rule(lines[j].text)):
                out.add(j)
                j += 1
            k = j
        k += 1
    return out


def layout_cell_lines(line: SourceLine) -> list[SourceLine]:
    """The cells of a layout-table row as lines, left to right, as a docx layout table is read: each
    cell cut at its emphasis marks ("*Hà Nội, ngày …*", "*Nơi nhận:* - Như trên; …": the marks
    close a line of the docx), at the rule of dashes a converter keeps from the underline under an
    issuer or the motto ("BỘ X -------") and at a run of three or more spaces, where it joined the
    cell's lines ("PHÓ THỦ TƯỚNG     Nguyễn Văn A")."""
    out: list[SourceLine] = []
    for a, b in split_cells(line):
        cell = line.text[a - line.start : b - line.start]
        pos = 0
        for m in [*_CELL_BREAK_RE.finditer(cell), None]:
            end = m.start() if m else len(cell)
            x, y = pos, end  # no "*" between two breaks: only spaces to trim
            while x < y and cell[x].isspace():
                x += 1
            while y > x and cell[y - 1].isspace():
                y -= 1
            if y > x:
                out.append(SourceLine(a + x, cell[x:y], line.page))
            pos = m.end() if m else len(cell)
    return out


def _is_pipe_line(line: SourceLine) -> bool:
    return SEP in line.text


def pipe_table_runs(lines: Sequence[SourceLine]) -> list[tuple[int, int]]:
    """[i, j) index ranges of ``lines`` that form pipe tables (see the module docstring)."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].blank or not _is_pipe_line(lines[i]):
            i += 1
            continue
        j = i
        markdown = _is_markdown_row(lines[i])
        while j < n and not lines[j].blank and (not markdown or _is_markdown_row(lines[j])):
            j += 1
        # a table starts at its first pipe line; a paragraph before it on the same run stays prose
        pipes = [k for k in range(i, j) if _is_pipe_line(lines[k])]
        if len(pipes) >= 2 or lines[i].text.count(SEP) >= 2:
            runs.append((i, j))
        i = j
    return runs


def row_block(line: SourceLine, table_index: int, header: bool) -> Block:
    """One line of a pipe table as a ``table_row`` block: text is the whole line, cells its parts."""
    text, offsets = collapse_with_offsets((ch, line.start + k) for k, ch in enumerate(line.text))
    cells: list[Cell] = []
    src = line.text
    for a, b in split_cells(line):
        ctext, coffs = collapse_with_offsets((src[o - line.start], o) for o in range(a, b))
        cells.append(Cell(ctext, coffs))
    return Block(kind="table_row", text=text, offsets=offsets, page=line.page, page_end=line.page,
                 cells=tuple(cells), table_index=table_index, header_row=header)


def is_header_line(line: SourceLine, first: bool) -> bool:
    """The header row(s) of a pipe table: the first cell is a column name, not a row number;
    a second header row ("Năm 2026 | Năm 2027") is short cells with no sentence in them."""
    cells = [line.text[a - line.start : b - line.start] for a, b in split_cells(line)]
    numbers = [c.strip().strip("()") for c in cells]
    if len(cells) > 2 and all(n.isdigit() for n in numbers) and all(
            int(b) == int(a) + 1 for a, b in zip(numbers, numbers[1:])):
        return True  # "(1) | (2) | (3) …": the row numbering the columns
    if not cells or _NUMBER_CELL.match(cells[0].strip()):
        return False
    if first:
        return _is_pipe_line(line)
    return _is_pipe_line(line) and all(len(c) <= 40 and not c.rstrip().endswith(".") for c in cells)


_GROUP_WORDS = ("thuc hien", "co quan", "don vi", "thoi gian", "tien do")
_SUB_WORDS = ("chu tri", "phoi hop", "bat dau", "hoan thanh", "ket thuc")


def align_two_row_header(rows: list[Block]) -> list[Block]:
    """A merged header written as two lines: "STT | Nội dung | Cơ quan thực hiện | Thời gian" over
    "Chủ trì | Phối hợp". The upper cell that groups the lower ones ("Cơ quan thực hiện", not a
    sub-name itself) spans them, and the lower line is placed under it, so the columns read
    "Cơ quan thực hiện / Chủ trì" and "Cơ quan thực hiện / Phối hợp"."""
    from dataclasses import replace

    from tracuu.ingest.vntext import fold

    if len(rows) < 2 or not (rows[0].header_row and rows[1].header_row):
        return rows
    upper, lower = list(rows[0].cells), list(rows[1].cells)
    if not lower or len(lower) >= len(upper) or not all(any(w in fold(c.text) for w in _SUB_WORDS) for c in lower):
        return rows
    group = next((k for k, c in enumerate(upper) if any(w in fold(c.text) for w in _GROUP_WORDS)
                  and not any(w in fold(c.text) for w in _SUB_WORDS)), None)
    if group is None:
        return rows
    empties = 0
    while group + 1 + empties < len(upper) and not upper[group + 1 + empties].text.strip():
        empties += 1
    span = max(len(lower), 1 + empties)
    upper = upper[:group] + [replace(upper[group], col_span=span)] + upper[group + 1 + empties :]
    lower = [Cell("", ()) for _ in range(group)] + lower
    return [replace(rows[0], cells=tuple(upper)), replace(rows[1], cells=tuple(lower))] + rows[2:]
