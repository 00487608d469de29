"""How a report names a document and a clause: the Vietnamese citation string.

"Điểm c khoản 1 Mục II Kế hoạch số 214/KH-UBND ngày 12/9/2025 của Ủy ban nhân dân tỉnh Bình Sơn".
Officials paste these into reports, so the form follows administrative usage: label first,
then the document's type, number, date and issuer.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentInfo:
    """What the API says about a document, whether ingested or only referenced."""

    doc_id: str
    doc_type: str | None
    number: str | None
    date: str | None
    issuer: str | None
    title: str | None
    status: str  # "ingested" | "referenced"
    citation_name: str | None = None
    level: str | None = None
    implements: list[str] = field(default_factory=list)
    file_name: str | None = None
    pages: int | None = None
    clauses: int = 0
    tables: int = 0
    signer: dict[str, str | None] | None = None
    recipients: list[str] = field(default_factory=list)


def format_date(iso: str | None) -> str | None:
    """"2025-09-12" -> "12/9/2025" (Vietnamese usage drops leading zeros)."""
    if not iso:
        return None
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return iso
    return f"{d}/{m}/{y}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def document_name(info: DocumentInfo) -> str:
    """The document as a report names it."""
    doc_type = info.doc_type or "Văn bản"
    if info.number:
        name = f"{doc_type} số {info.number}"
        date = format_date(info.date)
        if date:
            name += f" ngày {date}"
        if info.issuer:
            name += f" của {info.issuer}"
        return name
    if info.citation_name:
        return info.citation_name
    name = doc_type
    if info.title:
        name += f" {_lower_first(info.title)}"
    if info.issuer:
        name += f" của {info.issuer}"
    return name


def clause_citation(label: str, info: DocumentInfo) -> str:
    """"điểm c khoản 1 Mục II" + the document -> "Điểm c khoản 1 Mục II Kế hoạch …"."""
    label = label[:1].upper() + label[1:] if label else ""
    return f"{label} {document_name(info)}".strip()
