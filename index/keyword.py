"""BM25 over folded Vietnamese syllables and syllable bigrams.

Why not an off-the-shelf BM25: they tokenise on whitespace and stem English. Vietnamese words
are multi-syllable ("ngân hàng") and users type with or without diacritics ("hằng năm",
"hàng năm", "hang nam"). So a token is a folded syllable ("ngan", "hang") or a bigram of two
adjacent ones ("ngan_hang"): unigrams give recall, bigrams reward the right word order.

Nothing is persisted: the index is rebuilt from the document store at start-up (10k clauses
take well under a second), and updated per document afterwards.

Scoring is vectorised: each clause has a slot in a dense array, and a query term's BM25
contributions (one per clause holding it) are computed once into numpy arrays, kept until the
index changes. A query is then one fancy-indexed add per term and a partial sort, instead of a
Python loop over every posting (frequent syllables such as "bao", "cao" hold thousands). The
arithmetic is the same, in the same order, so scores are identical to the plain loop's.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from functools import lru_cache
from typing import Collection, Iterable

import numpy as np
from tracuu.ingest.vntext import syllables


@lru_cache(maxsize=262_144)
def _chunk_syllables(chunk: str) -> tuple[str, ...]:
    return tuple(syllables(chunk))


def folded_syllables(text: str) -> list[str]:
    """Same as :func:`ingest.vntext.syllables`, memoised per whitespace-separated chunk.

    Why: folding is per character (NFD + filter) and dominated start-up; a corpus repeats a few
    thousand words, so caching per chunk makes a 10k-clause rebuild several times faster.
    Splitting on whitespace cannot change the result: whitespace is never part of a syllable
    and NFC never composes across it.
    """
    out: list[str] = []
    for chunk in text.split():
        out.extend(_chunk_syllables(chunk))
    return out


def tokens(text: str) -> list[str]:
    """Folded syllables followed by their bigrams: "Ngân hàng" -> ["ngan", "hang", "ngan_hang"]."""
    syl = folded_syllables(text)
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:])]


class BM25Index:
    """An in-memory inverted index with Okapi BM25 scoring (Lucene's non-negative IDF)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._postings: dict[str, dict[str, int]] = {}  # term -> {clause_id: tf}
        self._len: dict[str, int] = {}  # clause_id -> number of tokens
        self._terms: dict[str, tuple[str, ...]] = {}  # clause_id -> its distinct terms (for removal)
        self._total = 0
        self._slot: dict[str, int] = {}  # clause_id -> position in the score arrays
        self._ids: list[str | None] = []  # position -> clause_id (None: a free slot)
        self._free: list[int] = []
        self._version = 0  # bumped by every change: cached term arrays are then stale
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # term -> (slots, contributions)
        self._arrays_version = -1

    def __len__(self) -> int:
        return len(self._len)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._len

    # ------------------------------------------------------------------ building

    def add(self, clause_id: str, text: str) -> None:
        """Index one clause (replacing it if already there)."""
        if clause_id in self._len:
            self.remove(clause_id)
        toks = tokens(text)
        tf = Counter(toks)
        for term, n in tf.items():
            self._postings.setdefault(term, {})[clause_id] = n
        self._len[clause_id] = len(toks)
        self._terms[clause_id] = tuple(tf)
        self._total += len(toks)
        if self._free:
            slot = self._free.pop()
            self._ids[slot] = clause_id
        else:
            slot = len(self._ids)
            self._ids.append(clause_id)
        self._slot[clause_id] = slot
        self._version += 1

    def add_many(self, items: Iterable[tuple[str, str]]) -> None:
        for cid, text in items:
            self.add(cid, text)

    def remove(self, clause_id: str) -> bool:
        if clause_id not in self._len:
            return False
        for term in self._terms.pop(clause_id):
            posting = self._postings.get(term)
            if posting is not None:
                posting.pop(clause_id, None)
                if not posting:
                    del self._postings[term]
        self._total -= self._len.pop(clause_id)
        slot = self._slot.pop(clause_id)
        self._ids[slot] = None
        self._free.append(slot)
        self._version += 1
        return True

    def remove_many(self, clause_ids: Iterable[str]) -> int:
        return sum(self.remove(cid) for cid in list(clause_ids))

    def rebuild(self, items: Iterable[tuple[str, str]]) -> None:
        """Drop everything and index ``items`` afresh."""
        self._postings.clear()
        self._len.clear()
        self._terms.clear()
        self._total = 0
        self._slot.clear()
        self._ids.clear()
        self._free.clear()
        self._version += 1
        self.add_many(items)

    # ------------------------------------------------------------------ scoring

    def _idf(self, df: int) -> float:
        n = len(self._len)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """IDF of a folded term; a term no clause holds gets the highest IDF (it is the most telling)."""
        return self._idf(len(self._postings.get(term, ())))

    def _query_terms(self, query: str) -> list[str]:
        return list(dict.fromkeys(tokens(query)))  # each distinct term counts once

    def _term_arrays(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(slots, BM25 contributions) of every clause holding ``term``; cached until a change."""
        if self._arrays_version != self._version:
            self._arrays.clear()
            self._arrays_version = self._version
        hit = self._arrays.get(term)
        if hit is not None:
            return hit
        posting = self._postings.get(term)
        if not posting:
            return None
        avgdl = self._total / len(self._len) or 1.0
        k1, b = self.k1, self.b
        idf = self._idf(len(posting))
        slots = np.fromiter((self._slot[c] for c in posting), dtype=np.int64, count=len(posting))
        tf = np.fromiter(posting.values(), dtype=np.float64, count=len(posting))
        lens = np.fromiter((self._len[c] for c in posting), dtype=np.float64, count=len(posting))
        norm = k1 * (1.0 - b + b * lens / avgdl)
        weights = idf * tf * (k1 + 1.0) / (tf + norm)  # the same operations, in the same order, as per clause
        self._arrays[term] = (slots, weights)
        return slots, weights

    def _accumulate(self, query: str, allowed_ids: Collection[str] | None) -> tuple[np.ndarray, np.ndarray]:
        """(score per slot, slots that matched a term and are allowed)."""
        acc = np.zeros(len(self._ids), dtype=np.float64)
        hit = np.zeros(len(self._ids), dtype=bool)
        for term in self._query_terms(query):
            arrays = self._term_arrays(term)
            if arrays is None:
                continue
            slots, weights = arrays
            acc[slots] += weights  # a term's slots are distinct: plain fancy indexing adds once each
            hit[slots] = True
        if allowed_ids is not None:
            mask = np.zeros(len(self._ids), dtype=bool)
            allowed = [self._slot[c] for c in allowed_ids if c in self._slot]
            if allowed:
                mask[np.asarray(allowed, dtype=np.int64)] = True
            hit &= mask
        return acc, np.flatnonzero(hit)

    def scores(self, query: str, allowed_ids: Collection[str] | None = None) -> dict[str, float]:
        """BM25 score of every clause matching at least one query term (restricted if asked)."""
        if not self._len:
            return {}
        acc, matched = self._accumulate(query, allowed_ids)
        ids = self._ids
        return {ids[i]: float(acc[i]) for i in matched.tolist()}  # type: ignore[misc]

    def score_ids(self, query: str, clause_ids: Iterable[str]) -> dict[str, float]:
        """Exact BM25 scores of the given clauses (0.0 when nothing matches): for fusion."""
        ids = [c for c in clause_ids if c in self._len]
        out = {c: 0.0 for c in ids}
        if not ids:
            return out
        avgdl = self._total / len(self._len) or 1.0
        k1, b = self.k1, self.b
        for term in self._query_terms(query):
            posting = self._postings.get(term)
            if not posting:
                continue
            idf = self._idf(len(posting))
            for cid in ids:
                tf = posting.get(cid)
                if tf:
                    norm = k1 * (1.0 - b + b * self._len[cid] / avgdl)
                    out[cid] += idf * tf * (k1 + 1.0) / (tf + norm)
        return out

    def search(self, query: str, k: int = 10, allowed_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Top-k (clause_id, score), best first; ties by clause_id for determinism."""
        if k <= 0 or not self._len:
            return []
        acc, matched = self._accumulate(query, allowed_ids)
        if len(matched) > k:
            vals = acc[matched]
            kth = np.partition(vals, len(vals) - k)[len(vals) - k]  # the k-th largest score
            matched = matched[vals >= kth]  # ties at the cut are all kept, then ordered by id
        ids = self._ids
        return heapq.nsmallest(k, ((ids[i], float(acc[i])) for i in matched.tolist()), key=lambda x: (-x[1], x[0]))
