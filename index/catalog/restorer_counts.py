"""The diacritic restorer's n-gram counts, persisted in the catalog and read per query.

Why: :class:`index.query.restore.DiacriticRestorer` is trained on every clause text; rebuilding
it means reading the whole corpus at start-up (and again whenever any document changes). Here
its counts live in tables, updated in the ingest transaction (a document added counts its
clauses, a document deleted or replaced subtracts exactly what they added), and a query reads
only the rows it needs: the forms of its folded syllables with their unigram counts, the
bigram/trigram counts between the candidates of neighbouring syllables, the totals of those
contexts, and the rhyme/onset/tone sums behind the general-syllable prior. ``restore()`` then
runs the unchanged decoder over that slice, so its output is identical to
``DiacriticRestorer.from_texts(all texts counted here)``.

Tables (portable SQL; every count is an exact integer, rows at zero are deleted):
``restorer_uni(word, folded, count)``; ``restorer_ngram(ctx, word, count)`` where ``ctx`` is
the previous token (bigram) or the two previous joined by a tab (trigram);
``restorer_ctx(ctx, n, t)`` the total and number of distinct followers of a context;
``restorer_agg(kind, key, count)`` the sums ``rhyme``/``onset``/``tone`` and ``total``;
``restorer_extra(pos, text)`` fixed texts counted once (the service's question phrases), kept
equal to what the code says by :meth:`RestorerCounts.sync_extra`.

Nothing here commits: the catalog writer calls these inside its own transaction. A restore is
several SELECTs: run it inside a read transaction for one snapshot (see keyword_fts).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from tracuu.index.query.restore import NUM, SYM, DiacriticRestorer, _Derived, _segments, syllable_parts
from tracuu.index.query.syllables import candidates, split_syllable
from tracuu.index.sql_lists import chunks, marks
from tracuu.ingest.vntext import fold, nfc

try:  # the catalog's runner type, once h12-catalog's migrations.py is merged
    from tracuu.index.catalog.migrations import Migration  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - same shape, duck-typed by the runner
    class Migration(NamedTuple):  # type: ignore[no-redef]
        name: str
        apply: Callable[[Any], None]


_CHUNK = 400
_SEP = "\t"  # joins the two tokens of a trigram context; never inside a model token


def _create_tables(db: Any) -> None:
    db.execute("CREATE TABLE restorer_uni (word TEXT PRIMARY KEY, folded TEXT NOT NULL, count BIGINT NOT NULL)")
    db.execute("CREATE INDEX restorer_uni_folded ON restorer_uni(folded)")
    db.execute(
        "CREATE TABLE restorer_ngram (ctx TEXT NOT NULL, word TEXT NOT NULL, count BIGINT NOT NULL,"
        " PRIMARY KEY (ctx, word))"
    )
    db.execute("CREATE TABLE restorer_ctx (ctx TEXT PRIMARY KEY, n BIGINT NOT NULL, t BIGINT NOT NULL)")
    db.execute(
        "CREATE TABLE restorer_agg (kind TEXT NOT NULL, key TEXT NOT NULL, count BIGINT NOT NULL,"
        " PRIMARY KEY (kind, key))"
    )
    db.execute("CREATE TABLE restorer_extra (pos INTEGER PRIMARY KEY, text TEXT NOT NULL)")


MIGRATIONS: list[Migration] = [Migration("restorer_001_counts", _create_tables)]


def _pair_lookup(table: str, cols: tuple[str, str], value: str, n: int) -> str:
    """SELECT a, b, value for ``n`` (a, b) keys given as parameters.

    A join on a VALUES list, not ``(a, b) IN (VALUES ...)``: SQLite 3.40 scans the whole table
    for the latter, and looks each pair up in the primary key for the former (so does PostgreSQL,
    whose VALUES columns are also named column1, column2).
    """
    a, b = cols
    values = ",".join(["(?, ?)"] * n)
    return (f"SELECT t.{a}, t.{b}, t.{value} FROM (VALUES {values}) AS v"
            f" JOIN {table} t ON t.{a} = v.column1 AND t.{b} = v.column2")


def _rhyme_key(rhyme: str, tone: int) -> str:
    return f"{rhyme}{_SEP}{tone}"


class RestorerCounts:
    """Read and update the restorer's counts through a catalog ``Db`` (never commits)."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self._tokenizer = DiacriticRestorer()  # only its text -> model-token sequences (and their cache)

    # ------------------------------------------------------------------ writing

    def add_texts(self, texts: Iterable[str]) -> None:
        """Count the n-grams of ``texts`` (clause texts), as DiacriticRestorer.add_texts does."""
        self._apply(texts, +1)

    def remove_texts(self, texts: Iterable[str]) -> None:
        """Subtract exactly what :meth:`add_texts` added for the same texts.

        Raises ValueError (and the caller's transaction rolls back) when a count would go
        negative: those texts were never counted.
        """
        self._apply(texts, -1)

    def sync_extra(self, texts: Sequence[str]) -> bool:
        """Make the fixed extra texts (the service's question phrases) exactly ``texts``.

        Counts the new list and subtracts the stored one when they differ; returns True when it
        changed anything. Call it inside a transaction when the catalog is opened.
        """
        texts = [nfc(t) for t in texts]
        stored = [r[0] for r in self.db.execute("SELECT text FROM restorer_extra ORDER BY pos").fetchall()]
        if stored == texts:
            return False
        self.remove_texts(stored)
        self.add_texts(texts)
        self.db.execute("DELETE FROM restorer_extra")
        self.db.executemany("INSERT INTO restorer_extra(pos, text) VALUES (?, ?)", list(enumerate(texts)))
        return True

    def _apply(self, texts: Iterable[str], sign: int) -> None:
        uni: Counter[str] = Counter()
        ngram: Counter[tuple[str, str]] = Counter()
        total = 0
        for text in texts:
            for seq in self._tokenizer._sequences(text):
                total += len(seq)
                for i, w in enumerate(seq):
                    uni[w] += 1
                    if i >= 1:
                        ngram[(seq[i - 1], w)] += 1
                    if i >= 2:
                        ngram[(seq[i - 2] + _SEP + seq[i - 1], w)] += 1
        if not total:
            return
        self._apply_uni(uni, sign)
        self._apply_ngrams(ngram, sign)
        agg: Counter[tuple[str, str]] = Counter({("total", ""): total})
        for w, c in uni.items():
            parts = syllable_parts(w)
            if parts:
                onset, rhyme, tone = parts
                agg[("rhyme", _rhyme_key(rhyme, tone))] += c
                agg[("onset", onset)] += c
                agg[("tone", str(tone))] += c
        self._apply_keyed("restorer_agg", ("kind", "key"), agg, sign)

    def _old_counts(self, table: str, cols: tuple[str, ...], keys: list[tuple[str, ...]],
                    value: str = "count") -> dict[tuple[str, ...], Any]:
        out: dict[tuple[str, ...], Any] = {}
        if len(cols) == 1:
            for part in chunks(keys, _CHUNK):
                rows = self.db.execute(
                    f"SELECT {cols[0]}, {value} FROM {table} WHERE {cols[0]} IN ({marks(len(part))})",
                    [k[0] for k in part],
                ).fetchall()
                out.update(((r[0],), r[1]) for r in rows)
            return out
        for part in chunks(keys, _CHUNK):
            rows = self.db.execute(_pair_lookup(table, cols, value, len(part)), [x for k in part for x in k]).fetchall()
            out.update(((r[0], r[1]), r[2]) for r in rows)
        return out

    def _new_counts(self, old: dict, delta: Counter, sign: int) -> dict:
        new = {}
        for key, c in delta.items():
            value = old.get(key, 0) + sign * c
            if value < 0:
                raise ValueError(f"restorer count below zero for {key!r}: removing text that was never added")
            new[key] = value
        return new

    def _apply_keyed(self, table: str, cols: tuple[str, str], delta: Counter, sign: int) -> dict:
        """Counts of ``table`` keyed by two columns += sign * delta; returns {key: (old, new)}."""
        keys = list(delta)
        old = self._old_counts(table, cols, keys)
        new = self._new_counts(old, delta, sign)
        a, b = cols
        self.db.executemany(
            f"INSERT INTO {table}({a}, {b}, count) VALUES (?, ?, ?)"
            f" ON CONFLICT({a}, {b}) DO UPDATE SET count = excluded.count",
            [(*k, v) for k, v in new.items() if v > 0],
        )
        self.db.executemany(f"DELETE FROM {table} WHERE {a} = ? AND {b} = ?", [k for k, v in new.items() if v == 0])
        return {k: (old.get(k, 0), v) for k, v in new.items()}

    def _apply_uni(self, uni: Counter[str], sign: int) -> None:
        keys = [(w,) for w in uni]
        old = {k[0]: v for k, v in self._old_counts("restorer_uni", ("word",), keys).items()}
        new = self._new_counts(old, uni, sign)
        self.db.executemany(
            "INSERT INTO restorer_uni(word, folded, count) VALUES (?, ?, ?)"
            " ON CONFLICT(word) DO UPDATE SET count = excluded.count",
            [(w, fold(w), v) for w, v in new.items() if v > 0],
        )
        self.db.executemany("DELETE FROM restorer_uni WHERE word = ?", [(w,) for w, v in new.items() if v == 0])

    def _apply_ngrams(self, ngram: Counter[tuple[str, str]], sign: int) -> None:
        changes = self._apply_keyed("restorer_ngram", ("ctx", "word"), ngram, sign)
        dn: Counter[str] = Counter()
        dt: Counter[str] = Counter()
        for (ctx, _), (before, after) in changes.items():
            dn[ctx] += after - before
            dt[ctx] += (after > 0) - (before > 0)
        keys = [(c,) for c in dn]
        old: dict[str, tuple[int, int]] = {}
        for part in chunks(keys, _CHUNK):
            rows = self.db.execute(
                f"SELECT ctx, n, t FROM restorer_ctx WHERE ctx IN ({marks(len(part))})", [k[0] for k in part]
            ).fetchall()
            old.update((r[0], (r[1], r[2])) for r in rows)
        put, drop = [], []
        for ctx in dn:
            n0, t0 = old.get(ctx, (0, 0))
            n1, t1 = n0 + dn[ctx], t0 + dt[ctx]
            if n1 < 0 or t1 < 0 or (n1 == 0) != (t1 == 0):
                raise ValueError(f"restorer context {ctx!r} out of step: n={n1}, t={t1}")
            (put if n1 else drop).append((ctx, n1, t1))
        self.db.executemany(
            "INSERT INTO restorer_ctx(ctx, n, t) VALUES (?, ?, ?) ON CONFLICT(ctx) DO UPDATE SET n = excluded.n, t = excluded.t",
            put,
        )
        self.db.executemany("DELETE FROM restorer_ctx WHERE ctx = ?", [(c,) for c, _, _ in drop])

    # ------------------------------------------------------------------ reading

    def total(self) -> int:
        row = self.db.execute("SELECT count FROM restorer_agg WHERE kind = 'total' AND key = ''").fetchone()
        return int(row[0]) if row else 0

    def __len__(self) -> int:
        """Number of syllable tokens counted (DiacriticRestorer's len)."""
        return self.total()

    def restorer(self, **params: Any) -> CatalogRestorer:
        """A restorer reading these counts per query (params as DiacriticRestorer's)."""
        return CatalogRestorer(self.db, **params)


class CatalogRestorer:
    """``restore(query)`` from the catalog's counts: the slice the query needs, decoded as today."""

    def __init__(self, db: Any, **params: Any) -> None:
        self.db = db
        self.params = params

    def restore(self, query: str) -> str:
        model = _QueryModel(**self.params)
        text = nfc(query)
        toks = model._tokens(text)
        if not any(t.restorable for t in toks):
            return text  # what DiacriticRestorer.restore returns, without reading anything
        model.load(self.db, toks)
        return model.restore(query)

    def __len__(self) -> int:
        row = self.db.execute("SELECT count FROM restorer_agg WHERE kind = 'total' AND key = ''").fetchone()
        return int(row[0]) if row else 0


class _QueryModel(DiacriticRestorer):
    """A DiacriticRestorer holding only the counts one query's decoding reads."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._f2: dict[str, tuple[dict[str, int], int, int]] = {}
        self._f3: dict[tuple[str, str], tuple[dict[str, int], int, int]] = {}

    def _follow2(self, v: str) -> tuple[dict[str, int], int, int] | None:
        return self._f2.get(v)

    def _follow3(self, u: str, v: str) -> tuple[dict[str, int], int, int] | None:
        return self._f3.get((u, v))

    def load(self, db: Any, toks: list) -> None:
        segments = _segments(toks)
        folded = {fold(t.surface) if t.restorable else fold(t.model) for seg in segments for t in seg}
        # unigrams of every form of the folded syllables: candidates' counts and the forms table
        fl = sorted(folded)
        for part in chunks(fl, _CHUNK):
            for word, count in db.execute(
                f"SELECT word, count FROM restorer_uni WHERE folded IN ({marks(len(part))})", part
            ).fetchall():
                self._uni[word] = count
        row = db.execute("SELECT count FROM restorer_agg WHERE kind = 'total' AND key = ''").fetchone()
        self._total = int(row[0]) if row else 0
        forms: dict[str, list[str]] = {}
        for w in self._uni:
            if w not in (NUM, SYM):
                forms.setdefault(fold(w), []).append(w)
        # prior: the rhyme/onset sums of every syllable the candidates' foldings allow, all tones
        rhymes, onsets = set(), set()
        for f in folded:
            for c in set(candidates(f)) | set(forms.get(f, ())):
                parts = split_syllable(c)
                if parts:
                    rhymes.add(_rhyme_key(parts[1], parts[2]))
                    onsets.add(parts[0])
        rhyme: dict[tuple[str, int], int] = {}
        onset: dict[str, int] = {}
        tone: dict[int, int] = {}
        for kind, keys in (("rhyme", sorted(rhymes)), ("onset", sorted(onsets))):
            for part in chunks(keys, _CHUNK):
                for key, count in db.execute(
                    f"SELECT key, count FROM restorer_agg WHERE kind = ? AND key IN ({marks(len(part))})",
                    [kind, *part],
                ).fetchall():
                    if kind == "rhyme":
                        r, t = key.split(_SEP)
                        rhyme[(r, int(t))] = count
                    else:
                        onset[key] = count
        for key, count in db.execute("SELECT key, count FROM restorer_agg WHERE kind = 'tone'").fetchall():
            tone[int(key)] = count
        self._derived = _Derived(forms, rhyme, onset, tone)
        # the n-grams between neighbouring candidates, per segment (n-grams never cross one)
        need: dict[str, set[str]] = {}  # context -> the followers its decoding will ask about
        for seg in segments:
            cands = [self.candidates_for(fold(t.surface)) if t.restorable else [t.model or ""] for t in seg]
            for i in range(1, len(cands)):
                for v in cands[i - 1]:
                    need.setdefault(v, set()).update(cands[i])
                    if i >= 2:
                        for u in cands[i - 2]:
                            need.setdefault(u + _SEP + v, set()).update(cands[i])
        stats: dict[str, tuple[int, int]] = {}
        for part in chunks(sorted(need), _CHUNK):
            for ctx, n, t in db.execute(
                f"SELECT ctx, n, t FROM restorer_ctx WHERE ctx IN ({marks(len(part))})", part
            ).fetchall():
                stats[ctx] = (n, t)
        pairs = [(ctx, w) for ctx in sorted(stats) for w in sorted(need[ctx])]
        counts: dict[str, dict[str, int]] = {ctx: {} for ctx in stats}
        for part in chunks(pairs, _CHUNK):
            for ctx, word, count in db.execute(
                _pair_lookup("restorer_ngram", ("ctx", "word"), "count", len(part)), [x for pair in part for x in pair]
            ).fetchall():
                counts[ctx][word] = count
        for ctx, (n, t) in stats.items():  # an unseen context stays absent: _follow returns None
            if _SEP in ctx:
                u, v = ctx.split(_SEP)
                self._f3[(u, v)] = (counts[ctx], n, t)
            else:
                self._f2[ctx] = (counts[ctx], n, t)
