"""Tables flattened by a PDF text layer: one cell fragment a line, rebuilt into rows and cells.

Why: the text layer of an official gazette (Công báo) PDF writes a task table cell after cell, and
a long cell over several lines ("Bộ Khoa học và" / "Công nghệ"), with nothing between rows but the
next STT number on a line of its own. Read as paragraphs, a row runs its task, owner, partners and
deadline together. Rebuilt, each row is a ``table_row`` block whose cells name the columns of the
header, so ``ingest.appendix`` and ``ingest.tasks`` read it like any other task table.

How a table is found: a line that is only "STT"/"TT", header lines that name columns (a line that
starts in lower case or with "(" goes on the column name above: "Tiến độ" / "thực hiện"), then a
line that is only "1". A row runs from its number line to the next number (the next in sequence,
or "1" after a Roman group line) and the table ends at a blank-free run that no longer fits: an
appendix or "Điều" heading, a signature line, or the end of the text. Page furniture met inside
(the gazette running header, a page number, a digital-signature stamp, the column header repeated
on the next page) is given back as its own paragraph or header row, never glued into a cell.

How a row is cut into cells (:mod:`ingest.loaders.flatcells`): its lines are grouped into
fragments, each read for what it is (agency names, a time, a product, the level a text goes to,
plain text), and the fragments are placed in the header's columns as a whole, in column order:
the row's first part by the best-scoring cut of :mod:`ingest.loaders.cellcut` (each candidate cell
scored whole, weights fitted on the tune material), a later part by the fragment-by-fragment
assignment; a page break inside the row (the page changes, or page furniture or the repeated
header is met) starts the row again from its first column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Callable, Sequence

from tracuu.ingest.columncues import all_cue_words, cue_words
from tracuu.ingest.loaders.flatcells import column_kinds
from tracuu.ingest.markers import SUB_LETTER
from tracuu.ingest.model import Block, Cell
from tracuu.ingest.reflow import SourceLine, collapse_with_offsets
from tracuu.ingest.vntext import fold

__all__ = ["flat_table_runs", "FlatTable", "flat_blocks"]

_STT = re.compile(r"^(?:STT|TT|Số\s+TT|Số\s+thứ\s+tự)$", re.IGNORECASE)
# the whole header on the STT line: "STT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời gian"
_STT_LINE = re.compile(r"^(?P<stt>STT|TT|Số\s+TT)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\.?$")  # "1", "1.2", "1.2.3"
_ROMAN = re.compile(r"^([IVXL]{1,6})\.?$")
# a row number written on the first line of its task cell ("3. Nghị định số …"): the text layer put the
# STT cell and the task cell's first line on one line (most rows of the same table have "3." alone)
# "3. Nghị định …", or a sub-row number with no dot after it before a capital ("2.1 Theo dõi …"); a
# whole number with no dot is not one ("2 Điều 12; …" goes on a cited "khoản" of the line above).
# One reading with the lettered sub-rows (``SUB_LETTER``, ``_BULLET``): a numbered or lettered sub-row
# of a task row ("2.1", "2.1.", "2.1 Text", "a)") opens a row of its own
_NUM_TEXT = re.compile(r"^(?:(?P<num>\d{1,3}(?:\.\d{1,2}){0,2})\.\s+(?P<text>\S.*)"
                       r"|(?P<sub>\d{1,3}(?:\.\d{1,2}){1,2})\s+(?P<stext>[A-ZĐÀ-Ỹ].*))$")
_LIST_START = re.compile(r"^1[.)]\s")
_GROUP_LINE = re.compile(r"^(?P<num>[IVXL]{1,6})[.)]\s+(?P<title>[A-ZĐÀ-Ỹ].*)$")  # "II. NHÓM NHIỆM VỤ …" on one line
# the same without the dot ("IV Huy động và sử dụng …"): a group row only when it numbers the next group
_GROUP_BARE = re.compile(r"^(?P<num>[IVXL]{1,6})\s+(?P<title>[A-ZĐÀ-Ỹ]\S*\s+\S.*)$")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50}
_FURNITURE = re.compile(r"^(?:CÔNG\s+BÁO\b.*|Ký\s+bởi\s*:.*|Cơ\s+quan\s*:.*|Thời\s+gian\s+ký\s*:.*)$",
                        re.IGNORECASE)
_PAGE_NO = re.compile(r"^\d{1,4}$")
# what ends a table: an appendix or article heading, a signature or recipients line, and a footnote
# ("[1] Ban Chỉ đạo …": a hard-wrapped crawler text has no blank line before the notes after a table).
# An article heading is "Điều 5. Tên điều": a cell line that opens with an article it cites ("Điều 8,
# Điều 10, …", "Điều 53" wrapped alone, "Điều 13; khoản 2 …") ends no table.
_END = re.compile(r"^(?:PH[ỤU]\s+L[ỤU]C\b|Phụ\s+lục\b|Điều\s+\d+[a-zđ]?\.(?:\s|$)|Chương\s+[IVXLC\d]+|(?:KT|TM|TL)\.\s|Nơi\s+nhận"
                  r"|\[\d{1,3}\]\s)", re.IGNORECASE)
_HEADER_LINES = 24  # at most this many header lines (a wide header wrapped name by name)


@dataclass
class FlatTable:
    """Lines [start, end) of one flattened table; ``header`` the index range of its header lines."""

    start: int
    end: int
    header: tuple[int, int]
    lead_first: bool = False  # the owner column comes before the task column (loaders/leadfirst.py)


def _text(line: SourceLine) -> str:
    return line.text.strip()


def _is_furniture(line: SourceLine) -> bool:
    return bool(_FURNITURE.match(_text(line)))


def _header_openers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Folded words that open a column name, and those that go on a column name opened by an owner
    word ("Cơ quan" + "chủ trì"): [column_cues].header_openers / header_after_owner."""
    return cue_words("header_openers"), cue_words("header_after_owner")


def split_header_line(text: str) -> list[tuple[int, int]]:
    """[start, end) of each column name in a header written on one line after STT ("Nhiệm vụ Cơ
    quan chủ trì Cơ quan phối hợp Thời gian hoàn thành"): in mixed case a capitalised word opens
    a name; in capitals a cue word of [column_cues].header_openers does ("CƠ QUAN CHỦ TRÌ" is one
    name: "chủ trì" after an owner word goes on it). Fewer than two names: not a header."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if not words:
        return []
    openers, after_owner = _header_openers()
    mixed = any(ch.islower() for ch in text)
    spans: list[list[int]] = []
    for a, b in words:
        rest = fold(text[a:]).lower()
        if mixed:
            opens = text[a].isupper()
        else:
            opens = any(rest.startswith(o + " ") or rest == o for o in openers)
            if opens and spans and any(rest.startswith(w) for w in after_owner):
                current = fold(text[spans[-1][0] : spans[-1][1]]).lower()
                opens = not current.startswith(("co quan", "don vi"))
        if spans and fold(text[spans[-1][0] : spans[-1][1]]).lower().split()[-1] in ("va", "hoac", "/"):
            opens = False  # "NHIỆM VỤ VÀ GIẢI PHÁP": one name
        if opens or not spans:
            spans.append([a, b])
        else:
            spans[-1][1] = b
    names = [(a, b) for a, b in spans]
    if len(names) < 2:
        return []
    folded = [fold(text[a:b]).lower() for a, b in names]
    if not any(f.startswith(openers) for f in folded if openers):
        return []
    return names


def _one_line_header(text: str) -> bool:
    m = _STT_LINE.match(text)
    return bool(m) and len(split_header_line(m.group("rest"))) >= 2


def _lone_numbers_follow(lines: Sequence[SourceLine], j: int) -> bool:
    """Under a one-line header, the rows are numbered on lines of their own ("1" / cells …); a row
    written "1 Quán triệt …" on its line is a table the paragraph reflow reads row by row."""
    for line in lines[j : j + 40]:
        t = _text(line)
        if _NUM.match(t):
            return True
        if re.match(r"^\d{1,3}\.?\s+\S", t):
            return False
    return False


def flat_table_runs(lines: Sequence[SourceLine]) -> list[FlatTable]:
    """The flattened tables among ``lines`` (see the module docstring)."""
    out: list[FlatTable] = []
    n = len(lines)
    i = 0
    while i < n:
        one_line = _one_line_header(_text(lines[i]))
        if not (_STT.match(_text(lines[i])) or one_line):
            i += 1
            continue
        lead_first = None if one_line else _lead_first_run(lines, i)
        if lead_first is not None:  # the owner column first: rows need no number
            out.append(lead_first)
            i = lead_first.end
            continue
        j = i + 1
        # a header of many columns, each name wrapped over lines ("Cơ quan" / "chủ trì"), runs over
        # more than 12 lines: up to _HEADER_LINES short lines (a column name is no sentence)
        while j < n and (j - i <= 12 or (j - i <= _HEADER_LINES and len(_text(lines[j - 1])) <= 40)) \
                and not _NUM.match(_text(lines[j])) and not _ROMAN.match(_text(lines[j])) \
                and not _GROUP_LINE.match(_text(lines[j])):
            j += 1
        first_row = _text(lines[j]) if j < n else ""
        long_head = j - i > 12 and any(len(_text(x)) > 40 for x in lines[i + 1 : j])
        if j >= n or j - i > _HEADER_LINES or long_head or (j == i + 1 and not one_line) or (
                first_row.rstrip(".") not in ("1", "I", "1.1") and not _GROUP_LINE.match(first_row)) or (
                one_line and not _lone_numbers_follow(lines, j)):
            i += 1
            continue
        header = (i, j)
        end = _table_end(lines, j, _row_opener())
        out.append(FlatTable(i, end, header))
        i = end
    return out


def _row_opener() -> Callable[[str], bool]:
    """Whether a line opens a row of a numbered flattened table: a number, Roman numeral or group
    line of its own, or the next number written on the first line of its task cell ("3. Nghị định
    …" after row 2); the opener keeps the last number it saw."""
    last: list[str] = []

    def opens(t: str) -> bool:
        if _NUM.match(t) or _ROMAN.match(t) or _GROUP_LINE.match(t):
            last[:] = [t]
            return True
        m = _num_text(t)
        if m and last and _next_number(last[0], m[0]):
            last[:] = [m[0]]
            return True
        return False

    return opens


def _num_text(t: str) -> tuple[str, int, int] | None:
    """A row number written on the first line of its task cell: the number, where the number (with
    its dot) ends and where the text begins in ``t``; None for any other line."""
    m = _NUM_TEXT.match(t)
    if m is None:
        return None
    if m.group("num") is not None:
        return m.group("num"), m.end("num") + 1, m.start("text")
    return m.group("sub"), m.end("sub"), m.start("stext")


def _numbered_first_line(number: SourceLine | None, line: SourceLine,
                         row_lines: Sequence[SourceLine]) -> tuple[SourceLine, SourceLine] | None:
    """``line`` is "N. text": the next row's number and the first line of its task cell, written on
    one line. Split into the number and the text; None when it is not the next number, or when the
    row above numbers a list of its own inside a cell (a line of it opens "1.": "2. …" goes on it)."""
    m = _num_text(_text(line))
    if m is None or number is None or not _next_number(_text(number), m[0]):
        return None
    if any(_LIST_START.match(_text(x)) for x in row_lines):
        return None
    lead = len(line.text) - len(line.text.lstrip())
    num = SourceLine(line.start + lead, line.text[lead : lead + m[1]], line.page)
    at = lead + m[2]
    return num, SourceLine(line.start + at, line.text[at:].rstrip(), line.page)


def _lead_first_run(lines: Sequence[SourceLine], i: int) -> FlatTable | None:
    """A lead-first table at the "STT" line ``lines[i]``: its column names on the lines after (short
    lines, each opening with a column word or going on the name above in lower case), the owner
    column first; its rows need no number (see :mod:`ingest.loaders.leadfirst`)."""
    from tracuu.ingest.loaders.leadfirst import is_lead_first

    openers, _ = _header_openers()
    n = len(lines)
    j = i + 1
    while j < n and j - i <= 12:
        t = _text(lines[j])
        if not t or len(t) > 40 or not (t[:1].islower() or fold(t).lower().startswith(openers)):
            break
        j += 1
    names = [" ".join(_text(x) for x in g) for g in _header_names(list(lines[i + 1 : j]))]
    if j >= n or not is_lead_first(names):
        return None
    return FlatTable(i, _table_end(lines, j, lambda t: bool(_NUM.match(t))), (i, j), lead_first=True)


def _table_end(lines: Sequence[SourceLine], first: int, opens_row: Callable[[str], bool]) -> int:
    """Where a table whose rows begin at ``first`` ends: the rows run to an end line (a signature, a
    new part), and the table ends with the last row's cells, before a long run of prose after it."""
    k = last_row = first
    while k < len(lines):
        t = _text(lines[k])
        if t and _END.match(t) and not _STT.match(t) and not _cited_appendix(lines, k):
            break
        if t and opens_row(t):
            last_row = k
        k += 1
    return _row_end(lines, last_row, k)


_APPENDIX_LINE = re.compile(r"^Phụ\s+lục\b(?P<rest>.*)$")
_PROVISION = re.compile(r"^(?:Điều|Điểm|Khoản|Mục|Tiểu\s+mục)\s+\S")


def _cited_appendix(lines: Sequence[SourceLine], k: int) -> bool:
    """``lines[k]`` ("Phụ lục I", "Phụ lục II.") is an appendix a cell cites, not the heading of
    the next appendix: written "Phụ lục I" (not in capitals) and either ending in "." "," ";"
    (the end of a citation), or followed by a line that opens in lower case, with an article,
    point or clause ("Điều 7", "Khoản 2"), with an agency's name (the cell after the citation) or
    with another "Phụ lục" line (a heading is followed by its title). Page furniture between is
    skipped."""
    m = _APPENDIX_LINE.match(_text(lines[k]))
    if m is None:
        return False
    if re.search(r"[.,;]$", m.group("rest").strip()):
        return True
    nxt = ""
    for line in lines[k + 1 : k + 12]:
        t = _text(line)
        if not t or _is_furniture(line) or _PAGE_NO.match(t):
            continue
        nxt = t
        break
    if not nxt:
        return False
    if nxt[0].islower() or _PROVISION.match(nxt) or _APPENDIX_LINE.match(nxt):
        return True
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import flatcells as fc

    return fc.agency_cover_with(load_gazetteer())(nxt) >= 0.5


def _row_end(lines: Sequence[SourceLine], row: int, limit: int) -> int:
    """Where the last row ends: before a blank line followed by a line that starts a sentence
    block of its own, or at ``limit``."""
    k = row + 1
    while k < limit:
        if lines[k].blank and k + 1 < limit and not lines[k + 1].blank and len(_text(lines[k + 1])) > 60:
            return k
        k += 1
    return limit






def _cell(lines: list[SourceLine]) -> Cell:
    chars: list[tuple[str, int]] = []
    for k, line in enumerate(lines):
        if k:
            chars.append((" ", lines[k - 1].end))
        chars.extend((ch, line.start + j) for j, ch in enumerate(line.text))
    text, offs = collapse_with_offsets(chars)
    return Cell(text, offs)


def _header_names(lines: list[SourceLine]) -> list[list[SourceLine]]:
    names: list[list[SourceLine]] = []
    for line in lines:
        t = _text(line)
        if not t or t.startswith("_"):
            continue
        if names and (t[0].islower() or t[0] == "("):
            names[-1].append(line)
        else:
            names.append([line])
    return names


_HEAD_JOINERS = ("cua", "va", "cac", "ve", "de", "hoac", "cho", "voi", "trong", "theo")


def _is_caps(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and not any(ch.islower() for ch in text)


def _caps_names(names: list[list[SourceLine]]) -> list[list[SourceLine]]:
    """Column names of a header in capitals wrapped line by line, each line read above as a name of
    its own: a line goes on the name above when that name ends with "," or a joining word ("CÁC
    NGHỊ ĐỊNH CỦA" / "THỦ TƯỚNG CHÍNH PHỦ"), when it is one word ("THẢO") or the second syllable
    of a word the name above ends with ("CƠ QUAN CHỦ" / "TRÌ SOẠN": [column_cues]
    header_split_words), when it qualifies the name ("CẦN SỬA ĐỔI", "SOẠN THẢO":
    header_goes_on; "CHỦ TRÌ" after "CƠ QUAN": header_after_owner), or when the name above is
    one or two words naming no column ("DANH SÁCH" / "VĂN BẢN")."""
    goes_on = cue_words("header_goes_on")
    split_words = set(cue_words("header_split_words"))
    after_owner = cue_words("header_after_owner")
    every_cue = all_cue_words()
    out: list[list[SourceLine]] = []
    for n in names:
        text = " ".join(_text(x) for x in n)
        if out:
            above = " ".join(_text(x) for x in out[-1])
            if _is_caps(text) and _is_caps(above):
                f, fa = fold(text).lower(), fold(above).lower()
                words, above_words = f.split(), fa.split()
                owner = fa.startswith(("co quan", "don vi")) and not any(w in fa for w in after_owner)
                if (fa.rstrip().endswith((",", "-", "/")) or above_words[-1] in _HEAD_JOINERS
                        or len(words) == 1
                        or f"{above_words[-1]} {words[0]}" in split_words
                        or f.startswith(goes_on)
                        or (owner and f.startswith(after_owner))
                        or (len(above_words) <= 2 and not any(c in fa for c in every_cue if c))):
                    out[-1] = out[-1] + n
                    continue
        out.append(n)
    return out


_SUB = ("chu tri", "phoi hop", "bat dau", "hoan thanh", "ket thuc")


def _merge_groups(names: list[list[SourceLine]]) -> list[list[SourceLine]]:
    """A merged two-row header flattened to lines: "Cơ quan thực hiện" over "Chủ trì" and "Phối
    hợp", "Thời gian" over "Bắt đầu" and "Hoàn thành". The group line names no column of its own."""
    def plain(n: list[SourceLine]) -> str:
        return re.sub(r"[^a-z ]+", "", fold(" ".join(_text(x) for x in n))).strip()

    out: list[list[SourceLine]] = []
    k = 0
    while k < len(names):
        f = plain(names[k])
        subs = 0
        while k + 1 + subs < len(names) and plain(names[k + 1 + subs]) in _SUB:
            subs += 1
        if subs >= 2 and any(w in f for w in ("thuc hien", "co quan", "don vi", "thoi gian", "tien do")) \
                and not any(w in f for w in _SUB):
            out.extend(names[k + 1 : k + 1 + subs])
            k += 1 + subs
            continue
        out.append(names[k])
        k += 1
    return out








def _opens_with_time(text: str) -> bool:
    """``text`` opens with a time ingest.deadlines reads as a table cell ("Năm 2026 – 2030", "Quý
    II/2026", "Trước ngày 01/3/2027", "Thường xuyên"): its first deadline starts within two words."""
    from tracuu.ingest.deadlines import find_deadlines

    found = find_deadlines(text, bare=True)
    if not found:
        return False
    first = min(d.start for d in found)
    return len(text[:first].split()) <= 1 and found[0].kind != "unknown"


def _goes_on(g, texts: list[str], ahead: str) -> bool:
    from tracuu.ingest.loaders.flatcells import finishes_name

    return any(finishes_name(g, c, ahead) for c in texts)


def _finishes(g, texts: list[str], frag_texts: list[str], i: int, j: int) -> bool:
    from tracuu.ingest.loaders.flatcells import finishes_name

    return finishes_name(g, texts[j], frag_texts[i])


_CITATION = re.compile(r"^(?:[-–+•]|\d|(?:Điều|Điểm|Khoản|Mục|Tiểu\s+mục|Mẫu|Phụ\s+lục|Chương)\s)")


def _unnamed_lead_back(cols: list[list[SourceLine]], roles: Sequence[str]) -> list[list[SourceLine]]:
    """A lead cell that names no agency but cites provisions ("- Khoản 12 Điều 1", "Điều 39"): the
    lines belong to the column before it (the provisions cited, or the task), and the lead cell is
    empty (merged down from a row above, see flat_blocks). The cut filled it because an empty lead
    cell costs more than a misplaced line."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import flatcells as fc

    if "lead" not in roles:
        return cols
    at = roles.index("lead")
    text = " ".join(x.text.strip() for x in cols[at]).strip()
    if not text or not _CITATION.match(text):
        return cols
    if fc.agency_cover_with(load_gazetteer())(text.lstrip("-–+•* ").strip()) > 0:
        return cols  # it names an agency ("- Bộ Y tế;": the bullet stripped first)
    back = next((k for k in range(at - 1, -1, -1) if roles[k] in ("other", "task")), None)
    if back is None:
        return cols
    out = [list(c) for c in cols]
    out[back] += out[at]
    out[at] = []
    return out


def _row_cells(lines: list[SourceLine], roles: list[str], heads: Sequence[str], titles: Sequence[str],
               breaks: Sequence[int] = ()) -> list[list[SourceLine]]:
    """The row's lines (after the number) split over the columns after STT (``roles``: the kind
    of each column, task column first, see :func:`flatcells.column_kinds`). ``breaks``: indexes
    into ``lines`` where a page break cut the row (the row starts again from its first column)."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import flatcells as fc

    cols: list[list[SourceLine]] = [[] for _ in roles]
    if not roles:
        return cols
    from tracuu.ingest.loaders.cellcut import MemoGazetteer

    g = MemoGazetteer(load_gazetteer())  # one search a text for the row: fragments, then the cut
    cover = fc.agency_cover_with(g)
    with_level = "level" in roles
    name_at = fc.name_at_with(g)
    for part, (a, b) in enumerate(row_parts(lines, breaks)):
        texts = [" ".join(x.text.strip() for x in c) for c in cols]

        goes_on = partial(_goes_on, g, texts) if part else None
        frags = [fc.read_fragment(f, cover, _opens_with_time, with_level)
                 for f in fc.fragments(lines[a:b], name_at, goes_on)]
        if part == 0:
            # the first part: the scored cut over fragment boundaries (ingest/loaders/cellcut.py)
            placed = cut_first_part(frags, roles, g, cover, with_level)
        else:
            ends = [fc.open_end(c, kind, g) for c, kind in zip(texts, roles)]
            finishes = partial(_finishes, g, texts, [f.text for f in frags])
            stays = [[fc.open_end(f.text, kind, g) for kind in roles] for f in frags]
            placed = fc.place_fragments(frags, roles, first_part=False, open_ends=ends, finishes=finishes,
                                        stay_ends=stays)
        for frag, col in zip(frags, placed):
            cols[col] += frag.lines
    return cols


def row_parts(lines: Sequence[SourceLine], breaks: Sequence[int] = ()) -> list[tuple[int, int]]:
    """[a, b) of each part of a row that page breaks cut (``breaks``: where furniture or the
    repeated header was met; the page changing between two lines is one too)."""
    turns = [k for k in range(1, len(lines)) if lines[k].page != lines[k - 1].page]
    bounds = [0] + [b for b in sorted(set(breaks) | set(turns)) if 0 < b < len(lines)] + [len(lines)]
    return list(zip(bounds, bounds[1:]))


def cut_first_part(frags: list, roles: Sequence[str], g, cover, with_level: bool,
                   weights: dict | None = None) -> list[int]:
    """The column of each fragment of a row's first part: the scored cut of
    :mod:`ingest.loaders.cellcut` when its weights are fitted (``weights``: the ``cut`` entry of
    the cell-role model file, for a bench fold), else the fragment-by-fragment placement."""
    from tracuu.ingest.loaders import cellcut
    from tracuu.ingest.loaders import flatcells as fc

    w = weights if weights is not None else cellcut.cut_weights()
    if not w or not frags:
        return fc.place_fragments(frags, roles, first_part=True)
    # one search per candidate cell's text (the row's own memo when given: fragments already read)
    memo = g if isinstance(g, cellcut.MemoGazetteer) else cellcut.MemoGazetteer(g)
    reader = cellcut.Reader(memo, fc.agency_cover_with(memo), _opens_with_time, with_level)
    need = frozenset(f for f, v in w["weights"].items() if v)
    # a learned reading is made only where its weight is not zero (its text features are read only then)
    table = cellcut.span_table(frags, roles, reader, w.get("local") if "model" in need else None,
                               span=w.get("span") if "spanp" in need else None, need=need)
    return cellcut.best_cut(len(frags), roles, cellcut.cell_scores(table, w["weights"]), w["empty"])


def flat_blocks(lines: Sequence[SourceLine], table: FlatTable, table_index: int, heads: Sequence[str],
                titles: Sequence[str]) -> list[Block]:
    """Blocks for one flattened table: header row, rows with cells, page furniture as paragraphs."""
    from tracuu.ingest.reflow import reflow

    h0, h1 = table.header
    if table.lead_first:
        return _lead_first_blocks(lines, table, table_index)
    head_lines = list(lines[h0:h1])
    names = _split_stt_line(head_lines[0]) + _merge_groups(_caps_names(_header_names(head_lines[1:])))
    if len(names) > 1 and len(head_lines) > 1 and _STT_LINE.match(_text(head_lines[0])):
        # "STT Nhiệm vụ … Thời gian hoàn" / "thành": a lower-case line goes on the last name
        more = _header_names(head_lines[1:])
        names = _split_stt_line(head_lines[0])
        for extra in more:
            if _text(extra[0])[:1].islower():
                names[-1] += extra
            else:
                names.append(extra)
    header_block = _block([_cell(n) for n in names], table_index, True, head_lines)
    roles = column_kinds([" ".join(_text(x) for x in n) for n in names[1:]])
    out: list[Block] = [header_block]
    k = h1
    row_lines: list[SourceLine] = []
    breaks: list[int] = []  # where a page break (running header, stamp, repeated header) cut the row
    deferred: list[Block] = []  # furniture and repeated header met inside the row: given back after it
    head_texts = [_text(x) for x in head_lines if _text(x)]
    number: SourceLine | None = None
    last_group = 0  # the value of the last group numeral ("III" -> 3): a bare "IV Title" line follows it
    carried: list[Cell] = []  # the last lead cell of the current group: an empty one below is merged down
    last_int: int | None = None  # the last whole row number ("7"): the numbering may run on past a group row

    def flush() -> None:
        nonlocal row_lines, number, breaks
        if number is None:
            return
        subs = _sub_rows(row_lines) if roles and not breaks else None
        if subs is not None:  # "- Công trình giao thông. | Bộ Xây dựng": sub-rows of the row
            parent, parts = subs
            cols = _row_cells(parent, roles, heads, titles)
            cells = [_cell([number])] + [_cell(c) if c else Cell("", ()) for c in cols]
            out.append(_block(cells, table_index, False, [number] + parent))
            prev: list[Cell] = []
            for bullet, part in parts:
                own = [_cell(c) if c else Cell("", ()) for c in _row_cells(part, roles, heads, titles)]
                # a partner or time cell merged down over the sub-rows is written once, in the first
                own = [c if c.text.strip() or not prev or roles[x] == "task" else prev[x] for x, c in enumerate(own)]
                out.append(_block([_cell([bullet])] + own, table_index, False, [bullet] + part))
                prev = own
            out.extend(deferred)
            row_lines, number, breaks = [], None, []
            deferred.clear()
            return
        cols = _row_cells(row_lines, roles, heads, titles, breaks) if roles else [row_lines]
        if roles:
            cols = _unnamed_lead_back(cols, roles)
        cells = [_cell([number])] + [_cell(c) if c else Cell("", ()) for c in cols]
        if "lead" in roles:
            at = 1 + roles.index("lead")
            if cells[at].text.strip():
                carried[:] = [cells[at]]
            elif carried and any(c.text.strip() for c in cells[1:]):
                cells[at] = carried[0]  # the lead cell merged down over the rows: printed once, above
        out.append(_block(cells, table_index, False, [number] + row_lines))
        out.extend(deferred)
        row_lines, number, breaks = [], None, []
        deferred.clear()

    while k < table.end:
        line = lines[k]
        t = _text(line)
        if t and (_STT.match(t) or _one_line_header(t)):  # the header again on a new page
            j = _repeated_header_end(lines, k, table.end, head_texts)
            rep = list(lines[k:j])
            block = _block([_cell([x]) for x in rep if _text(x)], table_index, True, rep)
            if number is not None:
                breaks.append(len(row_lines))
                deferred.append(block)  # after the row it cuts, so the row's columns are named first
            else:
                out.append(block)
            k = j
            continue
        if t and _is_furniture(line):
            group = [line]
            k += 1
            # the page number under the running header goes with it
            if "BÁO" in t.upper() and k < table.end and _PAGE_NO.match(_text(lines[k])):
                group.append(lines[k])
                k += 1
            para = _block([], table_index, False, group)
            block = Block(kind="para", text=para.text, offsets=para.offsets, page=para.page, page_end=para.page_end)
            if number is not None:
                breaks.append(len(row_lines))
                deferred.append(block)
            else:
                out.append(block)
            continue
        group = _GROUP_LINE.match(t) if t else None
        if group is None and t:
            bare = _GROUP_BARE.match(t)
            if bare is not None and roman_value(bare.group("num")) == last_group + 1:
                group = bare
        if group is not None:  # a group row written on one line: numeral and title
            last_group = roman_value(group.group("num")) or last_group
            flush()
            carried.clear()
            a = line.start + len(line.text) - len(line.text.lstrip())
            num_cell = _cell([SourceLine(a, group.group("num"), line.page)])
            title_at = a + group.start("title")
            title = _cell([SourceLine(title_at, line.text[title_at - line.start :].rstrip(), line.page)])
            out.append(_block([num_cell, title], table_index, False, [line]))
            k += 1
            continue
        split = _numbered_first_line(number, line, row_lines) if t else None
        if split is not None:  # "3. Nghị định số …": the next row, its number and first task line
            flush()
            number = split[0]
            if _text(number).rstrip(".").isdigit():
                last_int = int(_text(number).rstrip("."))
            row_lines.append(split[1])
            k += 1
            continue
        is_row = (number is None and t.rstrip(".") in ("1", "I", "1.1")) or (number is not None and _next_row(number, t))
        if t and not is_row and _runs_on(number, last_int, t):
            is_row = True  # "II. Title" / "4": the rows are numbered on across the groups
        if t and is_row and _ROMAN.match(t) and not _opens_group(t, last_group, last_int, lines, k, table.end):
            is_row = False  # "I" in a resources column ("Nguồn lực"), between row 1 and row 2: a cell
        if t and is_row:
            flush()
            number = line
            if _ROMAN.match(t):
                last_group = roman_value(t.rstrip(".")) or last_group
                carried.clear()
            elif t.rstrip(".").isdigit():
                last_int = int(t.rstrip("."))
            k += 1
            continue
        if number is not None:
            row_lines.append(line)
        elif t:
            out += reflow([line])
        k += 1
    flush()
    return out


def _lead_first_blocks(lines: Sequence[SourceLine], table: FlatTable, table_index: int) -> list[Block]:
    """Blocks of a lead-first table: header row, one row a task (number and owner cells those of its
    group's merged cell), page furniture and repeated headers as they come."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import flatcells as fc
    from tracuu.ingest.loaders.leadfirst import column_slots, read_rows

    h0, h1 = table.header
    head_lines = list(lines[h0:h1])
    names = _split_stt_line(head_lines[0]) + _header_names(head_lines[1:])
    slots = column_slots([" ".join(_text(x) for x in n) for n in names[1:]]) or {}
    body = list(lines[h1 : table.end])
    head_texts = [_text(x) for x in head_lines if _text(x)]
    skipped: dict[int, Block] = {}  # first line index -> its block; every line of it is skipped
    skip_at: set[int] = set()
    k = 0
    while k < len(body):
        t = _text(body[k])
        if t and _STT.match(t):
            j = _repeated_header_end(body, k, len(body), head_texts)
            rep = body[k:j]
            skipped[k] = _block([_cell([x]) for x in rep if _text(x)], table_index, True, rep)
            skip_at.update(range(k, j))
            k = j
            continue
        if t and _is_furniture(body[k]):
            para = _block([], table_index, False, [body[k]])
            skipped[k] = Block(kind="para", text=para.text, offsets=para.offsets, page=para.page,
                               page_end=para.page_end)
            skip_at.add(k)
        k += 1
    g = load_gazetteer()
    cover = fc.agency_cover_with(g)
    cues = fc.time_opener_check()
    rows, labels, spans = read_rows(body, cover, lambda x: _opens_with_time(x) or cues(x), fc.ends_joining,
                                    lambda x: x in skip_at, fc.place_pairs())
    placed: list[tuple[int, Block]] = [(k, b) for k, b in skipped.items()]
    carried = {lab.after: lab for lab in labels}
    width = len(names) - 1
    named = [next((x for x in reversed(labels[: k + 1]) if x.name), None) for k in range(len(labels))]
    for r, (row, (a, _b)) in enumerate(zip(rows, spans)):
        lab = labels[row.group] if labels else None
        own = carried.get(r)
        cells = [Cell("", ()) for _ in range(width)]
        cells[slots.get("task", 0)] = _cell(row.task)
        owner = named[row.group] if labels else None  # a number with no name: its own STT, same owner
        if owner is not None:
            cells[slots.get("lead", 0)] = _cell(owner.name)
        if row.coord and "coord" in slots:
            cells[slots["coord"]] = _cell(row.coord)
        if row.time and "time" in slots:
            cells[slots["time"]] = _cell(row.time)
        number = _cell([lab.number]) if lab is not None else Cell("", ())
        own_lines = ([own.number] + own.name) if own is not None else []
        at = body.index(own.number) if own is not None else a
        placed.append((at, _block([number] + cells, table_index, False, own_lines + row.task + row.coord + row.time)))
    placed.sort(key=lambda x: x[0])
    return [_block([_cell(n) for n in names], table_index, True, head_lines)] + [b for _, b in placed]


# a sub-row's bullet alone on its line: a dash, or a letter "a)" "b)" (``SUB_LETTER``: the lettered
# activities of a numbered row, each with its own owner and time cells)
_BULLET = re.compile(rf"^(?:[-+•–]|{SUB_LETTER})$")


def _sub_rows(lines: list[SourceLine]) -> tuple[list[SourceLine], list[tuple[SourceLine, list[SourceLine]]]] | None:
    """A row cut into sub-rows by lines that hold only a bullet ("-", "a)"), each followed by a sub-task
    of its own ("- / Công trình giao thông. / Bộ Xây dựng"): the row's own lines and, per
    sub-row, its bullet and lines. None unless two such bullets open a sub-task each (a lone "-"
    is as often an empty cell written as a dash: then the next line is a name or a time)."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.loaders import flatcells as fc

    g = load_gazetteer()
    cover = fc.agency_cover_with(g)

    def opens_subtask(k: int) -> bool:
        nxt = next((_text(x) for x in lines[k + 1 :] if _text(x)), "")
        return bool(nxt) and nxt[:1].isupper() and not _opens_with_time(nxt) and cover(nxt) == 0.0

    at = [k for k, x in enumerate(lines) if _BULLET.match(_text(x)) and opens_subtask(k)]
    if len(at) < 2:
        return None
    parts = [(lines[a], list(lines[a + 1 : b])) for a, b in zip(at, at[1:] + [len(lines)])]
    return list(lines[: at[0]]), parts


def _repeated_header_end(lines: Sequence[SourceLine], k: int, limit: int, head_texts: list[str]) -> int:
    """End of the column header written again at ``lines[k]`` on a new page: the lines that repeat
    the first header line for line (a row's text that goes on after it is not header). A header
    that differs from the first one (other wording) runs up to the next row number."""
    j, n = k, 0
    while j < limit and n < len(head_texts):
        t = _text(lines[j])
        if not t:
            j += 1
            continue
        if collapse(t) != collapse(head_texts[n]):
            break
        j, n = j + 1, n + 1
    if n >= 2:
        return j
    j = k + 1
    while j < limit and not _NUM.match(_text(lines[j])) and not _ROMAN.match(_text(lines[j])) \
            and not _GROUP_LINE.match(_text(lines[j])) and j - k <= 12:
        j += 1
    return j


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral of a group row ("IV" -> 4); 0 when it is not one."""
    total = 0
    vals = [_ROMAN_VALUE.get(ch, 0) for ch in numeral.upper()]
    if not vals or 0 in vals:
        return 0
    for i, v in enumerate(vals):
        total += -v if i + 1 < len(vals) and vals[i + 1] > v else v
    return total


def collapse(text: str) -> str:
    return " ".join(text.split())


def _split_stt_line(line: SourceLine) -> list[list[SourceLine]]:
    """The STT line as header cells: just "STT", or "STT" and the column names written after it."""
    m = _STT_LINE.match(line.text.strip())
    if m is None or len(split_header_line(m.group("rest"))) < 2:
        return [[line]]
    lead = len(line.text) - len(line.text.lstrip())
    base = line.start + lead
    stt = [SourceLine(base, m.group("stt"), line.page)]
    rest_at = lead + m.start("rest")
    out = [stt]
    for a, b in split_header_line(m.group("rest")):
        out.append([SourceLine(line.start + rest_at + a, line.text[rest_at + a : rest_at + b], line.page)])
    return out


def _runs_on(number: SourceLine | None, last_int: int | None, cur: str) -> bool:
    """``cur`` is the next whole number after the last row, met right after a group row (a group
    line "II. Title" leaves no row open; a lone "II" is the open row): the table numbers its rows
    on across the groups ("3", "II. …", "4") instead of from 1 in each group."""
    if last_int is None or cur.rstrip(".") != str(last_int + 1):
        return False
    return number is None or bool(_ROMAN.match(_text(number).rstrip(".")))


def _opens_group(cur: str, last_group: int, last_int: int | None, lines: Sequence[SourceLine], k: int,
                 end: int) -> bool:
    """A lone Roman numeral opens a group row unless it is a cell: a column of resource codes ("I",
    "II, IV") writes "I" alone in a row's last cell, so a numeral followed by the next row of the
    same numbering (row 1 … "I" … row 2) is a cell, and so is one out of the group sequence ("I"
    after group II) followed by the next group's numeral. A numeral out of sequence before a title
    or a row "1" still opens a group (a second part of the table numbering its groups anew)."""
    nxt = next((_text(x) for x in lines[k + 1 : end] if _text(x)), "").rstrip(".")
    if last_int is not None and nxt == str(last_int + 1):
        return False
    in_sequence = not last_group or roman_value(cur.rstrip(".")) == last_group + 1
    return in_sequence or not _ROMAN.match(nxt)


def _next_row(prev: SourceLine, cur: str) -> bool:
    """``cur`` numbers the row after ``prev``: the next integer, "1" after a Roman group, a
    sub-number ("1.2" after "1.1" or "1"), or the next Roman numeral."""
    return _next_number(_text(prev), cur)


def _next_number(prev: str, cur: str) -> bool:
    """:func:`_next_row` on the two numbers' texts."""
    p = prev.rstrip(".")
    c = cur.rstrip(".")
    if _ROMAN.match(c):
        return True
    if not _NUM.match(c):
        return False
    if _ROMAN.match(p):
        return c in ("1", "1.1") or c.startswith("1")
    try:
        pv = [int(x) for x in p.split(".")]
        cv = [int(x) for x in c.split(".")]
    except ValueError:
        return False
    # at some level k the number goes on from the row before ("1.2" -> "1.3", "1.2.3" -> "1.3") or
    # a level opens under it ("1.2" -> "1.2.1"), every level after k starting at 1 ("1.2.3" -> "2.1")
    for k in range(len(cv)):
        if cv[:k] != pv[:k]:
            break
        step = pv[k] + 1 if k < len(pv) else 1
        if cv[k] == step and all(x == 1 for x in cv[k + 1 :]):
            return True
    return False


def _block(cells: list[Cell], table_index: int, header: bool, lines: list[SourceLine]) -> Block:
    chars: list[tuple[str, int]] = []
    for k, line in enumerate(lines):
        if k:
            chars.append((" ", lines[k - 1].end))
        chars.extend((ch, line.start + j) for j, ch in enumerate(line.text))
    text, offs = collapse_with_offsets(chars)
    page = lines[0].page if lines else 1
    page_end = lines[-1].page if lines else page
    return Block(kind="table_row", text=text, offsets=offs, page=page, page_end=page_end, cells=tuple(cells),
                 table_index=table_index, header_row=header)
