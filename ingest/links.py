"""From references to links: which document, and which clause of it, a clause points at.

:mod:`ingest.references` finds the documents a clause names ("Kế hoạch số 214/KH-UBND"). Here
each of them becomes a :class:`Link`:

* **to a clause** when a clause path is written in front of it: "điểm b khoản 2 Mục II của Kế
  hoạch số 214/KH-UBND" -> ``214-kh-ubnd:II.2.b``. The Vietnamese phrase is read innermost first
  (gạch đầu dòng / điểm / khoản / Mục or Điều or Phụ lục) and rewritten outermost first in our path
  syntax (:func:`parse_path`): Mục II -> ``II``, Điều 3 -> ``D3``, khoản 2 -> ``.2``, điểm b ->
  ``.b``, gạch đầu dòng thứ ba -> ``.-3``, Phụ lục (II) -> ``PL`` (``PL2``), nhiệm vụ số 5 Phụ lục
  -> ``PL.5``;
* **to the document** otherwise.

A path may also name a document without its number: "... Kế hoạch này" (the clause's own
document) or a short name the document gave earlier, "(sau đây gọi là Kế hoạch)" (the document
referenced just before that phrase). When the target is a decision with an attached plan and the
phrase names the plan ("Mục II Kế hoạch"), the path is looked up under the plan's prefix
(``KH.II.2.b``).

Each link says whether its document is ``ingested`` (its text is here), ``referenced`` (the
manifest knows it, no text) or ``unknown``; a clause link into an ingested document also says
whether that clause exists (``clause_found``). Resolution needs to know the documents: that is
the :class:`Catalog` a caller builds (``api/links.py`` builds it from the store and the manifest).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from tracuu.ingest.model import Clause, ParsedDocument, Reference
from tracuu.ingest.references import number_key
from tracuu.ingest.vntext import fold

__all__ = ["Link", "Catalog", "parse_path", "path_before", "document_aliases", "clause_links", "document_level"]

_ORDINAL_WORDS = {"nhất": 1, "nhat": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_ROMAN = r"[IVXL]{1,6}"
_ELEMENT = (
    r"(?:gạch\s+đầu\s+dòng\s+thứ\s+(?:\d{1,2}|nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)"
    r"|điểm\s+[a-zđ](?![\w])"
    r"|khoản\s+\d{1,3}(?![\w])"
    rf"|(?:[Mm]ục|[Pp]hần)\s+{_ROMAN}(?![\w])"
    r"|[Đđ]iều\s+\d{1,3}[a-zđ]?(?![\w])"
    r"|nhiệm\s+vụ\s+(?:số\s+)?\d{1,3}(?![\w])"
    r"|[Pp]hụ\s+lục(?:\s+(?:số\s+)?(?:" + _ROMAN + r"|\d{1,2})(?![\w]))?)"
)
_ELEMENT_RE = re.compile(_ELEMENT)
_JOIN = r"(?:\s*,\s*|\s+)(?:(?:của|tại|thuộc|trong)\s+)?"
# a path phrase that ends right where the document is named
_PATH_TAIL_RE = re.compile(rf"(?P<path>{_ELEMENT}(?:{_JOIN}{_ELEMENT})*)\s*,?\s+(?:(?:của|tại|thuộc|trong|theo)\s+)?$")
_ALIAS_RE = re.compile(r"\(\s*sau\s+đây\s+(?:gọi|viết)\s+(?:tắt\s+)?là\s+(?P<alias>[^()]{2,60}?)\s*\)", re.IGNORECASE)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}

STATUSES = ("ingested", "referenced", "unknown")


def _roman_to_int(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def parse_path(phrase: str) -> str | None:
    """"điểm b khoản 2 Mục II" -> "II.2.b"; "khoản 3 Điều 5" -> "D5.3"; None if nothing to build.

    Elements are written innermost first; any order is accepted and each kind counts once.
    """
    parts: dict[str, str] = {}
    for m in _ELEMENT_RE.finditer(phrase):
        words = m.group(0).split()
        head = fold(words[0])
        value = words[-1]
        if head == "gach":
            n = int(value) if value.isdigit() else _ORDINAL_WORDS.get(value.lower())
            if n:
                parts.setdefault("dash", f"-{n}")
        elif head == "diem":
            parts.setdefault("diem", value.lower())
        elif head == "khoan":
            parts.setdefault("khoan", value)
        elif head in ("muc", "phan"):
            parts.setdefault("top", value.upper())
        elif head == "dieu":
            parts.setdefault("top", f"D{value}")
        elif head == "nhiem":
            parts.setdefault("row", value)
        elif head == "phu":
            numeral = words[-1] if len(words) > 2 else ""
            n = int(numeral) if numeral.isdigit() else (_roman_to_int(numeral) if numeral else None)
            parts.setdefault("appendix", f"PL{n}" if n else "PL")
    if "row" in parts:  # "nhiệm vụ số 5 Phụ lục (II)"
        return f"{parts.get('appendix', 'PL')}.{parts['row']}"
    chain = [parts[k] for k in ("top", "khoan", "diem", "dash") if k in parts]
    if not chain:
        return parts.get("appendix")
    if "appendix" in parts and "top" not in parts:
        chain.insert(0, parts["appendix"])
    return ".".join(chain)


def path_before(text: str, pos: int) -> tuple[str, int] | None:
    """The clause path written just before ``pos`` (where a document is named): (path, start)."""
    window_start = max(0, pos - 200)
    m = _PATH_TAIL_RE.search(text[window_start:pos])
    if not m:
        return None
    path = parse_path(m.group("path"))
    return (path, window_start + m.start("path")) if path else None


@dataclass(frozen=True)
class Link:
    """One clause pointing at a document or at one of its clauses."""

    from_clause: str  # clause_id
    text: str  # the phrase as written in the clause ("điểm b khoản 2 Mục II của Kế hoạch số 214/KH-UBND")
    start: int  # offsets in the clause text
    end: int
    number: str | None  # the document's number when written
    doc_id: str | None  # the target document (None when it cannot be told)
    path: str | None  # the clause path when written, in our syntax ("II.2.b")
    to: str | None  # "doc_id:path" for a clause link, doc_id for a document link
    kind: str  # "clause" | "document"
    status: str  # ingested | referenced | unknown
    clause_found: bool | None = None  # for a clause link into an ingested document
    via: str = "number"  # how the document was named: number | self ("Kế hoạch này") | alias

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["from"] = out.pop("from_clause")
        return out


@dataclass
class Catalog:
    """What resolution needs to know about documents: numbers, known ids, clause paths."""

    numbers: dict[str, str] = field(default_factory=dict)  # number key -> doc_id (manifest and ingested)
    known: set[str] = field(default_factory=set)  # doc_ids the manifest lists
    ingested: dict[str, set[str]] = field(default_factory=dict)  # doc_id -> its clause paths
    types: dict[str, str] = field(default_factory=dict)  # doc_id -> document type ("Quyết định")

    def __post_init__(self) -> None:
        self.numbers = {number_key(k): v for k, v in self.numbers.items()}

    def add_document(self, doc: ParsedDocument) -> None:
        self.ingested[doc.doc_id] = {c.path for c in doc.clauses}
        if doc.header.number:
            self.numbers.setdefault(number_key(doc.header.number), doc.doc_id)
        if doc.header.doc_type:
            self.types[doc.doc_id] = doc.header.doc_type

    def doc_for(self, ref: Reference) -> str:
        if ref.doc_id:
            return ref.doc_id
        found = self.numbers.get(number_key(ref.number))
        if found:
            return found
        from tracuu.ingest.pipeline import slugify  # the id the document will get once ingested

        return slugify(ref.number)

    def status(self, doc_id: str | None) -> str:
        if doc_id in self.ingested:
            return "ingested"
        return "referenced" if doc_id in self.known else "unknown"

    def find_path(self, doc_id: str, path: str, named_type: str | None) -> tuple[str, bool | None]:
        """The path as it exists in an ingested document (under an attached plan's prefix when the
        phrase names the plan of a decision), and whether it was found (None: not ingested)."""
        paths = self.ingested.get(doc_id)
        if paths is None:
            return path, None
        if path in paths:
            return path, True
        for prefix in _attached_prefixes(named_type, self.types.get(doc_id)):
            if f"{prefix}.{path}" in paths:
                return f"{prefix}.{path}", True
        return path, False


def _attached_prefixes(named_type: str | None, doc_type: str | None) -> list[str]:
    """"Mục II Kế hoạch" inside a decision that issues a plan: look under "KH."."""
    if not named_type or (doc_type and fold(named_type) == fold(doc_type)):
        return []
    from tracuu.ingest.header import doc_types

    return [t.attach_prefix for t in doc_types() if fold(t.name) == fold(named_type)]


def document_aliases(clauses: Iterable[Clause], catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Short names a document defines for documents it cites: {"kế hoạch": (doc_id, type)}.

    "(sau đây gọi là Kế hoạch)" names the document referenced last before it in the same clause
    (the type written in the alias counts: "Kế hoạch" issued by "Quyết định số 1234/QĐ-UBND").
    An alias that holds a number is a reference already and is skipped.
    """
    out: dict[str, tuple[str, str]] = {}
    for clause in clauses:
        for m in _ALIAS_RE.finditer(clause.text):
            alias = m.group("alias").strip()
            if any(ch.isdigit() for ch in alias):
                continue
            before = [r for r in clause.references if r.end <= m.start()]
            if not before:
                continue
            out.setdefault(fold(alias), (catalog.doc_for(before[-1]), alias))
    return out


def _type_names() -> list[str]:
    from tracuu.ingest.header import doc_types

    return [t.name for t in doc_types()]


def clause_links(
    clause: Clause,
    catalog: Catalog,
    *,
    own_doc: str | None = None,
    own_number: str | None = None,
    aliases: dict[str, tuple[str, str]] | None = None,
) -> list[Link]:
    """Every link a clause makes: its references (to the clause when a path is written), plus paths
    into its own document ("khoản 2 Mục II Kế hoạch này") and into aliased documents.

    A reference to the clause's own document without a path is left out (a plan naming itself).
    """
    links: list[Link] = []
    text = clause.text
    taken: list[tuple[int, int]] = []
    own_key = number_key(own_number) if own_number else None
    for ref in clause.references:
        doc_id = catalog.doc_for(ref)
        found = path_before(text, ref.start)
        if found is None:
            if own_key and number_key(ref.number) == own_key:
                continue
            links.append(Link(clause.clause_id, ref.text, ref.start, ref.end, ref.number, doc_id, None, doc_id,
                              "document", catalog.status(doc_id)))
            taken.append((ref.start, ref.end))
            continue
        path, start = found
        path, exists = catalog.find_path(doc_id, path, ref.doc_type or None)
        links.append(Link(clause.clause_id, text[start:ref.end], start, ref.end, ref.number, doc_id, path,
                          f"{doc_id}:{path}", "clause", catalog.status(doc_id), exists))
        taken.append((start, ref.end))
    links.extend(_named_links(clause, catalog, taken, own_doc, aliases or {}))
    return sorted(links, key=lambda link: link.start)


def _named_links(clause: Clause, catalog: Catalog, taken: list[tuple[int, int]], own_doc: str | None,
                 aliases: dict[str, tuple[str, str]]) -> list[Link]:
    """Paths followed by "<Type> này" (own document) or by an alias the document defined."""
    out: list[Link] = []
    text = clause.text
    names = sorted({*(a for _, a in aliases.values()), *_type_names()}, key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    for m in re.finditer(rf"(?<![\w])(?P<name>{alt})(?P<self>\s+này)?(?![\w])(?!\s+(?:số|số:)\s*\d)", text, re.IGNORECASE):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found = path_before(text, m.start())
        if found is None:
            continue
        path, start = found
        name = m.group("name")
        if m.group("self"):
            if own_doc is None:
                continue
            doc_id, via = own_doc, "self"
        elif fold(name) in aliases:
            doc_id, via = aliases[fold(name)][0], "alias"
        else:
            continue
        named_type = next((t for t in _type_names() if fold(t) == fold(name)), None)
        if named_type is None and via == "alias":
            named_type = next((t for t in _type_names() if fold(name).startswith(fold(t))), None)
        path, exists = catalog.find_path(doc_id, path, named_type)
        out.append(Link(clause.clause_id, text[start:m.end()], start, m.end(), None, doc_id, path,
                        f"{doc_id}:{path}", "clause", catalog.status(doc_id), exists, via))
    return out


# --- document levels --------------------------------------------------------------------------------

LEVEL_RANK = {"central": 0, "provincial": 1, "local": 2}
_CENTRAL_CODES = {"tw", "ttg", "cp", "qh", "ubtvqh", "vpcp", "nhnn"}
_PROVINCIAL_CODES = {"ubnd", "hdnd", "tu", "stc", "snv"}


def document_level(doc: ParsedDocument | None, manifest_level: str | None = None, issuer: str | None = None,
                   number: str | None = None) -> str | None:
    """central | provincial | local | None: the manifest's word, else the issuer's, else the number's.

    The issuer is read with the agency gazetteer ("Bộ ..." is central, "Ủy ban nhân dân tỉnh ..."
    provincial); a number's symbol after the dash tells too ("/QĐ-TTg" central, "/KH-UBND"
    provincial unless the issuer is a commune).
    """
    if manifest_level in LEVEL_RANK:
        return manifest_level
    issuer = issuer or (doc.header.issuer if doc else None)
    number = number or (doc.header.number if doc else None)
    if issuer:
        f = fold(issuer)
        if re.search(r"\b(xa|phuong|thi tran)\b", f) and "uy ban nhan dan" in f and "tinh" not in f:
            return "local"
        if re.match(r"^(bo|thu tuong|chinh phu|ban bi thu|bo chinh tri|quoc hoi|ngan hang nha nuoc|van phong chinh phu)\b", f):
            return "central"
        if re.search(r"\btinh\b|\bthanh pho\b", f):
            return "provincial"
        from tracuu.ingest.agencies import find_agencies

        levels = [m.level for m in find_agencies(issuer) if m.level in LEVEL_RANK]
        if levels:
            return levels[0]
    if number and "-" in number:
        code = fold(number.rsplit("-", 1)[-1])
        if code in _CENTRAL_CODES or code.startswith("b"):
            return "central"
        if code in _PROVINCIAL_CODES:
            return "provincial"
    return None
