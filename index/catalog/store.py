"""The system of record: documents, clauses, sources, tasks, task agencies and link decisions in
one catalog database (SQLite in WAL mode here; PostgreSQL through ``index/catalog/pg.py``).

Why a database and not one JSON file per document (the store before issue 12): opening a data
dir no longer loads the corpus into memory - a clause, a document's tasks or an agency's tasks
are SQL lookups; a save is one transaction (document, clauses, source, tasks, and what the
keyword/restorer stores derive from them, which the caller writes inside the same transaction),
so a crash or an error leaves the previous version intact; readers never take a lock.

The public read methods keep the names the rest of the code used on the JSON ``DocStore``
(``get``/``load``, ``clause``, ``list_ids``, ``source``, ``integrity``, ``problems``, ``check``,
``generation``...), so callers changed little. A data dir that still holds the JSON store is
imported once when the catalog is opened (:mod:`index.catalog.legacy_import`).

What is checked on every serve, as before: a clause's text against the sha256 taken when it was
stored (text edited inside the store is never cited as exact), and the source version the clause
offsets index against its sha256 (hashed once per process per version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from tracuu.index import faults
from tracuu.index.catalog.db import DB_FILE, Db, SqliteDb, open_db
from tracuu.index.catalog.migrations import migrate, missing
from tracuu.index.document_codec import document_from_dict, header_from_dict, known_fields
from tracuu.index.errors import StoreUnwritable
from tracuu.ingest.model import Clause, DocumentHeader, ParsedDocument, SourceText
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.vntext import fold

log = logging.getLogger(__name__)

MAX_DOC_ID = 230  # the JSON store's limit (a file name); kept so ids stay portable both ways
_CACHE_DOCS = 64  # parsed documents kept per process (LRU), keyed by the catalog's generation...
_CACHE_CLAUSES = 20_000  # ...and at most this many clauses in them (a 1000-clause plan is ~2 MB parsed;
# hits read summary(), not whole documents, so the budget no longer makes a search re-parse them)
_CACHE_SUMMARIES = 1024  # documents without their clauses (summary()): a header each
_TASK_ROLE_FIELDS = {"lead": "lead", "coordinator": "coordinators", "performer": "performer",
                     "advised": "advises", "reports_to": "reports_to"}


def usable_doc_id(doc_id: str) -> bool:
    """Can this doc_id name a stored document? (Reads of any other id simply find nothing.)"""
    return isinstance(doc_id, str) and doc_id not in ("", ".", "..") and len(doc_id.encode("utf-8")) <= MAX_DOC_ID * 3 \
        and len(doc_id) <= MAX_DOC_ID


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def words(text: str) -> str:
    """Folded words joined by one space, padded with spaces: what agency phrases are matched in."""
    return " " + " ".join(re.findall(r"\w+", fold(text or ""))) + " "


# -------------------------------------------------------------------- (de)serialising


def _clause_of(record: str) -> Clause:
    return Clause.from_dict(known_fields(Clause, json.loads(record)))


class CatalogStore:
    """Parsed documents and what hangs off them, in the catalog database of a data dir."""

    def __init__(self, data_dir: Path, db: Db | str | None = None, *, import_legacy: bool = True) -> None:
        self.data_dir = Path(data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            if not self.data_dir.is_dir():
                raise
        self.path = self.data_dir / DB_FILE
        self.db: Db = db if db is not None and not isinstance(db, str) else open_db(db or self.path)
        self._lock = threading.Lock()
        self._docs: OrderedDict[str, tuple[int, ParsedDocument, str | None]] = OrderedDict()
        self._checked: dict[str, int] = {}  # doc_id -> generation its record was last read sound
        self._summaries: OrderedDict[str, tuple[int, ParsedDocument, int]] = OrderedDict()  # see summary()
        self._src_ok: dict[tuple[str, str], bool] = {}  # (doc_id, sha) -> the stored text hashes to sha
        self._problems: dict[str, dict[str, str]] = {}  # key -> problem (see problems())
        self._memo: dict[str, tuple[int, Any]] = {}  # small whole-catalog reads, per generation
        self.read_only = False
        try:
            self.migrated: list[str] = migrate(self.db)
        except sqlite3.OperationalError as exc:  # a read-only data dir (or file): serve reads only
            if not self.path.exists() or not isinstance(self.db, SqliteDb):
                raise
            self.db.close()
            self.db = SqliteDb(self.path, read_only=True)
            left = missing(self.db)
            if left:
                raise StoreUnwritable(
                    f"Catalog {self.path} chỉ đọc được và cần nâng cấp lược đồ ({', '.join(left)}); "
                    "hãy mở nó một lần với quyền ghi.",
                    f"The catalog {self.path} is read-only and needs schema migrations ({', '.join(left)}); "
                    "open it once with write access.", code="read_only") from exc
            log.warning("catalog %s opened read-only (%s)", self.path, exc)
            self.read_only, self.migrated = True, []
        self.imported = None
        if import_legacy and not self.read_only:
            from tracuu.index.catalog.legacy_import import import_json_store

            self.imported = import_json_store(self)

    # ------------------------------------------------------------------ generation

    def generation(self) -> int:
        """+1 after every save or delete, by any process: what derived values are keyed on."""
        row = self.db.execute("SELECT value FROM catalog_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def bump(self) -> None:
        self.db.execute("UPDATE catalog_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                        "WHERE key = 'generation'")

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM catalog_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO catalog_meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------------ writes

    def save(self, doc: ParsedDocument, source_text: str, *, parser_version: str = "") -> None:
        """Replace the stored version of ``doc`` (document, clauses, tasks, source) in one transaction.

        Callers that derive more from the document (keyword postings, restorer counts, vectors'
        bookkeeping) open ``self.db.transaction()`` around this call and write theirs inside it.
        """
        if not usable_doc_id(doc.doc_id):
            raise ValueError(f"unusable doc_id: {doc.doc_id[:80]!r}")
        sha = sha256_text(source_text)
        rec = asdict(doc)
        clauses = rec.pop("clauses")
        tasks = rec.pop("tasks")
        h = doc.header
        now = _now()
        with self.db.transaction():
            self._delete_rows(doc.doc_id)
            self.db.execute(
                "INSERT INTO documents (doc_id, doc_type, doc_type_folded, number, number_folded, date, issuer, title,"
                " place, file_name, source_kind, pages, tables_count, clause_count, content_hash, parser_version,"
                " source_sha256, status, record, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, h.doc_type, fold(h.doc_type or "").strip(), h.number, fold(h.number or ""), h.date,
                 h.issuer, h.title, h.place, doc.file_name, doc.source_kind, doc.pages, doc.tables, len(doc.clauses),
                 doc.content_hash, parser_version, sha, "ingested", json.dumps(rec, ensure_ascii=False), now))
            self.db.executemany(
                "INSERT INTO clauses (clause_id, doc_id, ord, path, parent, kind, label, text, text_hash, text_sha256,"
                " record) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(c["clause_id"], doc.doc_id, c["order"], c["path"], c["parent"], c["kind"], c["label"], c["text"],
                  c.get("text_hash") or "", c.get("text_sha256") or "", json.dumps(c, ensure_ascii=False))
                 for c in clauses])
            self._insert_tasks(doc.doc_id, tasks)
            self.db.executemany(
                "INSERT INTO clause_references (clause_id, doc_id, ord, number, doc_type) VALUES (?,?,?,?,?)",
                [(c.clause_id, doc.doc_id, c.order, r.number or "", r.doc_type or "")
                 for c in doc.clauses for r in c.references if r.number])
            self.db.execute("DELETE FROM sources WHERE doc_id = ? AND sha256 <> ?", (doc.doc_id, sha))
            self.db.execute("INSERT INTO sources (doc_id, sha256, text, stored_at) VALUES (?,?,?,?) "
                            "ON CONFLICT (doc_id, sha256) DO NOTHING", (doc.doc_id, sha, source_text, now))
            faults.hit("source_written")
            self.bump()
        with self._lock:
            self._docs.pop(doc.doc_id, None)
            self._memo.clear()
            self._problems.pop(f"source:{doc.doc_id}", None)

    def _insert_tasks(self, doc_id: str, tasks: list[dict[str, Any]]) -> None:
        from tracuu.ingest.agencies import load_gazetteer

        task_rows, agency_rows = [], []
        for seq, t in enumerate(tasks):
            key = str(t.get("task_id") or f"{t.get('clause_id')}#{seq}")
            task_rows.append((key, doc_id, t.get("clause_id") or "", seq, json.dumps(t, ensure_ascii=False)))
            for role, ref in _roles_of(t):
                canonical = ""
                if ref.get("agency_id"):
                    try:
                        canonical = load_gazetteer().entry(ref["agency_id"]).name
                    except KeyError:
                        canonical = ""
                names = [n for n in (ref.get("full"), ref.get("name"), canonical) if n]
                agency_rows.append((key, doc_id, ref.get("agency_id") or slugify(ref.get("full") or ref.get("name") or ""),
                                    "\n".join(names), "\n".join(fold(n) for n in names)
                                    + "\n" + "\n".join(words(n) for n in names), role))
        self.db.executemany("INSERT INTO tasks (task_key, doc_id, clause_id, seq, record) VALUES (?,?,?,?,?)",
                            task_rows)
        self.db.executemany("INSERT INTO task_agencies (task_key, doc_id, agency_id, name, name_folded, role)"
                            " VALUES (?,?,?,?,?,?)", agency_rows)

    def _delete_rows(self, doc_id: str) -> bool:
        existed = self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None
        self.db.execute("DELETE FROM task_agencies WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM clause_references WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM tasks WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM clauses WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return existed

    def delete(self, doc_id: str) -> bool:
        """Remove a document, its clauses, tasks and sources; False when it was not stored."""
        if not usable_doc_id(doc_id):
            return False
        with self.db.transaction():
            existed = self._delete_rows(doc_id)
            self.db.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
            if existed:
                self.bump()
        with self._lock:
            self._docs.pop(doc_id, None)
            self._problems.pop(f"source:{doc_id}", None)
        return existed

    def sweep(self) -> int:
        """Remove source versions no document points at (none are left by a committed save)."""
        with self.db.transaction():
            cur = self.db.execute(
                "DELETE FROM sources WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = sources.doc_id"
                " AND d.source_sha256 = sources.sha256)")
        return max(cur.rowcount or 0, 0)

    # ------------------------------------------------------------------ documents

    def _load_entry(self, doc_id: str, fresh: bool = False, keep: bool = True) -> tuple[ParsedDocument, str | None] | None:
        """The document and its source sha. Cached while the catalog's generation is unchanged;
        ``fresh`` reads the rows again (a writer comparing versions: rows edited behind tracuu's
        back do not move the generation); ``keep=False`` reads without caching (a full scan)."""
        if not usable_doc_id(doc_id):
            return None
        gen = self.generation()
        with self._lock:
            hit = self._docs.get(doc_id)
            if hit is not None and hit[0] == gen and not fresh:
                self._docs.move_to_end(doc_id)
                return hit[1], hit[2]
        row = self.db.execute("SELECT record, source_sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        try:
            d = json.loads(row[0])
            d["clauses"] = [json.loads(r[0]) for r in self.db.execute(
                "SELECT record FROM clauses WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()]
            texts = {r[0]: r[1] for r in self.db.execute(
                "SELECT clause_id, text FROM clauses WHERE doc_id = ?", (doc_id,)).fetchall()}
            for c in d["clauses"]:  # the text column is the record's text (an edit there is what integrity sees)
                c["text"] = texts.get(c["clause_id"], c["text"])
            d["tasks"] = [json.loads(r[0]) for r in self.db.execute(
                "SELECT record FROM tasks WHERE doc_id = ? ORDER BY seq", (doc_id,)).fetchall()]
            doc = document_from_dict(d)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._damaged_record(doc_id, exc)
            return None
        self._clear(f"doc:{doc_id}")
        if not keep:
            return doc, row[1]
        with self._lock:
            self._docs[doc_id] = (gen, doc, row[1])
            held = sum(len(d.clauses) for _, d, _ in self._docs.values())  # at most _CACHE_DOCS entries
            while len(self._docs) > 1 and (len(self._docs) > _CACHE_DOCS or held > _CACHE_CLAUSES):
                held -= len(self._docs.popitem(last=False)[1][1].clauses)
        return doc, row[1]

    def _damaged_record(self, doc_id: str, exc: Exception) -> None:
        """Report a document record that does not parse (what :meth:`load` and :meth:`summary` skip)."""
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        self._problem(f"doc:{doc_id}", "wrong_shape",
                      f"Bản ghi của tài liệu '{doc_id}' trong catalog bị hỏng ({detail}); tài liệu bị bỏ qua, "
                      "hãy nạp lại tài liệu.",
                      f"The catalog record of '{doc_id}' is damaged ({detail}); the document is skipped, "
                      "ingest it again.")

    def summary(self, doc_id: str) -> tuple[ParsedDocument, int] | None:
        """(the document without its clauses and tasks, its clause count): what a hit's citation
        needs, read from the documents row and a count, never the document's clauses.

        Why: a search's hits used to read and parse each hit's whole document (a thousand clause
        records at 100k clauses: most of a cold search's own time, and ~2 MB each in the document
        cache of a serving process). A document already in the cache is answered from it. A
        damaged document record is reported as :meth:`load` reports it (None); a damaged record of
        another clause is left to :meth:`load` and :meth:`check`: a hit's own clause was parsed
        when it was found, and its text is checked against its hash by :meth:`integrity`."""
        if not usable_doc_id(doc_id):
            return None
        gen = self.generation()
        with self._lock:
            hit = self._docs.get(doc_id)
            if hit is not None and hit[0] == gen:
                return hit[1], len(hit[1].clauses)
            memo = self._summaries.get(doc_id)
            if memo is not None and memo[0] == gen:
                self._summaries.move_to_end(doc_id)
                return memo[1], memo[2]
        row = self.db.execute("SELECT record, (SELECT COUNT(*) FROM clauses c WHERE c.doc_id = d.doc_id)"
                              " FROM documents d WHERE d.doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        try:
            d = json.loads(row[0])
            d["clauses"], d["tasks"] = [], []
            doc = document_from_dict(d)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._damaged_record(doc_id, exc)
            return None
        with self._lock:
            self._summaries[doc_id] = (gen, doc, int(row[1]))
            while len(self._summaries) > _CACHE_SUMMARIES:
                self._summaries.popitem(last=False)
        return doc, int(row[1])

    def load(self, doc_id: str, fresh: bool = False) -> ParsedDocument | None:
        entry = self._load_entry(doc_id, fresh)
        return entry[0] if entry else None

    get = load

    def load_all(self) -> dict[str, ParsedDocument]:
        """Every stored document (a full read: for export, evaluation and tests, not for requests)."""
        out = {}
        for doc_id in self.doc_ids():
            doc = self.load(doc_id)
            if doc is not None:
                out[doc_id] = doc
        return out

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]

    list_ids = doc_ids

    def count(self) -> tuple[int, int]:
        """(documents, clauses)."""
        d = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        c = self.db.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
        return int(d), int(c)

    def exists(self, doc_id: str) -> bool:
        return usable_doc_id(doc_id) and self.db.execute(
            "SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def source_sha(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT source_sha256 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def parser_version(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT parser_version FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def content_known(self, content_hash: str, parser_version: str, file_name: str | None = None) -> str | None:
        """The doc_id stored from a file with these bytes (and name) by this parser version, if any."""
        # CAST: PostgreSQL must know a parameter's type, and a bare "? IS NULL" does not say it
        row = self.db.execute(
            "SELECT doc_id FROM documents WHERE content_hash = ? AND parser_version = ? AND parser_version <> ''"
            " AND (CAST(? AS TEXT) IS NULL OR file_name = ?) ORDER BY doc_id LIMIT 1",
            (content_hash, parser_version, file_name, file_name)).fetchone()
        return row[0] if row else None

    def _per_generation(self, name: str, build: Any) -> Any:
        """A small read of the whole catalog (headers, references, task records), kept until the
        catalog's generation moves: questions read it often, it changes at ingest only."""
        gen = self.generation()
        with self._lock:
            hit = self._memo.get(name)
        if hit is not None and hit[0] == gen:
            return hit[1]
        value = build()
        with self._lock:
            self._memo[name] = (gen, value)
        return value

    def headers(self) -> list[tuple[str, DocumentHeader, str]]:
        """(doc_id, header, file_name) of every document, from the documents table (no clause read)."""
        return self._per_generation("headers", self._headers)

    def _headers(self) -> list[tuple[str, DocumentHeader, str]]:
        rows = self.db.execute("SELECT doc_id, record, file_name FROM documents ORDER BY doc_id").fetchall()
        out = []
        for doc_id, record, file_name in rows:
            try:
                out.append((doc_id, header_from_dict(json.loads(record).get("header") or {}), file_name or ""))
            except (TypeError, ValueError, AttributeError):
                continue  # a damaged record: reported when the document itself is read
        return out

    def file_names(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT file_name FROM documents").fetchall() if r[0]}

    def doc_ids_of_types(self, doc_ids: Sequence[str] | None, folded_types: Iterable[str]) -> list[str]:
        """Stored doc ids (among ``doc_ids`` when given) whose folded doc type is one of ``folded_types``."""
        wanted = sorted(set(folded_types))
        marks = ",".join("?" * len(wanted)) or "NULL"
        rows = self.db.execute(f"SELECT doc_id FROM documents WHERE doc_type_folded IN ({marks}) ORDER BY doc_id",
                               wanted).fetchall()
        ids = [r[0] for r in rows]
        return [d for d in ids if d in set(doc_ids)] if doc_ids is not None else ids

    # ------------------------------------------------------------------ clauses

    def clause(self, clause_id: str) -> Clause | None:
        row = self.db.execute("SELECT record, text FROM clauses WHERE clause_id = ?", (clause_id,)).fetchone()
        if row is None:
            return None
        return self._clause_row(row)

    def _clause_row(self, row: Sequence[Any]) -> Clause | None:
        """A clause from its (record, text) columns; None (reported in problems()) when damaged."""
        d: Any = None
        try:
            d = json.loads(row[0])
            d["text"] = row[1]
            return Clause.from_dict(known_fields(Clause, d))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            detail = f"{type(exc).__name__}: {str(exc)[:200]}"
            where = d.get("clause_id") if isinstance(d, dict) and d.get("clause_id") else "?"
            self._problem(f"clause:{where}:{detail}", "wrong_shape",
                          f"Một bản ghi điều khoản trong catalog bị hỏng ({where}: {detail}); điều khoản bị bỏ qua, "
                          "hãy nạp lại tài liệu.",
                          f"A clause record in the catalog is damaged ({where}: {detail}); the clause is skipped, "
                          "ingest its document again.")
            return None

    def clauses_by_ids(self, clause_ids: Iterable[str]) -> dict[str, Clause]:
        ids = list(dict.fromkeys(clause_ids))
        out: dict[str, Clause] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for cid, rec, text in self.db.execute(
                    f"SELECT clause_id, record, text FROM clauses WHERE clause_id IN ({marks})", chunk).fetchall():
                c = self._clause_row((rec, text))
                if c is not None:
                    out[cid] = c
        return out

    def clauses_of(self, doc_id: str) -> list[Clause]:
        rows = self.db.execute("SELECT record, text FROM clauses WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        return [c for c in (self._clause_row(r) for r in rows) if c is not None]

    def clause_ids_of(self, doc_ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        ids = list(doc_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(
                f"SELECT clause_id FROM clauses WHERE doc_id IN ({marks})", chunk).fetchall())
        return out

    def clause_hashes(self) -> dict[str, tuple[str, str]]:
        """clause_id -> (doc_id, passage hash) of every clause: what the vectors must match."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute(
            "SELECT clause_id, doc_id, text_hash FROM clauses").fetchall()}

    def counted_texts(self, doc_id: str | None = None) -> list[str]:
        """Clause texts as parsed and stored (the record's, not the text column a hand edit may
        have changed): exactly what the restorer's counts were given for them."""
        sql = "SELECT record FROM clauses" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY doc_id, ord"
        out = []
        for (record,) in self.db.execute(sql, (doc_id,) if doc_id else ()).fetchall():
            try:
                out.append(json.loads(record)["text"])
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def clause_texts(self) -> list[str]:
        """Every clause's text in document, then clause order: what the diacritic restorer learns from."""
        return [r[0] for r in self.db.execute("SELECT text FROM clauses ORDER BY doc_id, ord").fetchall()]

    def keyword_rows(self) -> list[tuple[str, str, Clause]]:
        """(clause_id, doc_id, clause) of every readable clause, in a stable order: to (re)build keyword postings."""
        out = []
        for cid, doc_id, record, text in self.db.execute(
                "SELECT clause_id, doc_id, record, text FROM clauses ORDER BY doc_id, ord").fetchall():
            c = self._clause_row((record, text))
            if c is not None:
                out.append((cid, doc_id, c))
        return out

    def references(self) -> list[tuple[str, str, str, str]]:
        """(doc_id, clause_id, number, doc_type) of every reference a clause makes, in document
        and clause order: a small table, read instead of every clause."""
        return self._per_generation("references", lambda: [(r[0], r[1], r[2], r[3]) for r in self.db.execute(
            "SELECT doc_id, clause_id, number, doc_type FROM clause_references ORDER BY doc_id, ord").fetchall()])

    # ------------------------------------------------------------------ tasks

    def tasks(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Task records, of one document or of all (in document, then task order)."""
        if doc_id is None:
            return [dict(t) for t in self._per_generation("tasks", lambda: [json.loads(r[0]) for r in self.db.execute(
                "SELECT record FROM tasks ORDER BY doc_id, seq").fetchall()])]
        else:
            rows = self.db.execute("SELECT record FROM tasks WHERE doc_id = ? ORDER BY seq", (doc_id,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def tasks_of_clauses(self, clause_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        ids = list(dict.fromkeys(clause_ids))
        out: dict[str, list[dict[str, Any]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for cid, rec in self.db.execute(
                    f"SELECT clause_id, record FROM tasks WHERE clause_id IN ({marks}) ORDER BY doc_id, seq",
                    chunk).fetchall():
                out.setdefault(cid, []).append(json.loads(rec))
        return out

    def tasks_naming(self, keys: Iterable[str], folded: str, phrases: Iterable[str]) -> list[dict[str, Any]]:
        """Tasks that name an agency by one of ``keys`` (ids), by its folded name, or by a name whose
        words contain one of ``phrases``: a superset of what :class:`api.tasks_view.AgencyQuery`
        accepts, found through the task_agencies index; the caller checks each exactly."""
        keys = sorted(set(keys))
        conds, params = [], []
        if keys:
            conds.append(f"agency_id IN ({','.join('?' * len(keys))})")
            params += keys
        if folded:
            conds.append("('\n' || name_folded || '\n') LIKE ?")
            params.append(f"%\n{_like(folded)}\n%")
        for p in phrases:
            if p:
                conds.append("name_folded LIKE ? ESCAPE '\\'")
                params.append(f"% {_like(p)} %")
        if not conds:
            return []
        rows = self.db.execute(
            "SELECT t.record FROM tasks t WHERE t.task_key IN (SELECT task_key FROM task_agencies WHERE "
            + " OR ".join(conds) + ") ORDER BY t.doc_id, t.seq", params).fetchall()
        return [json.loads(r[0]) for r in rows]

    # ------------------------------------------------------------------ sources and integrity

    def _problem(self, key: str, code: str, vi: str, en: str, file: str = DB_FILE) -> None:
        with self._lock:
            old = self._problems.get(key)
            self._problems[key] = {"code": code, "file": file, "message_vi": vi, "message_en": en}
        if old is None or old["code"] != code:
            log.warning("catalog: %s", en)

    def _clear(self, key: str) -> None:
        with self._lock:
            self._problems.pop(key, None)

    def problems(self) -> list[dict[str, str]]:
        """What reads have found wrong so far (damaged records, changed or missing sources)."""
        with self._lock:
            items = list(self._problems.values())
        imported = self.meta("legacy_import_problems")
        if imported:
            try:
                items += [p for p in json.loads(imported) if os.path.lexists(self.data_dir / p["file"])]
            except (ValueError, KeyError, TypeError):
                pass
        return sorted(items, key=lambda d: (d["file"], d["code"], d["message_en"]))

    def check(self) -> list[dict[str, str]]:
        """Verify every document record and source (hashes cached per version): for ``/healthz``.

        A record read sound is not read again until the catalog's generation moves (the verdict,
        not the document, is kept: a full scan must not fill the memory or the document cache)."""
        gen = self.generation()
        for doc_id in self.doc_ids():
            if self._checked.get(doc_id) == gen:
                self.source_status(doc_id)  # cached per source version
                continue
            if self._load_entry(doc_id, keep=False) is not None:
                self._checked[doc_id] = gen
                self.source_status(doc_id)
        return self.problems()

    def _read_source(self, doc_id: str, want_text: bool) -> tuple[str | None, str]:
        sha = self.source_sha(doc_id)
        if sha is None:
            if not self.exists(doc_id):
                return None, "no_document"
            status, text = "missing", None
        else:
            known = self._src_ok.get((doc_id, sha))
            if known is True and not want_text:
                return None, "ok"
            row = self.db.execute("SELECT text FROM sources WHERE doc_id = ? AND sha256 = ?", (doc_id, sha)).fetchone()
            if row is None:
                status, text = "missing", None
            else:
                text = row[0]
                good = known if known is not None and not want_text else sha256_text(text) == sha
                self._src_ok[(doc_id, sha)] = good
                status = "ok" if good else "changed"
        if status == "ok":
            self._clear(f"source:{doc_id}")
            return text, "ok"
        vi, en = {"missing": ("đã bị xóa", "was deleted"),
                  "changed": ("đã bị sửa sau khi nạp", "was edited after ingest")}[status]
        self._problem(f"source:{doc_id}", f"source_{status}",
                      f"Văn bản nguồn của '{doc_id}' ({DB_FILE}) {vi}: trích dẫn của tài liệu này không được coi là "
                      "chính xác cho tới khi nạp lại.",
                      f"The source text of '{doc_id}' ({DB_FILE}) {en}: its citations are not presented as exact "
                      "until it is ingested again.")
        return (text if status == "changed" else None), status

    def source(self, doc_id: str) -> str | None:
        return self._read_source(doc_id, want_text=True)[0]

    def source_status(self, doc_id: str) -> str:
        """"ok", "missing", "changed" or "no_document"."""
        return self._read_source(doc_id, want_text=False)[1]

    def integrity(self, clause: Clause) -> str:
        """"ok"; "text_changed"; "unverified" (stored before hashes); "source_missing"/"source_changed"."""
        want = getattr(clause, "text_sha256", "")
        if not want:
            return "unverified"
        if sha256_text(clause.text) != want:
            return "text_changed"
        status = self.source_status(clause.doc_id)
        return "ok" if status in ("ok", "no_document") else f"source_{status}"

    def source_text(self, doc_id: str) -> SourceText | None:
        doc, text = self.load(doc_id), self.source(doc_id)
        if doc is None or text is None:
            return None
        return SourceText(text=text, kind=doc.source_kind, page_starts=list(doc.page_starts) or [0], blocks=[],
                          dropped=list(doc.dropped))

    # ------------------------------------------------------------------ link decisions

    def decisions(self) -> dict[tuple[str, str], dict[str, Any]]:
        rows = self.db.execute("SELECT from_clause, to_clause, link_id, relation, status, score, decided_at"
                               " FROM link_decisions ORDER BY from_clause, to_clause").fetchall()
        return {(r[0], r[1]): {"link_id": r[2], "relation": r[3], "from": r[0], "to": r[1], "status": r[4],
                               "score": r[5], "decided_at": r[6]} for r in rows}

    def put_decision(self, d: dict[str, Any]) -> None:
        """Insert or replace one decision (its own transaction, or the caller's)."""
        try:
            self._put_decision(d)
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) and "read-only" not in str(exc) and "disk" not in str(exc):
                raise
            raise StoreUnwritable(f"Không ghi được vào catalog ({exc}).", f"Cannot write to the catalog ({exc}).",
                                  code="read_only") from exc

    def _put_decision(self, d: dict[str, Any]) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO link_decisions (from_clause, to_clause, link_id, relation, status, score, decided_at)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (from_clause, to_clause) DO UPDATE SET link_id = excluded.link_id,"
                " relation = excluded.relation, status = excluded.status, score = excluded.score,"
                " decided_at = excluded.decided_at",
                (d["from"], d["to"], d["link_id"], d.get("relation", "implements"), d["status"], d.get("score"),
                 d.get("decided_at") or _now()))

    def close(self) -> None:
        self.db.close()


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _roles_of(task: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for role, fld in _TASK_ROLE_FIELDS.items():
        for ref in task.get(fld) or []:
            if isinstance(ref, dict):
                yield role, ref
                if role == "reports_to" and isinstance(ref.get("via"), dict):
                    yield "via", ref["via"]
