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

from tracuu.ingest.errors import IngestError
from tracuu.ingest.header import issuer_place
from tracuu.ingest.manifest import Manifest, ManifestEntry, number_key
from tracuu.ingest.model import DocumentHeader, ParsedDocument, SourceText
from tracuu.ingest.vntext import fold

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx", ".doc", ".odt")
#: Stored with each document beside its file's sha256: the same bytes read by the same parser
#: version are not loaded, parsed or OCR-ed again. Bump it whenever a change to ingest/ can
#: change what a file parses into (clauses, header, tasks, references), so stored documents are
#: read again at the next ingest.
PARSER_VERSION = "2026-12-01.12"
SKIPPED_FILE = Path(__file__).resolve().parent / "data" / "skipped_files.toml"


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
    """Stable, short, readable id: the manifest's when the document is one it knows; else the
    document's identity - number, issuer's place, year - "141-kh-ubnd-bac-ninh-2025"; else the
    file name.

    Why the place and the year: every province has a "99/KH-UBND", and one issuer reuses a number
    the next year; the number alone would make them overwrite each other. The place is left out
    when the symbol already names the issuer (a ministry, the Prime Minister: "844-qd-ttg-2026"),
    the year when the symbol already holds it ("28/2021/QĐ-TTg"). What still collides (two
    issuers of one place) is kept apart by :func:`distinct_doc_id`.
    """
    if entry is not None:
        return entry.doc_id
    if header.number:
        parts = [header.number]
        place = issuer_place(header.issuer)
        if place:
            parts.append(place)
        year = (header.date or "")[:4]
        if year.isdigit() and year not in header.number:
            parts.append(year)
        return slugify(" ".join(parts))
    return slugify(path.stem)


def legacy_doc_id(header: DocumentHeader) -> str | None:
    """The id a document got before ids named the issuer's place and the year (the number alone):
    a store written then is migrated when the document is ingested again."""
    return slugify(header.number) if header.number else None


def identity(header: DocumentHeader) -> tuple[str, str, str, str] | None:
    """What makes a document itself: issuer, number, date and type (folded for matching), or
    None when it has no number (then its file name is all there is to go by)."""
    if not header.number:
        return None
    key = lambda v: " ".join(fold(v or "").split())  # noqa: E731
    return (key(header.issuer), number_key(header.number), header.date or "", key(header.doc_type))


def same_document(a: DocumentHeader, b: DocumentHeader) -> bool:
    """Is ``b`` another version of document ``a`` (re-ingest: replace) rather than another document
    that happens to get the same id (keep both)? Facts one side does not state do not count."""
    ia, ib = identity(a), identity(b)
    if ia is None or ib is None:
        return ia is None and ib is None
    return all(x == y or not x or not y for x, y in zip(ia, ib))


def distinct_doc_id(doc_id: str, header: DocumentHeader) -> str:
    """The id of a document whose readable id is already taken by another document: the same id
    plus a short hash of its identity, so that re-ingesting it finds (and replaces) it again."""
    ident = identity(header)
    digest = hashlib.sha256(repr(ident).encode("utf-8")).hexdigest()[:6]
    return f"{doc_id[: MAX_ID_CHARS - 7]}-{digest}"


def _same_entry(entry: ManifestEntry | None, header: DocumentHeader) -> ManifestEntry | None:
    """A manifest entry found by number is this document only if the dates do not disagree
    (the same number from another year is another document)."""
    if entry is None or not (entry.date and header.date) or entry.date == header.date:
        return entry
    return None


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
    """Give a parsed document its final id (known only once the header and manifest are read, or
    once the store says the readable id is taken by another document): clauses and tasks too."""
    old = doc.doc_id
    doc.doc_id = doc_id
    for clause in doc.clauses:
        clause.doc_id = doc_id
        clause.clause_id = f"{doc_id}:{clause.path}"
    for task in doc.tasks:
        task["doc_id"] = doc_id
        for key in ("clause_id", "task_id"):
            value = task.get(key)
            if isinstance(value, str) and value.startswith(f"{old}:"):
                task[key] = f"{doc_id}:{value[len(old) + 1:]}"


def ingest_file(path: Path, manifest: Manifest) -> IngestOutcome:
    """Load, parse and verify one file. Never raises for bad input: see ``IngestOutcome.errors``."""
    from tracuu.ingest.loaders import load
    from tracuu.ingest.parser import parse_document
    from tracuu.ingest.references import resolve
    from tracuu.ingest.reflow import clause_matches_source
    from tracuu.ingest.tasks import extract_tasks, jurisdiction_of

    outcome = IngestOutcome(path=str(path), status="error")
    t0 = time.perf_counter()
    try:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise IngestError(
                f"Không hỗ trợ loại tệp '{path.suffix or path.name}': {skip_reason(path)['vi']}.",
                f"Unsupported file type '{path.suffix or path.name}': {skip_reason(path)['en']}.",
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
        entry = manifest.by_file(path) or _same_entry(manifest.by_number(doc.header.number), doc.header)
        rebase(doc, choose_doc_id(doc.header, path, entry))
        doc.header = apply_manifest(doc.header, entry)
        doc.page_starts = list(source.page_starts)
        doc.dropped = [tuple(r) for r in source.dropped]
        numbers = manifest.number_index()
        for clause in doc.clauses:
            clause.references = resolve(clause.references, numbers)
        outcome.timings["parse_s"] = time.perf_counter() - t1

        # JSON-native (tuples become lists) so a stored and a fresh parse compare equal.
        tasks = extract_tasks(doc.clauses, jurisdiction=jurisdiction_of(doc.header.issuer),
                              addressees=doc.header.addressees, issued=doc.header.date)
        doc.tasks = json.loads(json.dumps([t.to_dict() for t in tasks], ensure_ascii=False))
        outcome.timings["tasks_s"] = time.perf_counter() - t1 - outcome.timings["parse_s"]

        bad = [c for c in doc.clauses if not clause_matches_source(source, c)]
        for c in bad:
            c.exact = False  # kept and searchable, never quoted as exact (see ingest.model.Clause)
        if bad:
            doc.warnings.append(
                f"{len(bad)} điều khoản không đối chiếu được với văn bản nguồn, được giữ lại nhưng không "
                f"trích dẫn nguyên văn: {', '.join(c.path for c in bad[:5])} / {len(bad)} clause(s) could not "
                f"be verified against the source; kept, never quoted as exact: {', '.join(c.path for c in bad[:5])}"
            )
        outcome.status = "ok"
        outcome.document = doc
        outcome.source = source
    except IngestError as err:
        outcome.errors.append(err.to_dict())
    outcome.timings["total_s"] = time.perf_counter() - t0
    return outcome


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders walked (sorted, supported types only, hidden and lock files left out;
    :func:`skipped_files` lists what was left out and why)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not _is_hidden(f, p)
                )
            )
        else:
            out.append(p)
    return out


def _is_hidden(f: Path, root: Path) -> bool:
    rel = f.relative_to(root).parts if f.is_relative_to(root) else (f.name,)
    return any(part.startswith(".") for part in rel) or f.name.startswith("~$")


def skip_reason(path: Path) -> dict[str, str]:
    """Why a file is not ingested, {"vi", "en"}, from ingest/data/skipped_files.toml."""
    import tomllib

    data = tomllib.loads(SKIPPED_FILE.read_text(encoding="utf-8"))
    if path.name.startswith((".", "~$")):
        return dict(data["hidden"])
    suffix = path.suffix.lower()
    for kind in data.get("kinds", []):
        if suffix in kind["suffixes"]:
            return {"vi": kind["vi"], "en": kind["en"]}
    return dict(data["default"])


def skipped_files(paths: list[Path]) -> list[tuple[Path, dict[str, str]]]:
    """Every file inside the given folders that :func:`expand_paths` leaves out, with the reason."""
    out: list[tuple[Path, dict[str, str]]] = []
    for p in paths:
        if not p.is_dir():
            continue
        for f in sorted(p.rglob("*")):
            if not f.is_file():
                continue
            if _is_hidden(f, p):
                out.append((f, skip_reason(Path("." + f.name) if not f.name.startswith((".", "~$")) else f)))
            elif f.suffix.lower() not in SUPPORTED_SUFFIXES:
                out.append((f, skip_reason(f)))
    return out
