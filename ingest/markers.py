"""Pieces of text with exact offsets, and the list markers that open them.

Why a :class:`Piece` and not the loader's :class:`~ingest.model.Block`: the parser must cut
blocks (a loader may hand over "Số: 214/KH-UBND Bình Sơn, ngày 12 tháng 9 năm 2025" or
"KT. CHỦ TỊCH PHÓ CHỦ TỊCH" as one block) and strip markers ("a)", "Điều 3.") while every
piece keeps the source offset of each character, so that a clause still cites its source.

Markers are only *recognised* here (syntax). Whether a recognised marker really opens a new
item (``c)`` must follow ``b)``) is decided by the body builder in :mod:`ingest.parser`, which
knows the siblings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.vntext import fold

# The Vietnamese point sequence: đ follows d, there is no f, j, w, z; i/k/l follow h.
LETTERS: tuple[str, ...] = tuple("a b c d đ e g h i k l m n o p q r s t u v x y".split())
_LETTER_INDEX = {ch: i for i, ch in enumerate(LETTERS)}

# "IV." and, from a PDF text layer that spaced a numeral's letters, "V I." / "VII I." (the body
# builder takes a spaced numeral only as the next one of its sequence)
ROMAN_RE = re.compile(r"^(?P<num>[IVXL](?: ?[IVXL]){0,5})\s*[.:]\s*")
NUMBER_RE = re.compile(r"^(?P<num>\d{1,3})\.(?!\d)\s*")
LETTER_RE = re.compile(r"^(?P<num>[a-zđ])(?:\)\s*|\.\s+)")
# the mark of a lettered sub-row of a task table ("a)" "đ)" alone in its STT cell or on its line): the
# activities of a numbered row, each with its own owner and time cells (ingest/appendix.py and
# ingest/loaders/flattable.py read it as a sub-row, like a dash)
SUB_LETTER = r"[a-zđ]\)"
DASH_RE = re.compile(r"^[-–—•](?:\s+|(?=[^\s\d-]))")
PLUS_RE = re.compile(r"^\+\s*(?=\S)")
DIEU_RE = re.compile(r"^(?P<word>Điều|ĐIỀU)\s+(?P<num>\d{1,3})\s*[.:]?\s*")
# "Phần I", "PHẦN THỨ HAI", "Chương II", "CHƯƠNG 3", "Mục 1": the divisions above Điều
HEADING_RE = re.compile(
    r"^(?P<word>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?P<num>[IVXL]{1,6}|\d{1,2}|(?:thứ|THỨ)\s+[^\W\d_]+)(?=[\s.:]|$)\s*[.:]?\s*"
)
_HEADING_KIND = {"phan": "phan", "chuong": "chuong", "muc": "muc_chuong"}
# "1.1.", "2.3", "1.2.1.": a dotted number, a level under khoản "1." (tiểu mục)
DOTTED_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s)\s*")
_ORDINAL_WORDS = ("nhat", "hai", "ba", "tu", "nam", "sau", "bay", "tam", "chin", "muoi")
TERMINAL_RE = re.compile(r"[.;!?…]['\"”’)]*$")

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


@dataclass(frozen=True)
class Piece:
    """A stretch of one block: text as reflowed plus the source offset of every character."""

    text: str
    offsets: tuple[int, ...]
    page: int
    page_end: int
    block: Block | None = None

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    @property
    def layout(self) -> bool:
        return bool(self.block is not None and self.block.layout)

    @property
    def is_row(self) -> bool:
        return bool(self.block is not None and self.block.kind == "table_row")


class Pager:
    """Page of a source offset, kept inside the page range of the block a piece comes from."""

    def __init__(self, source: SourceText) -> None:
        self._starts = list(source.page_starts or [0])

    def page(self, offset: int, lo: int = 1, hi: int | None = None) -> int:
        page = max(1, bisect.bisect_right(self._starts, offset))
        if hi is not None:
            page = min(page, hi)
        return max(page, lo)


def piece_from_block(block: Block) -> Piece:
    """The whole block as one piece (table rows without text get their cells joined)."""
    text, offsets = block.text, tuple(block.offsets)
    if not text and block.cells:
        parts: list[str] = []
        offs: list[int] = []
        for cell in block.cells:
            if not cell.text:
                continue
            if parts:
                parts.append(" ")
                offs.append(offs[-1] + 1)
            parts.append(cell.text)
            offs.extend(cell.offsets)
        text, offsets = "".join(parts), tuple(offs)
    return Piece(text, offsets, block.page, block.page_end, block)


def cut(piece: Piece, i: int, j: int | None, pager: Pager) -> Piece:
    """``piece.text[i:j]`` with surrounding spaces trimmed, as a piece with its own pages."""
    j = len(piece.text) if j is None else j
    while i < j and piece.text[i].isspace():
        i += 1
    while j > i and piece.text[j - 1].isspace():
        j -= 1
    offs = piece.offsets[i:j]
    if not offs:
        return Piece("", (), piece.page, piece.page, piece.block)
    lo, hi = piece.page, piece.page_end
    return Piece(
        piece.text[i:j], offs, pager.page(offs[0], lo, hi), pager.page(offs[-1], lo, hi), piece.block
    )


def split_at(piece: Piece, cuts: list[int], pager: Pager) -> list[Piece]:
    """Cut a piece at the given character positions; empty parts are dropped."""
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(piece.text))), len(piece.text)]
    parts = [cut(piece, a, b, pager) for a, b in zip(bounds, bounds[1:])]
    return [p for p in parts if p.text]


@dataclass(frozen=True)
class Marker:
    """A list marker at the start of a piece: its kind, the marker as written, its value."""

    kind: str  # "roman" | "number" | "dotted" | "letter" | "dash" | "plus" | "dieu" | "phan" | "chuong" | "muc_chuong"
    written: str  # "II.", "1.", "đ)", "-", "+", "Điều 3."
    value: str  # "II", "1", "đ", "", "", "3"
    end: int  # where the text after the marker starts


def find_marker(text: str) -> Marker | None:
    """The marker that opens ``text``, if any (syntax only; see module docstring)."""
    m = HEADING_RE.match(text)
    if m:
        value = heading_number(m.group("num"))
        if value is not None:
            kind = _HEADING_KIND[fold(m.group("word")).lower()]
            return Marker(kind, text[: m.end()].rstrip(), str(value), m.end())
    m = DOTTED_RE.match(text)
    if m and m.end() < len(text):
        return Marker("dotted", text[: m.end()].rstrip(), m.group("num"), m.end())
    for kind, rx in (("dieu", DIEU_RE), ("roman", ROMAN_RE), ("number", NUMBER_RE), ("letter", LETTER_RE)):
        m = rx.match(text)
        if not m or (m.end() >= len(text) and kind != "dieu"):
            continue
        num = m.group("num").replace(" ", "") if kind == "roman" else m.group("num")
        if kind == "roman" and roman_value(num) is None:
            continue
        return Marker(kind, text[: m.end()].rstrip(), num, m.end())
    m = DASH_RE.match(text)
    if m and m.end() < len(text):
        return Marker("dash", text[: m.end()].rstrip(), "", m.end())
    m = PLUS_RE.match(text)
    if m and m.end() < len(text):
        return Marker("plus", "+", "", m.end())
    return None


def heading_number(s: str) -> int | None:
    """The number of a Phần/Chương/Mục: "II" -> 2, "3" -> 3, "thứ nhất" / "THỨ HAI" -> 1 / 2."""
    if s.isdigit():
        return int(s)
    f = fold(s).lower().split()
    if len(f) == 2 and f[0] == "thu":
        return _ORDINAL_WORDS.index(f[1]) + 1 if f[1] in _ORDINAL_WORDS else None
    return roman_value(s)


def roman_value(s: str) -> int | None:
    """1..89 for a well-formed Roman numeral (I, IV, IX, XL ...), else None."""
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        if v < prev:
            total -= v
        else:
            total += v
            prev = v
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = []
    for v, s in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def letter_follows(prev: str | None, letter: str) -> bool:
    """True when ``letter`` continues a point sequence whose last letter is ``prev``.

    The first point must be "a". After "d" comes "đ"; "e" straight after "d" is also accepted
    because many real documents skip đ (a typing habit, not a different list).
    """
    if letter not in _LETTER_INDEX:
        return False
    if prev is None:
        return letter == "a"
    want = _LETTER_INDEX.get(prev, -9) + 1
    got = _LETTER_INDEX[letter]
    return got == want or (prev == "d" and letter == "e")


def letters_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def is_caps(text: str) -> bool:
    """All letters upper case, and enough of them to be a heading rather than an acronym."""
    letters = letters_of(text)
    return len(letters) >= 4 and letters.isupper()


def ends_terminal(text: str) -> bool:
    """Ends like a sentence (., ;, !, ?, …), not like a heading or a lead-in (":")."""
    return bool(TERMINAL_RE.search(text.rstrip()))


def is_name_like(text: str) -> bool:
    """A person's name as signed: 2-6 capitalised words, no digits ("Lê Trung Hồ")."""
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def join_pieces(a: Piece, b: Piece, sep: str = " ") -> Piece:
    """One piece from two (a wrapped recipient line and its rest); the separator takes the
    offset just after ``a``, so offsets stay increasing and point into the source."""
    if not a.text:
        return b
    if not b.text:
        return a
    offs = a.offsets + tuple(a.end for _ in sep) + b.offsets
    return Piece(a.text + sep + b.text, offs, a.page, max(a.page_end, b.page_end), a.block)


def join_all(pieces: list[Piece], sep: str = " ") -> Piece:
    """What ``join_pieces(join_pieces(a, b), c)...`` gives, in one pass.

    Why: joining wrapped lines one at a time copies the text and offsets joined so far each
    time, so a block of n lines costs n² (a .docx of 290k one-letter paragraphs under
    "Nơi nhận" never finished). Callers collect the lines and join them once.
    """
    parts = [p for p in pieces if p.text]
    if not parts:
        return pieces[0]
    if len(parts) == 1:
        return parts[0]
    offs: list[int] = list(parts[0].offsets)
    for prev, nxt in zip(parts, parts[1:]):
        offs.extend(prev.end for _ in sep)
        offs.extend(nxt.offsets)
    return Piece(sep.join(p.text for p in parts), tuple(offs), parts[0].page,
                 max(p.page_end for p in parts), parts[0].block)


@dataclass
class Draft:
    """A clause before ids, order and references are filled in (see :func:`ingest.parser.parse_document`).

    ``parts`` are joined with a newline (the paragraphs of one Điều, the lines of a signature)
    and give the span: from the first part's first character to the last part's end.
    """

    path: str
    kind: str
    label: str
    marker: str
    parent: str | None
    parts: list[Piece]
    heading_chain: list[str]
    order: int
    cells: dict[str, str] | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.parts if p.text)
