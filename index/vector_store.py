"""The dense side: one Chroma collection of clause vectors.

Why Chroma without its embedding function: chromadb records a default ONNX embedder and tries
to download it the moment ``add(documents=...)`` or ``query(query_texts=...)`` is called without
vectors. Every call here passes ``embeddings=`` / ``query_embeddings=``; the collection is
created with ``embedding_function=None``.

Chroma is a derived index, not the record: the catalog (:mod:`index.catalog.store`) says what
exists. The collection is stamped with the embedder's name; opened with another embedder it is
refused (:class:`index.errors.EmbedderMismatch`) unless `tracuu reindex` asks to replace it
(vectors of two models must never be compared). Constructing the store opens the client and the
collection only: no count, no scan (see :mod:`index.vector_access` for when it is checked).

What a record holds: the clause id, its vector, and only the metadata something reads back from
Chroma (:data:`VECTOR_METADATA`: the ``doc_id`` / ``doc_type`` a ``where`` filter names, the
``text_hash`` reconciliation compares). Not the passage text, not the clause's other fields:
the catalog holds those, and search never reads them here. Why (issue 12, the index-side cost of
one more document): Chroma indexes every metadata key in its SQLite and every document in a
full-text (trigram) index. With the passage and 16 keys, the index side of one more 100-clause
document wrote 15-18 MB (``chroma.sqlite3``, its rollback journal, SQLite temp files) and sent
17 MB to disk at 1k clauses, 48 MB at 100k (scattered pages of bigger b-trees); with these three
keys 2-3 MB, and 10 / 14 MB to disk (``bench/perf.py``, catalog included). Records written by an
older version keep their extra keys and text; nothing reads them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlparse

log = logging.getLogger(__name__)

COLLECTION = "tracuu_clauses"
VECTOR_METADATA = ("doc_id", "doc_type", "text_hash")  # the keys read back from Chroma (see above)
_PAGE = 1000  # ids per get() page when scanning the whole collection


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``"http://host:8000"``, ``"https://host"`` or ``"host:8000"`` -> (host, port, ssl)."""
    if "://" not in url:
        url = "http://" + url
    u = urlparse(url)
    if not u.hostname:
        raise ValueError(f"bad Chroma URL: {url!r}")
    ssl = u.scheme == "https"
    port = u.port or (443 if ssl else 8000)
    return u.hostname, port, ssl


def make_where(doc_ids: Sequence[str] | None = None, doc_types: Sequence[str] | None = None) -> dict[str, Any] | None:
    """A Chroma ``where`` filter on doc_id and/or doc_type (exact values), or None."""
    parts: list[dict[str, Any]] = []
    if doc_ids is not None:
        parts.append({"doc_id": {"$in": list(doc_ids)}})
    if doc_types is not None:
        parts.append({"doc_type": {"$in": list(doc_types)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class ChromaVectorStore:
    """Clause vectors in a cosine-space Chroma collection, local or on a server."""

    def __init__(
        self,
        data_dir: Path | None,
        *,
        embedder_name: str,
        dim: int,
        chroma_url: str | None = None,
        collection: str = COLLECTION,
        replace: bool = False,
    ) -> None:
        """``replace``: a collection built with another embedder is dropped and created afresh
        (only `tracuu reindex` asks for that); otherwise it raises :class:`EmbedderMismatch`."""
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if chroma_url:
            host, port, ssl = parse_chroma_url(chroma_url)
            self._client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
        else:
            if data_dir is None:
                raise ValueError("data_dir is required without chroma_url")
            path = Path(data_dir) / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=settings)
        self.name = collection
        self.embedder_name = embedder_name
        self.dim = dim
        self.reset = False  # True when an existing collection of another embedder was dropped (replace=True)
        self._replace = replace
        self.before_write: Callable[[], None] | None = None  # called before every write (the index's dirty flag)
        self._col = self._open()

    def _create(self) -> Any:
        return self._client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder_name, "dim": self.dim},
        )

    def _open(self) -> Any:
        col = self._create()
        md = col.metadata or {}
        if md.get("embedder") != self.embedder_name or md.get("dim") != self.dim:
            if not self._replace:
                from tracuu.index.errors import EmbedderMismatch

                raise EmbedderMismatch(
                    f"Chỉ mục vectơ '{self.name}' được tạo bằng mô hình {md.get('embedder')} ({md.get('dim')} chiều), "
                    f"không phải {self.embedder_name} ({self.dim} chiều). Hãy dùng lại mô hình cũ, hoặc chạy "
                    "`tracuu reindex` để dựng lại chỉ mục bằng mô hình mới; không có gì bị xóa.",
                    f"The vector index '{self.name}' was built with {md.get('embedder')} (dim {md.get('dim')}), "
                    f"not {self.embedder_name} (dim {self.dim}). Use that model again, or run `tracuu reindex` "
                    "to rebuild the index with the new one; nothing was deleted.")
            log.warning(
                "Chroma collection %s was built with %s (dim %s); rebuilding for %s (dim %s)",
                self.name, md.get("embedder"), md.get("dim"), self.embedder_name, self.dim,
            )
            self._client.delete_collection(self.name)
            col = self._create()
            self.reset = True
        return col

    # ------------------------------------------------------------------ writes

    def upsert(self, nodes: Sequence[Any], embeddings: Sequence[Sequence[float]]) -> None:
        """Store passages' vectors (ids = node ids) with the metadata of :data:`VECTOR_METADATA`
        only; no text (see the module docstring)."""
        if len(nodes) != len(embeddings):
            raise ValueError("one embedding per node")
        self._writing()
        step = max(1, min(self._client.get_max_batch_size(), 2000))
        for i in range(0, len(nodes), step):
            batch = nodes[i : i + step]
            self._col.upsert(
                ids=[n.node_id for n in batch],
                embeddings=[list(map(float, e)) for e in embeddings[i : i + step]],
                metadatas=[{k: n.metadata[k] for k in VECTOR_METADATA} for n in batch],
            )

    def _writing(self) -> None:
        if self.before_write is not None:
            self.before_write()

    def delete_ids(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        self._writing()
        step = max(1, min(self._client.get_max_batch_size(), 2000))
        for i in range(0, len(ids), step):
            self._col.delete(ids=ids[i : i + step])

    def delete_doc(self, doc_id: str) -> None:
        self._writing()
        self._col.delete(where={"doc_id": doc_id})

    # ------------------------------------------------------------------ reads

    def warm(self) -> None:
        """Load the collection's index into memory now (a local store loads it on first use), so
        a later query does not wait for it. Reads only: a one-result query of a unit vector, whose
        answer is dropped. Why a query and not a count, which loads it too: Chroma holds the GIL
        through a count (measured: 3% of it left to other threads while it loads 100k vectors) but
        releases it through a query (over half), and a background load must not stop the caller."""
        probe = [0.0] * self.dim
        probe[0] = 1.0
        self._col.query(query_embeddings=[probe], n_results=1, include=[])

    def count(self) -> int:
        return int(self._col.count())

    def ids_for_doc(self, doc_id: str) -> list[str]:
        return list(self._col.get(where={"doc_id": doc_id}, include=[])["ids"])

    def hashes(self) -> dict[str, tuple[str, str]]:
        """Every stored id -> (doc_id, text_hash): what reconciliation compares to the record."""
        out: dict[str, tuple[str, str]] = {}
        offset = 0
        while True:
            got = self._col.get(include=["metadatas"], limit=_PAGE, offset=offset)
            ids = got["ids"]
            for cid, md in zip(ids, got["metadatas"] or [{}] * len(ids)):
                md = md or {}
                out[cid] = (str(md.get("doc_id", "")), str(md.get("text_hash", "")))
            if len(ids) < _PAGE:
                return out
            offset += _PAGE

    def hashes_for_doc(self, doc_id: str) -> dict[str, tuple[str, str]]:
        """The stored ids of one document -> (doc_id, text_hash): a repair limited to it."""
        got = self._col.get(where={"doc_id": doc_id}, include=["metadatas"])
        ids = got["ids"]
        return {cid: (str((md or {}).get("doc_id", "")), str((md or {}).get("text_hash", "")))
                for cid, md in zip(ids, got["metadatas"] or [{}] * len(ids))}

    def embeddings_for(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors by id (missing ids absent): dense scores for keyword-only candidates."""
        if not ids:
            return {}
        got = self._col.get(ids=list(ids), include=["embeddings"])
        embs = got["embeddings"]
        if embs is None:
            return {}
        return {cid: [float(x) for x in e] for cid, e in zip(got["ids"], embs)}

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, cosine similarity), best first.

        No ``count()`` first: Chroma 1.x answers fewer than ``k`` (or none) by itself, and a
        count costs as much as the query on a 10k-clause collection.
        """
        if k <= 0:
            return []
        res = self._col.query(
            query_embeddings=[list(map(float, vector))],
            n_results=k,
            where=where,
            include=["distances"],
        )
        ids = res["ids"][0] if res["ids"] else []
        dists = res["distances"][0] if res.get("distances") else []
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists)]


class UnavailableVectors:
    """Stands in for Chroma when it cannot be opened: no dense hits, no writes.

    Why not fail: the document store and the keyword index are intact, so search keeps working
    by keywords (and dense scores of keyword candidates still come from the embedding cache);
    ``/healthz`` reports the store degraded and writes are refused until ``tracuu reindex``.
    """

    def __init__(self, embedder_name: str, dim: int, reason: str) -> None:
        self.name = "unavailable"
        self.embedder_name = embedder_name
        self.dim = dim
        self.reason = reason
        self.reset = False
        self.before_write: Callable[[], None] | None = None

    def _refuse(self, *_: Any, **__: Any) -> None:
        raise RuntimeError(f"vector index unavailable: {self.reason}")

    upsert = delete_ids = delete_doc = _refuse

    def count(self) -> int:
        return 0

    def ids_for_doc(self, doc_id: str) -> list[str]:  # noqa: ARG002
        return []

    def hashes(self) -> dict[str, tuple[str, str]]:
        return {}

    def hashes_for_doc(self, doc_id: str) -> dict[str, tuple[str, str]]:  # noqa: ARG002
        return {}

    def embeddings_for(self, ids: Sequence[str]) -> dict[str, list[float]]:  # noqa: ARG002
        return {}

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:  # noqa: ARG002
        return []


def forget_local_system(chroma_dir: Path) -> None:
    """Close Chroma's cached client for ``chroma_dir`` in this process.

    Why: chromadb shares one "system" per persist directory for the life of the process. After
    a damaged store is moved aside, a new client for the same path would otherwise get the old
    system back, still holding the moved files open, and write into them.
    """
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:  # pragma: no cover
        return
    for key in {str(chroma_dir), str(Path(chroma_dir).resolve())}:
        system = SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
        if system is not None:
            try:
                system.stop()
            except Exception:  # already half broken: it is being discarded anyway
                log.warning("could not stop the Chroma system for %s cleanly", key)
