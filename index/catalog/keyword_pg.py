"""The keyword index in the PostgreSQL catalog: postings tables, exact BM25 scores.

Why: API workers on several machines share one PostgreSQL catalog; each must rank exactly as
today's in-memory ``index/keyword.py::BM25Index`` does (Okapi BM25, k1 1.2, b 0.75, Lucene's IDF
log(1 + (N - df + 0.5)/(df + 0.5)), tokens = folded syllables + their bigrams, ties by clause_id),
without loading the corpus. Same interface as the SQLite/FTS5 one (keyword_fts.py).

Why a postings table and not ``tsvector``: BM25 needs each term's frequency in each clause,
which a GIN-indexed tsvector does not give back (``ts_rank`` is not BM25), and the 'simple'
parser splits our bigram tokens (``ngan_hang``) apart. A B-tree on (term, clause key) *is* an
inverted index: a query reads only the postings of its own terms, so rare-term queries cost the
same at 1k or 100k clauses. Each clause has a small integer key (``kw_pg_clauses.id``) that the
postings carry, with its length. Statistics live in tables updated in the writer's transaction:
df per term, N, the token total and a version (+1 per write) in one row.

Why scoring in Python: summing a common syllable's postings in SQL (tens of thousands of rows
per term at 100k clauses) cost 0.7-1.7 s a question (measured, bench/keyword_pg.py); numpy does
it in milliseconds (bench/results/keyword_pg.txt). So a search reads its terms' postings (one statement, in one read-only
snapshot with the statistics) and scores them with BM25Index's own arithmetic, in the same order
(index/keyword.py ``_term_arrays`` and ``_accumulate``): scores and tie order are BM25Index's,
bit for bit. Each process keeps the postings of the terms it was asked about (a bounded LRU,
``MAX_CACHED_POSTINGS``), valid while the catalog's keyword version is unchanged: a write by any
worker bumps it and the next search starts afresh. Nothing else of the corpus is held.
``score_ids`` reads only the given clauses' postings. Writes never commit (the catalog's
transaction does).
"""

from __future__ import annotations

import contextlib
import heapq
import math
import threading
from collections import Counter, OrderedDict
from typing import Any, Iterable, Sequence

import numpy as np
from tracuu.index.catalog.migrations import Migration
from tracuu.index.keyword import tokens

K1 = 1.2
B = 0.75


def _001_postings(db: Any) -> None:
    for stmt in (
        # id: a small integer key for the postings (a re-added clause gets a new one)
        """CREATE TABLE kw_pg_clauses (
               id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               clause_id TEXT NOT NULL UNIQUE,
               doc_id TEXT NOT NULL,
               length BIGINT NOT NULL)""",
        "CREATE INDEX kw_pg_clauses_doc ON kw_pg_clauses (doc_id)",
        # the length repeated here: a search reads its terms' postings (index-only) and nothing else
        """CREATE TABLE kw_pg_postings (
               term TEXT NOT NULL,
               cid BIGINT NOT NULL,
               length BIGINT NOT NULL,
               tf BIGINT NOT NULL,
               PRIMARY KEY (term, cid) INCLUDE (length, tf))""",
        "CREATE INDEX kw_pg_postings_cid ON kw_pg_postings (cid)",
        "CREATE TABLE kw_pg_terms (term TEXT PRIMARY KEY, df BIGINT NOT NULL)",
        """CREATE TABLE kw_pg_totals (
               id BIGINT PRIMARY KEY CHECK (id = 1),
               n BIGINT NOT NULL,
               total BIGINT NOT NULL,
               version BIGINT NOT NULL)""",
        "INSERT INTO kw_pg_totals (id, n, total, version) VALUES (1, 0, 0, 0)",
    ):
        db.execute(stmt)


MIGRATIONS: list[Migration] = [Migration("kw_pg_001_postings", _001_postings)]


# Postings held per process (term arrays of the terms searched for): about 16 bytes each.
MAX_CACHED_POSTINGS = 4_000_000

_STATS = """
SELECT tot.version, tot.n, tot.total, t.term, t.df
FROM kw_pg_totals tot LEFT JOIN kw_pg_terms t ON t.term = ANY(?::text[])
WHERE tot.id = 1
"""

_POSTINGS = "SELECT term, cid, length, tf FROM kw_pg_postings WHERE term = ANY(?::text[])"

# The given clauses (unknown ones left out), with their postings of the query terms if any.
_SCORE_IDS = """
WITH tot AS MATERIALIZED (SELECT n, total FROM kw_pg_totals WHERE id = 1)
SELECT c.clause_id, p.term, p.tf, c.length, t.df, tot.n, tot.total
FROM kw_pg_clauses c
CROSS JOIN tot
LEFT JOIN kw_pg_postings p ON p.cid = c.id AND p.term = ANY(?::text[])
LEFT JOIN kw_pg_terms t ON t.term = p.term
WHERE c.clause_id = ANY(?::text[])
"""


class PgKeywordIndex:
    """BM25 over the catalog's PostgreSQL tables; the interface of keyword_fts.FtsKeywordIndex."""

    def __init__(self, db: Any, k1: float = K1, b: float = B) -> None:
        if db.dialect != "postgresql":
            raise ValueError(f"PgKeywordIndex needs a PostgreSQL catalog, not {db.dialect}")
        self.db = db
        self.k1 = k1
        self.b = b
        self.max_cached_postings = MAX_CACHED_POSTINGS
        self._cache_lock = threading.Lock()
        self._reset(None)

    def _reset(self, version: int | None) -> None:
        """Forget every cached term (the catalog's keyword version moved: another write happened)."""
        self._version = version
        self._slot: dict[int, int] = {}  # clause key (kw_pg_clauses.id) -> position in the score arrays
        self._keys: list[int] = []  # position -> clause key
        self._names: dict[int, str] = {}  # clause key -> clause_id (a key never changes clause)
        self._arrays: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()  # term -> (slots, weights)
        self._cached = 0  # postings held in _arrays
        self.fetched_terms = 0  # terms read from the catalog since the last reset (tests, bench)

    # ------------------------------------------------------------------ size

    def __len__(self) -> int:
        return int(self.db.execute("SELECT n FROM kw_pg_totals WHERE id = 1").fetchone()[0])

    def __contains__(self, clause_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM kw_pg_clauses WHERE clause_id = ?", (clause_id,)).fetchone() is not None

    def clause_ids(self) -> set[str]:
        """Every clause id the index holds (for the catalog's consistency checks; reads them all)."""
        return {r[0] for r in self.db.execute("SELECT clause_id FROM kw_pg_clauses").fetchall()}

    # ------------------------------------------------------------------ writing (never commits)

    def add(self, clause_id: str, doc_id: str, text: str) -> None:
        """Index one clause (replacing it if already there)."""
        self.add_many([(clause_id, doc_id, text)])

    def add_many(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Index (clause_id, doc_id, text) rows, replacing any already there; one batch of statements."""
        rows = list(items)
        if not rows:
            return
        last: dict[str, tuple[str, str]] = {}
        for cid, doc_id, text in rows:  # a clause given twice: the last text wins, as with repeated add()
            last[cid] = (doc_id, text)
        with self.db.transaction():
            self._remove_clauses(list(last))
            c_id: list[str] = []
            c_doc: list[str] = []
            c_len: list[int] = []
            counts: list[Counter[str]] = []
            df: Counter[str] = Counter()
            for cid, (doc_id, text) in last.items():
                toks = tokens(text)
                tf = Counter(toks)
                counts.append(tf)
                df.update(tf.keys())
                c_id.append(cid)
                c_doc.append(doc_id)
                c_len.append(len(toks))
            keys = dict(self.db.execute(
                "INSERT INTO kw_pg_clauses (clause_id, doc_id, length) "
                "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[]) RETURNING clause_id, id",
                (c_id, c_doc, c_len)).fetchall())
            p_term: list[str] = []
            p_cid: list[int] = []
            p_len: list[int] = []
            p_tf: list[int] = []
            for cid, length, tf in zip(c_id, c_len, counts):
                key = keys[cid]
                for term, n in tf.items():
                    p_term.append(term)
                    p_cid.append(key)
                    p_len.append(length)
                    p_tf.append(n)
            if p_term:
                self.db.execute(
                    "INSERT INTO kw_pg_postings (term, cid, length, tf) "
                    "SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[])",
                    (p_term, p_cid, p_len, p_tf))
                terms = sorted(df)  # a fixed order: concurrent upserts never deadlock on term rows
                self.db.execute(
                    "INSERT INTO kw_pg_terms (term, df) SELECT * FROM unnest(?::text[], ?::bigint[]) "
                    "ON CONFLICT (term) DO UPDATE SET df = kw_pg_terms.df + EXCLUDED.df",
                    (terms, [df[t] for t in terms]))
            self.db.execute("UPDATE kw_pg_totals SET n = n + ?, total = total + ?, version = version + 1 WHERE id = 1",
                            (len(c_id), sum(c_len)))

    def remove(self, clause_id: str) -> bool:
        """Drop one clause; False when it was not indexed."""
        with self.db.transaction():
            return self._remove_clauses([clause_id]) > 0

    def remove_doc(self, doc_id: str) -> int:
        """Drop every clause of ``doc_id``; returns how many were indexed."""
        with self.db.transaction():
            ids = [r[0] for r in self.db.execute("SELECT clause_id FROM kw_pg_clauses WHERE doc_id = ?", (doc_id,))]
            return self._remove_clauses(ids)

    def _remove_clauses(self, clause_ids: Sequence[str]) -> int:
        if not clause_ids:
            return 0
        gone = self.db.execute(
            "DELETE FROM kw_pg_clauses WHERE clause_id = ANY(?::text[]) RETURNING id, length", (list(clause_ids),)).fetchall()
        if not gone:
            return 0
        dropped = self.db.execute(
            """WITH d AS (DELETE FROM kw_pg_postings WHERE cid = ANY(?::bigint[]) RETURNING term)
               SELECT term, count(*) FROM d GROUP BY term ORDER BY term""", ([r[0] for r in gone],)).fetchall()
        if dropped:
            terms = [t for t, _ in dropped]
            self.db.execute(
                """UPDATE kw_pg_terms t SET df = t.df - d.n
                   FROM unnest(?::text[], ?::bigint[]) AS d(term, n) WHERE t.term = d.term""",
                (terms, [n for _, n in dropped]))
            self.db.execute("DELETE FROM kw_pg_terms WHERE term = ANY(?::text[]) AND df <= 0", (terms,))
        self.db.execute("UPDATE kw_pg_totals SET n = n - ?, total = total - ?, version = version + 1 WHERE id = 1",
                        (len(gone), sum(r[1] for r in gone)))
        return len(gone)

    # ------------------------------------------------------------------ scoring

    @staticmethod
    def _idf(n: int, df: int) -> float:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """IDF of a folded term; a term no clause holds gets the highest IDF (it is the most telling)."""
        row = self.db.execute(
            "SELECT tot.n, t.df FROM kw_pg_totals tot LEFT JOIN kw_pg_terms t ON t.term = ? WHERE tot.id = 1",
            (term,)).fetchone()
        return self._idf(int(row[0]), int(row[1] or 0))

    @staticmethod
    def _query_terms(query: str) -> list[str]:
        return list(dict.fromkeys(tokens(query)))  # each distinct term counts once, in order

    def _score(self, terms: list[str], postings: Iterable[tuple[Any, ...]], n: int, total: int,
               dfs: dict[str, int]) -> dict[str, float]:
        """BM25Index's arithmetic, term by term in query order, from (clause_id, term or None, tf,
        length) rows: every clause in the rows gets a score (0.0 when it holds no query term)."""
        avgdl = total / n or 1.0  # as BM25Index: total / N, or 1.0
        lengths: dict[str, int] = {}
        tfs: dict[str, dict[str, int]] = {}
        for cid, term, tf, length in postings:
            lengths[cid] = int(length)
            if term is not None:
                tfs.setdefault(term, {})[cid] = int(tf)
        out = {c: 0.0 for c in lengths}
        k1, b = self.k1, self.b
        for term in terms:
            posting = tfs.get(term)
            if not posting:
                continue
            idf = self._idf(n, dfs[term])
            for cid, tf in posting.items():
                norm = k1 * (1.0 - b + b * float(lengths[cid]) / avgdl)
                out[cid] += idf * float(tf) * (k1 + 1.0) / (float(tf) + norm)
        return out

    def _exact(self, terms: list[str], rows: list[tuple[Any, ...]]) -> dict[str, float]:
        """:meth:`_score` over rows of (clause_id, term or None, tf, length, df, N, token total)."""
        if not rows:
            return {}
        dfs = {r[1]: int(r[4]) for r in rows if r[1] is not None}
        return self._score(terms, (r[:4] for r in rows), int(rows[0][5]), int(rows[0][6]), dfs)

    def score_ids(self, query: str, clause_ids: Iterable[str]) -> dict[str, float]:
        """Exact BM25 scores of the given clauses (0.0 when nothing matches; unknown ids left out): for fusion."""
        wanted = list(dict.fromkeys(clause_ids))
        if not wanted:
            return {}
        terms = self._query_terms(query)
        exact = self._exact(terms, self.db.execute(_SCORE_IDS, (terms, wanted)).fetchall())
        return {c: exact[c] for c in wanted if c in exact}

    def _snapshot(self):  # type: ignore[no-untyped-def]
        """Several reads that must agree: PgDb's read-only snapshot (a no-op inside a write)."""
        snap = getattr(self.db, "snapshot", None)
        return snap() if snap is not None else contextlib.nullcontext()

    def _term_arrays(self, rows: list[tuple[int, int, int]], n: int, total: int) -> tuple[np.ndarray, np.ndarray]:
        """(slots, BM25 weights) of one term's postings rows (key, length, tf), with
        BM25Index._term_arrays's operations in its order. Call with the cache lock held."""
        k1, b = self.k1, self.b
        avgdl = total / n or 1.0
        idf = self._idf(n, len(rows))
        slots = np.empty(len(rows), dtype=np.int64)
        for i, (key, _, _) in enumerate(rows):
            slot = self._slot.get(key)
            if slot is None:
                slot = self._slot[key] = len(self._keys)
                self._keys.append(key)
            slots[i] = slot
        tf = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
        lens = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        norm = k1 * (1.0 - b + b * lens / avgdl)
        weights = idf * tf * (k1 + 1.0) / (tf + norm)  # as BM25Index, operation for operation
        return slots, weights

    def search(self, query: str, k: int = 10, doc_ids: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, score), best first; ties by clause_id; only clauses of ``doc_ids`` if given."""
        terms = self._query_terms(query)
        docs = None if doc_ids is None else list(dict.fromkeys(doc_ids))
        if k <= 0 or not terms or docs == []:
            return []
        with self._snapshot():
            stats = self.db.execute(_STATS, (terms,)).fetchall()
            version, n, total = int(stats[0][0]), int(stats[0][1]), int(stats[0][2])
            known = {r[3] for r in stats if r[3] is not None}
            present = [t for t in terms if t in known]
            if not n or not present:
                return []
            with self._cache_lock:
                if version != self._version or len(self._keys) > 2 * n + 10_000:  # stale, or churned ids
                    self._reset(version)
                missing = [t for t in present if t not in self._arrays]
            by_term: dict[str, list[tuple[int, int, int]]] = {}
            if missing:
                for term, key, length, tf in self.db.execute(_POSTINGS, (missing,)).fetchall():
                    by_term.setdefault(term, []).append((int(key), int(length), int(tf)))
            allowed = None if docs is None else [r[0] for r in self.db.execute(
                "SELECT id FROM kw_pg_clauses WHERE doc_id = ANY(?::text[])", (docs,))]
            with self._cache_lock:
                if version != self._version:  # another thread saw a newer version meanwhile: start over
                    return self.search(query, k, docs)
                arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
                for term in present:
                    hit = self._arrays.get(term)
                    if hit is None:
                        hit = self._term_arrays(by_term.get(term, []), n, total)
                        self._arrays[term] = hit
                        self._cached += len(hit[0])
                        self.fetched_terms += 1
                    else:
                        self._arrays.move_to_end(term)
                    arrays[term] = hit
                keys = list(self._keys)
                allowed_slots = None if allowed is None else [self._slot[a] for a in allowed if a in self._slot]
                while self._cached > self.max_cached_postings and len(self._arrays) > 1:
                    _, (old, _) = self._arrays.popitem(last=False)
                    self._cached -= len(old)
            # BM25Index._accumulate and .search, step for step
            acc = np.zeros(len(keys), dtype=np.float64)
            hit_mask = np.zeros(len(keys), dtype=bool)
            for term in present:
                slots, weights = arrays[term]
                acc[slots] += weights
                hit_mask[slots] = True
            if allowed_slots is not None:
                mask = np.zeros(len(keys), dtype=bool)
                if allowed_slots:
                    mask[np.asarray(allowed_slots, dtype=np.int64)] = True
                hit_mask &= mask
            matched = np.flatnonzero(hit_mask)
            if len(matched) > k:
                vals = acc[matched]
                kth = np.partition(vals, len(vals) - k)[len(vals) - k]
                matched = matched[vals >= kth]  # ties at the cut are all kept, then ordered by id
            names = self._clause_names([keys[i] for i in matched.tolist()])
        return heapq.nsmallest(k, ((names[keys[i]], float(acc[i])) for i in matched.tolist()),
                               key=lambda x: (-x[1], x[0]))

    def _clause_names(self, keys: list[int]) -> dict[int, str]:
        """clause_id of each clause key (read once per process: a key never names another clause)."""
        with self._cache_lock:
            out = {key: self._names[key] for key in keys if key in self._names}
        missing = [key for key in keys if key not in out]
        if missing:
            rows = self.db.execute("SELECT id, clause_id FROM kw_pg_clauses WHERE id = ANY(?::bigint[])",
                                   (missing,)).fetchall()
            with self._cache_lock:
                for key, name in rows:
                    self._names[int(key)] = out[int(key)] = name
        return out
