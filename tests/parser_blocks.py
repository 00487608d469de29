"""Test helpers that build a :class:`SourceText` the way the loaders will, without the loaders.

Why: the structure parser is tested on its own. ``source_from_paragraphs`` makes paragraph and
table-row blocks from strings with exact offsets; ``source_from_txt`` is a deliberately crude
splitter for PDF-extracted .txt files (until the real txt loader is swapped in);
``fixture_md_items`` turns the shared synthetic fixture's .md into those items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence, Union

from tracuu.ingest.model import Block, Cell, SourceText
from tracuu.ingest.vntext import nfc

PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Para:
    """A paragraph with options (``layout=True``: a line of a .docx header/signature table)."""

    text: str
    layout: bool = False


@dataclass(frozen=True)
class Row:
    """A table row; ``header=True`` marks a row that names the columns."""

    cells: Sequence[str]
    header: bool = False


Item = Union[str, Sequence[str], Para, Row]


def source_from_paragraphs(paras: Sequence[Item], kind: str = "docx") -> SourceText:
    """str -> para block; list of str -> table_row block with those cells; "\\f" -> new page.

    Texts are joined with "\\n" (a page break with "\\f") into ``SourceText.text``; offsets are exact.
    """
    text_parts: list[str] = []
    pos = 0
    page = 1
    page_starts = [0]
    blocks: list[Block] = []
    pending_break = False
    tables = 0
    table_index = None
    for item in paras:
        if isinstance(item, str) and item == PAGE_BREAK:
            pending_break = True
            continue
        if text_parts:
            sep = PAGE_BREAK if pending_break else "\n"
            text_parts.append(sep)
            pos += 1
        if pending_break:
            page += 1
            page_starts.append(pos)
            pending_break = False
        if isinstance(item, (Row, list, tuple)):
            row = item if isinstance(item, Row) else Row(list(item))
            if table_index is None:
                tables += 1
                table_index = tables - 1
            cells = []
            row_start = pos
            for k, cell_text in enumerate(row.cells):
                cell_text = nfc(cell_text)
                if k:
                    text_parts.append("\t")
                    pos += 1
                cells.append(Cell(cell_text, tuple(range(pos, pos + len(cell_text)))))
                text_parts.append(cell_text)
                pos += len(cell_text)
            row_text = "\t".join(c.text for c in cells)
            blocks.append(
                Block(
                    kind="table_row",
                    text=row_text,
                    offsets=tuple(range(row_start, row_start + len(row_text))),
                    page=page,
                    page_end=page,
                    cells=tuple(cells),
                    table_index=table_index,
                    header_row=row.header,
                )
            )
            continue
        table_index = None
        para = item if isinstance(item, Para) else Para(item)
        t = nfc(para.text)
        blocks.append(Block("para", t, tuple(range(pos, pos + len(t))), page, page, layout=para.layout))
        text_parts.append(t)
        pos += len(t)
    return SourceText(text="".join(text_parts), kind=kind, page_starts=page_starts, blocks=blocks, tables=tables)


# ------------------------------------------------------------------ crude .txt splitter

_MARKER_RE = re.compile(r"^(?:[IVXL]+\.\s|\d{1,3}\.\s|[a-zđ]\)\s|[-+–•]\s|Điều\s+\d+)")
_TERMINAL_RE = re.compile(r"[.;:!?]$")


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _collapse(lines: list[tuple[str, int]]) -> tuple[str, tuple[int, ...]]:
    """Join lines with one space for every whitespace run; keep each character's source offset."""
    out: list[str] = []
    offs: list[int] = []
    for line, start in lines:
        for k, ch in enumerate(line):
            if ch.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    offs.append(start + k)
                continue
            out.append(ch)
            offs.append(start + k)
        if out and out[-1] != " ":
            out.append(" ")
            offs.append(start + len(line))
    while out and out[-1] == " ":
        out.pop()
        offs.pop()
    return "".join(out), tuple(offs)


def source_from_txt(raw: str) -> SourceText:
    """Crude paragraphs from PDF-extracted text (stand-in for the real txt loader).

    A new paragraph starts where a line is whitespace-only, where a line starts with a marker,
    where the previous line ends with . ; : ! ?, or where an all-caps line is followed by a
    line that is not all caps.
    """
    text = nfc(raw)
    page_starts = [0]
    blocks: list[Block] = []
    current: list[tuple[str, int]] = []
    page = 1

    def flush() -> None:
        nonlocal current
        if current:
            t, offs = _collapse(current)
            if t:
                blocks.append(Block("para", t, offs, page, page))
        current = []

    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if "\f" in line:
            flush()
            page += 1
            page_starts.append(start + line.index("\f") + 1)
            line = line.replace("\f", " ")
        if line == "":
            continue
        content = line.strip()
        if not content:
            flush()
            continue
        prev = current[-1][0].strip() if current else ""
        if current and (_MARKER_RE.match(content) or _TERMINAL_RE.search(prev) or (_caps(prev) and not _caps(content))):
            flush()
        current.append((line, start))
    flush()
    return SourceText(text=text, kind="txt", page_starts=page_starts, blocks=blocks)


# ------------------------------------------------------------------ the shared fixture's .md

_EMPH_RE = re.compile(r"\*+")


def _plain(s: str) -> str:
    return _EMPH_RE.sub("", s).strip()


def fixture_md_items(md: str, *, interleave: bool = False) -> list[Item]:
    """The fixture .md as items: ``::: header``/``::: sign`` lines as layout paragraphs (left
    cell then right cell, or alternating when ``interleave``), ``#``/``##``/``>`` lines as
    paragraphs, the table as rows ("<" cells merged into the left one, "<br>" -> "\\n")."""
    md = md.replace("<!-- section landscape -->", PAGE_BREAK)
    md = re.sub(r"<!--.*?-->", "", md, flags=re.S)
    items: list[Item] = []
    block: str | None = None
    left: list[str] = []
    right: list[str] = []
    side = "left"

    def emit_columns() -> None:
        if interleave:
            for k in range(max(len(left), len(right))):
                for col in (left, right):
                    if k < len(col):
                        items.append(Para(col[k], layout=True))
        else:
            items.extend(Para(t, layout=True) for t in left + right)
        left.clear()
        right.clear()

    header_row_done = False
    for raw in md.split("\n"):
        line = raw.strip()
        if line == PAGE_BREAK:
            items.append(PAGE_BREAK)
            continue
        if line.startswith(":::"):
            name = line[3:].strip()
            if name:
                block, side = name, "left"
            else:
                emit_columns()
                block = None
            continue
        if block == "header":
            cols = [c for c in line.split(" | ")]
            for k, col in enumerate(cols):
                for part in col.split("<br>"):
                    part = _plain(part)
                    if part and part != "---":
                        (left if k == 0 else right).append(part)
            continue
        if block == "sign":
            if line in ("[left]", "[right]"):
                side = line[1:-1]
                continue
            if line:
                (left if side == "left" else right).append(_plain(line))
            continue
        if not line or line == "---":
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r"-+", c) for c in cells):
                continue
            merged: list[str] = []
            for c in cells:
                if c == "<" and merged:
                    continue
                merged.append(_plain(c).replace("<br>", "\n"))
            items.append(Row(merged, header=not header_row_done))
            header_row_done = True
            continue
        line = re.sub(r"^(?:#{1,6}|>)\s*", "", line)
        items.append(_plain(line))
    return items
