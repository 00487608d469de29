"""ClauseIndex: the document store, the embedding cache, Chroma and BM25 behind one object.

Consistency model. The document store (JSON files) is the record of what exists; Chroma and the
keyword index are derived from it. ``add_document`` therefore works in this order:

1. build passages and embed every new one (through the cache) - nothing visible is written, so
   an embedder that raises leaves the previous version fully searchable;
2. upsert the new version's vectors into Chroma and delete vectors of clauses that are gone;
3. write the document store (source, then JSON: the JSON makes the version visible);
4. swap the in-memory maps and the keyword index.

If step 2 or 3 fails, Chroma is put back to the old version (vectors come back from the cache)
and the error propagates. Whatever a crash leaves behind is repaired on the next start by
:meth:`ClauseIndex.reconcile`, which drops Chroma ids the store does not know and re-upserts
clauses whose vector is missing or stale. Search also ignores dense hits the store does not
know, so a stray vector can never surface.

Search is hybrid: dense top-N from Chroma and BM25 top-N; for every candidate in the union both
scores are computed exactly (a keyword-only candidate gets its cosine from its stored vector, a
dense-only one its BM25 score), each is min-max normalised over the union, and they are fused
as ``w * dense + (1 - w) * keyword``. Linear fusion keeps "how much better" information that
reciprocal-rank fusion throws away; BM25 on folded syllables is what makes a query typed
without diacritics find the right clause.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ingest.model import Clause, ParsedDocument
from ingest.vntext import collapse_spaces, fold, nfc

from index.doc_store import DocStore
from index.embedders import Embedder
from index.embedding_cache import EmbeddingCache, text_hash
from index.errors import BadDocument
from index.keyword import BM25Index
from index.passages import DocMeta, keyword_text, passage_text, to_node
from index.vector_store import COLLECTION, ChromaVectorStore, make_where

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    """What ``add_document`` did.

    ``embedded_new`` counts distinct passages sent to the embedder; ``reused`` is the rest of the
    clauses (vector from the cache, including duplicates of a text embedded in this call).
    """

    doc_id: str
    clauses: int
    embedded_new: int
    reused: int
    removed: int  # clauses of the previous version that are gone
    replaced: bool  # a previous version existed
    unchanged: bool  # same content hash and same parse: nothing was done
    seconds: float = 0.0


@dataclass
class ReconcileReport:
    """What start-up repair found: stray vectors removed, missing/stale vectors re-upserted."""

    removed: int = 0
    upserted: int = 0
    embedded_new: int = 0
    collection_reset: bool = False


@dataclass
class ScoredClause:
    """A search hit. ``dense`` is the raw cosine similarity, ``keyword`` the raw BM25 score,
    ``score`` the fused value of their min-max-normalised forms (in [0, 1])."""

    clause: Clause
    score: float
    dense: float
    keyword: float
    doc_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.doc_id = self.clause.doc_id


def clean_query(query: str) -> str:
    """NFC and one space per whitespace run: what both retrievers see."""
    return collapse_spaces(nfc(query or ""))


def _minmax(values: dict[str, float]) -> dict[str, float]:
    """Scale to [0, 1] over the candidates; all-equal -> 1.0 (or 0.0 if all are <= 0)."""
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi - lo < 1e-12:
        flat = 1.0 if hi > 0 else 0.0
        return {k: flat for k in values}
    return {k: (v - lo) / (hi - lo) for k, v in values.items()}


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = sum(x * x for x in a) ** 0.5
    nb = sum(y * y for y in b) ** 0.5
    return dot / (na * nb) if na and nb else 0.0


class ClauseIndex:
    """Hybrid (dense + BM25) search over the clauses of every stored document."""

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        chroma_url: str | None = None,
        *,
        dense_weight: float = 0.5,
        candidates: int = 50,
        collection: str = COLLECTION,
    ) -> None:
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError("dense_weight must be in [0, 1]")
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.candidates = candidates
        self._write_lock = threading.Lock()  # one writer at a time (held while embedding)
        self._state_lock = threading.RLock()  # short: guards in-memory maps, BM25 and Chroma writes
        self.store = DocStore(self.data_dir)
        self.cache = EmbeddingCache(self.data_dir / "embeddings.sqlite3")
        self.vectors = ChromaVectorStore(
            self.data_dir, embedder_name=embedder.name, dim=embedder.dim,
            chroma_url=chroma_url, collection=collection,
        )
        self.keyword = BM25Index()
        self._docs: dict[str, ParsedDocument] = {}
        self._clauses: dict[str, Clause] = {}
        for doc in self.store.load_all().values():
            self._install(self._hashed(doc))
        self.last_reconcile = self.reconcile()

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _hashed(doc: ParsedDocument) -> ParsedDocument:
        """A copy of ``doc`` whose clauses carry the sha256 of their passage (cheap: no nodes)."""
        meta = DocMeta.of(doc)
        clauses = [replace(c, text_hash=text_hash(passage_text(c, meta))) for c in doc.clauses]
        return replace(doc, clauses=clauses)

    def _with_hashes(self, doc: ParsedDocument) -> tuple[ParsedDocument, list]:
        """A copy of ``doc`` whose clauses carry their passage hash, and its TextNodes."""
        meta = DocMeta.of(doc)
        nodes = [to_node(c, meta) for c in doc.clauses]
        clauses = [replace(c, text_hash=n.metadata["text_hash"]) for c, n in zip(doc.clauses, nodes)]
        return replace(doc, clauses=clauses), nodes

    def _install(self, doc: ParsedDocument) -> None:
        """Make ``doc`` the visible version in memory (maps + keyword index)."""
        self._uninstall(doc.doc_id)
        self._docs[doc.doc_id] = doc
        for c in doc.clauses:
            self._clauses[c.clause_id] = c
            self.keyword.add(c.clause_id, keyword_text(c))

    def _uninstall(self, doc_id: str) -> None:
        old = self._docs.pop(doc_id, None)
        if old is None:
            return
        for c in old.clauses:
            self._clauses.pop(c.clause_id, None)
            self.keyword.remove(c.clause_id)

    @staticmethod
    def _validate(doc: ParsedDocument) -> None:
        seen: set[str] = set()
        for c in doc.clauses:
            if c.doc_id != doc.doc_id:
                raise BadDocument(
                    f"Điều khoản {c.clause_id} thuộc văn bản {c.doc_id}, không phải {doc.doc_id}.",
                    f"Clause {c.clause_id} belongs to {c.doc_id}, not {doc.doc_id}.",
                )
            if c.clause_id in seen:
                raise BadDocument(
                    f"Mã điều khoản bị trùng: {c.clause_id}.",
                    f"Duplicate clause id: {c.clause_id}.",
                )
            seen.add(c.clause_id)

    def _restore_dense(self, old: ParsedDocument | None, new_ids: set[str]) -> None:
        """Best effort: put Chroma back to ``old`` after a failed write (reconcile is the backstop)."""
        try:
            old_ids = {c.clause_id for c in old.clauses} if old else set()
            stray = sorted(new_ids - old_ids)
            if stray:
                self.vectors.delete_ids(stray)
            if old is not None and old.clauses:
                _, nodes = self._with_hashes(old)
                vecs, _ = self.cache.get_or_embed(self.embedder, [n.text for n in nodes])
                self.vectors.upsert(nodes, vecs)
        except Exception:  # pragma: no cover - the original error matters more
            log.exception("could not restore Chroma for %s; it will be reconciled on next start",
                          old.doc_id if old else "new document")

    # ------------------------------------------------------------------ maintenance

    def reconcile(self) -> ReconcileReport:
        """Make Chroma match the document store: drop unknown/stale ids, upsert missing ones."""
        with self._write_lock, self._state_lock:
            rep = ReconcileReport(collection_reset=self.vectors.reset)
            stored = self.vectors.hashes()
            stray = [cid for cid, (doc_id, _) in stored.items()
                     if cid not in self._clauses or self._clauses[cid].doc_id != doc_id]
            if stray:
                self.vectors.delete_ids(stray)
                rep.removed = len(stray)
            todo_nodes = []
            for doc in self._docs.values():  # clauses already carry their passage hash
                stale = [c for c in doc.clauses if stored.get(c.clause_id, ("", ""))[1] != c.text_hash]
                if stale:
                    meta = DocMeta.of(doc)
                    todo_nodes.extend(to_node(c, meta) for c in stale)
            if todo_nodes:
                log.info("reconcile: %d clause vectors missing or stale in Chroma", len(todo_nodes))
                vecs, rep.embedded_new = self.cache.get_or_embed(self.embedder, [n.text for n in todo_nodes])
                self.vectors.upsert(todo_nodes, vecs)
                rep.upserted = len(todo_nodes)
            self.vectors.reset = False
            return rep

    def close(self) -> None:
        self.cache.close()

    # ------------------------------------------------------------------ writes

    def add_document(self, doc: ParsedDocument, source_text: str) -> IndexReport:
        """Index (or re-index) one parsed document; see the module docstring for the order."""
        t0 = time.perf_counter()
        self._validate(doc)
        with self._write_lock:
            new_doc, nodes = self._with_hashes(doc)
            old = self._docs.get(doc.doc_id)
            n = len(new_doc.clauses)
            if old is not None and old.content_hash == new_doc.content_hash and asdict(old) == asdict(new_doc):
                return IndexReport(doc.doc_id, n, 0, n, 0, replaced=False, unchanged=True,
                                   seconds=time.perf_counter() - t0)

            # 1. embed (may raise; nothing written yet)
            vecs, n_new = self.cache.get_or_embed(self.embedder, [nd.text for nd in nodes])

            new_ids = {c.clause_id for c in new_doc.clauses}
            gone = sorted({c.clause_id for c in old.clauses} - new_ids) if old else []
            with self._state_lock:
                try:
                    # 2. Chroma, 3. the record
                    if nodes:
                        self.vectors.upsert(nodes, vecs)
                    if gone:
                        self.vectors.delete_ids(gone)
                    self.store.save(new_doc, source_text)
                except BaseException:
                    self._restore_dense(old, new_ids)
                    raise
                # 4. memory
                self._install(new_doc)
            return IndexReport(
                doc_id=doc.doc_id, clauses=n, embedded_new=n_new, reused=n - n_new,
                removed=len(gone), replaced=old is not None, unchanged=False,
                seconds=time.perf_counter() - t0,
            )

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document everywhere. The record goes first, so a failure after it only
        leaves stray vectors, which search ignores and reconcile removes."""
        with self._write_lock, self._state_lock:
            known = doc_id in self._docs or self.store.exists(doc_id)
            self.store.delete(doc_id)
            self._uninstall(doc_id)
            self.vectors.delete_doc(doc_id)
            return known

    # ------------------------------------------------------------------ reads

    def documents(self) -> list[ParsedDocument]:
        with self._state_lock:
            return [self._docs[d] for d in sorted(self._docs)]

    def document(self, doc_id: str) -> ParsedDocument | None:
        with self._state_lock:
            return self._docs.get(doc_id)

    def clause(self, clause_id: str) -> Clause | None:
        with self._state_lock:
            return self._clauses.get(clause_id)

    def clauses(self, doc_id: str) -> list[Clause]:
        with self._state_lock:
            doc = self._docs.get(doc_id)
            return sorted(doc.clauses, key=lambda c: c.order) if doc else []

    @property
    def doc_store(self) -> DocStore:
        """The system of record (read-only use: writes go through this class)."""
        return self.store

    def source(self, doc_id: str) -> str | None:
        """The source text clause offsets point into."""
        return self.store.source(doc_id)

    def __len__(self) -> int:
        return len(self._clauses)

    def vector_count(self) -> int:
        """Vectors in Chroma (equals ``len(self)`` once reconciled): for health checks and tests."""
        return self.vectors.count()

    # ------------------------------------------------------------------ search

    def _allowed_docs(self, doc_ids: list[str] | None, doc_types: list[str] | None) -> list[str] | None:
        """Doc ids passing the filters (doc types compared folded: "Ke hoach" == "Kế hoạch")."""
        if doc_ids is None and doc_types is None:
            return None
        ids = set(self._docs) if doc_ids is None else set(doc_ids) & set(self._docs)
        if doc_types is not None:
            wanted = {fold(t).strip() for t in doc_types}
            ids = {d for d in ids if fold(self._docs[d].header.doc_type or "").strip() in wanted}
        return sorted(ids)

    def search(
        self,
        query: str,
        k: int = 10,
        doc_ids: list[str] | None = None,
        doc_types: list[str] | None = None,
        *,
        dense_query: str | None = None,
        keyword_query: str | None = None,
    ) -> list[ScoredClause]:
        """Top-k clauses for ``query`` by fused dense + BM25 score; ties by document order.

        ``dense_query`` / ``keyword_query`` let a query-understanding step send each retriever
        its own rewrite (e.g. diacritics restored for the embedder, spelling variants for BM25);
        by default both see ``query``.
        """
        q = clean_query(query)
        if not q or k <= 0:
            return []
        dq = clean_query(dense_query) if dense_query else q
        kq = clean_query(keyword_query) if keyword_query else q
        qvec = self.embedder.embed_query(dq)  # outside the lock: the slow part
        n = max(self.candidates, k)
        w = self.dense_weight
        with self._state_lock:
            allowed_docs = self._allowed_docs(doc_ids, doc_types)
            if allowed_docs is not None and not allowed_docs:
                return []
            allowed_ids: set[str] | None = None
            if allowed_docs is not None:
                allowed_ids = {c.clause_id for d in allowed_docs for c in self._docs[d].clauses}
            where = make_where(doc_ids=allowed_docs) if allowed_docs is not None else None

            dense = {cid: s for cid, s in self.vectors.query(qvec, n, where) if cid in self._clauses
                     and (allowed_ids is None or cid in allowed_ids)}
            kw = dict(self.keyword.search(kq, n, allowed_ids))
            cands = list(dict.fromkeys([*dense, *kw]))
            if not cands:
                return []
            missing_dense = [c for c in cands if c not in dense]
            if missing_dense:
                stored = self.vectors.embeddings_for(missing_dense)
                for cid in missing_dense:
                    dense[cid] = _cosine(qvec, stored[cid]) if cid in stored else 0.0
            missing_kw = [c for c in cands if c not in kw]
            if missing_kw:
                kw.update(self.keyword.score_ids(kq, missing_kw))

            dn = _minmax({c: dense[c] for c in cands})
            kn = _minmax({c: kw.get(c, 0.0) for c in cands})
            hits = [
                ScoredClause(self._clauses[c], w * dn[c] + (1.0 - w) * kn[c], dense[c], kw.get(c, 0.0))
                for c in cands
            ]
        hits.sort(key=lambda h: (-round(h.score, 9), h.clause.doc_id, h.clause.order))
        return hits[:k]
