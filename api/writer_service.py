"""The writer: ingest files (skipping those already stored), delete a document, rebuild vectors.

Why a module of its own: the write path is the one that reads untrusted files (in a bounded
child process, ingest/worker.py), changes the catalog and the vectors and must leave them as they
were on any failure; its rules (skip before work, an id already taken by another document, the
copy under a legacy id) are easier to keep right apart from the read paths. One job of the
service (:class:`api.service.Tracuu` is the root that composes them).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable

from tracuu.api.errors import ApiError, not_found
from tracuu.index.errors import StoreUnwritable
from tracuu.ingest.errors import BilingualError
from tracuu.ingest.model import ParsedDocument
from tracuu.ingest.pipeline import (
    PARSER_VERSION,
    SUPPORTED_SUFFIXES,
    IngestOutcome,
    content_hash,
    distinct_doc_id,
    expand_paths,
    legacy_doc_id,
    rebase,
    same_document,
    skipped_files,
)
from tracuu.ingest.shapes import ErrorOut, IngestEvent, IngestReport, ReindexReport


class Writer:
    """Ingest, delete and reindex: the write side of the service. A part of :class:`api.service.Tracuu`: it uses the root's
    ``store()``, ``index``, ``manifest``, ``settings``, ``thresholds`` and ``_per_generation``."""

    def bundled_files(self) -> list[Path]:
        return [p for p in self.manifest.files() if p.exists()]

    def is_empty(self) -> bool:
        return not self.store().list_ids()

    def ingest(self, paths: list[Path] | None = None,
               progress: Callable[[IngestEvent], None] | None = None) -> list[IngestReport]:
        """Ingest files and folders (default: the bundled corpus). One report per file; a file a
        folder holds but that is not ingested gets a report with status "skipped" and the reason.
        ``progress`` is told when each file starts, is parsed and ends (the CLI's progress display)."""
        files = expand_paths(paths) if paths else self.bundled_files()
        skipped = skipped_files(paths) if paths else []
        if not files and not skipped:
            raise ApiError(
                "Không có tệp nào để nạp (.txt, .pdf, .docx, .doc, .odt).",
                "No files to ingest (.txt, .pdf, .docx, .doc, .odt).",
                code="no_files",
            )
        reports = []
        for i, f in enumerate(files):
            if progress:
                progress(IngestEvent(event="file", path=str(f), index=i, total=len(files)))
            reports.append(self._ingest_one(f, progress))
            if progress:
                progress(IngestEvent(event="done", report=reports[-1], index=i, total=len(files)))
        skipped_reports = [
            IngestReport(path=str(f), status="skipped",
                         errors=[ErrorOut(code="skipped", message_vi=r["vi"], message_en=r["en"])])
            for f, r in skipped
        ]
        return reports + skipped_reports

    def parser_version(self) -> str:
        """The parser version stored with each document: the code's, and the manifest's content
        (the manifest changes headers and ids, so a changed manifest means parse again)."""
        path = self.settings.corpus_dir / "manifest.toml"
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            digest = "none"
        return f"{PARSER_VERSION}+{digest}"

    def _unchanged(self, path: Path) -> IngestReport | None:
        """The report of a file already stored with the same bytes by this parser version: not
        loaded, parsed or OCR-ed again (skip before work). None: it must be ingested."""
        t0 = time.perf_counter()
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
                return None
            digest = content_hash(path.read_bytes())
        except OSError:
            return None
        store = self.store()
        doc_id = store.content_known(digest, self.parser_version(), path.name)
        doc = store.get(doc_id) if doc_id else None
        if doc is None:
            return None
        if store.source_status(doc_id) != "ok" or any(store.integrity(c) == "text_changed" for c in store.clauses_of(doc_id)):
            return None  # the stored record was damaged since: ingesting again repairs it
        report = IngestReport(path=str(path), status="ok", errors=[],
                              timings={"total_s": round(time.perf_counter() - t0, 3)})
        _stored(report, doc, ocr_pages=len(doc.ocr_pages or {}), replaced=False, embedded_new=0,
                reused=len(doc.clauses), removed=0, unchanged=True)
        return report

    def _ingest_one(self, path: Path, progress: Callable[[IngestEvent], None] | None = None) -> IngestReport:
        known = self._unchanged(path)
        if known is not None:
            return known
        # In a child process with memory, time and size limits (ingest/worker.py): a hostile
        # file costs one child, never the service.
        outcome: IngestOutcome = self._read_untrusted(path)
        if progress and outcome.ok and outcome.document is not None and outcome.source is not None:
            progress(IngestEvent(event="parsed", path=str(path), pages=outcome.document.pages,
                                 ocr_pages=len(outcome.source.ocr_pages or {}), clauses=len(outcome.document.clauses)))
        report = IngestReport(path=outcome.path, status=outcome.status,
                              errors=[ErrorOut.model_validate(e) for e in outcome.errors],
                              timings={k: round(v, 3) for k, v in outcome.timings.items()})
        if not outcome.ok:
            return report
        doc = outcome.document
        assert doc is not None and outcome.source is not None
        old = self.store().get(doc.doc_id)
        if old is not None and self.manifest.by_id(doc.doc_id) is None and not same_document(old.header, doc.header):
            # another document (another issuer, year or type) already has this readable id: keep both
            rebase(doc, distinct_doc_id(doc.doc_id, doc.header))
        legacy = legacy_doc_id(doc.header)  # the id this document had before ids named issuer and year
        stale = self.store().get(legacy) if legacy and legacy != doc.doc_id else None
        if stale is not None and (self.manifest.by_id(legacy) is not None or not same_document(stale.header, doc.header)):
            stale = None
        try:
            idx = self.index.add_document(doc, outcome.source.text, parser_version=self.parser_version())
        except ApiError:
            raise
        except BilingualError as err:  # read-only or full disk, a damaged vector index: refused, nothing changed
            report.status = "error"
            report.errors = [ErrorOut.model_validate(err.to_dict())]
            return report
        except Exception as err:  # the index is left as it was; say what happened
            report.status = "error"
            report.errors = [ErrorOut(code="index_failed", message_vi=f"Không lập chỉ mục được tài liệu: {err}",
                                      message_en=f"Indexing failed: {err}")]
            return report
        if stale is not None:  # the new version is in; the copy under its old id goes, and the report says so
            self.index.delete_document(stale.doc_id)
            report.replaced_id = stale.doc_id
        _stored(report, doc, ocr_pages=len(outcome.source.ocr_pages or {}),
                replaced=(idx.replaced and not idx.unchanged) or stale is not None, embedded_new=idx.embedded_new,
                reused=idx.reused, removed=idx.removed, unchanged=idx.unchanged)
        return report

    def delete(self, doc_id: str) -> None:
        if self.store().get(doc_id) is None:
            raise not_found("tài liệu", "document", doc_id)
        try:
            self.index.delete_document(doc_id)
        except StoreUnwritable as err:
            raise ApiError(err.vi, err.en, status=503, code=err.code) from err

    def reindex(self) -> ReindexReport:
        """Rebuild the vector index from the stored clauses and the embedding cache."""
        try:
            rep = self._open_index(replace_vectors=True).rebuild_vectors()
        except StoreUnwritable as err:
            raise ApiError(err.vi, err.en, status=503, code=err.code) from err
        return ReindexReport(clauses=len(self.index), upserted=rep.upserted, embedded_new=rep.embedded_new,
                             removed=rep.removed, vector_index=self.index.vector_state)


def _stored(report: IngestReport, doc: ParsedDocument, *, ocr_pages: int, replaced: bool, embedded_new: int,
            reused: int, removed: int, unchanged: bool) -> None:
    """Fill an ok report with what was stored (the document's counts, coverage, warnings) and
    what the index did (one place for a file ingested and one found already stored)."""
    report.doc_id, report.title = doc.doc_id, doc.header.title
    report.clauses, report.tables, report.pages, report.ocr_pages = len(doc.clauses), doc.tables, doc.pages, ocr_pages
    report.warnings, report.replaced, report.coverage = list(doc.warnings), replaced, doc.coverage.get("percent")
    report.unverified = [c.path for c in doc.clauses if not c.exact]
    report.embedded_new, report.reused, report.removed, report.unchanged = embedded_new, reused, removed, unchanged
