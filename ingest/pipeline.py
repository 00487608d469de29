"""One file in, one result out: load -> normalise -> parse -> check every citation.

In the spirit of docling, each document yields one :class:`IngestOutcome` that carries its
status, warnings, errors and timings; bad input never escapes as a stray exception, so a
batch of files reports per file and the index is only touched for documents that succeeded.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.errors import IngestError
from ingest.manifest import Manifest, ManifestEntry
from ingest.model import DocumentHeader, ParsedDocument, SourceText
from ingest.vntext import fold

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")


@dataclass
class IngestOutcome:
    """The result for one file: ``status`` is "ok" or "error"; ``document`` is set when ok."""

    path: str
    status: str
    document: ParsedDocument | None = None
    source: SourceText | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


MAX_ID_CHARS = 80


def slugify(text: str) -> str:
    """A readable, URL-safe id: "214/KH-UBND" -> "214-kh-ubnd"; a long one is cut and made unique
    with a short hash of the whole text (file names of 200 characters happen)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "document"
    if len(slug) > MAX_ID_CHARS:
        slug = slug[: MAX_ID_CHARS - 9].rstrip("-") + "-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return slug


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def choose_doc_id(header: DocumentHeader, path: Path, entry: ManifestEntry | None) -> str:
    """Stable id: the manifest's when the document is one it knows, else from the number, else the file name."""
    if entry is not None:
        return entry.doc_id
    if header.number:
        return slugify(header.number)
    return slugify(path.stem)


def apply_manifest(header: DocumentHeader, entry: ManifestEntry | None) -> DocumentHeader:
    """Fill what the text does not say (the bundled plan has no issuer line) from the manifest.

    The text wins where it speaks: the manifest only fills gaps.
    """
    if entry is None:
        return header
    return replace(
        header,
        doc_type=header.doc_type or entry.doc_type,
        number=header.number or entry.number,
        date=header.date or entry.date,
        issuer=header.issuer or entry.issuer,
        title=header.title or entry.title,
    )


def rebase(doc: ParsedDocument, doc_id: str) -> None:
    """Give a parsed document its final id (known only once the header and manifest are read)."""
    doc.doc_id = doc_id
    for clause in doc.clauses:
        clause.doc_id = doc_id
        clause.clause_id = f"{doc_id}:{clause.path}"


def ingest_file(path: Path, manifest: Manifest) -> IngestOutcome:
    """Load, parse and verify one file. Never raises for bad input: see ``IngestOutcome.errors``."""
    from ingest.loaders import load
    from ingest.parser import parse_document
    from ingest.references import resolve
    from ingest.reflow import verify_span
    from ingest.tasks import extract_tasks, jurisdiction_of

    outcome = IngestOutcome(path=str(path), status="error")
    t0 = time.perf_counter()
    try:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise IngestError(
                f"Không hỗ trợ loại tệp '{path.suffix or path.name}'. Chỉ nhận .txt, .pdf, .docx.",
                f"Unsupported file type '{path.suffix or path.name}'. Only .txt, .pdf and .docx are accepted.",
                code="unsupported_type",
            )
        if not path.is_file():
            raise IngestError(f"Không tìm thấy tệp: {path}", f"File not found: {path}", code="not_found")
        data = path.read_bytes()
        source = load(path)
        outcome.timings["load_s"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        digest = content_hash(data)
        doc = parse_document(source, doc_id="_", file_name=path.name, content_hash=digest)
        entry = manifest.by_file(path) or manifest.by_number(doc.header.number)
        rebase(doc, choose_doc_id(doc.header, path, entry))
        doc.header = apply_manifest(doc.header, entry)
        doc.page_starts = list(source.page_starts)
        doc.dropped = [tuple(r) for r in source.dropped]
        numbers = manifest.number_index()
        for clause in doc.clauses:
            clause.references = resolve(clause.references, numbers)
        outcome.timings["parse_s"] = time.perf_counter() - t1

        # JSON-native (tuples become lists) so a stored and a fresh parse compare equal.
        tasks = extract_tasks(doc.clauses, jurisdiction=jurisdiction_of(doc.header.issuer))
        doc.tasks = json.loads(json.dumps([t.to_dict() for t in tasks], ensure_ascii=False))
        outcome.timings["tasks_s"] = time.perf_counter() - t1 - outcome.timings["parse_s"]

        bad = [c.path for c in doc.clauses if not verify_span(source, c.span.start, c.span.end, c.text)]
        if bad:
            raise IngestError(
                f"Trích dẫn không khớp văn bản nguồn tại: {', '.join(bad[:5])}",
                f"Clause text does not match its source span at: {', '.join(bad[:5])}",
                code="citation_mismatch",
            )
        outcome.status = "ok"
        outcome.document = doc
        outcome.source = source
    except IngestError as err:
        outcome.errors.append(err.to_dict())
    outcome.timings["total_s"] = time.perf_counter() - t0
    return outcome


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders walked (sorted, supported types only)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(p)
    return out
