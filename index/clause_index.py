"""ClauseIndex: the catalog, the embedding cache, Chroma and the keyword index behind one object.

Consistency model. The catalog (:mod:`index.catalog.store`: SQLite in WAL mode) is the record of
what exists; Chroma is derived from it. The keyword postings and the diacritic restorer's counts
live in the catalog too and are written in the same transaction as the document. ``add_document``
works in this order:

1. build passages and embed every new one (through the cache) - nothing visible is written, so
   an embedder that raises leaves the previous version fully searchable;
2. upsert the new version's vectors into Chroma and delete vectors of clauses that are gone;
3. one catalog transaction: the document, its clauses, source, tasks, references, keyword
   postings and restorer counts (all or nothing).

If step 2 or 3 fails, Chroma is put back to the old version (vectors come back from the cache)
and the error propagates. Search also ignores dense hits the catalog does not know, so a stray
vector can never surface. ``tests/test_faults.py`` kills a process at each stage (see
:mod:`index.faults`) and checks this.

No corpus in memory, no read lock. Clause lookups, filters and keyword search are SQL; each
thread reads through its own connection (WAL: readers never wait for the writer), so another
process's write is visible to the next read without any reload.

Several processes. Steps 2-3 run under an exclusive ``flock`` on ``<data_dir>/write.lock``, so
writers in different processes take turns (the catalog's ``BEGIN IMMEDIATE`` would too);
embedding (step 1) happens before the lock is taken. The vectors must be shared too: several
processes need a Chroma server (``chroma_url``); the embedded store is for one process. In server
mode the collection is named after the data directory (``<data_dir>/chroma_collection``).

Start-up. Opening never drops the vector collection: one built with another embedder is refused
(:class:`index.errors.EmbedderMismatch`) until `tracuu reindex` replaces it on purpose. Reading
every vector's metadata back from Chroma to reconcile takes about a second at 10k clauses, so a
``<data_dir>/reconciled`` stamp (catalog generation, collection, embedder, passage format) is
removed before any Chroma write and put back once the write (or a reconcile) completed; a start
that finds it stale reconciles (stray vectors removed, missing ones upserted from the cache).

Search is hybrid: dense top-N from Chroma and BM25 top-N; for every candidate in the union both
scores are computed exactly (a keyword-only candidate gets its cosine from its stored vector, a
dense-only one its BM25 score), each is min-max normalised over the union, and they are fused
as ``w * dense + (1 - w) * keyword``. Linear fusion keeps "how much better" information that
reciprocal-rank fusion throws away; BM25 on folded syllables is what makes a query typed
without diacritics find the right clause.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

if TYPE_CHECKING:
    import numpy as np

from tracuu.index import faults, store_health
from tracuu.index.catalog.keyword_memory import make_keyword_index
from tracuu.index.catalog.restorer_counts import RestorerCounts
from tracuu.index.catalog.store import CatalogStore, usable_doc_id
from tracuu.index.embedders import Embedder
from tracuu.index.embedding_cache import EmbeddingCache, text_hash
from tracuu.index.errors import BadDocument, EmbedderMismatch, StoreUnwritable
from tracuu.index.passages import DocMeta, keyword_text, passage, passage_text
from tracuu.index.vector_store import COLLECTION, ChromaVectorStore, UnavailableVectors, forget_local_system, make_where
from tracuu.ingest.model import Clause, ParsedDocument
from tracuu.ingest.vntext import collapse_spaces, fold, nfc

log = logging.getLogger(__name__)


def _passage_probe() -> str:
    """Hash of a fixed clause's passage: changes when the passage format does (vectors then stale)."""
    from tracuu.ingest.model import Span

    probe = Clause(clause_id="p:1", doc_id="p", path="1", kind="khoan", label="khoản 1", marker="1.",
                   text="Nội dung thử", heading_chain=["Mục I"], parent=None, order=0,
                   span=Span(0, 1, 1, 1), references=[])
    return text_hash(passage_text(probe, DocMeta(doc_id="p", doc_type="Kế hoạch", number="1/KH", title="Thử")))[:16]


PASSAGE_PROBE = _passage_probe()

_VEC_MEMO_MAX = 50_000  # vectors kept in memory for exact dense scores (float32: ~75 MB at 384 dims)


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
    files_swept: int = 0  # temp files and unused source versions left by interrupted writes
    full: bool = True  # False: start-up found the "reconciled" stamp current and skipped the scan


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


try:  # POSIX advisory locks; elsewhere writers in one process are still serialised
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]


class _ProcessLock:
    """An exclusive ``flock`` on a file: one writer at a time across processes on this machine
    (and on shared filesystems whose locks work). The kernel drops it when a process dies, so a
    killed writer never leaves the data directory locked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


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
    """Hybrid (dense + BM25) search over the clauses of every stored document."""

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
        """``replace_vectors``: a vector collection built with another embedder is dropped and
        rebuilt (what `tracuu reindex` asks for); otherwise opening raises EmbedderMismatch.
        ``min_free_mb``: free disk below which writes are refused; ``vector_probe``: "subprocess"
        also opens the vector store in a child process at start (both from api.config.Settings)."""
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError("dense_weight must be in [0, 1]")
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.candidates = candidates
        self.min_free_mb = min_free_mb
        self._vector_probe = vector_probe
        self._write_lock = threading.Lock()  # one writer thread at a time (not held while embedding)
        self._state_lock = threading.RLock()  # short: guards Chroma writes (reads take no lock)
        self._process_lock = _ProcessLock(self.data_dir / "write.lock")  # one writer process at a time
        # database_url: a PostgreSQL catalog shared by workers (maybe on several machines);
        # None: the SQLite catalog in data_dir
        self.store = self._open_catalog(database_url)
        self.cache = EmbeddingCache(self.data_dir / "embeddings.sqlite3")
        if collection is None and chroma_url:
            shared = self.store.db.dialect != "sqlite"
            collection = catalog_collection_name(self.store) if shared else server_collection_name(self.data_dir)
        elif collection is None:
            collection = COLLECTION
        # "ok"; "rebuilt" (damage found at open: the store was moved aside and rebuilt from the
        # documents and the embedding cache); "unavailable" (dense search off, keyword only).
        self.vector_state = "ok"
        self.vector_note = ""
        self._chroma_url, self._collection = chroma_url, collection
        self._replace_vectors = replace_vectors
        self.vectors = self._open_vectors()
        self.keyword = make_keyword_index(self.store)
        self.restorer_counts = RestorerCounts(self.store.db)
        self._build_derived()
        self._vec_memo: dict[str, "np.ndarray"] = {}  # passage hash -> vector, for exact dense scores
        self._seen_generation = self.store.generation()
        self.vectors.before_write = self._mark_dirty
        self.last_reconcile = ReconcileReport(full=False)
        if not self._stamp_current():
            if store_health.check_writable(self.data_dir, self.min_free_mb) is not None or self.vector_state == "unavailable":
                log.warning("vector index not reconciled at start: the data directory takes no writes")
            else:
                try:
                    self.last_reconcile = self.reconcile()
                except Exception as exc:  # a store that fails while being rebuilt: keyword search only
                    self._vectors_failed(exc)

    def _open_catalog(self, database_url: str | None = None) -> CatalogStore:
        """The catalog; a JSON store of an older tracuu is imported by one process at a time."""
        try:
            held = self._process_lock.held()
            held.__enter__()
        except OSError:  # a read-only data dir: no lock file, and nothing will be written
            return CatalogStore(self.data_dir, db=database_url)
        try:
            return CatalogStore(self.data_dir, db=database_url)
        finally:
            held.__exit__(None, None, None)

    # ------------------------------------------------------------------ the vector store's health

    def _open_vectors(self) -> ChromaVectorStore | UnavailableVectors:
        """Open Chroma; damage found before or while opening means: move it aside, start afresh
        (reconcile then refills it from the store and the embedding cache, no re-embedding).

        Why check before opening: garbage in the HNSW files crashes the process (SIGSEGV) in
        Chroma's native code on the first query; :mod:`index.vector_check` reads them in Python.
        """
        from tracuu.index.vector_check import check_store, probe_store

        local = None if self._chroma_url else self.data_dir / "chroma"
        problem = check_store(local) if local is not None else None
        if local is not None and not problem and self._vector_probe == "subprocess":
            problem = probe_store(local)
        for attempt in range(2):
            if problem and local is not None:
                if not self._quarantine(local, problem):
                    return UnavailableVectors(self.embedder.name, self.embedder.dim, problem)
            try:
                vs = ChromaVectorStore(
                    self.data_dir, embedder_name=self.embedder.name, dim=self.embedder.dim,
                    chroma_url=self._chroma_url, collection=self._collection, replace=self._replace_vectors,
                )
                vs.count()
                return vs
            except EmbedderMismatch:
                raise  # configuration, not damage: never moved aside or dropped
            except Exception as exc:  # damaged SQLite, a bad pickle, a server that is down...
                problem = f"{type(exc).__name__}: {str(exc)[:300]}"
                if local is None or attempt:
                    break
        self.vector_state, self.vector_note = "unavailable", problem or ""
        log.error("vector index unavailable, keyword search only: %s", problem)
        return UnavailableVectors(self.embedder.name, self.embedder.dim, problem or "")

    def _quarantine(self, chroma_dir: Path, problem: str, keep: bool = True) -> bool:
        """Move a damaged store aside (kept for a human to look at unless ``keep`` is False);
        False if it cannot be moved."""
        target = chroma_dir.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}")
        forget_local_system(chroma_dir)
        try:
            chroma_dir.rename(target)
        except OSError as exc:
            self.vector_state = "unavailable"
            self.vector_note = f"{problem}; cannot move it aside ({exc.strerror or exc})"
            log.error("damaged vector index cannot be moved aside: %s", self.vector_note)
            return False
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
            return True
        self.vector_state, self.vector_note = "rebuilt", f"{problem}; moved to {target.name} and rebuilt"
        log.error("damaged vector index: %s", self.vector_note)
        (self.data_dir / "reconciled").unlink(missing_ok=True)
        return True

    def _vectors_failed(self, exc: BaseException) -> None:
        """Chroma failed while serving: keyword search carries on, /healthz says so."""
        self.vector_state = "unavailable"
        self.vector_note = f"{type(exc).__name__}: {str(exc)[:300]}"
        log.error("vector index failed, keyword search only until `tracuu reindex`: %s", self.vector_note)
        self.vectors = UnavailableVectors(self.embedder.name, self.embedder.dim, self.vector_note)
        self.vectors.before_write = self._mark_dirty

    def health(self) -> list[dict[str, str]]:
        """Reasons the index is degraded (empty: all well): vectors, embedding cache, writability."""
        reasons: list[dict[str, str]] = []
        if self.vector_state == "unavailable":
            reasons.append(store_health.reason(
                "vector_index_unavailable",
                f"Chỉ mục vectơ không dùng được ({self.vector_note}); đang tìm theo từ khóa. Chạy `tracuu reindex`.",
                f"The vector index is unavailable ({self.vector_note}); searching by keywords only. Run `tracuu reindex`."))
        elif self.vector_state == "rebuilt":
            reasons.append(store_health.reason(
                "vector_index_rebuilt",
                f"Chỉ mục vectơ bị hỏng và đã được dựng lại ({self.vector_note}).",
                f"The vector index was damaged and has been rebuilt ({self.vector_note})."))
        if self.cache.state != "ok":
            reasons.append(store_health.reason(
                f"embedding_cache_{self.cache.state}",
                f"Bộ nhớ đệm vectơ: {self.cache.note}.", f"Embedding cache: {self.cache.note}."))
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            reasons.append(store_health.reason(blocked.code, blocked.vi, blocked.en))
        return reasons

    def _check_writable(self) -> None:
        """Refuse a write up front, in both languages, when it cannot complete."""
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            raise blocked
        if self.vector_state == "unavailable":
            raise StoreUnwritable(
                f"Chỉ mục vectơ đang hỏng ({self.vector_note}); hãy chạy `tracuu reindex` trước khi nạp hay xóa tài liệu.",
                f"The vector index is damaged ({self.vector_note}); run `tracuu reindex` before adding or deleting documents.",
                code="vector_index_unavailable",
            )

    def _os_error(self, exc: OSError) -> BaseException:
        return store_health.from_os_error(self.data_dir, exc) or exc

    def rebuild_vectors(self) -> ReconcileReport:
        """``tracuu reindex``: drop the vector store and refill it from the stored clauses, with
        vectors from the embedding cache (only texts it lacks are embedded again)."""
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            raise blocked
        with self._write_lock, self._process_lock.held(), self._state_lock:
            if self._chroma_url:
                try:
                    self.vectors._client.delete_collection(self.vectors.name)  # type: ignore[union-attr]
                except Exception:  # absent, or the server is down: opening again will tell
                    pass
            else:
                local = self.data_dir / "chroma"
                if local.exists() and not self._quarantine(local, "tracuu reindex", keep=False):
                    raise store_health.read_only_error(self.data_dir, self.vector_note)
            self.vector_state, self.vector_note = "ok", ""
            self._mark_dirty()
            self.vectors = self._open_vectors()
            self.vectors.before_write = self._mark_dirty
        if self.vector_state == "unavailable":
            raise StoreUnwritable(
                f"Không dựng lại được chỉ mục vectơ: {self.vector_note}",
                f"Could not rebuild the vector index: {self.vector_note}",
                code="vector_index_unavailable",
            )
        self.vector_state, self.vector_note = "ok", ""
        return self.reconcile()

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _hashed(doc: ParsedDocument) -> ParsedDocument:
        """A copy of ``doc`` whose clauses carry the sha256 of their passage (cheap: no nodes)."""
        meta = DocMeta.of(doc)
        clauses = [replace(c, text_hash=text_hash(passage_text(c, meta))) for c in doc.clauses]
        return replace(doc, clauses=clauses)

    def _with_hashes(self, doc: ParsedDocument) -> tuple[ParsedDocument, list]:
        """A copy of ``doc`` whose clauses carry their passage hash, and its passages."""
        meta = DocMeta.of(doc)
        nodes = [passage(c, meta) for c in doc.clauses]
        # text_sha256 is taken here, from the parsed text, and never recomputed from a stored
        # file: a clause edited inside the store then no longer matches it (see DocStore.integrity).
        clauses = [replace(c, text_hash=n.metadata["text_hash"], text_sha256=text_hash(c.text))
                   for c, n in zip(doc.clauses, nodes)]
        return replace(doc, clauses=clauses), nodes

    DERIVED_MARK = "derived_built"  # catalog_meta: keyword postings and restorer counts cover every clause

    def _build_derived(self) -> None:
        """Keyword postings and restorer counts for the clauses already in the catalog, once:
        a catalog imported from a JSON store, or made before those tables existed. Later
        saves keep them in step inside their own transaction."""
        if self.store.meta(self.DERIVED_MARK) is not None or self.store.read_only:
            return
        try:
            held = self._process_lock.held()
            held.__enter__()
        except OSError:
            return
        try:
            with self.store.db.transaction():
                if self.store.meta(self.DERIVED_MARK) is not None:
                    return
                t0 = time.perf_counter()
                for doc_id in self.store.doc_ids():
                    self.keyword.remove_doc(doc_id)
                rows = self.store.keyword_rows()
                self.keyword.add_many([(cid, doc_id, keyword_text(c)) for cid, doc_id, c in rows])
                self.restorer_counts.add_texts(self.store.counted_texts())
                self.store.set_meta(self.DERIVED_MARK, "1")
                if rows:
                    log.warning("catalog: keyword postings and restorer counts built for %d clauses in %.1f s",
                                len(rows), time.perf_counter() - t0)
        finally:
            held.__exit__(None, None, None)

    def _save_record(self, doc: ParsedDocument, source_text: str, parser_version: str) -> None:
        """The record, its keyword postings and its restorer counts in one catalog transaction:
        all or nothing."""
        begin, committed = getattr(self.keyword, "begin", None), getattr(self.keyword, "committed", None)
        if begin:
            begin()
        ok = False
        try:
            with self.store.db.transaction():
                self.restorer_counts.remove_texts(self.store.counted_texts(doc.doc_id))
                self.keyword.remove_doc(doc.doc_id)
                self.store.save(doc, source_text, parser_version=parser_version)
                self.keyword.add_many([(c.clause_id, doc.doc_id, keyword_text(c)) for c in doc.clauses])
                self.restorer_counts.add_texts([c.text for c in doc.clauses])
            ok = True
        finally:
            if committed:
                committed(ok)

    def _delete_record(self, doc_id: str) -> None:
        begin, committed = getattr(self.keyword, "begin", None), getattr(self.keyword, "committed", None)
        if begin:
            begin()
        ok = False
        try:
            with self.store.db.transaction():
                self.restorer_counts.remove_texts(self.store.counted_texts(doc_id))
                self.keyword.remove_doc(doc_id)
                self.store.delete(doc_id)
            ok = True
        finally:
            if committed:
                committed(ok)

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

    @staticmethod
    def _validate(doc: ParsedDocument) -> None:
        if not usable_doc_id(doc.doc_id):
            raise BadDocument(
                f"Mã văn bản không dùng được làm tên tệp (rỗng hoặc quá dài): {doc.doc_id[:80]!r}.",
                f"The document id cannot name a file (empty or too long): {doc.doc_id[:80]!r}.",
            )
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
        else:
            self._mark_clean()  # Chroma is back to what the record says

    # ------------------------------------------------------------------ maintenance

    def reconcile(self) -> ReconcileReport:
        """Make Chroma match the document store: drop unknown/stale ids, upsert missing ones."""
        with self._write_lock, self._process_lock.held(), self._state_lock:
            rep = ReconcileReport(collection_reset=self.vectors.reset)
            rep.files_swept = self.store.sweep()
            stored = self.vectors.hashes()
            want = self.store.clause_hashes()
            stray = [cid for cid, (doc_id, _) in stored.items() if cid not in want or want[cid][0] != doc_id]
            if stray:
                self.vectors.delete_ids(stray)
                rep.removed = len(stray)
            todo_nodes = []
            stale_docs = sorted({doc_id for cid, (doc_id, h) in want.items() if stored.get(cid, ("", ""))[1] != h})
            for doc_id in stale_docs:  # clauses already carry their passage hash
                doc = self.store.get(doc_id)
                if doc is None:
                    continue
                stale = [c for c in doc.clauses if stored.get(c.clause_id, ("", ""))[1] != c.text_hash]
                if stale:
                    meta = DocMeta.of(doc)
                    todo_nodes.extend(passage(c, meta) for c in stale)
            if todo_nodes:
                log.info("reconcile: %d clause vectors missing or stale in Chroma", len(todo_nodes))
                vecs, rep.embedded_new = self.cache.get_or_embed(self.embedder, [n.text for n in todo_nodes])
                self.vectors.upsert(todo_nodes, vecs)
                rep.upserted = len(todo_nodes)
            self.vectors.reset = False
            self._mark_clean()
            return rep

    # -- the "reconciled" stamp: lets a start-up skip reading every vector's metadata back from
    #    Chroma (about a second at 10k clauses). Every write to Chroma removes it first; a write
    #    that completes, or a reconcile, puts it back naming the store generation it left. So a
    #    process that crashed mid-write, vectors written behind the index's back, another
    #    embedder, or a changed passage format all mean a full reconcile at the next start.

    def _stamp(self) -> str:
        return "|".join(map(str, (self.store.generation(), self.vectors.name, self.embedder.name,
                                  self.embedder.dim, PASSAGE_PROBE)))

    def _stamp_current(self) -> bool:
        try:
            saved = (self.data_dir / "reconciled").read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return False
        try:
            count = self.vectors.count()
        except Exception as exc:
            self._vectors_failed(exc)
            return True  # nothing to reconcile against: keyword search only
        return saved == self._stamp() and not self.vectors.reset and count == len(self)

    def _mark_dirty(self) -> None:
        (self.data_dir / "reconciled").unlink(missing_ok=True)

    def _mark_clean(self) -> None:
        path = self.data_dir / "reconciled"
        tmp = path.with_name(f".reconciled.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(self._stamp(), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:  # only costs a full reconcile at the next start
            tmp.unlink(missing_ok=True)
            log.warning("could not write %s: %s", path, exc)

    def close(self) -> None:
        self.cache.close()
        self.store.close()
        self._process_lock.close()

    # ------------------------------------------------------------------ writes

    def add_document(self, doc: ParsedDocument, source_text: str, *, parser_version: str = "") -> IndexReport:
        """Index (or re-index) one parsed document; see the module docstring for the order.
        ``parser_version`` is stored with the file's sha256: the same bytes read by the same
        parser are skipped before any work next time (see ``CatalogStore.content_known``)."""
        t0 = time.perf_counter()
        self._validate(doc)
        self._check_writable()
        new_doc, nodes = self._with_hashes(doc)
        n = len(new_doc.clauses)
        old = self.store.get(doc.doc_id, fresh=True)
        if self._same(old, new_doc) and self.store.parser_version(doc.doc_id) == parser_version:
            return IndexReport(doc.doc_id, n, 0, n, 0, replaced=False, unchanged=True,
                               seconds=time.perf_counter() - t0)

        # 1. embed (may raise; nothing written yet). Outside every write lock: other threads
        #    and processes keep writing (an unrelated delete does not wait) while this one
        #    embeds; the cache is thread-safe, and the version check below runs again.
        vecs, n_new = self.cache.get_or_embed(self.embedder, [nd.text for nd in nodes])
        faults.hit("embedded")

        new_ids = {c.clause_id for c in new_doc.clauses}
        with self._write_lock:
            with self._process_lock.held(), self._state_lock:
                old = self.store.get(doc.doc_id, fresh=True)  # another process may have written it meanwhile
                if self._same(old, new_doc) and self.store.parser_version(doc.doc_id) == parser_version:
                    return IndexReport(doc.doc_id, n, 0, n, 0, replaced=False, unchanged=True,
                                       seconds=time.perf_counter() - t0)
                gone = sorted({c.clause_id for c in old.clauses} - new_ids) if old else []
                try:
                    # 2. Chroma, 3. the record
                    if nodes:
                        self.vectors.upsert(nodes, vecs)
                    if gone:
                        self.vectors.delete_ids(gone)
                    faults.hit("chroma_written")
                    self._save_record(new_doc, source_text, parser_version)
                except OSError as exc:  # a full disk or a read-only file midway: say so in both languages
                    self._restore_dense(old, new_ids)
                    raise self._os_error(exc) from exc
                except BaseException:
                    self._restore_dense(old, new_ids)
                    raise
                faults.hit("stored")  # committed: from here on the new version is the record
                if old is not None and old.file_name != new_doc.file_name:
                    self._drop_upload(old)  # a re-upload replaced it
                self._mark_clean()
                faults.hit("installed")
            return IndexReport(
                doc_id=doc.doc_id, clauses=n, embedded_new=n_new, reused=n - n_new,
                removed=len(gone), replaced=old is not None, unchanged=False,
                seconds=time.perf_counter() - t0,
            )

    @staticmethod
    def _same(old: ParsedDocument | None, new: ParsedDocument) -> bool:
        return old is not None and old.content_hash == new.content_hash and asdict(old) == asdict(new)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document everywhere: record, source versions, vectors, keyword postings and
        the uploaded file it came from (``<data_dir>/uploads/<file_name>``, when no other
        document was read from it). The record goes first, so a failure after it only leaves
        stray vectors, which search ignores and reconcile removes."""
        self._check_writable()
        with self._write_lock, self._process_lock.held(), self._state_lock:
            doc = self.store.get(doc_id)
            known = doc is not None or self.store.exists(doc_id)
            try:
                self._delete_record(doc_id)
            except OSError as exc:
                raise self._os_error(exc) from exc
            self.vectors.delete_doc(doc_id)
            self._mark_clean()
            if doc is not None:
                self._drop_upload(doc)
            return known

    def _drop_upload(self, doc: ParsedDocument) -> None:
        """The HTTP API keeps uploads under content-derived names in ``uploads/``; delete the one
        this (deleted or replaced) version was read from, unless a stored document still is."""
        name = doc.file_name or ""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            return
        if name in self.store.file_names():
            return
        (self.data_dir / "uploads" / name).unlink(missing_ok=True)

    # ------------------------------------------------------------------ reads

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
        """Vectors in Chroma (equals ``len(self)`` once reconciled): for health checks and tests."""
        return self.vectors.count()

    # ------------------------------------------------------------------ search

    def _vectors_for(self, clauses: list[Clause]) -> dict[str, "np.ndarray"]:
        """Stored vectors of ``clauses`` by clause id: from memory, else the embedding cache
        (keyed by passage hash, so always the vector Chroma holds for that text), else Chroma."""
        import numpy as np

        out: dict[str, np.ndarray] = {}
        todo: list[Clause] = []
        for c in clauses:
            v = self._vec_memo.get(c.text_hash)
            if v is None:
                todo.append(c)
            else:
                out[c.clause_id] = v
        if todo:
            found = self.cache.get_many(self.embedder.name, [c.text_hash for c in todo])
            if len(self._vec_memo) > _VEC_MEMO_MAX:
                self._vec_memo.clear()
            rest = []
            for c in todo:
                vec = found.get(c.text_hash)
                if vec is None:
                    rest.append(c)
                    continue
                arr = np.asarray(vec, dtype=np.float32)
                self._vec_memo[c.text_hash] = arr
                out[c.clause_id] = arr
            if rest:
                try:
                    stored = self.vectors.embeddings_for([c.clause_id for c in rest])
                except Exception as exc:
                    self._vectors_failed(exc)
                    stored = {}
                for c in rest:
                    if c.clause_id in stored:
                        out[c.clause_id] = np.asarray(stored[c.clause_id], dtype=np.float32)
        return out

    def _exact_dense(self, qvec: Sequence[float], clauses: list[Clause]) -> dict[str, float]:
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

    def _allowed_docs(self, doc_ids: list[str] | None, doc_types: list[str] | None) -> list[str] | None:
        """Doc ids passing the filters (doc types compared folded: "Ke hoach" == "Kế hoạch")."""
        if doc_ids is None and doc_types is None:
            return None
        if doc_types is not None:
            return self.store.doc_ids_of_types(doc_ids, {fold(t).strip() for t in doc_types})
        return sorted(d for d in set(doc_ids or ()) if self.store.exists(d))

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
        # No lock: the catalog is read through this thread's own connection (WAL: a write in
        # progress never blocks it), and a clause deleted meanwhile simply drops out below.
        allowed_docs = self._allowed_docs(doc_ids, doc_types)
        if allowed_docs is not None and not allowed_docs:
            return []
        allowed = set(allowed_docs) if allowed_docs is not None else None
        where = make_where(doc_ids=allowed_docs) if allowed_docs is not None else None

        try:
            dense_hits = self.vectors.query(qvec, n, where)
        except Exception as exc:  # Chroma failed under us: keyword search carries this query
            self._vectors_failed(exc)
            dense_hits = []
        kw = dict(self.keyword.search(kq, n, allowed_docs))
        clauses = self.store.clauses_by_ids([*(cid for cid, _ in dense_hits), *kw])
        dense = {cid: s for cid, s in dense_hits if cid in clauses
                 and (allowed is None or clauses[cid].doc_id in allowed)}
        kw = {cid: s for cid, s in kw.items() if cid in clauses}
        cands = list(dict.fromkeys([*dense, *kw]))
        if not cands:
            return []
        missing_dense = [c for c in cands if c not in dense]
        if missing_dense:
            dense.update(self._exact_dense(qvec, [clauses[c] for c in missing_dense]))
        missing_kw = [c for c in cands if c not in kw]
        if missing_kw:
            kw.update(self.keyword.score_ids(kq, missing_kw))

        dn = _minmax({c: dense[c] for c in cands})
        kn = _minmax({c: kw.get(c, 0.0) for c in cands})
        hits = [
            ScoredClause(clauses[c], w * dn[c] + (1.0 - w) * kn[c], dense[c], kw.get(c, 0.0))
            for c in cands
        ]
        hits.sort(key=lambda h: (-round(h.score, 9), h.clause.doc_id, h.clause.order))
        return hits[:k]
