"""The cells of one flattened task-table row: fragments placed by what they are and by column order.

Why: a gazette (Công báo) PDF text layer writes a row cell after cell, each cell over one or more
lines, with nothing between cells. Where one cell ends shows only in the words: a line that opens
with a capital after a line that does not end in a joining word starts a new fragment, but a cell
may hold several such fragments ("Hội nghị, tập huấn, báo cáo." / "100% cán bộ …") and a cell may
be empty. Placing fragments in column order one by one puts a product or a time into the partners'
cell as soon as one fragment is misread. Instead each fragment is read for what it is (a list of
agencies, a time, a product, the level a text is submitted to, or plain text) and the row is cut
into columns as a whole: the best monotone assignment of fragments to the header's columns
(columns in order, a column may stay empty or take several fragments), scored by how well each
fragment fits its column. A row split over a page break is cut part by part: after the break the
row starts again from its first column (each column goes on where it stopped).

Language data (time, product and level openers, level column names) is in
``ingest/data/flatcells.toml``; agency names come from the gazetteer, times from
:mod:`ingest.deadlines`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from tracuu.ingest.columncues import cue_words, task_column, verb_phrases
from tracuu.ingest.reflow import SourceLine
from tracuu.ingest.vntext import fold, nfc
from tracuu.ingest.vntext import opens_with as _opens  # lower case, diacritics kept

__all__ = ["column_kinds", "fragments", "place_fragments", "Fragment"]

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "flatcells.toml"

# column kinds: the task, the lead, the partners, the time, the level a text goes to, anything else
KINDS = ("task", "lead", "coord", "time", "level", "other")


@dataclass(frozen=True)
class _Cues:
    time: tuple[str, ...]
    product: tuple[str, ...]
    level: tuple[str, ...]
    level_columns: tuple[str, ...]
    lower_openers: tuple[str, ...]
    proper_pairs: frozenset[str]  # two words of one proper name ("Việt Nam", "Hà Nội")


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted({nfc(w).lower() for w in data.get(key, [])}, key=len, reverse=True))

    from tracuu.ingest.agencies import AGENCIES_FILE

    places = tomllib.loads(AGENCIES_FILE.read_text(encoding="utf-8")).get("matching", {}).get("provinces", [])
    pairs = {" ".join(nfc(p).split()[k : k + 2]) for p in [*places, *data.get("proper_names", [])]
             for k in range(len(p.split()) - 1)}
    return _Cues(words("time_openers"), words("product_openers"), words("level_openers"),
                 tuple(fold(w).lower() for w in data.get("level_columns", [])), words("lower_name_openers"),
                 frozenset(pairs))


def column_kinds(names: Sequence[str]) -> list[str]:
    """The kind of each column after STT (``names``: their header names, task column first)."""
    cues = _cues()
    out: list[str] = []
    # the task column is the one a task word names ("Nhiệm vụ", "Thông tin đề xuất"), whatever its
    # place ("Cơ quan chủ trì | Nội dung …", "Tỉnh kiến nghị | Thông tin đề xuất | …"), else the
    # first; a column of [column_cues].skip ("Đơn vị tính", "Tỉnh kiến nghị") holds nothing to read
    at = task_column(names, ("nhiem vu", "noi dung", "cong viec"))
    at = 0 if at is None else at
    skip = cue_words("skip")
    for k, name in enumerate(names):
        f = fold(name).lower()
        if k == at:
            out.append("task")
        elif any(w in f for w in skip):
            out.append("other")
        elif any(w in f for w in cues.level_columns):
            out.append("level")
        elif any(w in f for w in ("thoi gian", "thoi han", "tien do", "hoan thanh", "lo trinh")):
            out.append("time")
        elif "phoi hop" in f:
            out.append("coord")
        elif any(w in f for w in cue_words("product") + cue_words("note") + cue_words("status")):
            out.append("other")  # "Kết quả thực hiện", "Tình hình thực hiện": no owner for "thực hiện"
        elif any(w in f for w in ("chu tri", "thuc hien", "co quan", "don vi", "trach nhiem", "phu trach")):
            out.append("lead" if "lead" not in out else "coord")
        elif any(w in f for w in ("nhiem vu", "noi dung", "cong viec", "ten ")) and "task" not in out[1:]:
            out.append("other")
        else:
            out.append("other")
    return out


@dataclass
class Fragment:
    """Lines of a row that belong to one cell (or to one part of a cell), and what they read as."""

    lines: list[SourceLine]
    weak: bool = False  # the line before may end the same cell (a one-word line, a name after "tại")
    agency: float = 0.0  # share of its words inside agency names, when it opens with one
    time: bool = False
    product: bool = False
    level: bool = False

    @property
    def text(self) -> str:
        return " ".join(x.text.strip() for x in self.lines).strip()


_JOINERS = {"và", "với", "của", "cho", "các", "bộ", "sở", "thuộc", "tại", "về", "và/hoặc",
            "hoặc", "cùng", "những", "trong", "để", "theo", "từ", "đến", "ở", "trên", "có", "được"}
# joining words after which a known agency name may still open the next cell ("… nước ngoài tại" /
# "Bộ Ngoại giao": the task cell ends with "tại", its next line on the next page)
_PREPOSITIONS = {"với", "của", "cho", "thuộc", "tại", "về", "trong", "theo", "từ", "đến", "ở", "trên"}


def _ends_joining(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in ",;-–(/&":
        return True
    return t.split()[-1].lower() in _JOINERS


def ends_joining(text: str) -> bool:
    """``text`` ends on a word or sign that needs the next line ("Bộ Thông tin và", "… của")."""
    return _ends_joining(text)


def place_pairs() -> frozenset[str]:
    """Two words of one place or proper name ("Cần Thơ", "Việt Nam"), as a line break may cut it."""
    return _cues().proper_pairs


def time_opener_check():
    """``check(text)``: ``text`` opens with one of the time openers of flatcells.toml."""
    words = _cues().time
    return lambda text: _opens(nfc(text).strip().lower(), words)


# a line that opens a bulleted item ("- Ban hành quy định …") starts a fragment as a capital does
_BULLET_ITEM = re.compile(r"^[-+•–]\s+[A-ZĐÀ-Ỹ]")
# a document's number and symbol ("332/2025/NĐ-CP", "10/NQ-CP", "66.16/2026/NQ-CP", "178-QĐ/TW"): after a
# line that ends with "số" it is the number that word announces ("Nghị định số" / "262/2025/NĐ-CP …"),
# no new cell (a plain number after "số" may be a row number: "… dữ liệu số" / "1")
_DOC_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,3})?(?:/\d{4})?[/-][A-ZĐ]")


def _number_goes_on(prev: str, t: str) -> bool:
    """``t`` opens with the number of the document that ``prev`` names and ends with "số"."""
    return bool(prev.split()) and prev.split()[-1].lower() == "số" and bool(_DOC_NUMBER.match(t))


# the lines a name's tail may take in a narrow column ("ban công tác về" / "các tổ chức phi" / "chính
# phủ nước" / "ngoài")
_NAME_LINES = 6


def fragments(lines: Sequence[SourceLine], name_at=None, goes_on=None) -> list[Fragment]:
    """The row's lines grouped into fragments.

    A line opening with a capital or a digit after a line that does not end in a joining word
    starts one; so does a lower-case line after a line that ends a sentence ("."), and a lower-case
    line that opens a name of bodies ("các bộ, ngành …") after a line that does not end in a
    joining word; a blank line ends one. The start is *weak* (the fragment may still be the same
    cell as the one before) after a one-word line ("Năm" / "2026") and when a known agency name
    opens a line after a preposition ("… tại" / "Bộ Ngoại giao"). A name the gazetteer knows that
    runs over the boundary ("Thanh tra" / "Chính phủ") joins the two fragments.

    ``name_at(text)`` -> the end of the agency name that opens ``text`` (0 when none).
    ``goes_on(text)`` -> ``text`` finishes a name a cell was left in (after a page break: "Ủy ban"
    / "nhân dân các xã"): such a lower-case line starts a fragment too.
    """
    cues = _cues()
    out: list[Fragment] = []
    cur: list[SourceLine] = []
    weak = False

    def close() -> None:
        nonlocal cur
        if cur:
            out.append(Fragment(cur, weak))
            cur = []

    for k, line in enumerate(lines):
        t = line.text.strip()
        if not t:
            close()
            weak = False
            continue
        new = False
        is_weak = False
        if cur:
            prev = cur[-1].text.strip()
            joined = _ends_joining(prev)
            ahead = " ".join(x.text.strip() for x in lines[k : k + 3])
            low = t.lower()
            opener = " ".join(x.text for x in cur).split(":")[0].split()
            listing = prev.endswith((":", ",")) and ":" in " ".join(x.text for x in cur) and bool(opener)
            if listing and t[0].isupper() and t.split()[0].lower() != opener[-1].lower() \
                    and not (_opens(low, cues.time) or _opens(low, cues.product)):
                pass  # "Các Bộ:" / "NN&MT," / "Xây dựng,": the items of a list after a colon go on
                # ("Bộ Tài chính" after them, the list's head word again, opens the next cell)
            elif (t[0].isupper() or t[0].isdigit() or _BULLET_ITEM.match(t)) and not joined \
                    and not _number_goes_on(prev, t):
                new = True
                # "Năm" / "2026": a fragment of one word cannot stand as a cell of its own
                is_weak = len(cur) == 1 and len(prev.split()) == 1 and not prev.endswith((".", ";"))
            elif t[0].isupper() and joined and (_opens(low, cues.product) or _opens(low, cues.time)):
                new, is_weak = True, True  # "… các" / "Hệ thống dữ liệu;": the next cell may open here
            elif t[0].islower() and prev.endswith(".") and not prev.endswith(("...", "…")):
                new = True
            elif (t[0].islower() and not joined and not prev.endswith((",", ";"))
                  and _opens(low, cues.lower_openers) and name_at is not None and name_at(ahead)):
                new = True
            elif t[0].islower() and not joined and goes_on is not None and goes_on(
                    " ".join(x.text.strip() for x in lines[k : k + _NAME_LINES])):
                # a name cut by the break runs over as many short lines as its column is narrow
                new = True
            elif (t[0].isupper() and prev.split()[-1].lower() in _PREPOSITIONS and name_at is not None
                  and name_at(ahead) > len(t.split()[0])):
                new, is_weak = True, True
            if new and name_at is not None and not (_opens(low, cues.time) or _opens(low, cues.product)):
                # a known name that runs over the line break keeps the two lines together (not
                # when the line opens a time or a product: "… UBND tỉnh" / "Quý III/2026")
                so_far = " ".join(x.text.strip() for x in cur).split()
                own = name_at(ahead)  # a name that opens the new line ("Tỉnh đoàn") is no tail of "Sở Nội vụ"
                for n in range(min(4, len(so_far)), 0, -1):
                    tail = " ".join(so_far[-n:])
                    if name_at(tail + " " + ahead) - len(tail) - 1 >= max(own, 1):
                        new = False
                        break
            if new and t[0].isupper() and (prev.split()[-1] + " " + t.split()[0]) in cues.proper_pairs:
                new = False  # "đại diện Việt" / "Nam tại nước ngoài": one proper name
        if new:
            close()
            weak = is_weak
        cur.append(line)
    close()
    return out


def read_fragment(frag: Fragment, agency_cover, is_time, with_level: bool) -> Fragment:
    """Fill in what ``frag`` reads as (``agency_cover(text)`` -> share of words in names when the
    text opens with a name, else 0; ``is_time(text)`` -> the text opens with a time)."""
    cues = _cues()
    text = frag.text
    f = nfc(text).lower()
    frag.agency = agency_cover(text)
    frag.time = is_time(text) or _opens(f, cues.time)
    frag.product = _opens(f, cues.product)
    frag.level = with_level and _opens(f, cues.level)
    return frag


def fit(frag: Fragment, kind: str) -> float:
    """How well a fragment (or a whole cell) reads as a cell of a column of ``kind``: the layout
    rule's hand-set score (agency names for a lead or partner column, a time for a time column)."""
    a = frag.agency
    t = 1.0 if frag.time else 0.0
    p = 1.0 if frag.product else 0.0
    lv = 1.0 if frag.level else 0.0
    if kind == "task":
        return 0.5 - 1.5 * a - 1.0 * t
    if kind in ("lead", "coord"):
        return 2.5 * a - 1.0 - 2.0 * t - 1.0 * p - 1.5 * lv
    if kind == "time":
        return 2.0 * t - 1.5 - 0.5 * p
    if kind == "level":
        return 1.5 * lv + 0.5 * a - 0.5 - 2.0 * t
    return 0.5 - 1.0 * a - 1.0 * t + 0.5 * p + 0.25 * lv  # product, note, anything else


# a second fragment in one cell, after a strong start (never for the task cell): a lead cell is
# rarely more than one fragment, so a second run of names goes to the partners
_MERGE = {"lead": 1.0}


def _empty_cost(kind: str, first_part: bool) -> float:
    if not first_part:
        return 0.0
    return {"lead": 2.0, "task": 2.0, "time": 0.5}.get(kind, 0.3)


def open_end(text: str, kind: str, gazetteer=None) -> float:
    """How plainly a cell's text so far stops in the middle of a name or phrase (a later part of
    the row goes on there): it ends with a joining word ("các", "về", ","): 1; an agency cell
    that does not end with a whole name the gazetteer knows ("Ủy ban Công tác"): 1/3; else 0."""
    t = text.strip()
    if not t:
        return 0.0
    if _ends_joining(t):
        return 1.0
    if kind in ("lead", "coord") and gazetteer is not None:
        body = t.rstrip(" .;,")
        if not any(m.end == len(body) and m.matched != "guess" for m in gazetteer.find(body)):
            return 1.0 / 3
    return 0.0


_OPEN_END = 1.5  # after a page break, a fragment that goes on a cell left open


def place_fragments(frags: Sequence[Fragment], kinds: Sequence[str], first_part: bool = True,
                    open_ends: Sequence[float] = (), finishes=None,
                    stay_ends: Sequence[Sequence[float]] = ()) -> list[int]:
    """The column of each fragment: the monotone assignment (column numbers never go down) with
    the best score. In the first part of a row the first fragment is the task's; in a later part
    (after a page break) a fragment fits better a column whose text was left open (``open_ends``),
    and best the column whose name it finishes (``finishes(i, j)``); a fragment after another in
    the same column fits it better when the one before is left open (``stay_ends[i][j]``: how open
    fragment ``i`` ends as a cell of column ``j``, see :func:`open_end`)."""
    n, m = len(frags), len(kinds)
    if n == 0 or m == 0:
        return []
    neg = float("-inf")
    # best[i][j]: best score with fragments 0..i placed and fragment i in column j
    best = [[neg] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    skipped = [0.0] * (m + 1)  # cost of leaving columns 0..j-1 empty
    for j in range(m):
        skipped[j + 1] = skipped[j] - _empty_cost(kinds[j], first_part)
    def fit_at(i: int, j: int, entering: bool = True) -> float:
        # a cell left open before the break is gone on by the first fragment placed in its column;
        # a further fragment there goes on that fragment, open when the fragment is (``stay_ends``):
        # after "Việt Nam theo hướng …, hiệu quả." the next fragment ("công tác về các tổ chức …")
        # is no more of the task
        if not entering:
            open_after = stay_ends[i - 1][j] if (not first_part and i - 1 < len(stay_ends)) else 0.0
            return fit(frags[i], kinds[j]) + _OPEN_END * open_after
        bonus = _OPEN_END * open_ends[j] if (not first_part and j < len(open_ends)) else 0.0
        if not first_part and finishes is not None and finishes(i, j):
            bonus = max(bonus, 2 * _OPEN_END)
        return fit(frags[i], kinds[j]) + bonus

    for j in range(m):
        if first_part and j > 0:
            break
        best[0][j] = skipped[j] + fit_at(0, j) - 0.01 * j
    for i in range(1, n):
        for j in range(m):
            here = fit_at(i, j)
            # stay in column j (a further fragment of the same cell)
            stay = best[i - 1][j] - (0.0 if kinds[j] == "task" or frags[i].weak else _MERGE.get(kinds[j], 0.4))
            cand, arg = stay + fit_at(i, j, entering=False), j
            # move from an earlier column jj to j, leaving jj+1 .. j-1 empty
            for jj in range(j):
                if best[i - 1][jj] == neg:
                    continue
                s = best[i - 1][jj] + (skipped[j] - skipped[jj + 1]) + here
                if s > cand:
                    cand, arg = s, jj
            best[i][j] = cand - 0.01 * j  # a tie goes to the earlier column
            back[i][j] = arg
    # columns after the last fragment's stay empty
    end = max(range(m), key=lambda j: best[n - 1][j] + (skipped[m] - skipped[j + 1]))
    cols = [0] * n
    j = end
    for i in range(n - 1, -1, -1):
        cols[i] = j
        j = back[i][j] if i else j
    return cols


_TAIL_WORDS = 8


def finishes_name(gazetteer, cell: str, text: str) -> bool:
    """``text`` finishes a name the gazetteer knows that ``cell`` (a column's text so far) left
    unfinished: "Các sở, ngành, Ủy ban" + "nhân dân các xã, phường"."""
    # the cell's last words, back to where the longest names open ("Ủy ban nhân dân các tỉnh, thành"
    # / "phố trực thuộc trung ương": the name opens seven words before the break)
    tail = " ".join(cell.split()[-_TAIL_WORDS:])
    if not tail or not text:
        return False
    if text.lstrip().startswith("("):
        # "Bộ X" + "(UAV), mô hình …": a bracket after a name is no part of it that a page break
        # cut (the gazetteer reads "Name (ABBR)" as one name, but the name was whole already)
        return False
    joined = tail + " " + text
    return any(m.start < len(tail) and m.end > len(tail) + 1 and m.matched != "guess"
               for m in gazetteer.find(joined))


def name_at_with(gazetteer):
    """``name_at(text)``: the end of the agency name the gazetteer knows (not a guess from a head
    word) at the very start of ``text`` (0 when none)."""

    def name_at(text: str) -> int:
        return max((m.end for m in gazetteer.find(text) if m.start == 0 and m.matched != "guess"), default=0)

    return name_at


_WORD = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+")
_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+và\s+")
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ&]{1,9}$")


_HEAD_LIST = re.compile(r"^[Cc]ác\s+(?P<head>\S+)\s*:\s*(?P<items>\S.*)$")


def agency_cover_with(gazetteer):
    """``agency_cover(text)``: the share of the words of ``text`` in pieces (cut at commas,
    semicolons and "và" outside the names the gazetteer reads) that are agency names: a name the
    gazetteer reads at the piece's start, a capitalised head word of one ("Ủy ban công tác …"), an
    acronym ("VTV"); a piece that opens with a product word ("Hội nghị", "Báo cáo") is none. 0 when
    ``text`` does not open with such a piece."""
    heads = gazetteer.head_word_tuples()
    products = _cues().product
    # a verb of [matching].name_stop_words that opens with a head word ("Ban hành", "Tổ chức"): a
    # task that opens with it is no name ("Ban hành hướng dẫn …" is not a board)
    verbs = verb_phrases()

    def opens_name(piece: str, at: int, starts: set[int]) -> bool:
        if not piece:
            return False
        if _opens(nfc(piece).lower(), products):
            return False
        if at not in starts and _opens(nfc(piece).lower(), verbs):
            return False
        if at in starts or _ACRONYM.match(piece):
            return True
        words = tuple(w.lower() for w in piece.split())
        return piece[0].isupper() and any(words[: len(h)] == h for h in heads)

    def cover(text: str) -> float:
        text = text.strip()
        total = len(_WORD.findall(text))
        if not total:
            return 0.0
        listed = _HEAD_LIST.match(text)
        if listed and (listed.group("head").lower(),) in heads:
            # "Các Bộ: NN&MT, Xây dựng, Y tế": names whose head word the list opener holds
            items = [x.strip() for x in listed.group("items").split(",") if x.strip()]
            if items and all(x[0].isupper() and len(x.split()) <= 6 for x in items):
                return 1.0
        first = text.split()[0]
        if first in _PREPOSITIONS and len(text.split()) > 1:
            # "về các tổ chức …": the end of a name a page break cut ("Ủy ban Công tác" / "về …")
            rest = text[len(first) :].strip()
            return cover(rest) * len(_WORD.findall(rest)) / total
        mentions = gazetteer.find(text)
        starts = {m.start for m in mentions}

        def free(k: int) -> bool:
            return not any(m.start <= k < m.end for m in mentions)

        cuts = [(mt.start(), mt.end()) for mt in _SEPARATORS.finditer(text) if free(mt.start())]
        inside = 0
        pos = 0
        for k, (a, b) in enumerate(cuts + [(len(text), len(text))]):
            piece = text[pos:a]
            if opens_name(piece, pos, starts):
                inside += len(_WORD.findall(piece))
            elif k == 0:
                return 0.0
            pos = b
        return min(1.0, inside / total)

    return cover
