"""ClauseIndex: the one object the service composes over the index's parts, each with one job.

* :class:`index.retriever.Retriever` - search (dense + keyword candidates, exact scores, fusion);
  reads only, takes no lock.
* :class:`index.index_writer.IndexWriter` - add / delete a document (record, keyword postings,
  restorer counts and vectors, in the order its docstring gives), repair of cut-short writes,
  reconcile, `tracuu reindex`.
* :class:`index.vector_access.VectorAccess` - the Chroma handle, opened on first use, its health
  and the write-ahead markers in the catalog.
* the catalog (:class:`index.catalog.store.CatalogStore`), its keyword index and restorer counts,
  and the embedding cache: opened on first use.

Opening is cheap and side-effect free. The constructor does no I/O at all: the catalog is opened
(and migrated: an older JSON store is imported, keyword postings and restorer counts built once)
on first use, Chroma on the first dense query or write. Nothing is checked, dropped or rebuilt
because a process started: the vector store's integrity is checked only where a write-ahead
marker says a write was cut short, when a write fails, in `tracuu reindex` (which rebuilds on
purpose) and in :meth:`ClauseIndex.check` (``tracuu reindex --check``); damage found is reported
(``/healthz``: ``vector_index_damaged``, keyword search only) and never silently moved away.
A collection built with another embedder is refused (:class:`index.errors.EmbedderMismatch`,
at the first use of the vectors) until `tracuu reindex` replaces it on purpose.

No corpus in memory, no read lock. Clause lookups, filters and keyword search are SQL; each
thread reads through its own connection (WAL: readers never wait for the writer), so another
process's write is visible to the next read without any reload.

In server mode (``chroma_url``) the collection is named after the data directory
(``<data_dir>/chroma_collection``), or kept in a shared PostgreSQL catalog.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from tracuu.index import store_health
from tracuu.index.catalog.restorer_counts import RestorerCounts
from tracuu.index.catalog.store import CatalogStore
from tracuu.index.embedders import Embedder
from tracuu.index.embedding_cache import EmbeddingCache
from tracuu.index.errors import EmbedderMismatch
from tracuu.index.index_writer import (  # noqa: F401 - re-exported: the index's report types
    PASSAGE_PROBE,
    IndexReport,
    IndexWriter,
    ProcessLock,
    ReconcileReport,
    with_hashes,
)
from tracuu.index.retriever import Retriever, ScoredClause, clean_query, minmax  # noqa: F401 - re-exported
from tracuu.index.vector_access import VectorAccess
from tracuu.index.vector_store import COLLECTION, ChromaVectorStore, UnavailableVectors
from tracuu.ingest.model import Clause, ParsedDocument

log = logging.getLogger(__name__)

def catalog_collection_name(store: CatalogStore) -> str:
    """The Chroma collection of a shared (PostgreSQL) catalog, created once, kept in the catalog.

    Why not the data dir's (see :func:`server_collection_name`): workers on several machines share
    one catalog, each with its own data dir; their vectors must be one collection, the catalog's.
    """
    candidate = f"{COLLECTION}-{secrets.token_hex(6)}"
    store.db.execute("INSERT INTO catalog_meta (key, value) VALUES ('chroma_collection', ?) "
                     "ON CONFLICT (key) DO NOTHING", (candidate,))  # the first worker's name wins
    name = store.meta("chroma_collection")
    if not name:  # pragma: no cover - the row was just written or already there
        raise RuntimeError("cannot read the Chroma collection name from the catalog")
    return name


def server_collection_name(data_dir: Path) -> str:
    """The Chroma collection of this data directory on a shared server, created once.

    Every process on the same data directory reads the same name; a second data directory gets
    its own, so its start-up reconcile can never delete the first one's vectors as "stray".
    """
    path = Path(data_dir) / "chroma_collection"
    for _ in range(50):
        try:
            name = path.read_text(encoding="utf-8").strip()
            if name:
                return name
        except FileNotFoundError:
            tmp = path.with_name(f".chroma_collection.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            tmp.write_text(f"{COLLECTION}-{secrets.token_hex(6)}\n", encoding="utf-8")
            try:
                os.link(tmp, path)  # atomic create-if-absent, with its content already there
            except (FileExistsError, FileNotFoundError):
                pass  # another process won the race (or our temp file vanished): read theirs
            finally:
                tmp.unlink(missing_ok=True)
            continue
        time.sleep(0.01)
    raise RuntimeError(f"cannot read the Chroma collection name in {path}")


class ClauseIndex:
    """Hybrid (dense + BM25) search over the clauses of every stored document, and its writes."""

    DERIVED_MARK = "derived_built"  # catalog_meta: keyword postings and restorer counts cover every clause

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        chroma_url: str | None = None,
        *,
        dense_weight: float = 0.5,
        candidates: int = 50,
        collection: str | None = None,
        database_url: str | None = None,
        replace_vectors: bool = False,
        min_free_mb: int = store_health.DEFAULT_MIN_FREE_MB,
        vector_probe: str = "files",
    ) -> None:
        """No I/O: every part opens on first use. ``replace_vectors``: a vector collection built
        with another embedder is dropped and rebuilt (what `tracuu reindex` asks for); otherwise
        its first use raises EmbedderMismatch. ``min_free_mb``: free disk below which writes are
        refused; ``vector_probe``: "subprocess" also opens the vector store in a child process
        before this one does (both from api.config.Settings)."""
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self._vector_probe = vector_probe
        self._database_url = database_url
        self._chroma_url = chroma_url
        self._collection_arg = collection
        self._collection: str | None = None
        self._open_lock = threading.RLock()
        self._store: CatalogStore | None = None
        self._cache: EmbeddingCache | None = None
        self._keyword: Any = None
        self._counts: RestorerCounts | None = None
        self._seen_generation: int | None = None
        self._process_lock = ProcessLock(self.data_dir / "write.lock")  # opens its file when first held
        self.access = VectorAccess(self.data_dir, embedder, lambda: self.store, chroma_url=chroma_url,
                                   collection=self._collection_name, replace=replace_vectors,
                                   probe=vector_probe)
        self.retriever = Retriever(lambda: self.store, lambda: self.keyword, self.access, lambda: self.cache,
                                   embedder, dense_weight=dense_weight, candidates=candidates)
        self.writer = IndexWriter(self.data_dir, lambda: self.store, lambda: self.keyword,
                                  lambda: self.restorer_counts, lambda: self.cache, self.access, embedder,
                                  self._process_lock, min_free_mb)

    # ------------------------------------------------------------------ parts, opened on first use

    @property
    def store(self) -> CatalogStore:
        """The catalog: the system of record (writes go through :attr:`writer`)."""
        if self._store is None:
            with self._open_lock:
                if self._store is None:
                    self._open_catalog()
        assert self._store is not None
        return self._store

    def _open_catalog(self) -> None:
        """The catalog; a JSON store of an older tracuu is imported (and derived tables built)
        by one process at a time."""
        from tracuu.index.catalog.keyword_memory import make_keyword_index

        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            held = self._process_lock.held()
            held.__enter__()
        except OSError:  # a read-only data dir: no lock file, and nothing will be written
            held = None
        try:
            store = CatalogStore(self.data_dir, db=self._database_url)
        finally:
            if held is not None:
                held.__exit__(None, None, None)
        keyword, counts = make_keyword_index(store), RestorerCounts(store.db)
        self.writer.build_derived(store, keyword, counts, self.DERIVED_MARK)
        self._keyword, self._counts = keyword, counts
        self._seen_generation = store.generation()
        self._store = store
        if self._chroma_url is None and not store.read_only:
            self.access.adopt_stamp("|".join(map(str, (store.generation(), self._collection_name(),
                                                       self.embedder.name, self.embedder.dim, PASSAGE_PROBE))))

    @property
    def keyword(self) -> Any:
        _ = self.store
        return self._keyword

    @property
    def restorer_counts(self) -> RestorerCounts:
        _ = self.store
        assert self._counts is not None
        return self._counts

    @property
    def cache(self) -> EmbeddingCache:
        if self._cache is None:
            with self._open_lock:
                if self._cache is None:
                    self.data_dir.mkdir(parents=True, exist_ok=True)
                    self._cache = EmbeddingCache(self.data_dir / "embeddings.sqlite3")
        return self._cache

    def _collection_name(self) -> str:
        if self._collection is None:
            name = self._collection_arg
            if name is None and self._chroma_url:
                shared = self.store.db.dialect != "sqlite"
                name = catalog_collection_name(self.store) if shared else server_collection_name(self.data_dir)
            self._collection = name or COLLECTION
        return self._collection

    @property
    def min_free_mb(self) -> int:
        """Free disk (MB) below which writes are refused (the writer's; settable, as tests do)."""
        return self.writer.min_free_mb

    @min_free_mb.setter
    def min_free_mb(self, value: int) -> None:
        self.writer.min_free_mb = value

    @property
    def vectors(self) -> ChromaVectorStore | UnavailableVectors:
        """The vector store, opened on first use (see :mod:`index.vector_access`)."""
        return self.access.get()

    @property
    def vector_state(self) -> str:
        """"ok"; "damaged" (the check found the store unsound: keyword search only until `tracuu
        reindex`); "unavailable" (Chroma failed: keyword search only)."""
        return self.access.state

    @property
    def vector_note(self) -> str:
        return self.access.note

    @property
    def last_reconcile(self) -> ReconcileReport:
        """What the last repair or reconcile in this process did (nothing runs at open)."""
        return self.writer.last_reconcile

    @property
    def dense_weight(self) -> float:
        return self.retriever.dense_weight

    @dense_weight.setter
    def dense_weight(self, weight: float) -> None:
        """The benchmarks' dense-only (1.0) and keyword-only (0.0) baselines set it on an open index."""
        if not 0.0 <= weight <= 1.0:
            raise ValueError("dense_weight must be in [0, 1]")
        self.retriever.dense_weight = weight

    @property
    def candidates(self) -> int:
        return self.retriever.candidates

    # ------------------------------------------------------------------ health and checks

    def health(self) -> list[dict[str, str]]:
        """Reasons the index is degraded (empty: all well): vectors, embedding cache, writability,
        interrupted writes. Opens the vector store if it is not open yet (which checks its files
        only if they changed since the last check); never repairs anything."""
        try:
            self.access.get()
        except EmbedderMismatch as err:
            return [store_health.reason(err.code, err.vi, err.en)]
        reasons = self.access.health()
        if self._cache is not None and self._cache.state != "ok":
            reasons.append(store_health.reason(
                f"embedding_cache_{self._cache.state}",
                f"Bộ nhớ đệm vectơ: {self._cache.note}.", f"Embedding cache: {self._cache.note}."))
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            reasons.append(store_health.reason(blocked.code, blocked.vi, blocked.en))
        return reasons

    def check(self, probe: bool = False, repair: bool = True) -> dict[str, Any]:
        """The explicit check (``tracuu reindex --check``, tests): the vector store's files (and,
        with ``probe``, opening it in a child process), then - when sound, writable and asked -
        the repair of writes cut short. Damage is reported, never moved aside: that is `tracuu
        reindex`'s job. Returns ``{"problem", "pending", "repaired"}``."""
        pending = self.access.pending()
        problem = self.access.check(probe=probe)
        if problem:
            self.access.damaged(problem)
            return {"problem": problem, "pending": pending, "repaired": None}
        repaired = None
        if pending and repair and store_health.check_writable(self.data_dir, self.min_free_mb) is None:
            repaired = self.writer.recover()
        return {"problem": None, "pending": pending, "repaired": repaired}

    def recover(self) -> ReconcileReport | None:
        """Repair the writes write-ahead markers name (None: there were none)."""
        return self.writer.recover()

    def reconcile(self) -> ReconcileReport:
        """Make Chroma match the catalog in full (drop unknown/stale ids, upsert missing ones)."""
        return self.writer.reconcile()

    def rebuild_vectors(self) -> ReconcileReport:
        """``tracuu reindex``: drop the vector store, refill it from the catalog and the cache."""
        return self.writer.rebuild_vectors()

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
        if self._store is not None:
            self._store.close()
        self._process_lock.close()

    # ------------------------------------------------------------------ writes

    def add_document(self, doc: ParsedDocument, source_text: str, *, parser_version: str = "") -> IndexReport:
        """Index (or re-index) one parsed document (see :mod:`index.index_writer`)."""
        return self.writer.add_document(doc, source_text, parser_version=parser_version)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document everywhere (see :meth:`IndexWriter.delete_document`)."""
        return self.writer.delete_document(doc_id)

    @staticmethod
    def _with_hashes(doc: ParsedDocument) -> tuple[ParsedDocument, list]:
        return with_hashes(doc)

    # ------------------------------------------------------------------ reads

    def search(self, query: str, k: int = 10, doc_ids: list[str] | None = None,
               doc_types: list[str] | None = None, *, dense_query: str | None = None,
               keyword_query: str | None = None) -> list[ScoredClause]:
        """Top-k clauses by fused dense + BM25 score (see :class:`index.retriever.Retriever`)."""
        return self.retriever.search(query, k, doc_ids, doc_types, dense_query=dense_query,
                                     keyword_query=keyword_query)

    def documents(self) -> list[ParsedDocument]:
        """Every stored document, read in full (export, evaluation, tests: not the request path)."""
        return [d for _, d in sorted(self.store.load_all().items())]

    def document(self, doc_id: str) -> ParsedDocument | None:
        return self.store.get(doc_id)

    def clause(self, clause_id: str) -> Clause | None:
        return self.store.clause(clause_id)

    def clauses(self, doc_id: str) -> list[Clause]:
        return self.store.clauses_of(doc_id)

    @property
    def doc_store(self) -> CatalogStore:
        """The system of record (read-only use: writes go through this class)."""
        return self.store

    def source(self, doc_id: str) -> str | None:
        """The source text clause offsets point into."""
        return self.store.source(doc_id)

    def __len__(self) -> int:
        return self.store.count()[1]

    def vector_count(self) -> int:
        """Vectors in Chroma (equals ``len(self)`` when in step): for health checks and tests."""
        return self.vectors.count()

    def _exact_dense(self, qvec: Sequence[float], clauses: list[Clause]) -> dict[str, float]:
        return self.retriever.exact_dense(qvec, clauses)

    def refresh(self) -> bool:
        """Did the catalog change (any process) since the last call? Reads never need this:
        every read goes to the catalog; derived caches compare the catalog's generation."""
        gen = self.store.generation()
        changed, self._seen_generation = gen != self._seen_generation, gen
        return changed

    @property
    def generation(self) -> int:
        """The catalog's generation: +1 after every save or delete, by any process."""
        return self.store.generation()
