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

from tracuu.index.sql_lists import chunks, marks

if TYPE_CHECKING:
    from tracuu.index.embedders import Embedder

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


def _is_damage(exc: BaseException) -> bool:
    """A damaged database (as opposed to one we may not write)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError) or any(
        w in text for w in ("not a database", "malformed", "quick_check", "corrupt", "no such table", "no such column"))


def _unpack(blob: bytes) -> list[float]:
    a = array("f")
    a.frombytes(blob)
    return a.tolist()


class EmbeddingCache:
    """Vectors by (embedder name, text sha256) in ``<data_dir>/embeddings.sqlite3``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        # "ok"; "rebuilt" (a damaged file was moved aside and a new one started); "read_only"
        # (reads only); "memory" (nothing usable on disk: vectors kept for this process only).
        self.state = "ok"
        self.note = ""  # what happened, for /healthz
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        """Open (or create) the cache; a damaged file is moved aside, a read-only one read only.

        Why so forgiving: the cache only saves embedding time - every vector in it can be
        computed again - so it must never be the reason a search or an ingest fails.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
        try:
            return self._connect(self.path)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                return self._fallback_read_only(exc)
            moved = self._move_aside(exc)
            if moved:
                try:
                    return self._connect(self.path)
                except sqlite3.Error as again:
                    exc = again
            self.state, self.note = "memory", f"{self.path.name}: {exc}; vectors are cached in memory only"
            return self._connect(Path(":memory:"))

    def _connect(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), check_same_thread=False)
        try:
            if str(path) != ":memory:":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL,"
                " vector BLOB NOT NULL, created REAL NOT NULL, PRIMARY KEY (model, hash))"
            )
            db.commit()
            # No PRAGMA quick_check here: it reads the whole file (half a second at 100k vectors)
            # at every start. A file that is not a database fails right here; damage deeper in it
            # fails the read that meets it, which is then a cache miss (state "damaged").
            db.execute("SELECT model, hash, dim, vector, created FROM embeddings LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self, exc: BaseException) -> bool:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        try:
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    src.rename(src.with_name(f"{src.name}.damaged-{stamp}"))
        except OSError:
            return False
        self.state, self.note = "rebuilt", f"{self.path.name} was damaged ({exc}); moved aside, starting empty"
        return True

    def _fallback_read_only(self, exc: BaseException) -> sqlite3.Connection:
        """A cache we may not write (read-only data dir): read it as it is, or keep vectors in memory."""
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            db.execute("SELECT model, hash, dim, vector, created FROM embeddings LIMIT 1").fetchall()
            self.state, self.note = "read_only", f"{self.path.name} is read-only ({exc})"
            return db
        except sqlite3.Error:
            self.state, self.note = "memory", f"{self.path.name} cannot be opened ({exc}); vectors are cached in memory only"
            return self._connect(Path(":memory:"))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_many(self, model: str, hashes: list[str]) -> dict[str, list[float]]:
        """The cached vectors among ``hashes`` (missing ones are simply absent)."""
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            try:
                for chunk in chunks(unique, _CHUNK):
                    rows = self._db.execute(
                        f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks(len(chunk))})",
                        [model, *chunk],
                    )
                    for h, blob in rows:
                        found[h] = _unpack(blob)
            except sqlite3.Error as exc:  # damaged since it was opened: a miss, not a failure
                self.note = f"{self.path.name}: {exc}"
                self.state = "damaged"
        return found

    def put_many(self, model: str, items: list[tuple[str, list[float]]]) -> None:
        now = time.time()
        with self._lock:
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO embeddings (model, hash, dim, vector, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(model, h, len(v), _pack(v), now) for h, v in items],
                )
                self._db.commit()
            except sqlite3.Error as exc:  # read-only, full or damaged: the vectors are still returned
                try:
                    self._db.rollback()
                except sqlite3.Error:
                    pass
                if self.state == "ok":
                    self.state = "damaged" if _is_damage(exc) else "read_only"
                self.note = f"{self.path.name}: cannot store vectors ({exc})"

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
