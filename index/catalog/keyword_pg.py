"""The keyword index in the PostgreSQL catalog: postings tables, exact BM25 scores.

Why: API workers on several machines share one PostgreSQL catalog; each must rank exactly as
today's in-memory ``index/keyword.py::BM25Index`` does (Okapi BM25, k1 1.2, b 0.75, Lucene's IDF
log(1 + (N - df + 0.5)/(df + 0.5)), tokens = folded syllables + their bigrams, ties by clause_id),
without loading the corpus. Same interface as the SQLite/FTS5 one (keyword_fts.py).

Why a postings table and not ``tsvector``: BM25 needs each term's frequency in each clause,
which a GIN-indexed tsvector does not give back (``ts_rank`` is not BM25), and the 'simple'
parser splits our bigram tokens (``ngan_hang``) apart. A B-tree on (term, clause_id) *is* an
inverted index: a query reads only the postings of its own terms, so rare-term queries cost the
same at 1k or 100k clauses. Statistics live in tables updated in the writer's transaction:
df per term, length per clause, N and the token total in one row.

Exact scores: PostgreSQL ranks the matching clauses with the BM25 formula (one query; the sum's
order inside SQL may differ in the last bits), keeps the top k and everything within a hair of
the k-th; those few candidates are rescored in Python with the same operations, in the same order
(query terms in order, as BM25Index adds them), so scores and tie order equal BM25Index's exactly.
Reads run in one read-only snapshot (no lock); writes never commit (the catalog's transaction does).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterable, Sequence

from index.catalog.migrations import Migration
from index.keyword import tokens

K1 = 1.2
B = 0.75
# A clause whose SQL score is within this (relative) distance of the k-th is rescored exactly: the
# SQL and Python sums differ by a few ulps at most, so the true top k is always among the candidates.
_CUT_SLACK = 1e-9


def _001_postings(db: Any) -> None:
    for stmt in (
        """CREATE TABLE kw_pg_clauses (
               clause_id TEXT PRIMARY KEY,
               doc_id TEXT NOT NULL,
               length BIGINT NOT NULL)""",
        "CREATE INDEX kw_pg_clauses_doc ON kw_pg_clauses (doc_id)",
        """CREATE TABLE kw_pg_postings (
               term TEXT NOT NULL,
               clause_id TEXT NOT NULL,
               tf BIGINT NOT NULL,
               PRIMARY KEY (term, clause_id)) """,
        "CREATE INDEX kw_pg_postings_clause ON kw_pg_postings (clause_id)",
        "CREATE TABLE kw_pg_terms (term TEXT PRIMARY KEY, df BIGINT NOT NULL)",
        """CREATE TABLE kw_pg_totals (
               id BIGINT PRIMARY KEY CHECK (id = 1),
               n BIGINT NOT NULL,
               total BIGINT NOT NULL)""",
        "INSERT INTO kw_pg_totals (id, n, total) VALUES (1, 0, 0)",
    ):
        db.execute(stmt)


MIGRATIONS: list[Migration] = [Migration("kw_pg_001_postings", _001_postings)]


_CANDIDATES = """
WITH tot AS (
    SELECT n, CASE WHEN total = 0 THEN 1.0::float8 ELSE total::float8 / n END AS avgdl
    FROM kw_pg_totals WHERE id = 1),
q AS (
    SELECT t.term, ln(1.0 + (tot.n - t.df + 0.5) / (t.df + 0.5)) AS idf
    FROM kw_pg_terms t, tot WHERE t.term = ANY(?::text[])),
s AS (
    SELECT p.clause_id,
           sum(q.idf * p.tf * (?::float8 + 1.0)
               / (p.tf + ?::float8 * (1.0 - ?::float8 + ?::float8 * c.length / tot.avgdl))) AS score
    FROM q
    JOIN kw_pg_postings p ON p.term = q.term
    JOIN kw_pg_clauses c ON c.clause_id = p.clause_id
    CROSS JOIN tot
    {where}
    GROUP BY p.clause_id),
top AS (SELECT score FROM s ORDER BY score DESC LIMIT ?)
SELECT clause_id FROM s
WHERE s.score >= (SELECT min(score) FROM top) - ? * (1.0 + abs((SELECT min(score) FROM top)))
"""


class PgKeywordIndex:
    """BM25 over the catalog's PostgreSQL tables; the interface of keyword_fts.FtsKeywordIndex."""

    def __init__(self, db: Any, k1: float = K1, b: float = B) -> None:
        if db.dialect != "postgresql":
            raise ValueError(f"PgKeywordIndex needs a PostgreSQL catalog, not {db.dialect}")
        self.db = db
        self.k1 = k1
        self.b = b

    # ------------------------------------------------------------------ size

    def __len__(self) -> int:
        return int(self.db.execute("SELECT n FROM kw_pg_totals WHERE id = 1").fetchone()[0])

    def __contains__(self, clause_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM kw_pg_clauses WHERE clause_id = ?", (clause_id,)).fetchone() is not None

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
            p_term: list[str] = []
            p_clause: list[str] = []
            p_tf: list[int] = []
            c_id: list[str] = []
            c_doc: list[str] = []
            c_len: list[int] = []
            df: Counter[str] = Counter()
            for cid, (doc_id, text) in last.items():
                toks = tokens(text)
                tf = Counter(toks)
                for term, n in tf.items():
                    p_term.append(term)
                    p_clause.append(cid)
                    p_tf.append(n)
                df.update(tf.keys())
                c_id.append(cid)
                c_doc.append(doc_id)
                c_len.append(len(toks))
            self.db.execute(
                "INSERT INTO kw_pg_clauses (clause_id, doc_id, length) "
                "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])", (c_id, c_doc, c_len))
            if p_term:
                self.db.execute(
                    "INSERT INTO kw_pg_postings (term, clause_id, tf) "
                    "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])", (p_term, p_clause, p_tf))
                terms = sorted(df)  # a fixed order: concurrent upserts never deadlock on term rows
                self.db.execute(
                    "INSERT INTO kw_pg_terms (term, df) SELECT * FROM unnest(?::text[], ?::bigint[]) "
                    "ON CONFLICT (term) DO UPDATE SET df = kw_pg_terms.df + EXCLUDED.df",
                    (terms, [df[t] for t in terms]))
            self.db.execute("UPDATE kw_pg_totals SET n = n + ?, total = total + ? WHERE id = 1",
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
            "DELETE FROM kw_pg_clauses WHERE clause_id = ANY(?::text[]) RETURNING length", (list(clause_ids),)).fetchall()
        if not gone:
            return 0
        dropped = self.db.execute(
            """WITH d AS (DELETE FROM kw_pg_postings WHERE clause_id = ANY(?::text[]) RETURNING term)
               SELECT term, count(*) FROM d GROUP BY term ORDER BY term""", (list(clause_ids),)).fetchall()
        if dropped:
            terms = [t for t, _ in dropped]
            self.db.execute(
                """UPDATE kw_pg_terms t SET df = t.df - d.n
                   FROM unnest(?::text[], ?::bigint[]) AS d(term, n) WHERE t.term = d.term""",
                (terms, [n for _, n in dropped]))
            self.db.execute("DELETE FROM kw_pg_terms WHERE term = ANY(?::text[]) AND df <= 0", (terms,))
        self.db.execute("UPDATE kw_pg_totals SET n = n - ?, total = total - ? WHERE id = 1",
                        (len(gone), sum(r[0] for r in gone)))
        return len(gone)

    # ------------------------------------------------------------------ scoring

    def _snapshot(self):  # type: ignore[no-untyped-def]
        snap = getattr(self.db, "snapshot", None)
        if snap is None:  # a Db without snapshots: reads as they come
            from contextlib import nullcontext

            return nullcontext()
        return snap()

    def _totals(self) -> tuple[int, float]:
        n, total = self.db.execute("SELECT n, total FROM kw_pg_totals WHERE id = 1").fetchone()
        return int(n), (total / n if n else 0.0) or 1.0  # BM25Index: avgdl = total / N or 1.0

    @staticmethod
    def _idf(n: int, df: int) -> float:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """IDF of a folded term; a term no clause holds gets the highest IDF (it is the most telling)."""
        with self._snapshot():
            n, _ = self._totals()
            row = self.db.execute("SELECT df FROM kw_pg_terms WHERE term = ?", (term,)).fetchone()
        return self._idf(n, int(row[0]) if row else 0)

    @staticmethod
    def _query_terms(query: str) -> list[str]:
        return list(dict.fromkeys(tokens(query)))  # each distinct term counts once, in order

    def _exact(self, terms: list[str], clause_ids: list[str], n: int, avgdl: float) -> dict[str, float]:
        """BM25Index's arithmetic, term by term in query order, for the given clauses."""
        out = {c: 0.0 for c in clause_ids}
        if not clause_ids or not terms:
            return out
        dfs = dict(self.db.execute("SELECT term, df FROM kw_pg_terms WHERE term = ANY(?::text[])", (terms,)).fetchall())
        lengths = dict(self.db.execute(
            "SELECT clause_id, length FROM kw_pg_clauses WHERE clause_id = ANY(?::text[])", (clause_ids,)).fetchall())
        tfs: dict[str, dict[str, int]] = {}
        for term, cid, tf in self.db.execute(
                "SELECT term, clause_id, tf FROM kw_pg_postings WHERE term = ANY(?::text[]) AND clause_id = ANY(?::text[])",
                (terms, clause_ids)):
            tfs.setdefault(term, {})[cid] = tf
        k1, b = self.k1, self.b
        for term in terms:
            posting = tfs.get(term)
            if not posting or term not in dfs:
                continue
            idf = self._idf(n, int(dfs[term]))
            for cid in clause_ids:
                tf = posting.get(cid)
                if tf:
                    norm = k1 * (1.0 - b + b * float(lengths[cid]) / avgdl)
                    out[cid] += idf * float(tf) * (k1 + 1.0) / (float(tf) + norm)
        return out

    def score_ids(self, query: str, clause_ids: Iterable[str]) -> dict[str, float]:
        """Exact BM25 scores of the given clauses (0.0 when nothing matches; unknown ids left out): for fusion."""
        wanted = list(dict.fromkeys(clause_ids))
        if not wanted:
            return {}
        with self._snapshot():
            known = [r[0] for r in self.db.execute(
                "SELECT clause_id FROM kw_pg_clauses WHERE clause_id = ANY(?::text[])", (wanted,))]
            known_set = set(known)
            ids = [c for c in wanted if c in known_set]
            if not ids:
                return {}
            n, avgdl = self._totals()
            return self._exact(self._query_terms(query), ids, n, avgdl)

    def search(self, query: str, k: int = 10, doc_ids: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, score), best first; ties by clause_id; only clauses of ``doc_ids`` if given."""
        terms = self._query_terms(query)
        docs = None if doc_ids is None else list(dict.fromkeys(doc_ids))
        if k <= 0 or not terms or docs == []:
            return []
        where = "" if docs is None else "WHERE c.doc_id = ANY(?::text[])"
        params: list[Any] = [terms, self.k1, self.k1, self.b, self.b]
        if docs is not None:
            params.append(docs)
        params += [k, _CUT_SLACK]
        with self._snapshot():
            n, avgdl = self._totals()
            if n == 0:
                return []
            cands = [r[0] for r in self.db.execute(_CANDIDATES.format(where=where), params)]
            exact = self._exact(terms, cands, n, avgdl)
        ranked = sorted(exact.items(), key=lambda x: (-x[1], x[0]))
        return ranked[:k]
