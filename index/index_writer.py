"""The write side of the index: add and delete documents, repair cut-short writes, reindex.

Consistency model. The catalog (:mod:`index.catalog.store`: SQLite in WAL mode) is the record of
what exists; Chroma is derived from it. The keyword postings and the diacritic restorer's counts
live in the catalog too and are written in the same transaction as the document.
``add_document`` works in this order:

1. build passages and embed every new one (through the cache) - nothing visible is written, so
   an embedder that raises leaves the previous version fully searchable;
2. (under the write locks) repair any write a crash cut short (:meth:`IndexWriter.recover`), then
   commit a write-ahead marker for this document in the catalog (:mod:`index.vector_access`);
3. upsert the new version's vectors into Chroma and delete vectors of clauses that are gone;
4. one catalog transaction: the document, its clauses, source, tasks, references, keyword
   postings, restorer counts, and the removal of the marker (all or nothing).

If step 3 or 4 fails, Chroma is put back to the old version (vectors come back from the cache),
the marker is removed once that succeeded (else the store is checked and the marker stays for the
next write to repair) and the error propagates. Search also ignores dense hits the catalog does
not know, so a stray vector can never surface. ``tests/test_faults.py`` kills a process at each
stage (see :mod:`index.faults`) and checks this. A delete removes the record and commits its
marker in one transaction, then the vectors, then the marker.

Several processes. Steps 2-4 run under an exclusive ``flock`` on ``<data_dir>/write.lock``, so
writers in different processes take turns; embedding (step 1) happens before the lock is taken.
The vectors must be shared too: several processes need a Chroma server (``chroma_url``); the
embedded store is for one process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from tracuu.index import faults, store_health
from tracuu.index.catalog.store import usable_doc_id
from tracuu.index.embedders import Embedder
from tracuu.index.embedding_cache import EmbeddingCache, text_hash
from tracuu.index.errors import BadDocument, StoreUnwritable
from tracuu.index.passages import DocMeta, keyword_text, passage, passage_text
from tracuu.index.vector_access import ALL, VectorAccess
from tracuu.ingest.model import Clause, ParsedDocument

if TYPE_CHECKING:
    from tracuu.index.catalog.restorer_counts import RestorerCounts
    from tracuu.index.catalog.store import CatalogStore

log = logging.getLogger(__name__)


def _passage_probe() -> str:
    """Hash of a fixed clause's passage: changes when the passage format does (vectors then stale)."""
    from tracuu.ingest.model import Span

    probe = Clause(clause_id="p:1", doc_id="p", path="1", kind="khoan", label="khoản 1", marker="1.",
                   text="Nội dung thử", heading_chain=["Mục I"], parent=None, order=0,
                   span=Span(0, 1, 1, 1), references=[])
    return text_hash(passage_text(probe, DocMeta(doc_id="p", doc_type="Kế hoạch", number="1/KH", title="Thử")))[:16]


PASSAGE_PROBE = _passage_probe()


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
    """What a repair found: stray vectors removed, missing/stale vectors re-upserted."""

    removed: int = 0
    upserted: int = 0
    embedded_new: int = 0
    collection_reset: bool = False
    files_swept: int = 0  # temp files and unused source versions left by interrupted writes
    full: bool = True  # False: only the documents named by write-ahead markers were compared
    docs: list[str] | None = None  # those documents (None: a full reconcile, or nothing to do)


try:  # POSIX advisory locks; elsewhere writers in one process are still serialised
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]


class ProcessLock:
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


def with_hashes(doc: ParsedDocument) -> tuple[ParsedDocument, list]:
    """A copy of ``doc`` whose clauses carry their passage hash, and its passages."""
    meta = DocMeta.of(doc)
    nodes = [passage(c, meta) for c in doc.clauses]
    # text_sha256 is taken here, from the parsed text, and never recomputed from a stored
    # file: a clause edited inside the store then no longer matches it (see DocStore.integrity).
    clauses = [replace(c, text_hash=n.metadata["text_hash"], text_sha256=text_hash(c.text))
               for c, n in zip(doc.clauses, nodes)]
    return replace(doc, clauses=clauses), nodes


def validate(doc: ParsedDocument) -> None:
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


class IndexWriter:
    """Every write to the record, the keyword postings, the restorer counts and the vectors."""

    def __init__(self, data_dir: Path, store: Callable[[], "CatalogStore"], keyword: Callable[[], Any],
                 restorer_counts: Callable[[], "RestorerCounts"], cache: Callable[[], EmbeddingCache],
                 vectors: VectorAccess, embedder: Embedder, process_lock: ProcessLock,
                 min_free_mb: int = store_health.DEFAULT_MIN_FREE_MB) -> None:
        self.data_dir = data_dir
        self.min_free_mb = min_free_mb  # free disk below which writes are refused
        self._store, self._keyword, self._counts, self._cache = store, keyword, restorer_counts, cache
        self.vectors = vectors
        self.embedder = embedder
        self.process_lock = process_lock
        self.write_lock = threading.Lock()  # one writer thread at a time (not held while embedding)
        self.last_reconcile = ReconcileReport(full=False)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self.write_lock, self.process_lock.held():
            yield

    # ------------------------------------------------------------------ checks before a write

    def check_writable(self) -> None:
        """Refuse a write up front, in both languages, when it cannot complete."""
        self._store()  # opened (the data dir made) before it is probed
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            raise blocked
        self.vectors.get()
        if not self.vectors.usable:
            raise StoreUnwritable(
                f"Chỉ mục vectơ đang hỏng ({self.vectors.note}); hãy chạy `tracuu reindex` trước khi nạp hay xóa tài liệu.",
                f"The vector index is damaged ({self.vectors.note}); run `tracuu reindex` before adding or deleting documents.",
                code="vector_index_unavailable",
            )

    def os_error(self, exc: OSError) -> BaseException:
        return store_health.from_os_error(self.data_dir, exc) or exc

    # ------------------------------------------------------------------ writes

    def add_document(self, doc: ParsedDocument, source_text: str, *, parser_version: str = "") -> IndexReport:
        """Index (or re-index) one parsed document; see the module docstring for the order.
        ``parser_version`` is stored with the file's sha256: the same bytes read by the same
        parser are skipped before any work next time (see ``CatalogStore.content_known``)."""
        t0 = time.perf_counter()
        validate(doc)
        self.check_writable()
        store = self._store()
        new_doc, nodes = with_hashes(doc)
        n = len(new_doc.clauses)
        old = store.get(doc.doc_id, fresh=True)
        if self._same(old, new_doc) and store.parser_version(doc.doc_id) == parser_version:
            return IndexReport(doc.doc_id, n, 0, n, 0, replaced=False, unchanged=True,
                               seconds=time.perf_counter() - t0)

        # 1. embed (may raise; nothing written yet). Outside every write lock: other threads
        #    and processes keep writing while this one embeds; the cache is thread-safe, and the
        #    version check below runs again.
        vecs, n_new = self._cache().get_or_embed(self.embedder, [nd.text for nd in nodes])
        faults.hit("embedded")

        new_ids = {c.clause_id for c in new_doc.clauses}
        with self.locked():
            self._recover_locked()
            old = store.get(doc.doc_id, fresh=True)  # another process may have written it meanwhile
            if self._same(old, new_doc) and store.parser_version(doc.doc_id) == parser_version:
                return IndexReport(doc.doc_id, n, 0, n, 0, replaced=False, unchanged=True,
                                   seconds=time.perf_counter() - t0)
            gone = sorted({c.clause_id for c in old.clauses} - new_ids) if old else []
            vs = self.vectors.get()
            try:
                self.vectors.mark(doc.doc_id)  # 2. the write-ahead marker
                # 3. Chroma, 4. the record (and the marker's removal)
                if nodes:
                    vs.upsert(nodes, vecs)
                if gone:
                    vs.delete_ids(gone)
                faults.hit("chroma_written")
                self._save_record(new_doc, source_text, parser_version)
            except OSError as exc:  # a full disk or a read-only file midway: say so in both languages
                self._restore_dense(doc.doc_id, old, new_ids)
                raise self.os_error(exc) from exc
            except BaseException:
                self._restore_dense(doc.doc_id, old, new_ids)
                raise
            faults.hit("stored")  # committed: from here on the new version is the record
            self.vectors.record_files()
            if old is not None and old.file_name != new_doc.file_name:
                self._drop_upload(old)  # a re-upload replaced it
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
        document was read from it). The record goes first (with its write-ahead marker), so a
        failure after it only leaves stray vectors, which search ignores and the next write removes."""
        self.check_writable()
        store = self._store()
        with self.locked():
            self._recover_locked()
            doc = store.get(doc_id)
            known = doc is not None or store.exists(doc_id)
            try:
                self._delete_record(doc_id)
            except OSError as exc:
                raise self.os_error(exc) from exc
            self.vectors.get().delete_doc(doc_id)
            with store.db.transaction():
                self.vectors.clear([doc_id])
            self.vectors.record_files()
            if doc is not None:
                self._drop_upload(doc)
            return known

    def _drop_upload(self, doc: ParsedDocument) -> None:
        """The HTTP API keeps uploads under content-derived names in ``uploads/``; delete the one
        this (deleted or replaced) version was read from, unless a stored document still is."""
        name = doc.file_name or ""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            return
        if name in self._store().file_names():
            return
        (self.data_dir / "uploads" / name).unlink(missing_ok=True)

    def _save_record(self, doc: ParsedDocument, source_text: str, parser_version: str) -> None:
        """The record, its keyword postings, its restorer counts and the removal of its
        write-ahead marker in one catalog transaction: all or nothing."""
        with self._record_write(doc.doc_id) as (keyword, counts, store):
            store.save(doc, source_text, parser_version=parser_version)
            keyword.add_many([(c.clause_id, doc.doc_id, keyword_text(c)) for c in doc.clauses])
            counts.add_texts([c.text for c in doc.clauses])
            self.vectors.clear([doc.doc_id])

    def _delete_record(self, doc_id: str) -> None:
        with self._record_write(doc_id) as (_, _, store):
            store.delete(doc_id)
            self.vectors.mark(doc_id)  # committed with the delete: stray vectors get removed

    @contextlib.contextmanager
    def _record_write(self, doc_id: str) -> Iterator[tuple[Any, Any, Any]]:
        """One catalog transaction over a document's record, postings and restorer counts, its
        old postings and counts already taken out; a keyword index that keeps state outside the
        catalog (``begin``/``committed``) is told whether the transaction committed."""
        keyword, counts, store = self._keyword(), self._counts(), self._store()
        begin, committed = getattr(keyword, "begin", None), getattr(keyword, "committed", None)
        if begin:
            begin()
        ok = False
        try:
            with store.db.transaction():
                counts.remove_texts(store.counted_texts(doc_id))
                keyword.remove_doc(doc_id)
                yield keyword, counts, store
            ok = True
        finally:
            if committed:
                committed(ok)

    def _restore_dense(self, doc_id: str, old: ParsedDocument | None, new_ids: set[str]) -> None:
        """Best effort: put Chroma back to ``old`` after a failed write; the marker stays (and
        the store is checked) when that fails too."""
        try:
            vs = self.vectors.get()
            old_ids = {c.clause_id for c in old.clauses} if old else set()
            stray = sorted(new_ids - old_ids)
            if stray:
                vs.delete_ids(stray)
            if old is not None and old.clauses:
                _, nodes = with_hashes(old)
                vecs, _ = self._cache().get_or_embed(self.embedder, [n.text for n in nodes])
                vs.upsert(nodes, vecs)
        except Exception:  # pragma: no cover - the original error matters more
            log.exception("could not restore Chroma for %s; the next write repairs it", doc_id)
            self.vectors.after_failed_write()
            return
        try:
            with self._store().db.transaction():  # Chroma is back to what the record says
                self.vectors.clear([doc_id])
            self.vectors.record_files()
        except Exception:  # pragma: no cover - the marker only costs a repair later
            log.warning("could not clear the write-ahead marker after a restore")

    # ------------------------------------------------------------------ repair

    def recover(self) -> ReconcileReport | None:
        """Repair what write-ahead markers name (None: there were none)."""
        with self.locked():
            return self._recover_locked()

    def _recover_locked(self) -> ReconcileReport | None:
        pending = self.vectors.pending()
        if not pending:
            return None
        problem = self.vectors.check()
        if problem:
            self.vectors.damaged(problem)
            raise StoreUnwritable(
                f"Chỉ mục vectơ hỏng sau một lần ghi bị ngắt ({problem}); hãy chạy `tracuu reindex`.",
                f"The vector index is damaged after an interrupted write ({problem}); run `tracuu reindex`.",
                code="vector_index_damaged",
            )
        log.warning("repairing vector writes cut short: %s", ", ".join(pending[:10]))
        rep = self._reconcile_locked(None if ALL in pending else pending)
        self.last_reconcile = rep
        return rep

    def reconcile(self, doc_ids: list[str] | None = None) -> ReconcileReport:
        """Make Chroma match the catalog (for ``doc_ids``, or everything): drop unknown/stale
        ids, upsert missing ones from the embedding cache; clears the markers it covered."""
        with self.locked():
            rep = self._reconcile_locked(doc_ids)
            self.last_reconcile = rep
            return rep

    def _reconcile_locked(self, doc_ids: list[str] | None) -> ReconcileReport:
        store, cache = self._store(), self._cache()
        vs = self.vectors.get()
        rep = ReconcileReport(collection_reset=vs.reset, full=doc_ids is None,
                              docs=sorted(doc_ids) if doc_ids is not None else None)
        rep.files_swept = store.sweep()
        if doc_ids is None:
            stored = vs.hashes()
            want = store.clause_hashes()
        else:
            stored, want = {}, {}
            for doc_id in doc_ids:
                stored.update(vs.hashes_for_doc(doc_id))
                want.update({c.clause_id: (doc_id, c.text_hash) for c in store.clauses_of(doc_id)})
        stray = [cid for cid, (doc_id, _) in stored.items() if cid not in want or want[cid][0] != doc_id]
        if stray:
            vs.delete_ids(stray)
            rep.removed = len(stray)
        todo_nodes = []
        stale_docs = sorted({doc_id for cid, (doc_id, h) in want.items() if stored.get(cid, ("", ""))[1] != h})
        for doc_id in stale_docs:  # clauses already carry their passage hash
            doc = store.get(doc_id)
            if doc is None:
                continue
            stale = [c for c in doc.clauses if stored.get(c.clause_id, ("", ""))[1] != c.text_hash]
            if stale:
                meta = DocMeta.of(doc)
                todo_nodes.extend(passage(c, meta) for c in stale)
        if todo_nodes:
            log.info("reconcile: %d clause vectors missing or stale in Chroma", len(todo_nodes))
            vecs, rep.embedded_new = cache.get_or_embed(self.embedder, [n.text for n in todo_nodes])
            vs.upsert(todo_nodes, vecs)
            rep.upserted = len(todo_nodes)
        vs.reset = False
        with store.db.transaction():
            self.vectors.clear(None if doc_ids is None else [*doc_ids])
        self.vectors.record_files()
        return rep

    def rebuild_vectors(self) -> ReconcileReport:
        """``tracuu reindex``: drop the vector store and refill it from the stored clauses, with
        vectors from the embedding cache (only texts it lacks are embedded again)."""
        blocked = store_health.check_writable(self.data_dir, self.min_free_mb)
        if blocked is not None:
            raise blocked
        with self.locked():
            if self.vectors.chroma_url:
                try:
                    vs = self.vectors.get()
                    vs._client.delete_collection(vs.name)  # type: ignore[union-attr]
                except Exception:  # absent, damaged or the server is down: opening again will tell
                    pass
            elif not self.vectors.quarantine(keep=False):
                raise store_health.read_only_error(self.data_dir, self.vectors.note)
            self.vectors.reopen()
            if not self.vectors.usable:
                raise StoreUnwritable(
                    f"Không dựng lại được chỉ mục vectơ: {self.vectors.note}",
                    f"Could not rebuild the vector index: {self.vectors.note}",
                    code="vector_index_unavailable",
                )
            rep = self._reconcile_locked(None)
            self.last_reconcile = rep
            return rep

    def build_derived(self, store: "CatalogStore", keyword: Any, counts: "RestorerCounts", mark: str) -> None:
        """Keyword postings and restorer counts for the clauses already in the catalog, once:
        a catalog imported from a JSON store, or made before those tables existed (part of the
        automatic migration). Later saves keep them in step inside their own transaction."""
        if store.meta(mark) is not None or store.read_only:
            return
        try:
            held = self.process_lock.held()
            held.__enter__()
        except OSError:
            return
        try:
            with store.db.transaction():
                if store.meta(mark) is not None:
                    return
                t0 = time.perf_counter()
                for doc_id in store.doc_ids():
                    keyword.remove_doc(doc_id)
                rows = store.keyword_rows()
                keyword.add_many([(cid, doc_id, keyword_text(c)) for cid, doc_id, c in rows])
                counts.add_texts(store.counted_texts())
                store.set_meta(mark, "1")
                if rows:
                    log.warning("catalog: keyword postings and restorer counts built for %d clauses in %.1f s",
                                len(rows), time.perf_counter() - t0)
        finally:
            held.__exit__(None, None, None)
