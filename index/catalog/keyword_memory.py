"""Which keyword index the catalog uses, and an in-memory one for databases without FTS5.

Why this exists: the catalog's writer and the search call the keyword index through the
interface of ``index/catalog/keyword_fts.py::FtsKeywordIndex`` (``add``, ``remove_doc``,
``search``, ``score_ids``, ``idf``), which keeps its postings in the catalog and is written inside
the catalog's transaction. Until that module is merged, this adapter gives the same interface
over :class:`index.keyword.BM25Index` (same scores), built from the catalog's clauses and rebuilt
whenever another process changed the catalog (its generation moved). Switching is one line in
:func:`make_keyword_index`.

It holds every clause's tokens in memory: the cost the FTS5 store removes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Collection, Iterable

from tracuu.index.keyword import BM25Index

if TYPE_CHECKING:
    from tracuu.index.catalog.store import CatalogStore


class MemoryKeywordIndex:
    """BM25 over the catalog's clauses, in memory, kept in step with the catalog's generation."""

    def __init__(self, store: "CatalogStore") -> None:
        self.store = store
        self._bm25 = BM25Index()
        self._doc_ids: dict[str, list[str]] = {}
        self._gen: int | None = None  # catalog generation the memory reflects (None: rebuild)
        self._pending_gen: int | None = None
        self._lock = threading.RLock()

    # -- keeping in step
    def _rebuild(self, gen: int) -> None:
        from tracuu.index.passages import keyword_text

        items, by_doc = [], {}
        for cid, doc_id, clause in self.store.keyword_rows():
            items.append((cid, keyword_text(clause)))
            by_doc.setdefault(doc_id, []).append(cid)
        self._bm25.rebuild(items)
        self._doc_ids = by_doc
        self._gen = gen

    def sync(self) -> BM25Index:
        gen = self.store.generation()
        with self._lock:
            if gen != self._gen:
                self._rebuild(gen)
            return self._bm25

    # -- writes (called inside the catalog's transaction, before it commits)
    def begin(self) -> None:
        """A write starts: memory is current only if nobody else wrote since the last sync."""
        with self._lock:
            self._pending_gen = self._gen if self._gen == self.store.generation() else None

    def add(self, clause_id: str, doc_id: str, text: str) -> None:
        with self._lock:
            self._bm25.add(clause_id, text)
            self._doc_ids.setdefault(doc_id, []).append(clause_id)

    def add_many(self, items: Iterable[tuple[str, str, str]]) -> None:
        for cid, doc_id, text in items:
            self.add(cid, doc_id, text)

    def remove_doc(self, doc_id: str) -> None:
        with self._lock:
            self._bm25.remove_many(self._doc_ids.pop(doc_id, []))

    def committed(self, ok: bool) -> None:
        """The write's transaction ended: keep memory (it now matches) or rebuild at the next read."""
        with self._lock:
            self._gen = self.store.generation() if ok and self._pending_gen is not None else None
            self._pending_gen = None

    # -- reads
    def __len__(self) -> int:
        with self._lock:
            return len(self.sync())

    def __contains__(self, clause_id: object) -> bool:
        with self._lock:
            return clause_id in self.sync()

    def _allowed(self, doc_ids: Collection[str] | None) -> set[str] | None:
        if doc_ids is None:
            return None
        return {cid for d in doc_ids for cid in self._doc_ids.get(d, ())}

    def search(self, query: str, k: int, doc_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        with self._lock:
            bm25 = self.sync()
            return bm25.search(query, k, self._allowed(doc_ids))

    def score_ids(self, query: str, clause_ids: Iterable[str]) -> dict[str, float]:
        with self._lock:
            return self.sync().score_ids(query, clause_ids)

    def clause_ids(self) -> set[str]:
        """Every clause id the index holds (for consistency checks)."""
        with self._lock:
            return set(self.sync()._len)

    def idf(self, term: str) -> float:
        with self._lock:
            return self.sync().idf(term)


def make_keyword_index(store: "CatalogStore") -> Any:
    """The catalog's keyword index: FTS5 postings in the catalog on SQLite; postings tables in
    the catalog on PostgreSQL (index/catalog/keyword_pg.py, shared by every worker); this
    in-memory adapter on any other database."""
    if store.db.dialect == "sqlite":
        from tracuu.index.catalog.keyword_fts import FtsKeywordIndex

        return FtsKeywordIndex(store.db)
    if store.db.dialect == "postgresql":
        from tracuu.index.catalog.keyword_pg import PgKeywordIndex

        return PgKeywordIndex(store.db)
    return MemoryKeywordIndex(store)
