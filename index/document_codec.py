"""Rebuilding a parsed document from its stored JSON (``dataclasses.asdict`` output).

Both stores keep documents as JSON: the catalog database and the older one-file-per-document store
that the catalog imports once. They must read a record the same way, so the reading lives here once.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from tracuu.ingest.model import Clause, DocumentHeader, ParsedDocument, Signer


def known_fields(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    """Only the fields ``cls`` has: a record written by a newer tracuu (an added field) still loads.
    What is dropped comes back at the next re-ingest, which rewrites the record."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def header_from_dict(d: dict[str, Any]) -> DocumentHeader:
    """A :class:`DocumentHeader` with its signer and recipients rebuilt (unknown keys dropped)."""
    header = known_fields(DocumentHeader, dict(d))
    header["signer"] = Signer(**known_fields(Signer, header.get("signer") or {}))
    header["recipients"] = list(header.get("recipients") or [])
    return DocumentHeader(**header)


def document_from_dict(d: dict[str, Any]) -> ParsedDocument:
    """Rebuild a :class:`ParsedDocument` (unknown keys dropped)."""
    d = known_fields(ParsedDocument, d)
    d["header"] = header_from_dict(d.get("header") or {})
    d["clauses"] = [Clause.from_dict(known_fields(Clause, c)) for c in d.get("clauses", [])]
    d["warnings"] = list(d.get("warnings") or [])
    d["dropped"] = [tuple(r) for r in d.get("dropped") or []]
    if isinstance(d.get("ocr_pages"), dict):  # JSON turned the int page keys into strings
        d["ocr_pages"] = {int(k): v for k, v in d["ocr_pages"].items()}
    return ParsedDocument(**d)
