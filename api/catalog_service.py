"""The catalog as the API shows it: documents, clauses, hits with citations, related clauses.

Why a module of its own: every front end shows documents and clauses the same way (the shapes
of ingest/shapes.py: Document, Clause, Hit); the rules that build them from the stored records
(the manifest's referenced documents, the integrity check on every serve, reference status) live
here once. One job of the service (:class:`api.service.Tracuu` composes them).
"""

from __future__ import annotations

from typing import Any

from tracuu.api.citations import clause_citation
from tracuu.api.doc_parts import part_clause
from tracuu.api.errors import not_found
from tracuu.ingest.model import Clause, ParsedDocument
from tracuu.ingest.shapes import ClauseDetail, Document, DocumentDetail, Hit, Related


class Catalog:
    """Documents, clauses and hits, read from the catalog. A part of :class:`api.service.Tracuu`: it uses the root's
    ``store()``, ``index``, ``manifest``, ``settings``, ``thresholds`` and ``_per_generation``."""

    def _info(self, doc: ParsedDocument | None, doc_id: str, clauses: int | None = None) -> Document:
        """The public document; ``clauses``: its clause count when ``doc`` is a summary (its clauses not read)."""
        entry = self.manifest.by_id(doc_id)
        if doc is None:
            assert entry is not None
            return Document(
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
        info = Document.of(
            doc,
            citation_name=entry.citation_name if entry else None,
            level=entry.level if entry else None,
            implements=list(entry.implements) if entry else [],
        )
        return info if clauses is None else info.model_copy(update={"clauses": clauses})

    def _summary_info(self, doc_id: str) -> Document | None:
        """The public document of a stored one from its summary (no clause read); None: not stored or damaged."""
        summary = self.store().summary(doc_id)
        return None if summary is None else self._info(summary[0], doc_id, clauses=summary[1])


    def documents(self) -> list[Document]:
        """Every document: ingested ones, then those the manifest knows but has no text for."""
        store = self.store()
        docs = [(i, store.get(i)) for i in store.list_ids()]
        # A file that cannot be read is skipped (and listed in /healthz), unless the manifest
        # knows the document: then it shows as referenced, not ingested.
        ids = {i for i, d in docs if d is not None}
        infos = [self._info(d, i) for i, d in docs if d is not None]
        infos += [self._info(None, e.doc_id) for e in self.manifest.entries if e.doc_id not in ids]
        return infos

    def document(self, doc_id: str) -> DocumentDetail:
        doc = self.store().get(doc_id)
        if doc is None and self.manifest.by_id(doc_id) is None:
            raise not_found("tài liệu", "document", doc_id)
        info = self._info(doc, doc_id)
        return DocumentDetail.model_validate({**info.model_dump(), "tree": clause_tree(doc.clauses) if doc else []})

    def doc_info(self, doc_id: str) -> Document:
        info = self._summary_info(doc_id)
        return info if info is not None else self._info(None, doc_id)

    def hit(self, clause: Clause, score: float, info: Document | None = None) -> Hit:
        """A stored clause as a hit: its exact text, where it lies, its citation, its integrity."""
        return Hit.model_validate(self._hit_fields(clause, score, info))

    def _hit_fields(self, clause: Clause, score: float, info: Document | None = None) -> dict[str, Any]:
        info = info or self.doc_info(clause.doc_id)
        # Checked on every serve (a hash of the clause text, a stat of its source): text edited
        # inside the store, or a source edited or deleted, is never presented as an exact quote.
        integrity = self.store().integrity(clause)
        return {
            "integrity": integrity,
            "exact": integrity == "ok" and bool(getattr(clause, "exact", True)),
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
            "spans": [{"start": sp.start, "end": sp.end, "page": sp.page} for sp in clause.spans],
        }

    def _reference(self, ref: Any) -> dict[str, Any]:
        status = "unknown"
        if ref.doc_id:
            status = "ingested" if self.store().summary(ref.doc_id) is not None else "referenced"
        return {
            "text": ref.text,
            "doc_type": ref.doc_type,
            "number": ref.number,
            "date": ref.date,
            "doc_id": ref.doc_id,
            "status": status,
        }

    def clause(self, clause_id: str) -> ClauseDetail:
        clause = self.store().clause(clause_id)
        if clause is None:
            clause = part_clause(self, clause_id)  # a header or signature block an answer cited
        if clause is None:
            raise not_found("điều khoản", "clause", clause_id)
        out = self._hit_fields(clause, 1.0)
        return ClauseDetail.model_validate({**out, "cells": clause.cells, "parent": clause.parent, "marker": clause.marker})

    def related(self, clause_id: str) -> Related:
        """What a clause cites and is cited by, implements and is implemented by (see api/links.py)."""
        from tracuu.api.links import LinkService

        return LinkService.of(self).related(clause_id)

    def stored_documents(self) -> list[ParsedDocument]:
        """Every stored document; one deleted meanwhile (by another thread or process) is skipped."""
        store = self.store()
        return [d for d in (store.get(i) for i in store.list_ids()) if d is not None]

    def _hits(self, scored: list, infos: dict[str, Document]) -> list[Hit]:
        """Hits with citations; a hit whose document was deleted meanwhile is dropped, not a 500."""
        out = []
        for s in scored:
            doc_id = s.clause.doc_id
            if doc_id not in infos:
                info = self._summary_info(doc_id)  # the header and a count: never the document's clauses
                if info is None:
                    continue
                infos[doc_id] = info
            out.append(self.hit(s.clause, s.score, infos[doc_id]))
        return out


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
