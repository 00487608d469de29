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

Exact scores: PostgreSQL ranks the matching clauses with the BM25 formula (the sum's order inside
SQL may differ in the last bits), keeps the top k and everything within a hair of the k-th, and
returns those few candidates' postings; they are rescored in Python with the same operations, in
the same order (query terms in order, as BM25Index adds them), so scores and tie order equal
BM25Index's exactly. A search or score_ids is ONE statement: one consistent snapshot, one round
trip, no lock. Writes never commit (the catalog's transaction does).
"""

from __future__ import annotations

import contextlib
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
        # doc_id and length repeated here: a query reads its terms' postings and nothing else
        # (no join with kw_pg_clauses, whose size is the corpus's); INCLUDE makes it index-only.
        """CREATE TABLE kw_pg_postings (
               term TEXT NOT NULL,
               clause_id TEXT NOT NULL,
               doc_id TEXT NOT NULL,
               length BIGINT NOT NULL,
               tf BIGINT NOT NULL,
               PRIMARY KEY (term, clause_id) INCLUDE (doc_id, length, tf))""",
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


# (LATERAL ... OFFSET 0: the candidates' postings are fetched by primary key, candidate by candidate,
# not by re-reading every posting of the query's terms.)
# One statement (so one consistent snapshot, one round trip): PostgreSQL scores every clause holding
# a query term (postings only: doc_id and length are in them), keeps the top k and everything within
# _CUT_SLACK of the k-th, and returns those candidates' postings of the query terms, with the
# statistics, for the exact rescoring in Python.
_SEARCH = """
WITH tot AS MATERIALIZED (
    SELECT n, total, CASE WHEN total = 0 THEN 1.0::float8 ELSE total::float8 / n END AS avgdl
    FROM kw_pg_totals WHERE id = 1),
q AS MATERIALIZED (
    SELECT t.term, t.df, ln(1.0::float8 + (tot.n - t.df + 0.5::float8) / (t.df + 0.5::float8)) AS idf
    FROM kw_pg_terms t, tot WHERE t.term = ANY(?::text[])),
s AS MATERIALIZED (
    SELECT p.clause_id,
           sum(q.idf * p.tf * (?::float8 + 1.0::float8)
               / (p.tf + ?::float8 * (1.0::float8 - ?::float8 + ?::float8 * p.length / tot.avgdl))) AS score
    FROM q JOIN kw_pg_postings p ON p.term = q.term CROSS JOIN tot
    {where}
    GROUP BY p.clause_id),
cut AS MATERIALIZED (SELECT min(score) AS score FROM (SELECT score FROM s ORDER BY score DESC LIMIT ?) top),
c AS MATERIALIZED (SELECT s.clause_id FROM s, cut WHERE s.score >= cut.score - ? * (1.0::float8 + abs(cut.score)))
SELECT c.clause_id, p.term, p.tf, p.length, q.df, tot.n, tot.total
FROM c
CROSS JOIN LATERAL (SELECT p.term, p.tf, p.length FROM kw_pg_postings p
                    WHERE p.term = ANY(?::text[]) AND p.clause_id = c.clause_id OFFSET 0) p
JOIN q ON q.term = p.term
CROSS JOIN tot
"""

# MaxScore: when a query's rarest terms hold at most this many postings in all, the clauses holding
# one of them are scored first (exactly, every query term); if even the sum of the other terms'
# upper bounds (idf x (k1 + 1): tf / (tf + norm) < 1) stays below the k-th of those scores, no
# other clause can enter or tie into the top k, and the common terms' long postings are never read.
# Otherwise the query is answered by _SEARCH. Measured with bench/keyword_pg.py.
_RARE_POSTINGS = 4000

_STATS = """
SELECT tot.n, tot.total, t.term, t.df
FROM kw_pg_totals tot LEFT JOIN kw_pg_terms t ON t.term = ANY(?::text[])
WHERE tot.id = 1
"""

_RARE = """
WITH c AS MATERIALIZED (
    SELECT DISTINCT p.clause_id FROM kw_pg_postings p WHERE p.term = ANY(?::text[]) {docs})
SELECT c.clause_id, p.term, p.tf, p.length
FROM c CROSS JOIN LATERAL (SELECT p.term, p.tf, p.length FROM kw_pg_postings p
                           WHERE p.term = ANY(?::text[]) AND p.clause_id = c.clause_id OFFSET 0) p
"""

# The given clauses (unknown ones left out), with their postings of the query terms if any.
_SCORE_IDS = """
WITH tot AS MATERIALIZED (SELECT n, total FROM kw_pg_totals WHERE id = 1)
SELECT c.clause_id, p.term, p.tf, c.length, t.df, tot.n, tot.total
FROM kw_pg_clauses c
CROSS JOIN tot
LEFT JOIN kw_pg_postings p ON p.clause_id = c.clause_id AND p.term = ANY(?::text[])
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
        self.last_plan = ""  # "rare-first" or "full": how the last search was answered (for tests, bench)
        self.rare_postings = _RARE_POSTINGS

    # ------------------------------------------------------------------ size

    def __len__(self) -> int:
        return int(self.db.execute("SELECT n FROM kw_pg_totals WHERE id = 1").fetchone()[0])

    def __contains__(self, clause_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM kw_pg_clauses WHERE clause_id = ?", (clause_id,)).fetchone() is not None

    # ------------------------------------------------------------------ writing (never commits)

    def begin(self) -> None:
        """The catalog writer's hook before a write: nothing to prepare (the postings are rows)."""

    def committed(self, ok: bool) -> None:
        """The catalog writer's hook after its transaction: nothing to drop (a rollback took the rows back)."""

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
            p_doc: list[str] = []
            p_len: list[int] = []
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
                    p_doc.append(doc_id)
                    p_len.append(len(toks))
                df.update(tf.keys())
                c_id.append(cid)
                c_doc.append(doc_id)
                c_len.append(len(toks))
            self.db.execute(
                "INSERT INTO kw_pg_clauses (clause_id, doc_id, length) "
                "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])", (c_id, c_doc, c_len))
            if p_term:
                self.db.execute(
                    "INSERT INTO kw_pg_postings (term, clause_id, doc_id, length, tf) "
                    "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])",
                    (p_term, p_clause, p_doc, p_len, p_tf))
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

    def search(self, query: str, k: int = 10, doc_ids: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, score), best first; ties by clause_id; only clauses of ``doc_ids`` if given."""
        terms = self._query_terms(query)
        docs = None if doc_ids is None else list(dict.fromkeys(doc_ids))
        if k <= 0 or not terms or docs == []:
            return []
        with self._snapshot():
            stats = self.db.execute(_STATS, (terms,)).fetchall()
            n, total = int(stats[0][0]), int(stats[0][1])
            dfs = {r[2]: int(r[3]) for r in stats if r[2] is not None}
            if not n or not dfs:
                return []
            best = self._search_rare_first(terms, dfs, n, total, k, docs)
            if best is not None:
                self.last_plan = "rare-first"
                return best
            self.last_plan = "full"
            where = "" if docs is None else "WHERE p.doc_id = ANY(?::text[])"
            params: list[Any] = [terms, self.k1, self.k1, self.b, self.b] + ([docs] if docs is not None else [])
            params += [k, _CUT_SLACK, [t for t in terms if t in dfs]]  # in the order of the ? in _SEARCH
            exact = self._exact(terms, self.db.execute(_SEARCH.format(where=where), params).fetchall())
        return sorted(exact.items(), key=lambda x: (-x[1], x[0]))[:k]

    def _search_rare_first(self, terms: list[str], dfs: dict[str, int], n: int, total: int, k: int,
                           docs: list[str] | None) -> list[tuple[str, float]] | None:
        """The exact top k from the clauses holding the query's rarest terms, or None when the
        other terms could still lift some other clause into it (see _RARE_POSTINGS)."""
        rare: list[str] = []
        budget = 0
        for term in sorted(dfs, key=lambda t: (dfs[t], t)):
            if budget + dfs[term] > self.rare_postings:
                break
            rare.append(term)
            budget += dfs[term]
        if not rare or len(rare) == len(dfs):  # nothing cheap to start from / nothing to skip
            return None
        chosen = set(rare)
        others = sum(self._idf(n, dfs[t]) * (self.k1 + 1.0) for t in dfs if t not in chosen)
        present = [t for t in terms if t in dfs]
        sql = _RARE.format(docs="" if docs is None else "AND p.doc_id = ANY(?::text[])")
        params: list[Any] = [rare] + ([docs] if docs is not None else []) + [present]
        scores = self._score(terms, self.db.execute(sql, params).fetchall(), n, total, dfs)
        best = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]
        if len(best) == k and best[-1][1] > others * (1.0 + _CUT_SLACK) + 1e-12:
            return best  # any other clause scores below `others`, hence below the k-th
        return None
