"""The nouns every stage of tracuu shares.

Data flows one way (ingest -> index -> api), so these types live in ``ingest`` and know
nothing of vector stores or HTTP. They are plain dataclasses so that they serialise to JSON
with :func:`dataclasses.asdict` and can be rebuilt with the ``from_dict`` helpers.

Offsets are always offsets into :attr:`SourceText.text`, the text as the loader read it
from the file (NFC-normalised, otherwise untouched). A citation therefore points at the
source, never at a rewritten version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SourceKind = Literal["txt", "pdf", "docx"]
BlockKind = Literal["para", "table_row"]


@dataclass(frozen=True)
class Cell:
    """One table cell: its reflowed text and, per character, the source offset it came from."""

    text: str
    offsets: tuple[int, ...]  # len(offsets) == len(text); offsets[i] is the source offset of text[i]
    col_span: int = 1


@dataclass(frozen=True)
class Block:
    """One reflowed paragraph, or one table row, ready for the structure parser.

    Why a per-character offset map: the parser strips markers ("a)", "1.", "-") and may cut a
    block into pieces; with ``offsets`` every piece still knows its exact source span.
    """

    kind: BlockKind
    text: str  # NFC, hard wraps rejoined, whitespace runs collapsed to one space, stripped
    offsets: tuple[int, ...]  # len == len(text): source offset of each character
    page: int  # 1-based page where the block starts
    page_end: int  # 1-based page where it ends
    cells: tuple[Cell, ...] = ()  # table rows only, in column order
    table_index: int | None = None  # which table of the document a row belongs to
    header_row: bool = False  # a table row that names the columns (repeated headers included)
    layout: bool = False  # text from a borderless layout table (header/signature blocks of a .docx)
    ocr: bool = False  # read by OCR from a page image (a scan), not from a text layer
    confidence: float | None = None  # OCR blocks: mean Tesseract word confidence of its lines, 0-100

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


@dataclass
class SourceText:
    """What a loader read from one file, before any structure is known."""

    text: str  # the whole extracted text, NFC
    kind: SourceKind
    page_starts: list[int]  # offset in ``text`` where each page starts; page_starts[0] == 0
    blocks: list[Block]
    dropped: list[tuple[int, int]] = field(default_factory=list)  # source ranges removed as artefacts (page numbers)
    warnings: list[str] = field(default_factory=list)
    tables: int = 0  # how many data tables the loader found
    ocr_pages: dict[int, float] = field(default_factory=dict)  # page read by OCR -> mean word confidence (0-100)
    # What ``dropped`` holds, by kind: [kind, start, end] with kind "page_number", "page_header"
    # (a gazette's "CÔNG BÁO/Số .../Ngày ..." line) or "signature_stamp" ("Ký bởi: ..." block).
    furniture: list[list[Any]] = field(default_factory=list)

    def page_of(self, offset: int) -> int:
        """1-based page number of a source offset."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if offset >= start:
                page = i + 1
            else:
                break
        return page


@dataclass(frozen=True)
class Span:
    """Where a clause's text lies in the source: [start, end) offsets and pages."""

    start: int
    end: int
    page: int
    page_end: int


@dataclass(frozen=True)
class Reference:
    """A mention of another document inside a clause, e.g. "Chỉ thị số 39-CT/TW ngày 30 tháng 10 năm 2024"."""

    text: str  # as written (a substring of the clause text)
    doc_type: str  # "Chỉ thị", "Quyết định", "Kế hoạch", "Nghị quyết", ... ("" when only a number was written)
    number: str  # normalised symbol, e.g. "39-CT/TW", "1560/QĐ-TTg"
    date: str | None  # ISO date when written next to it
    start: int  # offset inside the clause text
    end: int
    doc_id: str | None = None  # the manifest/ingested document it resolves to, if any


@dataclass
class Clause:
    """The unit everything shares: one addressable piece of a document."""

    clause_id: str  # f"{doc_id}:{path}", stable across re-ingests
    doc_id: str
    path: str  # "II.1.đ", "III.p1", "preamble.1", "D3", "KH.II.1", "PL.5", "recipients", "signature"
    kind: str  # see ingest.parser.KINDS
    label: str  # Vietnamese label, e.g. "điểm đ khoản 1 Mục II"
    marker: str  # the marker as written: "II.", "1.", "đ)", "-", "Điều 3.", ""
    text: str  # exact source text (reflowed), marker removed
    heading_chain: list[str]  # headings of the enclosing clauses, outermost first
    parent: str | None  # parent path
    order: int  # position in the document
    span: Span
    references: list[Reference] = field(default_factory=list)
    cells: dict[str, str] | None = None  # appendix rows: column name -> cell text
    text_hash: str = ""  # sha256 of the text an embedder sees; filled by the index
    text_sha256: str = ""  # sha256 of ``text`` when stored; checked when served (edited -> not exact)
    ocr: bool = False  # its text was read by OCR (a scanned page): check the source image before quoting
    # Where the text lies, piece by piece, in text order: a clause assembled from blocks that are
    # not adjacent (an article's paragraphs on both sides of a page furniture, a signature split by
    # "Nơi nhận") has several. ``span`` is their envelope. Empty in records written before spans.
    spans: list[Span] = field(default_factory=list)
    # False when the text could not be verified against ``spans``: kept and searchable, but never
    # presented as an exact quote.
    exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Clause":
        d = dict(d)
        d["span"] = Span(**d["span"])
        d["spans"] = [Span(**s) for s in d.get("spans") or []]
        d["references"] = [Reference(**r) for r in d.get("references", [])]
        return cls(**d)


@dataclass
class Signer:
    authority: str | None = None  # "TM. ỦY BAN NHÂN DÂN"
    capacity: str | None = None  # "KT. CHỦ TỊCH"
    position: str | None = None  # "PHÓ CHỦ TỊCH"
    name: str | None = None  # "Lê Trung Hồ"


@dataclass
class DocumentHeader:
    """What the document says about itself (Nghị định 30/2020/NĐ-CP layout)."""

    doc_type: str | None = None  # "Kế hoạch", "Quyết định", "Chỉ thị", ...
    number: str | None = None  # "214/KH-UBND"
    date: str | None = None  # ISO "2025-09-12"
    date_as_written: str | None = None
    place: str | None = None
    issuer: str | None = None  # "Ủy ban nhân dân tỉnh Bình Sơn"
    title: str | None = None  # trích yếu
    recipients: list[str] = field(default_factory=list)  # Nơi nhận
    signer: Signer = field(default_factory=Signer)
    addressees: list[str] = field(default_factory=list)  # Kính gửi (công văn, tờ trình)


@dataclass
class ParsedDocument:
    """One result object per document, in the spirit of docling: status, content, problems."""

    doc_id: str
    file_name: str
    source_kind: SourceKind
    content_hash: str  # sha256 of the file bytes
    header: DocumentHeader
    clauses: list[Clause]
    pages: int
    tables: int = 0
    warnings: list[str] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)  # copied from SourceText: pages of offsets
    dropped: list[tuple[int, int]] = field(default_factory=list)  # copied from SourceText: artefact ranges
    tasks: list[dict[str, Any]] = field(default_factory=list)  # ingest.tasks.Task.to_dict(), one per task found
    ocr_pages: dict[int, float] = field(default_factory=dict)  # page read by OCR -> mean word confidence (0-100)
    # Recorded non-clause parts of the source, JSON-native: {"kind", "start", "end", "page"} with kind
    # "header", "heading", "signature", "recipients", "page_number", "page_header",
    # "signature_stamp", "table_rule" (a markdown table's "| --- |" line and pipes), "appendix_heading" ...
    # (see ingest.coverage).
    other_parts: list[dict[str, Any]] = field(default_factory=list)
    # How much of the source is accounted for: {"chars", "covered", "percent", "uncovered": [...]}
    # (non-space characters; see ingest.coverage).
    coverage: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # JSON turns int keys into strings; keep pages ints so a stored and a fresh parse compare equal.
        if self.ocr_pages:
            self.ocr_pages = {int(k): float(v) for k, v in self.ocr_pages.items()}
