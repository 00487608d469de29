"""Reflow: turn extracted source lines back into paragraphs, keeping every character's source offset.

Why this exists: text extracted from a PDF (or saved from one as .txt) breaks lines wherever the
page ran out of width, puts a blank line after every line ("double-spaced" dumps), sprinkles page
numbers between paragraphs and pads lines with spaces. The structure parser needs one
:class:`~ingest.model.Block` per paragraph, and a citation must still point at the exact source
characters, so every block carries ``offsets`` (one source offset per character of its text).

The rules were learned from the bundled An Giang plan (.txt) and the synthetic Bình Sơn fixture:

* **Blank lines.** In single-spaced text one blank line ends a paragraph. In double-spaced text
  (detected per document: most pairs of text lines have exactly one blank line between them and
  some of those pairs are one sentence, see :func:`detect_double_spaced`) a
  single blank line means nothing and two or more end a paragraph. Blank lines around a page
  break are not counted at all.
* **Structural markers** start a paragraph: ``I.`` .. ``XXXIX.``, ``1.`` ``12.`` ``1)``, ``a)`` .. ``đ)``,
  ``-``/``+``/``–`` bullets, ``Điều N.``, ``Chương``, ``Nơi nhận``, ``KT.``/``TM.``/``TL.``/``TUQ.``/``Q.``,
  ``Số:``, ``PHỤ LỤC``, ``Căn cứ``, ``Kính gửi``, ``V/v`` (a công văn's title under its number),
  the quốc hiệu line, and a place-and-date line ("Hòa Phong, ngày 14 tháng 10 năm 2025").
  Numbered, lettered and bulleted markers only count when the previous line ends a sentence or the marker is followed by a
  non-lowercase character: ``chính trị\\n- xã hội`` is a wrap, not a bullet.
* **Sentence end + capital.** A line ending in ``. ; : ! ?`` (or ``./.``) followed by a line that starts
  with a capital, a digit or ``(`` starts a paragraph.
* **Short numbered heading.** A line that opens with a marker and fills at most half a full
  line ("2. Yêu cầu"), with no sentence end, is a heading: a next line that starts with a capital
  starts a paragraph (an unnumbered one under the heading). A wrapped line is never that short.
* **Case change.** An all-capitals line (at least two capitalised words: ``KẾ HOẠCH``) next to a
  line with lowercase letters starts a paragraph, both ways.
* **One-line blocks.** ``KT.``/``TM.``/... signature lines, ``Nơi nhận:``, ``PHỤ LỤC``, the quốc
  hiệu and the place-and-date line end their paragraph; so does a paragraph that is one
  parenthesised remark ``(...)``, which also starts its own paragraph when it fills its line (``(Văn bản mẫu ...)`` under a title).
* **Flattened tables** (a .txt of a PDF appendix): after a header line "STT Nhiệm vụ ..." a new
  block starts only at "N Capitalised..." (the STT cell), a repeated header, a Roman group row or a
  structural keyword, so each table row comes out as one block (see :func:`starts_table_row`).
* **Pages** (plain text only, see :func:`paginate`): form feed, a line holding only the *next*
  page number (dropped and recorded in ``SourceText.dropped``), and, in double-spaced text, a line
  that follows the previous text line with no blank line and starts with a space (how the
  An Giang dump shows its page breaks).

Known limits: a wrap that happens to fall right after a sentence-ending dot, or after a colon,
before a capitalised word splits a paragraph; a lone number equal to the next page number inside
a wrapped table is taken for a page number; footer page numbers (at the bottom of a page) are not
recognised in plain text. Wraps this module still cuts (each seen in one tune document only, so
no rule was kept for it; issue 10, round 9):

* a short numbered line that ends on a word needing more after it ("1.3. Trên cơ sở các Nghị
  định của" / "Chính phủ về …") is taken for a heading by the short-heading rule;
* in single-spaced text a blank line inside a wrapped sentence ("… các cơ quan, đơn vị, địa
  phương" / "" / "liên quan.") ends the paragraph, as the rules above say;
* a "- " that joins two parts of a name across a blank line ("… về trật tự xã hội" / "" /
  "- Cơ quan thường trực …") starts a bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from tracuu.ingest.model import Block, SourceText
from tracuu.ingest.vntext import collapse_spaces

__all__ = [
    "SourceLine",
    "PagedLines",
    "split_lines",
    "paginate",
    "detect_double_spaced",
    "reflow",
    "full_line_length",
    "collapse_with_offsets",
    "page_number_of",
    "starts_paragraph",
    "starts_table_row",
    "verify_span",
    "verify_spans",
    "clause_matches_source",
]


@dataclass(frozen=True)
class SourceLine:
    """One physical line of the source: where it starts, its raw text (no line end) and its page."""

    start: int
    text: str
    page: int

    @property
    def end(self) -> int:
        """Offset just past the line's last character (where its line end, if any, sits)."""
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class PagedLines:
    """Lines of a plain text with page numbers assigned and page-number lines removed."""

    lines: list[SourceLine]
    page_starts: list[int] = field(default_factory=lambda: [0])
    dropped: list[tuple[int, int]] = field(default_factory=list)
    double_spaced: bool = False
    furniture: list[list] = field(default_factory=list)  # [kind, start, end] of each dropped range


# --- line splitting and pages -------------------------------------------------------------------

_LINE_END_RE = re.compile(r"\r\n|\r|\n|\f")


def split_lines(text: str, base: int = 0) -> list[tuple[int, str, bool]]:
    """``(start, line, after_form_feed)`` for every line of ``text``; offsets are ``base + index``.

    ``\\r\\n``, ``\\r``, ``\\n`` and ``\\f`` all end a line; ``after_form_feed`` tells that a form feed
    ended the previous line (a page break).
    """
    out: list[tuple[int, str, bool]] = []
    pos = 0
    after_ff = False
    for m in _LINE_END_RE.finditer(text):
        out.append((base + pos, text[pos : m.start()], after_ff))
        after_ff = m.group() == "\f"
        pos = m.end()
    out.append((base + pos, text[pos:], after_ff))
    return out


_PAGE_NUMBER_RE = re.compile(r"^(?:-\s*(\d{1,4})\s*-|(?:Trang|trang|TRANG)\s+(\d{1,4})|(\d{1,4}))$")


def page_number_of(line: str) -> int | None:
    """The number when a line holds nothing but a page number ("2", "- 2 -", "Trang 2"), else None."""
    m = _PAGE_NUMBER_RE.match(line.strip())
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def detect_double_spaced(lines: Sequence[SourceLine]) -> bool:
    """True when the text is a "double-spaced" dump: a blank line after every line, wraps included.

    Why a vote with evidence: PDF-to-text dumps put a blank line after every line (a few
    exceptions at page breaks), so most pairs of text lines have exactly one blank line between
    them, *and* some of those pairs are plainly one sentence (the next line starts in lowercase).
    A text written one paragraph per line with blank lines between paragraphs has the first
    property but not the second, and must stay single-spaced.
    """
    ones = 0
    gaps = 0
    continued = 0
    blanks = -1
    prev: SourceLine | None = None
    for line in lines:
        if line.blank:
            if blanks >= 0:
                blanks += 1
            continue
        if prev is not None:
            gaps += 1
            if blanks == 1:
                ones += 1
                first = line.text.lstrip()[:1]
                if first.islower() and not _ends_sentence(prev.text):
                    continued += 1
        prev = line
        blanks = 0
    return gaps >= 3 and ones >= 0.6 * gaps and continued >= max(1, 0.1 * ones)


def paginate(text: str) -> PagedLines:
    """Split a plain text into lines and find its pages (form feeds, page-number lines, indents).

    A page-number line is a line holding only the number of the page that comes next (or of the
    current page, right after a form feed). It is left out of ``lines`` and its range goes to
    ``dropped``; the new page starts at that line. A lone number that is not the expected one
    (a year "2025" alone in a wrapped table cell) stays text.
    """
    raw = split_lines(text)
    double = detect_double_spaced([SourceLine(start, s, 0) for start, s, _ in raw])
    marks = gazette_furniture([s for _, s, _ in raw])
    out: list[SourceLine] = []
    starts = [0]
    dropped: list[tuple[int, int]] = []
    furniture: list[list] = []
    nonblank = -1
    page = 1
    seen_text_on_page = False
    blanks_since_text = 0
    break_since_text = False
    have_text = False
    for start, s, after_ff in raw:
        line = SourceLine(start, s, page)
        if after_ff:
            page += 1
            starts.append(start)
            seen_text_on_page = False
            break_since_text = True
            line = SourceLine(start, s, page)
        if line.blank:
            blanks_since_text += 1
            out.append(line)
            continue
        nonblank += 1
        mark = marks.get(nonblank)
        if mark is not None:
            kind, opens_page = mark
            if opens_page and have_text and not break_since_text:
                page += 1
                starts.append(start)
            dropped.append((start, start + len(s)))
            furniture.append([kind, start, start + len(s)])
            if opens_page:
                break_since_text = True
                seen_text_on_page = True
            continue
        number = page_number_of(s)
        if number is not None and (number == page + 1 or (number == page and page > 1 and not seen_text_on_page)):
            if number == page + 1:
                page += 1
                starts.append(start)
            dropped.append((start, start + len(s)))
            furniture.append(["page_number", start, start + len(s)])
            seen_text_on_page = True
            break_since_text = True
            continue
        if (
            double
            and have_text
            and blanks_since_text == 0
            and not break_since_text
            and s[:1].isspace()
        ):
            # An Giang dump: the first line of a new page follows the last one with no blank line
            # and starts with a space.
            page += 1
            starts.append(start)
            line = SourceLine(start, s, page)
        out.append(line)
        have_text = True
        seen_text_on_page = True
        blanks_since_text = 0
        break_since_text = False
    return PagedLines(lines=out, page_starts=starts, dropped=dropped, double_spaced=double, furniture=furniture)


# A gazette (Công báo) page header: "CÔNG BÁO/Số 1183 + 1184/Ngày 24-12-2020", the gazette's page
# number on the line before or after it; a digital-signature stamp: "Ký bởi: ..." / "Người ký: ..."
# followed by "Email: ...", "Cơ quan: ...", "Thời gian ký: ..." / "Ngày ký: ..." lines.
# A PDF text layer may put the page number on the header's own line: "56 CÔNG BÁO/…", "CÔNG BÁO/… 57".
_GAZETTE_HEADER_RE = re.compile(
    r"^(?:\d{1,5}\s+)?CÔNG\s+BÁO\s*/\s*Số\s+\d+(?:\s*\+\s*\d+)*\s*/\s*Ngày\s+\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}"
    r"(?:\s+\d{1,5})?$"
)
_STAMP_START_RE = re.compile(r"^(?:Ký\s+bởi|Người\s+ký)\s*:")
_STAMP_LINE_RE = re.compile(r"^(?:Email|Cơ\s+quan|Thời\s+gian\s+ký|Ngày\s+ký)\s*:")
_BARE_NUMBER_RE = re.compile(r"^\d{1,5}$")


def gazette_furniture(lines: Sequence[str]) -> dict[int, tuple[str, bool]]:
    """Page furniture of a gazette text layer, by index among the *non-blank* lines:
    ``{index: (kind, opens_page)}`` with kind "page_header", "page_number" or "signature_stamp".

    A bare number counts only right next to a page header (before it on even pages, after it on
    odd ones), so a lone "54" elsewhere stays text; with a bare number on both sides (a year
    ending a table cell, then the header and its number) the one that follows the previous
    header's number is the page number; a stamp needs its start line and at least one
    of its field lines, so a sentence "Cơ quan: Sở Y tế" in the body is never taken.
    """
    text = [ln.strip() for ln in lines if ln.strip()]
    out: dict[int, tuple[str, bool]] = {}
    last: int | None = None  # the gazette page number of the previous header
    for k, t in enumerate(text):
        if _GAZETTE_HEADER_RE.match(t):
            before = k > 0 and _BARE_NUMBER_RE.match(text[k - 1]) and (k - 1) not in out
            after = k + 1 < len(text) and _BARE_NUMBER_RE.match(text[k + 1])
            if before and after:
                # a lone number ends the last page's text ("2030", a year in a table cell) and the
                # page number follows the header, or the reverse: the one that goes on from the
                # previous page's number is the page number
                b, a = int(text[k - 1]), int(text[k + 1])
                before = last is not None and abs(b - (last + 1)) < abs(a - (last + 1))
            out[k] = ("page_header", not before)
            if before:
                out[k - 1] = ("page_number", True)
                last = int(text[k - 1])
            elif after:
                out[k + 1] = ("page_number", False)
                last = int(text[k + 1])
        elif _STAMP_START_RE.match(t) and k + 1 < len(text) and _STAMP_LINE_RE.match(text[k + 1]):
            out[k] = ("signature_stamp", False)
            j = k + 1
            while j < len(text) and j - k <= 4 and _STAMP_LINE_RE.match(text[j]):
                out[j] = ("signature_stamp", False)
                j += 1
    return out


# --- paragraph rules ------------------------------------------------------------------------------

_ROMAN = r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})"
_ROMAN_RE = re.compile(rf"^{_ROMAN}\.(?=\s|$)")
_NUMBER_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)](?=\s|$)")
_LETTER_RE = re.compile(r"^[a-zđ]\)(?=\s|$)")
_BULLET_RE = re.compile(r"^[-+–—•](?=\s)")
_KEYWORD_RE = re.compile(
    r"^(?:Điều\s+\d+[a-zđ]?\s*[.:]"
    r"|Chương\s+(?:[IVXLC]+|\d+)\b"
    r"|Nơi\s+nhận"
    r"|(?:KT|TM|TL|TUQ|Q)\.\s"
    r"|Số\s*:"
    r"|PHỤ\s+LỤC\b"
    r"|Phụ\s+lục(?:\s+(?:số\s*)?(?:[IVXL]+|\d{1,2}))?\.?\s*$"
    r"|Căn\s+cứ\b"
    r"|Kính\s+gửi\b"
    r"|V/[vV]\s"
    r"|CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI)"
)
# "Hòa Phong, ngày 14 tháng 10 năm 2025" alone on its line: the place and date of the header
_PLACE_DATE_RE = re.compile(
    r"^(?=[^\W\d_])[^,\n]{2,40},\s*ngày\s+(?:\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})\s*\.?$"
)
_ONE_LINE_RE = re.compile(
    r"^(?:(?:KT|TM|TL|TUQ|Q)\.\s|Nơi\s+nhận\s*:?\s*$|PHỤ\s+LỤC(?:\s+(?:[IVXLC]+|\d+))?\s*$"
    r"|Phụ\s+lục(?:\s+(?:số\s*)?(?:[IVXL]+|\d{1,2}))?\.?\s*$"
    r"|CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM\s*$)"
)
_TABLE_HEADER_RE = re.compile(r"^(?:STT|TT|Số\s+TT)\s+(\S)")
_ROW_START_RE = re.compile(r"^\d{1,3}\s+(\S)")
_TERMINAL = (".", ";", ":", "!", "?", "./.")
_CLOSERS = "\"'”’»"
_TOKEN_STRIP = ",.;:()[]\"'“”‘’«»!?"


def _ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    return s.endswith(_TERMINAL)


def _starts_strong(line: str) -> bool:
    """Starts with a capital letter, a digit or "(" (possibly after an opening quote)."""
    s = line.lstrip().lstrip("\"'“‘«")
    if not s:
        return False
    c = s[0]
    return c.isupper() or c.isdigit() or c == "("


def _has_lower(line: str) -> bool:
    return any(c.islower() for c in line)


def _is_caps_line(line: str) -> bool:
    """All capitals with at least two capitalised words: "KẾ HOẠCH", not "39-CT/TW." nor "NHCSXH"."""
    if _has_lower(line):
        return False
    words = [t.strip(_TOKEN_STRIP) for t in line.split()]
    return sum(1 for w in words if len(w) >= 2 and w.isalpha()) >= 2


def _marker_end(line: str) -> int | None:
    """Length of a numbered/lettered/bullet marker at the start of ``line`` (stripped), else None."""
    for rx in (_NUMBER_RE, _LETTER_RE, _BULLET_RE):
        m = rx.match(line)
        if m:
            return m.end()
    return None


# "Cụ thể:" alone on a line after a sentence: the end of that paragraph, which leads in to the
# points under it (a PDF text layer puts it on a line of its own)
_LEAD_IN_RE = re.compile(r"^(?:Cụ\s+thể(?:\s+như\s+sau)?|Như\s+sau|Gồm|Bao\s+gồm|Trong\s+đó)\s*:\s*$")


def starts_paragraph(prev: str, cur: str) -> bool:
    """Does ``cur`` start a new paragraph after ``prev`` (both raw lines, neither blank)?"""
    p = prev.strip()
    c = cur.strip()
    if _LEAD_IN_RE.match(c) and not p.endswith(":"):
        return False
    if _ROMAN_RE.match(c) or _KEYWORD_RE.match(c) or _PLACE_DATE_RE.match(c):
        return True
    end = _marker_end(c)
    if end is not None:
        rest = c[end:].lstrip()
        if not rest or not rest[0].islower() or _ends_sentence(p):
            return True
    if _ends_sentence(p) and _starts_strong(c):
        # "2. Trách nhiệm của các bộ, …;" / "Ủy ban nhân dân các tỉnh, …": a numbered item that
        # names its bodies over two lines goes on when the next line has no marker and no end of its
        # own, short (a heading) or a full hard-wrapped line (the item's sentence runs on): a sibling
        # after "N. …;" would carry its own number
        if p.endswith(";") and _NUMBER_RE.match(p) and not _ends_sentence(c) and not _BULLET_RE.match(c):
            return False
        return True
    if (_is_caps_line(p) and _has_lower(c)) or (_has_lower(p) and _is_caps_line(c)):
        return True
    if _is_standalone_remark(c) and not p.endswith((",", "(")):
        return True
    return False


def _is_standalone_remark(line: str) -> bool:
    """A whole line "(Văn bản ...)" : starts with "(" and a capital, ends with its own ")"."""
    s = line.strip()
    if len(s) < 20 or not s.startswith("(") or not s.endswith(")") or not s[1:2].isupper():
        return False
    return _closes_at_end(s)


def _closes_at_end(s: str) -> bool:
    """The "(" at ``s[0]`` is closed by the last character and not before."""
    depth = 0
    for i, ch in enumerate(s):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(s) - 1
    return False


def _ends_paragraph(para: Sequence[SourceLine]) -> bool:
    """Must the paragraph stop after its last line (one-line blocks, a closed parenthetical)?"""
    last = para[-1].text.strip()
    if (_ONE_LINE_RE.match(last) or _PLACE_DATE_RE.match(last)) and len(para) == 1:
        return True
    first = para[0].text.strip()
    if first.startswith("(") and first[1:2].isupper() and last.endswith(")"):
        return _closes_at_end(" ".join(line.text.strip() for line in para))
    return False


# --- blocks -------------------------------------------------------------------------------------


def collapse_with_offsets(chars: Iterable[tuple[str, int]]) -> tuple[str, tuple[int, ...]]:
    """Collapse whitespace runs to one space and strip the ends, carrying offsets along.

    A space that replaces a run keeps the offset of the run's first character, so it points at
    real whitespace (a space or a line end) in the source.
    """
    out: list[str] = []
    offs: list[int] = []
    pending: int | None = None
    for ch, off in chars:
        if ch.isspace():
            if pending is None:
                pending = off
            continue
        if pending is not None and out:
            out.append(" ")
            offs.append(pending)
        pending = None
        out.append(ch)
        offs.append(off)
    return "".join(out), tuple(offs)


def _line_chars(lines: Sequence[SourceLine]) -> Iterable[tuple[str, int]]:
    for i, line in enumerate(lines):
        if i:
            yield " ", lines[i - 1].end  # the line end we join over
        for j, ch in enumerate(line.text):
            yield ch, line.start + j


def _block(lines: Sequence[SourceLine]) -> Block:
    text, offsets = collapse_with_offsets(_line_chars(lines))
    return Block(kind="para", text=text, offsets=offsets, page=lines[0].page, page_end=lines[-1].page)


def _capital_after(rx: re.Pattern[str], line: str) -> bool:
    """``rx`` matches ``line`` and its group 1 (the next character) is a capital letter."""
    m = rx.match(line.strip())
    return bool(m and m.group(1).isupper())


def _is_table_header(line: str) -> bool:
    return _capital_after(_TABLE_HEADER_RE, line)


def _is_row_start(line: str) -> bool:
    return _capital_after(_ROW_START_RE, line)


def starts_table_row(prev: str, cur: str) -> bool:
    """Inside a flattened table (after an "STT ..." header line): does ``cur`` start a new row?

    Rows start at "N Capitalised..." (the STT cell), a repeated header, a Roman group row or a
    structural keyword; sentence ends and bullets inside cells do not split rows.
    """
    c = cur.strip()
    if _is_table_header(c) or _is_row_start(c) or _ROMAN_RE.match(c) or _KEYWORD_RE.match(c):
        return True
    return bool(_NUMBER_RE.match(c)) and starts_paragraph(prev, cur)


def _leaves_table(line: str) -> bool:
    c = line.strip()
    return bool(_KEYWORD_RE.match(c) or (_NUMBER_RE.match(c) and not _is_row_start(c)))


def full_line_length(lines: Iterable[SourceLine]) -> int:
    """How long a full line of running text is here: a high percentile of the line lengths."""
    lengths = sorted(len(line.text.strip()) for line in lines if not line.blank)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))]


_HEADING_WORDS = 16  # "3. Trách nhiệm của Ủy ban nhân dân các xã, phường, đặc khu" is 12; a wrapped sentence is longer


def _short_heading(line: str, full: int) -> bool:
    """A numbered heading alone on a short line ("2. Yêu cầu", "Điều 2. Tổ chức thực hiện"): it
    opens with a marker, fills at most half a line and does not end like a sentence or a wrapped
    clause."""
    s = line.strip()
    if not full or len(s) > full // 2 or s.endswith((",", "(", "-", "–")) or _ends_sentence(s):
        return False
    if len(s.split()) > _HEADING_WORDS:
        return False  # a document typed one paragraph a line has a long "full line": words, not width, say heading
    if not (_ROMAN_RE.match(s) or _NUMBER_RE.match(s) or _LETTER_RE.match(s) or re.match(r"^Điều\s+\d+", s)):
        return False
    return len(s) > (_marker_end(s) or len(s.split(maxsplit=1)[0]))


def reflow(
    lines: Sequence[SourceLine], double_spaced: bool | None = None, full_length: int | None = None
) -> list[Block]:
    """Group lines into paragraph blocks (see the module docstring for the rules).

    ``lines`` may contain blank lines (they count as paragraph breaks as described); page numbers
    come from each line's ``page``. ``double_spaced=None`` detects the mode from ``lines``.
    After a table header line ("STT Nhiệm vụ ...", a table flattened to text) rows are grouped by
    :func:`starts_table_row` until a structural keyword or a "N." marker leaves the table.
    A numbered heading alone on a short line (under half of ``full_length``, by default measured
    on ``lines``) ends its paragraph when the next line starts with a capital: "2. Yêu cầu" over
    the unnumbered paragraph "Bám sát ..." (a wrapped line is never that short).
    """
    if double_spaced is None:
        double_spaced = detect_double_spaced(lines)
    if full_length is None:
        full_length = full_line_length(lines)
    threshold = 2 if double_spaced else 1
    paras: list[list[SourceLine]] = []
    cur: list[SourceLine] = []
    blanks = 0
    close = False
    in_table = False
    for line in lines:
        if line.blank:
            blanks += 1
            continue
        if in_table and _leaves_table(line.text):
            in_table = False
        if _is_table_header(line.text):
            in_table = True
        if cur:
            prev = cur[-1]
            rule = starts_table_row if in_table else starts_paragraph
            brk = (
                close
                or (prev.page == line.page and blanks >= threshold)
                or rule(prev.text, line.text)
                or (
                    not in_table
                    and len(cur) == 1
                    and _short_heading(prev.text, full_length)
                    and _starts_strong(line.text)
                    and not line.text.lstrip().startswith("(")
                )
            )
            if brk:
                paras.append(cur)
                cur = []
        cur.append(line)
        blanks = 0
        close = _ends_paragraph(cur) or (in_table and _is_table_header(line.text))
    if cur:
        paras.append(cur)
    return [_block(p) for p in paras]


# --- citation check -------------------------------------------------------------------------------


def verify_span(source: SourceText, start: int, end: int, text: str) -> bool:
    """Is ``text`` exactly what ``source.text[start:end]`` says, whitespace aside?

    Dropped ranges (page numbers) inside the span are removed first; then both sides are compared
    with every whitespace run (line ends included) collapsed to one space. This is the
    citation-fidelity check every stage uses.
    """
    if start < 0 or end > len(source.text) or start > end:
        return False
    return _span_text(source, start, end) == collapse_spaces(text)


def _span_text(source: SourceText, start: int, end: int) -> str:
    """``source.text[start:end]`` without the dropped ranges inside it, whitespace collapsed."""
    pieces: list[str] = []
    pos = start
    for a, b in sorted(source.dropped):
        if b <= pos or a >= end:
            continue
        pieces.append(source.text[pos:a] if a > pos else "")
        pos = max(pos, b)
    if pos < end:
        pieces.append(source.text[pos:end])
    return collapse_spaces("".join(pieces))


def verify_spans(source: SourceText, spans: Sequence[tuple[int, int]], text: str) -> bool:
    """Is ``text`` exactly what its spans say, one after the other, whitespace aside?

    Each span must be a range of the source whose text (dropped artefacts removed, whitespace
    collapsed) is the next stretch of ``text``; between two spans ``text`` may hold one space.
    One span is :func:`verify_span`. This is the citation check of a multi-span clause.
    """
    want = collapse_spaces(text)
    if not spans:
        return not want
    pos = 0
    for k, (start, end) in enumerate(spans):
        if start < 0 or end > len(source.text) or start >= end:
            return False
        got = _span_text(source, start, end)
        if k and want[pos : pos + 1] == " " and not want.startswith(got, pos):
            pos += 1
        if not got or not want.startswith(got, pos):
            return False
        pos += len(got)
    return pos == len(want)


def clause_matches_source(source: SourceText, clause) -> bool:  # clause: ingest.model.Clause
    """The citation check of one clause: its spans when it has them, else its single span."""
    spans = [(s.start, s.end) for s in clause.spans] or [(clause.span.start, clause.span.end)]
    return verify_spans(source, spans, clause.text)
