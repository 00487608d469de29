"""Knowing when the corpus does not answer: term coverage and dense similarity of the best hit.

Why not the fused score: it is min-max normalised per query, so the best hit always scores 1.0
even when nothing relevant exists. Two absolute signals remain: how much of the question's
information (IDF-weighted content syllables) the best clause contains, and the raw cosine of
the best dense match. "Lãi suất cho vay hộ nghèo là bao nhiêu?" against plans that never
mention "lãi suất" fails the first: the rarest, most telling words are absent.

Two refinements of coverage, both measured on the dev set (bench/retrieval.py):

* An abbreviation and its long form are one concept. A reading with "NHCSXH" written out adds
  five common syllables ("ngân hàng chính sách xã hội") that every clause about the bank
  contains; counted at full weight they drown the one word that matters ("Ai là Giám đốc
  Chi nhánh NHCSXH tỉnh?" would look 60% covered). So the terms a reading adds are weighted to
  the mass of the terms it replaced.
* A question asking for a figure ("bao nhiêu", "mức nào", "bao lâu") is only half answered by a
  clause without one: "Tỉnh có bao nhiêu hộ nghèo?" shares every content word with the clause
  on updating the list of poor households, which holds no number.

The thresholds are tuned on the dev set (bench/retrieval.py prints the sweep). The dense
threshold is kept as a floor only: on the dev set the cosine of e5-small does not separate
answerable from unanswerable questions (both lie between 0.80 and 0.90).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.vntext import fold

from index.keyword import BM25Index, folded_syllables

# Folded question words and function words: they carry no subject matter.
STOPWORDS = frozenset(
    """ai gi nao bao nhieu la co duoc cua va cac nhung thi hien nay the nhu khi o dau voi cho ve trong
    phai do mot nao sao vay hay hoac tai theo den tu de se da dang can muon biet hoi xin vui long
    ra sao the nao noi quy dinh neu tren duoi nay kia day ay ma con nhu""".split()
)

# Folded cues of a question whose answer is a quantity, a rate or a duration.
_ASKS_FIGURE = re.compile(r"\b(bao nhieu|muc nao|bao lau|may phan tram|ty le nao)\b")
# A figure in a clause: a percentage, a decimal, a date, a year, or a number with a unit. Bare
# list markers ("1. Mục tiêu" in a heading) do not count.
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\b\d+[.,]\d+\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d{2}\b"
    r"|\b\d+\s+(?:thang|nam|ngay|trieu|ty|nghin|ngan|dong|ho|nguoi|lan)\b"
)
#: Share of coverage kept when a figure question meets a clause with no figure.
FIGURE_PENALTY = 0.5


@dataclass(frozen=True)
class Thresholds:
    coverage: float = 0.5
    dense: float = 0.80


def content_terms(text: str) -> list[str]:
    """Distinct folded content syllables of a question."""
    return list(dict.fromkeys(t for t in folded_syllables(text) if t not in STOPWORDS and not t.isdigit()))


def asks_figure(question: str) -> bool:
    """The question asks for a quantity ("bao nhiêu", "ở mức nào", "bao lâu")."""
    return bool(_ASKS_FIGURE.search(fold(question or "")))


def has_figure(text: str) -> bool:
    return bool(_FIGURE.search(fold(text or "")))


def _reading_coverage(terms: list[str], base: set[str], clause_terms: set[str], bm25: BM25Index) -> float:
    """IDF-weighted share of ``terms`` in the clause; terms not in ``base`` (the first reading)
    share the weight of the ``base`` terms this reading dropped (an abbreviation and its long
    form count once, at the weight of the form the user typed)."""
    weights = {t: bm25.idf(t) for t in terms}
    if base:
        extra = [t for t in terms if t not in base]
        dropped = sum(bm25.idf(t) for t in base if t not in weights)
        extra_mass = sum(weights[t] for t in extra)
        if extra and extra_mass > 0 and dropped > 0:
            scale = dropped / extra_mass
            for t in extra:
                weights[t] *= scale
    total = sum(weights.values())
    hit = sum(w for t, w in weights.items() if t in clause_terms)
    return hit / total if total else 0.0


def coverage(query_texts: list[str], clause_text: str, bm25: BM25Index) -> float:
    """Share of the question's IDF mass found in the clause (best over the query's readings).

    ``query_texts[0]`` is the question as read (diacritics restored); the others are its
    rewrites (abbreviations expanded or contracted), scored as described in the module doc.
    """
    clause_terms = set(folded_syllables(clause_text))
    texts = [t for t in query_texts if t]
    if not texts:
        return 0.0
    base = set(content_terms(texts[0]))
    best = 0.0
    for i, text in enumerate(texts):
        terms = content_terms(text)
        if terms:
            best = max(best, _reading_coverage(terms, base if i else set(), clause_terms, bm25))
    if asks_figure(texts[0]) and not has_figure(clause_text):
        best *= FIGURE_PENALTY
    return best
