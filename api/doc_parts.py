"""A document's own facts as citations: its header and its signature block, exact source spans.

Why: a question about a document itself ("ban hành ngày nào", "số hiệu", "cơ quan nào ban
hành", "do ai ký") is answered by lines that no clause holds: the number, place and date, kind
and title stand in the header, which ingest records as a non-clause part with its span
(``ParsedDocument.other_parts``). Citing the opening clause instead cites text that does not
say the fact. These hits quote the source at the recorded span, so the cited text is the source
text; their ids (``<doc_id>:header``, ``<doc_id>:signer``) are not clause ids of the store.

The signer's name: the signature clause when it holds one; else the name written right after
the recorded signature block (``ingest.header.signer_name_after``: text layers put "[daky]" or
a footnote around it), quoted with the block.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tracuu.index.catalog.store import sha256_text
from tracuu.ingest.header import (
    ANNEXED_TO,
    ISSUER_CLAUSES,
    OPENING_CLAUSES,
    plain_line,
    signer_name_after,
    signer_of_lines,
)
from tracuu.ingest.markers import is_caps, is_name_like
from tracuu.ingest.model import Clause, ParsedDocument, Span
from tracuu.ingest.references import normalize_number
from tracuu.ingest.shapes import Hit
from tracuu.ingest.vntext import fold, folded_words

if TYPE_CHECKING:
    from tracuu.api.service import Tracuu

HEADER_LABEL = "phần đầu"  # "Phần đầu Kế hoạch số …": the header's citation
ANNEX_LABEL = "phần đầu phụ lục"  # an annex's heading: "Phụ lục II / … / (Kèm theo Quyết định số … ngày …)"
SIGNER_LABEL = "chữ ký"
ADDRESSEES_LABEL = "phần kính gửi"  # "Phần kính gửi Công điện số …": the addressee lines cited as one part
POSITION_LINES = 3  # capitals lines above a signer's name read as the position ("KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG")
LOOK_ABOVE = 300  # characters of the source above a name searched for them


def _parts(doc: ParsedDocument, kind: str) -> list[dict[str, Any]]:
    return sorted((p for p in doc.other_parts if p.get("kind") == kind), key=lambda p: int(p["start"]))


def _span_clause(doc: ParsedDocument, source: str, path: str, kind: str, label: str, start: int, end: int,
                 page: int) -> Clause | None:
    """A citable piece of the source, [start, end) with its ends' spaces trimmed."""
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    text = source[start:end]
    span = Span(start, end, page, page)
    return Clause(clause_id=f"{doc.doc_id}:{path}", doc_id=doc.doc_id, path=path, kind=kind, label=label, marker="",
                  text=text, heading_chain=[], parent=None, order=-1, span=span, spans=[span],
                  text_sha256=sha256_text(text))


def _header_clause(svc: "Tracuu", doc: ParsedDocument) -> Clause | None:
    """The document's header: from its first recorded header part to the last one above the first
    clause (a markdown layout table's header is recorded cell by cell, its "| --- |" rules between
    them); None when ingest recorded none or it states neither the number nor the date the header
    parse read."""
    parts = _parts(doc, "header")
    source = svc.store().source(doc.doc_id) if parts else None
    if not parts or source is None:
        return None
    body = min((c.span.start for c in doc.clauses if c.span is not None), default=None)
    above = [p for p in parts if body is None or int(p["end"]) <= body] or parts[:1]
    p = above[0]
    clause = _span_clause(doc, source, "header", "header", HEADER_LABEL, int(p["start"]),
                          max(int(q["end"]) for q in above), int(p.get("page") or 1))
    if clause is None:
        return None
    squashed = "".join(clause.text.split())
    h = doc.header
    if not any(x and "".join(x.split()) in squashed for x in (h.number, h.date_as_written)):
        return None  # a part recorded as header that is not this document's heading (a table's header row)
    return clause


def _signer_clause(svc: "Tracuu", doc: ParsedDocument) -> tuple[Clause | None, str | None]:
    """(the clause that shows who signed, the signer's name as written; None when not written)."""
    sig = next((c for c in doc.clauses if c.kind == "signature"), None)
    name = (doc.header.signer.name if doc.header.signer else None) or (
        signer_of_lines(sig.text.splitlines()).name if sig is not None else None)
    if sig is not None and name and name in sig.text:
        return sig, name
    parts = _parts(doc, "signature")
    source = svc.store().source(doc.doc_id) if parts else None
    if parts and source is not None:
        found = signer_name_after(source, int(parts[-1]["end"]))
        if found is not None:
            start = sig.span.start if sig is not None else int(parts[-1]["start"])
            clause = _span_clause(doc, source, "signer", "signature", SIGNER_LABEL, start, found[1],
                                  int(parts[-1].get("page") or 1))
            if clause is not None:
                return clause, source[found[0]:found[1]]
    if sig is None and not name and not parts:
        return _signer_in_body(svc, doc)
    return sig, name


def _position_above(source: str, name_start: int) -> int | None:
    """Where the position block right above a name starts ("KT. THỦ TƯỚNG" / "PHÓ THỦ TƯỚNG" / "[daky]"),
    or None when the line above the name, marks and blank lines aside, is not in capitals."""
    line_start = source.rfind("\n", 0, name_start) + 1
    if source[line_start:name_start].strip():
        return None  # the name does not stand alone on its line
    top, seen, pos = None, 0, line_start - 1
    while pos > 0 and seen < POSITION_LINES and line_start - pos < LOOK_ABOVE:
        start = source.rfind("\n", 0, pos) + 1
        body = source[start:pos].strip()
        pos = start - 1
        if not body or body[0] in "[(":  # a blank line, a "[daky]" or "(Đã ký)" mark
            continue
        if not is_caps(body.rstrip(" [")):
            break
        top, seen = start, seen + 1
    return top


def _signer_in_body(svc: "Tracuu", doc: ParsedDocument) -> tuple[Clause | None, str | None]:
    """(the signature block, the name) found where ingest recorded none: a clause whose last line is a name
    under a capitals position ("… thi hành Quyết định này./. / THỦ TƯỚNG / [ / Lê Văn A", a gazette's text
    layer), the first such in the document; (None, None) when no clause ends so."""
    source = svc.store().source(doc.doc_id)
    if source is None:
        return None, None
    for c in doc.clauses:
        last = c.text.rstrip().rsplit("\n", 1)[-1].strip()
        if not is_name_like(last):
            continue
        at = source.rfind(last, c.span.start, c.span.end + 1)
        top = _position_above(source, at) if at >= 0 else None
        if top is None:
            continue
        block = [line.strip() for line in source[top:at].splitlines() if line.strip()]
        if not signer_of_lines(block + [last]).name:
            continue
        clause = _span_clause(doc, source, "signer", "signature", SIGNER_LABEL, top, at + len(last), c.span.page_end)
        if clause is not None:
            return clause, last
    return None, None


def _annex_clauses(svc: "Tracuu", doc: ParsedDocument) -> list[tuple[Clause, str]]:
    """(the heading, its "(Kèm theo … số … ngày …)" line with spaces collapsed) of each annex heading that says
    which document the annex goes with, in source order: a text kept from an annex on (a gazette's "Phụ lục"
    pages, a crawled annex) has no header, and that line is where it says whose annex it is."""
    parts = _parts(doc, "appendix_heading")
    source = svc.store().source(doc.doc_id) if parts else None
    out: list[tuple[Clause, str]] = []
    for p in parts if source is not None else []:
        text = source[int(p["start"]):int(p["end"])]
        m = ANNEXED_TO.search(" ".join(text.split()))
        if m is None or not re.search(r"\d", m.group(0)):
            continue
        path = "annex" if not out else f"annex.{len(out) + 1}"
        clause = _span_clause(doc, source, path, "appendix_heading", ANNEX_LABEL, int(p["start"]), int(p["end"]),
                              int(p.get("page") or 1))
        if clause is not None:
            out.append((clause, m.group(0).strip()))
    return out


def annex_hits(svc: "Tracuu", doc: ParsedDocument, score: float = 1.0) -> list[tuple[Hit, str]]:
    """(hit, the "Kèm theo …" line) of each annex heading that names the document it goes with (``_annex_clauses``)."""
    return [(svc.hit(c, score), line) for c, line in _annex_clauses(svc, doc)]


def header_hit(svc: "Tracuu", doc: ParsedDocument, score: float = 1.0) -> Hit | None:
    """The document's header as a hit (see :func:`_header_clause`)."""
    clause = _header_clause(svc, doc)
    return svc.hit(clause, score) if clause is not None else None


def signature(svc: "Tracuu", doc: ParsedDocument, score: float = 1.0) -> tuple[Hit | None, str | None]:
    """(the hit that shows who signed, the signer's name as written; None when not written)."""
    clause, name = _signer_clause(svc, doc)
    return (svc.hit(clause, score) if clause is not None else None), name


def part_clause(svc: "Tracuu", clause_id: str) -> Clause | None:
    """A part cited by an answer, by its id ("<doc_id>:header", "<doc_id>:signer"), so that the
    report basket and the clause page resolve it as they resolve a clause."""
    doc_id, _, path = clause_id.rpartition(":")
    annex = path == "annex" or path.startswith("annex.")
    doc = svc.store().get(doc_id) if (path in ("header", "signer", "addressees") or annex) and doc_id else None
    if doc is None:
        return None
    if path == "addressees":
        found = addressee_clause(svc, doc)
        return found if found is not None and found.clause_id == clause_id else None
    if annex:
        return next((c for c, _ in _annex_clauses(svc, doc) if c.clause_id == clause_id), None)
    clause = _header_clause(svc, doc) if path == "header" else _signer_clause(svc, doc)[0]
    return clause if clause is not None and clause.clause_id == clause_id else None


# --------------------------------------------------------------------------- whom a letter is addressed to


#: The opening of the line a letter or a công điện addresses its addressees with ("Kính gửi:", "Đồng kính gửi:"), and
#: the end of the line a công điện's list follows ("THỦ TƯỚNG CHÍNH PHỦ điện:"), folded. ``ADDRESSED`` also serves
#: api/intent_answers.py (a "Kính gửi … Thực hiện …" paragraph read as the letter's basis).
ADDRESSED = re.compile(r"^\s*(?:dong\s+)?kinh\s+gui\b")
_WIRES = re.compile(r"\bdien\s*:\s*$")
#: A "Kính gửi:" line of at most this many words is the lead-in of the list that follows it, not an addressee.
ADDRESS_LEAD_WORDS = 3


def names_recipients_list(question: str) -> bool:
    """The question names the "Nơi nhận" list itself ("nơi nhận của Thông báo 648 …")."""
    return " noi nhan " in f" {folded_words(question)} "


def addressee_clauses(doc) -> list[Any]:
    """The opening clauses that name whom the document is addressed to: a "Kính gửi: …" line, and the "- …" lines
    after a bare "Kính gửi:" or after a công điện's "… điện:" line (its "Nơi nhận" starts "- Như trên;", these)."""
    out: list[Any] = []
    listing = False
    for c in doc.clauses:
        if not c.path.startswith("preamble"):
            if out or c.order > 3:
                break
            continue
        text = fold(c.text.strip(" *_"))
        if ADDRESSED.match(text):
            listing = len(text.split()) <= ADDRESS_LEAD_WORDS + 1
            if not listing:
                out.append(c)
        elif _WIRES.search(text):
            listing = True
        elif listing and c.text.lstrip().startswith(("-", "+", "–")):
            out.append(c)
        elif out or listing:
            break
    return out


def addressee_clause(svc: "Tracuu", doc: ParsedDocument) -> Clause | None:
    """The addressee lines (:func:`addressee_clauses`) as one citable part, from the first line to the last as the
    source writes them ("<doc_id>:addressees"): each line holds only part of whom it is sent to. One line is cited as
    it is; None when there is none, or the source is not stored."""
    lines = addressee_clauses(doc)
    if len(lines) < 2 or any(c.span is None for c in lines):
        return lines[0] if lines else None
    source = svc.store().source(doc.doc_id)
    if source is None:
        return lines[0]
    return _span_clause(doc, source, "addressees", "preamble", ADDRESSEES_LABEL, lines[0].span.start,
                        lines[-1].span.end, lines[0].span.page) or lines[0]


# --------------------------------------------------------------------------- a header read from the opening lines


class OpeningLines:
    """The opening clauses that write what ingest read into the header of a document that has no header block
    (``ingest.header.opening_facts``: a text layer's "TỈNH UỶ LÀO CAI * Số -CTr/TU" / "Lào Cai, ngày  tháng 8 năm
    2026" left in the body; a plan kept with its "(Kèm theo Quyết định số … Ngày … của …)" line under a
    repository's note line), and that "(Kèm theo …)" line. Ingest keeps those lines as the clauses they are and
    the header's values as written, so each is cited from the clause that holds its value (no fact is read
    here)."""

    def __init__(self) -> None:
        self.clauses: list[Clause] = []  # the clauses that write any of them, in order
        self.annexed: list[tuple[Clause, str]] = []  # (the clause, its "(Kèm theo …)" line)
        self.at: dict[str, Clause] = {}  # "number", "date", "issuer", "annexed" -> the clause that writes it

    def __bool__(self) -> bool:
        return bool(self.at)


def opening_lines(doc: ParsedDocument) -> OpeningLines:
    """The clauses among the first :data:`OPENING_CLAUSES` of ``doc``'s ``preamble.*`` that write its header's
    number, date as written and issuer (capitals opening one of the first :data:`ISSUER_CLAUSES`), and its first
    "(Kèm theo …)" line; empty when a header block is recorded (that is what is cited then)."""
    out = OpeningLines()
    if any(p.get("kind") == "header" for p in doc.other_parts):
        return out
    h = doc.header
    opening = [c for c in doc.clauses if c.path.startswith("preamble")][:OPENING_CLAUSES]
    for i, c in enumerate(opening):
        text = plain_line(c.text)
        before = len(out.at)
        if h.number and "number" not in out.at and normalize_number(h.number) in normalize_number(text):
            out.at["number"] = c
        if h.date_as_written and "date" not in out.at and h.date_as_written in text:
            out.at["date"] = c
        if h.issuer and "issuer" not in out.at and i < ISSUER_CLAUSES and fold(text).startswith(fold(h.issuer)):
            out.at["issuer"] = c
        m = ANNEXED_TO.search(text)
        if m and re.search(r"\d", m.group(0)) and not out.annexed:
            out.annexed.append((c, m.group(0).strip()))
            out.at["annexed"] = c
        if len(out.at) > before:
            out.clauses.append(c)
    return out


#: what is asked (a document fact, or a structural question's kind) -> the facts of :class:`OpeningLines` whose
#: clause answers it, best first
_OPENING_KEYS = {"date": ("date", "number", "annexed"), "number": ("number", "date", "annexed"),
                 "number_date": ("number", "date", "annexed"), "issuer": ("annexed", "issuer")}


def opening_clause(opening: OpeningLines, asked: str) -> Clause | None:
    """The opening clause that writes what is asked ("date", "number", "issuer", a structural question's
    "number_date"), if any."""
    return next((opening.at[k] for k in _OPENING_KEYS.get(asked, ()) if k in opening.at), None)


# The line that states when a document's work runs: "Thời gian: từ nay đến năm 2030.", "Thời gian thực hiện: Từ năm
# 2017 đến hết năm 2030.", "Thời gian thực hiện Dự án: 36 tháng" (folded, its list mark aside).
_PERIOD_LINE = re.compile(r"thoi gian(?: thuc hien)?(?: (?:ke hoach|chuong trinh|de an|du an|nhiem vu))?\s*:")


def period_clause(doc: ParsedDocument) -> Clause | None:
    """The clause stating the period of the document's work as a whole ("Thời gian thực hiện: từ năm … đến năm …"):
    the one clause of the document that opens so. None when there is none, or several: each then gives the time of one
    task ("Thời gian thực hiện: Năm 2025 và các năm tiếp theo." under each task of a plan), not the document's."""
    found = [c for c in doc.clauses if c.kind not in ("preamble", "signature", "recipients")
             and _PERIOD_LINE.match(fold(c.text.lstrip(" -–+*•_")))]
    return found[0] if len(found) == 1 else None
