"""Knowing when the corpus does not answer: term coverage and dense similarity of the best hit.

Why not the fused score: it is min-max normalised per query, so the best hit always scores 1.0
even when nothing relevant exists. Two absolute signals remain: how much of the question's
information (IDF-weighted content syllables) the best clause contains, and the raw cosine of
the best dense match. "Lãi suất cho vay hộ nghèo là bao nhiêu?" against plans that never
mention "lãi suất" fails the first: the rarest, most telling words are absent.
The thresholds are tuned on the dev set (bench/retrieval.py prints the sweep).
"""

from __future__ import annotations

from dataclasses import dataclass

from index.keyword import BM25Index, folded_syllables

# Folded question words and function words: they carry no subject matter.
STOPWORDS = frozenset(
    """ai gi nao bao nhieu la co duoc cua va cac nhung thi hien nay the nhu khi o dau voi cho ve trong
    phai do mot nao sao vay hay hoac tai theo den tu de se da dang can muon biet hoi xin vui long
    ra sao the nao noi quy dinh neu tren duoi nay kia day ay ma con nhu""".split()
)


@dataclass(frozen=True)
class Thresholds:
    coverage: float = 0.5
    dense: float = 0.80


def content_terms(text: str) -> list[str]:
    """Distinct folded content syllables of a question."""
    return list(dict.fromkeys(t for t in folded_syllables(text) if t not in STOPWORDS and not t.isdigit()))


def coverage(query_texts: list[str], clause_text: str, bm25: BM25Index) -> float:
    """Share of the question's IDF mass found in the clause (best over the query's readings)."""
    clause_terms = set(folded_syllables(clause_text))
    best = 0.0
    for text in query_texts:
        terms = content_terms(text)
        if not terms:
            continue
        total = sum(bm25.idf(t) for t in terms)
        hit = sum(bm25.idf(t) for t in terms if t in clause_terms)
        best = max(best, hit / total if total else 0.0)
    return best
