"""Load a Word .docx into a :class:`~ingest.model.SourceText`.

What this loader does, and why:

* **Safety first.** The file is checked with :mod:`zipfile` before python-docx sees it: it must be
  a ZIP, hold ``word/document.xml``, stay under the unpacked-size limits (in total and per
  part), and no part may have an absurd compression ratio (zip bomb); see :mod:`ingest.limits`.
  Every refusal is an :class:`~ingest.errors.IngestError` with a Vietnamese and an English message.
* **Document order.** The body XML is walked child by child, so paragraphs and tables come out
  interleaved as the reader sees them (``doc.paragraphs`` then ``doc.tables`` would lose that).
* **Our own text.** ``SourceText.text`` is built here: one line per paragraph (NFC), one line per
  data-table row with cells separated by ``" | "``. Every :class:`Block` and :class:`Cell` carries
  a per-character offset map into that text, so citations point at the source.
* **Two kinds of tables.** Official documents (Nghị định 30/2020/NĐ-CP layout) put the issuer /
  quốc hiệu block and the "Nơi nhận" / signature block in *borderless layout tables*; their
  paragraphs are ordinary text and become ``para`` blocks with ``layout=True``, read left cell then
  right cell, row by row. Real *data tables* (appendices) become ``table_row`` blocks with cells.
  The rule (:func:`_is_layout_table`): a table is a layout table when it shows no borders (table
  borders from ``tblBorders`` or its table style are all none/nil, and cells do not draw their own
  boxes) **and** its first row does not name columns ("STT", "TT", ...). Anything else is data.
  A borderless table with a single column is only a frame around text: read as body paragraphs.
* **Pages are approximate.** A .docx has no fixed pages. When Word saved the file it leaves
  ``w:lastRenderedPageBreak`` marks and we trust those alone. Otherwise (python-docx, LibreOffice
  and most generators) we honour hard page breaks (``w:br w:type="page"``, ``pageBreakBefore``,
  section breaks) and *estimate* the flow of text with a simple height model (font size, line
  spacing, page size and margins, average character width). Page numbers therefore roughly match
  a rendering of the file, and may be off by one near page boundaries.
"""

from __future__ import annotations

import bisect
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from .. import limits
from ..errors import IngestError
from ..model import Block, Cell, SourceText
from ..vntext import fold, nfc

__all__ = [
    "load_docx",
    "MAX_TOTAL_UNCOMPRESSED",
]

# --- limits (module level so that tests and deployments can tune them) -----------------------

# A hard ceiling on the sum of all entries once unpacked; the configurable limits in
# :mod:`ingest.limits` (total, per part, ratio of every part) apply below it.
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAIN_PART = "word/document.xml"

# --- page estimation constants (calibrated on Times New Roman / Liberation Serif) -------------

CHAR_WIDTH_EM = 0.455  # average advance of a character of Vietnamese text, in em (see report)
LINE_HEIGHT_EM = 1.15  # "single" line height of Times-like fonts, in em
DEFAULT_FONT_HALF_POINTS = 24  # 12 pt when neither run, style nor defaults say
CELL_PADDING_TWIPS = 216  # left + right cell margins Word uses by default (0.19 cm each)
ROW_EXTRA_TWIPS = 20  # borders and rounding per table row

# --- OOXML names ------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R, W_T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
W_PPR, W_RPR, W_TCPR, W_TRPR, W_TBLPR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr"), _w("tblPr")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_SECTPR = _w("sectPr")
W_VAL = _w("val")

# Private markers for page breaks inside a paragraph's raw text. XML 1.0 cannot carry these
# characters, so they never collide with real text; they are removed after NFC.
_HARD = "\x01"
_RENDERED = "\x02"

# Subtrees whose text is not part of the paragraph as read: properties, deleted or moved-away
# text, field instructions, the fallback copy of alternate content, and floating objects
# (text boxes are laid out elsewhere on the page; see "Known limits" in the report).
_SKIP_TAGS = frozenset(
    {
        W_PPR,
        W_RPR,
        _w("del"),
        _w("moveFrom"),
        _w("instrText"),
        _w("delText"),
        _w("footnoteReference"),
        _w("endnoteReference"),
        _w("commentReference"),
        f"{{{MC_NS}}}Fallback",
    }
)
_OBJECT_TAGS = frozenset({_w("drawing"), _w("pict"), _w("object")})
_NONE_BORDERS = frozenset({"nil", "none"})
_FALSE_VALUES = frozenset({"0", "false", "off"})
_COLUMN_WORDS = frozenset({"stt", "tt", "so tt", "so thu tu"})


# ============================================================================================
# public entry point
# ============================================================================================


def load_docx(path: Path) -> SourceText:
    """Read a .docx file into text, blocks and (approximate) pages.

    Raises :class:`IngestError` for anything that is not a readable, non-empty Word document.
    """
    path = Path(path)
    _check_package(path)
    document = _open_document(path)
    body = document.element.body
    from .legacy_docx import convert_legacy_runs  # .VnTime / VNI-Times runs -> Unicode, in place

    legacy = convert_legacy_runs(body, document.styles.element)
    styles = _StyleSheet(document.styles.element)
    builder = _Builder(styles, list(body.iter(W_SECTPR)), _has_rendered_breaks(body))
    builder.walk(body)
    source = builder.finish()
    if legacy:
        from ..legacy import ENCODING_NAMES

        names = ", ".join(ENCODING_NAMES[e] for e in sorted(legacy))
        source.warnings.append(
            f"Văn bản gõ bằng phông chữ bảng mã {names}, đã chuyển sang Unicode. / "
            f"Text typed in {names} fonts was converted to Unicode."
        )
    if not any(b.text for b in source.blocks):
        raise IngestError(
            "Tài liệu .docx không có nội dung văn bản.",
            "The .docx document contains no text.",
            code="empty",
        )
    return source


# ============================================================================================
# safety checks
# ============================================================================================


def _check_package(path: Path) -> None:
    """Refuse non-ZIP files, ZIPs without a Word body, and zip bombs, before any XML parsing.

    Why here and not in python-docx: python-docx reads whole parts into memory, so a bomb must be
    stopped by looking at the ZIP directory (declared sizes) first. zipfile refuses to return more
    bytes than an entry declares (the CRC check fails), so the declared sizes are a real bound.
    """
    if not path.is_file():
        raise IngestError(f"Không tìm thấy tệp: {path.name}", f"File not found: {path.name}", code="not_found")
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise IngestError(
            f"Không mở được tệp: {path.name}", f"Cannot open file: {path.name} ({exc})", code="bad_input"
        ) from exc
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            "Tệp là định dạng Word 97-2003 (.doc) cũ, chưa được hỗ trợ; hãy lưu lại thành .docx.",
            "The file is an old Word 97-2003 (.doc) document, which is not supported; save it as .docx.",
            code="unsupported_type",
        )
    if not zipfile.is_zipfile(path):
        raise IngestError(
            "Tệp không phải tài liệu Word .docx hợp lệ (không phải tệp nén ZIP).",
            "The file is not a valid Word .docx document (it is not a ZIP archive).",
            code="corrupt",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _corrupt(exc) from exc
    _check_sizes(infos)


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """The zip-bomb rules, for EVERY part (styles, numbering, fonts... not only the body):

    * the sum of the declared unpacked sizes stays under the total limit;
    * no single part unpacks beyond the per-part limit;
    * no part over :data:`~ingest.limits.RATIO_FLOOR_BYTES` has an absurd compression ratio
      (real Word parts stay under ~35:1; a 199 MB ``styles.xml`` in a 700 KB file is ~290:1).

    Why the declared sizes are enough: zipfile never returns more bytes than an entry declares
    (the CRC check fails first), so nothing is unpacked to decide.
    """
    lim = limits.current()
    names = {info.filename: info for info in infos}
    if MAIN_PART not in names:
        raise IngestError(
            f"Tệp ZIP không chứa {MAIN_PART} nên không phải tài liệu Word .docx.",
            f"The ZIP archive has no {MAIN_PART}, so it is not a Word .docx document.",
            code="corrupt",
        )
    total = sum(info.file_size for info in infos)
    cap = min(MAX_TOTAL_UNCOMPRESSED, lim.docx_max_unpacked_mb * 2**20)
    var = limits.variable("docx_max_unpacked_mb")
    if total > cap:
        raise IngestError(
            f"Tệp .docx quá lớn khi giải nén ({_mb(total)}, giới hạn {_mb(cap)}, {var}); "
            "từ chối để đề phòng tệp nén độc hại (zip bomb).",
            f"The .docx unpacks to {_mb(total)}, over the {_mb(cap)} limit ({var}); "
            "refused as a possible zip bomb.",
            code="too_large",
        )
    part_cap = lim.docx_max_part_mb * 2**20
    for info in infos:
        name = info.filename[:80]
        if info.file_size > part_cap:
            var = limits.variable("docx_max_part_mb")
            raise IngestError(
                f"Phần '{name}' của tệp .docx quá lớn khi giải nén ({_mb(info.file_size)}, giới hạn "
                f"{_mb(part_cap)}, {var}); từ chối để đề phòng tệp nén độc hại (zip bomb).",
                f"Part '{name}' of the .docx unpacks to {_mb(info.file_size)}, over the {_mb(part_cap)} "
                f"limit ({var}); refused as a possible zip bomb.",
                code="too_large",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > lim.docx_max_ratio and info.file_size > limits.RATIO_FLOOR_BYTES:
            var = limits.variable("docx_max_ratio")
            raise IngestError(
                f"Tỷ lệ nén của phần '{name}' bất thường ({ratio:.0f}:1, giới hạn {lim.docx_max_ratio}:1, "
                f"{var}); từ chối để đề phòng tệp nén độc hại (zip bomb).",
                f"Part '{name}' has an absurd compression ratio ({ratio:.0f}:1, limit "
                f"{lim.docx_max_ratio}:1, {var}); refused as a possible zip bomb.",
                code="too_large",
            )


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n} B"


def _open_document(path: Path):  # -> docx.document.Document
    """Hand the checked file to python-docx; any parse failure becomes an IngestError."""
    import docx
    from docx.opc.exceptions import OpcError

    try:
        return docx.Document(str(path))
    except (
        OpcError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
        etree.LxmlError,
        NotImplementedError,
    ) as exc:
        raise _corrupt(exc) from exc


def _corrupt(exc: BaseException) -> IngestError:
    detail = str(exc).strip() or type(exc).__name__
    return IngestError(
        f"Tệp .docx bị hỏng hoặc không đọc được ({detail}).",
        f"The .docx file is corrupt or unreadable ({detail}).",
        code="corrupt",
    )


def _has_rendered_breaks(body: etree._Element) -> bool:
    return next(body.iter(_w("lastRenderedPageBreak")), None) is not None


# ============================================================================================
# small XML helpers
# ============================================================================================


def _on(el: etree._Element | None) -> bool:
    """An OOXML on/off property: present and not val=0/false/off."""
    return el is not None and el.get(W_VAL, "true").lower() not in _FALSE_VALUES


def _int_attr(el: etree._Element | None, name: str, default: int | None = None) -> int | None:
    if el is None:
        return default
    raw = el.get(_w(name))
    if raw is None:
        return default
    try:
        return int(float(raw))
    except (ValueError, OverflowError):
        return default


def _grid_span(tc: etree._Element) -> int:
    return max(1, _int_attr(tc.find(f"{W_TCPR}/{_w('gridSpan')}"), "val", 1) or 1)


def _v_merge(tc: etree._Element) -> str | None:
    """'restart', 'continue' or None. A bare <w:vMerge/> means continue."""
    el = tc.find(f"{W_TCPR}/{_w('vMerge')}")
    if el is None:
        return None
    return el.get(W_VAL, "continue")


def _h_merge(tc: etree._Element) -> str | None:
    el = tc.find(f"{W_TCPR}/{_w('hMerge')}")
    if el is None:
        return None
    return el.get(W_VAL, "continue")


def _rows(tbl: etree._Element) -> list[etree._Element]:
    """Rows of a table, looking through content controls and customXml wrappers."""
    return list(_flatten(tbl, W_TR))


def _cells(tr: etree._Element) -> list[etree._Element]:
    return list(_flatten(tr, W_TC))


def _flatten(parent: etree._Element, wanted: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == wanted:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _flatten(content, wanted)
        elif child.tag == W_CUSTOMXML:
            yield from _flatten(child, wanted)


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell, in order, through sdt/customXml wrappers."""
    for child in container:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _block_children(content)
        elif child.tag == W_CUSTOMXML:
            yield from _block_children(child)


def _paragraphs_in(container: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph of a cell in reading order, nested tables flattened row by row."""
    for child in _block_children(container):
        if child.tag == W_P:
            yield child
        else:
            for tr in _rows(child):
                for tc in _cells(tr):
                    yield from _paragraphs_in(tc)


# ============================================================================================
# paragraph text
# ============================================================================================


@dataclass
class _ParaText:
    """A paragraph as read: NFC text with soft breaks as "\\n", and where pages break inside it."""

    text: str
    hard_breaks: list[int]  # indices into text where a hard page break occurs
    rendered_breaks: list[int]  # indices where Word last broke the page
    page_break_before: bool
    ends_section: bool
    has_objects: bool  # drawings / text boxes were skipped


def _read_paragraph(p: etree._Element) -> _ParaText:
    """Collect a paragraph's visible characters in order, then NFC them as one string.

    Why NFC on the whole paragraph: a base letter and its combining mark may sit in different
    runs (different formatting), and only the joined string normalises correctly.
    """
    chars: list[str] = []
    objects = _collect_chars(p, chars)
    raw = nfc("".join(chars))
    text_chars: list[str] = []
    hard: list[int] = []
    rendered: list[int] = []
    for ch in raw:
        if ch == _HARD:
            hard.append(len(text_chars))
        elif ch == _RENDERED:
            rendered.append(len(text_chars))
        else:
            text_chars.append(ch)
    ppr = p.find(W_PPR)
    before = ppr is not None and _on(ppr.find(_w("pageBreakBefore")))
    ends_section = ppr is not None and ppr.find(W_SECTPR) is not None
    return _ParaText("".join(text_chars), hard, rendered, before, ends_section, objects)


def _collect_chars(el: etree._Element, out: list[str]) -> bool:
    """Depth-first walk of a paragraph's inline content; returns True if objects were skipped."""
    skipped = False
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        if tag in (W_T, f"{{{M_NS}}}t"):
            out.append(child.text or "")
        elif tag == _w("tab"):
            out.append("\t")
        elif tag in (_w("br"), _w("cr")):
            out.append(_HARD if child.get(_w("type")) == "page" else "\n")
        elif tag == _w("lastRenderedPageBreak"):
            out.append(_RENDERED)
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag in _OBJECT_TAGS:
            skipped = True
        elif tag in _SKIP_TAGS or tag == W_P:
            continue
        else:
            skipped = _collect_chars(child, out) or skipped
    return skipped


def _collapse(text: str, base: int) -> tuple[str, tuple[int, ...]]:
    """Whitespace runs to one space, ends stripped, with the source offset of every character.

    A collapsed space maps to the first whitespace character of its run.
    """
    out: list[str] = []
    offsets: list[int] = []
    space_at: int | None = None
    for i, ch in enumerate(text):
        if ch.isspace():
            if space_at is None:
                space_at = base + i
            continue
        if space_at is not None and out:
            out.append(" ")
            offsets.append(space_at)
        space_at = None
        out.append(ch)
        offsets.append(base + i)
    return "".join(out), tuple(offsets)


def _is_bold_row(tr: etree._Element) -> bool:
    """Every run that carries text is bold (run-level w:b). Used to spot header rows."""
    seen = False
    for r in tr.iter(W_R):
        if not any((t.text or "").strip() for t in r.iter(W_T)):
            continue
        seen = True
        if not _on(r.find(f"{W_RPR}/{_w('b')}")):
            return False
    return seen


# ============================================================================================
# styles: just enough to estimate heights and to see table borders
# ============================================================================================


@dataclass
class _Metrics:
    """How tall a paragraph is: font size and spacing, all lengths in twips (1/20 pt)."""

    size_pt: float
    line: float  # height of one line
    before: float
    after: float
    indent: float  # left + right indentation
    keep_next: bool = False  # stays on the same page as the next paragraph (headings)


class _StyleSheet:
    """Paragraph and table styles of the document, resolved through ``basedOn``."""

    def __init__(self, styles_el: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        self._default_para: str | None = None
        self._defaults_ppr: etree._Element | None = None
        self._defaults_rpr: etree._Element | None = None
        if styles_el is None:
            return
        for st in styles_el.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if sid:
                self._styles[sid] = st
                if st.get(_w("type")) == "paragraph" and _on_attr(st.get(_w("default"))):
                    self._default_para = sid
        self._defaults_ppr = styles_el.find(f"{_w('docDefaults')}/{_w('pPrDefault')}/{W_PPR}")
        self._defaults_rpr = styles_el.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{W_RPR}")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its ancestors, nearest first (cycles cut)."""
        out: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            st = self._styles[style_id]
            out.append(st)
            based = st.find(_w("basedOn"))
            style_id = based.get(W_VAL) if based is not None else None
        return out

    def metrics(self, p: etree._Element, table_style: str | None = None) -> _Metrics:
        """Font size and spacing of a paragraph: direct formatting, its style, table style, defaults."""
        ppr = p.find(W_PPR)
        pstyle = ppr.find(_w("pStyle")) if ppr is not None else None
        chain = self.chain(pstyle.get(W_VAL) if pstyle is not None else self._default_para)
        tstyle = self.chain(table_style) if table_style else []
        pprs = [ppr] + [st.find(W_PPR) for st in chain + tstyle] + [self._defaults_ppr]
        rprs = [st.find(W_RPR) for st in chain + tstyle] + [self._defaults_rpr]
        size = _run_size(p) or _first(_int_attr(r.find(_w("sz")) if r is not None else None, "val") for r in rprs)
        size_pt = (size or DEFAULT_FONT_HALF_POINTS) / 2
        spacing = [x.find(_w("spacing")) if x is not None else None for x in pprs]
        ind = [x.find(_w("ind")) if x is not None else None for x in pprs]
        before = _first(_int_attr(s, "before") for s in spacing) or 0
        after = _first(_int_attr(s, "after") for s in spacing) or 0
        line_val = _first(_int_attr(s, "line") for s in spacing)
        rule = _first(s.get(_w("lineRule")) if s is not None else None for s in spacing) or "auto"
        left = _first(_int_attr(i, "left", _int_attr(i, "start")) for i in ind) or 0
        right = _first(_int_attr(i, "right", _int_attr(i, "end")) for i in ind) or 0
        keep = _first(x.find(_w("keepNext")) if x is not None else None for x in pprs)
        return _Metrics(
            size_pt, _line_height(size_pt, line_val, rule), before, after, max(0, left) + max(0, right), _on(keep)
        )

    def table_borders_visible(self, tbl: etree._Element) -> bool:
        """Does the table draw any border line (table properties first, then its style chain)?"""
        tblpr = tbl.find(W_TBLPR)
        sides: dict[str, bool] = {}
        style_el = tblpr.find(_w("tblStyle")) if tblpr is not None else None
        chain = self.chain(style_el.get(W_VAL) if style_el is not None else None)
        for source in [tblpr] + [st.find(W_TBLPR) for st in chain]:
            borders = source.find(_w("tblBorders")) if source is not None else None
            if borders is None:
                continue
            for side in borders:
                name = etree.QName(side).localname
                sides.setdefault(name, side.get(W_VAL, "nil") not in _NONE_BORDERS)
        return any(sides.values())

    def table_style(self, tbl: etree._Element) -> str | None:
        el = tbl.find(f"{W_TBLPR}/{_w('tblStyle')}")
        return el.get(W_VAL) if el is not None else None


def _on_attr(raw: str | None) -> bool:
    return raw is not None and raw.lower() not in _FALSE_VALUES


def _first(values: Iterable[int | str | None]):
    for v in values:
        if v is not None:
            return v
    return None


def _run_size(p: etree._Element) -> int | None:
    """Largest run font size (half-points) among runs that carry text."""
    best: int | None = None
    for r in p.iter(W_R):
        if not any((t.text or "") for t in r.iter(W_T)):
            continue
        sz = _int_attr(r.find(f"{W_RPR}/{_w('sz')}"), "val")
        if sz is not None and (best is None or sz > best):
            best = sz
    return best


def _line_height(size_pt: float, line: int | None, rule: str) -> float:
    natural = size_pt * 20 * LINE_HEIGHT_EM
    if line is None:
        return natural
    if rule == "exact":
        return float(line)
    if rule == "atLeast":
        return max(float(line), natural)
    return natural * line / 240


# ============================================================================================
# page flow
# ============================================================================================


@dataclass
class _Geometry:
    """Usable page area of a section, in twips."""

    width: float = 11906 - 2880
    height: float = 16838 - 2880


def _geometry(sect: etree._Element | None) -> _Geometry:
    if sect is None:
        return _Geometry()
    size = sect.find(_w("pgSz"))
    mar = sect.find(_w("pgMar"))
    w = _int_attr(size, "w", 11906) or 11906
    h = _int_attr(size, "h", 16838) or 16838
    top = abs(_int_attr(mar, "top", 1440) or 0)
    bottom = abs(_int_attr(mar, "bottom", 1440) or 0)
    left = _int_attr(mar, "left", 1440) or 0
    right = _int_attr(mar, "right", 1440) or 0
    return _Geometry(width=max(1440, w - left - right), height=max(1440, h - top - bottom))


class _PageFlow:
    """Decides where pages start, as offsets into the text being built.

    Two modes. *Rendered*: the file carries Word's ``lastRenderedPageBreak`` marks, which already
    include hard and section breaks, so only those count. *Estimated*: hard breaks count, and text
    is poured onto pages with a height model; when a line does not fit, a page starts there.
    """

    def __init__(self, rendered: bool, geometry: _Geometry) -> None:
        self.rendered = rendered
        self.geom = geometry
        self.starts: list[int] = [0]
        self.y = 0.0
        self.fresh = True  # nothing placed on the current page yet
        self.pending = False  # a section/hard break waits for the next line
        self.keep: tuple[int, float] | None = None  # open keep-with-next chain: (start offset, height)

    def new_page(self, offset: int) -> None:
        if self.fresh or offset <= self.starts[-1]:
            return
        self.starts.append(offset)
        self.y = 0.0
        self.fresh = True

    def hard_break(self, offset: int) -> None:
        if not self.rendered:
            self.new_page(offset)

    def rendered_break(self, offset: int) -> None:
        if self.rendered:
            self.fresh = False  # Word's mark is authoritative even at the top of our page
            self.new_page(offset)

    def line_start(self, offset: int) -> None:
        """Called at the start of every line: a pending section or end-of-paragraph break lands here."""
        if self.pending:
            self.pending = False
            self.hard_break(offset)

    def place_text(self, offset: int, text: str, m: _Metrics, width: float, keep_next: bool = False) -> None:
        """Pour a paragraph (or part of one) onto pages, line by line.

        ``keep_next`` paragraphs (headings) form a chain with what follows: when the first line
        of the paragraph after the chain does not fit, the page breaks before the whole chain,
        as Word does.
        """
        if self.rendered:
            self.fresh = False
            return
        if not self.fresh:
            self.y += m.before
        if not text.strip():  # an empty paragraph never opens a page of its own
            self.y = min(self.y + m.line + m.after, self.geom.height)
            self.fresh = False
            return
        starts = _wrap(text, _per_line(width - m.indent, m.size_pt))
        chain_start, chain_height = self.keep if self.keep else (offset, 0.0)
        for i, line_start in enumerate(starts):
            if self.y + m.line > self.geom.height and not self.fresh:
                if i == 0 and self.keep and chain_start > self.starts[-1]:
                    self.new_page(chain_start)
                    self.y = chain_height
                else:
                    self.new_page(offset + line_start)
            self.y += m.line
            self.fresh = False
        self.y += m.after
        height = m.before + len(starts) * m.line + m.after
        self.keep = (chain_start, chain_height + height) if keep_next else None

    def place_row(self, offset: int, height: float, repeat: float) -> None:
        """A table row moves to the next page whole when it does not fit; repeated headers follow."""
        if self.rendered:
            self.fresh = False
            return
        self.keep = None
        if self.y + height > self.geom.height and not self.fresh:
            self.new_page(offset)
            self.y = repeat
        self.y += height
        self.fresh = False


def _per_line(width: float, size_pt: float) -> int:
    """How many characters of average width fit on one line."""
    return max(1, int(max(width, 360) / (CHAR_WIDTH_EM * size_pt * 20)))


def _wrap(text: str, per_line: int) -> list[int]:
    """Greedy word wrap by character count; returns the index where each line starts.

    Why simulate wrapping rather than divide: in narrow table cells the space lost at the end of
    each line (a word that does not fit moves down) is a large share of the line.
    """
    starts = [0]
    used = 0
    for match in re.finditer(r"\S+\s*", text):
        word = len(match.group().rstrip())
        if used and used + word > per_line:
            starts.append(match.start())
            used = 0
        while used == 0 and word > per_line:  # a word longer than a line breaks anywhere
            starts.append(starts[-1] + per_line)
            word -= per_line
        used += word + len(match.group()) - len(match.group().rstrip())
    return starts


def _line_count(text: str, per_line: int) -> int:
    """Lines a paragraph with soft breaks takes."""
    return sum(len(_wrap(segment, per_line)) for segment in text.split("\n"))


# ============================================================================================
# building the SourceText
# ============================================================================================


@dataclass
class _PendingBlock:
    kind: str
    text: str
    offsets: tuple[int, ...]
    cells: tuple[Cell, ...] = ()
    table_index: int | None = None
    header_row: bool = False
    layout: bool = False


@dataclass
class _CellLines:
    """One data cell: its lines (paragraphs and soft breaks), raw, and its grid span."""

    lines: list[str]
    span: int
    continued: bool = False  # a vertically merged continuation: shown empty
    breaks: bool = False  # a page break mark sits inside


@dataclass
class _Builder:
    """Accumulates the text, the blocks and the page starts while the body is walked."""

    styles: _StyleSheet
    sections: list[etree._Element]
    rendered: bool
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    lines: int = 0
    blocks: list[_PendingBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: int = 0
    section: int = 0
    skipped_objects: int = 0

    def __post_init__(self) -> None:
        self.flow = _PageFlow(self.rendered, _geometry(self._sect(0)))

    # -- text ---------------------------------------------------------------------------------

    def _sect(self, i: int) -> etree._Element | None:
        return self.sections[i] if i < len(self.sections) else (self.sections[-1] if self.sections else None)

    def _next_line_start(self) -> int:
        return self.pos + (1 if self.lines else 0)

    def _start_line(self) -> int:
        """Begin a new line of SourceText.text and return its offset."""
        if self.lines:
            self.parts.append("\n")
            self.pos += 1
        self.lines += 1
        self.flow.line_start(self.pos)
        return self.pos

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    # -- walking ------------------------------------------------------------------------------

    def walk(self, container: etree._Element) -> None:
        """Body (or frame cell) children in document order."""
        for child in _block_children(container):
            if child.tag == W_P:
                self._paragraph(child)
            else:
                self._table(child)

    def _paragraph(self, p: etree._Element) -> None:
        """A body paragraph: one source line, one para block (soft breaks read as spaces)."""
        pt = _read_paragraph(p)
        self.skipped_objects += pt.has_objects
        if pt.page_break_before:
            self.flow.pending = True
        start = self._start_line()
        for i in pt.rendered_breaks:
            self.flow.rendered_break(start + i)
        self._place_paragraph(start, pt, self.styles.metrics(p))
        self._append(pt.text)
        text, offsets = _collapse(pt.text, start)
        if text:
            self.blocks.append(_PendingBlock("para", text, offsets))
        if pt.ends_section:
            self._end_section()

    def _place_paragraph(self, start: int, pt: _ParaText, m: _Metrics) -> None:
        """Feed the paragraph to the page flow, piece by piece between its hard page breaks."""
        width = self.flow.geom.width
        cut = 0
        for i in pt.hard_breaks:
            self.flow.place_text(start + cut, pt.text[cut:i], m, width, m.keep_next)
            if i >= len(pt.text):
                self.flow.pending = True
            else:
                self.flow.hard_break(start + i)
            cut = i
        if cut < len(pt.text) or not pt.hard_breaks:
            self.flow.place_text(start + cut, pt.text[cut:], m, width, m.keep_next)

    def _layout_blocks(self, text: str, start: int) -> None:
        """In a layout cell every visual line (soft breaks included) is a block of its own."""
        cut = 0
        for piece in text.split("\n"):
            t, offsets = _collapse(piece, start + cut)
            if t:
                self.blocks.append(_PendingBlock("para", t, offsets, layout=True))
            cut += len(piece) + 1

    def _end_section(self) -> None:
        """A paragraph carrying sectPr closes a section; the next one decides how it starts."""
        self.section += 1
        nxt = self._sect(self.section)
        kind = nxt.find(_w("type")) if nxt is not None else None
        self.flow.geom = _geometry(nxt)
        if kind is None or kind.get(W_VAL, "nextPage") != "continuous":
            self.flow.pending = True

    # -- tables -------------------------------------------------------------------------------

    def _table(self, tbl: etree._Element) -> None:
        if not _is_layout_table(tbl, self.styles):
            self._data_table(tbl)
        elif max((len(_cells(tr)) for tr in _rows(tbl)), default=0) <= 1:
            self._container_table(tbl)
        else:
            self._layout_table(tbl)

    def _container_table(self, tbl: etree._Element) -> None:
        """A borderless one-column table is only a frame around ordinary text: read it as body."""
        for tr in _rows(tbl):
            for tc in _cells(tr):
                self.walk(tc)

    def _layout_table(self, tbl: etree._Element) -> None:
        """Cells' paragraphs become layout para blocks: left cell then right cell, row by row."""
        tstyle = self.styles.table_style(tbl)
        widths = _grid_widths(tbl)
        for tr in _rows(tbl):
            self.flow.line_start(self._next_line_start())
            self.flow.place_row(self._next_line_start(), self._row_height(tr, widths, tstyle), 0.0)
            for tc in _cells(tr):
                for child in _block_children(tc):
                    if child.tag == W_P:
                        self._paragraph_in_layout_cell(child, tstyle)
                    else:
                        self._table(child)

    def _paragraph_in_layout_cell(self, p: etree._Element, tstyle: str | None) -> None:
        """Like a body paragraph, but its height was already counted with the row."""
        pt = _read_paragraph(p)
        self.skipped_objects += pt.has_objects
        start = self._start_line()
        for i in pt.rendered_breaks:
            self.flow.rendered_break(start + i)
        self._append(pt.text)
        self._layout_blocks(pt.text, start)

    def _data_table(self, tbl: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        rows = _rows(tbl)
        header_count = _header_row_count(rows)
        tstyle = self.styles.table_style(tbl)
        widths = _grid_widths(tbl)
        heights = [self._row_height(tr, widths, tstyle) for tr in rows]
        repeat = sum(h for tr, h in zip(rows, heights) if _on(tr.find(f"{W_TRPR}/{_w('tblHeader')}")))
        continued = 0
        for n, (tr, height) in enumerate(zip(rows, heights)):
            cells = _read_row(tr)
            continued += sum(c.continued for c in cells)
            start = self._start_line()
            if any(c.breaks for c in cells):
                self.flow.rendered_break(start)
            self.flow.place_row(start, height, repeat)
            self._row_block(cells, start, index, header=n < header_count)
        if continued:
            self.warnings.append(
                f"Bảng {index + 1}: {continued} ô gộp dọc (vMerge) được để trống ở các dòng tiếp theo. / "
                f"Table {index + 1}: {continued} vertically merged (vMerge) continuation cells are left empty."
            )

    def _row_block(self, cells: list[_CellLines], start: int, table_index: int, header: bool) -> None:
        """Render a row as one line 'a | b | c' and build its Cells with exact offsets."""
        out_cells: list[Cell] = []
        line_parts: list[str] = []
        pos = start
        for j, cell in enumerate(cells):
            if j:
                line_parts.append(" | ")
                pos += 3
            text_chars: list[str] = []
            offsets: list[int] = []
            for k, line in enumerate(cell.lines):
                if k:
                    line_parts.append(" ")
                    pos += 1
                t, offs = _collapse(line, pos)
                if t:
                    if text_chars:
                        text_chars.append("\n")
                        offsets.append(_line_separator(offsets, pos))
                    text_chars.extend(t)
                    offsets.extend(offs)
                line_parts.append(line)
                pos += len(line)
            out_cells.append(Cell("".join(text_chars), tuple(offsets), cell.span))
        row = "".join(line_parts)
        self._append(row)
        if not any(c.text for c in out_cells):  # an empty row says nothing; its line stays
            return
        text, offsets = _collapse(row, start)
        self.blocks.append(
            _PendingBlock("table_row", text, offsets, tuple(out_cells), table_index, header_row=header)
        )

    def _row_height(self, tr: etree._Element, widths: list[float], tstyle: str | None) -> float:
        """Tallest cell of the row (paragraph heights in the cell's width) plus borders."""
        best = 0.0
        col = _int_attr(tr.find(f"{W_TRPR}/{_w('gridBefore')}"), "val", 0) or 0
        for tc in _cells(tr):
            span = _grid_span(tc)
            width = sum(widths[col : col + span]) if col < len(widths) else 0.0
            if width <= 0:
                width = _int_attr(tc.find(f"{W_TCPR}/{_w('tcW')}"), "w", 0) or self.flow.geom.width / 2
            col += span
            best = max(best, self._cell_height(tc, max(width - CELL_PADDING_TWIPS, 360), tstyle))
        min_h = _int_attr(tr.find(f"{W_TRPR}/{_w('trHeight')}"), "val", 0) or 0
        return max(best, float(min_h)) + ROW_EXTRA_TWIPS

    def _cell_height(self, tc: etree._Element, width: float, tstyle: str | None) -> float:
        total = 0.0
        for p in _paragraphs_in(tc):
            m = self.styles.metrics(p, tstyle)
            text = _read_paragraph(p).text
            lines = _line_count(text, _per_line(width - m.indent, m.size_pt))
            total += m.before + lines * m.line + m.after
        return total

    # -- result -------------------------------------------------------------------------------

    def finish(self) -> SourceText:
        starts = self.flow.starts
        blocks: list[Block] = []
        for pb in self.blocks:
            first = pb.offsets[0] if pb.offsets else 0
            last = pb.offsets[-1] if pb.offsets else 0
            blocks.append(
                Block(
                    kind=pb.kind,  # type: ignore[arg-type]
                    text=pb.text,
                    offsets=pb.offsets,
                    page=bisect.bisect_right(starts, first),
                    page_end=bisect.bisect_right(starts, last),
                    cells=pb.cells,
                    table_index=pb.table_index,
                    header_row=pb.header_row,
                    layout=pb.layout,
                )
            )
        if self.skipped_objects:
            self.warnings.append(
                f"Bỏ qua {self.skipped_objects} đoạn có hình vẽ/hộp văn bản (nội dung trong hộp văn bản không được đọc). / "
                f"Skipped drawings/text boxes in {self.skipped_objects} paragraphs (text inside text boxes is not read)."
            )
        return SourceText(
            text="".join(self.parts),
            kind="docx",
            page_starts=list(starts),
            blocks=blocks,
            warnings=self.warnings,
            tables=self.tables,
        )


def _line_separator(offsets: list[int], pos: int) -> int:
    """Where a cell's "\\n" points: the separator right after the previous line's last char."""
    return offsets[-1] + 1 if offsets else pos


# ============================================================================================
# tables: classification, rows, headers
# ============================================================================================


def _is_layout_table(tbl: etree._Element, styles: _StyleSheet) -> bool:
    """Borderless and not shaped like a data table (no column-name header row).

    Borders: the table's own ``tblBorders`` win per side over those of its table style (chain);
    when neither says anything the table is borderless (Word's "Normal Table"). A table whose
    cells mostly draw their own boxes (``tcBorders``) counts as bordered too.
    """
    if styles.table_borders_visible(tbl) or _cells_boxed(tbl):
        return False
    rows = _rows(tbl)
    return not (rows and _names_columns(rows[0]))


def _cells_boxed(tbl: etree._Element) -> bool:
    cells = [tc for tr in _rows(tbl) for tc in _cells(tr)]
    if not cells:
        return False
    boxed = 0
    for tc in cells:
        borders = tc.find(f"{W_TCPR}/{_w('tcBorders')}")
        if borders is None:
            continue
        visible = {
            etree.QName(side).localname
            for side in borders
            if side.get(W_VAL, "nil") not in _NONE_BORDERS
        }
        if {"top", "bottom"} <= visible and ({"left", "right"} <= visible or {"start", "end"} <= visible):
            boxed += 1
    return boxed * 2 >= len(cells)


def _cell_plain_text(tc: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(W_T)) for p in _paragraphs_in(tc))


def _names_columns(tr: etree._Element) -> bool:
    """A row naming columns: one of its cells reads "STT"/"TT"/"Số TT"/"Số thứ tự"."""
    return any(" ".join(fold(_cell_plain_text(tc)).split()) in _COLUMN_WORDS for tc in _cells(tr))


def _header_row_count(rows: list[etree._Element]) -> int:
    """How many leading rows name the columns.

    Rows flagged ``tblHeader`` (repeated on every page) are headers. Without the flag the first
    row is a header when it names columns (STT, ...) or is entirely bold. A following row joins
    the header when it continues a vertical merge started in the header (two-level headers such
    as "Thời gian" over "Bắt đầu | Kết thúc").
    """
    n = 0
    while n < len(rows) and _on(rows[n].find(f"{W_TRPR}/{_w('tblHeader')}")):
        n += 1
    if n == 0 and rows and len(_cells(rows[0])) > 1 and (_names_columns(rows[0]) or _is_bold_row(rows[0])):
        n = 1
    while 0 < n < len(rows) and _continues_header(rows[n - 1], rows[n]):
        n += 1
    return n


def _continues_header(prev: etree._Element, row: etree._Element) -> bool:
    restarts = {col for col, tc in _grid_cells(prev) if _v_merge(tc) == "restart"}
    return any(_v_merge(tc) == "continue" and col in restarts for col, tc in _grid_cells(row))


def _grid_cells(tr: etree._Element) -> list[tuple[int, etree._Element]]:
    """Each cell with the grid column it starts in."""
    col = _int_attr(tr.find(f"{W_TRPR}/{_w('gridBefore')}"), "val", 0) or 0
    out = []
    for tc in _cells(tr):
        out.append((col, tc))
        col += _grid_span(tc)
    return out


def _grid_widths(tbl: etree._Element) -> list[float]:
    return [float(_int_attr(g, "w", 0) or 0) for g in tbl.iter(_w("gridCol"))][: _grid_len(tbl)]


def _grid_len(tbl: etree._Element) -> int:
    grid = tbl.find(_w("tblGrid"))
    return len(grid) if grid is not None else 0


def _read_row(tr: etree._Element) -> list[_CellLines]:
    """A row's cells in column order, with merges applied.

    gridSpan → one cell with that span; legacy hMerge continuations are folded into the cell on
    their left; vMerge continuations become empty cells (their text lives in the row above);
    ``gridBefore`` columns become one empty leading cell so that columns stay aligned.
    """
    out: list[_CellLines] = []
    before = _int_attr(tr.find(f"{W_TRPR}/{_w('gridBefore')}"), "val", 0) or 0
    if before:
        out.append(_CellLines([], before))
    for tc in _cells(tr):
        span = _grid_span(tc)
        if _h_merge(tc) == "continue" and out:
            out[-1].span += span
            continue
        if _v_merge(tc) == "continue":
            out.append(_CellLines([], span, continued=True))
            continue
        lines: list[str] = []
        breaks = False
        for p in _paragraphs_in(tc):
            pt = _read_paragraph(p)
            breaks = breaks or bool(pt.rendered_breaks)
            lines.extend(pt.text.split("\n"))
        out.append(_CellLines(lines, span, breaks=breaks))
    return out
