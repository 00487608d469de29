"""Numbered schema migrations for the catalog, applied once each, in order.

Why this shape (as simonw/llm keeps its schema): every migration is a named function; a
``_migrations`` table remembers which names were applied. Opening a catalog applies the missing
ones, each in its own transaction, so a catalog made by any older tracuu is brought up to date
and one made by this version is left alone. Never edit a migration that has shipped: add one.

Modules that own tables (keyword postings, restorer counts) expose their own ``MIGRATIONS``
list; :func:`all_migrations` puts them after the catalog's, names prefixed by owner
(``catalog_001_...``, ``kw_001_...``, ``restorer_001_...``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from typing import Callable

from tracuu.index.catalog.db import Db, _statements

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Db], None]


def ddl(db: Db, sql: str) -> None:
    """Run several DDL statements one by one (portable: psycopg and sqlite3 both take one)."""
    for stmt in _statements(sql):
        db.execute(stmt)


def _001_core(db: Db) -> None:
    """Documents, their clauses, their source text versions, a generation counter."""
    ddl(db, """
    CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO catalog_meta (key, value) VALUES ('generation', '0');
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        doc_type TEXT, doc_type_folded TEXT, number TEXT, number_folded TEXT, date TEXT,
        issuer TEXT, title TEXT, place TEXT,
        file_name TEXT, source_kind TEXT, pages INTEGER, tables_count INTEGER, clause_count INTEGER,
        content_hash TEXT NOT NULL,
        parser_version TEXT NOT NULL DEFAULT '',
        source_sha256 TEXT,
        status TEXT NOT NULL DEFAULT 'ingested',
        record TEXT NOT NULL,
        stored_at TEXT NOT NULL
    );
    CREATE INDEX documents_file_name ON documents (file_name);
    CREATE INDEX documents_content ON documents (content_hash);
    CREATE TABLE clauses (
        clause_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        path TEXT NOT NULL, parent TEXT, kind TEXT NOT NULL, label TEXT NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL DEFAULT '',
        text_sha256 TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL
    );
    CREATE INDEX clauses_doc ON clauses (doc_id, ord);
    CREATE INDEX clauses_doc_path ON clauses (doc_id, path);
    CREATE TABLE sources (
        doc_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        text TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        PRIMARY KEY (doc_id, sha256)
    )
    """)


def _002_tasks(db: Db) -> None:
    """One row per task (JSON kept whole) and one per (task, agency, role): SQL lookups."""
    ddl(db, """
    CREATE TABLE tasks (
        task_key TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        clause_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX tasks_doc ON tasks (doc_id, seq);
    CREATE INDEX tasks_clause ON tasks (clause_id, seq);
    CREATE TABLE task_agencies (
        task_key TEXT NOT NULL REFERENCES tasks (task_key) ON DELETE CASCADE,
        doc_id TEXT NOT NULL,
        agency_id TEXT,
        name TEXT NOT NULL,
        name_folded TEXT NOT NULL,
        role TEXT NOT NULL
    );
    CREATE INDEX task_agencies_id ON task_agencies (agency_id);
    CREATE INDEX task_agencies_name ON task_agencies (name_folded);
    CREATE INDEX task_agencies_task ON task_agencies (task_key)
    """)


def _003_decisions(db: Db) -> None:
    """Users' decisions on proposed links (was links.json): one row per (from, to) pair."""
    ddl(db, """
    CREATE TABLE link_decisions (
        from_clause TEXT NOT NULL,
        to_clause TEXT NOT NULL,
        link_id TEXT NOT NULL,
        relation TEXT NOT NULL,
        status TEXT NOT NULL,
        score REAL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (from_clause, to_clause)
    )
    """)


def _004_references(db: Db) -> None:
    """What each clause's text cites (number, kind): "which documents carry out X" by lookup."""
    ddl(db, """
    CREATE TABLE clause_references (
        clause_id TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        number TEXT NOT NULL,
        doc_type TEXT NOT NULL
    );
    CREATE INDEX clause_references_doc ON clause_references (doc_id, ord);
    CREATE INDEX clause_references_number ON clause_references (number)
    """)


MIGRATIONS: list[Migration] = [
    Migration("catalog_001_core", _001_core),
    Migration("catalog_002_tasks", _002_tasks),
    Migration("catalog_003_link_decisions", _003_decisions),
    Migration("catalog_004_references", _004_references),
]

# Other owners of tables in the catalog, per dialect: modules whose MIGRATIONS list is applied when
# present. The keyword index is SQLite's FTS5 on SQLite and postings tables on PostgreSQL.
OTHER_OWNERS: dict[str, tuple[str, ...]] = {
    "sqlite": ("tracuu.index.catalog.keyword_fts", "tracuu.index.catalog.restorer_counts"),
    "postgresql": ("tracuu.index.catalog.keyword_pg", "tracuu.index.catalog.restorer_counts"),
}


def all_migrations(dialect: str = "sqlite") -> list[Migration]:
    """The catalog's migrations, then those of every other owner module that exists (for ``dialect``)."""
    out = list(MIGRATIONS)
    for mod_name in OTHER_OWNERS[dialect]:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name != mod_name:
                raise
            continue
        out.extend(getattr(mod, "MIGRATIONS", []))
    return out


def applied(db: Db) -> list[str]:
    """Names already applied (empty on a fresh database)."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY applied_at, name").fetchall()]


def missing(db: Db, migrations: list[Migration] | None = None) -> list[str]:
    """Names not applied yet, read without writing anything (a read-only catalog)."""
    todo = all_migrations() if migrations is None else migrations
    try:
        done = {r[0] for r in db.execute("SELECT name FROM _migrations").fetchall()}
    except Exception:  # no _migrations table: nothing applied
        done = set()
    return [m.name for m in todo if m.name not in done]


def migrate(db: Db, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the missing migrations in order, one transaction each; returns the names applied."""
    todo = all_migrations(db.dialect) if migrations is None else migrations
    names = [m.name for m in todo]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate migration names: {names}")
    with db.transaction():
        done = set(applied(db))
    out = []
    for m in todo:
        if m.name in done:
            continue
        with db.transaction():
            # another process may have applied it while we waited for the write lock
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (m.name,)).fetchone():
                continue
            m.apply(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                       (m.name, dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")))
        log.info("catalog: applied migration %s", m.name)
        out.append(m.name)
    return out
