"""The vector store's handle, its health, and the write-ahead markers that say a write was cut short.

Why a separate piece: opening must be cheap and side-effect free (issue 12: "nothing is dropped
or rebuilt as a side effect of opening"). So nothing here runs when the index is constructed.
Chroma is opened on first use (the first dense query or the first write), and the integrity
check of :mod:`index.vector_check` runs only where there is a reason to doubt the files:

* **after a crash**: every Chroma write is preceded by a *write-ahead marker* in the catalog
  (``catalog_meta`` key ``vector_write:<doc_id>``, or ``vector_write:*`` for "anything may be
  stale"), committed before Chroma is touched and deleted in the same catalog transaction that
  records the document (or once the delete completed). A marker found later means a writer died
  between the two. The first open of the local store then checks the files *before* Chroma reads
  them (garbage in the HNSW files crashes the process in native code): damage found is reported
  (state ``"damaged"``: keyword search only, writes refused, ``/healthz`` says to run
  ``tracuu reindex``), never moved aside or rebuilt here.
* **when the files changed behind the index's back**: after every check that passed and every
  write that completed, the size and mtime of each HNSW segment file under ``chroma/`` are
  recorded in
  ``chroma/.tracuu-verified`` (a few ``stat`` calls; no file is read). An open that finds them
  different (a disk error, a copy, another program, Chroma flushing after the last record) runs
  the check once before Chroma reads them. So garbage in the HNSW files is found, never a crash
  of the process, and an unchanged store costs nothing to open;
* **when a write fails** and the old vectors could not be put back (:meth:`after_failed_write`);
* in ``tracuu reindex`` (which rebuilds on purpose) and in the explicit check
  (:meth:`index.clause_index.ClauseIndex.check`, ``tracuu reindex --check``).

Repairing what a marker names (re-upserting that document's vectors from the embedding cache,
removing strays) is the writer's job (:mod:`index.index_writer`): it runs under the write lock at
the next write, in the explicit check, or in ``tracuu reindex`` - not when a reader opens.

An older data directory carries a ``reconciled`` stamp file instead (removed before a Chroma write,
written after); :meth:`VectorAccess.adopt_stamp` converts it once: a stale or missing stamp
in a data dir holding clauses (a JSON store just imported has no stamp) becomes a
``vector_write:*`` marker.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tracuu.index import store_health
from tracuu.index.embedders import Embedder
from tracuu.index.errors import EmbedderMismatch
from tracuu.index.vector_store import ChromaVectorStore, UnavailableVectors, forget_local_system

if TYPE_CHECKING:
    from tracuu.index.catalog.store import CatalogStore

log = logging.getLogger(__name__)

MARK_PREFIX = "vector_write:"
ALL = "*"  # a marker naming every document: a full reconcile is due
VERIFIED = ".tracuu-verified"  # in chroma/: the files as the last passed check or write left them
STAMP_ADOPTED = "vector_marks"  # catalog_meta: the old "reconciled" stamp file was converted


class VectorAccess:
    """Chroma, opened on first use; its state (``ok``, ``damaged``, ``unavailable``, ``rebuilt``)
    and the write-ahead markers kept in the catalog."""

    def __init__(self, data_dir: Path, embedder: Embedder, catalog: Callable[[], "CatalogStore"], *,
                 chroma_url: str | None, collection: Callable[[], str], replace: bool = False,
                 probe: str = "files") -> None:
        """``probe``: "subprocess" also opens the store in a child process before this one does
        (api.config.Settings.vector_probe)."""
        self.data_dir = data_dir
        self.embedder = embedder
        self._catalog = catalog
        self.chroma_url = chroma_url
        self._collection = collection
        self.replace = replace
        self.probe = probe
        self.state = "ok"
        self.note = ""
        self._vs: ChromaVectorStore | UnavailableVectors | None = None
        self._lock = threading.Lock()
        self._prefetch: threading.Thread | None = None

    @property
    def local(self) -> Path | None:
        """The embedded store's directory (None with a Chroma server)."""
        return None if self.chroma_url else self.data_dir / "chroma"

    # ------------------------------------------------------------------ the handle

    def get(self) -> ChromaVectorStore | UnavailableVectors:
        """The store, opened on first call. Raises EmbedderMismatch (configuration, not damage)."""
        pre = self._prefetch
        if pre is not None and pre is not threading.current_thread():
            pre.join()  # the opening started by prefetch(): its result (or its error, raised again below)
        vs = self._vs
        if vs is None:
            with self._lock:
                if self._vs is None:
                    self._vs = self._open()
                vs = self._vs
        return vs

    @property
    def opened(self) -> bool:
        return self._vs is not None

    def prefetch(self, wait_for_client: bool = False) -> None:
        """Start opening the store in a background thread (once); :meth:`get` waits for it.

        Why: a one-shot process (``tracuu search``) pays, one after the other, for importing
        chromadb, opening its client and loading the HNSW index from disk on the first query
        (native code that releases the GIL: ~0.4 s at 100k clauses) while it understands and
        embeds the query. Started first, the opening overlaps that work. The thread runs exactly
        what :meth:`get` runs (the checks of a doubtful store come first, so a damaged HNSW is
        still found before Chroma reads it), then loads the local index (:meth:`ChromaVectorStore.warm`).
        Its errors are not kept: a failure is recorded by :meth:`_open` as it would be in the
        caller's thread (state and note), and an :class:`EmbedderMismatch` leaves the store unopened,
        so the caller's :meth:`get` raises it again, the same error in the caller's thread.
        A server does not call this: its first request opens the store as before.

        ``wait_for_client``: return only once the client is open (or the opening failed), before
        the index loads. Importing chromadb and opening its client is Python, which holds the GIL:
        run beside the caller's own Python it finishes no sooner in total, but it delays the index
        load (the part that runs beside the caller for real) until both are done. Waiting for it
        first starts the load as early as possible; the caller's work then runs beside it.
        """
        if self._prefetch is not None or self._vs is not None:
            return
        client = threading.Event()
        with self._lock:  # the thread's own get() waits for this lock: it sees _prefetch set
            if self._prefetch is not None or self._vs is not None:
                return
            thread = threading.Thread(target=self._prefetch_run, args=(client,), name="tracuu-vectors-open",
                                      daemon=True)
            atexit.register(thread.join)  # never leave the interpreter while native code loads the index
            thread.start()
            self._prefetch = thread  # published started: get() in any thread may join it
        if wait_for_client:
            client.wait()

    def _prefetch_run(self, client: threading.Event) -> None:
        try:
            vs = self.get()
            client.set()
            if isinstance(vs, ChromaVectorStore) and self.local is not None:
                vs.warm()
        except Exception as exc:  # reported by the caller's own get() / query, in its thread
            log.debug("vector store prefetch: %s: %s", type(exc).__name__, exc)
        finally:
            client.set()

    def _open(self) -> ChromaVectorStore | UnavailableVectors:
        from tracuu.index.vector_check import check_store, probe_store

        local = self.local
        problem = None
        checked = local is not None and (self.pending() or not self.files_unchanged())
        if checked:
            problem = check_store(local, sqlite=False)  # a write cut short, or files changed: look first
        if local is not None and not problem and self.probe == "subprocess":
            problem = probe_store(local)
        if problem:
            return self.damaged(problem)
        try:
            vs = ChromaVectorStore(
                self.data_dir, embedder_name=self.embedder.name, dim=self.embedder.dim,
                chroma_url=self.chroma_url, collection=self._collection(), replace=self.replace,
            )
            if checked:
                self.record_files()  # after the client opened: opening touches chroma.sqlite3
            return vs
        except EmbedderMismatch:
            raise  # configuration, not damage: never moved aside or dropped
        except Exception as exc:  # damaged SQLite, a server that is down...
            return self.failed(exc)

    def damaged(self, problem: str) -> UnavailableVectors:
        """Damage found by the check: keyword search only until `tracuu reindex`; nothing moved."""
        self.state, self.note = "damaged", problem
        log.error("vector index damaged, keyword search only until `tracuu reindex`: %s", problem)
        self._vs = UnavailableVectors(self.embedder.name, self.embedder.dim, problem)
        return self._vs

    def failed(self, exc: BaseException) -> UnavailableVectors:
        """Chroma failed while opening or serving: keyword search carries on, /healthz says so."""
        self.state = "unavailable"
        self.note = f"{type(exc).__name__}: {str(exc)[:300]}"
        log.error("vector index failed, keyword search only until `tracuu reindex`: %s", self.note)
        self._vs = UnavailableVectors(self.embedder.name, self.embedder.dim, self.note)
        return self._vs

    def reopen(self) -> ChromaVectorStore | UnavailableVectors:
        """Forget the handle and open again (after `tracuu reindex` moved the old store away)."""
        with self._lock:
            self._vs = None
            self.state, self.note = "ok", ""
        return self.get()

    @property
    def usable(self) -> bool:
        return self.state not in ("damaged", "unavailable")

    # ------------------------------------------------------------------ checks

    def check(self, probe: bool = False) -> str | None:
        """The integrity check of the local store (and, with ``probe``, opening it in a child
        process): None when sound or not local, else the problem. Reads the store only (a sound one
        is recorded in ``chroma/.tracuu-verified``)."""
        from tracuu.index.vector_check import check_store, probe_store

        local = self.local
        if local is None:
            return None
        problem = check_store(local) or (probe_store(local) if probe else None)
        if not problem:
            self.record_files()
        return problem

    def _signature(self) -> str | None:
        local = self.local
        if local is None or not local.is_dir():
            return None
        rows = []
        # The HNSW segment files only: garbage there crashes the process; chroma.sqlite3 is
        # touched by every client that opens it, and SQLite reports its own damage (Chroma then
        # raises, which leaves keyword search).
        for path in sorted(p for d in local.iterdir() if d.is_dir() for p in d.rglob("*")):
            try:
                st = path.stat()
            except OSError:
                continue
            if path.is_file() and path.name != VERIFIED and not path.name.startswith(f".{VERIFIED}."):
                rows.append(f"{path.relative_to(local)}\t{st.st_size}\t{st.st_mtime_ns}")
        return "\n".join(rows)

    def files_unchanged(self) -> bool:
        """Are the store's files as the last passed check or completed write left them?"""
        sig = self._signature()
        if sig is None:
            return True  # no local store yet: nothing Chroma could trip over
        try:
            return (self.local / VERIFIED).read_text(encoding="utf-8") == sig  # type: ignore[operator]
        except (OSError, UnicodeDecodeError):
            return False

    def record_files(self) -> None:
        """Remember the files as sound (after a passed check or a completed write)."""
        sig = self._signature()
        if sig is None:
            return
        path = self.local / VERIFIED  # type: ignore[operator]
        tmp = path.with_name(f".{VERIFIED}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(sig, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:  # a read-only data dir: the next open checks again, that is all
            tmp.unlink(missing_ok=True)
            log.info("could not record the vector store's files in %s: %s", path, exc)

    def after_failed_write(self) -> None:
        """A Chroma write failed and could not be undone: is the store still sound?"""
        problem = self.check()
        if problem:
            self.damaged(problem)

    def quarantine(self, keep: bool = True) -> bool:
        """Move the local store aside (kept for a human unless ``keep`` is False). Only `tracuu
        reindex` calls this. False when it cannot be moved."""
        local = self.local
        if local is None or not local.exists():
            return True
        target = local.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}")
        with self._lock:
            self._vs = None
        forget_local_system(local)
        try:
            local.rename(target)
        except OSError as exc:
            self.state, self.note = "unavailable", f"cannot move the vector store aside ({exc.strerror or exc})"
            return False
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
        return True

    # ------------------------------------------------------------------ write-ahead markers

    def pending(self) -> list[str]:
        """Doc ids whose vector write was cut short (``"*"``: every document may be stale)."""
        rows = self._catalog().db.execute(
            "SELECT key FROM catalog_meta WHERE key LIKE ?", (MARK_PREFIX + "%",)).fetchall()
        return sorted(r[0][len(MARK_PREFIX):] for r in rows)

    def mark(self, doc_id: str) -> None:
        """Committed before Chroma is written (call outside the record's transaction)."""
        store = self._catalog()
        with store.db.transaction():
            store.set_meta(MARK_PREFIX + doc_id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def clear(self, doc_ids: list[str] | None = None) -> None:
        """Remove the markers of ``doc_ids`` (None: all); joins the caller's transaction if any."""
        db = self._catalog().db
        if doc_ids is None:
            db.execute("DELETE FROM catalog_meta WHERE key LIKE ?", (MARK_PREFIX + "%",))
            return
        for doc_id in doc_ids:
            db.execute("DELETE FROM catalog_meta WHERE key = ?", (MARK_PREFIX + doc_id,))

    def adopt_stamp(self, current_stamp: str) -> None:
        """Convert an older data dir's ``reconciled`` stamp once (see the module docstring)."""
        store = self._catalog()
        if store.read_only or store.meta(STAMP_ADOPTED) is not None:
            return
        path = self.data_dir / "reconciled"
        try:
            saved: str | None = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            saved = None
        with store.db.transaction():
            if store.meta(STAMP_ADOPTED) is not None:
                return
            if saved != current_stamp and store.count()[1]:
                store.set_meta(MARK_PREFIX + ALL, "adopted from a stale or missing 'reconciled' stamp")
            store.set_meta(STAMP_ADOPTED, "1")
        # The file is left as it is: an older tracuu opening this data dir again still reads it.

    # ------------------------------------------------------------------ health

    def health(self) -> list[dict[str, str]]:
        reasons: list[dict[str, str]] = []
        if self.state == "damaged":
            reasons.append(store_health.reason(
                "vector_index_damaged",
                f"Chỉ mục vectơ bị hỏng ({self.note}); đang tìm theo từ khóa, chưa xóa gì. Chạy `tracuu reindex`.",
                f"The vector index is damaged ({self.note}); searching by keywords only, nothing was removed. "
                "Run `tracuu reindex`."))
        elif self.state == "unavailable":
            reasons.append(store_health.reason(
                "vector_index_unavailable",
                f"Chỉ mục vectơ không dùng được ({self.note}); đang tìm theo từ khóa. Chạy `tracuu reindex`.",
                f"The vector index is unavailable ({self.note}); searching by keywords only. Run `tracuu reindex`."))
        elif self.state == "rebuilt":
            reasons.append(store_health.reason(
                "vector_index_rebuilt",
                f"Chỉ mục vectơ bị hỏng và đã được dựng lại ({self.note}).",
                f"The vector index was damaged and has been rebuilt ({self.note})."))
        try:  # "*" (adopted from an older data dir's stamp) is repaired at the next write, not reported
            pending = [d for d in self.pending() if d != ALL]
        except Exception:  # the catalog's own problems are reported by its check
            pending = []
        if pending and self.state not in ("damaged", "unavailable"):
            shown = ", ".join(pending[:5]) + (" ..." if len(pending) > 5 else "")
            reasons.append(store_health.reason(
                "vector_writes_interrupted",
                f"Một lần ghi chỉ mục vectơ bị ngắt ({shown}); lần ghi sau hoặc `tracuu reindex --check` sẽ sửa.",
                f"A vector index write was interrupted ({shown}); the next write or `tracuu reindex --check` repairs it."))
        return reasons
