"""The keyword index on SQLite FTS5, with the exact scores of :class:`index.keyword.BM25Index`.

Why: the in-memory BM25 index is rebuilt from every clause at start-up and held by every
process; in the catalog it is persisted, shared by readers and updated in the writer's
transaction. Search results must stay identical to today's, so FTS5 only *finds* candidates and
the scores are recomputed exactly (Okapi BM25, k1 1.2, b 0.75, Lucene's IDF
``log(1 + (N - df + 0.5) / (df + 0.5))``, doc length = number of tokens, ties by clause_id).

How: each clause's tokens (:func:`index.keyword.tokens`: folded syllables + bigrams, all of
``[0-9a-z_]``) are stored space-joined in ``kw_clause`` and indexed by an external-content FTS5
table whose tokenizer keeps them whole (``unicode61 tokenchars '_'``), so FTS5 sees exactly our
tokens, lengths and average length. The statistics the exact score needs live in plain tables
updated with the postings: ``kw_term`` (df per term) and ``kw_stat`` (clause and token totals).

FTS5's own ``bm25()`` differs from ours only by its IDF (``log((N - df + .5)/(df + .5))``, floored
at 1e-6): a clause outside the FTS5 top ``depth`` has an FTS5 score at most the cut's, and from
that we bound its exact score (a small linear programme over the query terms, :func:`_bound`).
When the k-th exact score beats the bound, no clause outside the pool can enter (or tie into)
the top k; otherwise the pool is deepened (x4) until it does or the pool holds every match. So
a rare-term query costs its postings, not the corpus; a query made of very common terms costs
what matching them costs.

Which terms FTS5 matches: the rarest ones, up to ``postings_budget`` postings, the others'
contribution bounded by their caps; when that cannot settle the top k, more terms are matched.
A term held by half the clauses or more sits at FTS5's IDF floor, so matching it costs its
(huge) postings list and sharpens no cut: it is matched only when the rarer terms could not
settle the top k, and then with every remaining term at once (issue 12: warm search at 100k
clauses spent most of its time in FTS5 on such terms). Results do not depend on this choice -
only the proof of the top k does - and stay exactly those of ``BM25Index``.

Nothing here commits: the catalog writer calls :meth:`FtsKeywordIndex.add_many` /
:meth:`~FtsKeywordIndex.remove_doc` inside its own transaction, so a document's postings land or
fail with the document. SQLite only (FTS5); PostgreSQL has its own ``keyword_pg``.

A search is several SELECTs. For one snapshot, run it inside a read transaction (a deferred
``BEGIN`` on SQLite/WAL: no lock against writers); without one, a write committed between two of
them can skew that one query's scores, never raise.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Callable, Collection, Iterable, NamedTuple, Sequence

from tracuu.index.keyword import tokens
from tracuu.index.sql_lists import chunks, marks

try:  # the catalog's runner type, once h12-catalog's migrations.py is merged
    from tracuu.index.catalog.migrations import Migration  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - same shape, duck-typed by the runner
    class Migration(NamedTuple):  # type: ignore[no-redef]
        name: str
        apply: Callable[[Any], None]


K1 = 1.2
B = 0.75
_CHUNK = 500  # bound parameters per IN (...) list


def _create_tables(db: Any) -> None:
    if db.dialect != "sqlite":
        raise RuntimeError("keyword_fts needs SQLite FTS5; on PostgreSQL use index.catalog.keyword_pg")
    db.execute(
        "CREATE TABLE kw_clause ("
        " id INTEGER PRIMARY KEY,"  # the FTS5 rowid
        " clause_id TEXT NOT NULL UNIQUE,"
        " doc_id TEXT NOT NULL,"
        " length INTEGER NOT NULL,"
        " tokens TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX kw_clause_doc ON kw_clause(doc_id)")
    db.execute("CREATE TABLE kw_term (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE kw_stat (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("INSERT INTO kw_stat(name, value) VALUES ('clauses', 0), ('tokens', 0)")
    db.execute(
        "CREATE VIRTUAL TABLE kw_fts USING fts5(tokens, content='kw_clause', content_rowid='id',"
        " tokenize=\"unicode61 tokenchars '_'\")"
    )


MIGRATIONS: list[Migration] = [Migration("kw_001_fts5_clauses_terms_stats", _create_tables)]


def _fts_idf(n: int, df: int) -> float:
    """FTS5's bm25() IDF (fts5_aux.c)."""
    idf = math.log((n - df + 0.5) / (df + 0.5))
    return idf if idf > 0.0 else 1e-6


def _fts_blind(n: int, df: int) -> bool:
    """Does FTS5's bm25() rank this term at its IDF floor (df >= about half the clauses)? Its
    ranking then hardly sees the term: matching it costs its postings and sharpens no cut."""
    return _fts_idf(n, df) <= 1e-6


def _bound(cut: float, terms: list[tuple[float, float]]) -> float:
    """Largest exact score a clause can have when its FTS5 score is at most ``cut``.

    ``terms``: (our IDF a, FTS5's IDF c) per query term. A clause's scores are sum(a * g) and
    sum(c * g) over the same per-term factors 0 <= g < k1 + 1, so the answer is at most the
    fractional knapsack max sum(a * g) s.t. sum(c * g) <= cut: fill terms by a/c, best first.
    """
    cap = K1 + 1.0
    budget = max(cut, 0.0)
    total = 0.0
    for a, c in sorted(terms, key=lambda t: -t[0] / t[1]):
        g = cap if c * cap <= budget else budget / c
        total += a * g
        budget -= c * g
        if budget <= 0.0 and g < cap:
            break
    return total


class FtsKeywordIndex:
    """BM25 over folded syllables and bigrams, persisted in the catalog (SQLite FTS5)."""

    def __init__(self, db: Any, k1: float = K1, b: float = B) -> None:
        if (k1, b) != (K1, B):
            raise ValueError("FTS5's bm25() has k1 1.2 and b 0.75 built in: candidates need the same")
        self.db = db
        self.k1 = k1
        self.b = b
        self.depth_min = 2000  # FTS5 candidates ranked first: max(8k, depth_min) (cheap: FTS5 ranks every match anyway)
        self.rescore_min = 16  # candidates rescored first: max(2k, rescore_min), then x4
        self.deepen = 16  # FTS5 depth factor when the pool ran out (each deepening ranks every match again)
        self.postings_budget = 250_000  # FTS5 first matches the rarest terms holding about this many postings
        self.last_depth = 0  # pool size the last search needed (for bench/keyword_fts.py)

    # ------------------------------------------------------------------ statistics

    def _stats(self) -> tuple[int, int]:
        rows = dict(self.db.execute("SELECT name, value FROM kw_stat").fetchall())
        return int(rows.get("clauses", 0)), int(rows.get("tokens", 0))

    def __len__(self) -> int:
        return self._stats()[0]

    def __contains__(self, clause_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM kw_clause WHERE clause_id = ?", (clause_id,)).fetchone() is not None

    def clause_ids(self) -> set[str]:
        """Every clause id the index holds (for the catalog's consistency checks; reads them all)."""
        return {r[0] for r in self.db.execute("SELECT clause_id FROM kw_clause").fetchall()}

    def _dfs(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in chunks(list(terms), _CHUNK):
            out.update(self.db.execute(f"SELECT term, df FROM kw_term WHERE term IN ({marks(len(part))})", part).fetchall())
        return out

    def _idf(self, n: int, df: int) -> float:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """IDF of a folded term; a term no clause holds gets the highest IDF (it is the most telling)."""
        return self.idfs([term])[term]

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """:meth:`idf` of several terms in two queries (abstain.coverage asks for a question's terms)."""
        terms = list(dict.fromkeys(terms))
        n, _ = self._stats()
        dfs = self._dfs(terms)
        return {t: self._idf(n, dfs.get(t, 0)) for t in terms}

    # ------------------------------------------------------------------ building (no commit)

    def add(self, clause_id: str, doc_id: str, text: str) -> None:
        """Index one clause (replacing it if already there)."""
        self.add_many([(clause_id, doc_id, text)])

    def add_many(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Index clauses given as (clause_id, doc_id, text); a clause already there is replaced."""
        latest: dict[str, tuple[str, str]] = {}
        for cid, doc, text in items:  # the same clause twice: the last one wins, as in BM25Index
            latest[cid] = (doc, text)
        if not latest:
            return
        self._remove_where("clause_id", list(latest))
        df: Counter[str] = Counter()
        n_tokens = 0
        for cid, (doc, text) in latest.items():
            toks = tokens(text)
            joined = " ".join(toks)
            rowid = self.db.execute(
                "INSERT INTO kw_clause(clause_id, doc_id, length, tokens) VALUES (?, ?, ?, ?) RETURNING id",
                (cid, doc, len(toks), joined),
            ).fetchone()[0]
            self.db.execute("INSERT INTO kw_fts(rowid, tokens) VALUES (?, ?)", (rowid, joined))
            df.update(set(toks))
            n_tokens += len(toks)
        self._apply_df_total(df, n_tokens, len(latest), +1)

    def _apply_df_total(self, df: Counter[str], n_tokens: int, n_clauses: int, sign: int) -> None:
        if sign > 0:
            self.db.executemany(
                "INSERT INTO kw_term(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                list(df.items()),
            )
        else:
            self.db.executemany("UPDATE kw_term SET df = df - ? WHERE term = ?", [(n, t) for t, n in df.items()])
            self.db.executemany("DELETE FROM kw_term WHERE term = ? AND df <= 0", [(t,) for t in df])
        self.db.execute("UPDATE kw_stat SET value = value + ? WHERE name = 'tokens'", (sign * n_tokens,))
        if n_clauses:
            self.db.execute("UPDATE kw_stat SET value = value + ? WHERE name = 'clauses'", (sign * n_clauses,))

    def remove(self, clause_id: str) -> bool:
        return self._remove_where("clause_id", [clause_id]) > 0

    def remove_doc(self, doc_id: str) -> int:
        """Drop every clause of ``doc_id``; returns how many there were."""
        return self._remove_where("doc_id", [doc_id])

    def _remove_where(self, column: str, values: Sequence[str]) -> int:
        found: list[tuple[int, str]] = []
        for part in chunks(list(dict.fromkeys(values)), _CHUNK):
            found += self.db.execute(
                f"SELECT id, tokens FROM kw_clause WHERE {column} IN ({marks(len(part))})", part
            ).fetchall()
        if not found:
            return 0
        df: Counter[str] = Counter()
        n_tokens = 0
        for rowid, joined in found:
            self.db.execute("INSERT INTO kw_fts(kw_fts, rowid, tokens) VALUES ('delete', ?, ?)", (rowid, joined))
            toks = joined.split()
            df.update(set(toks))
            n_tokens += len(toks)
        self.db.executemany("DELETE FROM kw_clause WHERE id = ?", [(r,) for r, _ in found])
        self._apply_df_total(df, n_tokens, len(found), -1)
        return len(found)

    # ------------------------------------------------------------------ scoring

    def _query_terms(self, query: str) -> list[str]:
        return list(dict.fromkeys(tokens(query)))  # each distinct term counts once

    def _score_rows(self, rows: Iterable[tuple[Any, str, int, str]], terms: list[str],
                    idfs: dict[str, float], avgdl: float) -> dict[Any, tuple[str, float]]:
        """key -> (clause_id, exact BM25): the same operations, in the same order, as BM25Index."""
        k1, b = self.k1, self.b
        wanted = set(idfs)
        out: dict[Any, tuple[str, float]] = {}
        for key, cid, length, joined in rows:
            toks = joined.split()
            score = 0.0
            norm = k1 * (1.0 - b + b * length / avgdl)
            for term in terms:
                if term in wanted:
                    n = toks.count(term)
                    if n:
                        score += idfs[term] * n * (k1 + 1.0) / (n + norm)
            out[key] = (cid, score)
        return out

    def score_ids(self, query: str, clause_ids: Iterable[str]) -> dict[str, float]:
        """Exact BM25 scores of the given clauses (0.0 when nothing matches): for fusion."""
        ids = list(dict.fromkeys(clause_ids))
        rows: list[tuple[str, str, int, str]] = []
        for part in chunks(ids, _CHUNK):
            rows += self.db.execute(
                f"SELECT clause_id, clause_id, length, tokens FROM kw_clause WHERE clause_id IN ({marks(len(part))})",
                part,
            ).fetchall()
        if not rows:
            return {}
        n, total = self._stats()
        avgdl = total / n or 1.0
        terms = self._query_terms(query)
        dfs = self._dfs(terms)
        idfs = {t: self._idf(n, dfs[t]) for t in terms if t in dfs}
        scored = self._score_rows(rows, terms, idfs, avgdl)
        present = {cid for cid, *_ in rows}
        return {c: scored[c][1] for c in ids if c in present}

    def search(self, query: str, k: int = 10, doc_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, score), best first; ties by clause_id, as BM25Index.search.

        ``doc_ids``: only clauses of these documents (None: all).
        """
        if k <= 0:
            return []
        n, total = self._stats()
        if not n:
            return []
        terms = self._query_terms(query)
        dfs = self._dfs(terms)
        terms_present = [t for t in terms if t in dfs]
        if not terms_present:
            return []
        avgdl = total / n or 1.0
        idfs = {t: self._idf(n, dfs[t]) for t in terms_present}
        docs = list(dict.fromkeys(doc_ids)) if doc_ids is not None else None
        if docs is not None and not docs:
            return []
        cap = self.k1 + 1.0
        rarest = sorted(terms_present, key=lambda t: (dfs[t], t))
        cum = 0
        j = 0  # FTS5 matches the j rarest terms; the others' contribution is bounded by their caps
        for t in rarest:
            if j and (cum + dfs[t] > self.postings_budget or _fts_blind(n, dfs[t])):
                break
            cum += dfs[t]
            j += 1
        scored: dict[int, tuple[str, float]] = {}
        self.last_depth = 0
        while True:
            rare, common = rarest[:j], rarest[j:]
            common_cap = sum(idfs[t] * cap for t in common)  # a clause matching none of ``rare`` scores less
            pairs = [(idfs[t], _fts_idf(n, dfs[t])) for t in rare]
            match = " OR ".join(f'"{t}"' for t in rare)
            depth = max(8 * k, self.depth_min)
            pool = self._fts_pool(match, depth, docs)
            m = min(len(pool), max(2 * k, self.rescore_min))  # rescored so far: a prefix of ``pool``
            while True:
                new = [rowid for rowid, _ in pool[:m] if rowid not in scored]
                for part in chunks(new, _CHUNK):
                    rows = self.db.execute(
                        f"SELECT id, clause_id, length, tokens FROM kw_clause WHERE id IN ({marks(len(part))})", part
                    ).fetchall()
                    scored.update(self._score_rows(rows, terms, idfs, avgdl))
                best = sorted(scored.values(), key=lambda x: (-x[1], x[0]))[:k]
                self.last_depth = max(self.last_depth, m)
                exhaustive = m == len(pool) < depth  # every match of ``rare`` is scored
                if exhaustive and not common:
                    return best
                limit = common_cap
                if not exhaustive:  # unscored matches have an FTS5 score at most the cut's
                    limit += _bound(-pool[m - 1][1] * (1.0 + 1e-12) + 1e-12, pairs)
                kth = best[-1][1] if len(best) == k else -1.0
                if kth > limit * (1.0 + 1e-9) + 1e-12:  # nothing unseen can reach (or tie) the k-th
                    return best
                if common and (exhaustive or kth <= common_cap * (1.0 + 1e-9) + 1e-12):
                    break  # only matching more terms can settle it
                if m < len(pool):
                    m = min(len(pool), 4 * m)
                else:
                    depth *= self.deepen
                    pool = self._fts_pool(match, depth, docs)
            want = 2 * sum(dfs[t] for t in rare)
            while j < len(rarest) and (j == len(rare) or sum(dfs[t] for t in rarest[:j]) < want):
                j += 1
            if j < len(rarest) and _fts_blind(n, dfs[rarest[j - 1]]):
                j = len(rarest)  # the rest are as common: matching them one round at a time ranks nothing better

    def _fts_pool(self, match: str, depth: int, docs: list[str] | None) -> list[tuple[int, float]]:
        """(rowid, FTS5 rank) of the best ``depth`` matches by FTS5's bm25(), best first."""
        if docs is None:
            return self.db.execute(
                "SELECT rowid, rank FROM kw_fts WHERE kw_fts MATCH ? ORDER BY rank LIMIT ?", (match, depth)
            ).fetchall()
        out: list[tuple[int, float]] = []
        for part in chunks(docs, _CHUNK):
            out += self.db.execute(
                "SELECT f.rowid, f.rank FROM kw_fts f CROSS JOIN kw_clause c ON c.id = f.rowid"
                f" WHERE kw_fts MATCH ? AND c.doc_id IN ({marks(len(part))}) ORDER BY f.rank LIMIT ?",
                (match, *part, depth),
            ).fetchall()
        if len(docs) > _CHUNK:
            out.sort(key=lambda r: r[1])
            out = out[:depth]
        return out
