"""One connection interface over the catalog's database: SQLite here, PostgreSQL in ``pg.py``.

Why a thin wrapper and not an ORM: the catalog's SQL is small and portable (TEXT/INTEGER/REAL,
``ON CONFLICT ... DO UPDATE``), and the stores that own tables (documents, keyword postings,
restorer counts) must all write inside *one* transaction so a document and everything derived
from it land or fail together. ``Db.transaction()`` is therefore nestable: only the outermost
one commits; inner ones are no-ops.

SQLite settings, and why: WAL (readers never block the writer nor each other, so no global read
lock is needed); ``busy_timeout`` (a second writer process waits instead of failing); foreign
keys on (a clause cannot outlive its document); ``BEGIN IMMEDIATE`` for writes (the write lock is
taken up front, so two writers never deadlock upgrading a read lock). One connection per thread
(``threading.local``): a sqlite3 connection must not be shared across threads mid-transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Protocol, Sequence

BUSY_TIMEOUT_MS = 30_000
DB_FILE = "catalog.sqlite3"


class Db(Protocol):
    """What every store is written against (SQLite here, psycopg in index/catalog/pg.py)."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def close(self) -> None: ...


class NestedTransactions:
    """``transaction()`` as both engines run it: the outermost call begins and commits (or rolls
    back on any exception); nested calls only count depth. Why one piece: the nesting and the
    rollback paths must behave the same on SQLite and PostgreSQL, or a test passing on one proves
    nothing for the other. Subclasses give ``_BEGIN``, ``_after_begin`` and ``_can_roll_back``."""

    _BEGIN = "BEGIN"
    _local: threading.local
    _all: list[Any]
    _all_lock: threading.Lock

    def _open_connections(self) -> None:
        """One connection per thread, all of them listed so ``close()`` reaches every one."""
        self._local = threading.local()
        self._all = []
        self._all_lock = threading.Lock()

    def _connect(self) -> Any:
        raise NotImplementedError

    def _stale(self, conn: Any) -> bool:
        """Whether this thread's connection must be replaced before the next statement."""
        return False

    @property
    def conn(self) -> Any:
        """This thread's connection, opened on first use (or again when ``_stale`` says so)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._stale(conn):
            conn = None
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._local.depth = 0
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _after_begin(self, conn: Any) -> None:
        """Run first inside a new transaction (PostgreSQL takes its writer lock here)."""

    def _can_roll_back(self, conn: Any, committing: bool) -> bool:
        raise NotImplementedError

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self.conn
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        conn.execute(self._BEGIN)
        self._local.depth = 1
        try:
            self._after_begin(conn)
            yield
        except BaseException:
            self._local.depth = 0
            if self._can_roll_back(conn, committing=False):
                conn.execute("ROLLBACK")
            raise
        self._local.depth = 0
        try:
            conn.execute("COMMIT")
        except BaseException:
            if self._can_roll_back(conn, committing=True):
                conn.execute("ROLLBACK")
            raise


class SqliteDb(NestedTransactions):
    """A SQLite catalog file, one connection per thread, WAL mode."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._open_connections()

    # -- connections
    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return self._connect_read_only()
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - a filesystem without shared memory
            raise sqlite3.OperationalError(f"cannot use WAL mode on {self.path} (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """Read-only; on a read-only filesystem, where SQLite cannot create the WAL index beside
        the file, as an immutable file (nobody can be writing it there)."""
        last: Exception | None = None
        for query in ("mode=ro", "mode=ro&immutable=1"):
            conn = sqlite3.connect(f"{self.path.as_uri()}?{query}", uri=True, isolation_level=None,
                                   check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                last = exc
        raise last  # type: ignore[misc]

    # -- the interface
    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def executescript(self, sql: str) -> None:
        """Several statements (DDL in migrations); runs inside the current transaction."""
        for stmt in _statements(sql):
            self.conn.execute(stmt)

    _BEGIN = "BEGIN IMMEDIATE"  # takes the write lock at once: writers queue instead of failing later

    def _can_roll_back(self, conn: Any, committing: bool) -> bool:
        return conn.in_transaction if committing else True

    def in_transaction(self) -> bool:
        return bool(getattr(self._local, "depth", 0))

    def close(self) -> None:
        with self._all_lock:
            conns, self._all = self._all, []
        for c in conns:
            try:
                c.close()
            except sqlite3.ProgrammingError:  # pragma: no cover - closed from its own thread already
                pass
        self._local = threading.local()


def _statements(sql: str) -> list[str]:
    """Split a migration's DDL on ";" (our DDL has no semicolons inside literals or triggers)."""
    return [s.strip() for s in sql.split(";") if s.strip()]


def open_db(target: str | Path, *, read_only: bool = False) -> Db:
    """A path (a file, or a data dir: ``<dir>/catalog.sqlite3``) -> SQLite; ``postgresql://`` -> pg.py."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        from tracuu.index.catalog import pg  # type: ignore[attr-defined]  # written by helper h12-pg

        return pg.open_db(text)  # type: ignore[no-any-return]
    path = Path(target)
    if path.is_dir():
        path = path / DB_FILE
    return SqliteDb(path, read_only=read_only)
