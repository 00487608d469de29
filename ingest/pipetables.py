"""Task tables in a document's body, kept by the parser as paragraphs of cells joined by " | ".

Why: a Kế hoạch or Đề án often lists its tasks in a table right in section II ("Nhiệm vụ cụ thể
tại bảng sau"), not in a "PHỤ LỤC". The parser turns appendix tables into rows with named cells;
a table in the body reaches the task reader as paragraphs "1 | Triển khai … | Sở Y tế | Sở
Khoa học và Công nghệ | Quý III/2026 | …" under a header paragraph "STT | Nhiệm vụ | Cơ quan
chủ trì | …". This module pairs each numbered row with the column names of the header rows above
it (a merged two-row header "Cơ quan thực hiện" over "Chủ trì | Phối hợp" included), so the
row is read like an appendix row. It only cuts and names; which column is the lead is decided by
the column cues of ``ingest/data/agencies.toml`` in :mod:`ingest.tasks`.
"""

from __future__ import annotations

import re
from typing import Iterable

from tracuu.ingest.model import Clause

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})*\.?")
_SPLIT = re.compile(r"[ \t]*\|[ \t]*")


def split_cells(text: str) -> list[str] | None:
    """The cells of one " | "-joined row, or None when ``text`` is not written that way."""
    if " | " not in text and not text.startswith("|"):
        return None
    return [c.strip() for c in _SPLIT.split(text.strip())]


def header_names(rows: list[list[str]]) -> list[str]:
    """Column names from one or two header rows. A second row that names sub-columns ("Chủ trì",
    "Phối hợp") under a merged cell of the first ("Cơ quan thực hiện") gives "Cơ quan thực hiện /
    Chủ trì": each run of filled cells of the second row sits under one cell of the first; an
    empty cell of the second row is covered by the first row's cell above it."""
    if not rows:
        return []
    if len(rows) == 1:
        return list(rows[0])
    top, low = rows[0], rows[-1]
    names: list[str] = []
    k = 0
    prev_filled = False
    for cell in low:
        if cell:
            if not prev_filled:
                k += 1
            above = top[k - 1] if 0 < k <= len(top) else ""
            names.append(f"{above} / {cell}" if above else cell)
        else:
            names.append(top[k] if k < len(top) else "")
            k += 1
        prev_filled = bool(cell)
    return names


def body_table_rows(clauses: Iterable[Clause]) -> dict[str, dict[str, str]]:
    """Path of each numbered row of a " | " table kept as paragraphs -> column name -> cell text.
    Rows of one table are consecutive clauses of one parent; the header rows are the rows before
    the first numbered one (at most two)."""
    out: dict[str, dict[str, str]] = {}
    header: list[list[str]] = []
    names: list[str] = []
    parent: object = object()
    for c in sorted(clauses, key=lambda c: c.order):
        cells = split_cells(c.text) if not c.cells else None
        if cells is None or c.parent != parent:
            header, names, parent = [], [], c.parent
            if cells is None:
                continue
        if _NUMBER.fullmatch(cells[0]) and len(cells) >= 3:
            if not names:
                names = header_names(header[-2:])
            if names:
                width = max(len(names), len(cells))
                cols = names + [f"cột {n + 1}" for n in range(len(names), width)]
                out[c.path] = {cols[n]: (cells[n] if n < len(cells) else "") for n in range(width)}
        elif not names:
            header.append(cells)
    return out
