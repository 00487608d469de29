"""A minimal SQLite ``Db`` following the issue-12 contract, for the keyword/restorer tests.

Why here and not in ``index/catalog/db.py``: that module is h12-catalog's; until it lands, the
tests of ``keyword_fts`` and ``restorer_counts`` open their database through this stand-in,
which implements exactly the contract they rely on (``execute``, ``executemany``, a nestable
``transaction`` that rolls back on error, ``dialect``) plus the ``_migrations`` runner.
Once ``index.catalog.db.open_db`` exists, :func:`open_test_db` uses it instead.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence


class SqliteDb:
    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self._conn.close()


def apply_migrations(db: Any, migrations: Sequence[Any]) -> list[str]:
    """The contract's runner: each missing migration once, in order, one transaction each."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations(name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {r[0] for r in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for m in migrations:
        if m.name in done:
            continue
        with db.transaction():
            m.apply(db)
            db.execute("INSERT INTO _migrations(name, applied_at) VALUES (?, ?)",
                       (m.name, datetime.now(timezone.utc).isoformat()))
        applied.append(m.name)
    return applied


def open_test_db(path: str | Path) -> Any:
    try:
        from tracuu.index.catalog.db import open_db  # h12-catalog's, once merged
    except ImportError:
        return SqliteDb(path)
    return open_db(path)
