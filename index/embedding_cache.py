"""A content-addressed cache of passage vectors, in SQLite.

In the spirit of simonw/llm's ``embed-multi``: a vector is keyed by (embedder name, sha256 of the
exact text the embedder saw), so re-ingesting a document - or another document that repeats a
clause word for word - embeds only text never seen before. Embedding is by far the slowest step
(tens of passages per second on a laptop CPU); everything else in the index is rebuilt from the
document store, but vectors are worth keeping.

The cache is not "state" in the transactional sense: writing a vector that ends up unused is
harmless, so :meth:`EmbeddingCache.get_or_embed` stores new vectors as soon as they exist.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from index.embedders import Embedder

_CHUNK = 500  # keys per SELECT ... IN (...): well under SQLite's variable limit
# Texts per embedder call; each chunk is cached as soon as it is embedded, so a crash or an
# error while embedding a long document loses at most one chunk of work: the retry starts
# where it stopped.
EMBED_CHUNK = 128


def text_hash(text: str) -> str:
    """sha256 (hex) of the exact text, UTF-8. The cache key and ``Clause.text_hash``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pack(vec: Iterable[float]) -> bytes:
    return array("f", vec).tobytes()  # float32: what Chroma stores anyway


def _unpack(blob: bytes) -> list[float]:
    a = array("f")
    a.frombytes(blob)
    return a.tolist()


class EmbeddingCache:
    """Vectors by (embedder name, text sha256) in ``<data_dir>/embeddings.sqlite3``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " model TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL,"
            " vector BLOB NOT NULL, created REAL NOT NULL, PRIMARY KEY (model, hash))"
        )
        self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_many(self, model: str, hashes: list[str]) -> dict[str, list[float]]:
        """The cached vectors among ``hashes`` (missing ones are simply absent)."""
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for i in range(0, len(unique), _CHUNK):
                chunk = unique[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks})",
                    [model, *chunk],
                )
                for h, blob in rows:
                    found[h] = _unpack(blob)
        return found

    def put_many(self, model: str, items: list[tuple[str, list[float]]]) -> None:
        now = time.time()
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings (model, hash, dim, vector, created)"
                " VALUES (?, ?, ?, ?, ?)",
                [(model, h, len(v), _pack(v), now) for h, v in items],
            )
            self._db.commit()

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
            return int(
                self._db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
            )

    def get_or_embed(self, embedder: "Embedder", texts: list[str]) -> tuple[list[list[float]], int]:
        """Vectors for ``texts`` in order, and how many distinct texts had to be embedded now.

        Identical texts are embedded once, in chunks of :data:`EMBED_CHUNK`. If the embedder
        raises, the chunks finished before it stay cached (a vector is a pure function of the
        text, so keeping it is harmless) and the exception propagates (the caller has written
        nothing visible yet).
        """
        hashes = [text_hash(t) for t in texts]
        have = self.get_many(embedder.name, hashes)
        todo: dict[str, str] = {}
        for h, t in zip(hashes, texts):
            if h not in have and h not in todo:
                todo[h] = t
        new_hashes = list(todo)
        for i in range(0, len(new_hashes), EMBED_CHUNK):
            chunk = new_hashes[i : i + EMBED_CHUNK]
            vectors = embedder.embed_passages([todo[h] for h in chunk])
            if len(vectors) != len(chunk):
                raise RuntimeError(
                    f"embedder {embedder.name} returned {len(vectors)} vectors for {len(chunk)} texts"
                )
            # Round-trip through float32 now, so a vector is identical whether fresh or cached.
            fresh = [(h, _unpack(_pack(v))) for h, v in zip(chunk, vectors)]
            self.put_many(embedder.name, fresh)
            have.update(fresh)
        return [have[h] for h in hashes], len(todo)
