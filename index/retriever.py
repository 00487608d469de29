"""The read side of the index: hybrid (dense + keyword) search over the catalog's clauses.

Why its own piece: reading takes no lock and writes nothing, and keeping it apart from the writer
(:mod:`index.index_writer`) makes that visible. Every read goes to the catalog through this
thread's own connection (WAL: a write in progress never blocks it) and to Chroma; a clause
deleted meanwhile simply drops out.

Fusion: dense top-N from Chroma and BM25 top-N; for every candidate in the union both scores are
computed exactly (a keyword-only candidate gets its cosine from its stored vector, a dense-only
one its BM25 score), each is min-max normalised over the union, and they are fused as
``w * dense + (1 - w) * keyword``. Linear fusion keeps "how much better" information that
reciprocal-rank fusion throws away; BM25 on folded syllables is what makes a query typed
without diacritics find the right clause.

Memory: the stored vectors of keyword-only candidates come from the embedding cache (SQLite);
a small in-process memo (``VEC_MEMO_MAX`` vectors) saves re-reading the frequent ones.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from tracuu.index.embedders import Embedder
from tracuu.index.embedding_cache import EmbeddingCache
from tracuu.index.errors import EmbedderMismatch
from tracuu.index.vector_access import VectorAccess
from tracuu.index.vector_store import make_where
from tracuu.ingest.model import Clause
from tracuu.ingest.vntext import collapse_spaces, fold, nfc

if TYPE_CHECKING:
    import numpy as np
    from tracuu.index.catalog.store import CatalogStore

VEC_MEMO_MAX = 4_096  # vectors kept in memory for exact dense scores (float32, 384 dims: ~6 MB)


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


def minmax(values: dict[str, float]) -> dict[str, float]:
    """Scale to [0, 1] over the candidates; all-equal -> 1.0 (or 0.0 if all are <= 0)."""
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi - lo < 1e-12:
        flat = 1.0 if hi > 0 else 0.0
        return {k: flat for k in values}
    return {k: (v - lo) / (hi - lo) for k, v in values.items()}


class Retriever:
    """Search: dense and keyword candidates, exact scores for both, linear fusion."""

    def __init__(self, store: Callable[[], "CatalogStore"], keyword: Callable[[], Any], vectors: VectorAccess,
                 cache: Callable[[], EmbeddingCache], embedder: Embedder, *, dense_weight: float = 0.5,
                 candidates: int = 50) -> None:
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError("dense_weight must be in [0, 1]")
        self._store, self._keyword, self._cache = store, keyword, cache
        self.vectors = vectors
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.candidates = candidates
        self._vec_memo: OrderedDict[str, "np.ndarray"] = OrderedDict()  # passage hash -> vector (LRU)

    def _vectors_for(self, clauses: list[Clause]) -> dict[str, "np.ndarray"]:
        """Stored vectors of ``clauses`` by clause id: from memory, else the embedding cache
        (keyed by passage hash, so always the vector Chroma holds for that text), else Chroma."""
        import numpy as np

        out: dict[str, np.ndarray] = {}
        todo: list[Clause] = []
        memo = self._vec_memo
        for c in clauses:
            v = memo.get(c.text_hash)
            if v is None:
                todo.append(c)
            else:
                memo.move_to_end(c.text_hash)
                out[c.clause_id] = v
        if todo:
            found = self._cache().get_many(self.embedder.name, [c.text_hash for c in todo])
            rest = []
            for c in todo:
                vec = found.get(c.text_hash)
                if vec is None:
                    rest.append(c)
                    continue
                arr = np.asarray(vec, dtype=np.float32)
                memo[c.text_hash] = arr
                out[c.clause_id] = arr
            while len(memo) > VEC_MEMO_MAX:
                memo.popitem(last=False)
            if rest:
                try:
                    stored = self.vectors.get().embeddings_for([c.clause_id for c in rest])
                except Exception as exc:
                    self.vectors.failed(exc)
                    stored = {}
                for c in rest:
                    if c.clause_id in stored:
                        out[c.clause_id] = np.asarray(stored[c.clause_id], dtype=np.float32)
        return out

    def exact_dense(self, qvec: Sequence[float], clauses: list[Clause]) -> dict[str, float]:
        """Cosine of the query with each clause's stored vector (0.0 when it has none)."""
        import numpy as np

        vecs = self._vectors_for(clauses)
        out = {c.clause_id: 0.0 for c in clauses}
        have = [c.clause_id for c in clauses if c.clause_id in vecs]
        if not have:
            return out
        q = np.asarray(qvec, dtype=np.float64)
        m = np.stack([vecs[cid] for cid in have]).astype(np.float64)
        norms = np.linalg.norm(m, axis=1) * float(np.linalg.norm(q))
        sims = np.divide(m @ q, norms, out=np.zeros(len(have)), where=norms > 0)
        out.update(zip(have, map(float, sims)))
        return out

    def allowed_docs(self, doc_ids: list[str] | None, doc_types: list[str] | None) -> list[str] | None:
        """Doc ids passing the filters (doc types compared folded: "Ke hoach" == "Kế hoạch")."""
        if doc_ids is None and doc_types is None:
            return None
        store = self._store()
        if doc_types is not None:
            return store.doc_ids_of_types(doc_ids, {fold(t).strip() for t in doc_types})
        return sorted(d for d in set(doc_ids or ()) if store.exists(d))

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
        qvec = self.embedder.embed_query(dq)  # the slow part
        n = max(self.candidates, k)
        w = self.dense_weight
        store, keyword = self._store(), self._keyword()
        allowed_docs = self.allowed_docs(doc_ids, doc_types)
        if allowed_docs is not None and not allowed_docs:
            return []
        allowed = set(allowed_docs) if allowed_docs is not None else None
        where = make_where(doc_ids=allowed_docs) if allowed_docs is not None else None

        # Keyword candidates first: a vector store still opening in the background (``tracuu
        # search``: VectorAccess.prefetch) loads its index meanwhile. Both are reads; the order
        # changes no result.
        kw = dict(keyword.search(kq, n, allowed_docs))
        try:
            dense_hits = self.vectors.get().query(qvec, n, where)
        except EmbedderMismatch:
            raise  # configuration: said in both languages, never hidden behind keyword search
        except Exception as exc:  # Chroma failed under us: keyword search carries this query
            self.vectors.failed(exc)
            dense_hits = []
        clauses = store.clauses_by_ids([*(cid for cid, _ in dense_hits), *kw])
        dense = {cid: s for cid, s in dense_hits if cid in clauses
                 and (allowed is None or clauses[cid].doc_id in allowed)}
        kw = {cid: s for cid, s in kw.items() if cid in clauses}
        cands = list(dict.fromkeys([*dense, *kw]))
        if not cands:
            return []
        missing_dense = [c for c in cands if c not in dense]
        if missing_dense:
            dense.update(self.exact_dense(qvec, [clauses[c] for c in missing_dense]))
        missing_kw = [c for c in cands if c not in kw]
        if missing_kw:
            kw.update(keyword.score_ids(kq, missing_kw))

        dn = minmax({c: dense[c] for c in cands})
        kn = minmax({c: kw.get(c, 0.0) for c in cands})
        hits = [
            ScoredClause(clauses[c], w * dn[c] + (1.0 - w) * kn[c], dense[c], kw.get(c, 0.0))
            for c in cands
        ]
        hits.sort(key=lambda h: (-round(h.score, 9), h.clause.doc_id, h.clause.order))
        return hits[:k]
