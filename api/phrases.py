"""How much of a question's wording a clause holds word for word: adjacent content-word pairs.

Why: coverage (index/abstain.py) counts a question's words one by one, wherever they stand in
the clause. "Chỉ tiêu nợ quá hạn … là bao nhiêu?" is covered as well by a clause about "dư nợ
… trung hạn" as by "Tỷ lệ nợ quá hạn dưới 1%"; only the second says "nợ quá hạn". The pairs of
neighbouring content words the question holds ("nợ quá", "quá hạn"), found side by side in the
clause, tell the clause that says what is asked from one that merely shares its words.

Pure; words folded, as the keyword index reads them.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from tracuu.index.abstain import STOPWORDS, question_words
from tracuu.index.keyword import folded_syllables

T = TypeVar("T")


def adjacent_pairs(words: Sequence[T]) -> set[tuple[T, T]]:
    """The pairs of neighbouring items of ``words`` (folded syllables, in order): what "side by side" means here."""
    return set(zip(words, words[1:]))


def question_pairs(reading: str) -> set[tuple[str, str]]:
    """Neighbouring syllables of the question (its asking words left out) that are both content words."""
    words = folded_syllables(question_words(reading))
    return {(a, b) for a, b in adjacent_pairs(words) if a not in STOPWORDS and b not in STOPWORDS
            and not a.isdigit() and not b.isdigit()}


def pair_share(reading: str, text: str, idf: Callable[[str], float], header: str = "") -> float:
    """IDF-weighted share of the question's content-word pairs that ``text`` holds side by side;
    0 when the question has none. ``reading``: the question as read (its abbreviations as
    typed: written out, "ngân hàng chính sách xã hội" would add pairs every clause about the
    bank holds). Pairs of ``header`` (the document's title: "kế hoạch", "An Giang") say which
    document is meant, not which clause, and are left out."""
    held = adjacent_pairs(folded_syllables(text or ""))
    named = adjacent_pairs(folded_syllables(header or ""))
    weights = {p: idf(p[0]) + idf(p[1]) for p in question_pairs(reading) if p not in named}
    total = sum(weights.values())
    return sum(w for p, w in weights.items() if p in held) / total if total else 0.0
