"""A task-table row that lost its columns, cut back into its cells.

Why: a gazette (Công báo) PDF text layer, or a .txt copied from one, writes an appendix row as one
run of words: "3 Bố trí kinh phí dự phòng Sở Tài chính Sở Nông nghiệp và Môi trường Trước ngày
31/7/2026". The parser keeps it as a row (``appendix_row``) with no ``cells``; the words that were
in the lead, partner and time columns are still there, in the column order every task table uses
(task, lead, partners, time, product). The names of agencies mark where the task cell ends: the
last run of names, joined only by separators, is the lead and partner cells; a gap of bare space
between two names (no comma, semicolon or "và") is where one cell ended and the next began; what
follows the run holds the time and the product.

This module only cuts text: it takes the names' offsets (found by the gazetteer in
:mod:`ingest.tasks`) and returns the cell texts, so it stays independent of how names are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what may stand between two names of one cell: ", ", "; ", " và ", " cùng ", a line break
_SAME_CELL = re.compile(r"\s*(?:[,;]\s*(?:(?:và|cùng)\s+)?|\n\s*|(?:và|cùng|cùng với)\s+)", re.IGNORECASE)
_BARE_GAP = re.compile(r"[ \t]+")  # two names with only spaces between them: two cells
_MIN_TASK_WORDS = 2  # the task cell must say something before the first name


@dataclass(frozen=True)
class FlatRow:
    """The cells of a flattened row: the task text, the lead cell, the partner cell (may be
    empty), and the rest (time and product columns, as written)."""

    task: str
    lead: str
    coordinators: str
    rest: str


def split_flat_row(text: str, names: list[tuple[int, int]]) -> FlatRow | None:
    """Cut ``text`` (a row's words run together) at the agency names ``names`` ([start, end)
    offsets into ``text``, in order). None when no run of names follows some task words."""
    if not names:
        return None
    names = sorted(names)
    # the runs of names joined by separators or bare spaces; the last run is the agency columns
    runs: list[list[tuple[int, int]]] = [[names[0]]]
    for a, b in names[1:]:
        gap = text[runs[-1][-1][1] : a]
        if a >= runs[-1][-1][1] and (_SAME_CELL.fullmatch(gap) or _BARE_GAP.fullmatch(gap) or gap == ""):
            runs[-1].append((a, b))
        else:
            runs.append([(a, b)])
    run = runs[-1]
    start = run[0][0]
    task = text[:start].strip(" \t\n-–:")
    if len(task.split()) < _MIN_TASK_WORDS:
        return None
    cells: list[list[tuple[int, int]]] = [[run[0]]]
    for prev, cur in zip(run, run[1:]):
        gap = text[prev[1] : cur[0]]
        if _BARE_GAP.fullmatch(gap) or gap == "":
            cells.append([cur])  # "Sở Tài chính Sở Y tế": the lead cell ended, the partners' began
        else:
            cells[-1].append(cur)
    lead = text[cells[0][0][0] : cells[0][-1][1]]
    coordinators = "; ".join(text[c[0][0] : c[-1][1]] for c in cells[1:])
    rest = text[run[-1][1] :].strip(" \t\n.;,")
    return FlatRow(task, lead, coordinators, rest)
