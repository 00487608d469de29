"""The structure parser: reflowed blocks in, a header and a tree of addressable clauses out.

Entry point: :func:`parse_document`. The document is read in segments:

  header (ingest.header) -> body -> recipients/signature (ingest.header)
  -> [an attached document: its own header block (issuer, quốc hiệu: optional, never read as a
      clause nor as the decision's header) + "KẾ HOẠCH" + "(Ban hành kèm theo Quyết định ...)"
      -> body -> tail]
  -> [appendices (ingest.appendix)]

Body rules (why: so that a clause path is what a Vietnamese reader would cite):

* Paragraphs before the first numbered item are the preamble (``preamble.N``), "Căn cứ ..."
  included; all-caps lines there ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...", "QUYẾT ĐỊNH:") are
  headings of the decision, not clauses.
* ``I.`` opens a Mục, ``Điều N.`` an Điều (top level); ``N.`` a khoản under the current Mục or
  Điều (or at top level when there is none); ``a)`` a điểm under the current khoản (or Mục/Điều);
  ``-`` a gạch đầu dòng and ``+`` a dấu cộng under the deepest item.
* A marker counts only when it continues its siblings' sequence (Roman and letters strictly:
  ``c)`` after ``b)``, đ after d, i/k after h; numbers: the next one, or any first one), so an
  out-of-sequence "c) " or a number in running text is just a paragraph.
* An unnumbered paragraph belongs to the container of the previous item (after point II.2.d:
  khoản II.2 -> ``II.2.p1``); directly after a heading that has no items yet (no sentence end,
  or a lead-in ending in ":") it belongs to that heading (``I.2.p1``). Inside an Điều with no
  khoản yet it continues the Điều's text (joined with "\\n").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracuu.ingest.appendix import appendix_names, is_appendix_heading, parse_appendix
from tracuu.ingest.coverage import SourceMap, measure, spans_of
from tracuu.ingest.errors import IngestError
from tracuu.ingest.header import (
    HeaderInfo,
    Tail,
    adoption_date,
    doc_type_heading,
    is_body_heading,
    is_header_line,
    is_note,
    is_tail_start,
    opening_facts,
    parse_tail,
    scan_header,
)
from tracuu.ingest.labels import full_label, heading_text, own_part, preamble_label
from tracuu.ingest.markers import (
    Draft,
    Marker,
    Pager,
    Piece,
    cut,
    ends_terminal,
    find_marker,
    is_caps,
    letter_follows,
    piece_from_block,
    roman_value,
)
from tracuu.ingest.model import Clause, DocumentHeader, ParsedDocument, SourceText, Span
from tracuu.ingest.references import find_references
from tracuu.ingest.vntext import fold

__all__ = ["parse_document", "KINDS"]

KINDS: tuple[str, ...] = (
    "preamble",  # đoạn mở đầu / căn cứ
    "phan",  # Phần I / Phần thứ nhất (a heading above Chương)
    "chuong",  # Chương I
    "muc_chuong",  # Mục 1 inside a Chương (a heading above Điều)
    "muc",  # I., II. ...
    "dieu",  # Điều 1.
    "khoan",  # 1., 2. ...
    "tieu_muc",  # 1.1., 1.2.1. under khoản 1
    "diem",  # a), b) ...
    "gach_dau_dong",  # -
    "dau_cong",  # +
    "doan_khong_danh_so",  # an unnumbered paragraph after numbered items
    "appendix_group",  # PL.I
    "appendix_row",  # PL.5
    "recipients",  # Nơi nhận
    "signature",  # chữ ký
)

# nesting level of each item kind (Mục and Điều are the top; Phần/Chương/Mục of a law or a Quy chế
# are headings above Điều; a Mục inside an Điều sits between it and its khoản; 1.1 under khoản 1)
_LEVEL: dict[str, float] = {
    "phan": -3, "chuong": -2, "muc_chuong": -1, "muc": 0, "dieu": 0, "khoan": 1, "tieu_muc": 1.25,
    "diem": 2, "gach_dau_dong": 3, "dau_cong": 4,
}
NESTED_MUC_LEVEL = 0.5
# headings that group Điều: shown in the heading chain, left out of a label ("Điều 5", not "Điều 5
# Chương II": Điều numbers run through the whole document)
HEADING_KINDS = frozenset({"phan", "chuong", "muc_chuong"})
# a heading line is short and does not end like a sentence
HEADING_MAX_CHARS = 200


@dataclass(eq=False)
class _Node:
    """One item of the body tree while it is being built."""

    kind: str
    path: str
    own: str  # own label part: "khoản 1"
    marker: str
    parts: list[Piece]
    parent: _Node | None
    order: int
    level: float = -9
    num: str = ""  # khoản / tiểu mục: its number as a dotted value ("1", "1.2")
    last_sub: int | None = None  # of its dotted children (1.1, 1.2 under khoản 1)
    last_roman: int = 0  # of the Mục nested in it (an Điều "... với các nội dung sau:" then I., II.)
    last_section: int = 0  # of the Mục inside a Chương
    last_number: int | None = None  # of its khoản children
    last_letter: str | None = None  # of its điểm children
    dashes: int = 0
    pluses: int = 0
    paras: int = 0
    items: int = 0  # numbered/bulleted children (unnumbered paragraphs not counted)

    def chain(self) -> list[_Node]:
        out: list[_Node] = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


@dataclass
class _Body:
    """Builds the clause tree of one body (the main document or an attached one)."""

    prefix: str  # "" or "KH."
    suffix: str  # "" or "Kế hoạch ban hành kèm theo"
    counter: _Counter
    nodes: list[_Node] = field(default_factory=list)
    preamble: list[tuple[int, Piece]] = field(default_factory=list)
    stack: list[_Node] = field(default_factory=list)
    root: _Node = field(default_factory=lambda: _Node("root", "", "", "", [], None, 0))
    last_item: _Node | None = None
    last_roman: int = 0
    last_dieu: int = 0
    last_phan: int = 0
    last_chuong: int = 0
    last_khoan_any: int = 0  # khoản numbering that runs on across Mục
    skipped: list[Piece] = field(default_factory=list)  # headings of the decision, not clauses
    openers: list[Piece] = field(default_factory=list)  # pieces that opened an item ("Chương I" alone)

    @property
    def started(self) -> bool:
        return self.last_item is not None

    # ---- helpers
    def _container(self, below: int) -> _Node:
        for node in reversed(self.stack):
            if node.level < below:
                return node
        return self.root

    def _path(self, parent: _Node, own: str) -> str:
        return f"{parent.path}.{own}" if parent is not self.root else f"{self.prefix}{own}"

    def _add(
        self,
        kind: str,
        parent: _Node,
        own_path: str,
        own_label: str,
        marker: str,
        text: Piece,
        *,
        level: float | None = None,
        path: str | None = None,
    ) -> _Node:
        level = _LEVEL[kind] if level is None else level
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        node = _Node(
            kind,
            path or self._path(parent, own_path),
            own_label,
            marker,
            [text] if text.text else [],
            parent if parent is not self.root else None,
            self.counter.next(),
            level,
        )
        parent.items += 1
        self.stack.append(node)
        self.nodes.append(node)
        self.last_item = node
        return node

    def _heading_parent(self, above: float) -> _Node:
        """The innermost Phần/Chương/Mục heading open above ``above`` (root when none)."""
        for node in reversed(self.stack):
            if node.kind in HEADING_KINDS and node.level < above:
                return node
        return self.root

    # ---- feeding
    def feed(self, piece: Piece, pager: Pager) -> None:
        mk = find_marker(piece.text)
        if mk is not None and self._item(piece, mk, pager):
            self.openers.append(piece)  # its marker belongs to the item even when no text follows
            return
        self._paragraph(piece)

    def _item(self, piece: Piece, mk: Marker, pager: Pager) -> bool:
        rest = cut(piece, mk.end, None, pager)
        numeral = mk.written.split(maxsplit=1)[-1].rstrip(".:").strip() if mk.kind == "muc_chuong" else ""
        if numeral and roman_value(numeral) is not None \
                and not any(x.kind == "chuong" for x in self.stack) and not self.last_chuong:
            # "Mục III. ĐẨY MẠNH …" in a plan (no Chương): its Roman section, as "III." would be; the
            # word says it is a section, so a part that starts at Mục III still opens one
            return self._roman(Marker("roman", mk.written, numeral, mk.end), rest, any_first=True)
        if mk.kind in HEADING_KINDS:
            return self._heading(mk, rest)
        if mk.kind == "dieu":
            n = int(mk.value)
            if n != self.last_dieu + 1:
                return False
            self.last_dieu = n
            parent = self._heading_parent(_LEVEL["dieu"])
            self._add("dieu", parent, f"D{n}", own_part("dieu", str(n)), mk.written, rest, path=f"{self.prefix}D{n}")
            return True
        if mk.kind == "roman":
            return self._roman(mk, rest)
        if mk.kind == "dotted":
            return self._dotted(mk, rest)
        return self._numbered(mk, rest)

    def _roman(self, mk: Marker, rest: Piece, any_first: bool = False) -> bool:
        """"I.", "II." (or "Mục III."): a Mục at top level, under a Phần, or nested in an Điều."""
        v = roman_value(mk.value)
        if v is None:
            return False
        dieu = next((n for n in reversed(self.stack) if n.kind == "dieu"), None)
        if dieu is not None and v == dieu.last_roman + 1 and (dieu.last_roman or self._opens_list(dieu)):
            # "Điều 1. Phê duyệt Đề án ... với các nội dung sau:" then "I. QUAN ĐIỂM", "II. ..."
            dieu.last_roman = v
            self._add("muc", dieu, mk.value, own_part("muc", mk.value), mk.written, rest, level=NESTED_MUC_LEVEL)
            return True
        heading = self._heading_parent(_LEVEL["muc"])
        if heading is not self.root:
            # "PHẦN I" then "I.", "II." (numbering restarts in each Phần): P1.I, P2.I
            if v != heading.last_roman + 1:
                return False
            heading.last_roman = v
            self._add("muc", heading, mk.value, own_part("muc", mk.value), mk.written, rest)
            return True
        if v != self.last_roman + 1 and not (any_first and self.last_roman == 0):
            return False
        self.last_roman = v
        self.stack.clear()
        self._add("muc", self.root, mk.value, own_part("muc", mk.value), mk.written, rest)
        return True

    def _numbered(self, mk: Marker, rest: Piece) -> bool:
        """khoản "1.", điểm "a)", "-" and "+" under the deepest item that can hold them."""
        if mk.kind == "number":
            n = int(mk.value)
            parent = self._container(1)
            if parent.last_number is None:
                ok = n == 1 or (parent is not self.root and n == self.last_khoan_any + 1)
            else:
                ok = n == parent.last_number + 1
            if not ok:
                return False
            parent.last_number = n
            self.last_khoan_any = n
            node = self._add("khoan", parent, str(n), own_part("khoan", str(n)), mk.written, rest)
            node.num = str(n)
            return True
        if mk.kind == "letter":
            parent = self._container(2)
            if not letter_follows(parent.last_letter, mk.value):
                return False
            parent.last_letter = mk.value
            self._add("diem", parent, mk.value, own_part("diem", mk.value), mk.written, rest)
            return True
        if not self.started:
            return False  # a bullet in the preamble is part of the preamble
        if mk.kind == "dash":
            parent = self._container(3)
            parent.dashes += 1
            k = parent.dashes
            self._add("gach_dau_dong", parent, f"-{k}", own_part("gach_dau_dong", str(k)), mk.written, rest)
            return True
        if mk.kind == "plus":
            parent = self._container(4)
            parent.pluses += 1
            k = parent.pluses
            self._add("dau_cong", parent, f"+{k}", own_part("dau_cong", str(k)), mk.written, rest)
            return True
        return False

    @staticmethod
    def _opens_list(dieu: _Node) -> bool:
        """An Điều with no khoản yet whose text leads in to a list ("... với các nội dung sau:")."""
        return dieu.items == 0 and bool(dieu.parts) and dieu.parts[-1].text.rstrip().endswith(":")

    def _heading(self, mk: Marker, rest: Piece) -> bool:
        """Phần / Chương / Mục (of a Chương): a short heading line, numbered in sequence."""
        if len(rest.text) > HEADING_MAX_CHARS or (rest.text and ends_terminal(rest.text) and not is_caps(rest.text)):
            return False
        n = int(mk.value)
        numeral = mk.written.split(maxsplit=1)[1].rstrip(".:").strip()
        numeral = numeral.lower() if fold(numeral).lower().startswith("thu ") else numeral
        if mk.kind == "phan":
            if n != self.last_phan + 1:
                return False
            self.last_phan = n
            self.stack.clear()
            self._add("phan", self.root, f"P{n}", own_part("phan", numeral), mk.written, rest, path=f"{self.prefix}P{n}")
            return True
        if mk.kind == "chuong":
            if n != self.last_chuong + 1:
                return False
            self.last_chuong = n
            parent = self._heading_parent(_LEVEL["chuong"])
            self._add("chuong", parent, f"C{n}", own_part("chuong", numeral), mk.written, rest, path=f"{self.prefix}C{n}")
            return True
        chuong = next((x for x in reversed(self.stack) if x.kind == "chuong"), None)
        if chuong is None or n != chuong.last_section + 1:
            return False
        chuong.last_section = n
        self._add("muc_chuong", chuong, f"M{n}", own_part("muc_chuong", numeral), mk.written, rest)
        return True

    def _dotted(self, mk: Marker, rest: Piece) -> bool:
        """"1.2." under khoản 1 (and "1.2.3." under 1.2): accepted only inside that item, in sequence."""
        parts = mk.value.split(".")
        above = ".".join(parts[:-1])
        parent = next((x for x in reversed(self.stack) if x.kind in ("khoan", "tieu_muc") and x.num == above), None)
        if parent is None:
            return False
        k = int(parts[-1])
        if k != (parent.last_sub or 0) + 1:
            return False
        parent.last_sub = k
        level = _LEVEL["tieu_muc"] + 0.25 * (len(parts) - 2)
        node = self._add("tieu_muc", parent, parts[-1], own_part("tieu_muc", mk.value), mk.written, rest, level=level)
        node.num = mk.value
        return True

    def _paragraph(self, piece: Piece) -> None:
        last = self.last_item
        if last is None:
            if is_caps(piece.text):
                self.skipped.append(piece)  # "QUYẾT ĐỊNH:", the signing authority's line
                return
            self.preamble.append((self.counter.next(), piece))
            return
        if (last.kind == "dieu" or last.kind in HEADING_KINDS) and last.items == 0:
            last.parts.append(piece)  # an Điều's further paragraphs; a Chương's title line
            return
        heading_like = last.items == 0 and not ends_terminal(last.parts[-1].text if last.parts else "")
        container = last if heading_like else (last.parent or self.root)
        while self.stack and self.stack[-1] is not container:
            self.stack.pop()
        container.paras += 1
        k = container.paras
        node = _Node(
            "doan_khong_danh_so",
            self._path(container, f"p{k}"),
            own_part("doan_khong_danh_so", str(k)),
            "",
            [piece],
            container if container is not self.root else None,
            self.counter.next(),
        )
        self.nodes.append(node)

    # ---- output
    def drafts(self) -> list[Draft]:
        out = [
            Draft(
                path=f"{self.prefix}preamble.{k}",
                kind="preamble",
                label=preamble_label(k, self.suffix),
                marker="",
                parent=None,
                parts=[piece],
                heading_chain=[],
                order=order,
            )
            for k, (order, piece) in enumerate(self.preamble, start=1)
        ]
        for node in self.nodes:
            chain = node.chain()
            out.append(
                Draft(
                    path=node.path,
                    kind=node.kind,
                    label=full_label(_label_parts(node, chain), self.suffix),
                    marker=node.marker,
                    parent=node.parent.path if node.parent else None,
                    parts=node.parts,
                    heading_chain=[
                        heading_text(a.marker, "\n".join(p.text for p in a.parts)) for a in reversed(chain)
                    ],
                    order=node.order,
                )
            )
        return out


def _label_parts(node: _Node, chain: list[_Node]) -> list[str]:
    """Own label parts, innermost first. Under an Điều the Phần/Chương/Mục headings are left out
    ("khoản 1 Điều 5": Điều numbers run through the whole document); elsewhere they stay
    ("Mục I Phần II", "Mục 1 Chương II")."""
    under_dieu = node.kind == "dieu" or any(a.kind == "dieu" for a in chain)
    return [node.own] + [a.own for a in chain if not (under_dieu and a.kind in HEADING_KINDS)]


def _tail_drafts(tail: Tail, prefix: str, counter: _Counter) -> list[Draft]:
    out: list[Draft] = []
    if tail.recipients:
        out.append(
            Draft(
                f"{prefix}recipients", "recipients", "Nơi nhận", "", None, list(tail.recipients), [], counter.next()
            )
        )
    if tail.signature:
        out.append(
            Draft(f"{prefix}signature", "signature", "Chữ ký", "", None, list(tail.signature), [], counter.next())
        )
    return out


def _attached_heading(pieces: list[Piece], i: int, after_tail: bool) -> bool:
    """A second type heading ("KẾ HOẠCH") that opens a document attached to a decision."""
    p = pieces[i]
    if p.is_row or p.text.rstrip().endswith(":") or doc_type_heading(p.text) is None:
        return False
    if after_tail:
        return True
    if is_body_heading(p.text):  # "QUYẾT ĐỊNH" opening the articles, colon forgotten
        return False
    return any(is_note(q.text) and "kèm theo" in q.text.lower() for q in pieces[i + 1 : i + 5])


def _attached_start(pieces: list[Piece], i: int, after_tail: bool) -> bool:
    """Does an attached document start at ``pieces[i]``: its type heading, or the header block
    (issuer, quốc hiệu) printed above that heading?"""
    k = i
    while k < min(len(pieces), i + 12) and doc_type_heading(pieces[k].text) is None and is_header_line(pieces[k]):
        k += 1
    return k < len(pieces) and _attached_heading(pieces, k, after_tail)


def _span(draft: Draft) -> Span:
    parts = [p for p in draft.parts if p.offsets]
    if not parts:
        return Span(0, 0, 1, 1)
    return Span(
        min(p.start for p in parts),
        max(p.end for p in parts),
        min(p.page for p in parts),
        max(p.page_end for p in parts),
    )


def _header(info: HeaderInfo, tail: Tail | None) -> DocumentHeader:
    header = DocumentHeader(
        doc_type=info.doc_type.name if info.doc_type else None,
        number=info.number,
        date=info.date,
        date_as_written=info.date_as_written,
        place=info.place,
        issuer=info.issuer,
        title=info.title,
        addressees=list(info.addressees),
    )
    if tail is not None:
        header.recipients = tail.recipient_names()
        header.signer = tail.signer()
    return header


def parse_document(source: SourceText, *, doc_id: str, file_name: str, content_hash: str) -> ParsedDocument:
    """Parse a loaded document into its header and clauses.

    Raises :class:`IngestError` when no clause can be found (an empty or unreadable document).
    """
    pager = Pager(source)
    pieces = [p for p in (piece_from_block(b) for b in source.blocks) if p.text.strip()]
    info, i, pieces = scan_header(pieces, 0, pager)
    # a file that is only an attachment ("PHỤ LỤC II / DANH MỤC … / STT | …", published apart from
    # its decision): the header scan must not swallow the appendix heading
    swallowed = [k for k, q in enumerate(pieces[:i]) if not q.is_row and is_appendix_heading(q.text)]
    if swallowed and info.doc_type is None:
        i = swallowed[0]
    parts: list[tuple[str, Piece]] = [("header", q) for q in pieces[:i]]
    openers: list[Piece] = []
    lost: list[Piece] = []
    counter = _Counter()
    warnings: list[str] = []
    drafts: list[Draft] = []
    body = _Body("", "", counter)
    first_tail: Tail | None = None
    seen_tail = False

    appendix_at = [k for k, p in enumerate(pieces) if not p.is_row and is_appendix_heading(p.text)]
    while i < len(pieces):
        p = pieces[i]
        if i in appendix_at:
            break
        if is_tail_start(pieces, i):
            before = i
            tail, i = parse_tail(pieces, i, pager)
            parts += [("signature", q) for q in pieces[before:i]]  # "(Đã ký)", "Nơi nhận:" ...
            if first_tail is None:
                first_tail = tail
            drafts += _tail_drafts(tail, body.prefix, counter)
            warnings += [
                "Bỏ qua đoạn không rõ ở phần nơi nhận/chữ ký / "
                f"Skipped unclear text in the recipients/signature block: {q.text[:60]}"
                for q in tail.leftover
            ]
            lost += tail.leftover  # warned above; not counted as covered
            seen_tail = True
            continue
        if (body.started or body.preamble) and _attached_start(pieces, i, seen_tail):
            drafts += body.drafts()
            parts += [("heading", q) for q in body.skipped]
            openers += body.openers
            before = i
            att, i, pieces = scan_header(pieces, i, pager)
            parts += [("header", q) for q in pieces[before:i]]
            appendix_at = [k for k, q in enumerate(pieces) if not q.is_row and is_appendix_heading(q.text)]
            assert att.doc_type is not None
            body = _Body(f"{att.doc_type.attach_prefix}.", f"{att.doc_type.name} ban hành kèm theo", counter)
            seen_tail = False
            continue
        body.feed(p, pager)
        i += 1
    drafts += body.drafts()
    parts += [("heading", q) for q in body.skipped]
    openers += body.openers

    # appendices: from each heading to the next
    heads = [k for k in appendix_at if k >= i]
    names = appendix_names([pieces[k].text for k in heads])
    for n, k in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(pieces)
        prefix, name = names[min(n, len(names) - 1)]
        result = parse_appendix(pieces[k:end], pager, prefix=prefix, name=name, order=counter.n + 1)
        parts += [("appendix_heading", q) for q in pieces[k:end] if _appendix_furniture(q)]
        counter.n += len(result.drafts)
        drafts += result.drafts
        warnings += result.warnings

    smap = SourceMap(source)
    clauses = _clauses(drafts, doc_id, warnings, smap)
    other_parts, coverage = _coverage(source, smap, pieces, drafts, parts, openers, lost)
    if coverage["uncovered_ranges"]:
        first = coverage["uncovered"][0]
        warnings.append(
            f"{coverage['chars'] - coverage['covered']} ký tự không thuộc điều khoản hay phần nào "
            f"(độ phủ {coverage['percent']}%), ví dụ trang {first['page']}: «{first['text'][:60]}» / "
            f"{coverage['chars'] - coverage['covered']} characters belong to no clause nor recorded part "
            f"(coverage {coverage['percent']}%), e.g. page {first['page']}: «{first['text'][:60]}»"
        )
    if not clauses:
        raise IngestError(
            f"Không tìm thấy điều khoản nào trong văn bản '{file_name}'.",
            f"No clauses found in document '{file_name}'.",
            code="no_clauses",
        )
    header = _header(info, first_tail)
    if header.date is None and info.doc_type is not None and info.doc_type.name_gap:
        adopted = adoption_date([c.text for c in clauses if c.kind not in ("recipients", "signature")][-5:])
        if adopted:
            header.date, header.date_as_written = adopted
    if not (header.number or header.date or header.date_as_written or header.issuer):
        # a header block that gave none of them: what the opening clauses write (header.opening_facts)
        opening = opening_facts([c.text for c in clauses if c.path.startswith("preamble")])
        header.number, header.issuer = opening.get("number"), opening.get("issuer")
        header.date, header.date_as_written = opening.get("date"), opening.get("date_as_written")
    return ParsedDocument(
        doc_id=doc_id,
        file_name=file_name,
        source_kind=source.kind,
        content_hash=content_hash,
        header=header,
        clauses=clauses,
        pages=max(len(source.page_starts), max((c.span.page_end for c in clauses), default=1)),
        tables=source.tables,
        warnings=list(source.warnings) + warnings,
        ocr_pages=dict(source.ocr_pages),
        other_parts=other_parts,
        coverage=coverage,
    )


def _appendix_furniture(p: Piece) -> bool:
    """A line of an appendix that is not content: its heading and subtitles (capitals, "(Kèm
    theo ...)"), a column header row or an "STT ..." header line of a flattened table."""
    t = p.text.strip()
    if p.is_row:
        return bool(p.block is not None and p.block.header_row)
    return is_caps(t) or is_note(t) or fold(t).startswith(("stt ", "tt ")) or is_appendix_heading(t)


def _coverage(
    source: SourceText,
    smap: SourceMap,
    pieces: list[Piece],
    drafts: list[Draft],
    parts: list[tuple[str, Piece]],
    openers: list[Piece],
    lost: list[Piece],
) -> tuple[list[dict], dict]:
    """A piece that gave any character to a clause belongs to it whole (its marker "a)", the other
    cells of its table row); recorded parts are the rest; see :mod:`ingest.coverage`."""
    mark = bytearray(smap.n + 1)
    for d in drafts:
        if not d.text:
            continue
        for part in d.parts:
            for ch, off in zip(part.text, part.offsets):
                if not ch.isspace() and 0 <= off < smap.n:
                    mark[off] = 1
    ranges = [(p.start, p.end) for p in pieces if p.offsets and any(mark[o] for o in p.offsets if 0 <= o < smap.n)]
    ranges += [(p.start, p.end) for p in openers if p.offsets]
    holes = [(p.start, p.end) for p in lost if p.offsets]  # text a block held that no clause took
    recorded = [(kind, a, b) for kind, q in parts if q.offsets for a, b in _subtract([(q.start, q.end)], holes)]
    return measure(source, smap, _subtract(ranges, holes), recorded)


def _subtract(ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` with ``holes`` cut out."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        pieces = [(a, b)]
        for h0, h1 in holes:
            nxt = []
            for x, y in pieces:
                if h1 <= x or h0 >= y:
                    nxt.append((x, y))
                    continue
                if x < h0:
                    nxt.append((x, h0))
                if h1 < y:
                    nxt.append((h1, y))
            pieces = nxt
        out.extend(pieces)
    return out


def _clauses(drafts: list[Draft], doc_id: str, warnings: list[str], smap: SourceMap) -> list[Clause]:
    """Drafts -> clauses in document order; paths made unique (a warning says when)."""
    out: list[Clause] = []
    seen: set[str] = set()
    for d in sorted(drafts, key=lambda d: d.order):
        text = d.text
        if not text:
            continue
        path = d.path
        envelope = _span(d)
        chars = [(ch, off) for piece in d.parts if piece.text for ch, off in zip(piece.text, piece.offsets)]
        spans = spans_of(chars, smap, envelope.page, envelope.page_end)
        if path in seen:
            k = 2
            while f"{path}_{k}" in seen:
                k += 1
            warnings.append(f"Đường dẫn trùng / Duplicate path {path} -> {path}_{k}")
            path = f"{path}_{k}"
        seen.add(path)
        out.append(
            Clause(
                clause_id=f"{doc_id}:{path}",
                doc_id=doc_id,
                path=path,
                kind=d.kind,
                label=d.label,
                marker=d.marker,
                text=text,
                heading_chain=d.heading_chain,
                parent=d.parent,
                order=len(out),
                span=envelope,
                spans=spans,
                references=find_references(text),
                cells=d.cells,
                ocr=any(p.block is not None and p.block.ocr for p in d.parts),
            )
        )
    return out
