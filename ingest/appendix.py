"""Appendix tables ("PHỤ LỤC / NHIỆM VỤ CỤ THỂ"): one clause per group row and per task row.

Why rows are clauses: in a plan the appendix *is* the task list; "nhiệm vụ số 5 Phụ lục" is
what people cite, with its owner, partners and deadline in the other cells. So a task row
becomes ``PL.5`` (text = the task cell, ``cells`` = column name -> cell text, span = the task
cell) under its group row ``PL.I``.

Columns are named from the header rows (:func:`column_names`): under a two-row header with merged
cells a column is "Thời gian thực hiện / Bắt đầu". A row split over a page break (the loader
merges it) is one clause whose pages run from the row's first page to its last.

Paths when a document has several appendices: ``PL1.5``, ``PL2.3`` (the appendix's own number,
from "PHỤ LỤC I"/"PHỤ LỤC 2", else its position); a single appendix is always ``PL``.
When the STT numbering restarts in each group, rows are ``PL.II.1`` ("nhiệm vụ số 1 nhóm II Phụ lục").

Limit: an appendix that reaches us only as paragraphs (a .txt whose table lost its columns)
gives rows from paragraphs that start with the next STT number; the row text is the whole
row as one string (cells run together) and ``cells`` is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tracuu.ingest.columncues import task_column
from tracuu.ingest.labels import (
    appendix_group_label,
    appendix_para_label,
    appendix_row_label,
    appendix_suffix,
    heading_text,
)
from tracuu.ingest.markers import SUB_LETTER, Draft, Pager, Piece, cut, is_caps, join_all, join_pieces, roman_value
from tracuu.ingest.model import Cell
from tracuu.ingest.vntext import collapse_spaces, fold

__all__ = ["is_appendix_heading", "appendix_numeral", "appendix_title", "parse_appendix", "AppendixResult", "column_names"]

_HEAD_RE = re.compile(r"^PH[ỤU]\s+L[ỤU]C\b\s*(?:SỐ\s*)?(?P<num>[IVXL]+|\d{1,2})?\b", re.IGNORECASE)
_STT_NAMES = {"stt", "tt", "so tt", "so thu tu"}
_TASK_WORDS = ("nhiem vu", "noi dung", "cong viec", "giai phap")
_ROMAN_CELL_RE = re.compile(r"^(?P<num>[IVXL]{1,6})\s*[.:)]?\s*")
_GROUP_RE = re.compile(r"^(?P<num>[IVXL]{1,6})\s*[.:)]\s*(?=\S)")
# a sub-row's STT cell: a dash, or a letter "a)" "đ)" (a plan's activities lettered under a numbered
# group row, each with its own owner and time cells)
_BULLET_CELL_RE = re.compile(rf"^(?:[-+•*–]|{SUB_LETTER})$")
_FURNITURE_RE = re.compile(r"^(?:CÔNG\s+BÁO\s*/.*|Ký\s+bởi\s*:.*)$", re.DOTALL)
_ROW_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,2})*)\s*[.)]?\s+(?=\S)")


def _letter(n: int) -> str:
    """The n-th second line of a row: 1 -> "b", 2 -> "c" ... (the row itself is "a")."""
    return "abcdefghijklmnopqrstuvwxyz"[min(n, 25)]


def is_appendix_heading(text: str) -> bool:
    """"PHỤ LỤC", "PHỤ LỤC I", "PHỤ LỤC 02 ..." written in capitals (a mention in a sentence is not),
    or "Phụ lục" / "Phụ lục II" alone on its line (the gazette's typesetting)."""
    t = text.strip()
    if re.fullmatch(r"Ph[ụu]\s+l[ụu]c(?:\s+(?:s[ốo]\s*)?(?:[IVXL]+|\d{1,2}))?\.?", t):
        return True
    return bool(_HEAD_RE.match(t)) and t[:7].isupper()


def appendix_numeral(text: str) -> str | None:
    m = _HEAD_RE.match(text.strip())
    return m.group("num") if m and m.group("num") else None


def numeral_value(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else roman_value(numeral.upper())


@dataclass
class AppendixResult:
    drafts: list[Draft]
    warnings: list[str]


def _cell_piece(cell: Cell, row: Piece, pager: Pager) -> Piece:
    whole = Piece(cell.text, tuple(cell.offsets), row.page, row.page_end, row.block)
    return cut(whole, 0, None, pager)


def _cell_names(cells: list[Cell], columns: list[str]) -> list[str]:
    """The column name of each cell of a row (by the grid column where the cell starts)."""
    return [columns[g] if g < len(columns) else f"Cột {g + 1}" for g in _grid_starts(cells)]


def _is_header_cells(texts: list[str]) -> bool:
    folded = [collapse_spaces(fold(t)).strip(" .") for t in texts]
    return any(f in _STT_NAMES for f in folded) and any(any(w in f for w in _TASK_WORDS) for f in folded)


def _grid_starts(cells: list[Cell] | tuple[Cell, ...]) -> list[int]:
    """The grid column where each cell starts (a cell merged across columns covers ``col_span``)."""
    out, g = [], 0
    for c in cells:
        out.append(g)
        g += max(1, c.col_span)
    return out


def column_names(header_rows: list[list[Cell]]) -> list[str]:
    """One name per grid column from the header rows, upper to lower, joined with " / ".

    A two-level header ("Thời gian thực hiện" merged over "Bắt đầu | Hoàn thành", "STT" merged
    down both rows) gives "STT", "Thời gian thực hiện / Bắt đầu", "Thời gian thực hiện / Hoàn thành":
    a cell names every grid column it spans, and an empty lower cell (the upper one merged down)
    adds nothing.
    """
    width = max((sum(max(1, c.col_span) for c in row) for row in header_rows), default=0)
    names: list[list[str]] = [[] for _ in range(width)]
    for row in header_rows:
        for cell, g in zip(row, _grid_starts(row)):
            text = collapse_spaces(cell.text)
            for k in range(g, min(width, g + max(1, cell.col_span))):
                if text and (not names[k] or names[k][-1] != text):
                    names[k].append(text)
    out: list[str] = []
    for k, parts in enumerate(names):
        name = " / ".join(parts) if parts else f"Cột {k + 1}"
        n = sum(1 for o in out if o == name or o.startswith(f"{name} ("))
        out.append(f"{name} ({n + 1})" if n else name)  # a merged cell with no names under it
    return out


def _task_index(columns: list[str]) -> int:
    """The task column: the first named by a task word ("Nhiệm vụ", "Nội dung"); else the first
    named by a task cue of [column_cues] ("Thông tin đề xuất") that no skip cue names ("Tỉnh kiến
    nghị" names who proposed, not what); else the column after STT."""
    k = task_column(columns, _TASK_WORDS)
    if k is not None:
        return k
    return 1 if len(columns) > 1 else 0


def parse_appendix(
    pieces: list[Piece], pager: Pager, *, prefix: str, name: str, order: int
) -> AppendixResult:
    """Clauses of one appendix; ``pieces[0]`` is its heading, ``prefix`` "PL" or "PL2", ``name``
    "Phụ lục" or "Phụ lục II" (label suffix), ``order`` the order number of its first clause."""
    drafts: list[Draft] = []
    warnings: list[str] = []
    rows = [p for p in pieces if p.is_row]
    pipe_tables = {r.block.table_index for r in rows if r.block is not None and " | " in r.block.text}
    columns: list[str] = []
    head: list[list[Cell]] = []  # the header rows at the top of the table (a repeated header is skipped)
    group: Draft | None = None
    current: Draft | None = None
    last_group = 0
    last_row = 0
    para_count = 0
    fresh_group = False  # a group row was just read (paragraph mode: numbering may restart)
    sub = 0  # second lines of the current numbered row (merged STT cell): 1b, 1c ...

    # --- subtitle lines under the heading: capitals or "(Kèm theo ...)"
    k = 1
    while k < len(pieces) and not pieces[k].is_row and (
        is_caps(pieces[k].text) or pieces[k].text.startswith("(")
    ) and not _GROUP_RE.match(pieces[k].text):
        k += 1
    # the appendix's title ("PHỤ LỤC I / NHIỆM VỤ TRỌNG TÂM NĂM 2026"), outermost heading of every
    # clause in it: what it says of all rows (a target year) is said of each row
    title = appendix_title(pieces[:k])
    outer = [title] if title else []

    # Continuation lines of a row or paragraph, joined once at the end (one join per line copies
    # everything joined so far: n lines would cost n²). Keyed by the draft's identity.
    pending: dict[int, tuple[Draft, list[Piece]]] = {}

    def extend(d: Draft, piece: Piece) -> None:
        pending.setdefault(id(d), (d, []))[1].append(piece)

    def add(d: Draft) -> Draft:
        nonlocal order
        d.order = order
        order += 1
        drafts.append(d)
        return d

    # STT numbers that restart in each group need the group in the path
    seen: set[str] = set()
    restart = False
    for r in rows:
        cells = r.block.cells if r.block else ()
        first = collapse_spaces(cells[0].text) if cells else ""
        if re.fullmatch(r"\d{1,3}\.?", first):
            restart = restart or first.rstrip(".") in seen
            seen.add(first.rstrip("."))

    def row_path(num: str) -> tuple[str, str | None]:
        g = group.marker.rstrip(".:)") if (restart and group) else None
        return (f"{prefix}.{g}.{num}" if g else f"{prefix}.{num}"), g

    def add_row(num: str, marker: str, text_piece: Piece, cells: dict[str, str] | None = None) -> Draft:
        """One task row: path from its STT number (and group when numbering restarts)."""
        path, g = row_path(num)
        return add(
            Draft(
                path=path,
                kind="appendix_row",
                label=appendix_row_label(num, name, g),
                marker=marker,
                parent=group.path if group else None,
                parts=[text_piece],
                heading_chain=outer + ([heading_text(group.marker, group.text)] if group else []),
                order=0,
                cells=cells,
            )
        )

    def add_para(piece: Piece) -> None:
        """Text of the appendix that is no row: its own unnumbered clause, never lost."""
        nonlocal para_count
        para_count += 1
        add(
            Draft(
                path=f"{prefix}.p{para_count}",
                kind="doan_khong_danh_so",
                label=appendix_para_label(para_count, name),
                marker="",
                parent=None,
                parts=[piece],
                heading_chain=list(outer),
                order=0,
            )
        )

    def piece_from_row(row: Piece) -> Piece:
        return cut(row, 0, None, pager)

    def start_group(numeral: str, marker: str, text_piece: Piece) -> None:
        nonlocal group, current, last_group, fresh_group
        group = add(
            Draft(
                path=f"{prefix}.{numeral}",
                kind="appendix_group",
                label=appendix_group_label(numeral, name),
                marker=marker,
                parent=None,
                parts=[text_piece],
                heading_chain=list(outer),
                order=0,
            )
        )
        current = None
        last_group = roman_value(numeral) or last_group + 1
        fresh_group = True


    current_table: int | None = None
    for p in pieces[k:]:
        if p.is_row and p.block is not None:
            current_table = p.block.table_index
            cells = list(p.block.cells)
            texts = [c.text for c in cells]
            nonempty = [c for c in cells if c.text.strip()]
            if p.block.header_row or _is_header_cells(texts):
                if not columns:
                    head.append(cells)
                continue
            if head and not columns:
                columns = column_names(head)
            if not nonempty:
                continue
            first = collapse_spaces(cells[0].text)
            gm = _GROUP_RE.match(nonempty[0].text) if len(nonempty) == 1 else None
            rm = _ROMAN_CELL_RE.fullmatch(first) if first else None
            if gm and roman_value(gm.group("num")):
                whole = _cell_piece(nonempty[0], p, pager)
                start_group(gm.group("num"), whole.text[: gm.end()].strip(), cut(whole, gm.end(), None, pager))
                continue
            if rm and roman_value(rm.group("num")) and len(nonempty) >= 2:
                rest = [_cell_piece(c, p, pager) for c in cells[1:] if c.text.strip()]
                text_piece = rest[0]
                for extra in rest[1:]:
                    text_piece = join_pieces(text_piece, extra)
                start_group(rm.group("num"), first, text_piece)
                continue
            if re.fullmatch(r"\d{1,3}(?:\.\d{1,2})*\.?", first):
                names = _cell_names(cells, columns)
                cell_map = {names[n]: cells[n].text for n in range(len(cells))}
                task_k = _task_index(names)
                task = _cell_piece(cells[min(task_k, len(cells) - 1)], p, pager)
                # the row's clause covers the row's pages (a row split over a page break ends on the next)
                task = replace(task, page=min(task.page, p.page), page_end=max(task.page_end, p.page_end))
                current = add_row(first.rstrip("."), first, task, cell_map)
                sub = 0
                continue
            pipe = p.block.table_index in pipe_tables  # a table written one row a line: no row split over pages
            if pipe and len(nonempty) == 1 and not _BULLET_CELL_RE.match(first):
                add_para(_cell_piece(nonempty[0], p, pager))  # a cell the exporter put on a line of its own
                continue
            if (pipe or _BULLET_CELL_RE.match(first)) and current is not None and current.cells is not None \
                    and columns and (_BULLET_CELL_RE.match(first) or len(cells) >= len(columns)):
                # "- | Diện tích | Ha | …": a sub-row under the numbered row, cells in column order
                # (a flattened gazette row's sub-rows come the same way, see loaders/flattable.py)
                names = _cell_names(cells, columns)
                task_k = min(_task_index(columns), len(cells) - 1)
                sub += 1
                num = current.path.rsplit(".", 1)[-1].rstrip("abcdefghijklmnopqrstuvwxyz") + _letter(sub)
                saved = current
                current = add_row(num, first, _cell_piece(cells[task_k], p, pager),
                                  {names[n]: cells[n].text for n in range(len(cells))})
                current.parent = saved.parent
                current = saved if _BULLET_CELL_RE.match(first) else current
                continue
            if (current is not None and current.cells is not None and columns and cells[0].text.strip()
                    and 2 <= len(cells) < len(columns) and all(c.col_span == 1 for c in cells)):
                # a short row with no STT of a table written one row a line (" | "): a second line
                # of the numbered row above, whose STT cell (and any cell after its own) is merged
                # down: its own task from the task column on, the merged cells inherited
                names = _cell_names(cells, columns)
                task_k = _task_index(columns)
                own = {columns[task_k + n]: c.text for n, c in enumerate(cells) if task_k + n < len(columns)}
                inherited = {k: v for k, v in current.cells.items() if k not in own and k != columns[task_k]}
                merged = {k: own.get(k, inherited.get(k, "")) for k in columns}
                sub += 1
                num = current.path.rsplit(".", 1)[-1].rstrip("abcdefghijklmnopqrstuvwxyz") + _letter(sub)
                task = _cell_piece(cells[0], p, pager)
                saved = current
                current = add_row(num, "", task, merged)
                current.parent = saved.parent
                continue
            if current is not None and current.cells is not None:
                # a row split across pages: its second half has no STT
                names = _cell_names(cells, columns)
                for n, c in enumerate(cells):
                    if c.text.strip() and names[n] in current.cells:
                        current.cells[names[n]] = (current.cells[names[n]] + "\n" + c.text).strip()
                task_k = _task_index(names)
                if task_k < len(cells) and cells[task_k].text.strip():
                    extend(current, _cell_piece(cells[task_k], p, pager))
                continue
            if pipe:
                add_para(piece_from_row(p))
                continue
            warnings.append(f"Bỏ qua dòng bảng không có STT / Skipped a table row without STT: {p.text[:60]}")
            continue
        # --- paragraphs: a table that lost its columns, or prose in the appendix
        t = p.text
        if _FURNITURE_RE.match(t.strip()):
            continue  # a gazette running header or page number met between two rows: not row text
        if fold(t).startswith(("stt ", "tt ")):
            continue
        gm = _GROUP_RE.match(t)
        if gm and roman_value(gm.group("num")) == last_group + 1:
            start_group(gm.group("num"), t[: gm.end()].strip(), cut(p, gm.end(), None, pager))
            continue
        rm = _ROW_RE.match(t)
        n = int(rm.group("num")) if rm and rm.group("num").isdigit() else -1
        if n == last_row + 1 or (n == 1 and fresh_group and last_row > 0):
            if n == 1 and last_row > 0:
                restart = True
            last_row, fresh_group = n, False
            assert rm is not None
            current = add_row(rm.group("num"), t[: rm.end()].strip(), cut(p, rm.end(), None, pager))
            continue
        if current is not None and not (current.cells is not None and current_table in pipe_tables):
            extend(current, p)
            continue
        add_para(p)
    for d, more in pending.values():
        d.parts[-1] = join_all([d.parts[-1], *more])
    return AppendixResult(drafts, warnings)


def appendix_title(lines: list[Piece]) -> str:
    """The title of an appendix from its heading lines: the "PHỤ LỤC" line and the capitals under
    it, without the "(Kèm theo Kế hoạch số … ngày …)" line (whose date is the plan's, not a
    row's). Whitespace collapsed; "" when the appendix has no title but its number."""
    words = [collapse_spaces(p.text).strip() for p in lines if not p.text.lstrip().startswith("(")]
    text = " ".join(w for w in words if w)
    rest = _HEAD_RE.sub("", text, count=1).strip(" .:-–")
    return text if rest else ""


def appendix_names(headings: list[str]) -> list[tuple[str, str]]:
    """(path prefix, label suffix) for each appendix heading of a document, in order."""
    if len(headings) <= 1:
        return [("PL", appendix_suffix(None))]
    out = []
    for k, h in enumerate(headings, start=1):
        numeral = appendix_numeral(h)
        value = numeral_value(numeral) if numeral else None
        out.append((f"PL{value or k}", appendix_suffix(numeral or str(k))))
    return out
